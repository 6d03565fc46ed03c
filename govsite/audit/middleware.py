"""The request in the audit log (R-SEC-4) and the superuser's break-glass record (三员分立).

``AuditMiddleware`` (after ``AuthenticationMiddleware``; the request itself is kept for the
entries by ``govsite.accounts.context.CurrentRequestMiddleware``) writes, when the request
ends, what was left to its end (``events.RequestState``: the page
and collection permissions Wagtail's group editor writes without sending a signal).

A superuser is for emergencies only and all they do is on record: besides the specific entries
(a page published, a group changed), every state-changing request (POST, PUT, PATCH, DELETE)
a superuser sends to the admin is recorded with its path, method and response status. The body
is never recorded (it may hold a password).
"""

from govsite.adminpaths import is_admin_request

from . import context, events, signal_handlers

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
PATH_LENGTH = 500


def _superuser(request):
    user = context.request_user(request)
    return user if user is not None and user.is_superuser else None


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            watched = request.method in STATE_CHANGING and is_admin_request(request)
            # Who it was before the view ran: a superuser's logout is theirs too.
            superuser_before = _superuser(request) if watched else None
            response = self.get_response(request)
            if watched:
                superuser = _superuser(request) or superuser_before
                if superuser is not None:
                    self.record_superuser_request(request, response, superuser)
            return response
        finally:
            self.finish(request)

    def finish(self, request):
        state = events.request_state(request, create=False)
        if state is not None:
            signal_handlers.record_watched_groups(state)

    def record_superuser_request(self, request, response, superuser):
        match = getattr(request, "resolver_match", None)
        path = request.get_full_path()[:PATH_LENGTH]
        events.record(
            "superuser_request",
            actor=superuser,
            request=request,
            target_repr=path,
            summary=f"{request.method} {path} → {response.status_code}",
            detail={
                "method": request.method,
                "path": path,
                "view": match.view_name if match else "",
                "status": response.status_code,
            },
        )
