"""Injection-like, over-long and out-of-range input on the public surfaces (R-SEC-5), and brute
force of the letter query code: every request gets the page's normal answer — results, or the
form back with a Chinese message and what was typed — and never a server error. Run on SQLite
and on PostgreSQL (which refuses NUL characters and out-of-range integers in queries where
SQLite does not).

Brute force of the admin login (django-axes) is tested with the lockout, in govsite/security.
"""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from govsite.mailbox import cases
from govsite.mailbox.models import Letter, MailboxSettings
from govsite.mailbox.pages import MailboxPage
from govsite.mailbox.tests.factories import letter_form, mailbox_url, send
from govsite.surveys.models import Response
from govsite.surveys.tests.factories import make_survey, question, survey_column
from govsite.testing.helpers import add_article, sub_column

pytestmark = pytest.mark.django_db

SQL_LIKE = [
    "' OR '1'='1",
    "1; DROP TABLE wagtailcore_page; --",
    "%' UNION SELECT username, password FROM accounts_user --",
    "'; SELECT pg_sleep(5); --",
    "\\'; DELETE FROM mailbox_letter; --",
    "%_%",
    "\\",
    "防汛' AND 1=CAST((SELECT version()) AS int) --",
]
ODD = ["\x00", "防\x00汛", "\u202e倒序", "😀🏛️", "\ud7ff", "　", "&#x3c;script&#x3e;"]
HUGE_INT = "9" * 30


@pytest.fixture
def articles(site_tree):
    return [
        add_article(sub_column("工作动态"), title=f"防汛工作部署会议第{n}次", body=[])
        for n in range(1, 4)
    ]


def ok(response, where=""):
    assert response.status_code < 500, (where, response.status_code)
    return response


# 站内搜索 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", SQL_LIKE + ODD)
def test_search_with_injection_like_words_answers_normally(client, articles, query):
    pages = Page.objects.count()
    response = ok(client.get(reverse("site_search"), {"q": query}), query)
    assert response.status_code == 200
    html = response.text
    if "\x00" in query:
        assert "不允许是用空字符串。" in html  # Django's zh_Hans "Null characters are not allowed."
    assert ok(client.get(reverse("site_search"), {"q": f"防汛 {query}"})).status_code == 200
    # Nothing was changed, and the search still finds what it found.
    assert Page.objects.count() == pages
    found = client.get(reverse("site_search"), {"q": "防汛"})
    assert "找到 3 条" in found.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "防" * 201}, "200"),  # 确保该值不超过 200 个字符
        ({"q": "防" * 100_000}, "200"),
        ({"q": "防汛", "column": "1 OR 1=1"}, "所选栏目不存在"),
        ({"q": "防汛", "column": HUGE_INT}, "所选栏目不存在"),
        ({"q": "防汛", "sub": "-1"}, "所选栏目不存在"),
        ({"q": "防汛", "start": "2026-01-01' OR 1=1 --"}, "日期格式不正确"),
        ({"q": "防汛", "end": "9999-99-99"}, "日期格式不正确"),
    ],
)
def test_search_refuses_bad_parameters_in_chinese(client, articles, params, message):
    response = ok(client.get(reverse("site_search"), params))
    assert response.status_code == 200 and message in response.text
    assert response.context["searched"] is False


@pytest.mark.parametrize("page", ["-1", "0", "abc", HUGE_INT, "1 OR 1=1", "1e9", "\x00"])
def test_out_of_range_page_numbers_show_a_page(client, articles, page):
    for url in (reverse("site_search") + "?q=防汛&page=", sub_column("工作动态").url + "?page="):
        response = ok(client.get(url + page), url)
        assert response.status_code == 200, url
        assert "部署会议第3次" in response.text, url  # a page of the list, not an empty one


@pytest.mark.parametrize("number", [HUGE_INT, "-1", "0"])
def test_out_of_range_ids_in_urls_are_not_found(client, site_tree, number):
    """Integer URL parts beyond any database integer: 404 (PostgreSQL would raise on them)."""
    survey_page = survey_column()
    mailbox = MailboxPage.objects.get()
    for url in (
        f"/documents/{number}/a.pdf",
        f"{survey_page.url}{number}/",
        f"{survey_page.url}{number}/results/",
        f"{mailbox.url}letter/{number}/",
        f"{mailbox.url}letter/{SQL_LIKE[0]}/",
    ):
        response = ok(client.get(url), url)
        assert response.status_code == 404, url


# 沟通信箱: the letter form and the tracking form -------------------------------------------------


@pytest.mark.parametrize("text", SQL_LIKE)
def test_injection_like_letters_are_stored_as_typed(client, site_tree, text):
    response = send(client, name=text[:50], subject=text, text=text)
    assert response.status_code == 302, response.text[:2000]
    letter = Letter.objects.get()
    assert (letter.subject, letter.text) == (text.strip(), text.rstrip())
    assert Page.objects.filter(depth=1).exists()  # nothing was dropped


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "张" * 51}, "姓名不能超过 50 个字（当前 51 个）"),
        ({"subject": "题" * 100_000}, "标题不能超过 100 个字（当前 100000 个）"),
        ({"text": "字" * 200_000}, "内容不能超过 3000 个字（当前 200000 个）"),
        ({"phone": "1" * 31}, "联系电话不能超过 30 个字（当前 31 个）"),
        ({"phone": "1' OR '1'='1"}, "联系电话只能包含数字"),
        ({"email": "a@b.cn' OR 1=1 --", "phone": ""}, "电子邮箱格式不正确"),
        ({"email": "a" * 250 + "@b.cn", "phone": ""}, "电子邮箱不能超过 254 个字"),
        ({"kind": "consult' OR 1=1 --"}, "请选择来信类型。"),
        ({"kind": HUGE_INT}, "请选择来信类型。"),
        ({"captcha": "1 OR 1=1"}, "验证码不正确"),
        ({"captcha": "9" * 10_000}, "验证码不正确"),
    ],
)
def test_bad_letter_fields_get_the_chinese_message_and_keep_the_letter(
    client, site_tree, fields, message
):
    response = send(client, **fields)
    assert response.status_code == 200
    assert message in response.text
    kept = letter_form(**fields)["text"]
    assert kept in response.text  # what was typed comes back, however long
    assert not Letter.objects.exists()


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        (SQL_LIKE[0], "AAAA-BBBB-CCCC-DDDD", "编号或查询码不正确"),
        ("GT-20260101-0001' OR 1=1 --", SQL_LIKE[1][:24], "编号或查询码不正确"),
        ("GT-%", "%", "编号或查询码不正确"),
        ("G" * 33, "AAAA-BBBB-CCCC-DDDD", "信件编号不能超过 32 个字（当前 33 个）"),
        ("GT-20260101-0001", "A" * 100_000, "查询码不能超过 24 个字（当前 100000 个）"),
        ("GT-\x0020260101", "\x00" * 5, "请填写查询码。"),
    ],
)
def test_bad_tracking_input_gets_the_uniform_chinese_answer(
    client, site_tree, number, code, message
):
    cases.receive(name="李四", phone="13800002222", subject="关于路灯维修的建议", text="内容")
    response = ok(client.post(mailbox_url("track"), {"number": number, "code": code}))
    assert response.status_code == 200 and message in response.text
    assert "关于路灯维修的建议" not in response.text  # no letter is shown


# 服务满意度调查 -------------------------------------------------------------------------------


def test_forged_answer_sheets_are_refused_or_ignored(client, site_tree):
    survey = make_survey()
    url = survey_column().survey_url(survey)
    required = {f"q{question(survey, 1).pk}": "政府门户", f"q{question(survey, 3).pk}": "4"}
    for forged, message in (
        ({f"q{question(survey, 3).pk}": "4' OR 1=1"}, "所选选项无效"),
        ({f"q{question(survey, 3).pk}": HUGE_INT}, "所选选项无效"),
        ({f"q{question(survey, 2).pk}": ["政务公开", "' OR 1=1 --"]}, "所选选项无效"),
        ({f"q{question(survey, 4).pk}": "很" * 100_000}, "文字请控制在 1000 字以内"),
    ):
        response = ok(client.post(url, {**required, **forged}, REMOTE_ADDR="203.0.113.9"))
        assert response.status_code == 200 and message in response.text, forged
    assert not Response.objects.exists()
    # A question of another survey, or one that does not exist, is ignored, not stored.
    other = make_survey(title="另一个调查")
    extra = {f"q{question(other, 4).pk}": "别处的答案", f"q{HUGE_INT}": "x", "q-1": "y"}
    assert client.post(url, {**required, **extra}, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert not Response.objects.get().answers.filter(text__in=["别处的答案", "x", "y"]).exists()


# Brute force of the query code (R-SEC-5, R-MAIL-5; govsite/clients.py) ------------------


def limit(queries):
    settings = MailboxSettings.load()
    settings.queries_per_hour = queries
    settings.save()


def guess(client, number, code, **headers):
    return client.post(mailbox_url("track"), {"number": number, "code": code}, **headers)


LIMITED = "查询过于频繁：同一网络每小时最多查询 5 次"
SUBJECT = "关于路灯维修的建议"


def test_guessing_from_fresh_browsers_and_forged_headers_hits_the_limit(site_tree):
    """Each guess from a new browser (no cookie), with a different X-Forwarded-For (ignored:
    no proxy is configured), malformed or well-formed: all count against the one address."""
    limit(5)
    letter, code = cases.receive(name="李四", phone="13800002222", subject=SUBJECT, text="坏了")
    for n in range(5):
        response = guess(
            Client(),
            letter.tracking_number,
            f"AAAA-BBBB-CCCC-{n:04d}" if n % 2 else "x" * 30,
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
        assert LIMITED not in response.text
    refused = guess(Client(), letter.tracking_number, code, REMOTE_ADDR="192.0.2.50")
    assert LIMITED in refused.text and SUBJECT not in refused.text
    # The right code from another address is answered: the limit is the address's.
    assert SUBJECT in guess(Client(), letter.tracking_number, code, REMOTE_ADDR="192.0.2.51").text


def test_rotating_addresses_within_one_ipv6_network_hits_the_limit(site_tree):
    limit(5)
    letter, code = cases.receive(name="李四", phone="13800002222", subject=SUBJECT, text="坏了")
    for n in range(5):
        guess(Client(), letter.tracking_number, f"AAAA-{n:04d}", REMOTE_ADDR=f"2001:db8:7:1::{n:x}")
    refused = guess(Client(), letter.tracking_number, code, REMOTE_ADDR="2001:db8:7:1:abcd::1")
    assert LIMITED in refused.text
    # Another /64 is another source.
    assert LIMITED not in guess(Client(), "GT-1", code, REMOTE_ADDR="2001:db8:7:2::1").text


def test_behind_the_proxy_only_the_address_it_saw_counts(settings, site_tree):
    """With nginx in front (GOVSITE_PROXY_COUNT=1) the client's own X-Forwarded-For entries
    are ignored: the address nginx appended is the source."""
    settings.GOVSITE_PROXY_COUNT = 1
    limit(5)
    letter, code = cases.receive(name="李四", phone="13800002222", subject=SUBJECT, text="坏了")
    for n in range(5):
        guess(
            Client(),
            letter.tracking_number,
            f"AAAA-{n:04d}",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.9.{n}.1, 192.0.2.77",
        )
    forged = "203.0.113.1, 192.0.2.77"
    refused = guess(
        Client(), letter.tracking_number, code, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forged
    )
    assert LIMITED in refused.text and SUBJECT not in refused.text
    other = "203.0.113.1, 192.0.2.78"  # another visitor behind the same nginx
    answered = guess(
        Client(), letter.tracking_number, code, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=other
    )
    assert SUBJECT in answered.text


def test_the_code_space_outlasts_the_limit():
    """16 characters of a 32-letter alphabet: at the default 20 guesses an hour from one source,
    finding one code takes more than 10^18 years on average."""
    codes = {cases.new_query_code() for _ in range(200)}
    assert len(codes) == 200
    alphabet = set("".join(codes).replace("-", ""))
    assert len(alphabet) == len(cases.CODE_ALPHABET) == 32
    assert all(len(code.replace("-", "")) == 16 for code in codes)
    hours = (
        len(cases.CODE_ALPHABET) ** 16
        / 2
        / MailboxSettings._meta.get_field("queries_per_hour").default
    )
    assert hours / (24 * 365) > 10**18
