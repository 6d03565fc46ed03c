"""我的通知: a member of staff reads their notices and marks them read (R-FLOW-6). The one thing
anyone changes here is whether their own notices have been read."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import Notice


def _home():
    return {"url": reverse("wagtailadmin_home"), "label": "首页"}


class NoticeListView(WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["get", "head"]
    template_name = "notices/notices.html"
    page_title = "我的通知"
    header_icon = "mail"
    paginate_by = 30

    def get_breadcrumbs_items(self):
        return [_home(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notices = Notice.objects.filter(recipient=self.request.user)
        context["notices"] = Paginator(notices, self.paginate_by).get_page(
            self.request.GET.get("p")
        )
        context["unread_count"] = notices.unread().count()
        return context


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("govsite_notices:notices")


@require_POST
def mark_notice_read(request, notice_id):
    """A member of staff marks one of their own notices as read; anyone else's is a 404."""
    notice = get_object_or_404(Notice, pk=notice_id, recipient=request.user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return _back(request)


@require_POST
def mark_all_notices_read(request):
    Notice.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    return _back(request)
