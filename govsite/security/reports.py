"""What the Content-Security-Policy blocked, as the visitors' browsers report it (R-SEC-5,
R-SEC-4; docs/hardening.md).

Both policies name ``report-uri /csp-report/``: a browser that refuses a script, style, frame
or image the policy does not allow — an injected script that escaping missed, a tampered page,
a browser extension — POSTs a JSON report here. Each distinct violation (page, directive,
blocked address) becomes one ``csp_violation`` entry of the audit log (category 安全) within
an hour, at most ``REPORTS_PER_SOURCE`` per source and hour, so that nobody can flood the
log through this door. A visitor's address is not kept (as with letters); a logged-in
officer's is, as for every other staff action.

The endpoint takes no cookie-bound action, so it needs no CSRF token: browsers send reports
without one. It answers 204 whether or not the report was recorded, 400 to what is not a
report and 413 to a body over ``MAX_REPORT_BYTES``.
"""

import hashlib
import json

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from govsite import clients

from .signals import security_event

MAX_REPORT_BYTES = 16 * 1024
REPORTS_PER_SOURCE = 30  # recorded per source and hour (clients.WINDOW_SECONDS)
FIELD_LENGTH = 300
# The fields of a report (CSP Level 2/3, ``report-uri``) that are kept, in this order.
FIELDS = (
    "document-uri",
    "effective-directive",
    "violated-directive",
    "blocked-uri",
    "source-file",
    "line-number",
    "column-number",
    "disposition",
)
DEDUPLICATE_PREFIX = "govsite.security.csp_report"


def _report(body):
    """The ``csp-report`` object of a request body, or None when it is not one."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    report = payload.get("csp-report") if isinstance(payload, dict) else None
    return report if isinstance(report, dict) else None


@csrf_exempt
@require_POST
def csp_report(request):
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    report = _report(request.body)
    if report is None:
        return HttpResponseBadRequest("不是内容安全策略违规报告。")
    detail = {name: str(report[name])[:FIELD_LENGTH] for name in FIELDS if name in report}
    if not (detail.get("effective-directive") or detail.get("violated-directive")):
        return HttpResponseBadRequest("报告缺少被违反的指令。")

    seen = "|".join(
        detail.get(name, "") for name in ("document-uri", "effective-directive", "blocked-uri")
    )
    fresh = cache.add(
        f"{DEDUPLICATE_PREFIX}.{hashlib.sha256(seen.encode()).hexdigest()}",
        1,
        clients.WINDOW_SECONDS,
    )
    if fresh and clients.spend(clients.source_digest(request), "csp_report", REPORTS_PER_SOURCE):
        directive = detail.get("effective-directive") or detail["violated-directive"]
        security_event.send(
            sender=csp_report,
            action="csp_violation",
            request=request,
            summary=f"{directive} 拦截 {detail.get('blocked-uri') or 'inline'}"
            f"（页面 {detail.get('document-uri', '')}）",
            detail=detail,
            with_client=request.user.is_authenticated,
        )
    return HttpResponse(status=204)
