"""Browser scenario for 专栏 (R-TOPIC-1; 第十一条): 秘书科's officer fills in the application in
the real admin, choosing the banner from the image library; the chief approves from the
dashboard, 综合科's chief and the supervising director from 专栏申请 › 待我审核; the 专栏 is
then live under 热点专题. Each person signs in through the real form."""

import pytest
from playwright.sync_api import expect

from govsite.images.tests.factories import make_image
from govsite.sections import roles

from ..models import TopicPage
from .factories import days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_message(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def approve(page, comment):
    page.get_by_label("审核意见").fill(comment)
    page.get_by_role("button", name="同意").click()


def test_an_officer_applies_and_three_reviewers_open_the_topic(sign_in, make_user):
    officer = make_user("mishu_xxy", "秘书科-信息员")
    chief = make_user("mishu_kz", "秘书科-科长")
    office_chief = make_user("zonghe_kz", "综合科-科长")
    director = make_user("zhuren_wang", roles.DIRECTORS, supervises=["秘书科"])
    make_image("营商环境横幅")

    page = sign_in(officer)
    page.goto("/admin/")
    page.get_by_role("button", name="专栏申请").click()
    page.get_by_role("link", name="新建申请").click()
    page.get_by_label("专栏名称").fill("优化营商环境专栏")
    page.get_by_label("开设目的").fill("集中发布优化营商环境的政策、进展和典型案例。")
    page.locator("#id_starts_on").fill(days(0).isoformat())
    page.locator("#id_ends_on").fill(days(200).isoformat())
    page.get_by_label("板块").fill("工作动态\n政策解读\n典型案例")
    page.get_by_label("网址名称").fill("yshj")
    page.get_by_role("button", name="选择一个图片").click()
    page.get_by_role("link", name="营商环境横幅").click()
    expect(page.locator("#id_banner")).not_to_have_value("")
    page.get_by_role("button", name="提交申请").click()
    expect_message(page, "已提交专栏申请《优化营商环境专栏》")

    page = sign_in(chief)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="待我审核的专栏申请")).to_be_visible()
    page.get_by_role("link", name="优化营商环境专栏").first.click()
    approve(page, "同意开设。")
    expect_message(page, "已同意专栏申请《优化营商环境专栏》，转综合科审核")

    for reviewer, message in [
        (office_chief, "转主管主任审核"),
        (director, "已在“热点专题”下开设并发布"),
    ]:
        page = sign_in(reviewer)
        page.goto("/admin/topics/")
        page.locator("#awaiting-heading + table").get_by_role(
            "link", name="优化营商环境专栏"
        ).click()
        approve(page, "同意。")
        expect_message(page, message)

    topic = TopicPage.objects.get(slug="yshj")
    assert topic.live and topic.owner_section.name == "秘书科"
    page.goto(topic.url)
    expect(page.get_by_role("heading", name="优化营商环境专栏")).to_be_visible()
    expect(page.get_by_role("heading", name="典型案例")).to_be_visible()
