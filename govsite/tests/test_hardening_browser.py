"""Content-Security-Policy in a real browser (R-SEC-5; docs/hardening.md): Chromium loads the
public pages and the Wagtail admin under the policies the site sends, and the pages work — a
visitor searches, tracks a letter, answers a survey; an officer edits and saves an article,
chooses an image in the chooser, opens the preview panel, is offered a conforming version of a
PNG (a ``data:`` preview) and opens the listings — with no CSP violation reported.

Violations are collected twice: the ``securitypolicyviolation`` events of every frame (an init
script, which the page's CSP does not govern, records them) and Chromium's console errors
("Refused to ..."). ``bypass_csp`` stays off: the browser enforces what the server sent.
"""

import re
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.csp import build_policy
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from govsite.audit.models import AuditEntry
from govsite.columns.models import ArticlePage, ColumnPage
from govsite.images.tests.factories import make_image, png_bytes
from govsite.mailbox import cases
from govsite.mailbox.pages import MailboxPage
from govsite.surveys.tests.factories import make_survey, survey_column
from govsite.testing.helpers import add_article, sub_column

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
        `in ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`
    );
});
"""


class Violations:
    """Every CSP violation in a browser context's pages and frames, as text."""

    def __init__(self, context):
        self.console = []
        self.pages = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("page", self._watch)

    def _watch(self, page):
        self.pages.append(page)
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def collect(self):
        found = list(self.console)
        for page in self.pages:
            if page.is_closed():
                continue
            for frame in page.frames:
                try:
                    found += frame.evaluate("window.__cspViolations || []")
                except Exception:  # noqa: BLE001 - a frame navigating away has nothing to say
                    continue
        return found

    def assert_none(self, where):
        found = self.collect()
        assert not found, f"CSP violations on {where}:\n" + "\n".join(found)


@pytest.fixture
def watched_context(new_browser_context):
    """A fresh browser context whose CSP violations are recorded: (context, Violations)."""

    def make():
        context = new_browser_context()
        return context, Violations(context)

    return make


@pytest.fixture
def content(site_tree, make_user):
    """An article with an image and an attachment, a letter to track and an open survey."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    image = make_image(title="办公楼", caption="区政府办公室外景")
    document = get_document_model().objects.create(
        title="会议纪要",
        file=SimpleUploadedFile("minutes.txt", "会议纪要全文。".encode()),
    )
    column = sub_column("领导重要讲话")
    article = add_article(
        column,
        title="区政府办公室召开专题会议",
        owner=officer,
        subtitle="研究部署下一阶段工作",
        body=[
            ("paragraph", "<p>会议听取了各科室工作汇报。</p>"),
            ("image", {"image": image, "caption": ""}),
        ],
    )
    article.attachments.create(document=document, title="会议纪要")
    article.save_revision(user=officer).publish()
    letter, code = cases.receive(
        name="李四",
        phone="13800002222",
        subject="关于路灯维修的建议",
        text="小区门口路灯坏了一个月。",
        consent_to_publish=False,
    )
    survey = make_survey()
    return {
        "officer": officer,
        "column": column,
        "article": ArticlePage.objects.get(pk=article.pk),
        "letter": letter,
        "code": code,
        "survey": survey,
    }


def public_urls(content):
    mailbox = MailboxPage.objects.get()
    return [
        "/",
        ColumnPage.objects.get(title="政务专题").url,
        content["column"].url,
        content["article"].url,
        "/search/?q=专题会议",
        "/sitemap/",
        mailbox.url,
        mailbox.url + mailbox.reverse_subpage("write"),
        mailbox.url + mailbox.reverse_subpage("track"),
        mailbox.url + mailbox.reverse_subpage("stats"),
        survey_column().url,
        survey_column().survey_url(content["survey"]),
        "/no-such-page/",
    ]


def test_public_pages_render_and_work_under_the_strict_policy(watched_context, content):
    context, violations = watched_context()
    page = context.new_page()
    for url in public_urls(content):
        response = page.goto(url)
        assert response.status == (404 if url == "/no-such-page/" else 200), url
        assert response.headers["content-security-policy"] == build_policy(settings.SECURE_CSP)
        # The stylesheet applies (style-src 'self'): site.css colours the header.
        background = page.locator(".site-header").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert background not in ("", "rgba(0, 0, 0, 0)", "transparent"), url
    violations.assert_none("the public pages")

    # The article's image loads (img-src 'self').
    page.goto(content["article"].url)
    loaded = page.locator(".article-body img").evaluate("img => img.complete && img.naturalWidth")
    assert loaded == 400

    # The header's search box.
    page.goto("/")
    page.get_by_label("站内搜索").fill("专题会议")
    page.get_by_role("button", name="搜索").click()
    expect(
        page.get_by_role("main").get_by_role("link", name=re.compile("专题会议"))
    ).to_be_visible()

    # The writer tracks their letter (a POST form).
    mailbox = MailboxPage.objects.get()
    page.goto(mailbox.url + mailbox.reverse_subpage("track"))
    page.get_by_label("信件编号").fill(content["letter"].tracking_number)
    page.get_by_label("查询码").fill(content["code"])
    page.get_by_role("button", name=re.compile("查询")).click()
    expect(page.get_by_text(content["letter"].subject)).to_be_visible()

    # A visitor answers the survey.
    survey = content["survey"]
    page.goto(survey_column().survey_url(survey))
    page.get_by_label("政府门户").check()
    page.get_by_role("radio", name=re.compile("^4分")).first.check()
    page.get_by_role("button", name=re.compile("提交")).click()
    page.wait_for_url(re.compile(r"/thanks/$"))
    assert survey.responses.count() == 1

    violations.assert_none("the public pages after searching, tracking and answering")
    assert not AuditEntry.objects.filter(action="csp_violation").exists()  # none reported


def test_what_the_policy_blocks_is_reported_to_the_audit_log(watched_context, content):
    """A script injected into a public page is refused by Chromium, which reports it to
    /csp-report/ (``report-uri``): the audit log has the page, the directive and the address."""
    context, violations = watched_context()
    page = context.new_page()
    article = content["article"]
    page.goto(article.url)
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.src = "https://evil.example/steal.js";
            document.body.append(script);
        }"""
    )
    deadline = time.monotonic() + 10
    entry = None
    while entry is None and time.monotonic() < deadline:
        time.sleep(0.2)
        entry = AuditEntry.objects.filter(action="csp_violation").first()
    assert entry is not None, "Chromium's report never reached the audit log"
    assert entry.detail["blocked-uri"] == "https://evil.example/steal.js"
    assert entry.detail["document-uri"].endswith(article.url)
    assert entry.detail["effective-directive"].startswith("script-src")
    assert entry.ip_address is None  # a visitor's address is not kept
    assert any("evil.example" in found for found in violations.collect())


def test_admin_pages_work_under_the_admin_policy(watched_context, browser_login, content):
    context, violations = watched_context()
    page = browser_login(context.new_page(), content["officer"])
    response = page.goto("/admin/")
    assert response.headers["content-security-policy"] == build_policy(settings.GOVSITE_ADMIN_CSP)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()

    # A listing: the sub-column in the page explorer.
    article = content["article"]
    page.goto(f"/admin/pages/{content['column'].pk}/")
    expect(page.get_by_role("row").filter(has_text=article.title)).to_be_visible()

    # The editor of the article: change the subtitle, open the image chooser, save a draft.
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.locator("#id_subtitle").fill("研究部署下一阶段重点工作")
    page.get_by_role("button", name="插入区块").first.click()
    page.get_by_role("option", name="图片").click()
    page.get_by_role("button", name="选择一个图片").last.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("link", name=re.compile("办公楼")).first).to_be_visible()
    dialog.get_by_role("link", name=re.compile("办公楼")).first.click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.get_by_text(re.compile("已保存草稿"))).to_be_visible()
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert latest.subtitle == "研究部署下一阶段重点工作"
    assert [block.block_type for block in latest.body].count("image") == 2

    # The preview panel frames the admin's own preview.
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="预览开关").click()
    preview = page.frame_locator("iframe[id*=preview]")
    expect(preview.get_by_role("heading", level=1)).to_have_text(article.title)

    # A PNG uploaded in 图片 is refused and a conforming JPEG offered, previewed as data: URI.
    page.goto("/admin/images/add/")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "截图.png", "mimeType": "image/png", "buffer": png_bytes(800, 600)}]
    )
    page.get_by_label(re.compile("文字说明")).fill("区政府办公室外景")
    page.get_by_role("button", name=re.compile("上传")).click()
    preview = page.get_by_role("img", name="符合规范的版本预览")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 500

    # Other listings an officer uses.
    for url in ("/admin/images/", "/admin/documents/", "/admin/pages/search/?q=专题"):
        assert page.goto(url).status == 200, url
    violations.assert_none("the admin pages")
