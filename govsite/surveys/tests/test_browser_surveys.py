"""R-SURVEY-1 end to end: a visitor answers a survey on the public site, cannot answer it a
second time, and 综合科's site manager sees the answer in the admin's results."""

import pytest
from playwright.sync_api import expect

from govsite.sections import roles

from ..models import QuestionKind
from .factories import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    ("您通过什么途径了解本网站？", QuestionKind.SINGLE, True, "搜索引擎\n政府门户\n朋友介绍"),
    ("您对网站服务是否满意？", QuestionKind.RATING, True, ""),
    ("您还有什么意见和建议？", QuestionKind.TEXT, False, ""),
]


def test_a_visitor_answers_and_zonghe_sees_the_result(
    new_browser_context,
    browser_login,
    make_user,
):
    survey = make_survey("2026年网站服务满意度调查", questions=QUESTIONS)

    visitor = new_browser_context().new_page()
    visitor.goto("/zxjl/myddc/")
    visitor.get_by_role("link", name="2026年网站服务满意度调查").click()
    visitor.get_by_role("button", name="提交问卷").click()  # the browser asks for 必答 first
    expect(visitor).to_have_url(f"/zxjl/myddc/{survey.pk}/")
    visitor.get_by_label("政府门户").check()
    visitor.get_by_label("4分 满意").check()
    visitor.get_by_label("您还有什么意见和建议？").fill("希望办事指南再详细一些。")
    visitor.get_by_role("button", name="提交问卷").click()
    expect(visitor.locator("main")).to_contain_text("您的答卷已提交，感谢您参加本次调查")
    visitor.goto(f"/zxjl/myddc/{survey.pk}/")
    expect(visitor.locator("main")).to_contain_text("您已经参加过本次调查，感谢您的支持！")
    expect(visitor.get_by_role("button", name="提交问卷")).to_have_count(0)

    staff = new_browser_context().new_page()
    browser_login(staff, make_user("zonghe_wzgl", roles.SITE_MANAGERS))
    staff.goto("/admin/surveys/")
    staff.get_by_role("link", name="「2026年网站服务满意度调查」的统计结果").click()
    main = staff.locator("main")
    expect(main).to_contain_text("共收到答卷 1 份")
    expect(main.get_by_role("row", name="政府门户")).to_contain_text("100.0%")
    expect(main.get_by_role("row", name="平均分")).to_contain_text("4.00")
    expect(
        main.get_by_role("img", name="您通过什么途径了解本网站？：柱状图（数据见统计表）")
    ).to_be_visible()
    expect(main).to_contain_text("希望办事指南再详细一些。")
