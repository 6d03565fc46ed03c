"""信息报送通报 in the admin (R-INFO-3; 第十六、二十二条): who sees which lines, the file laid out
for printing, 科室报送定额, the dashboard's 本月信息报送, and queries that do not grow with the
rows."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govsite.sections import roles
from govsite.sections.models import Section
from govsite.testing.helpers import screen_queries, section

from ..models import Item, SectionQuota
from ..panels import MonthPanel
from .factories import adopt, at, choose_office, instruct, outlet, quota, sent_item, settings

pytestmark = pytest.mark.django_db

MARCH = {"period": "month", "year": 2026, "month": 3}
BULLETIN = reverse("reporting_bulletin")
QUOTAS = reverse("reporting_quotas")
EXPORT = reverse("reporting_bulletin_export", args=["xlsx"])


@pytest.fixture
def users(make_user):
    choose_office()
    return {
        "office": make_user("zh_officer", "综合科-信息员"),
        "office_chief": make_user("zh_chief", "综合科-科长"),
        "officer": make_user("ms_officer", "秘书科-信息员"),
        "chief": make_user("ms_chief", "秘书科-科长"),
        "director": make_user("director", roles.DIRECTORS, supervises=["秘书科", "文书科"]),
        "site_manager": make_user("site_manager", roles.SITE_MANAGERS),
        "sysadmin": make_user("sysadmin", roles.SYSTEM_ADMINS),
    }


@pytest.fixture
def march(site_tree):
    """March 2026: 秘书科 sent 2 (one adopted by a city journal, 10), 文书科 1 (adopted here, 1),
    督查室 1 (an instruction, 10): 秘书科 and 督查室 share rank 1."""
    mishu, wenshu, ducha = section("秘书科"), section("文书科"), section("督查室")
    adopt(sent_item(mishu, at(2026, 3, 31, 23, 59), Item.Status.ADOPTED), outlet("市刊物", "10"))
    sent_item(mishu, at(2026, 3, 2))
    adopt(sent_item(wenshu, at(2026, 3, 3), Item.Status.ADOPTED), outlet("本站", "1"))
    instruct(sent_item(ducha, at(2026, 3, 4)), points="10")
    sent_item(mishu, at(2026, 4, 1, 0, 0))  # April


def lines_seen(client, user, query=MARCH):
    client.force_login(user)
    response = client.get(BULLETIN, query)
    assert response.status_code == 200
    return {line.section.name: line for line in response.context["bulletin"].lines}


@pytest.mark.parametrize("who", ["office", "office_chief", "site_manager"])
def test_the_office_sees_every_section(client, users, march, who):
    lines = lines_seen(client, users[who])
    assert set(lines) == set(Section.objects.values_list("name", flat=True))
    assert (lines["秘书科"].sent, lines["秘书科"].adopted, lines["秘书科"].rate) == (2, 1, 50.0)
    assert lines["秘书科"].rank == lines["督查室"].rank == 1
    assert lines["文书科"].rank == 3


def test_a_director_sees_the_sections_they_supervise_with_office_wide_ranks(client, users, march):
    lines = lines_seen(client, users["director"])
    assert set(lines) == {"秘书科", "文书科"}
    assert lines["文书科"].rank == 3


@pytest.mark.parametrize("who", ["officer", "chief"])
def test_a_section_sees_its_own_line_and_rank(client, users, march, who):
    lines = lines_seen(client, users[who])
    assert set(lines) == {"秘书科"} and lines["秘书科"].rank == 1
    html = client.get(BULLETIN, MARCH).content.decode()
    assert "文书科" not in html and "科室报送定额" not in html


def test_whoever_has_no_line_is_refused_with_a_reason(client, users):
    client.force_login(users["sysadmin"])
    response = client.get(BULLETIN)
    assert response.status_code == 403
    assert "信息报送通报只对综合科、主管主任和各科室的信息员、科长开放" in response.content.decode()
    assert client.get(EXPORT, MARCH).status_code == 403
    assert client.get(QUOTAS).status_code == 403


def test_the_page_says_the_counting_rules_and_offers_the_file(client, users, march):
    client.force_login(users["office"])
    html = client.get(BULLETIN, MARCH).content.decode()
    assert "2026年3月各科室信息报送通报" in html
    assert "采用和领导批示的积分计入该信息报送的月份" in html
    assert "同一条信息被多个渠道采用，积分相加" in html
    assert EXPORT in html and QUOTAS in html
    assert reverse("govsite_guides:guide", args=["reporting-bulletin"]) in html


def test_quarter_and_year(client, users, march):
    quarter = lines_seen(client, users["office"], {"period": "quarter", "year": 2026, "quarter": 1})
    year = lines_seen(client, users["office"], {"period": "year", "year": 2026})
    assert quarter["秘书科"].sent == 2 and year["秘书科"].sent == 3


def test_a_period_that_does_not_exist_is_refused_on_the_page(client, users):
    client.force_login(users["office"])
    response = client.get(BULLETIN, {"period": "month", "year": 2026})
    assert response.status_code == 200
    assert "请选择月份。" in response.content.decode()
    assert "bulletin" not in response.context
    response = client.get(EXPORT, {"period": "month", "year": 99999, "month": 1})
    assert response.status_code == 302 and response["Location"] == BULLETIN


def test_the_xlsx_is_laid_out_for_printing(client, users, march, exported):
    client.force_login(users["office"])
    content = exported(EXPORT, MARCH)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "2026年3月各科室信息报送通报"
    assert [cell.value for cell in sheet[2]] == [
        "名次", "科室", "报送数", "采用数", "采用率（%）", "得分", "累计积分"
    ]  # fmt: skip
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]}
    assert rows["秘书科"][:7] == (1, "秘书科", 2, 1, 50.0, 10.0, 10.0)
    assert rows["文书科"][:7] == (3, "文书科", 1, 1, 100.0, 1.0, 1.0)
    assert rows["合计"][2:7] == (4, 2, 50.0, 21.0, 21.0)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.freeze_panes == "A3"


def test_a_sections_file_holds_its_own_line(client, users, march, exported):
    client.force_login(users["officer"])
    sheet = load_workbook(io.BytesIO(exported(EXPORT, MARCH))).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
    assert names == ["秘书科", "合计"]


def test_the_office_keeps_the_quotas(client, users):
    settings(monthly_quota=1)
    mishu, wenshu = section("秘书科"), section("文书科")
    quota(wenshu, 3)
    client.force_login(users["office"])
    assert "3" in client.get(QUOTAS).content.decode()
    data = {f"quota-{sec.pk}": "" for sec in Section.objects.all()}
    data[f"quota-{mishu.pk}"] = "0"
    response = client.post(QUOTAS, data, follow=True)
    assert "已保存科室报送定额，2 个科室有变化。" in response.content.decode()
    assert SectionQuota.objects.get().section == mishu
    assert SectionQuota.objects.get().monthly_quota == 0


def test_a_wrong_quota_saves_nothing_and_says_why(client, users):
    mishu, wenshu = section("秘书科"), section("文书科")
    client.force_login(users["office_chief"])
    data = {f"quota-{mishu.pk}": "2", f"quota-{wenshu.pk}": "很多"}
    response = client.post(QUOTAS, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写 0 至 100 的整数，或留空使用统一定额。" in html and 'value="很多"' in html
    assert not SectionQuota.objects.exists()


@pytest.mark.parametrize("who", ["officer", "chief", "director"])
def test_only_the_office_keeps_quotas(client, users, who):
    client.force_login(users[who])
    assert client.post(QUOTAS, {}).status_code == 403


# The dashboard ------------------------------------------------------------------------------------


def test_the_panel_of_a_section(users):
    settings(monthly_quota=2)
    adopt(sent_item(section("秘书科"), at(2026, 3, 5)), outlet("区信息刊物", "4"))
    sent_item(section("文书科"), at(2026, 3, 6))
    panel = MonthPanel.for_user(users["officer"], now=at(2026, 3, 20))
    [(own, line)] = panel.own
    assert (own.section.name, own.sent, own.quota, own.short_by) == ("秘书科", 1, 2, 1)
    assert (line.adopted, line.points, line.rank) == (1, 4, 1)
    assert panel.short == []


def test_the_panel_of_a_director_lists_short_supervised_sections(users):
    sent_item(section("秘书科"), at(2026, 3, 5))
    panel = MonthPanel.for_user(users["director"], now=at(2026, 3, 20))
    assert panel.own == [] and [s.section.name for s in panel.short] == ["文书科"]


def test_the_panel_of_the_office_lists_every_short_section(users):
    quota(section("信息中心"), 0)
    for sec in Section.objects.exclude(name__in=["秘书科", "信息中心"]):
        sent_item(sec, at(2026, 3, 5))
    panel = MonthPanel.for_user(users["office"], now=at(2026, 3, 31, 23, 59))
    assert [s.section.name for s in panel.short] == ["秘书科"]
    assert MonthPanel.for_user(users["sysadmin"]) is None


def test_the_dashboard_shows_the_panel(client, users):
    client.force_login(users["officer"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "本月信息报送" in html and "尚差 1 条" in html
    client.force_login(users["office"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "本月尚未报送够数的科室" in html


# Queries ------------------------------------------------------------------------------------------


def fill(sections, per_section):
    city, town = outlet("市刊物", "10"), outlet("区信息刊物", "3")
    for sec in sections:
        for n in range(per_section):
            item = sent_item(sec, at(2026, 1 + n % 3, 1 + n % 28), Item.Status.ADOPTED)
            adopt(item, city)
            if n % 2:
                adopt(item, town)
                instruct(item)


@pytest.mark.parametrize("who", ["office", "director", "officer"])
def test_the_bulletin_and_dashboard_cost_the_same_for_5_and_20_sections(client, users, who):
    settings(outlets_add_up=False)
    client.force_login(users[who])
    keep = ["综合科", "秘书科", "文书科", "督查室", "信息中心"]
    Section.objects.exclude(name__in=keep).delete()
    fill(Section.objects.all(), 2)
    urls = [
        BULLETIN + "?period=quarter&year=2026&quarter=1",
        reverse("wagtailadmin_home"),
        EXPORT + "?period=year&year=2026",
    ]
    few = [screen_queries(client, url)[0] for url in urls]
    for n in range(15):
        sec = Section.objects.create(name=f"测试科{n}", code=f"test{n}")
        sec.directors.add(users["director"])
    fill(Section.objects.all(), 12)
    assert Section.objects.count() == 20
    assert [screen_queries(client, url)[0] for url in urls] == few


def test_the_chart_draws_the_scores_of_the_lines_shown(client, users, march):
    client.force_login(users["director"])
    html = client.get(BULLETIN, MARCH).content.decode()
    assert "2026年3月各科室信息报送通报：得分" in html
    assert 'aria-describedby="bulletin-table"' in html and 'id="bulletin-table"' in html
    assert "秘书科：10分" in html and "文书科：1分" in html
    assert "督查室" not in html
