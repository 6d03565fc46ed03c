"""The score screens (R-ASSESS-2): who sees which sections, closing a month from the screen,
the 考核表 export, the rule set's admin refusing weights that do not add up, the leaders' view,
and the queries of the office-wide screens for 5 and 20 sections."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from govsite.jobs.models import Job
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.surveys.tests.test_admin import menu_labels
from govsite.testing.helpers import assert_refused, login, screen_queries, section

from .. import scoring
from ..models import ClosedMonth, RuleSet
from .factories import late_letter, sent_item

SCORES = "/admin/assessment/scores/"
LEADERS = "/admin/assessment/leaders/"


def last_month():
    return scoring.previous_month(timezone.localdate())


def month_query(month):
    return f"{SCORES}?period=month&year={month.year}&month={month.month}"


@pytest.fixture
def users(make_user):
    return {
        "office_officer": make_user("zonghe_xxy", "综合科-信息员"),
        "office_chief": make_user("zonghe_kz", "综合科-科长"),
        "site_manager": make_user("wangzhan", roles.SITE_MANAGERS),
        "director": make_user("zhuren", roles.DIRECTORS, supervises=["秘书科", "文书科"]),
        "officer": make_user("mishu_xxy", "秘书科-信息员"),
        "sysadmin": make_user("sysadmin", roles.SYSTEM_ADMINS),
    }


def shown_sections(client, user, url=SCORES):
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return {s.name for s in Section.objects.all() if f">{s.name}<" in html}


def test_office_sees_all_a_director_the_supervised_an_officer_their_own(client, users):
    everyone = set(Section.objects.values_list("name", flat=True))
    assert shown_sections(client, users["office_officer"]) == everyone
    assert shown_sections(client, users["site_manager"]) == everyone
    assert shown_sections(client, users["director"]) == {"秘书科", "文书科"}
    assert shown_sections(client, users["officer"]) == {"秘书科"}


def test_who_has_no_section_is_refused(client, users):
    login(client, users["sysadmin"])
    assert_refused(client.get(SCORES))
    assert_refused(client.get(LEADERS))


def test_the_screen_itemises_the_deductions(client, users):
    month = last_month()
    login(client, users["office_officer"])
    html = client.get(month_query(month)).content.decode()
    assert f"{month.month}月报送 0 条，少于定额 1 条 −10" in html
    assert "导出考核表" in html
    assert "关账" not in html.split("<h2")[1]  # only 综合科's chief closes


def test_the_chief_closes_a_month_after_confirming_and_not_twice(client, users):
    month = last_month()
    login(client, users["office_chief"])
    html = client.get(month_query(month)).content.decode()
    close_url = reverse("assessment_close_month", args=[month.isoformat()])
    assert close_url in html
    assert "确定要将" in client.get(close_url).content.decode()
    response = client.post(close_url, follow=True)
    assert "已关账：各科室得分已固定" in response.content.decode()
    assert ClosedMonth.objects.filter(month=month).count() == 1
    response = client.post(close_url, follow=True)
    assert "已经关账，不能重复关账。" in response.content.decode()
    assert ClosedMonth.objects.count() == 1
    this_month = scoring.month_of(timezone.localdate())
    response = client.post(
        reverse("assessment_close_month", args=[this_month.isoformat()]), follow=True
    )
    assert "尚未结束，不能关账" in response.content.decode()


def test_only_the_office_chief_may_close(client, users):
    month = last_month()
    close_url = reverse("assessment_close_month", args=[month.isoformat()])
    for who in ("office_officer", "director", "officer"):
        login(client, users[who])
        assert_refused(client.post(close_url))
    assert not ClosedMonth.objects.exists()


def test_the_export_is_a_job_with_the_assessment_sheet(
    client, users, django_capture_on_commit_callbacks, columns_kept_fresh
):
    from openpyxl import load_workbook

    from govsite.jobs import storage

    sent_item(section("秘书科"), last_month().replace(day=3))
    month = last_month()
    login(client, users["director"])
    url = reverse("assessment_scores_export", args=["xlsx"]) + (
        f"?period=month&year={month.year}&month={month.month}"
    )
    assert "2 个科室" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    with storage.open_result(job) as file:
        sheet = load_workbook(file).active
    assert sheet["A1"].value == "网站工作考核表（双百考核网站部分）"
    assert f"考核周期：{month.year}年{month.month}月" in sheet["A2"].value
    assert [c.value for c in sheet[3]][:3] == ["科室", "栏目更新（30分）", "信息报送（20分）"]
    assert sheet["A4"].value == "秘书科"
    assert sheet["I4"].value == 80 and sheet["J4"].value == 1
    assert sheet["A5"].value == "文书科" and sheet["J5"].value == 2
    assert "信息报送：" in sheet["K5"].value
    assert sheet["A7"].value.startswith("考核人：")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1


def test_the_rule_set_admin_refuses_weights_that_do_not_add_up(client, users):
    login(client, users["office_officer"])
    add = reverse("assessment_rule_sets:add")
    data = {
        "name": "2027年细则",
        "effective_from": "2027-01-15",
        "full_marks": "100",
        "note": "",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "1",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-measure": "quota",
        "rules-0-weight": "50",
        "rules-0-per_unit": "10",
        "rules-0-ORDER": "1",
        "rules-1-measure": "letters",
        "rules-1-weight": "40",
        "rules-1-per_unit": "2",
        "rules-1-ORDER": "2",
    }
    response = client.post(add, data)
    assert response.status_code == 200
    assert "各考核项目的分值合计为 90 分，与满分 100 分不符" in response.content.decode()
    assert not RuleSet.objects.filter(name="2027年细则").exists()
    data["rules-1-weight"] = "50"
    response = client.post(add, data)
    assert response.status_code == 302
    assert RuleSet.objects.get(name="2027年细则").effective_from == date(2027, 1, 1)


def test_only_the_office_keeps_the_rule_sets(client, users):
    index = reverse("assessment_rule_sets:index")
    for who, status in (("office_officer", 200), ("director", 302), ("officer", 302)):
        login(client, users[who])
        assert client.get(index).status_code == status, who


def test_the_leaders_view_shows_the_supervised_sections(client, users):
    mishu = section("秘书科")
    late_letter(mishu, date(2026, 1, 5))
    late_letter(section("综合科"), date(2026, 1, 6))
    sent_item(mishu, timezone.localdate())
    login(client, users["director"])
    html = client.get(LEADERS).content.decode()
    assert "分管科室（秘书科、文书科）" in html
    assert "超期最久的 1 件（共 1 件）" in html
    assert ">综合科<" not in html
    login(client, users["office_officer"])
    html = client.get(LEADERS).content.decode()
    assert "超期最久的 2 件（共 2 件）" in html
    login(client, users["officer"])
    assert_refused(client.get(LEADERS))


def make_sections(n):
    for number in range(n - Section.objects.count()):
        Section.objects.create(name=f"测试科{number}", code=f"test{number}")


@pytest.mark.parametrize("url", [SCORES, LEADERS, f"{SCORES}?period=year&year=2026"])
def test_the_queries_do_not_grow_with_the_sections(client, users, url):
    login(client, users["office_officer"])
    make_sections(5)
    small, _ = screen_queries(client, url)
    make_sections(20)
    for target in Section.objects.all()[:20]:
        sent_item(target, last_month().replace(day=2))
        late_letter(target, last_month().replace(day=3))
    large, html = screen_queries(client, url)
    assert "测试科14" in html
    assert large == small, (small, large)


def test_the_year_shows_the_totals_and_the_months_as_charts_with_tables(client, users):
    year = last_month().year
    login(client, users["director"])
    html = client.get(f"{SCORES}?period=year&year={year}").content.decode()
    assert f"{year}年各科室考核总分：" in html
    assert f"{year}年各月考核得分：" in html
    assert html.count("chart__svg") == 2
    assert "各月走势：科室" not in html  # two sections: both lines drawn
    html = client.get(LEADERS).content.decode()
    assert html.count("chart__svg") == 2


def test_more_sections_than_lines_choose_the_one_drawn(client, users):
    make_sections(12)
    chosen = Section.objects.get(name="测试科3")
    login(client, users["office_officer"])
    year = last_month().year
    html = client.get(f"{SCORES}?period=year&year={year}&section={chosen.pk}").content.decode()
    assert "各月走势：科室" in html
    assert f'<option value="{chosen.pk}" selected>测试科3</option>' in html


def test_the_menu_offers_each_screen_to_whoever_may_use_it(client, users):
    cases = {
        "office_officer": {"考核得分", "领导看板", "考核细则"},
        "office_chief": {"考核得分", "领导看板", "考核细则"},
        "director": {"考核得分", "领导看板"},
        "officer": {"考核得分"},
        "sysadmin": set(),
    }
    for who, expected in cases.items():
        login(client, users[who])
        labels = set(menu_labels(client))
        shown = {label for label in ("考核得分", "领导看板", "考核细则") if label in labels}
        assert shown == expected, who
        assert ("监督考核" in labels) == bool(expected), who
