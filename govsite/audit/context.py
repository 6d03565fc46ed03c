"""Who acted and from where, for the audit log's entries (R-SEC-4). The request being answered
is ``govsite.accounts.context``'s, kept for receivers that are not given one."""

import ipaddress

from govsite.accounts.context import current_request, request_user  # noqa: F401 (re-exported)
from govsite.clients import client_address

USER_AGENT_LENGTH = 300


def client_of(request):
    """(IP address or None, user agent) of ``request``: the address as ``client_address``
    reads it behind the trusted proxies, None when it is not an IP address."""
    if request is None:
        return None, ""
    address = client_address(request).strip().split("%", 1)[0]  # no IPv6 zone ("%eth0")
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        address = None
    agent = request.META.get("HTTP_USER_AGENT", "") or ""
    return address, agent[:USER_AGENT_LENGTH]
