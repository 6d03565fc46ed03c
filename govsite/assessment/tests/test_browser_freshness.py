"""Browser scenario (R-ASSESS-1): 综合科's officer finds the fixed column 办公室简介 due on the
dashboard, opens 监督考核 › 栏目更新情况 from the menu, records "已复核，内容仍准确" and reads
the new due date; the office's 单项否决 lines are shown above the columns."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govsite.testing.helpers import sub_column

from .factories import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_a_review_from_the_menu(new_browser_context, browser_login, role_users):
    published(sub_column("办公室简介"), timezone.now() - timezone.timedelta(days=400))
    page = new_browser_context().new_page()
    browser_login(page, role_users["综合科-信息员"])
    panel = page.get_by_role("region", name="本科室待更新栏目")
    expect(panel.get_by_role("row").filter(has_text="办公室简介")).to_contain_text("已超期")

    page.get_by_role("button", name="监督考核").click()
    page.get_by_role("link", name="栏目更新情况").click()
    page.wait_for_url(re.compile(r"/admin/assessment/freshness/"))
    expect(page.get_by_role("heading", name="全办单项否决指标")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="政务公开 › 办公室简介")
    expect(row).to_contain_text("已超期 35 天")
    row.get_by_role("button", name="已复核，内容仍准确").click()
    expect(page.get_by_text(re.compile("已记录复核：栏目“办公室简介”内容仍准确"))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="政务公开 › 办公室简介")).to_contain_text("正常")
