"""Browser scenario (R-SEC-2): an officer whose password an administrator set signs in, is sent
to 修改密码 before anything else, reads the rules in Chinese, is refused a weak password with the
reason, chooses a good one and reaches the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from govsite.testing.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = "Qiu-Tian-Hui-Yi-2026"


def test_forced_change_at_first_login(
    browser_page,
    browser_login,
    make_user,
):
    officer = make_user("wenshu_xxy", "文书科-信息员")
    officer.must_change_password = True
    officer.save(update_fields=["must_change_password"])
    page = browser_login(browser_page, officer)

    page.wait_for_url(re.compile(r"/admin/accounts/password/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("修改密码")
    expect(page.get_by_role("alert").first).to_contain_text("管理员为您新建了账号或重置了密码")
    rules = page.locator("section", has=page.get_by_role("heading", name="密码规则"))
    expect(rules).to_contain_text("至少 12 个字符。")
    expect(rules).to_contain_text("须包含大写字母、小写字母、数字、符号四类中的至少三类。")
    expect(rules).to_contain_text("不能与最近 5 次用过的密码相同。")

    page.get_by_label("当前密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill("weak")
    page.get_by_label("再次输入新密码").fill("weak")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码太短：至少需要 12 个字符。")).to_be_visible()

    page.get_by_label("当前密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill(GOOD)
    page.get_by_label("再次输入新密码").fill(GOOD)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url(re.compile(r"/admin/$"))  # the dashboard
    expect(page.locator(".messages")).to_contain_text("密码已修改，下次登录请使用新密码。")
    page.reload()
    expect(page).to_have_url(re.compile(r"/admin/$"))  # no longer sent to 修改密码

    officer.refresh_from_db()
    assert officer.check_password(GOOD) and not officer.must_change_password
