"""The office's in-admin notices (R-FLOW-6, R-MAIL-4, R-SCREEN-4): what waits for a member of
staff, what was decided about their work. Every app tells people through ``delivery.notify``;
this app owns nothing but the notice itself, so any app may use it."""

from django.conf import settings
from django.db import models


class Notice(models.Model):
    """An in-admin notice to a member of staff (R-FLOW-6), e.g. "退回修改：…"."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notices",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # "待您审核": the review step the recipient is asked to decide. Once any reviewer has
    # decided it (or the submission is withdrawn) the notice is settled: read, with the outcome.
    task_state = models.ForeignKey(
        "wagtailcore.TaskState",
        verbose_name="审核步骤",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class NoticeQuerySet(models.QuerySet):
        def unread(self):
            return self.filter(read_at__isnull=True)

        def awaiting_decision_of(self, task_state):
            return self.unread().filter(task_state=task_state)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        # 我的通知 lists a recipient's notices newest first, and every admin page counts (and
        # the dashboard lists) their unread ones: both read the index in order, at any size.
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notice_recipient_newest"
            ),
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=models.Q(read_at__isnull=True),
                name="notice_recipient_unread",
            ),
        ]

    def __str__(self):
        return self.title
