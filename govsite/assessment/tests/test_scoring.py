"""R-ASSESS-2 (第二十一、二十二条): each measure's deduction and its line, caps and floors,
effective-dated rule sets, closing a month, quarter and year roll-ups. Explicit months; the
clock is passed in (``now``)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govsite.reporting import reports
from govsite.reporting.models import ReportingSettings, SectionQuota
from govsite.screening.models import ProhibitedCategory, ProhibitedTerm, SeriousError
from govsite.sections.models import Section
from govsite.testing.helpers import section, sub_column

from .. import scoring
from ..models import ClosedMonth, MonthScore, RuleSet
from .factories import adopt, at, instruct, late_letter, rule_set, screened_out, sent_item

NOW = at(date(2026, 12, 6))
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def mishu(site_tree):
    return section("秘书科")


def row(scores, name):
    return next(r for r in scores.rows if r.section.name == name)


def item(scores, name, measure):
    return row(scores, name).item(measure)


def test_the_default_rule_set_adds_up_to_100(db):
    rule_set = RuleSet.objects.get(effective_from=date(2026, 1, 1))
    weights = {r.measure: r.weight for r in rule_set.rules.all()}
    assert sum(weights.values()) == rule_set.full_marks == 100
    assert weights == {
        "freshness": 30,
        "quota": 20,
        "adoption": 20,
        "screening_returns": 10,
        "serious_errors": 10,
        "letters": 10,
        "corrections": 0,
    }


def test_a_section_that_sent_nothing_loses_the_quota(mishu):
    scores = scoring.month_scores(OCTOBER, now=NOW)
    quota = item(scores, "秘书科", "quota")
    assert quota.score == 10
    assert quota.lines == ["10月报送 0 条，少于定额 1 条 −10"]


def test_the_quota_is_the_sections_own_when_set(mishu):
    SectionQuota.objects.create(section=mishu, monthly_quota=3)
    sent_item(mishu, date(2026, 10, 5))
    quota = item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "quota")
    assert quota.lines == ["10月报送 1 条，少于定额 2 条 −20"]
    assert quota.score == 0  # never below 0
    assert "扣分超过本项分值" not in quota.lines[0]


def test_an_item_counts_in_the_month_it_was_sent_in_the_offices_time_zone(mishu):
    # 1 November 00:30 in Shanghai is still 31 October in UTC: it counts in November.
    sent_item(mishu, date(2026, 11, 1)).__class__.objects.update(
        sent_at=at(date(2026, 11, 1), hour=0).replace(minute=30)
    )
    assert item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "quota").score == 10
    november = scoring.month_scores(date(2026, 11, 1), now=NOW)
    assert item(november, "秘书科", "quota").score == 20
    assert row(november, "秘书科").figures["submitted"] == 1


def test_adoption_points_earn_up_to_the_weight(mishu):
    first = sent_item(mishu, date(2026, 10, 2))
    second = sent_item(mishu, date(2026, 10, 3))
    adopt(first, date(2026, 10, 8), "区信息刊物", "5")
    adopt(first, date(2026, 10, 9), "市级刊物", "10")
    instruct(second, date(2026, 10, 20), "区领导", "5")
    adoption = item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "adoption")
    assert adoption.score == 20
    assert adoption.lines == ["采用积分 20 → +20"]
    adopt(second, date(2026, 10, 21), "本站", "1")
    adoption = item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "adoption")
    assert adoption.score == 20
    assert adoption.lines == ["采用积分 21 → +20（上限 20）"]


def test_adoption_points_count_in_the_month_the_item_was_sent_as_in_the_bulletin(mishu):
    adopt(sent_item(mishu, date(2026, 10, 30)), date(2026, 11, 3), "市级刊物", "10")
    october = item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "adoption")
    assert october.lines == ["采用积分 10 → +10"]
    november = scoring.month_scores(date(2026, 11, 1), now=NOW)
    assert item(november, "秘书科", "adoption").score == 0
    bulletin = reports.bulletin(reports.Period.month(2026, 10))
    assert next(line for line in bulletin.lines if line.section == mishu).points == 10


def test_without_adding_up_an_item_earns_its_best_outlet_only(mishu):
    settings = ReportingSettings.load()
    settings.outlets_add_up = False
    settings.save()
    first = sent_item(mishu, date(2026, 10, 2))
    adopt(first, date(2026, 10, 8), "区信息刊物", "5")
    adopt(first, date(2026, 10, 9), "市级刊物", "10")
    adoption = item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "adoption")
    assert (adoption.score, adoption.lines) == (10, ["采用积分 10 → +10"])


def test_letters_not_answered_by_their_deadline_deduct_in_the_deadlines_month(mishu):
    late_letter(mishu, date(2026, 10, 10), replied_on=date(2026, 10, 12))  # answered late
    late_letter(mishu, date(2026, 10, 20))  # still open
    late_letter(mishu, date(2026, 10, 25), replied_on=date(2026, 10, 25))  # on time
    late_letter(mishu, date(2026, 11, 25), replied_on=date(2026, 11, 30))  # November's
    letters = item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "letters")
    assert (letters.score, letters.lines) == (6, ["来信超期未办结 2 件 −4"])


def test_an_open_letter_counts_only_once_its_deadline_has_passed(mishu):
    late_letter(mishu, date(2026, 12, 20))
    december = scoring.month_scores(date(2026, 12, 1), now=NOW)
    assert item(december, "秘书科", "letters").score == 10
    assert december.provisional


def test_screening_returns_and_serious_errors(mishu, site_tree):
    category = ProhibitedCategory.objects.first()
    ProhibitedTerm.objects.create(text="违禁词语", category=category)
    SeriousError.objects.create(wrong="中华人民共和过", right="中华人民共和国")
    column = sub_column("折子工程")
    screened_out(column, date(2026, 10, 5), text="这里有违禁词语。")
    screened_out(column, date(2026, 10, 6), text="这里有违禁词语。", title="第二篇")
    screened_out(column, date(2026, 10, 7), text="中华人民共和过成立。", title="第三篇")
    screened_out(column, date(2026, 11, 7), text="这里有违禁词语。", title="十一月的")
    scores = scoring.month_scores(OCTOBER, now=NOW)
    returns = item(scores, "秘书科", "screening_returns")
    serious = item(scores, "秘书科", "serious_errors")
    assert (returns.score, returns.lines) == (8, ["自动审查退回 2 次 −2"])
    assert (serious.score, serious.lines) == (5, ["因严重错别字被退回 1 次 −5"])


@dataclass
class State:
    column_id: int
    title: str
    section_id: int
    state: str
    days_overdue: int = 0


def test_overdue_and_blank_columns_deduct_with_their_days(mishu, monkeypatch):
    asked = []

    def column_states_at(moments, sections=None):
        asked.extend(moments)
        states = [
            State(1, "工程进展", mishu.pk, "overdue", 3),
            State(2, "会议纪要", mishu.pk, "blank"),
            State(3, "秘书科工作", mishu.pk, "ok"),
        ]
        return {moment: states for moment in moments}

    monkeypatch.setattr(scoring, "column_states_at", column_states_at)
    freshness = item(scoring.month_scores(OCTOBER, now=NOW), "秘书科", "freshness")
    assert freshness.lines == ["工程进展 超期 3 天 −2", "会议纪要 空白 −2"]
    assert freshness.score == 26
    # judged at the end of October (in the office's time zone)
    assert asked[0].date() == date(2026, 10, 31)


def test_totals_rank_equal_totals_together(mishu, columns_kept_fresh):
    sent_item(mishu, date(2026, 10, 5))
    scores = scoring.month_scores(OCTOBER, now=NOW)
    assert scores.rows[0].section.name == "秘书科"
    assert (scores.rows[0].rank, scores.rows[0].total) == (1, Decimal("80.00"))
    assert {r.rank for r in scores.rows[1:]} == {2}
    assert all(r.total == 70 for r in scores.rows[1:])


def test_a_later_rule_set_applies_from_its_month_only(mishu):
    rule_set(date(2026, 10, 1), quota=(50, 25), letters=(50, 1))
    september = scoring.month_scores(date(2026, 9, 1), now=NOW)
    october = scoring.month_scores(OCTOBER, now=NOW)
    assert [m for m, _n, _w in september.measures][:2] == ["freshness", "quota"]
    assert [m for m, _n, _w in october.measures] == ["quota", "letters"]
    assert item(october, "秘书科", "quota").lines == ["10月报送 0 条，少于定额 1 条 −25"]
    assert row(october, "秘书科").total == 75  # 25 + 50


def test_no_rule_set_no_scores(mishu):
    assert scoring.month_scores(date(2025, 12, 1), now=NOW).rows == []


def test_future_months_are_not_scored(mishu):
    assert scoring.month_scores(date(2027, 1, 1), now=NOW).rows == []


def test_weights_that_do_not_add_up_are_named():
    assert scoring.weights_problem(Decimal("100"), [Decimal("30"), Decimal("60")]) == (
        "各考核项目的分值合计为 90 分，与满分 100 分不符，请调整后再保存。"
    )
    assert scoring.weights_problem(Decimal("100"), [Decimal("40"), Decimal("60")]) is None


# Closing a month ----------------------------------------------------------------------------


def test_a_closed_month_keeps_its_scores_whatever_happens_later(mishu, make_user):
    chief = make_user("zonghe_kz", "综合科-科长")
    closed = scoring.close_month(OCTOBER, chief, now=NOW)
    assert closed.closed_by == chief and closed.rule_set.effective_from == date(2026, 1, 1)
    assert MonthScore.objects.filter(closed_month=closed).count() == Section.objects.count()
    before = scoring.month_scores(OCTOBER, now=NOW)
    # later edits: an item sent and adopted in October, a late letter
    late = sent_item(mishu, date(2026, 10, 15))
    adopt(late, date(2026, 10, 16), "市级刊物", "10")
    late_letter(mishu, date(2026, 10, 20))
    after = scoring.month_scores(OCTOBER, now=NOW)
    assert after.closed
    assert [(r.section.name, r.total, r.rank) for r in after.rows] == [
        (r.section.name, r.total, r.rank) for r in before.rows
    ]
    assert item(after, "秘书科", "quota").lines == ["10月报送 0 条，少于定额 1 条 −10"]
    assert item(after, "秘书科", "adoption").score == 0


def test_closing_twice_the_current_or_a_future_month_is_refused(mishu, make_user):
    chief = make_user("zonghe_kz", "综合科-科长")
    scoring.close_month(OCTOBER, chief, now=NOW)
    with pytest.raises(ValidationError, match="2026年10月已经关账，不能重复关账。"):
        scoring.close_month(OCTOBER, chief, now=NOW)
    with pytest.raises(ValidationError, match="2026年12月尚未结束，不能关账"):
        scoring.close_month(date(2026, 12, 1), chief, now=NOW)
    with pytest.raises(ValidationError, match="尚未结束"):
        scoring.close_month(date(2027, 2, 1), chief, now=NOW)
    assert ClosedMonth.objects.count() == 1


def test_a_rule_set_that_does_not_add_up_cannot_close_a_month(mishu, make_user):
    rule_set(date(2026, 10, 1), quota=(50, 25), letters=(40, 1))
    with pytest.raises(ValidationError, match="分值合计为 90 分，与满分 100 分不符"):
        scoring.close_month(OCTOBER, None, now=NOW)
    assert not ClosedMonth.objects.exists()


# Quarter and year ---------------------------------------------------------------------------


def test_a_quarter_is_the_average_of_its_months(mishu, columns_kept_fresh):
    sent_item(mishu, date(2026, 10, 5))
    sent_item(mishu, date(2026, 11, 5))
    # October 80, November 80, December (to 6 Dec, nothing sent) 70 → 76.67
    quarter = scoring.quarter_scores(2026, 4, now=NOW)
    top = row(quarter, "秘书科")
    assert top.total == Decimal("76.67") and top.rank == 1
    assert list(top.months.values()) == [80, 80, 70]
    assert top.item("quota").score == Decimal("16.67")
    assert top.item("quota").lines == ["12月：12月报送 0 条，少于定额 1 条 −10"]
    assert quarter.provisional


def test_a_year_averages_the_months_begun_and_uses_each_months_rule_set(mishu, columns_kept_fresh):
    rule_set(date(2026, 7, 1), quota=(100, 100))
    year = scoring.year_scores(2026, now=NOW)
    mishu_row = row(year, "秘书科")
    assert len(mishu_row.months) == 12
    # January–June: 70 each (nothing sent); July–December: 0 each → 35
    assert mishu_row.total == 35
    assert len(year.rule_sets) == 2


def test_scores_are_narrowed_to_the_sections_given(mishu):
    scores = scoring.month_scores(OCTOBER, sections=[mishu], now=NOW)
    assert [r.section.name for r in scores.rows] == ["秘书科"]


def test_freshness_reads_the_columns_at_the_end_of_the_month(site_tree):
    """With the real ``freshness.column_states_at`` (skipped until it is merged): 工程进展
    (督查室, 14 days) last published on 1 October is overdue by 16 days at the end of October;
    in September it was blank. The section's other blank columns deduct too."""
    pytest.importorskip("govsite.assessment.freshness")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from govsite.columns.models import ArticlePage

    column = sub_column("工程进展")
    when = datetime(2026, 10, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    column.add_child(
        instance=ArticlePage(
            title="进展", slug="jinzhan", live=True, first_published_at=when, last_published_at=when
        )
    )
    freshness = item(scoring.month_scores(OCTOBER, now=NOW), "督查室", "freshness")
    assert "工程进展 超期 16 天 −2" in freshness.lines
    assert freshness.score == max(30 - 2 * len(freshness.lines), 0)
    september = item(scoring.month_scores(date(2026, 9, 1), now=NOW), "督查室", "freshness")
    assert "工程进展 空白 −2" in september.lines


def test_the_years_freshness_is_read_once_for_all_its_months(site_tree):
    """The yearly scores judge every month's columns at its end from one freshness read: the
    year costs the same queries in December (12 months begun) as in February (2)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import published

    published(sub_column("工程进展"), at(date(2026, 1, 25)))  # due 8 February
    december, february = at(date(2026, 12, 20)), at(date(2026, 2, 20))
    scoring.year_scores(2026, now=december)  # caches warmed (content types, the navigation)
    counted = {}
    for name, now in (("february", february), ("december", december)):
        with CaptureQueriesContext(connection) as context:
            scores = scoring.year_scores(2026, now=now)
        counted[name] = (len(context.captured_queries), len(scores.months))
    assert counted["february"][1] == 2 and counted["december"][1] == 12
    assert counted["february"][0] == counted["december"][0], counted
    lines = item(scoring.year_scores(2026, now=december), "督查室", "freshness").lines
    assert not [line for line in lines if line.startswith("1月：工程进展")]
    assert "2月：工程进展 超期 20 天 −2" in lines
