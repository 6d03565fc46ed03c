"""Browser scenario for R-SEC-3: a 科长 signs in for the first time, sets up an authenticator
app from the page (the test reads the secret shown and computes the code as the app would),
keeps the recovery codes and reaches the dashboard; signs out, signs in again and must enter a
code before any admin page."""

import re

import pytest
from playwright.sync_api import expect

from govsite.security import devices

from .helpers import code_for, code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chief_enrolls_and_then_enters_a_code_at_each_sign_in(
    browser_page, browser_login, make_user, twofactor_policy
):
    chief = make_user("chief_zhou", "秘书科-科长")
    page = browser_login(browser_page, chief)

    expect(page).to_have_url(re.compile(r"/admin/security/otp/enroll/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("设置双因素认证")
    expect(page.locator("figure svg")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(code_for(secret))
    page.get_by_role("button", name="确认").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("双因素认证已启用")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("#main")).to_be_visible()

    page.get_by_role("button", name=re.compile(chief.username)).click()
    page.get_by_role("button", name="注销").or_(page.get_by_role("link", name="注销")).click()
    page.wait_for_url(re.compile(r"/admin/login/"))

    browser_login(page, chief)
    expect(page).to_have_url(re.compile(r"/admin/security/otp/verify/"))
    page.goto("/admin/pages/")
    expect(page).to_have_url(re.compile(r"/admin/security/otp/verify/\?next=%2Fadmin%2Fpages%2F"))
    # The code used at enrollment is spent; the app shows the next one thirty seconds later.
    page.get_by_label("验证码").fill(code_of(devices.confirmed_totp(chief), offset_steps=1))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(re.compile(r"/admin/pages/"))
    expect(page.get_by_role("heading", name="验证码")).to_have_count(0)
