"""沟通信箱 (第十一条 在线交流; R-MAIL-1..6): letters from the public and their handling.

A letter is accepted once and kept for good (R-MAIL-1); every step of its handling is a
``LetterEvent`` with its actor and time; who may take which step is decided in ``rules`` and
the steps themselves are in ``cases``. Deadlines are counted in working days on the office's
``Holiday`` calendar (R-MAIL-3).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from govsite.days import days
from govsite.sections.models import Section

DEFAULT_NOTICE = """1. 本信箱受理涉及区政府办公室工作和区政府工作的咨询、建议和投诉。
2. 请如实填写姓名和联系方式，以便答复；我们依法保护您的个人信息。
3. 请文明用语，不得含有违反法律法规的内容；涉及国家秘密的事项请勿通过网络反映。
4. 已进入诉讼、仲裁、行政复议等法定程序的事项，请通过相应途径办理。
5. 提交后您将得到信件编号和查询码，请妥善保存，凭此查询办理情况和答复。
6. 一般在 5 个工作日内答复；您同意公开的信件，答复后将隐去个人信息在网站上公开。"""


@register_setting(icon="mail")
class MailboxSettings(BaseGenericSetting):
    """The mailbox's rules as data: deadlines, limits, the notice shown above the form and
    whether a reply the chief signed off also needs the director (第十四条; R-MAIL-5)."""

    number_prefix = models.CharField(
        "信件编号前缀", max_length=8, default="GT", help_text="信件编号形如 GT-20261124-0001。"
    )
    reply_working_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", default=5, help_text="交办后须在此期限内答复（R-MAIL-5）。"
    )
    remind_working_days = models.PositiveSmallIntegerField(
        "到期前提醒（工作日）", default=1, help_text="距办理期限还有几个工作日时提醒承办科室。"
    )
    letters_per_hour = models.PositiveSmallIntegerField(
        "同一来源每小时最多来信", default=5, help_text="超过后请稍后再写（防止恶意刷信）。"
    )
    queries_per_hour = models.PositiveSmallIntegerField(
        "同一来源每小时最多查询", default=20, help_text="防止猜测查询码。"
    )
    attachment_max_mb = models.PositiveSmallIntegerField("附件大小上限（MB）", default=5)
    notice = models.TextField("留言须知", default=DEFAULT_NOTICE)
    directors_approve_replies = models.BooleanField(
        "答复须经主管主任审核",
        default=False,
        help_text="勾选后，科长签发的答复还须由分管沟通信箱所属科室的主管主任审核通过，才发送给"
        "来信人并在网站公开（第十四条）。",
    )

    panels = [
        FieldPanel("notice"),
        FieldPanel("number_prefix"),
        FieldPanel("reply_working_days"),
        FieldPanel("remind_working_days"),
        FieldPanel("letters_per_hour"),
        FieldPanel("queries_per_hour"),
        FieldPanel("attachment_max_mb"),
        FieldPanel("directors_approve_replies"),
    ]

    class Meta:
        verbose_name = "沟通信箱设置"


class Holiday(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday on a weekday, or a weekend
    day worked instead (调休). Deadlines count working days on this calendar (R-MAIL-3)."""

    date = models.DateField("日期", unique=True)
    name = models.CharField("名称", max_length=30)
    workday = models.BooleanField("调休上班", default=False)

    panels = [FieldPanel("date"), FieldPanel("name"), FieldPanel("workday")]

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}{'（上班）' if self.workday else ''}"


def is_working_day(day, exceptions=None):
    if exceptions is None:
        exceptions = dict(Holiday.objects.filter(date=day).values_list("date", "workday"))
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (a date), on the office calendar."""
    exceptions = dict(
        Holiday.objects.filter(
            date__gt=start, date__lte=start + timedelta(days=days * 3 + 30)
        ).values_list("date", "workday")
    )
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, exceptions):
            left -= 1
    return day


def holiday_calendar():
    """Every exception to the Monday–Friday rule, {date: workday}: a few dozen rows a year,
    read once for a list of letters rather than once per letter."""
    return dict(Holiday.objects.values_list("date", "workday"))


def working_days_between(start, end, calendar=None):
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start), on
    ``calendar`` (``holiday_calendar()``) when given, else on the days read for the range."""
    if end <= start:
        return 0
    exceptions = calendar
    if exceptions is None:
        exceptions = dict(
            Holiday.objects.filter(date__gt=start, date__lte=end).values_list("date", "workday")
        )
    return sum(
        is_working_day(start + timedelta(days=n), exceptions)
        for n in range(1, (end - start).days + 1)
    )


class DailySequence(models.Model):
    """The last tracking number given out on a day: numbers are dense and never reused, even
    under concurrent submissions (the row is locked by the update)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "信件编号序列"

    def __str__(self):
        return f"{self.day}: {self.last}"

    @classmethod
    def next_for(cls, day):
        cls.objects.bulk_create([cls(day=day)], ignore_conflicts=True)
        cls.objects.filter(day=day).update(last=F("last") + 1)
        return cls.objects.get(day=day).last


def private_storage():
    """Letters' attachments hold personal data: kept outside MEDIA_ROOT, which the web server
    may serve, and handed out only by the letter's download view to those who may read it."""
    from django.core.files.storage import storages

    return storages["private"]


def _latest_actor(action):
    """Who took the letter's latest step ``action`` (a subquery of the letter's events)."""
    return Subquery(
        LetterEvent.objects.filter(letter=OuterRef("pk"), action=action)
        .order_by("-at", "-pk")
        .values("actor")[:1]
    )


class LetterQuerySet(models.QuerySet):
    """The letters by where their handling stands, each one query whatever their number.

    The ``…_by(user)`` methods are the table's rules (``lifecycle.LETTER``, ``rules``) in SQL:
    the letters on which ``user`` may take that step now."""

    def awaiting_triage(self):
        """待分类: 综合科 classifies, assigns or forwards, or refuses (R-MAIL-2)."""
        return self.filter(status=Letter.Status.RECEIVED)

    def awaiting_reply(self):
        """待拟定答复: approved by the section's chief, or back from 区长电子信箱; the officers of
        the section owning 沟通信箱 word the reply and send it to their chief (R-MAIL-5)."""
        return self.filter(status__in=[Letter.Status.APPROVED, Letter.Status.RESULT])

    def awaiting_sign_off_by(self, user):
        """待签发 for a chief of the section owning 沟通信箱 (``rules.may_sign_off``, asked by
        the caller): the prepared replies, but not one ``user`` prepared themselves."""
        return (
            self.filter(status=Letter.Status.PREPARED)
            .alias(preparer=_latest_actor(LetterEvent.Action.PREPARED))
            .filter(Q(preparer__isnull=True) | ~Q(preparer=user.pk))
        )

    def awaiting_director_review(self):
        """待主管主任审核答复: signed off by the chief, when 沟通信箱设置 wants the director too."""
        return self.filter(status=Letter.Status.DIRECTOR_REVIEW)

    def awaiting_result(self):
        """待办理结果: forwarded to 区长电子信箱, its result not yet recorded (R-MAIL-4)."""
        return self.filter(status=Letter.Status.FORWARDED)

    def awaiting_extension_decision(self):
        """延期待审批: a section asked for more time and 综合科 has not decided."""
        return self.in_hand().filter(extension_days__gt=0)

    def awaiting_draft_by(self, user):
        """待拟写答复 for ``user``: assigned to a section whose 信息员 or 科长 ``user`` is
        (``rules.may_draft``)."""
        groups = user.groups.values("pk")
        return self.filter(status=Letter.Status.ASSIGNED).filter(
            Q(section__officer_group__in=groups) | Q(section__chief_group__in=groups)
        )

    def awaiting_approval_by(self, user):
        """待科长审核 for ``user``: drafted in a section whose 科长 ``user`` is, by somebody else
        (``rules.may_approve``: nobody approves their own draft)."""
        return (
            self.filter(
                status=Letter.Status.DRAFTED, section__chief_group__in=user.groups.values("pk")
            )
            .alias(drafter=_latest_actor(LetterEvent.Action.DRAFTED))
            .filter(Q(drafter__isnull=True) | ~Q(drafter=user.pk))
        )

    def in_hand(self):
        """Accepted as valid and not yet answered."""
        return self.filter(status__in=Letter.OPEN_STATUSES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.in_hand().filter(deadline__lt=today)

    def assigned_to(self, section):
        return self.filter(section=section)

    def valid(self):
        return self.exclude(status__in=[Letter.Status.INVALID, Letter.Status.DUPLICATE])

    def answered(self):
        return self.filter(status=Letter.Status.REPLIED)

    def published(self):
        return self.answered().filter(published=True, consent_to_publish=True)

    def rated(self):
        """Rated by their writers (R-MAIL-7)."""
        return self.exclude(rating="")

    def received_between(self, start, end):
        """Received on the days ``start`` to ``end`` (inclusive, the office's time zone), as a
        range of moments so that the index on ``received_at`` answers it."""
        first, after = days(start, end)
        return self.filter(received_at__gte=first, received_at__lt=after)


class Letter(models.Model):
    """One letter to 沟通信箱 and where its handling stands (R-MAIL-1..5)."""

    class Kind(models.TextChoices):
        CONSULT = "consult", "咨询"
        SUGGEST = "suggest", "建议"
        COMPLAIN = "complain", "投诉"
        OTHER = "other", "其他"

    class Scope(models.TextChoices):
        INTERNAL = "internal", "涉及办公室内部工作"
        GOVERNMENT = "government", "涉及政府工作"

    class Status(models.TextChoices):
        RECEIVED = "received", "待分类"
        ASSIGNED = "assigned", "承办科室办理中"
        DRAFTED = "drafted", "待科长审核答复"
        APPROVED = "approved", "待综合科审核发布"
        PREPARED = "prepared", "待综合科科长签发"
        DIRECTOR_REVIEW = "director", "待主管主任审核答复"
        FORWARDED = "forwarded", "已转区长电子信箱"
        RESULT = "result", "区长电子信箱已反馈"
        REPLIED = "replied", "已答复"
        INVALID = "invalid", "无效信件"
        DUPLICATE = "duplicate", "重复信件"

    OPEN_STATUSES = [
        Status.ASSIGNED,
        Status.DRAFTED,
        Status.APPROVED,
        Status.FORWARDED,
        Status.RESULT,
        Status.PREPARED,
        Status.DIRECTOR_REVIEW,
    ]
    CLOSED_STATUSES = [Status.INVALID, Status.DUPLICATE]

    class PublicStatus(models.TextChoices):
        """What the writer is told of where their letter stands (R-MAIL-5): never the office's
        inner steps (who drafts, who reviews), only these four."""

        RECEIVED = "received", "已受理"
        IN_HAND = "in_hand", "办理中"
        REPLIED = "replied", "已答复"
        REFUSED = "refused", "不予受理"

    class Rating(models.TextChoices):
        """The writer's verdict on the reply (R-MAIL-7)."""

        SATISFIED = "satisfied", "满意"
        FAIRLY_SATISFIED = "fairly_satisfied", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    tracking_number = models.CharField("信件编号", max_length=32, unique=True)
    query_code_digest = models.CharField(max_length=64, editable=False)
    # The writer
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    # The letter
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.CONSULT)
    subject = models.CharField("标题", max_length=100)
    text = models.TextField("内容")
    attachment = models.FileField(
        "附件", upload_to="letters/%Y/%m/", storage=private_storage, blank=True
    )
    consent_to_publish = models.BooleanField("同意公开", default=False)
    received_at = models.DateTimeField("来信时间", default=timezone.now)
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Screening flags, never a silent drop: [describe(), ...] (R-SCREEN-1 on letters)
    flags = models.JSONField("审查提示", default=list, blank=True)
    # Handling
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    scope = models.CharField("性质", max_length=12, choices=Scope.choices, blank=True)
    section = models.ForeignKey(
        Section,
        verbose_name="承办科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    deadline = models.DateField("办理期限", null=True, blank=True)
    close_reason = models.CharField("不予受理理由", max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="重复于", null=True, blank=True, on_delete=models.SET_NULL
    )
    draft_reply = models.TextField("答复草稿", blank=True)
    reply = models.TextField("答复内容", blank=True)
    reply_department = models.CharField("答复部门", max_length=100, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    published = models.BooleanField("在网站公开", default=False)
    # An extension asked for by the section and not yet decided by 综合科 (0: none pending)
    extension_days = models.PositiveSmallIntegerField("申请延期（工作日）", default=0)
    extension_reason = models.CharField("延期理由", max_length=200, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    escalated_on = models.DateField(null=True, blank=True, editable=False)
    # The writer's rating of the reply, once, with the query code (R-MAIL-7)
    rating = models.CharField("群众评价", max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=200, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "来信"
        verbose_name_plural = "来信"
        ordering = ["-received_at", "-pk"]
        # 来信办理 at the office's size: each filter, each order of the worklist and each count
        # of the menu reads an index in the list's order, forwards or backwards (status or
        # section, then newest first; the deadline either way, ties by date of receipt — see
        # ``admin.letters.LetterIndexView.order_queryset``; what is in hand by its deadline).
        indexes = [
            models.Index(fields=["received_at", "id"], name="letter_received"),
            models.Index(fields=["status", "received_at", "id"], name="letter_status_received"),
            models.Index(fields=["status", "deadline"], name="letter_status_deadline"),
            models.Index(fields=["section", "received_at", "id"], name="letter_section_received"),
            models.Index(fields=["deadline", "received_at", "id"], name="letter_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="replied") | ~Q(reply=""), name="replied_letter_has_reply"
            ),
            # R-MAIL-7: only an answered letter is rated, and a rating has its moment.
            models.CheckConstraint(
                condition=Q(rating="", rated_at__isnull=True)
                | (Q(status="replied") & ~Q(rating="") & Q(rated_at__isnull=False)),
                name="rated_letter_is_replied",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_number} {self.subject}"

    @staticmethod
    def digest(code):
        return hashlib.sha256(code.strip().upper().encode()).hexdigest()

    def code_matches(self, code):
        return self.query_code_digest == self.digest(code)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def public_status(self):
        """R-MAIL-5: the writer's word for where the letter stands (``PublicStatus``). Every
        in-hand status — and any step the office adds later — is 办理中."""
        if self.is_open:
            return self.PublicStatus.IN_HAND
        if self.status == self.Status.RECEIVED:
            return self.PublicStatus.RECEIVED
        if self.status == self.Status.REPLIED:
            return self.PublicStatus.REPLIED
        if self.status in self.CLOSED_STATUSES:
            return self.PublicStatus.REFUSED
        return self.PublicStatus.IN_HAND  # a state the office added and OPEN_STATUSES missed

    @property
    def may_be_rated(self):
        """R-MAIL-7: answered and not rated yet."""
        return self.status == self.Status.REPLIED and not self.rating

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and self.deadline is not None and self.deadline < today

    def handling_days(self, calendar=None):
        """Working days from receipt to reply (R-MAIL-5 statistics); ``calendar`` as for
        ``working_days_between``."""
        if self.replied_at is None:
            return None
        return working_days_between(
            timezone.localdate(self.received_at), timezone.localdate(self.replied_at), calendar
        )


class LetterEvent(models.Model):
    """One step in a letter's handling, with who took it and when; never edited or deleted
    through the application (谁承诺、谁办理, 第十三条)."""

    class Action(models.TextChoices):
        RECEIVED = "received", "收到来信"
        CLASSIFIED = "classified", "分类"
        CLOSED = "closed", "不予受理"
        ASSIGNED = "assigned", "交办"
        REMINDED = "reminded", "到期提醒"
        ESCALATED = "escalated", "超期督办"
        EXTENSION_REQUESTED = "extension_requested", "申请延期"
        EXTENSION_GRANTED = "extension_granted", "同意延期"
        EXTENSION_REFUSED = "extension_refused", "不同意延期"
        DRAFTED = "drafted", "拟写答复"
        APPROVED = "approved", "科长审核通过"
        RETURNED = "returned", "退回修改"
        FORWARDED = "forwarded", "转区长电子信箱"
        RESULT = "result", "登记办理结果"
        PREPARED = "prepared", "拟定答复，送科长签发"
        SIGNED_OFF = "signed_off", "科长签发"
        REPLY_APPROVED = "reply_approved", "主管主任审核通过"
        REPLIED = "replied", "答复"
        PUBLISHED = "published", "公开"
        UNPUBLISHED = "unpublished", "取消公开"
        REPORTED = "reported", "整理上报"
        RATED = "rated", "评价"

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("事项", max_length=24, choices=Action.choices)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]
        # A letter's latest step of a kind (who drafted it: ``LetterQuerySet.awaiting_approval_by``,
        # counted in the menu of every admin page) is read from the end of this index.
        indexes = [
            models.Index(fields=["letter", "action", "at", "id"], name="letterevent_letter_action"),
        ]

    def __str__(self):
        return f"{self.letter.tracking_number} {self.get_action_display()}"

    @property
    def actor_name(self):
        if self.action == self.Action.RATED:
            return "来信人"
        if self.actor is None:
            return "系统"
        return self.actor.get_full_name() or self.actor.get_username()


from .pages import MailboxPage  # noqa: E402, F401
