"""The writer rates the reply (R-MAIL-7; 第十一条): once, after the reply, with the letter's
number and query code checked as tracking checks them; the ratings show in the monthly
statistics, on the letter's admin page and in 整理上报 (on screen, on paper and in the file)."""

import csv
import io
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from .. import cases, reports
from ..exports import HEADERS
from ..models import Letter, LetterEvent, MailboxSettings
from .factories import at, rate, route, stored, track

Status, Rating, Action = Letter.Status, Letter.Rating, LetterEvent.Action
MASK = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"|>[^<]*</textarea>')


def summary_of(response):
    html = response.content.decode()
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return found.group(0) if found else ""


def ratings():
    return LetterEvent.objects.filter(action=Action.RATED)


@pytest.fixture
def replied():
    return stored(status=Status.REPLIED, reply="路灯已修好。", reply_department="综合科")


# Rating from the tracking page ------------------------------------------------------------------


@pytest.mark.django_db
def test_after_the_reply_the_writer_rates_it_from_the_tracking_page(client, mailbox, replied):
    letter, code = replied
    html = track(client, mailbox, letter.tracking_number, code).content.decode()
    assert "评价答复" in html and "每封信件只能评价一次" in html
    form = re.search(r'<form class="mailbox-form rating-form".*?</form>', html, re.S).group(0)
    assert f'action="{route(mailbox, "rate")}"' in form
    hidden = dict(re.findall(r'<input type="hidden" name="(number|code)" value="([^"]+)"', form))
    assert hidden == {"number": letter.tracking_number, "code": code}
    assert all(label in form for label in ("满意", "基本满意", "不满意", "评价意见"))

    response = rate(
        client, mailbox, hidden["number"], hidden["code"], "fairly_satisfied", "  还行，但慢了。 "
    )
    html = response.content.decode()
    assert "<h1>感谢您的评价</h1>" in html and "<strong data-rating>基本满意</strong>" in html
    assert "no-store" in response["Cache-Control"]
    letter.refresh_from_db()
    assert (letter.rating, letter.rating_comment) == (Rating.FAIRLY_SATISFIED, "还行，但慢了。")
    assert letter.rated_at is not None
    event = ratings().get()
    assert (event.letter, event.actor, event.note) == (letter, None, "基本满意：还行，但慢了。")
    assert event.actor_name == "来信人" and event.get_action_display() == "评价"

    html = track(client, mailbox, letter.tracking_number, code).content.decode()
    assert re.search(r"<td data-rating>基本满意（\d{4}-\d{2}-\d{2}）", html)
    assert "rating-form" not in html


@pytest.mark.django_db
def test_a_second_rating_is_refused_politely_and_the_first_kept(client, mailbox, replied):
    letter, code = replied
    rate(client, mailbox, letter.tracking_number, code, "satisfied")
    response = rate(client, mailbox, letter.tracking_number, code, "dissatisfied", "改主意了")
    summary = summary_of(response)
    assert "<h2>未能评价</h2>" in summary
    rated_on = timezone.localdate()
    assert (
        f"已于 {rated_on:%Y年%m月%d日} 评价过（满意），每封信件只能评价一次。感谢您的评价！"
        in summary
    )
    letter.refresh_from_db()
    assert (letter.rating, letter.rating_comment) == (Rating.SATISFIED, "")
    assert ratings().count() == 1


@pytest.mark.django_db
def test_a_stale_copy_of_the_letter_cannot_rate_it_twice(replied):
    """Two ratings sent at once: the one stored first stays."""
    letter, _ = replied
    first, second = Letter.objects.get(pk=letter.pk), Letter.objects.get(pk=letter.pk)
    cases.rate(first, Rating.SATISFIED)
    with pytest.raises(cases.CaseError, match="只能评价一次"):
        cases.rate(second, Rating.DISSATISFIED)
    assert Letter.objects.get(pk=letter.pk).rating == Rating.SATISFIED
    assert ratings().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s for s in Status if s != Status.REPLIED])
def test_no_rating_before_the_reply(client, mailbox, status):
    letter, code = stored(status=status, close_reason="不属于本办受理范围。")
    assert (
        "rating-form" not in track(client, mailbox, letter.tracking_number, code).content.decode()
    )
    summary = summary_of(rate(client, mailbox, letter.tracking_number, code))
    assert "<h2>未能评价</h2>" in summary and "还没有答复，答复后才能评价" in summary
    letter.refresh_from_db()
    assert letter.rating == "" and not ratings().exists()


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_wrong_code_is_refused_exactly_as_tracking_refuses_it(client, mailbox, replied):
    letter, code = replied
    other, other_code = stored(status=Status.REPLIED)
    answers = [
        rate(client, mailbox, letter.tracking_number, other_code),  # wrong code
        rate(client, mailbox, "GT-20000101-0001", code),  # wrong number
        rate(client, mailbox, "GT-20000101-0001", "AAAA-BBBB-CCCC-DDDD"),  # both wrong
    ]
    assert len({MASK.sub("", answer.content.decode()) for answer in answers}) == 1
    tracked = summary_of(track(client, mailbox, letter.tracking_number, other_code))
    assert re.sub(r"\s", "", summary_of(answers[0])) == re.sub(r"\s", "", tracked)
    assert "<h2>查询失败</h2>" in tracked and "编号或查询码不正确" in tracked
    assert letter.subject not in answers[0].content.decode()
    assert not Letter.objects.rated().exists() and not ratings().exists()


@pytest.mark.django_db
def test_ratings_and_look_ups_share_one_hourly_budget(client, mailbox, replied):
    settings = MailboxSettings.load()
    settings.queries_per_hour = 3
    settings.save()
    letter, code = replied
    for guess in range(3):
        rate(client, mailbox, letter.tracking_number, f"AAAA-BBBB-CCCC-{guess:04d}")
    refused = summary_of(rate(client, mailbox, letter.tracking_number, code))
    assert "查询过于频繁：同一网络每小时最多查询 3 次" in refused
    assert "查询过于频繁" in summary_of(track(client, mailbox, letter.tracking_number, code))
    assert not Letter.objects.rated().exists()
    elsewhere = rate(client, mailbox, letter.tracking_number, code, address="10.9.9.9")
    assert "感谢您的评价" in elsewhere.content.decode()


@pytest.mark.django_db
def test_a_comment_too_long_is_refused_and_kept(client, mailbox, replied):
    letter, code = replied
    comment = "答" * 201
    response = rate(client, mailbox, letter.tracking_number, code, "dissatisfied", comment)
    html = response.content.decode()
    assert "评价意见不能超过 200 个字（当前 201 个），请精简后再提交。" in html
    assert f">\n{comment}</textarea>" in html  # nothing typed is lost
    assert 'value="dissatisfied" required id="id_rating_2" checked' in html
    letter.refresh_from_db()
    assert letter.rating == "" and not ratings().exists()
    rate(client, mailbox, letter.tracking_number, code, "dissatisfied", "答" * 200)
    assert Letter.objects.get(pk=letter.pk).rating_comment == "答" * 200


@pytest.mark.django_db
@pytest.mark.parametrize("rating", ["", "excellent"])
def test_a_rating_must_be_one_of_the_three(client, mailbox, replied, rating):
    letter, code = replied
    html = rate(client, mailbox, letter.tracking_number, code, rating, "留言").content.decode()
    assert "请选择评价：满意、基本满意或不满意。" in html and ">\n留言</textarea>" in html
    assert not Letter.objects.rated().exists()


@pytest.mark.django_db
def test_a_rating_without_the_form_token_is_refused(mailbox, replied):
    letter, code = replied
    visitor = Client(enforce_csrf_checks=True)
    response = rate(visitor, mailbox, letter.tracking_number, code)
    assert response.status_code == 403
    assert not Letter.objects.rated().exists()


@pytest.mark.django_db
def test_the_rating_page_asks_for_the_number_and_code(client, mailbox):
    response = client.get(route(mailbox, "rate"))
    html = response.content.decode()
    assert "<h1>评价答复</h1>" in html and "no-store" in response["Cache-Control"]
    assert re.search(r'<input type="text" name="number"', html)
    assert re.search(r'<input type="text" name="code"', html)
    assert 'type="hidden" name="code"' not in html


# Where the ratings show ---------------------------------------------------------------------


def rated_letter(rating, comment="", day=None):
    letter, _ = stored(status=Status.REPLIED)
    if day is not None:
        Letter.objects.filter(pk=letter.pk).update(received_at=at(day))
    return cases.rate(letter, rating, comment)


@pytest.mark.django_db
def test_the_monthly_statistics_count_the_ratings(client, mailbox):
    for rating in [
        Rating.SATISFIED,
        Rating.SATISFIED,
        Rating.FAIRLY_SATISFIED,
        Rating.DISSATISFIED,
    ]:
        rated_letter(rating)
    stored(status=Status.REPLIED)  # answered, not rated
    html = client.get(route(mailbox, "stats")).content.decode()
    figures = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="number">([^<]+)</td>', html))
    assert figures["来信人评价答复"] == "4 件"
    assert figures["其中：满意"] == "2 件"
    assert figures["其中：基本满意"] == "1 件"
    assert figures["其中：不满意"] == "1 件"
    assert figures["满意率"] == "75.0%"


@pytest.mark.django_db
def test_no_rating_no_satisfaction_rate(client, mailbox):
    stored(status=Status.REPLIED)
    html = client.get(route(mailbox, "stats")).content.decode()
    assert re.search(r'<th scope="row">满意率</th><td class="number">—</td>', html)


@pytest.mark.django_db
def test_staff_see_the_rating_on_the_letter_page(client, people, replied):
    letter, _ = replied
    cases.rate(letter, Rating.DISSATISFIED, "答非所问。")
    client.force_login(people["office"])
    html = client.get(reverse("mailbox_letter", args=[letter.pk])).content.decode()
    assert "<dt>群众评价</dt>" in html and "<strong>不满意</strong>" in html
    assert "答非所问。" in html
    assert re.search(r"<td>评价</td>\s*<td>来信人</td>", html)


JANUARY = {"start": "2030-01-01", "end": "2030-01-31"}


@pytest.fixture
def january():
    """Two letters received and answered in January 2030, one of them rated."""
    rated = rated_letter(Rating.SATISFIED, "=HYPERLINK(1)", day=date(2030, 1, 7))
    unrated, _ = stored(status=Status.REPLIED)
    Letter.objects.filter(pk=unrated.pk).update(received_at=at(date(2030, 1, 8)))
    return rated, unrated


@pytest.mark.django_db
def test_the_summary_file_has_the_rating_columns_and_figures(client, people, january, exported):
    rated, unrated = january
    client.force_login(people["office"])
    content = exported(reverse("mailbox_report_export", args=["xlsx"]), JANUARY)
    workbook = load_workbook(io.BytesIO(content))
    rows = list(workbook["来信汇总"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS.values()) and rows[0][-2:] == ("群众评价", "评价意见")
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[rated.tracking_number][-2:] == ("满意", "=HYPERLINK(1)")
    comments = [row[-1] for row in workbook["来信汇总"].iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in comments if cell.value)  # text, not a formula
    assert by_number[unrated.tracking_number][-2:] in {("", ""), (None, None)}
    figures = dict(workbook["统计"].iter_rows(values_only=True))
    assert figures["参与评价"] == 1 and figures["满意"] == 1 and figures["不满意"] == 0
    assert figures["满意率（满意与基本满意）"] == "100.0%"

    text = exported(reverse("mailbox_report_export", args=["csv"]), JANUARY).decode("utf-8")
    assert "参与评价,1\r\n" in text
    table = list(csv.reader(io.StringIO(text.split("\r\n\r\n", 1)[1])))
    assert table[0][-2:] == ["群众评价", "评价意见"]
    by_number = {row[0]: row for row in table[1:] if row}
    assert by_number[rated.tracking_number][-2:] == ["满意", "'=HYPERLINK(1)"]


@pytest.mark.django_db
def test_the_printed_summary_is_landscape_with_the_ratings(client, people, january):
    rated, _ = january
    client.force_login(people["office"])
    html = client.get(reverse("mailbox_report_print"), JANUARY).content.decode()
    assert "@page { size: A4 landscape;" in html
    assert "<th>群众评价</th><th>评价意见</th>" in html
    assert "满意率（满意与基本满意）" in html and "100.0%" in html
    assert reports.statistics(date(2030, 1, 1), date(2030, 1, 31)).satisfaction_rate == 100.0
