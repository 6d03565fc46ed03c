"""服务满意度调查 (R-SURVEY-1, 第十一条: 在线交流栏目由综合科负责; 第十四条).

- ``Survey``: built in the admin by the section that owns the 服务满意度调查 sub-column — a
  title, an introduction, the period it is open and whether its results are published on the
  site once it has closed — with ordered ``Question``s. Like any content it goes live only
  through the review chain (screening, 科长, 主管主任): it is a Wagtail snippet with drafts,
  revisions and the office's review workflow.
- ``Response``: one visitor's answer sheet, with a keyed hash of their network address (never
  the address itself) for the best-effort one-answer-per-visitor rule (see ``rules``).
- ``Answer``: one answer to one question; a multiple choice gives one row per chosen option.
- ``SurveyColumnPage``: the 服务满意度调查 sub-column, which lists the surveys and serves their
  answer sheets, thank-you pages and published results.
- ``SurveySettings``: the daily cap on answers from one network address.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
    WorkflowState,
)

from govsite.columns.models import SubColumnPage
from govsite.days import days

from .widgets import LinesTextarea

MAX_CHOICE_LENGTH = 100
MAX_TEXT_ANSWER_LENGTH = 1000


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    RATING = "rating", "评分题（1～5分）"
    TEXT = "text", "文字题"


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
RATING_LABELS = {1: "非常不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意"}


def _now(moment):
    return moment or timezone.now()


class SurveyQuerySet(models.QuerySet):
    def live(self):
        """Published: approved by the whole review chain (第十四条). Only these reach the public."""
        return self.filter(live=True)

    def with_review_status(self):
        """Each survey's review in progress or returned, as ``review_status`` (a
        ``WorkflowState`` status, or None): one subquery, whatever the number of rows."""
        states = WorkflowState.objects.active().filter(
            base_content_type=ContentType.objects.get_for_model(self.model),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        return self.annotate(
            review_status=Subquery(states.order_by("-created_at").values("status")[:1])
        )

    def open(self, moment=None):
        """Surveys accepting answers at ``moment`` (now by default)."""
        now = _now(moment)
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def started(self, moment=None):
        return self.filter(opens_at__lte=_now(moment))

    def closed(self, moment=None):
        return self.filter(closes_at__lte=_now(moment))

    def with_public_results(self, moment=None):
        """Closed surveys whose results 综合科 chose to publish on the site."""
        return self.closed(moment).filter(publish_results=True)

    def with_response_count(self):
        return self.annotate(response_count=Count("responses"))


REVIEW_STATUS_WORDS = {
    WorkflowState.STATUS_IN_PROGRESS: "审核中",
    WorkflowState.STATUS_NEEDS_CHANGES: "已退回",
}


class Survey(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """R-SURVEY-1 (第十一条): a satisfaction survey the owner of 服务满意度调查 builds, open for a
    period; 第十四条: it goes live only once screened and approved by that section's chief and
    its director, like any content (the review workflow is assigned to this model). Editing a
    live survey makes a new draft version that goes through review again.

    Once it has answers its questions are locked (``forms.SurveyForm``): answers point to their
    question and option, so only the wording and the order may still change. Publishing a
    version keeps the questions' primary keys, so the answers stay with their questions.
    """

    title = models.CharField("标题", max_length=100)
    introduction = models.TextField(
        "说明", blank=True, help_text="显示在问卷上方，例如调查目的、填写须知。"
    )
    opens_at = models.DateTimeField("开始时间", help_text="从此时起在网站上接受答卷。")
    closes_at = models.DateTimeField("结束时间", help_text="到此时间后不再接受答卷。")
    publish_results = models.BooleanField(
        "结束后公布结果",
        default=False,
        help_text="勾选后，调查结束后在网站上公布各题统计结果（文字意见不公开）。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = "调查问卷"
        verbose_name_plural = "调查问卷"
        ordering = ["-opens_at", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "结束时间必须晚于开始时间。"})

    def has_started(self, moment=None):
        return self.opens_at <= _now(moment)

    def has_closed(self, moment=None):
        return self.closes_at <= _now(moment)

    def is_open(self, moment=None):
        return self.has_started(moment) and not self.has_closed(moment)

    def results_are_public(self, moment=None):
        return self.publish_results and self.has_closed(moment)

    def period_status(self, moment=None):
        if not self.has_started(moment):
            return "未开始"
        return "已结束" if self.has_closed(moment) else "进行中"

    def status(self, moment=None):
        """What the list says: 草稿 / 审核中 / 已退回, or 已发布 with the period (未开始 /
        进行中 / 已结束) and a revised version's review. Reads ``review_status`` when the
        queryset annotated it (``with_review_status``), else asks the database."""
        if hasattr(self, "review_status"):
            review = REVIEW_STATUS_WORDS.get(self.review_status)
        else:
            state = self.current_workflow_state if self.pk else None
            review = REVIEW_STATUS_WORDS.get(state.status) if state else None
        if not self.live:
            return review or "草稿"
        text = f"已发布（{self.period_status(moment)}）"
        if review:
            return f"{text}，修改稿{review}"
        if self.has_unpublished_changes:
            return f"{text}，有未提交的修改"
        return text

    def has_responses(self):
        return self.pk is not None and self.responses.exists()

    # The review chain (govsite.workflow) asks any reviewed object that is not a page for the
    # column it belongs to — its owner reviews it — and for the text to screen.

    def owning_column(self):
        """The 服务满意度调查 sub-column every survey belongs to (第十一条)."""
        return SurveyColumnPage.objects.order_by("path").first()

    @classmethod
    def owning_columns(cls, pks):
        """``owning_column`` of many surveys at once: {pk: column}, in one query."""
        column = SurveyColumnPage.objects.order_by("path").first()
        return dict.fromkeys(pks, column)

    def screened_texts(self):
        """(field, text) of everything the public reads: the title, the introduction, each
        question and its options (R-SCREEN-1)."""
        texts = [("标题", self.title), ("说明", self.introduction)]
        for number, question in enumerate(self.questions.all(), 1):
            texts.append((f"第{number}题", question.text))
            if question.choices:
                texts.append((f"第{number}题选项", question.choices))
        return texts


class Question(Orderable):
    """One question of a survey: single or multiple choice, a 1–5 rating or free text."""

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField("题目", max_length=300)
    kind = models.CharField(
        "题型", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    required = models.BooleanField(
        "必答", default=False, help_text="勾选后，访问者不答此题就不能提交问卷。"
    )
    choices = models.TextField(
        "选项",
        blank=True,
        help_text="单选题、多选题填写，每行一个选项，至少两个；评分题、文字题不填。",
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("kind"),
        FieldPanel("required"),
        FieldPanel("choices", widget=LinesTextarea),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "题目"
        verbose_name_plural = "题目"

    def __str__(self):
        return self.text

    @property
    def has_choices(self):
        return self.kind in CHOICE_KINDS

    @property
    def choice_list(self):
        return split_choices(self.choices)

    def clean(self):
        choices = self.choice_list
        if not self.has_choices:
            if choices:
                raise ValidationError({"choices": "评分题和文字题不需要选项，请清空。"})
            return
        if len(choices) < 2:
            raise ValidationError({"choices": "单选题和多选题至少需要两个选项（每行一个）。"})
        seen = set()
        for choice in choices:
            if choice in seen:
                raise ValidationError({"choices": f"选项「{choice}」重复了。"})
            if len(choice) > MAX_CHOICE_LENGTH:
                raise ValidationError({"choices": f"每个选项不能超过 {MAX_CHOICE_LENGTH} 个字。"})
            seen.add(choice)
        self.choices = "\n".join(choices)


def split_choices(text):
    """The options of a choice question: one a line, blank lines and outer spaces dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ResponseQuerySet(models.QuerySet):
    def from_client(self, client_hash):
        return self.filter(client_hash=client_hash)

    def on_day(self, day):
        """Submitted on ``day`` in the office's time zone (Asia/Shanghai)."""
        start, after = days(day, day)
        return self.filter(submitted_at__gte=start, submitted_at__lt=after)


class Response(models.Model):
    """One visitor's answer sheet (R-SURVEY-1).

    ``client_hash`` is HMAC-SHA256, keyed with SECRET_KEY, of the survey and the visitor's
    network address: enough to count answers from one address, useless to recover it, and
    different for each survey. The address itself is never stored.
    """

    survey = models.ForeignKey(
        Survey, verbose_name="调查问卷", on_delete=models.CASCADE, related_name="responses"
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    client_hash = models.CharField("访问者标识", max_length=64, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["survey", "client_hash", "submitted_at"])]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """One answer: the option chosen, the rating given or the text written.

    A question with answers cannot be deleted on its own (RESTRICT); deleting the whole survey
    takes its answers with it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    choice = models.CharField("选项", max_length=MAX_CHOICE_LENGTH, blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    text = models.TextField("文字意见", blank=True)

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"

    def __str__(self):
        return f"{self.question}: {self.display}"

    @property
    def display(self):
        if self.rating is not None:
            return self.rating
        return self.choice or self.text


class SurveyColumnPage(RoutablePageMixin, SubColumnPage):
    """服务满意度调查 (R-SURVEY-1, 第十一条): the sub-column's articles, the open surveys to
    answer, and the closed ones whose results are published; each survey's answer sheet,
    thank-you page and results are routes of this page."""

    class Meta:
        verbose_name = "满意度调查栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        open_surveys = list(Survey.objects.live().open().order_by("closes_at", "pk"))
        for survey in open_surveys:
            survey.answer_url = self.survey_url(survey, "answer")
        result_surveys = list(Survey.objects.live().with_public_results().order_by("-closes_at"))
        for survey in result_surveys:
            survey.results_url = self.survey_url(survey, "results")
        context["open_surveys"], context["result_surveys"] = open_surveys, result_surveys
        return context

    def survey_url(self, survey, view="answer"):
        return self.url + self.reverse_subpage(view, args=[survey.pk])

    @path("<int:survey_id>/", name="answer")
    def answer(self, request, survey_id):
        from . import views

        return views.answer(self, request, survey_id)

    @path("<int:survey_id>/thanks/", name="thanks")
    def thanks(self, request, survey_id):
        from . import views

        return views.thanks(self, request, survey_id)

    @path("<int:survey_id>/results/", name="results")
    def results(self, request, survey_id):
        from . import views

        return views.results(self, request, survey_id)


@register_setting(icon="tasks")
class SurveySettings(BaseGenericSetting):
    """R-SURVEY-1: how many answer sheets one network address may send a survey per day."""

    answers_per_address_per_day = models.PositiveSmallIntegerField(
        "同一网络地址每天最多答卷数",
        default=10,
        validators=[MinValueValidator(1)],
        help_text="同一调查每天从同一网络地址（IP）最多接受的答卷数。"
        "单位、学校等多人共用一个出口地址时可适当调高。",
    )

    class Meta:
        verbose_name = "满意度调查设置"
