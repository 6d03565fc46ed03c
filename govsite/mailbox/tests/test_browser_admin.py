"""Browser scenario for the mailbox (R-MAIL-2, R-MAIL-3, R-MAIL-5; 第十一、十四条): a letter
from the public goes the whole internal path, each person logging in through the real form in
a context of their own: 综合科's officer (综合科 owns 沟通信箱) classifies it 涉及办公室内部工作 and
assigns it to 文书科; 文书科's officer drafts the reply; its chief approves it; 综合科's officer
words the reply, to be published; 综合科's chief signs it off; the public reads it on the
沟通信箱 page.
"""

import re

import pytest
from playwright.sync_api import expect

from ..models import Letter, LetterEvent
from .factories import write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "关于办事指南的咨询"
DRAFT = "您好，所需材料已在本网站业务指南栏目列出，欢迎查阅。"


def open_letter(page, letter):
    """From the menu's list 来信办理, open the letter by its number."""
    page.goto("/admin/mailbox/")
    row = page.get_by_role("row").filter(has_text=letter.tracking_number)
    expect(row).to_contain_text(SUBJECT)
    row.get_by_role("link", name=letter.tracking_number).click()
    page.wait_for_url(re.compile(rf"/admin/mailbox/{letter.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(letter.tracking_number)


def expect_message(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def step_in(new_browser_context, browser_login, user, letter):
    """``user`` signs in through the real form in a context of their own and opens the letter."""
    page = browser_login(new_browser_context().new_page(), user)
    open_letter(page, letter)
    return page


def test_the_internal_path_in_the_browser(new_browser_context, browser_login, people, mailbox):
    office, office_chief = people["office"], people["office_chief"]
    officer, chief = people["officer"], people["chief"]
    letter = write(subject=SUBJECT, text="请问办理业务需要哪些材料？")

    # 综合科's officer (the section owning 沟通信箱): triage and assignment.
    page = step_in(new_browser_context, browser_login, office, letter)
    page.get_by_label("涉及办公室内部工作").check()
    page.get_by_role("button", name="确定分类").click()
    expect_message(page, "已分类为“涉及办公室内部工作”")
    page.get_by_label("承办科室").select_option(label="文书科")
    expect(page.get_by_label("办理期限")).not_to_have_value("")  # the default, shown
    page.get_by_role("button", name="交办", exact=True).click()
    expect_message(page, "已交文书科办理")

    # 文书科: the officer drafts, the chief approves.
    page = step_in(new_browser_context, browser_login, officer, letter)
    page.get_by_label("答复草稿").fill(DRAFT)
    page.get_by_role("button", name="提交科长审核").click()
    expect_message(page, "答复草稿已提交科长审核")

    page = step_in(new_browser_context, browser_login, chief, letter)
    expect(page.get_by_role("main")).to_contain_text(DRAFT)
    page.get_by_role("button", name="审核通过").click()
    expect_message(page, "答复已审核通过，已送综合科拟定正式答复。")

    # 综合科's officer words the reply, to be published with the writer's consent.
    page = step_in(new_browser_context, browser_login, office, letter)
    expect(page.get_by_label("答复内容")).to_have_value(DRAFT)
    expect(page.get_by_label("在网站公开")).to_be_enabled()
    page.get_by_label("在网站公开").check()
    page.get_by_role("button", name="提交科长签发").click()
    expect_message(page, "答复已提交，待综合科科长签发。")
    expect(page.get_by_role("main")).to_contain_text("待综合科科长签发")

    # 综合科's chief signs it off: it goes out and is published.
    page = step_in(new_browser_context, browser_login, office_chief, letter)
    expect(page.get_by_role("main")).to_contain_text("并隐去个人信息在网站公开")
    page.get_by_role("button", name="签发", exact=True).click()
    expect_message(page, "已签发，答复已发送并在网站公开。")
    expect(page.get_by_role("main")).to_contain_text("已答复（已在网站公开）")

    letter.refresh_from_db()
    assert letter.status == Letter.Status.REPLIED and letter.published
    assert list(letter.events.values_list("action", "actor__username")) == [
        (LetterEvent.Action.RECEIVED, None),
        (LetterEvent.Action.CLASSIFIED, "zonghe_officer"),
        (LetterEvent.Action.ASSIGNED, "zonghe_officer"),
        (LetterEvent.Action.DRAFTED, "wenshu_officer"),
        (LetterEvent.Action.APPROVED, "wenshu_chief"),
        (LetterEvent.Action.PREPARED, "zonghe_officer"),
        (LetterEvent.Action.SIGNED_OFF, "zonghe_chief"),
        (LetterEvent.Action.REPLIED, "zonghe_chief"),
        (LetterEvent.Action.PUBLISHED, "zonghe_chief"),
    ]

    # The public: the letter and its reply on 沟通信箱's page.
    page = new_browser_context().new_page()
    page.goto(mailbox.url)
    page.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_role("main")).to_contain_text(DRAFT)
