"""R-SURVEY-1 with 第十四条 end to end: 综合科's officer builds a survey with a choice question and
submits it; the chief of 综合科 approves it, then the director who supervises 综合科 approves it,
which publishes it; a visitor answers it on the public site and cannot answer it a second time;
综合科 sees the answer in the admin's results."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..models import Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "2026年网站服务满意度调查"
QUESTION = "您通过什么途径了解本网站？"
MORE_ACTIONS = "更多动作"  # the editor's action menu toggle
SUBMIT = "提交审核"  # Wagtail's "Submit to %(workflow_name)s", worded by govsite/locale
APPROVE = "审核通过"  # ReviewTask.get_actions


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def editor_action(page, label):
    """Choose ``label`` in the editor's action menu and wait for the page that follows."""
    page.get_by_role("button", name=MORE_ACTIONS).click()
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def test_a_survey_goes_through_review_and_the_public_answers_it(
    new_browser_context, sign_in, make_user
):
    officer = make_user("zonghe_xxy", "综合科-信息员")
    chief = make_user("zonghe_kz", "综合科-科长")
    director = make_user("director_b", "主管主任", supervises=["综合科"])
    now = timezone.now()

    page = sign_in(officer)
    page.goto("/admin/surveys/")
    page.get_by_role("link", name="添加调查问卷").first.click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_introduction").fill("为了解公众对本网站的评价，特开展本次调查。")
    page.locator("#id_opens_at").fill(local(now - timedelta(hours=1)))
    page.locator("#id_closes_at").fill(local(now + timedelta(days=14)))
    if not page.locator("#id_questions-0-text").count():
        page.get_by_role("button", name="添加题目").first.click()
    page.locator("#id_questions-0-text").fill(QUESTION)
    page.locator("#id_questions-0-kind").select_option(label="单选题")
    page.locator("#id_questions-0-required").check()
    page.locator("#id_questions-0-choices").fill("搜索引擎\n政府门户\n朋友介绍")
    editor_action(page, SUBMIT)
    expect(page.get_by_text(f"调查问卷「{TITLE}」已提交审核，已送科长审核。")).to_be_visible()
    survey = Survey.objects.get()
    assert not survey.live
    page.goto("/admin/surveys/")
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("审核中")

    visitor = new_browser_context().new_page()
    assert visitor.goto(f"/zxjl/myddc/{survey.pk}/").status == 404  # not yet approved

    for reviewer, next_step in [(chief, "已通过，已送主管主任审核"), (director, "已通过，已发布")]:
        page = sign_in(reviewer)
        page.goto(f"/admin/surveys/edit/{survey.pk}/")
        editor_action(page, APPROVE)
        expect(page.get_by_text(f"调查问卷「{TITLE}」{next_step}。")).to_be_visible()
    survey.refresh_from_db()
    assert survey.live

    visitor.goto("/zxjl/myddc/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor).to_have_url(re.compile(rf"/zxjl/myddc/{survey.pk}/$"))
    visitor.get_by_label("政府门户").check()
    visitor.get_by_role("button", name="提交问卷").click()
    expect(visitor.locator("main")).to_contain_text("您的答卷已提交，感谢您参加本次调查")
    visitor.goto(f"/zxjl/myddc/{survey.pk}/")
    expect(visitor.locator("main")).to_contain_text("您已经参加过本次调查，感谢您的支持！")

    page = sign_in(officer)
    page.goto("/admin/surveys/")
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("已发布（进行中）")
    page.get_by_role("link", name=f"「{TITLE}」的统计结果").click()
    main = page.locator("main")
    expect(main).to_contain_text("共收到答卷 1 份")
    expect(main.get_by_role("row", name="政府门户")).to_contain_text("100.0%")
    expect(main.get_by_role("img", name=f"{QUESTION}：条形图")).to_be_visible()
