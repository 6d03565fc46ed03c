"""沟通信箱 in the browser (R-MAIL-1, R-MAIL-5, R-MAIL-7): a visitor writes a letter, is told
when to expect the reply, writes down its number and query code, tracks it, and once it is
answered rates the reply; label cells that stay on one line on a phone and on a desktop; the
整理上报 printed on A4 landscape.

The captcha's answer is in the visitor's session on the server only; the test reads it there
(``captcha.answer_for``) through the session store the live server uses — as a person reads
the image.
"""

import re
from datetime import date

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import expect

from govsite.testing.browser import DESKTOP

from .. import captcha, cases
from ..models import Letter
from ..pages import MailboxPage
from .factories import at, route, stored

PHONE = {"width": 375, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def captcha_answer(page):
    """The answer to the captcha the server issued to this browser's session."""
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    return captcha.answer_for(SessionStore(session_key=cookie["value"]))


def test_a_visitor_writes_a_letter_tracks_it_and_rates_the_reply(browser_page, people, wenshu):
    mailbox = MailboxPage.objects.get()
    page = browser_page
    page.goto(mailbox.url)
    expect(page.get_by_role("heading", name="留言须知")).to_be_visible()
    page.get_by_role("link", name="我要写信").click()

    page.get_by_role("textbox", name="姓名").fill("赵六")
    page.get_by_role("textbox", name="联系电话").fill("13700003333")
    page.get_by_role("radio", name="建议").check()
    page.get_by_role("textbox", name="标题").fill("建议延长图书馆开放时间")
    page.get_by_role("textbox", name="内容").fill("　　希望周末图书馆开放到晚上九点。\n谢谢！")
    page.get_by_role("textbox", name="验证码").fill(
        "0"
    )  # a wrong answer first: refused, the text stays
    page.get_by_role("button", name="提交信件", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    expect(page.get_by_role("textbox", name="标题")).to_have_value("建议延长图书馆开放时间")
    page.get_by_role("textbox", name="验证码").fill(captcha_answer(page))
    page.get_by_role("button", name="提交信件", exact=True).click()

    expect(page.get_by_role("heading", name="信件已提交")).to_be_visible()
    expect(page.locator("[data-reply-limit]")).to_have_text(
        "我们一般在 5 个工作日内答复（按工作日计算，节假日不计）。"
    )
    number = page.locator("[data-tracking-number]").inner_text()
    code = page.locator("[data-query-code]").inner_text()
    assert re.fullmatch(r"GT-\d{8}-\d{4}", number)
    assert re.fullmatch(r"([A-Z2-9]{4}-){3}[A-Z2-9]{4}", code)
    page.reload()  # shown once; and a refresh sends nothing again
    expect(page.get_by_role("heading", name="信件编号和查询码只显示一次")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(code)
    letter = Letter.objects.get()
    assert (letter.tracking_number, letter.kind) == (number, Letter.Kind.SUGGEST)

    page.get_by_role("link", name="查询办理结果").click()
    page.get_by_role("textbox", name="信件编号").fill(number.lower())
    page.get_by_role("textbox", name="查询码").fill(code.replace("-", ""))
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("已受理")
    expect(page.locator("main")).to_contain_text("希望周末图书馆开放到晚上九点。")
    expect(page.get_by_role("heading", name="评价答复")).to_have_count(0)  # not yet answered

    # The office answers (its steps are the admin's scenario).
    office = people["office"]
    cases.classify(letter, office, Letter.Scope.INTERNAL)
    cases.assign(letter, office, wenshu)
    cases.draft(letter, people["officer"], "已商文化馆，自下月起周末开放到晚上九点。")
    cases.approve(letter, people["chief"])
    cases.prepare_reply(Letter.objects.get(pk=letter.pk), office)
    cases.sign_off(Letter.objects.get(pk=letter.pk), people["office_chief"])

    page.get_by_role("link", name="查询其他信件").click()
    page.get_by_role("textbox", name="信件编号").fill(number)
    page.get_by_role("textbox", name="查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("已答复")
    expect(page.locator("main")).to_contain_text("自下月起周末开放到晚上九点")
    page.get_by_role("radio", name="基本满意").check()
    page.get_by_role("textbox", name="评价意见").fill("希望早点实行。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    expect(page.locator("[data-rating]")).to_have_text("基本满意")
    letter.refresh_from_db()
    assert (letter.rating, letter.rating_comment) == (
        Letter.Rating.FAIRLY_SATISFIED,
        "希望早点实行。",
    )

    # A second rating, sent from the rating page with the number and code, is refused politely
    # and what was typed stays.
    page.goto(route(mailbox, "rate"))
    page.get_by_role("textbox", name="信件编号").fill(number)
    page.get_by_role("textbox", name="查询码").fill(code)
    page.get_by_role("radio", name="不满意").check()
    page.get_by_role("textbox", name="评价意见").fill("再评一次")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("alert")).to_contain_text("未能评价")
    expect(page.get_by_role("alert")).to_contain_text("每封信件只能评价一次。感谢您的评价！")
    expect(page.get_by_role("textbox", name="评价意见")).to_have_value("再评一次")
    page.goto(route(mailbox, "track"))
    page.get_by_role("textbox", name="信件编号").fill(number)
    page.get_by_role("textbox", name="查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-rating]")).to_contain_text("基本满意")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    assert Letter.objects.get(pk=letter.pk).rating == Letter.Rating.FAIRLY_SATISFIED


# Labels that never break a word --------------------------------------------------------------

LINES = """cell => {
    // Runs of one line may sit a pixel apart (a fallback font's glyphs): a new line starts
    // only half a line below the one before.
    const range = document.createRange();
    range.selectNodeContents(cell);
    const rects = [...range.getClientRects()].filter(r => r.height > 0);
    rects.sort((a, b) => a.top - b.top);
    let lines = 0, top = -Infinity, height = 0;
    for (const rect of rects) {
        if (rect.top >= top + height / 2) { lines += 1; top = rect.top; height = rect.height; }
    }
    return lines;
}"""


def lines_of(locator):
    """How many lines of text each matched element shows, once the page and its fonts loaded."""
    locator.page.wait_for_load_state("load")
    locator.page.evaluate("document.fonts.ready.then(() => true)")
    return [cell.evaluate(LINES) for cell in locator.all()]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_label_cells_keep_to_one_line(new_browser_context, viewport):
    long_text = "小区门口的路灯已经坏了一个多月，晚上出行很不方便，" * 12
    letter, code = stored(
        status=Letter.Status.REPLIED,
        published=True,
        text=long_text,
        reply="已安排维修。" + "感谢您对我们工作的支持。" * 10,
    )
    mailbox = MailboxPage.objects.get()
    page = new_browser_context(viewport=viewport).new_page()
    page.goto(route(mailbox, "track"))
    page.get_by_role("textbox", name="信件编号").fill(letter.tracking_number)
    page.get_by_role("textbox", name="查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    labels = page.locator(".label-table th[scope=row]")
    expect(labels.first).to_have_text("办理状态")
    assert lines_of(labels) == [1] * labels.count()
    assert lines_of(page.locator(".label-table td.letter-text").first)[0] > 1  # the value wraps
    table = page.locator(".label-table").bounding_box()
    assert table["x"] + table["width"] <= viewport["width"]  # no sideways scrolling

    for url in (route(mailbox, "letter", letter.tracking_number), route(mailbox, "stats")):
        page.goto(url)
        labels = page.locator(".label-table th[scope=row]")
        assert labels.count() > 3 and lines_of(labels) == [1] * labels.count(), url
    page.goto(mailbox.url)
    headings = page.locator(".data-table thead th")
    assert lines_of(headings) == [1] * headings.count()
    dates = page.locator(".data-table tbody time")
    assert lines_of(dates) == [1] * dates.count()
    titles = page.locator(".letter-list tbody td:first-child")
    assert max(lines_of(titles)) <= 2  # a subject is never one character a line


# 整理上报 on paper -------------------------------------------------------------------------------

MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
A4_LANDSCAPE_CONTENT = {"width": 1031, "height": 700}  # 29.7 cm less 2 × 1.2 cm, at 96 px/inch


def test_the_printed_summary_is_a4_landscape_and_fits(new_browser_context, browser_login, people):
    for day in range(1, 21):
        letter, _ = stored(
            status=Letter.Status.REPLIED,
            subject="关于小区周边道路照明和停车秩序的建议" * 2,
            scope=Letter.Scope.INTERNAL,
        )
        Letter.objects.filter(pk=letter.pk).update(received_at=at(date(2030, 1, day)))
        cases.rate(letter, Letter.Rating.SATISFIED, "答复及时，问题已解决，谢谢。" * 3)
    page = browser_login(new_browser_context().new_page(), people["office"])
    page.goto(reverse("mailbox_report_print") + "?start=2030-01-01&end=2030-01-31")
    expect(page.get_by_role("heading", name="区政府办公室沟通信箱来信汇总")).to_be_visible()

    pdf = page.pdf(prefer_css_page_size=True)
    width, height = (float(n) for n in MEDIA_BOX.search(pdf).groups())
    assert (round(width), round(height)) in {(842, 595), (842, 596)}  # A4 on its side, in points
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 2  # 20 letters: several pages

    page.emulate_media(media="print")
    page.set_viewport_size(A4_LANDSCAPE_CONTENT)
    table = page.locator("table.mailbox-record")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= A4_LANDSCAPE_CONTENT["width"]
    assert table.locator("thead").evaluate("e => getComputedStyle(e).display") == (
        "table-header-group"  # the header row repeats on every printed page
    )
