"""The 通报's figures (R-INFO-3; 第十六、二十二条): which period an item counts in, 采用, points
adding up or the highest only, 累计积分, ranks, quotas and the shortfall."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsite.sections.models import Section
from govsite.testing.helpers import section

from .. import reports
from ..models import Item
from ..reports import Period
from .factories import adopt, at, instruct, outlet, quota, sent_item, settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def mishu(site_tree):
    return section("秘书科")


@pytest.fixture
def wenshu(site_tree):
    return section("文书科")


def line_of(bulletin, sec):
    return next(line for line in bulletin.lines if line.section == sec)


def test_periods_and_their_names():
    assert str(Period.month(2026, 3)) == "2026年3月"
    assert str(Period.quarter(2026, 1)) == "2026年第一季度"
    assert str(Period.whole_year(2026)) == "2026年"
    assert Period.quarter(2026, 4).first.isoformat() == "2026-10-01"
    assert Period.quarter(2026, 1).last.isoformat() == "2026-03-31"
    assert Period.month(2028, 2).last.isoformat() == "2028-02-29"
    assert Period.containing(at(2026, 8, 15).date(), reports.QUARTER) == Period.quarter(2026, 3)
    with pytest.raises(ValueError):
        Period.month(2026, 13)
    with pytest.raises(ValueError):
        Period("week", 2026, 1)


def test_an_item_sent_at_23_59_on_the_31st_counts_in_that_month(mishu):
    sent_item(mishu, at(2026, 3, 31, 23, 59))
    sent_item(mishu, at(2026, 4, 1, 0, 0))
    assert line_of(reports.bulletin(Period.month(2026, 3)), mishu).sent == 1
    assert line_of(reports.bulletin(Period.month(2026, 4)), mishu).sent == 1
    # In UTC the first is 15:59 on the 31st and the second 16:00: still March and April.
    assert reports.standings(2026, 3, [mishu])[0].sent == 1


def test_drafts_and_items_waiting_for_the_chief_do_not_count(mishu):
    Item.objects.create(section=mishu, kind=sent_item(mishu, None).kind, title="草稿")
    assert line_of(reports.bulletin(Period.month(2026, 3)), mishu).sent == 0


def test_quarter_and_year_roll_up_the_months(mishu):
    for month in (1, 2, 3, 4, 12):
        item = sent_item(mishu, at(2026, month, 10))
        adopt(item, outlet("区信息刊物", "3"))
    sent_item(mishu, at(2025, 12, 31, 23, 59))
    first = line_of(reports.bulletin(Period.quarter(2026, 1)), mishu)
    assert (first.sent, first.adopted, first.points) == (3, 3, Decimal(9))
    year = line_of(reports.bulletin(Period.whole_year(2026)), mishu)
    assert (year.sent, year.points, year.cumulative) == (5, Decimal(15), Decimal(15))
    april = line_of(reports.bulletin(Period.month(2026, 4)), mishu)
    assert (april.points, april.cumulative) == (Decimal(3), Decimal(12))


def test_adoption_rate_and_adopted_by_status_or_outlet(mishu, wenshu):
    sent_item(mishu, at(2026, 3, 2), status=Item.Status.ADOPTED)
    adopt(sent_item(mishu, at(2026, 3, 3), status=Item.Status.RETURNED), outlet("市刊物", "10"))
    sent_item(mishu, at(2026, 3, 4), status=Item.Status.RETURNED)
    sent_item(mishu, at(2026, 3, 5))
    bulletin = reports.bulletin(Period.month(2026, 3))
    line = line_of(bulletin, mishu)
    assert (line.sent, line.adopted, line.rate) == (4, 2, 50.0)
    empty = line_of(bulletin, wenshu)
    assert (empty.sent, empty.adopted, empty.rate) == (0, 0, None)
    assert bulletin.for_sections([wenshu]).total.rate is None


@pytest.mark.parametrize("add_up, expected", [(True, Decimal("19")), (False, Decimal("13"))])
def test_points_of_several_outlets_add_up_or_only_the_highest(mishu, add_up, expected):
    settings(outlets_add_up=add_up)
    item = sent_item(mishu, at(2026, 3, 2), status=Item.Status.ADOPTED)
    adopt(item, outlet("本站", "1"))
    adopt(item, outlet("区信息刊物", "5"))
    adopt(item, outlet("市刊物", "10"))
    instruct(item, points="3")  # an instruction always adds
    assert line_of(reports.bulletin(Period.month(2026, 3)), mishu).points == expected


def test_points_count_in_the_month_the_item_was_sent(mishu):
    item = sent_item(mishu, at(2026, 3, 30))
    adopt(item, outlet("市刊物", "10"), on=at(2026, 5, 6).date())
    assert line_of(reports.bulletin(Period.month(2026, 3)), mishu).points == 10
    assert line_of(reports.bulletin(Period.month(2026, 5)), mishu).points == 0


def test_equal_scores_share_a_rank(site_tree):
    sections = list(Section.objects.all()[:4])
    city = outlet("市刊物", "10")
    for sec, adoptions in zip(sections, (1, 2, 2, 0), strict=True):
        for n in range(adoptions):
            adopt(sent_item(sec, at(2026, 3, 2 + n)), city)
    bulletin = reports.bulletin(Period.month(2026, 3))
    ranks = {line.section: line.rank for line in bulletin.lines}
    assert [ranks[sec] for sec in sections[:3]] == [3, 1, 1]
    assert ranks[sections[3]] == 4
    assert [line.rank for line in bulletin.lines] == sorted(line.rank for line in bulletin.lines)
    # A section's own view keeps its office-wide rank.
    assert bulletin.for_sections([sections[0]]).lines[0].rank == 3


def test_quota_of_a_section_and_the_shortfall(mishu, wenshu):
    settings(monthly_quota=2)
    assert reports.quota_of(mishu) == 2
    quota(wenshu, 1)
    assert reports.quota_of(wenshu) == 1
    sent_item(mishu, at(2026, 3, 2))
    sent_item(wenshu, at(2026, 3, 2))
    short = {s.section: s for s in reports.shortfall(2026, 3)}
    assert mishu in short and wenshu not in short
    assert (short[mishu].sent, short[mishu].quota, short[mishu].short_by) == (1, 2, 1)
    assert len(short) == Section.objects.count() - 1


def test_a_quota_of_zero_exempts_the_section(mishu):
    quota(mishu, 0)
    assert mishu not in {s.section for s in reports.shortfall(2026, 3)}


def test_the_bulletin_costs_the_same_queries_for_5_or_20_sections(site_tree):
    def count():
        with CaptureQueriesContext(connection) as context:
            reports.bulletin(Period.month(2026, 3))
            reports.shortfall(2026, 3)
        return len(context)

    city, town = outlet("市刊物", "10"), outlet("区信息刊物", "3")

    def fill(sections, items):
        for sec in sections:
            for n in range(items):
                item = sent_item(sec, at(2026, 1 + n % 3, 1 + n % 28))
                adopt(item, city)
                if n % 2:
                    adopt(item, town)
                    instruct(item)

    settings(outlets_add_up=False)  # the settings' row exists, as it does once saved
    Section.objects.exclude(pk__in=Section.objects.all()[:5].values("pk")).delete()
    fill(Section.objects.all(), 2)
    few = count()
    for n in range(15):
        Section.objects.create(name=f"测试科{n}", code=f"test{n}")
    fill(Section.objects.all(), 12)
    assert Section.objects.count() == 20
    assert count() == few <= 9
