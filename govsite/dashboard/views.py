"""The whole of one dashboard list (我的草稿, 退回给我的, 待我审核, 我提交的稿件), a page of
``PAGE_SIZE`` rows at a time, each page read in the same number of queries."""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .work import BY_KEY, PAGE_SIZE, Letters


class WorkListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboard/list.html"

    def dispatch(self, request, *args, **kwargs):
        self.work = BY_KEY.get(kwargs["key"])
        # The letters' whole list is 来信办理; a list the role has no part in does not exist.
        if self.work is None or isinstance(self.work, Letters):
            raise Http404
        if not self.work.applies_to(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.work.heading

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": "", "label": self.work.heading},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.work.queryset(self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("p")
        )
        context.update(
            {
                "rows": self.work.rows(list(page.object_list), self.request.user),
                "page_obj": page,
                "empty": self.work.empty,
            }
        )
        return context
