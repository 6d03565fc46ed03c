"""What the staff's mailbox pages share: their names, breadcrumbs, who may open them, and the
way a private file is sent."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode

from .. import rules
from ..models import Letter

MENU_LABEL = "沟通信箱"
LIST_LABEL = "来信办理"


def home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


def mailbox():
    return {"url": reverse("mailbox_letters"), "label": LIST_LABEL}


def list_url(**filters):
    """The case list with ``filters`` (e.g. ``status=["approved", "result"]``)."""
    return reverse("mailbox_letters") + ("?" + urlencode(filters, doseq=True) if filters else "")


def attachment_response(file, filename, content_type="application/octet-stream"):
    """A private file, always downloaded, never rendered by the browser."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_name(letter):
    return letter.attachment.name.rsplit("/", 1)[-1] if letter.attachment else ""


class LetterMixin:
    """The letter of the URL, if the user may read it (``rules.may_read``); else a 404, so that
    nobody learns which letters exist."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.letter = get_object_or_404(
            Letter.objects.select_related("section", "duplicate_of"), pk=kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_read(request.user, self.letter)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TriageMixin:
    """综合科's pages: 整理上报 and the hand-off."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and rules.may_triage(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
