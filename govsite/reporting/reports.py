"""信息报送通报 (第十六、二十二条; SPEC R-INFO-3): per section, for a month, a quarter or a year —
报送数, 采用数, 采用率, 得分, 累计积分 and the rank — and each section's quota and shortfall.

The rules of counting, decided here once for the screen, the file, the dashboard and the
reminders:

- An item counts in the period it was **sent** in (``Item.sent_at``: its 科长 approved it and it
  left the section), in the office's time zone: one sent at 23:59 on 31 March counts in March.
- 采用数: of the items sent in the period, those adopted — status 已采用, or adopted by any outlet.
- 得分: the points of the outlets that adopted the period's items and of the leaders'
  instructions on them. **Points count in the month the item was sent**, however late the
  outlet or the instruction is recorded (a stable rule: a published month changes only when
  a record of its own items is added). ``ReportingSettings.outlets_add_up`` decides whether an
  item adopted by several outlets earns them all or only the highest; instructions always add.
- 累计积分: the same points from 1 January of the period's year to the period's end.
- 名次: by 得分 over every section of the office, highest first; equal scores share a rank
  (1, 1, 3). A director's or a section's view shows its own lines with their office-wide rank.
- 定额: ``SectionQuota`` where a section has one, else ``ReportingSettings.monthly_quota``;
  0 exempts a section. A section is short in a month when it sent fewer items than its quota.

Every figure is read in a fixed number of queries, whatever the number of items or sections.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from govsite.days import days
from govsite.exports.forms import MONTH, QUARTER, QUARTER_NAMES, YEAR
from govsite.sections.models import Section

from .models import (
    Item,
    LeaderInstruction,
    OutletAdoption,
    ReportingSettings,
    SectionQuota,
)

KINDS = {MONTH: "月", QUARTER: "季度", YEAR: "年"}


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year of the office's calendar: ``number`` is the month (1–12),
    the quarter (1–4) or, for a year, 1."""

    kind: str
    year: int
    number: int = 1

    def __post_init__(self):
        limit = {MONTH: 12, QUARTER: 4, YEAR: 1}.get(self.kind)
        if limit is None or not 1 <= self.number <= limit:
            raise ValueError(f"没有这样的统计时段：{self.kind} {self.number}")

    @classmethod
    def month(cls, year, month):
        return cls(MONTH, year, month)

    @classmethod
    def quarter(cls, year, quarter):
        return cls(QUARTER, year, quarter)

    @classmethod
    def whole_year(cls, year):
        return cls(YEAR, year)

    @classmethod
    def containing(cls, day, kind=MONTH):
        """The period of ``kind`` that ``day`` falls in."""
        number = {MONTH: day.month, QUARTER: (day.month - 1) // 3 + 1, YEAR: 1}[kind]
        return cls(kind, day.year, number)

    @property
    def first(self):
        """The period's first day."""
        month = {MONTH: self.number, QUARTER: 3 * self.number - 2, YEAR: 1}[self.kind]
        return date(self.year, month, 1)

    @property
    def last(self):
        """The period's last day."""
        month = {MONTH: self.number, QUARTER: 3 * self.number, YEAR: 12}[self.kind]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def moments(self):
        """[first day 00:00, the day after the last 00:00) in the office's time zone."""
        return days(self.first, self.last)

    @property
    def year_to_date(self):
        """[1 January 00:00, the period's end): what 累计积分 adds up."""
        return days(date(self.year, 1, 1), self.last)

    def __str__(self):
        if self.kind == MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind == QUARTER:
            return f"{self.year}年{QUARTER_NAMES[self.number]}"
        return f"{self.year}年"


@dataclass
class Line:
    """One section's line of the 通报."""

    section: Section
    sent: int = 0
    adopted: int = 0
    points: Decimal = Decimal(0)
    cumulative: Decimal = Decimal(0)
    rank: int = 0

    @property
    def rate(self):
        """采用率 in per cent (one decimal), ``None`` when nothing was sent."""
        return round(self.adopted * 100 / self.sent, 1) if self.sent else None


@dataclass
class Bulletin:
    """The 通报 of ``period``: a line per section, in rank order, ranks over every section."""

    period: Period
    lines: list = field(default_factory=list)
    outlets_add_up: bool = True

    def for_sections(self, sections):
        """The lines of ``sections`` only (``None``: all), keeping their office-wide ranks."""
        if sections is None:
            return self
        wanted = {section.pk for section in sections}
        lines = [line for line in self.lines if line.section.pk in wanted]
        return Bulletin(self.period, lines, self.outlets_add_up)

    @property
    def total(self):
        """The totals of the lines shown (a ``Line`` without a section)."""
        total = Line(section=None)
        for line in self.lines:
            total.sent += line.sent
            total.adopted += line.adopted
            total.points += line.points
            total.cumulative += line.cumulative
        return total

    @property
    def title(self):
        return f"{self.period}各科室信息报送通报"


def _adopted_anywhere():
    return Q(status=Item.Status.ADOPTED) | Exists(
        OutletAdoption.objects.filter(item=OuterRef("pk"))
    )


def _points(year_start, end, outlets_add_up):
    """``{section id: [(sent_at, points of one item)]}`` for the items sent in [year_start,
    end) that earned points: outlets (all of them, or the highest) plus instructions. Two
    queries."""
    sent = Q(item__sent_at__gte=year_start, item__sent_at__lt=end)
    per_item = defaultdict(Decimal)  # (section, item, sent_at) -> points
    adoptions = OutletAdoption.objects.filter(sent).values_list(
        "item__section_id", "item_id", "item__sent_at", "outlet__points"
    )
    for section_id, item_id, sent_at, points in adoptions:
        key = (section_id, item_id, sent_at)
        per_item[key] = per_item[key] + points if outlets_add_up else max(per_item[key], points)
    instructions = LeaderInstruction.objects.filter(sent).values_list(
        "item__section_id", "item_id", "item__sent_at", "level__points"
    )
    for section_id, item_id, sent_at, points in instructions:
        per_item[(section_id, item_id, sent_at)] += points
    by_section = defaultdict(list)
    for (section_id, _item, sent_at), points in per_item.items():
        by_section[section_id].append((sent_at, points))
    return by_section


def points_by_month(start, end, outlets_add_up):
    """``{(section id, first day of the month): points}`` of the items sent in [start, end),
    each counted in the month it was sent — the 通报's rule, which the 考核's 信息采用 reads
    too (``assessment.scoring``). Two queries."""
    by_month = defaultdict(Decimal)
    for section_id, earned in _points(start, end, outlets_add_up).items():
        for sent_at, points in earned:
            month = timezone.localdate(sent_at).replace(day=1)
            by_month[section_id, month] += points
    return dict(by_month)


def rank(lines):
    """Order ``lines`` by 得分, highest first, and give each its rank: equal scores share one
    (1, 1, 3). Ties keep the sections' own order."""
    lines.sort(key=lambda line: -line.points)
    previous, position = None, 0
    for index, line in enumerate(lines, start=1):
        if line.points != previous:
            previous, position = line.points, index
        line.rank = position
    return lines


def bulletin(period, settings=None):
    """The 通报 of ``period`` for every section of the office (five queries at most)."""
    settings = settings or ReportingSettings.load()
    start, end = period.moments
    year_start, _ = period.year_to_date
    sections = list(Section.objects.all())
    counts = {
        row["section"]: row
        for row in Item.objects.sent_between(start, end)
        .values("section")
        .annotate(sent=Count("pk"), adopted=Count("pk", filter=_adopted_anywhere()))
        .order_by()
    }
    points = _points(year_start, end, settings.outlets_add_up)
    lines = []
    for section in sections:
        count = counts.get(section.pk, {})
        earned = points.get(section.pk, [])
        lines.append(
            Line(
                section=section,
                sent=count.get("sent", 0),
                adopted=count.get("adopted", 0),
                points=sum((p for sent_at, p in earned if sent_at >= start), Decimal(0)),
                cumulative=sum((p for _sent_at, p in earned), Decimal(0)),
            )
        )
    return Bulletin(period, rank(lines), settings.outlets_add_up)


# Quota and shortfall (R-INFO-3) ------------------------------------------------------------------


@dataclass
class Standing:
    """A section's month against its quota."""

    section: Section
    sent: int
    quota: int

    @property
    def short_by(self):
        """尚差: how many more items the section must send this month (0 when it met its quota
        or is exempt)."""
        return max(self.quota - self.sent, 0)

    @property
    def is_short(self):
        return self.short_by > 0


def quota_of(section, settings=None):
    """The monthly quota of ``section``: its own (``SectionQuota``) or the office's; 0 exempts."""
    own = SectionQuota.objects.filter(section=section).values_list("monthly_quota", flat=True)
    own = own.first()
    if own is not None:
        return own
    return (settings or ReportingSettings.load()).monthly_quota


def quotas(sections, settings=None):
    """``{section id: quota}`` for ``sections``, one query (and the settings)."""
    default = (settings or ReportingSettings.load()).monthly_quota
    own = dict(
        SectionQuota.objects.filter(section__in=sections).values_list("section_id", "monthly_quota")
    )
    return {section.pk: own.get(section.pk, default) for section in sections}


def standings(year, month, sections=None, settings=None):
    """Each of ``sections`` (all when ``None``) in the month: sent and quota. Three queries."""
    sections = list(Section.objects.all() if sections is None else sections)
    start, end = Period.month(year, month).moments
    sent = dict(
        Item.objects.sent_between(start, end)
        .of_sections(sections)
        .values("section")
        .annotate(sent=Count("pk"))
        .order_by()
        .values_list("section", "sent")
    )
    quota = quotas(sections, settings)
    return [Standing(section, sent.get(section.pk, 0), quota[section.pk]) for section in sections]


def shortfall(year, month, sections=None, settings=None):
    """The sections (of ``sections``, all when ``None``) below their quota in the month."""
    return [
        standing for standing in standings(year, month, sections, settings) if standing.is_short
    ]


def this_month(now=None):
    """(year, month) of ``now`` in the office's time zone."""
    today = timezone.localdate(now or timezone.now())
    return today.year, today.month
