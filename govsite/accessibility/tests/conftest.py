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


def topic_page_address():
    """An open 专栏 of 热点专题 (govsite/topics) with its banner, 板块 and an item."""
    from govsite.topics.tests.test_query_counts import topics

    topic = topics(1)[0]
    add_article(topic, title="优化营商环境十条措施发布", board=topic.boards.get(name="工作动态"))
    return topic.url


# Pages of features of other apps, as (name, function returning its address).
EXTRA_PAGES = [("topic", topic_page_address)]


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
            (
                "paragraph",
                "<p>今年以来，我区为 32 个老旧小区加装电梯 86 部，惠及居民 2400 余户。</p>",
            ),
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
        context.add_init_script(
            f"window.localStorage.setItem({STORE!r}, {json.dumps(json.dumps(mode))});"
        )
    return context


def wait_for_toolbar(page):
    """The toolbar shows once its script has run (and applied the saved modes)."""
    page.wait_for_selector("#a11y-bar:not([hidden])", state="attached")


def axe_violations(page, rules=None):
    """axe-core's WCAG 2.1 A/AA violations on the open page (or those of the named ``rules``
    only), as readable lines."""
    if not AXE.exists():  # make test installs it
        pytest.fail(f"axe-core 未安装（{AXE}）：make axe 安装。", pytrace=False)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "([type, values]) => axe.run(document, "
        "{runOnly: {type: type, values: values}, resultTypes: ['violations']})",
        ["rule", rules] if rules else ["tag", AXE_TAGS],
    )
    return [
        f"{violation['id']}: {violation['help']} — "
        + "; ".join(
            node["target"][0] + " " + (node.get("failureSummary") or "").replace("\n", " ")
            for node in violation["nodes"][:4]
        )
        for violation in result["violations"]
    ]


# The focused element's indicator, measured as a person sees it: the outline's colour against
# the opaque background it is drawn on (the element's own for an inset outline, its parent's
# otherwise), with translucent layers blended. WCAG 2.4.11/GB/T 37668: ≥ 3:1.
FOCUS_REPORT = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const parse = c => {
        const m = c.match(/[\\d.]+/g).map(Number);
        return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
    };
    const backdrop = start => {
        const layers = [];
        for (let node = start; node && node.nodeType === 1; node = node.parentElement) {
            const c = parse(getComputedStyle(node).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] >= 1) break;
        }
        let rgb = [255, 255, 255];
        for (const c of layers.reverse()) rgb = rgb.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
        return rgb;
    };
    const lum = rgb => {
        const [r, g, b] = rgb.map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth);
    const inset = parseFloat(style.outlineOffset) < 0;
    const outline = parse(style.outlineColor);
    const bg = backdrop(inset ? el : el.parentElement);
    const [a, b] = [lum(outline.slice(0, 3)), lum(bg)].sort((x, y) => y - x);
    const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.name
        || el.tagName).trim().slice(0, 20);
    return {name, style: style.outlineStyle, width, ratio: (a + 0.05) / (b + 0.05)};
}"""


def tab_through(page, limit=200):
    """Press Tab from the top of the page until focus leaves the page or comes round again;
    the focus indicator of each element reached (FOCUS_REPORT)."""
    reports, seen = [], set()
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        handle = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body) return null;
                const place = [...e.parentNode.children].indexOf(e);
                return (e.id || '') + '|' + place + '|' + e.outerHTML.slice(0, 120);
            }"""
        )
        if handle is None or handle in seen:
            break
        seen.add(handle)
        reports.append(page.evaluate(FOCUS_REPORT))
    return reports


def tab_to(page, name, limit=150):
    """Press Tab until the focused element's text is ``name`` (as a keyboard user looks for a
    link); fails when it never comes."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            """() => {
                const e = document.activeElement;
                const label = e.labels && e.labels[0];
                return ((label && label.innerText) || e.getAttribute('aria-label')
                    || e.innerText || '').trim();
            }"""
        )
        # A label's suffix or its explanation ("验证码：请填写…"), a link's second line.
        text = text.split("\n")[0].strip().rstrip(":：").split("：")[0]
        if text == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


# Tap targets (长者模式 ≥ 60 px) outside running text: the visible links, buttons and fields,
# a choice measured by its label.
TAP_TARGETS = """() => {
    const interactive = 'a, button, select, textarea, summary, input:not([type=hidden])';
    const targets = [...document.querySelectorAll(interactive)]
        .filter(e => !e.closest('.article-body, .skip-link, [hidden]') && e.getClientRects().length)
        .map(e => (e.type === 'radio' || e.type === 'checkbox') && e.labels && e.labels.length
            ? e.labels[0] : e);
    return targets.map(e => {
        const r = e.getBoundingClientRect();
        const text = (e.innerText || e.value || e.name || e.tagName).trim().slice(0, 20);
        return {text, width: r.width, height: r.height};
    })
        .filter(t => t.width < 59.5 || t.height < 59.5);
}"""
