"""设置 → 静态发布 in the admin: the last run of 重新生成全部页面 with its outcome, the run under
way with its progress, and the button that starts one (a background job; never two at once).
For 综合科-网站管理 (``rules.may_publish_site``)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from govsite.jobs.views import refuse

from . import rules, store, tasks


class PublishSiteView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "publishing/site.html"
    page_title = "静态发布"
    header_icon = "globe"

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_publish_site(request.user):
            return refuse(
                request, "只有综合科网站管理人员可以重新生成全部页面。", title=self.page_title
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """Every published page is rendered again: at the office's size longer than a request
        may take."""
        if tasks.running_job() is not None:
            messages.info(request, "全部页面正在重新生成（后台任务），完成后本页显示结果。")
        else:
            tasks.start_publish_site(request.user)
            messages.success(
                request,
                "已开始重新生成全部页面（后台任务），完成后本页显示结果。"
                "生成期间公众访问不受影响：尚未生成的页面由网站程序即时处理。",
            )
        return redirect("govsite_publishing:site")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "job": tasks.running_job(),
            "last": tasks.last_run(),
            "root": store.root(),
        }
