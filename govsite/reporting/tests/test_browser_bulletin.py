"""Browser scenario for the 通报 (R-INFO-3; 第十六、二十二条): 综合科's chief opens 信息报送 ›
信息报送通报 from the menu, chooses a quarter and reads the table and the chart; 秘书科's officer
sees the month's shortfall on the dashboard and only their own line of the 通报."""

import re

import pytest
from playwright.sync_api import expect

from govsite.sections import roles
from govsite.testing.helpers import section

from ..models import Item
from .factories import adopt, at, choose_office, outlet, sent_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bulletin_in_the_browser(make_user, new_browser_context, browser_login):
    choose_office()
    office_chief = make_user("zh_chief", "综合科-科长")
    officer = make_user("ms_officer", "秘书科-信息员")
    make_user("director", roles.DIRECTORS, supervises=["秘书科"])
    adopted = sent_item(section("秘书科"), at(2026, 2, 27), Item.Status.ADOPTED)
    adopt(adopted, outlet("市刊物", "10"))
    sent_item(section("文书科"), at(2026, 3, 31, 23, 59))

    page = browser_login(new_browser_context().new_page(), office_chief)
    page.get_by_role("button", name="信息报送").click()
    page.get_by_role("list", name="信息报送").get_by_role("link", name="信息报送通报").click()
    page.wait_for_url(re.compile(r"/admin/reporting/bulletin/"))
    page.get_by_label("统计时段").select_option(label="季度")
    page.get_by_label("年份").fill("2026")
    page.get_by_label("季度").select_option(label="第一季度")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="2026年第一季度各科室信息报送通报")).to_be_visible()
    table = page.locator("#bulletin-table")
    expect(table.get_by_role("row").filter(has_text="秘书科")).to_contain_text("100.0%")
    expect(table.get_by_role("row").filter(has_text="文书科")).to_contain_text("0.0%")
    expect(table.locator("tfoot")).to_contain_text("合计")
    chart = page.get_by_role("img", name=re.compile("2026年第一季度各科室信息报送通报：得分"))
    expect(chart).to_be_visible()
    expect(page.get_by_role("link", name="导出 Excel（可打印）")).to_be_visible()

    page = browser_login(new_browser_context().new_page(), officer)
    expect(page.get_by_role("region", name="本月信息报送")).to_contain_text("尚差 1 条")
    page.goto("/admin/reporting/bulletin/?period=quarter&year=2026&quarter=1")
    rows = page.locator("#bulletin-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("秘书科")
