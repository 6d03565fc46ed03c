"""Stored XSS (R-SEC-5): what the public types into every public form, and what an officer types
into a page's fields, is shown as text — on the public site and in the admin — and never runs.

Each payload of ``hostile/payloads.py`` (a script element, an attribute break-out with an
``onerror`` image, a ``javascript:`` URL, SVG ``onload``) goes in through the real form, is
stored as typed (or, in rich text, as the editor's converter leaves it) and every page that
shows it is parsed the way a browser parses it: no event handler, ``javascript:`` URL or
script element carries the payload's mark. ``shown_as_text`` checks the reader still sees what
was written. The mailbox's own tests cover ``<script>`` in its public fields
(govsite/mailbox/tests/test_public.py); these add the other payloads and the admin side.
"""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from govsite.columns.models import ArticlePage
from govsite.mailbox import captcha, cases
from govsite.mailbox.models import Letter
from govsite.mailbox.tests.factories import mailbox_url
from govsite.notices.models import Notice
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.surveys.models import Answer, Response
from govsite.surveys.tests.factories import add_response, make_survey, question, survey_column
from govsite.testing.helpers import add_article, sub_column
from govsite.workflow.tests.test_accountability import review_in_admin

from .hostile.payloads import PAYLOADS, SHORT, assert_safe, runnable, shown_as_text

pytestmark = pytest.mark.django_db
PAYLOAD_IDS = list(PAYLOADS)
ALL_PAYLOADS = " ".join(PAYLOADS.values())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("name", PAYLOAD_IDS)
def test_the_check_finds_each_payload_when_it_is_not_escaped(name):
    """The check can fail: each payload written into a page unescaped is found."""
    payload = PAYLOADS[name]
    unescaped = f'<div title="x">{payload}</div><a href="{payload}">链接</a>'
    assert runnable(unescaped)
    escaped = f"<div>{payload.replace('<', '&lt;').replace('"', '&quot;')}</div>"
    assert not runnable(escaped)


# 沟通信箱 (the public's letters) ------------------------------------------------------------------


def write_letter(client, payload, address="10.0.0.1", **fields):
    """The letter form, posted with the captcha answered and ``payload`` in every text field."""
    client.get(mailbox_url("write"), REMOTE_ADDR=address)
    data = {
        "name": f"张三{payload}"[:50],
        "phone": "13900001111",
        "email": "",
        "kind": "consult",
        "subject": payload,
        "text": f"　　{payload}\n第二段{payload}",
        "captcha": captcha.answer_for(client.session),
        **fields,
    }
    return client.post(mailbox_url("write"), data, REMOTE_ADDR=address)


@pytest.mark.parametrize("name", PAYLOAD_IDS)
def test_letter_form_shows_every_payload_back_as_text(client, site_tree, name):
    """Refused (wrong captcha, bad phone and e-mail): the form comes back with what was typed."""
    payload = PAYLOADS[name]
    response = write_letter(client, payload, captcha=payload, phone=payload, email=payload)
    html = assert_safe(response, "on the refused letter form")
    assert response.status_code == 200 and not Letter.objects.exists()
    assert shown_as_text(html, payload)


@pytest.mark.parametrize("name", PAYLOAD_IDS)
def test_letter_with_payloads_is_safe_on_the_public_site(client, site_tree, name):
    payload = PAYLOADS[name]
    response = write_letter(client, payload)
    assert response.status_code == 302, response.content.decode()[:3000]
    letter = Letter.objects.get()
    assert letter.subject == payload  # stored as typed
    html = assert_safe(client.get(response["Location"]), "on the done page")
    number = re.search(r"<code data-tracking-number>([^<]+)</code>", html).group(1)
    code = re.search(r"<code data-query-code>([^<]+)</code>", html).group(1)

    tracked = client.post(mailbox_url("track"), {"number": number, "code": code})
    assert shown_as_text(assert_safe(tracked, "on the tracking page"), payload)

    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.REPLIED,
        reply=f"答复：{payload}",
        reply_department=payload[:30],
        replied_at=timezone.now(),
        published=True,
        consent_to_publish=True,
    )
    for url in (mailbox_url(), mailbox_url("stats"), mailbox_url("letter", number)):
        html = assert_safe(client.get(url), f"on {url}")
    assert shown_as_text(html, f"答复：{payload}")


def test_track_form_shows_hostile_number_and_code_as_text(client, site_tree):
    for payload in PAYLOADS.values():
        response = client.post(mailbox_url("track"), {"number": payload[:32], "code": payload[:24]})
        html = assert_safe(response, "on the refused tracking form")
        assert "编号或查询码不正确" in html


@pytest.fixture
def manager(make_user):
    """综合科's side of the mailbox: an officer of the section owning 沟通信箱 classifies and
    reads letters."""
    return make_user("zonghe_officer", "综合科-信息员")


def test_letter_with_payloads_is_safe_in_the_admin(client, site_tree, manager):
    letter, _code = cases.receive(
        name=SHORT,
        phone="13900001111",
        email="",
        subject=PAYLOADS["script"],
        text=ALL_PAYLOADS,
        consent_to_publish=True,
    )
    client.force_login(manager)
    urls = [
        reverse("mailbox_letters"),
        reverse("mailbox_letters") + f"?q={PAYLOADS['attribute']}",
        reverse("mailbox_letter", args=[letter.pk]),
        reverse("mailbox_letter_print", args=[letter.pk]),
        reverse("mailbox_report"),
        reverse("mailbox_report_print"),
        reverse("wagtailadmin_home"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_safe(response, f"on {url}")
    html = client.get(reverse("mailbox_letter", args=[letter.pk])).text
    assert shown_as_text(html, PAYLOADS["script"]) and shown_as_text(html, PAYLOADS["svg"])


# 站内搜索 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAYLOAD_IDS)
def test_search_box_shows_the_query_as_text(client, site_tree, name):
    payload = PAYLOADS[name]
    add_article(sub_column("工作动态"), title=f"关于防范电信诈骗的提示{payload}")
    for query in (payload, f"电信诈骗 {payload}"):
        response = client.get(reverse("site_search"), {"q": query})
        assert response.status_code == 200
        assert shown_as_text(assert_safe(response, "on the search page"), payload)
    response = client.get(reverse("site_search"), {"q": "电信诈骗", "start": payload[:20]})
    assert "日期格式不正确" in assert_safe(response, "on the refused search form")


# 服务满意度调查 -------------------------------------------------------------------------------


def test_survey_answers_with_payloads_are_safe_in_the_form_and_the_admin(client, make_user):
    survey = make_survey(publish_results=True)
    url = survey_column().survey_url(survey)
    text_question = f"q{question(survey, 4).pk}"
    # Refused (the required questions left out): the sheet comes back with the text typed.
    refused = client.post(url, {text_question: ALL_PAYLOADS}, REMOTE_ADDR="203.0.113.7")
    html = assert_safe(refused, "on the refused answer sheet")
    assert "此题为必答题" in html and shown_as_text(html, PAYLOADS["svg"])
    # Options that are not the survey's are refused, and what was sent is not echoed as markup.
    forged = client.post(
        url,
        {f"q{question(survey, 1).pk}": PAYLOADS["attribute"], text_question: "好"},
        REMOTE_ADDR="203.0.113.8",
    )
    assert "所选选项无效" in assert_safe(forged, "on the refused answer sheet")
    # Accepted: stored as typed, shown escaped to 综合科 in the results.
    sheet = {f"q{question(survey, 1).pk}": "政府门户", f"q{question(survey, 3).pk}": "4"}
    accepted = client.post(
        url, {**sheet, text_question: PAYLOADS["script"]}, REMOTE_ADDR="203.0.113.9"
    )
    assert accepted.status_code == 302
    assert Answer.objects.filter(text=PAYLOADS["script"]).exists()
    for number, payload in enumerate(list(PAYLOADS.values())[1:], 1):
        add_response(survey, {1: "政府门户", 3: 4, 4: payload}, client_hash=f"{number:064d}")
    assert Response.objects.filter(survey=survey).count() == len(PAYLOADS)
    client.force_login(make_user("zonghe_officer", "综合科-信息员"))
    for view in ("surveys:results", "surveys:list"):
        args = [survey.pk] if view.endswith("results") else []
        html = assert_safe(client.get(reverse(view, args=args)), f"on {view}")
    html = client.get(reverse("surveys:results", args=[survey.pk])).text
    assert all(shown_as_text(html, payload) for payload in PAYLOADS.values())
    survey.closes_at = survey.opens_at + timedelta(hours=1)
    survey.save()
    public = client.get(survey_column().survey_url(survey, "results"))
    assert_safe(public, "on the public results")


# A page's fields, through the review chain -------------------------------------------------------


def contentstate(text, link):
    """Draftail's value for one paragraph whose last two characters link to ``link``."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": len(text) - 2, "length": 2, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link}}},
        }
    )


def hostile_article_form(**extra):
    """The editor's POST with a payload in the title, the subtitle, the body's text and a
    ``javascript:`` link in the body."""
    return nested_form_data(
        {
            "title": f"会议通知{PAYLOADS['script']}",
            "slug": "",
            "subtitle": f"副标题{PAYLOADS['attribute']}{PAYLOADS['svg']}",
            "classification": "public",
            "body": streamfield(
                [
                    (
                        "paragraph",
                        contentstate(f"正文{PAYLOADS['quote']}点此", PAYLOADS["javascript-url"]),
                    )
                ]
            ),
            "attachments": inline_formset([]),
            **extra,
        }
    )


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("mishu_officer", "秘书科-信息员"),
        "chief": make_user("mishu_chief", "秘书科-科长"),
        "director": make_user("director_a", roles.DIRECTORS, supervises=["秘书科"]),
        "auditor": make_user("auditor", roles.AUDIT_ADMINS),
    }


def admin_pages_are_safe(client, user, urls):
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (user.username, url, response.status_code)
        assert_safe(response, f"for {user.username} on {url}")


def test_page_fields_with_payloads_are_safe_through_the_review_chain(client, people):
    column = sub_column("领导重要讲话")
    client.force_login(people["officer"])
    created = client.post(
        reverse("wagtailadmin_pages:add", args=["columns", "articlepage", column.pk]),
        {**hostile_article_form(), "action-submit": "submit"},
    )
    assert created.status_code == 302, created.content.decode()[:3000]
    article = ArticlePage.objects.child_of(column).get()
    draft = article.get_latest_revision_as_object()
    assert draft.title == f"会议通知{PAYLOADS['script']}"  # stored as typed
    body = str(draft.body)  # the rich text as stored: the text escaped, the link's address gone
    assert "javascript:" not in body and "&lt;svg/onload=" in body and "<a>点此</a>" in body
    editing = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[column.pk]),
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("wagtailadmin_pages:history", args=[article.pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[article.pk]),
        reverse("govsite_workflow:page_record", args=[article.pk]),
        reverse("govsite_notices:notices"),
        reverse("wagtailadmin_pages:search") + "?q=会议通知",
    ]
    admin_pages_are_safe(client, people["officer"], editing)
    # 审核: the chief finds it on the dashboard and in the editor, approves; then the director.
    admin_pages_are_safe(client, people["chief"], editing[:3] + editing[5:7])
    review_in_admin(client, people["chief"], article, "approve")
    admin_pages_are_safe(client, people["director"], editing[:1] + editing[2:3])
    review_in_admin(client, people["director"], article, "approve")
    article.refresh_from_db()
    assert article.live and Notice.objects.filter(recipient=people["officer"]).exists()
    admin_pages_are_safe(client, people["officer"], editing)
    admin_pages_are_safe(
        client,
        people["auditor"],
        [reverse("govsite_workflow:office_record"), reverse("wagtailadmin_reports:site_history")],
    )
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish").exists()

    client.logout()
    public = client.get(article.url).text
    assert_safe(public, "on the article")
    assert shown_as_text(public, PAYLOADS["script"]) and shown_as_text(public, PAYLOADS["svg"])
    assert "<a>点此</a>" in public  # the javascript: link lost its address, kept its text
    for url in ("/", column.url, column.get_parent().url, reverse("site_map")):
        assert_safe(client.get(url), f"on {url}")
    found = client.get(reverse("site_search"), {"q": "会议通知"})
    assert shown_as_text(assert_safe(found, "in the search results"), "script")


def test_source_and_attachment_title_with_payloads_are_safe(client, site_tree, make_user):
    """来源 is the owning section's name; an attachment's title is the officer's."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents import get_document_model

    section = Section.objects.create(name=SHORT, code="hostile")
    document = get_document_model().objects.create(
        title=PAYLOADS["svg"], file=SimpleUploadedFile("a.txt", b"text")
    )
    article = add_article(sub_column("领导重要讲话"), title="附件测试")
    article.attachments.create(document=document, title="")
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(source_section=section)
    html = assert_safe(client.get(article.url), "on the article")
    assert shown_as_text(html, SHORT) and shown_as_text(html, PAYLOADS["svg"])
    client.force_login(make_user("sysadmin", roles.SYSTEM_ADMINS))
    for url in ("/admin/groups/", "/admin/documents/"):
        assert_safe(client.get(url), f"on {url}")
