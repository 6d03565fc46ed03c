"""What the accessibility tests share (R-A11Y-1): the public pages every mode is checked on, the
modes as the toolbar stores them, and axe-core from npm (package-lock.json; ``make axe``)."""

import json
from pathlib import Path

import pytest

from govsite.columns.models import ColumnPage
from govsite.disclosure.tests.factories import add_document, full_metadata
from govsite.mailbox.pages import MailboxPage
from govsite.surveys.tests.factories import make_survey, survey_column
from govsite.testing.helpers import add_article, sub_column

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA (GB/T 37668 level 2 follows them).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STORE = "govsite-a11y"  # accessibility/a11y.js

# The modes the suite checks, as the toolbar saves them in localStorage.
MODES = {
    "normal": {},
    "elder": {"elder": True},
    "contrast-dark": {"contrast": "dark"},
}
PHONE = {"width": 375, "height": 740}

# Pages of features built on other branches, as (name, function returning its address): the lead
# adds the 专栏 (topics) page here when that branch is merged.
EXTRA_PAGES = []


@pytest.fixture
def public_pages(site_tree):
    """{name: address} of the public pages of each kind, with realistic content."""
    news = sub_column("工作动态")
    for number in range(3):
        add_article(news, title=f"区政府召开第{number + 1}次常务会议研究民生实事")
    article = add_article(
        news,
        title="我区完成老旧小区加装电梯改造",
        body=[
            ("paragraph", "<p>今年以来，我区为 32 个老旧小区加装电梯 86 部，惠及居民 2400 余户。</p>"),
            ("paragraph", '<p>详情见<a href="/sitemap/">网站地图</a>。</p>'),
        ],
    )
    document = add_document(**full_metadata())
    survey = make_survey()
    pages = {
        "home": "/",
        "column": ColumnPage.objects.get(title="工作进展").url,
        "sub-column list": news.url,
        "article": article.url,
        "document": document.url,
        "letter form": MailboxPage.objects.get().url + "write/",
        "search results": "/search/?q=常务会议",
        "survey": survey_column().survey_url(survey),
        "accessibility help": "/accessibility/",
    }
    for name, address in EXTRA_PAGES:
        pages[name] = address()
    return pages


def with_mode(context, mode):
    """Make every tab of ``context`` open with ``mode`` chosen, as a visitor who chose it on an
    earlier visit (the toolbar reads localStorage)."""
    if mode:
        context.add_init_script(f"window.localStorage.setItem({STORE!r}, {json.dumps(json.dumps(mode))});")
    return context


def wait_for_toolbar(page):
    """The toolbar shows once its script has run (and applied the saved modes)."""
    page.wait_for_selector("#a11y-bar:not([hidden])", state="attached")


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the open page, as readable lines."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{violation['id']}: {violation['help']} — "
        + "; ".join(
            node["target"][0] + " " + (node.get("failureSummary") or "").replace("\n", " ")
            for node in violation["nodes"][:4]
        )
        for violation in result["violations"]
    ]
