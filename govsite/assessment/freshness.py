"""栏目更新 (第十五条; SPEC R-ASSESS-1): the one rule of when a column was last updated, when it
is due, and what the office's counts are against the 单项否决 lines (国办秘函〔2019〕19号).

The rule, decided here and nowhere else:

* A column is a live sub-column whose update rule (``ColumnRule``, else its kind's default in
  ``FreshnessSettings``) is ``assessed``; 沟通信箱 and 满意度调查 are assessed as such elsewhere.
* Its **last update** is the newest ``first_published_at`` of its live items (the pages one
  level below it). An item is counted from its first publication only: publishing an edit of an
  old item is not an update, and an item without a publication time is no update at all (伪造
  或缺少发布时间的信息不算更新). For a rule ``by_review`` (相对固定类), a recorded review
  (``ColumnReview``, "已复核，内容仍准确") counts as an update too.
* A column without a single live item with a publication time is **空白** (blank): it has no
  due date, whatever reviews it has.
* **Due** = the day of the last update + ``max_days``; it is **overdue** from the day after,
  **due soon** within ``warn_days`` before it (the due day included).
* **长期未更新** (stale): overdue, and silent for more than ``stale_multiple`` × ``max_days``
  days (default 2: the column missed its due date by a whole interval again). A stale column is
  counted among the overdue ones too.
* The **homepage** shows the newest items of every column: its last change is the site's
  newest live item, and it must change within ``homepage_max_days``.

Everything is computed as of a moment ``at`` (default now): only items first published and
reviews recorded by then count, so the scores can ask "as of the month's end". (Items live
then but withdrawn since are not known to the tree and do not count.) The computation reads a
fixed number of queries whatever the size of the site: one aggregate over the page tree, grouped
by the sub-column's path prefix, instead of one query per column — and for many moments at
once (``snapshots``: the month-ends of a year) the same queries, grouped by column and by the
interval between the moments, instead of one snapshot per moment.
"""

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db.models import Case, IntegerField, Max, When
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from govsite.columns.models import ContentKind, SubColumnPage, live_structure
from govsite.topics.models import TopicPage

from .models import (
    ColumnReview,
    ColumnRule,
    FreshnessRule,
    FreshnessSettings,
    VetoLine,
)
from .rules import may_review

DATA = Path(__file__).resolve().parent / "data" / "freshness.toml"

OK, DUE_SOON, OVERDUE, BLANK = "ok", "due_soon", "overdue", "blank"
STATE_LABELS = {OK: "正常", DUE_SOON: "即将到期", OVERDUE: "已超期", BLANK: "空白"}
# The most urgent first: the order of the lists.
URGENCY = {OVERDUE: 0, BLANK: 1, DUE_SOON: 2, OK: 3}

LEVEL_OK, LEVEL_WARNING, LEVEL_VETO = "ok", "warning", "veto"
HOMEPAGE = "homepage"


@dataclass(frozen=True)
class ColumnState:
    """One sub-column's freshness as of a moment (第十五条)."""

    column_id: int
    title: str  # the sub-column's title ("工程进展")
    url: str  # its admin (explorer) URL
    section_id: int | None  # owning section
    section_name: str
    rule_name: str
    max_days: int
    last_update: datetime | None  # last counted update (publication or recorded review)
    due: date | None  # last_update + max_days (None when blank)
    state: str  # "ok" | "due_soon" | "overdue" | "blank"
    days_overdue: int  # 0 unless overdue
    # Added beside the shared API:
    stale: bool = False  # 长期未更新: overdue and silent > stale_multiple × max_days
    parent_title: str = ""  # the column above ("工作进展")
    by_review: bool = False  # kept fresh by a recorded review (相对固定类)
    rule_id: int | None = None
    days_left: int | None = None  # days until due (0 on the due day); None when blank/overdue

    @property
    def state_label(self):
        """正常 / 即将到期 / 已超期 N 天 / 空白."""
        if self.state == OVERDUE:
            return f"已超期 {self.days_overdue} 天"
        return STATE_LABELS[self.state]

    @property
    def full_title(self):
        return f"{self.parent_title} › {self.title}" if self.parent_title else self.title


@dataclass(frozen=True)
class HomepageState:
    """The homepage's line: it must change within ``max_days`` (第十五条; 单项否决)."""

    last_change: datetime | None
    due: date | None
    max_days: int
    state: str
    days_overdue: int

    @property
    def level(self):
        if self.state in (OVERDUE, BLANK):
            return LEVEL_VETO
        return LEVEL_WARNING if self.state == DUE_SOON else LEVEL_OK


def _state(last, max_days, warn_days, today):
    """(due, state, days overdue, days left) of a column last updated at ``last``."""
    if last is None:
        return None, BLANK, 0, None
    due = timezone.localdate(last) + timedelta(days=max_days)
    if today > due:
        return due, OVERDUE, (today - due).days, None
    days_left = (due - today).days
    return due, (DUE_SOON if days_left <= warn_days else OK), 0, days_left


def rule_of(column, settings, rules, overrides):
    """The update rule of ``column``: its own (``ColumnRule``), else its kind's default."""
    rule_id = overrides.get(column.pk)
    if rule_id is None:
        fixed = column.content_kind == ContentKind.FIXED
        rule_id = settings.fixed_rule_id if fixed else settings.dynamic_rule_id
    return rules.get(rule_id)


def _newest_by_moment(queryset, key, field, moments):
    """``[{key: newest field ≤ moment}]``, one per moment of ``moments`` (sorted), in one
    grouped query: the newest ``field`` of each group in each interval the moments cut time
    into (up to the first, then each (previous, next]: a row per group and interval), carried
    forward (a running maximum) — whatever the number of moments."""
    rows = queryset.filter(**{f"{field}__lte": moments[-1]}).order_by()
    if len(moments) > 1:
        whens = [When(**{f"{field}__lte": moment}, then=n) for n, moment in enumerate(moments)]
        rows = rows.annotate(interval=Case(*whens, output_field=IntegerField()))
        rows = rows.values(key, "interval")
    else:
        rows = rows.values(key)
    newest_in = defaultdict(dict)  # {key: {interval: newest}}
    for row in rows.annotate(newest=Max(field)):
        newest_in[row[key]][row.get("interval", 0)] = row["newest"]
    newest = [{} for _ in moments]
    for group, by_interval in newest_in.items():
        last = None
        for n, found in enumerate(newest):
            last = by_interval.get(n, last)
            if last is not None:
                found[group] = last
    return newest


def _last_publications(columns, moments):
    """``[{sub-column path: newest first_published_at ≤ moment}]``, one per moment of
    ``moments`` (sorted), of the live items one level below each of ``columns``: one aggregate
    query per depth of sub-columns (one, in this tree), whatever the number of moments. The
    index ``govsite_page_depth_live_published`` (migration 0005) holds every value it reads, so
    the database scans the index rather than the page rows."""
    newest = [{} for _ in moments]
    for depth in {column.depth for column in columns}:
        items = (
            Page.objects.live()
            .filter(depth=depth + 1)
            .annotate(column_path=Substr("path", 1, depth * Page.steplen))
        )
        for found, more in zip(
            newest,
            _newest_by_moment(items, "column_path", "first_published_at", moments),
            strict=True,
        ):
            found.update(more)
    return newest


def _last_reviews(moments):
    """``[{column id: newest review ≤ moment}]``, one per moment (sorted): one query."""
    return _newest_by_moment(ColumnReview.objects.all(), "column_id", "reviewed_at", moments)


@dataclass
class Snapshot:
    """Everything the freshness screens ask, read once: the columns' states, the homepage."""

    at: datetime
    states: list[ColumnState]
    homepage: HomepageState
    settings: FreshnessSettings


def snapshot(at=None, sections=None):
    """The office's freshness as of ``at``, in a fixed number of queries (six, and the
    navigation's structure from the render cache)."""
    return snapshots([at or timezone.now()], sections)[0]


def snapshots(moments, sections=None):
    """The office's freshness as of each of ``moments`` (a list of aware datetimes), in the
    same fixed number of queries as one ``snapshot``: the columns, rules and settings are read
    once (as they are now), the publications and reviews once for all the moments. Returns
    one ``Snapshot`` per moment, in the order given."""
    if not moments:
        return []
    ordered = sorted(set(moments))
    settings = FreshnessSettings.load()
    rules = FreshnessRule.objects.in_bulk()
    overrides = dict(ColumnRule.objects.values_list("column_id", "rule_id"))
    columns = list(
        SubColumnPage.objects.live()
        # 专栏 (govsite/topics): an archived 专栏 is closed to new content, so no update is due.
        .exclude(pk__in=TopicPage.objects.archived().values("pk"))
        .select_related("owner_section")
        .order_by("path")
    )
    # the columns above, from the render cache the public site's navigation keeps
    parents = {page.path: page.title for page in live_structure()}
    publications = dict(zip(ordered, _last_publications(columns, ordered), strict=True))
    reviews = dict(zip(ordered, _last_reviews(ordered), strict=True))
    wanted = None if sections is None else {getattr(s, "pk", s) for s in sections}

    assessed = []  # (column, rule, the state's fields that do not depend on the moment)
    for column in columns:
        rule = rule_of(column, settings, rules, overrides)
        if rule is None or not rule.assessed:
            continue
        if wanted is not None and column.owner_section_id not in wanted:
            continue
        section = column.owner_section
        fixed = {
            "column_id": column.pk,
            "title": column.title,
            "url": reverse("wagtailadmin_explore", args=[column.pk]),
            "section_id": column.owner_section_id,
            "section_name": section.name if section else "",
            "rule_name": rule.name,
            "max_days": rule.max_days,
            "parent_title": parents.get(column.path[: -Page.steplen], ""),
            "by_review": rule.by_review,
            "rule_id": rule.pk,
        }
        assessed.append((column, rule, fixed))
    dynamic = rules.get(settings.dynamic_rule_id)
    # The homepage is warned of as a dynamic column is (its default rule's warning days).
    warn_days = dynamic.warn_days if dynamic is not None else 0
    return [
        _snapshot_at(at, assessed, publications[at], reviews[at], settings, warn_days)
        for at in moments
    ]


def _snapshot_at(at, assessed, newest, reviews, settings, homepage_warn_days):
    """One moment's ``Snapshot`` from what ``snapshots`` read: the rule of 第十五条 applied."""
    today = timezone.localdate(at)
    states = []
    for column, rule, fixed in assessed:
        published = newest.get(column.path)
        last = published
        if rule.by_review and published is not None:
            reviewed = reviews.get(column.pk)
            if reviewed is not None and reviewed > published:
                last = reviewed
        due, state, days_overdue, days_left = _state(last, rule.max_days, rule.warn_days, today)
        stale = (
            state == OVERDUE
            and (today - timezone.localdate(last)).days > settings.stale_multiple * rule.max_days
        )
        states.append(
            ColumnState(
                **fixed,
                last_update=last,
                due=due,
                state=state,
                days_overdue=days_overdue,
                stale=stale,
                days_left=days_left,
            )
        )
    homepage_last = max(newest.values(), default=None)
    due, state, days_overdue, _ = _state(
        homepage_last, settings.homepage_max_days, homepage_warn_days, today
    )
    homepage = HomepageState(homepage_last, due, settings.homepage_max_days, state, days_overdue)
    return Snapshot(at=at, states=states, homepage=homepage, settings=settings)


def column_states(at=None, sections=None) -> list[ColumnState]:
    """Every live sub-column's state as of ``at`` (default now), optionally only those owned by
    ``sections``: a fixed number of queries at any size (100,000 pages)."""
    return snapshot(at, sections).states


def column_states_at(moments, sections=None) -> dict:
    """``{moment: [ColumnState]}`` for each of ``moments`` (e.g. the month-ends of a year),
    optionally only the columns owned by ``sections``: read once for all the moments, in the
    queries of one ``column_states``."""
    return {snap.at: snap.states for snap in snapshots(moments, sections)}


def by_urgency(states):
    """Overdue (longest first), then blank, then due soon (soonest first), then the rest."""
    return sorted(
        states,
        key=lambda s: (URGENCY[s.state], -s.days_overdue, s.due or date.max, s.column_id),
    )


def counts(states):
    """How many columns are in each state, and how many are stale."""
    totals = {OK: 0, DUE_SOON: 0, OVERDUE: 0, BLANK: 0, "stale": 0}
    for state in states:
        totals[state.state] += 1
        totals["stale"] += state.stale
    return totals


def level_of(count, line):
    """ok / warning / veto of ``count`` against a 单项否决 line."""
    if count >= line.limit:
        return LEVEL_VETO
    return LEVEL_WARNING if count >= line.warn_at else LEVEL_OK


def office_counts(at=None, snap=None) -> dict:
    """The office-wide counts against the 单项否决 lines (≥ 5 overdue, ≥ 10 stale, ≥ 5 blank,
    homepage 2 weeks), each with its warning line well before the limit:

    ``{"at", "overdue", "stale", "blank", "due_soon", "ok", "homepage": HomepageState,
    "homepage_last_change", "homepage_due", "lines": [{"measure", "label", "count", "limit",
    "warn_at", "level"}], "level", "vetoes", "warnings"}`` — ``level`` the worst of the lines and
    the homepage, ``vetoes`` and ``warnings`` the names of those at each level."""
    snap = snap or snapshot(at)
    totals = counts(snap.states)
    lines = [
        {
            "measure": line.measure,
            "label": line.get_measure_display(),
            "count": totals[line.measure],
            "limit": line.limit,
            "warn_at": line.warn_at,
            "level": level_of(totals[line.measure], line),
        }
        for line in VetoLine.objects.all()
    ]
    levels = [line["level"] for line in lines] + [snap.homepage.level]
    named = [(line["label"], line["level"]) for line in lines]
    named.append(("首页更新", snap.homepage.level))
    worst = (
        LEVEL_VETO
        if LEVEL_VETO in levels
        else (LEVEL_WARNING if LEVEL_WARNING in levels else LEVEL_OK)
    )
    return {
        "at": snap.at,
        **totals,
        "homepage": snap.homepage,
        "homepage_last_change": snap.homepage.last_change,
        "homepage_due": snap.homepage.due,
        "lines": lines,
        "level": worst,
        "vetoes": [label for label, level in named if level == LEVEL_VETO],
        "warnings": [label for label, level in named if level == LEVEL_WARNING],
    }


# Recording a review ------------------------------------------------------------------------------


class ReviewRefused(Exception):
    """A review that may not be recorded, with the Chinese sentence saying why."""


def record_review(column, user, note="", at=None):
    """ "已复核，内容仍准确" (第十五条: 相对固定性信息应适时更新): the owner of a column kept by
    review records one; returns the column's state after it. Who may is ``rules.may_review``."""
    if not may_review(user, column):
        raise ReviewRefused("只有该栏目负责科室的信息员和科长可以确认复核。")
    settings = FreshnessSettings.load()
    rule = rule_of(
        column,
        settings,
        FreshnessRule.objects.in_bulk(),
        dict(ColumnRule.objects.filter(column=column).values_list("column_id", "rule_id")),
    )
    if rule is None or not rule.by_review:
        raise ReviewRefused(f"栏目“{column.title}”按发布信息计算更新，不能以复核代替更新。")
    ColumnReview.objects.create(
        column=column, reviewed_by=user, reviewed_at=at or timezone.now(), note=note
    )
    states = [s for s in column_states(at, [column.owner_section_id]) if s.column_id == column.pk]
    return states[0] if states else None


# The rules of the bootstrapped columns (data/freshness.toml) ------------------------------------


def load_spec(path=DATA):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def apply_column_rules(spec=None):
    """Give the bootstrapped columns named in ``[columns]`` their rule where nothing is set yet
    (idempotent: what 综合科 changed in the admin stays). Returns what was set, as lines for
    the bootstrap's report. The supervising section is 综合科, marked in 科室
    (``sections.rules.office_section``)."""
    spec = spec or load_spec()
    done = []
    rules = {rule.name: rule for rule in FreshnessRule.objects.all()}
    by_slug = spec.get("columns", {})
    if not by_slug:
        return done
    has_rule = set(ColumnRule.objects.values_list("column_id", flat=True))
    for column in SubColumnPage.objects.filter(slug__in=by_slug).order_by("path"):
        rule = rules.get(by_slug[column.slug])
        if rule is None or column.pk in has_rule:
            continue
        ColumnRule.objects.create(column=column, rule=rule)
        done.append(f"栏目「{column.title}」的更新要求：{rule.name}")
    return done
