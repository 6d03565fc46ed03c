"""双百考核 website part (第二十一、二十二条; SPEC R-ASSESS-2): each section's score for a month,
item by item, from the rule set in force that month (``RuleSet`` / ``ScoreRule``: data 综合科
maintains), and its roll-up by quarter and year.

What each measure counts, for a section and a month (``MEASURES``; docs/assessment-scores.md):

- 栏目更新 (freshness): the section's columns overdue or blank at the end of the month (now,
  for the current month), as ``freshness.column_states_at`` sees them (all the month-ends of
  the period in one read) — ``per_unit`` deducted for each, the days overdue in the line
  ("工程进展 超期 3 天 −2").
- 信息报送 (quota): items sent to 综合科 in the month (``Item.sent_at``) against the section's
  quota (``SectionQuota`` or ``ReportingSettings.monthly_quota``) — ``per_unit`` per item short.
- 信息采用 (adoption) **earns**: the 通报's points of the section's items sent in the month
  (``reporting.reports.points_by_month``: the outlets that adopted them — several add up or only
  the highest counts, ``ReportingSettings.outlets_add_up`` — and leaders' instructions, whenever
  recorded), × ``per_unit``, capped at the weight.
- 审查退回 (screening_returns): versions of the section's pages returned by the automatic
  screening in the month for anything but a serious error — ``per_unit`` each.
- 严重差错 (serious_errors): those returned for a serious error (a 严重错别字 finding of the
  ``screening.SeriousError`` list) — ``per_unit`` each, counted here instead of as a plain return.
- 来信按时办理 (letters): letters assigned to the section whose 办理期限 fell in the month and
  that were not answered by it (answered late, or still open after it) — ``per_unit`` each.
- 纠错按时办理 (corrections): 我为政府网站找错 does not exist yet; the measure reads nothing.

An item never goes below 0 nor above its weight; the total is their sum; sections are ranked by
total (equal totals share a rank). A month 综合科 has closed returns its frozen ``MonthScore``
rows instead (``close_month``). Quarter and year are the **average of their months' totals**
(each month scored by its own rule set; the months not yet begun are left out), ranked again.

Every function reads its figures for the whole period at once: the queries are fixed whatever
the number of sections, pages, letters or items.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from wagtail.models import TaskState

from govsite.days import day_start
from govsite.mailbox.models import Letter
from govsite.reporting import reports
from govsite.reporting.models import (
    Item,
    ReportingSettings,
    SectionQuota,
)
from govsite.screening.engine import SERIOUS_ERROR
from govsite.sections.models import Section
from govsite.workflow.models import ScreeningTaskState, review_sections

from .freshness import column_states_at
from .models import ClosedMonth, MonthScore, RuleSet, ScoreRule

Measure = ScoreRule.Measure
ZERO = Decimal("0")
CENT = Decimal("0.01")
NAMES = dict(Measure.choices)
# Measures that earn points up to their weight rather than deduct from it.
EARNING = {Measure.ADOPTION}


def _minus(amount):
    return f"−{format_points(amount)}"


def format_points(amount):
    """2, 2.5, 0.25: a score as staff write it, without trailing zeros."""
    value = Decimal(amount).quantize(CENT).normalize()
    return f"{value:f}"


# Months -------------------------------------------------------------------------------------


def month_of(day):
    """The month (its 1st) holding ``day``."""
    return date(day.year, day.month, 1)


def next_month(month):
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(month):
    return month_of(month_of(month) - timedelta(days=1))


def month_end(month):
    """The last day of ``month``."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def quarter_months(year, quarter):
    return [date(year, 3 * (quarter - 1) + n, 1) for n in (1, 2, 3)]


def year_months(year):
    return [date(year, n, 1) for n in range(1, 13)]


def _today(now):
    return timezone.localdate(now or timezone.now())


# Results ------------------------------------------------------------------------------------


@dataclass
class ItemScore:
    """One item of a section's score: its weight, what it scored, and why (the lines)."""

    measure: str
    name: str
    weight: Decimal
    score: Decimal
    lines: list = field(default_factory=list)
    earns: bool = False

    @property
    def deducted(self):
        return ZERO if self.earns else self.weight - self.score

    def as_json(self):
        return {
            "measure": self.measure,
            "name": self.name,
            "weight": str(self.weight),
            "score": str(self.score),
            "lines": self.lines,
            "earns": self.earns,
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            measure=data["measure"],
            name=data["name"],
            weight=Decimal(data["weight"]),
            score=Decimal(data["score"]),
            lines=list(data["lines"]),
            earns=data.get("earns", False),
        )


@dataclass
class SectionScore:
    """A section's score for a month (or the average for a quarter or year)."""

    section: Section
    total: Decimal
    rank: int = 0
    items: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    # Quarter and year: the months' totals this is the average of, {month: total}, and the
    # section's rank in each of those months.
    months: dict = field(default_factory=dict)
    month_ranks: dict = field(default_factory=dict)

    def item(self, measure):
        return next((item for item in self.items if item.measure == measure), None)


@dataclass
class PeriodScores:
    """The scores of a period: one ``SectionScore`` per section, best first."""

    label: str
    months: list
    rows: list
    rule_sets: list
    closed: bool = False  # a month closed by 综合科 (its frozen scores)
    closed_month: ClosedMonth | None = None
    provisional: bool = False  # the period has not ended: its figures are as of now
    measures: list = field(default_factory=list)  # (measure, name, weight) of the columns

    def by_section(self):
        return {row.section.pk: row for row in self.rows}


def rank(rows):
    """Rank by total, best first; equal totals share a rank (1, 1, 3)."""
    rows.sort(key=lambda row: (-row.total, row.section.sort_order, row.section.name))
    previous, previous_rank = None, 0
    for position, row in enumerate(rows, start=1):
        row.rank = previous_rank if row.total == previous else position
        previous, previous_rank = row.total, row.rank
    return rows


# The rule sets ------------------------------------------------------------------------------


def rule_sets_for(months):
    """{month: the rule set in force that month} (the latest begun on or before its 1st), with
    their rules read together: two queries."""
    last = max(months)
    sets = list(
        RuleSet.objects.filter(effective_from__lte=last)
        .order_by("-effective_from")
        .prefetch_related("rules")
    )
    return {month: next((s for s in sets if s.effective_from <= month), None) for month in months}


def weights_problem(full_marks, weights):
    """The refusal when the weights of a rule set do not add up to its full marks, else None
    (考核细则 are kept whole: the admin's form and ``close_month`` ask this)."""
    total = sum((Decimal(weight) for weight in weights), ZERO)
    if total != Decimal(full_marks):
        return (
            f"各考核项目的分值合计为 {format_points(total)} 分，"
            f"与满分 {format_points(full_marks)} 分不符，请调整后再保存。"
        )
    return None


# The figures --------------------------------------------------------------------------------


class Figures:
    """Everything the measures count, for ``sections`` over ``months``, read at once."""

    def __init__(self, months, sections, now=None):
        self.now = now or timezone.now()
        self.today = _today(self.now)
        self.months = sorted(months)
        self.sections = sections
        first, last = self.months[0], self.months[-1]
        self.start, self.end = day_start(first), day_start(next_month(last))
        self.section_ids = [section.pk for section in sections]
        moments = [(day_start(m), day_start(next_month(m))) for m in self.months]
        days = [(m, next_month(m)) for m in self.months]

        self.submitted = self._by_month(
            Item.objects.sent_between(self.start, self.end).filter(section__in=self.section_ids),
            "section_id",
            "sent_at",
            moments,
            lambda q: Count("pk", filter=q),
        )
        settings = ReportingSettings.load()
        self.default_quota = settings.monthly_quota
        self.quotas = dict(
            SectionQuota.objects.filter(section__in=self.section_ids).values_list(
                "section_id", "monthly_quota"
            )
        )
        self.adoption_points = self._adoption_points(moments, settings.outlets_add_up)
        self.late_letters = self._by_month(
            Letter.objects.filter(
                section__in=self.section_ids,
                deadline__gte=first,
                deadline__lte=month_end(last),
            ).filter(
                Q(status=Letter.Status.REPLIED, replied_at__date__gt=F("deadline"))
                | Q(status__in=Letter.OPEN_STATUSES, deadline__lt=self.today)
            ),
            "section_id",
            "deadline",
            days,
            lambda q: Count("pk", filter=q),
        )
        self.screening_returns, self.serious_errors = self._screening()
        self.columns = {}  # month: {section id: [overdue or blank column states]}

    def _by_month(self, queryset, group, field, bounds, aggregate):
        """{(``group``, month): ``aggregate``} in one query: one filtered aggregate per month
        (``bounds``: its [first, after) on ``field``), so that the database compares ranges
        rather than truncating every row to its month."""
        annotations = {
            f"m{n}": aggregate(Q(**{f"{field}__gte": low, f"{field}__lt": high}))
            for n, (low, high) in enumerate(bounds)
        }
        found = {}
        for row in queryset.order_by().values(group).annotate(**annotations):
            for n, month in enumerate(self.months):
                if row[f"m{n}"]:
                    found[row[group], month] = row[f"m{n}"]
        return found

    @staticmethod
    def _adoption_points(moments, add_up):
        """{(section id, month): points}: the 通报's points (``reporting.reports``), each
        item's outlets and instructions counted in the month it was sent. Two queries."""
        return reports.points_by_month(moments[0][0], moments[-1][1], add_up)

    def _screening(self):
        """{(section id, month): n} of the versions returned by the automatic screening, and of
        those returned for a serious error (counted there only). The returned states are read
        with their findings; their sections as the review chain finds them (``review_sections``,
        a fixed number of queries)."""
        states = list(
            ScreeningTaskState.objects.filter(
                status=TaskState.STATUS_REJECTED,
                finished_at__gte=self.start,
                finished_at__lt=self.end,
            )
            .select_related("workflow_state")
            .only(
                "pk",
                "finished_at",
                "findings",
                "workflow_state__base_content_type_id",
                "workflow_state__object_id",
            )
        )
        sections = review_sections({state.workflow_state for state in states})
        wanted = set(self.section_ids)
        returns, serious = defaultdict(int), defaultdict(int)
        for state in states:
            section = sections.get(state.workflow_state.pk)
            if section is None or section.pk not in wanted:
                continue
            key = (section.pk, month_of(timezone.localdate(state.finished_at)))
            if any(f.get("category") == SERIOUS_ERROR for f in state.findings or []):
                serious[key] += 1
            else:
                returns[key] += 1
        return returns, serious

    def quota(self, section):
        return self.quotas.get(section.pk, self.default_quota)

    def moment(self, month):
        """When a month's columns are judged: at its end, or now for the current month."""
        end = day_start(next_month(month)) - timedelta(microseconds=1)
        return min(end, self.now)

    def columns_of(self, month):
        """{section id: the column states overdue or blank at the month's end}. The first call
        reads every month of the period at once (``freshness.column_states_at``: one read for
        all the month-ends, not one per month)."""
        if not self.columns:
            self.columns = {m: defaultdict(list) for m in self.months}
            moments = [self.moment(m) for m in self.months]
            found = column_states_at(moments, sections=self.sections)
            for m, moment in zip(self.months, moments, strict=True):
                for state in found[moment]:
                    if state.state in ("overdue", "blank"):
                        self.columns[m][state.section_id].append(state)
        return self.columns[month]


# The measures -------------------------------------------------------------------------------


def _freshness(rule, section, month, figures):
    lines, count = [], 0
    for state in figures.columns_of(month).get(section.pk, []):
        count += 1
        if state.state == "blank":
            lines.append(f"{state.title} 空白 {_minus(rule.per_unit)}")
        else:
            lines.append(f"{state.title} 超期 {state.days_overdue} 天 {_minus(rule.per_unit)}")
    return count, lines, {"overdue_columns": count}


def _quota(rule, section, month, figures):
    sent = figures.submitted.get((section.pk, month), 0)
    quota = figures.quota(section)
    short = max(quota - sent, 0)
    lines = []
    if short:
        lines.append(
            f"{month.month}月报送 {sent} 条，少于定额 {short} 条 {_minus(rule.per_unit * short)}"
        )
    return short, lines, {"submitted": sent, "quota": quota}


def _adoption(rule, section, month, figures):
    points = figures.adoption_points.get((section.pk, month), ZERO)
    earned = points * rule.per_unit
    line = f"采用积分 {format_points(points)} → +{format_points(min(earned, rule.weight))}"
    if earned > rule.weight:
        line += f"（上限 {format_points(rule.weight)}）"
    return points, [line] if points else [], {"adoption_points": str(points)}


def _screening_returns(rule, section, month, figures):
    n = figures.screening_returns.get((section.pk, month), 0)
    lines = [f"自动审查退回 {n} 次 {_minus(rule.per_unit * n)}"] if n else []
    return n, lines, {"screening_returns": n}


def _serious_errors(rule, section, month, figures):
    n = figures.serious_errors.get((section.pk, month), 0)
    lines = [f"因严重错别字被退回 {n} 次 {_minus(rule.per_unit * n)}"] if n else []
    return n, lines, {"serious_errors": n}


def _letters(rule, section, month, figures):
    n = figures.late_letters.get((section.pk, month), 0)
    lines = [f"来信超期未办结 {n} 件 {_minus(rule.per_unit * n)}"] if n else []
    return n, lines, {"late_letters": n}


def _corrections(rule, section, month, figures):
    """我为政府网站找错 is not built yet: nothing to count."""
    return 0, [], {}


MEASURES = {
    Measure.FRESHNESS: _freshness,
    Measure.QUOTA: _quota,
    Measure.ADOPTION: _adoption,
    Measure.SCREENING_RETURNS: _screening_returns,
    Measure.SERIOUS_ERRORS: _serious_errors,
    Measure.LETTERS: _letters,
    Measure.CORRECTIONS: _corrections,
}


def score_section(rule_set, section, month, figures):
    """A section's ``SectionScore`` for ``month`` under ``rule_set``: each item between 0 and
    its weight, deducting ``per_unit`` per occurrence (信息采用 earning it per point)."""
    items, all_figures = [], {}
    for rule in rule_set.rules.all():
        units, lines, found = MEASURES[rule.measure](rule, section, month, figures)
        all_figures.update(found)
        earns = rule.measure in EARNING
        amount = Decimal(units) * rule.per_unit
        if earns:
            score = min(amount, rule.weight)
        else:
            score = max(rule.weight - amount, ZERO)
            if amount > rule.weight:
                lines.append(f"扣分超过本项分值，按 0 分计（本项 {format_points(rule.weight)} 分）")
        items.append(
            ItemScore(
                measure=rule.measure,
                name=NAMES[rule.measure],
                weight=rule.weight,
                score=score.quantize(CENT),
                lines=lines,
                earns=earns,
            )
        )
    total = sum((item.score for item in items), ZERO)
    return SectionScore(section=section, total=total, items=items, figures=all_figures)


# Periods ------------------------------------------------------------------------------------


def _sections(sections):
    if sections is None:
        return list(Section.objects.order_by("sort_order", "name"))
    return list(sections)


def _measures(rule_set):
    if rule_set is None:
        return []
    return [(r.measure, NAMES[r.measure], r.weight) for r in rule_set.rules.all()]


def _frozen(closed, sections):
    wanted = {section.pk: section for section in sections}
    rows = []
    for score in closed.scores.all():
        if score.section_id in wanted:
            rows.append(
                SectionScore(
                    section=wanted[score.section_id],
                    total=score.total,
                    rank=score.rank,
                    items=[ItemScore.from_json(line) for line in score.lines],
                    figures=score.figures,
                )
            )
    rows.sort(key=lambda row: (row.rank, row.section.sort_order, row.section.name))
    return rows


def _scored_months(months, sections, now):
    """{month: (rule set, [SectionScore] ranked, closed month or None)} for the months that have
    begun; the months' figures read at once (fixed queries)."""
    today = _today(now)
    months = [month for month in months if month <= today]
    if not months:
        return {}
    closed = {
        c.month: c
        for c in ClosedMonth.objects.filter(month__in=months)
        .select_related("rule_set")
        .prefetch_related("scores")
    }
    rule_sets = rule_sets_for(months)
    open_months = [m for m in months if m not in closed and rule_sets[m] is not None]
    figures = Figures(open_months, sections, now=now) if open_months else None
    scored = {}
    for month in months:
        if month in closed:
            frozen = closed[month]
            scored[month] = (frozen.rule_set, _frozen(frozen, sections), frozen)
        elif rule_sets[month] is not None:
            rows = [score_section(rule_sets[month], s, month, figures) for s in sections]
            scored[month] = (rule_sets[month], rank(rows), None)
    return scored


def month_scores(month, sections=None, now=None):
    """R-ASSESS-2: every section's score for ``month`` (a date in it), ranked; the frozen
    scores when 综合科 has closed it. ``sections`` narrows the rows (a director's), ranked among
    themselves for a live month and keeping the office-wide rank for a closed one."""
    month = month_of(month)
    sections = _sections(sections)
    scored = _scored_months([month], sections, now)
    label = f"{month.year}年{month.month}月"
    if month not in scored:
        return PeriodScores(label=label, months=[month], rows=[], rule_sets=[])
    rule_set, rows, closed = scored[month]
    return PeriodScores(
        label=label,
        months=[month],
        rows=rows,
        rule_sets=[rule_set],
        closed=closed is not None,
        closed_month=closed,
        provisional=closed is None and month_of(_today(now)) == month,
        measures=_measures(rule_set),
    )


def _rolled_up(label, months, sections, now):
    """The average of the months' totals and of each item's score, per section; lines
    prefixed with their month."""
    sections = _sections(sections)
    scored = _scored_months(months, sections, now)
    rows = []
    for section in sections:
        per_month = []
        for month, (_rule_set, month_rows, _closed) in scored.items():
            row = next((r for r in month_rows if r.section.pk == section.pk), None)
            if row is not None:
                per_month.append((month, row))
        if not per_month:
            continue
        n = Decimal(len(per_month))
        items = {}
        for month, row in per_month:
            for item in row.items:
                merged = items.setdefault(
                    item.measure,
                    ItemScore(item.measure, item.name, item.weight, ZERO, [], item.earns),
                )
                merged.score += item.score
                merged.lines += [f"{month.month}月：{line}" for line in item.lines]
        for item in items.values():
            item.score = (item.score / n).quantize(CENT, ROUND_HALF_UP)
        total = (sum((row.total for _m, row in per_month), ZERO) / n).quantize(CENT, ROUND_HALF_UP)
        rows.append(
            SectionScore(
                section=section,
                total=total,
                items=list(items.values()),
                months={month: row.total for month, row in per_month},
                month_ranks={month: row.rank for month, row in per_month},
            )
        )
    rule_sets = []
    for rule_set, _rows, _closed in scored.values():
        if rule_set not in rule_sets:
            rule_sets.append(rule_set)
    today = _today(now)
    return PeriodScores(
        label=label,
        months=[m for m in months if m in scored],
        rows=rank(rows),
        rule_sets=rule_sets,
        provisional=bool(scored) and month_end(months[-1]) >= today,
        measures=_measures(rule_sets[-1] if rule_sets else None),
    )


def quarter_scores(year, quarter, sections=None, now=None):
    """A quarter: the average of its months' totals (the months begun so far)."""
    return _rolled_up(f"{year}年第{quarter}季度", quarter_months(year, quarter), sections, now)


def year_scores(year, sections=None, now=None):
    """A year: the average of its months' totals (the months begun so far)."""
    return _rolled_up(f"{year}年", year_months(year), sections, now)


# Closing a month ----------------------------------------------------------------------------


def close_month(month, user, now=None):
    """综合科 closes (关账) a month: every section's score is frozen as ``MonthScore`` rows so
    that later edits never rewrite the published 通报 (第二十二条). Refused, with the reason,
    for a month already closed, the current or a future month, a month without a rule set, or
    a rule set whose weights do not add up. Reopening is not offered: a closed month's 通报 is
    published."""
    month = month_of(month)
    today = _today(now)
    label = f"{month.year}年{month.month}月"
    if month >= month_of(today):
        raise ValidationError(f"{label}尚未结束，不能关账；月份结束后再关账。")
    with transaction.atomic():
        if ClosedMonth.objects.select_for_update().filter(month=month).exists():
            raise ValidationError(f"{label}已经关账，不能重复关账。")
        rule_set = rule_sets_for([month])[month]
        if rule_set is None:
            raise ValidationError(f"{label}没有适用的考核细则，不能关账。")
        problem = weights_problem(rule_set.full_marks, [r.weight for r in rule_set.rules.all()])
        if problem:
            raise ValidationError(f"考核细则「{rule_set.name}」有误，不能关账：{problem}")
        sections = _sections(None)
        figures = Figures([month], sections, now=now)
        rows = rank([score_section(rule_set, s, month, figures) for s in sections])
        closed = ClosedMonth.objects.create(
            month=month, rule_set=rule_set, closed_by=user, closed_at=now or timezone.now()
        )
        MonthScore.objects.bulk_create(
            [
                MonthScore(
                    closed_month=closed,
                    section=row.section,
                    total=row.total,
                    rank=row.rank,
                    lines=[item.as_json() for item in row.items],
                    figures=row.figures,
                )
                for row in rows
            ]
        )
    return closed


__all__ = [
    "ItemScore",
    "PeriodScores",
    "SectionScore",
    "close_month",
    "month_scores",
    "quarter_scores",
    "weights_problem",
    "year_scores",
]
