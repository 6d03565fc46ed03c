"""Browser scenario for 信息报送 (第十六条; R-INFO-1, R-INFO-2): 秘书科's officer writes an item
and submits it; 秘书科's chief approves it from the dashboard; 综合科's officer adopts it from
待采用, edits the copy in 工作动态 and submits it; 综合科's chief and the director supervising
综合科 approve it; the public article shows 来源 秘书科 and 供稿 秘书科 周雨桐, and the item
records the own-site adoption; 秘书科's dashboard counts it under 本月信息报送 (采用数, 得分).
Each person signs in through the real form."""

import re

import pytest
from playwright.sync_api import expect

from govsite.columns.models import ArticlePage
from govsite.sections import roles
from govsite.workflow.tests.test_browser_review import (
    APPROVE,
    SUBMIT,
    editor_action,
    open_from_queue,
)

from ..models import Item, OutletAdoption

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "秘书科完成政务信息公开目录梳理"
TEXT = "本月共更新办事指南十二项，梳理公开目录三类。"
EDITED = "区政府办公室秘书科完成政务信息公开目录梳理"


def expect_message(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def test_an_item_from_writing_to_the_public_article(sign_in, make_user, live_server):
    writer = make_user("mishu_xxy", "秘书科-信息员")
    writer.last_name, writer.first_name = "周", "雨桐"
    writer.save()
    chief = make_user("mishu_kz", "秘书科-科长")
    office = make_user("zonghe_xxy", "综合科-信息员")
    office_chief = make_user("zonghe_kz", "综合科-科长")
    director = make_user("zhuren_li", roles.DIRECTORS, supervises=["综合科"])

    # 秘书科's officer writes and submits.
    page = sign_in(writer)
    page.goto("/admin/reporting/items/new/")
    page.locator("#id_kind").select_option(label="工作成绩")
    page.locator("#id_title").fill(TITLE)
    body = page.locator("[data-contentpath='body']")
    editor = body.get_by_role("textbox")
    editor.click()
    editor.press_sequentially(TEXT)
    expect(body.locator("input[name='body-0-value']")).to_have_value(re.compile(TEXT))
    page.get_by_role("button", name="保存草稿").click()
    expect_message(page, f"已保存草稿“{TITLE}”")
    page.get_by_role("button", name="提交科长审核").click()
    expect_message(page, "已提交秘书科科长审核。")

    # 秘书科's chief finds it on the dashboard and approves it.
    page = sign_in(chief)
    waiting = page.get_by_role("region", name="待我审核的信息")
    waiting.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("main")).to_contain_text(TEXT)
    page.locator("#id_approve-comment").fill("同意报送。")
    page.get_by_role("button", name="审核通过，报送综合科").click()
    expect_message(page, "已审核通过，信息已报送综合科。")
    page.goto("/admin/")
    month = page.get_by_role("region", name="本月信息报送")
    expect(month).to_contain_text("已报送 1 条")
    expect(month.locator("[data-adoptions]")).to_contain_text("已采用 0 条，得分 0")

    # 综合科's officer adopts it from 待采用 and lands in the copy's editor.
    page = sign_in(office)
    page.goto("/admin/reporting/items/queue/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="采用", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect_message(page, "已采用，并在“工作动态”建立采用稿")
    page.locator("#id_title").fill(EDITED)
    editor_action(page, SUBMIT)
    expect(page.get_by_text(f"已提交审核：《{EDITED}》已通过自动审查")).to_be_visible()

    # 综合科's review chain: its chief, then the director supervising 综合科.
    page = sign_in(office_chief)
    open_from_queue(page, EDITED, reload=False)
    editor_action(page, APPROVE)
    page = sign_in(director)
    open_from_queue(page, EDITED, reload=False)
    editor_action(page, APPROVE)
    expect(page.get_by_text(f"已通过审核并发布：《{EDITED}》。")).to_be_visible()

    article = ArticlePage.objects.get(title=EDITED)
    assert article.live and article.get_parent().slug == "gzdt"
    page.context.clear_cookies()
    page.goto(article.url)
    meta = page.locator(".article-meta")
    expect(meta).to_contain_text("来源：秘书科")
    expect(meta).to_contain_text("供稿：秘书科 周雨桐")
    expect(page.locator(".article-body")).to_contain_text(TEXT)

    item = Item.objects.get(title=TITLE)
    assert item.status == Item.Status.ADOPTED and item.adopted_page_id == article.pk
    assert OutletAdoption.objects.get(item=item).outlet.own_site

    # 秘书科's dashboard counts the adoption and its point (第二十二条).
    page = sign_in(chief)
    month = page.get_by_role("region", name="本月信息报送")
    expect(month.locator("[data-adoptions]")).to_contain_text("已采用 1 条，得分 1，全办第 1 名")
