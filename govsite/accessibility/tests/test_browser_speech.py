"""Reading aloud (R-A11Y-1): 指读 reads what the pointer or the keyboard focus is on, 连读 reads on
from there; both only where the browser has a Chinese voice, and hidden where it has none.

Debian's headless Chromium has no voice at all (speechSynthesis.getVoices() is empty): the first
test is the real browser. For the second, a stand-in speech engine with one zh-CN voice replaces
``speechSynthesis`` (and its utterances) before the page loads and records what it is asked to
say — the only way to hear the toolbar on a machine without a voice."""

import pytest
from playwright.sync_api import expect

from govsite.testing.helpers import add_article, sub_column

from .conftest import wait_for_toolbar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHINESE_VOICE = """(() => {
    const voice = {lang: 'zh-CN', name: '中文（普通话）', default: true, localService: true};
    window.spoken = [];
    const engine = {
        getVoices: () => [voice],
        speak: u => { window.spoken.push(u.text); setTimeout(() => u.onend && u.onend(), 10); },
        cancel: () => { window.spoken.push('<cancel>'); },
        addEventListener: () => {},
    };
    Object.defineProperty(window, 'speechSynthesis', {value: engine, configurable: true});
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();"""


@pytest.fixture
def article(site_tree):
    return add_article(
        sub_column("工作动态"),
        title="区政府办公室开展适老化改造",
        body=[
            ("paragraph", "<p>第一段：网站增加长者模式。</p>"),
            ("paragraph", "<p>第二段：网站支持朗读。</p>"),
        ],
    )


def test_without_a_chinese_voice_the_reading_controls_are_hidden(browser_page, article):
    page = browser_page
    page.goto(article.url)
    wait_for_toolbar(page)
    assert page.evaluate("() => speechSynthesis.getVoices().length") == 0
    page.get_by_role("button", name="无障碍", exact=True).click()
    expect(page.get_by_role("button", name="长者模式")).to_be_visible()
    expect(page.get_by_role("button", name="指读")).to_be_hidden()
    expect(page.get_by_role("button", name="连读")).to_be_hidden()
    assert "指读" not in page.get_by_role("region", name="无障碍工具条").inner_text()


def test_point_reading_and_reading_on_with_a_chinese_voice(new_browser_context, article):
    context = new_browser_context()
    context.add_init_script(CHINESE_VOICE)
    page = context.new_page()
    page.goto(article.url)
    wait_for_toolbar(page)
    page.get_by_role("button", name="无障碍", exact=True).click()
    expect(page.get_by_role("button", name="指读")).to_be_visible()

    page.keyboard.press("Alt+Shift+D")  # 指读 on
    expect(page.get_by_role("button", name="指读")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("heading", name="区政府办公室开展适老化改造").hover()
    page.wait_for_function("() => window.spoken.includes('区政府办公室开展适老化改造')")
    page.get_by_role("navigation", name="当前位置").get_by_role("link", name="首页").focus()
    page.wait_for_function("() => window.spoken.includes('首页')")

    # 连读 from the title on: the paragraphs follow in order, then the reading stops.
    page.keyboard.press("Alt+Shift+D")  # 指读 off
    page.evaluate("() => { window.spoken = []; }")
    page.locator("h1").evaluate("h => { h.tabIndex = -1; h.focus(); }")
    page.keyboard.press("Alt+Shift+R")
    expect(page.get_by_role("button", name="连读")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => window.spoken.includes('第二段：网站支持朗读。')")
    spoken = page.evaluate("() => window.spoken.filter(t => t !== '<cancel>')")
    assert spoken[0] == "区政府办公室开展适老化改造"
    assert spoken.index("第一段：网站增加长者模式。") < spoken.index("第二段：网站支持朗读。")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="连读")).to_have_attribute("aria-pressed", "false")
