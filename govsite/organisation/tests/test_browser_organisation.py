"""领导简介 and 机构职能 on a phone (SPEC §11, 375 px) and on a desktop, in Chromium: nothing
scrolls sideways, the cards stack, and every photo keeps its 4:3 shape — a portrait is never
squashed."""

import pytest
from playwright.sync_api import expect

from govsite.testing.browser import DESKTOP

from .factories import functions_column, leader_column, make_functions, make_leader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
LONG_DUTIES = (
    "负责政务公开、政府网站和政务新媒体管理、政务信息报送、督查督办和办公室信息化建设工作。"
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_cards_fit_the_screen_and_keep_photos_4_3(new_browser_context, viewport):
    for name in ("陈志远", "王立新", "李红梅"):
        make_leader(
            name, post="区政府办公室党组成员、副主任", duties=LONG_DUTIES, sections=["综合科"]
        )
    page = new_browser_context(viewport=viewport).new_page()
    page.goto(leader_column().url)

    cards = page.locator(".leader-card")
    expect(cards).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for photo in page.locator("img.leader-photo").all():
        box = photo.bounding_box()
        assert box["width"] > 100
        assert abs(box["width"] / box["height"] - 4 / 3) < 0.02, box
        assert box["x"] + box["width"] <= viewport["width"]
    boxes = [card.bounding_box() for card in cards.all()]
    if viewport is PHONE:
        # One card a row, one under the other, in the explorer's order.
        assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    else:
        assert boxes[0]["y"] == boxes[1]["y"]  # side by side
    expect(cards.first.locator(".leader-name")).to_have_text("陈志远")


def test_the_functions_sections_fit_a_phone_and_the_anchors_lead_there(new_browser_context):
    make_functions()
    page = new_browser_context(viewport=PHONE).new_page()
    page.goto(functions_column().url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("navigation", name="机构职能目录").get_by_role("link", name="联系方式").click()
    expect(page).to_have_url(f"{page.url.split('#')[0].rstrip('#')}#contact")
    expect(page.locator("#contact")).to_be_in_viewport()
