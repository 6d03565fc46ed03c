"""栏目更新提醒 (第十五条; R-ASSESS-1): the owners of a column are told before it is due and
when it is overdue, and 综合科 when an office-wide count reaches a warning or a 单项否决 line —
each once, not every day the situation lasts. Run every morning by ``tasks.remind_freshness``.

* A column entering its warning window (``FreshnessRule.warn_days`` before the due date): the
  owning section's officers and chief get a notice, once per due date (``FreshnessReminder``).
  A column found already overdue gets the overdue notice only.
* A column becoming overdue: told once more, for the same due date.
* A blank column has no due date: it is not reminded on its own, and counts in the office's
  空白栏目 line.
* An office-wide count (超期, 长期未更新, 空白, and the homepage line) rising to 预警 or to the
  否决线: 综合科's officers and chief are told, once per change of level (``VetoWarning``).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from govsite.notices.delivery import notify
from govsite.sections.models import Section
from govsite.sections.rules import office_section

from . import freshness
from .models import FreshnessReminder, VetoWarning

LEVEL_WORDS = {freshness.LEVEL_WARNING: "预警", freshness.LEVEL_VETO: "已达否决线"}


def _members(sections):
    """``{section id: [its active officers and chiefs]}``, in one query."""
    groups = {}
    for section in sections:
        groups[section.officer_group_id] = section.pk
        groups[section.chief_group_id] = section.pk
    through = get_user_model().groups.through
    members = defaultdict(dict)
    rows = through.objects.filter(group_id__in=groups, user__is_active=True).select_related("user")
    for row in rows:
        members[groups[row.group_id]][row.user_id] = row.user
    return {pk: list(users.values()) for pk, users in members.items()}


def _column_notice(state):
    place = state.full_title
    last = f"{state.last_update:%Y-%m-%d}" if state.last_update else "从未"
    due = f"{state.due:%Y-%m-%d}"
    how = "发布新信息，或确认“已复核，内容仍准确”" if state.by_review else "发布新信息"
    if state.state == freshness.OVERDUE:
        title = f"栏目已超期未更新：{state.title}"
        text = (
            f"栏目“{place}”最近更新于 {last}，按“{state.rule_name}”要求应在 {due} 前更新，"
            f"已超期 {state.days_overdue} 天。请尽快{how}。"
        )
    else:
        title = f"栏目即将到期：{state.title}"
        text = (
            f"栏目“{place}”最近更新于 {last}，按“{state.rule_name}”要求应在 {due} 前更新"
            f"（还有 {state.days_left} 天）。请在到期前{how}。"
        )
    return title, text


def remind_columns(snap):
    """Tell each column's owners once per due date and kind; returns how many columns."""
    due = [s for s in snap.states if s.state in (freshness.DUE_SOON, freshness.OVERDUE)]
    if not due:
        return 0
    told = set(
        FreshnessReminder.objects.filter(
            column_id__in=[s.column_id for s in due], due_on__in={s.due for s in due}
        ).values_list("column_id", "due_on", "kind")
    )
    members = _members(Section.objects.filter(pk__in={s.section_id for s in due}))
    reminded = 0
    for state in due:
        if (state.column_id, state.due, state.state) in told:
            continue
        with transaction.atomic():
            FreshnessReminder.objects.create(
                column_id=state.column_id, due_on=state.due, kind=state.state, sent_at=snap.at
            )
            title, text = _column_notice(state)
            url = reverse("assessment_freshness") + f"?section={state.section_id}"
            for user in members.get(state.section_id, []):
                notify(user, title, text, url)
        reminded += 1
    return reminded


def _line_notice(measure, level, count, line):
    word = LEVEL_WORDS[level]
    if measure == freshness.HOMEPAGE:
        home = line
        if home.last_change is None:
            return f"单项否决{word}：首页没有任何信息", "首页没有任何已发布的信息。"
        text = (
            f"首页最近一次更新在 {home.last_change:%Y-%m-%d}，须在 {home.due:%Y-%m-%d} 前更新"
            f"（{home.max_days} 天内）。"
        )
        if home.state == freshness.OVERDUE:
            text += f"已超期 {home.days_overdue} 天。"
        return f"单项否决{word}：首页更新", text + "请督促各科室发布信息。"
    title = f"单项否决{word}：{line['label']} {count} 个"
    text = (
        f"全办{line['label']} {count} 个"
        f"（预警线 {line['warn_at']} 个，否决线 {line['limit']} 个）。"
        "请在“监督考核 › 栏目更新情况”查看并督促负责科室更新。"
    )
    return title, text


def warn_office(snap):
    """Tell 综合科 of each line whose level rose since it was last told; returns how many."""
    counts = freshness.office_counts(snap=snap)
    current = {line["measure"]: (line["level"], line["count"], line) for line in counts["lines"]}
    home = counts["homepage"]
    current[freshness.HOMEPAGE] = (home.level, home.days_overdue, home)
    latest = {}
    for warning in VetoWarning.objects.filter(measure__in=current).order_by("-sent_at", "-pk"):
        latest.setdefault(warning.measure, warning.level)
    office = office_section()
    recipients = _members([office]).get(office.pk, []) if office else []
    warned = 0
    for measure, (level, count, line) in current.items():
        last = latest.get(measure, freshness.LEVEL_OK)
        if level == last:
            continue
        VetoWarning.objects.create(measure=measure, level=level, count=count, sent_at=snap.at)
        if level == freshness.LEVEL_OK:
            continue
        title, text = _line_notice(measure, level, count, line)
        for user in recipients:
            notify(user, title, text, reverse("assessment_freshness") + "?section=all")
        warned += 1
    return warned


def remind(now=None):
    """Both, as of ``now``: [columns reminded, office lines warned of]."""
    snap = freshness.snapshot(now)
    return [remind_columns(snap), warn_office(snap)]
