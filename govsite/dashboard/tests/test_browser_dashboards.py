"""Browser scenarios: each role logs in and finds its work on 首页 (issue 14) — the officer a
draft and a returned article with the chief's comment, the chief a review waiting, the director
a review waiting and the 页面 menu to read a supervised column, 综合科 the letters to triage."""

import re

import pytest
from playwright.sync_api import expect

from govsite.mailbox import rules as mailbox_rules

from . import factories
from .factories import RETURN_COMMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DIRECTOR = "主管主任(综合科、督查室、信息中心)"


def region(page, name):
    return page.get_by_role("region", name=name)


def test_officer_finds_a_draft_and_a_returned_article_with_its_comment(sign_in, role_users):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    factories.draft(officer, "关于春节值班安排的通知")
    factories.returned(officer, chief, "区政府办公室召开专题会议")

    page = sign_in(officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("区政府办公室网站")
    drafts = region(page, "我的草稿")
    expect(drafts.get_by_role("row").filter(has_text="关于春节值班安排的通知")).to_contain_text(
        "工作动态"
    )
    returned = region(page, "退回给我的").get_by_role("row").filter(has_text="专题会议")
    expect(returned).to_contain_text(RETURN_COMMENT)
    expect(returned).to_contain_text("zonghe_chief")
    returned.get_by_role("link", name="区政府办公室召开专题会议").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))


def test_chief_finds_the_review_waiting(sign_in, role_users):
    factories.submitted(role_users["综合科-信息员"], "关于加强值班工作的通知")
    page = sign_in(role_users["综合科-科长"])
    row = region(page, "待我审核").get_by_role("row").filter(has_text="关于加强值班工作的通知")
    expect(row).to_contain_text("待科长审核")
    row.get_by_role("link", name="关于加强值班工作的通知").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))


def test_director_finds_the_review_and_reads_a_supervised_column(sign_in, role_users):
    officer, chief = role_users["综合科-信息员"], role_users["综合科-科长"]
    factories.approved_by_chief(officer, chief, "区政府办公室工作动态")
    factories.draft(officer, "尚未送审的稿件")
    page = sign_in(role_users[DIRECTOR])
    row = region(page, "待我审核").get_by_role("row").filter(has_text="区政府办公室工作动态")
    expect(row).to_contain_text("待主管主任审核")

    page.get_by_role("link", name="页面", exact=True).click()
    listing = page.get_by_role("table")
    expect(listing).to_contain_text("工作进展")
    page.goto(f"/admin/pages/{factories.sub_column(factories.COLUMN).pk}/")
    draft_row = page.get_by_role("row").filter(has_text="尚未送审的稿件")
    expect(draft_row).to_contain_text("草稿")
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)


def test_zonghe_finds_the_letters_to_triage(sign_in, role_users):
    factories.letter_to_triage("关于办事指南的咨询")
    candidates = [role_users["综合科-信息员"], role_users["综合科-网站管理"]]
    triager = next(user for user in candidates if mailbox_rules.may_triage(user))
    page = sign_in(triager)
    letters = page.locator("#dashboard-letters-section")
    expect(letters.get_by_role("listitem").filter(has_text="待分类")).to_contain_text("1")
    letters.get_by_role("link", name="待分类").click()
    page.wait_for_url(re.compile(r"/admin/mailbox/\?status=received"))
    expect(page.get_by_role("main")).to_contain_text("关于办事指南的咨询")
