"""设置 → 静态发布 in the admin: the last run of 重新生成全部页面 with its outcome, the run under
way with its progress, and the button that starts one (a background job; never two at once).
For 综合科-网站管理 (``rules.may_publish_site``)."""

from govsite.jobs.views import JobStartView

from . import rules, store, tasks


class PublishSiteView(JobStartView):
    template_name = "publishing/site.html"
    page_title = "静态发布"
    header_icon = "globe"
    refusal = "只有综合科网站管理人员可以重新生成全部页面。"
    running_message = "全部页面正在重新生成（后台任务），完成后本页显示结果。"
    # Every published page is rendered again: at the office's size longer than a request may take.
    started_message = (
        "已开始重新生成全部页面（后台任务），完成后本页显示结果。"
        "生成期间公众访问不受影响：尚未生成的页面由网站程序即时处理。"
    )

    def may(self, user):
        return rules.may_publish_site(user)

    def running_job(self):
        return tasks.running_job()

    def start(self, user):
        return tasks.start_publish_site(user)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "last": tasks.last_run(),
            "root": store.root(),
        }
