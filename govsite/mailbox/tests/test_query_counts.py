"""SPEC §12 for 来信办理: the worklist (every filter, every role), a letter, its print view,
整理上报 and the public 来信统计 cost the same queries for 20 letters and for 200, and absurd
filters answer at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from govsite.jobs.models import Job
from govsite.testing.helpers import screen_queries

from .. import cases
from ..models import Letter, LetterEvent
from ..pages import MailboxPage
from .factories import stored

Status = Letter.Status
LIST_QUERIES = 50
LETTER_QUERIES = 60
SUMMARY_QUERIES = 55
STATISTICS_QUERIES = 30

FILTERS = [
    {},
    {"status": [Status.ASSIGNED, Status.REPLIED], "kind": "consult", "scope": "internal"},
    {"overdue": "true", "extension": "false", "q": "路灯"},
    {"received_at_from": "2020-01-01", "received_at_to": "2100-01-01", "ordering": "deadline"},
]


def letters(wenshu, number):
    """``number`` letters assigned to 文书科 ten days ago, half of them answered since: their
    working days are counted on the holiday calendar (``Letter.handling_days``)."""
    today = timezone.localdate()
    made = []
    for n in range(number):
        status = Status.REPLIED if n % 2 else Status.ASSIGNED
        letter, _code = stored(
            status=status,
            section=wenshu,
            scope="internal",
            deadline=today,
            received_at=timezone.now() - timedelta(days=10),
        )
        made.append(letter)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "officer", "chief", "director"])
def test_the_worklist_costs_the_same_for_20_and_200_letters(client, people, wenshu, who):
    client.force_login(people[who])
    urls = [
        reverse(name) + "?" + urlencode(query, doseq=True)
        for query in FILTERS
        for name in ("mailbox_letters", "mailbox_letters_results")
    ]
    letters(wenshu, 20)
    few = [screen_queries(client, url)[0] for url in urls]
    letters(wenshu, 180)
    many = [screen_queries(client, url)[0] for url in urls]
    assert few == many and max(many) <= LIST_QUERIES, (few, many)


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["mailbox_letter", "mailbox_letter_print"])
def test_a_letter_costs_the_same_for_2_and_40_events(client, people, wenshu, view):
    (letter,) = letters(wenshu, 1)
    client.force_login(people["chief"])
    url = reverse(view, args=[letter.pk])

    def events(number):
        LetterEvent.objects.bulk_create(
            LetterEvent(letter=letter, action=LetterEvent.Action.REMINDED, actor=people["office"])
            for _ in range(number)
        )

    events(2)
    few = screen_queries(client, url)[0]
    events(38)
    assert few == screen_queries(client, url)[0] <= LETTER_QUERIES


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["mailbox_report", "mailbox_report_print"])
def test_the_summary_costs_the_same_for_20_and_200_letters(client, people, wenshu, view):
    client.force_login(people["office"])
    today = timezone.localdate()
    start = today - timedelta(days=10)
    url = reverse(view) + f"?start={start:%Y-%m-%d}&end={today:%Y-%m-%d}"
    letters(wenshu, 20)
    few = screen_queries(client, url)[0]
    letters(wenshu, 180)
    assert few == screen_queries(client, url)[0] <= SUMMARY_QUERIES


@pytest.mark.django_db
def test_the_export_page_costs_the_same_for_20_and_200_letters(client, people, wenshu):
    """导出 says how many letters the file will hold: a count, not the letters."""
    client.force_login(people["office"])
    today = timezone.localdate()
    start = today - timedelta(days=10)
    url = reverse("mailbox_report_export", args=["xlsx"])
    url += f"?start={start:%Y-%m-%d}&end={today:%Y-%m-%d}"
    letters(wenshu, 20)
    few = screen_queries(client, url)[0]
    letters(wenshu, 180)
    assert few == screen_queries(client, url)[0] <= SUMMARY_QUERIES


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_absurd_worklist_filters_answer_with_a_page(client, people, wenshu):
    made = letters(wenshu, 55)
    client.force_login(people["office"])
    url = reverse("mailbox_letters")
    oldest = reverse("mailbox_letter", args=[min(made, key=lambda letter: letter.received_at).pk])
    response = client.get(url, {"p": "1000000000"})
    assert response.status_code == 200 and oldest in response.content.decode()
    response = client.get(url, {"q": "路" * 10_000})
    assert response.status_code == 200
    assert "搜索内容不能超过 100 个字" in " ".join(messages_of(response))
    assert reverse("mailbox_letter", args=[made[0].pk]) not in response.content.decode()
    for query in (
        {"received_at_from": "1026-01-01", "received_at_to": "2026-12-31"},
        {"received_at_from": "2026-03-01", "received_at_to": "2026-01-01"},
        {"received_at_from": "2026-02-30"},
        {"status": "nope", "kind": "x" * 10_000, "section": "999999", "overdue": "maybe"},
    ):
        assert client.get(url, query).status_code == 200, query


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period, message",
    [
        ({"start": "1026-01-01", "end": "2026-01-01"}, "日期须在 1990 年至 2100 年之间。"),
        ({"start": "2026-01-01", "end": "9999-12-31"}, "日期须在 1990 年至 2100 年之间。"),
        ({"start": "2026-03-01", "end": "2026-01-01"}, "截止日期不能早于起始日期。"),
        ({"start": "x" * 10_000, "end": "2026-01-01"}, "输入一个有效的日期。"),
    ],
)
def test_an_absurd_summary_period_is_refused_in_chinese(client, people, period, message):
    client.force_login(people["office"])
    response = client.get(reverse("mailbox_report"), period)
    assert response.status_code == 200 and message in response.content.decode()
    for name in ("mailbox_report_print", "mailbox_report_export"):
        args = ["csv"] if name.endswith("export") else []
        response = client.get(reverse(name, args=args), period)
        assert response.status_code == 302 and response["Location"] == reverse("mailbox_report")
    url = reverse("mailbox_report_export", args=["csv"]) + "?" + urlencode(period)
    response = client.post(url)  # 开始导出 with such a period starts nothing
    assert response.status_code == 302 and response["Location"] == reverse("mailbox_report")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_summary_shows_fifty_letters_a_screen_and_the_last_past_it(client, people, wenshu):
    letters(wenshu, 55)
    client.force_login(people["office"])
    period = {"start": f"{timezone.localdate() - timedelta(days=10):%Y-%m-%d}",
              "end": f"{timezone.localdate():%Y-%m-%d}"}  # fmt: skip
    url = reverse("mailbox_report")
    html = client.get(url, period).content.decode()
    assert "下表按条件列出 55 封，本页显示第 1–50 封" in html
    html = client.get(url, {**period, "p": "1000000000"}).content.decode()
    assert "第 2 / 2 页" in html


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ["deadline", "-deadline", "status", "-status"])
def test_pages_of_one_deadline_neither_repeat_nor_skip_a_letter(client, people, wenshu, ordering):
    """55 letters of one deadline and one status: the two pages of each order hold each once
    (ties are broken by the date of receipt and the id, as the indexes are read)."""
    made = {letter.tracking_number for letter in letters(wenshu, 55)}
    Letter.objects.update(status=Status.ASSIGNED)
    client.force_login(people["office"])
    url = reverse("mailbox_letters")
    shown = []
    for page in ("1", "2"):
        html = client.get(url, {"ordering": ordering, "p": page}).content.decode()
        shown += [number for number in made if number in html]
    assert sorted(shown) == sorted(made)


@pytest.mark.django_db
def test_the_public_statistics_cost_the_same_for_20_and_200_letters(client, wenshu):
    """来信统计 (R-MAIL-5, R-MAIL-7): the month's figures and its ratings are counted in the
    database, whatever the number of letters and ratings."""
    url = MailboxPage.objects.get().url + "stats/"

    def rated(number):
        for letter in letters(wenshu, number):
            if letter.status == Status.REPLIED:
                cases.rate(letter, Letter.Rating.SATISFIED, "好")

    rated(20)
    few = screen_queries(client, url)[0]
    rated(180)
    assert few == screen_queries(client, url)[0] <= STATISTICS_QUERIES
