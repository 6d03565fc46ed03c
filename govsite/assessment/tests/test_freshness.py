"""The freshness rule (第十五条; R-ASSESS-1) as of explicit moments: each kind of rule at its
boundaries, an item without a publication time, a blank column, a review, a column's own rule,
the homepage, a past moment, and the office's counts against the 单项否决 lines."""

from datetime import date

import pytest

from govsite.assessment import freshness
from govsite.assessment.models import ColumnRule, FreshnessRule, FreshnessSettings, VetoLine
from govsite.testing.helpers import sub_column

from .factories import moment, published, published_through_editor, reviewed, undated

pytestmark = pytest.mark.django_db


def state_of(column, at):
    [state] = [s for s in freshness.column_states(at) if s.column_id == column.pk]
    return state


@pytest.fixture
def gcjz(site_tree):
    """工程进展: a dynamic column (动态、要闻类, 14 days, warned 3 days before)."""
    return sub_column("工程进展")


def test_defaults_are_data(site_tree):
    rules = {rule.name: rule for rule in FreshnessRule.objects.all()}
    assert rules["动态、要闻类"].max_days == 14
    assert rules["通知公告、政策文件类"].max_days == 183
    assert rules["人事、规划计划类"].max_days == 365
    assert rules["相对固定类"].by_review and rules["相对固定类"].max_days == 365
    lines = {line.measure: (line.limit, line.warn_at) for line in VetoLine.objects.all()}
    assert lines == {"overdue": (5, 3), "stale": (10, 6), "blank": (5, 3)}
    settings = FreshnessSettings.load()
    assert settings.dynamic_rule.name == "动态、要闻类"
    assert settings.fixed_rule.name == "相对固定类"
    assert settings.homepage_max_days == 14


def test_bootstrapped_columns_get_their_rules_from_the_data_file(site_tree):
    assert ColumnRule.objects.get(column=sub_column("政府文件")).rule.name == "通知公告、政策文件类"
    assert ColumnRule.objects.get(column=sub_column("人事任免")).rule.name == "人事、规划计划类"
    titles = {state.title: state.rule_name for state in freshness.column_states()}
    assert titles["工程进展"] == "动态、要闻类"  # its kind's default
    assert titles["办公室简介"] == "相对固定类"
    assert "沟通信箱" not in titles and "服务满意度调查" not in titles  # assessed elsewhere


def test_applying_the_data_again_keeps_what_the_office_changed(site_tree):
    column_rule = ColumnRule.objects.get(column=sub_column("政府文件"))
    column_rule.rule = FreshnessRule.objects.get(name="动态、要闻类")
    column_rule.save()
    assert freshness.apply_column_rules() == []
    assert ColumnRule.objects.get(column=sub_column("政府文件")).rule.name == "动态、要闻类"


def test_dynamic_column_day_14_ok_day_15_overdue(gcjz):
    published(gcjz, moment(2026, 3, 1))
    assert state_of(gcjz, moment(2026, 3, 10)).state == "ok"
    soon = state_of(gcjz, moment(2026, 3, 12))  # 3 days before the due date: warned
    assert (soon.state, soon.due, soon.days_left) == ("due_soon", date(2026, 3, 15), 3)
    day_14 = state_of(gcjz, moment(2026, 3, 15, 23))
    assert (day_14.state, day_14.days_overdue) == ("due_soon", 0)
    day_15 = state_of(gcjz, moment(2026, 3, 16, 0))
    assert (day_15.state, day_15.days_overdue, day_15.state_label) == ("overdue", 1, "已超期 1 天")
    assert state_of(gcjz, moment(2026, 3, 11)).state == "ok"  # 4 days before: not yet


def test_notice_column_six_months(site_tree):
    column = sub_column("政府文件")
    published(column, moment(2026, 1, 1))
    assert state_of(column, moment(2026, 7, 3)).state == "due_soon"  # due 2026-07-03
    overdue = state_of(column, moment(2026, 7, 4))
    assert (overdue.state, overdue.days_overdue, overdue.stale) == ("overdue", 1, False)


def test_personnel_column_one_year_and_stale_after_a_second_year(site_tree):
    column = sub_column("人事任免")
    published(column, moment(2025, 1, 1))
    assert state_of(column, moment(2026, 1, 1)).state == "due_soon"
    late = state_of(column, moment(2026, 1, 2))
    assert (late.state, late.stale) == ("overdue", False)
    # 长期未更新: silent for more than 2 × 365 days
    assert state_of(column, moment(2026, 12, 31)).stale is False
    assert state_of(column, moment(2027, 1, 2)).stale is True


def test_an_edit_of_an_old_item_is_not_an_update(gcjz):
    item = published_through_editor(gcjz, moment(2026, 3, 1))
    item.refresh_from_db()
    item.title = "改过的标题"
    item.save_revision().publish()  # an edit republished today: first_published_at stays
    assert state_of(gcjz, moment(2026, 3, 20)).last_update == moment(2026, 3, 1)


def test_an_item_without_publication_time_is_no_update(gcjz):
    undated(gcjz)
    assert state_of(gcjz, moment(2026, 3, 1)).state == "blank"
    published(gcjz, moment(2026, 1, 1))
    undated(gcjz, "又一条无时间")
    late = state_of(gcjz, moment(2026, 3, 1))
    assert (late.state, late.last_update) == ("overdue", moment(2026, 1, 1))


def test_a_column_with_nothing_is_blank(gcjz):
    blank = state_of(gcjz, moment(2026, 3, 1))
    assert (blank.state, blank.due, blank.last_update, blank.state_label) == (
        "blank",
        None,
        None,
        "空白",
    )


def test_a_draft_or_withdrawn_item_does_not_count(gcjz):
    item = published(gcjz, moment(2026, 3, 1))
    item.unpublish()
    assert state_of(gcjz, moment(2026, 3, 2)).state == "blank"


def test_fixed_column_kept_fresh_by_a_review(site_tree):
    column = sub_column("办公室简介")
    published(column, moment(2024, 6, 1))
    assert state_of(column, moment(2025, 6, 2)).state == "overdue"
    reviewed(column, moment(2025, 6, 2))
    after = state_of(column, moment(2025, 6, 3))
    assert (after.state, after.last_update, after.due) == (
        "ok",
        moment(2025, 6, 2),
        date(2026, 6, 2),
    )
    # a review does not fill a blank column
    empty = sub_column("机构职能")
    reviewed(empty, moment(2025, 6, 2))
    assert state_of(empty, moment(2025, 6, 3)).state == "blank"


def test_a_review_does_not_count_for_a_dynamic_column(gcjz):
    published(gcjz, moment(2026, 3, 1))
    reviewed(gcjz, moment(2026, 3, 20))
    assert state_of(gcjz, moment(2026, 3, 21)).state == "overdue"


def test_a_columns_own_rule_overrides_its_kind(gcjz):
    published(gcjz, moment(2026, 3, 1))
    ColumnRule.objects.create(column=gcjz, rule=FreshnessRule.objects.get(name="人事、规划计划类"))
    state = state_of(gcjz, moment(2026, 4, 1))
    assert (state.state, state.rule_name, state.max_days) == ("ok", "人事、规划计划类", 365)


def test_as_of_a_past_moment(gcjz):
    published(gcjz, moment(2026, 3, 1))
    published(gcjz, moment(2026, 4, 1))
    reviewed(sub_column("办公室简介"), moment(2026, 4, 1))
    march_end = state_of(gcjz, moment(2026, 3, 31, 23))
    assert (march_end.last_update, march_end.state, march_end.days_overdue) == (
        moment(2026, 3, 1),
        "overdue",
        16,
    )
    assert state_of(gcjz, moment(2026, 2, 28)).state == "blank"
    assert state_of(gcjz, moment(2026, 4, 2)).state == "ok"


def test_only_the_sections_asked_for(site_tree):
    states = freshness.column_states(
        moment(2026, 3, 1), sections=[sub_column("工程进展").owner_section]
    )
    assert {state.title for state in states} == {"工程进展"}
    assert {state.section_name for state in states} == {"督查室"}


def test_homepage_line(gcjz):
    published(gcjz, moment(2026, 3, 1))
    published(sub_column("政府文件"), moment(2026, 3, 5))
    home = freshness.office_counts(moment(2026, 3, 10))["homepage"]
    assert (home.last_change, home.due, home.state, home.level) == (
        moment(2026, 3, 5),
        date(2026, 3, 19),
        "ok",
        "ok",
    )
    assert freshness.office_counts(moment(2026, 3, 17))["homepage"].level == "warning"
    late = freshness.office_counts(moment(2026, 3, 20))["homepage"]
    assert (late.state, late.days_overdue, late.level) == ("overdue", 1, "veto")


def _lines(at):
    counts = freshness.office_counts(at)
    return {line["measure"]: (line["count"], line["level"]) for line in counts["lines"]}, counts


def test_veto_lines_warn_before_the_limit(site_tree):
    dynamic = [sub_column("工程进展"), sub_column("工作动态"), sub_column("办公室折子工程进展")]
    at = moment(2026, 6, 1)
    # every other assessed column has something recent: only these can be overdue
    for state in freshness.column_states(at):
        if state.column_id not in {column.pk for column in dynamic}:
            published(sub_column(state.title), moment(2026, 5, 31))
    lines, counts = _lines(at)
    assert lines["overdue"] == (0, "ok") and lines["blank"] == (3, "warning")
    for column in dynamic[:2]:
        published(column, moment(2026, 5, 1))
    lines, counts = _lines(at)
    assert lines["overdue"] == (2, "ok") and lines["blank"] == (1, "ok")
    published(dynamic[2], moment(2026, 5, 1))
    lines, counts = _lines(at)
    assert lines["overdue"] == (3, "warning")  # warn_at 3, well before the limit 5
    assert counts["level"] == "warning"
    VetoLine.objects.filter(measure="overdue").update(limit=3, warn_at=2)
    lines, counts = _lines(at)
    assert lines["overdue"] == (3, "veto") and counts["level"] == "veto"


def test_stale_count(site_tree):
    at = moment(2026, 6, 1)
    published(sub_column("工程进展"), moment(2026, 4, 1))  # 61 days > 2 × 14: stale
    published(sub_column("工作动态"), moment(2026, 5, 10))  # 22 days: overdue, not stale
    counts = freshness.office_counts(at)
    stale = {s.title for s in freshness.column_states(at) if s.stale}
    assert stale == {"工程进展"}
    assert counts["stale"] == 1 and counts["overdue"] >= 2


def test_warn_line_must_be_below_the_limit():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        VetoLine(measure="overdue", limit=5, warn_at=5).full_clean(validate_unique=False)


def _queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        result = function()
    return result, len(context.captured_queries)


def test_many_moments_are_read_at_once_and_each_is_its_own_moment(gcjz):
    """``snapshots`` (the month-ends of a year for the scores) reads in the queries of one
    ``snapshot`` and finds, for each moment, exactly what ``snapshot`` finds at it: items and
    reviews counted up to and including the moment, none after it."""
    published(gcjz, moment(2026, 3, 1))
    published(gcjz, moment(2026, 4, 1))
    published(gcjz, moment(2026, 5, 31, 23))  # exactly at a moment asked below
    undated(gcjz)
    fixed = sub_column("办公室简介")
    published(fixed, moment(2025, 1, 1))
    reviewed(fixed, moment(2026, 2, 10))
    reviewed(fixed, moment(2026, 4, 20))
    published(sub_column("政府文件"), moment(2026, 7, 5))  # after every moment below
    moments = [moment(2026, 5, 31, 23), moment(2026, 1, 31, 23), moment(2026, 2, 28, 23)]
    moments += [moment(2026, 3, 31, 23), moment(2026, 4, 30, 23), moment(2026, 6, 30, 23)]
    freshness.snapshot(moments[0])  # the navigation's structure into the render cache

    one, one_queries = _queries(lambda: freshness.snapshot(moments[0]))
    many, many_queries = _queries(lambda: freshness.snapshots(moments))
    assert many_queries == one_queries
    assert [snap.at for snap in many] == moments
    for at, snap in zip(moments, many, strict=True):
        alone = freshness.snapshot(at)
        assert snap.states == alone.states, at
        assert snap.homepage == alone.homepage, at
    assert many[0].states == one.states
    by_moment = freshness.column_states_at(moments)
    assert [s for s in by_moment[moments[0]] if s.column_id == gcjz.pk][0].last_update == (
        moment(2026, 5, 31, 23)
    )
    [april] = [s for s in by_moment[moment(2026, 4, 30, 23)] if s.column_id == fixed.pk]
    assert (april.last_update, april.state) == (moment(2026, 4, 20), "ok")
    [january] = [s for s in by_moment[moment(2026, 1, 31, 23)] if s.column_id == fixed.pk]
    assert (january.last_update, january.state) == (moment(2025, 1, 1), "overdue")
    [blank] = [s for s in by_moment[moment(2026, 2, 28, 23)] if s.column_id == gcjz.pk]
    assert blank.state == "blank"
