"""Who is asking, and how often: the client's address and per-source limits, shared by every
public form and every security record (R-MAIL-1 rate limit, R-SEC-5 enumeration, R-SEC audit).

``client_address`` is the one answer to "where does this request come from", for the mailbox,
the surveys, the lockout, the sessions, the audit log and the CSP reports alike.

A source is the visitor's address, never stored as such: it is turned into an HMAC keyed
with ``SECRET_KEY`` (``source_digest``), which is what the letter keeps and what the cache
counts. An IPv6 visitor is counted by their /64 network, since one host usually holds a whole
/64 and could otherwise take a fresh address for every letter.

Counting is done in Django's cache (``spend``): one counter per source and purpose, created
by the first attempt and expiring an hour later. In the embedded mode that is the
process-local cache; with several app servers configure the shared cache (``REDIS_URL``)
or each server counts on its own. A cache outage lets the visitor through (logged): losing a
letter is worse than missing a limit for a while.

Behind a reverse proxy every request comes from the proxy; ``GOVSITE_PROXY_COUNT`` (default 0)
says how many trusted proxies append to ``X-Forwarded-For``, and the address that many entries
from the right is taken. With 0 the header is ignored: anybody can write it.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger("govsite.clients")

WINDOW_SECONDS = 3600
KEY_SALT = "govsite.mailbox.source"
CACHE_PREFIX = "govsite.clients.throttle"

LETTERS = "letter"
QUERIES = "query"


def client_address(request):
    """The visitor's address as the server sees it, or through the trusted proxies."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "GOVSITE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def source_of(address):
    """What counts as one source: the address itself, or its /64 network for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def source_digest(request):
    """The visitor's source as a keyed hash (64 hex characters): never the raw address."""
    return salted_hmac(KEY_SALT, source_of(client_address(request)), algorithm="sha256").hexdigest()


def _key(purpose, digest):
    return f"{CACHE_PREFIX}.{purpose}.{digest}"


def spend(digest, purpose, limit):
    """Count one attempt of ``purpose`` by source ``digest``; False once more than ``limit``
    were made within the hour after the first. A limit of 0 means no limit."""
    if not limit:
        return True
    key = _key(purpose, digest)
    try:
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)
            count = 1
    except Exception:  # noqa: BLE001 - a cache outage must not stop letters
        logger.warning("来信限流计数不可用，本次不限流", exc_info=True)
        return True
    return count <= limit
