"""The public 领导简介 and 机构职能 (第十条): the leaders as cards in the order 综合科 set in the
explorer, each linking the leader's page; 机构职能's sections with anchors, printable; the cards
page costs the same queries for 3 leaders and for 12."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govsite.sections import roles
from govsite.testing.helpers import assert_refused, login

from .factories import functions_column, leader_column, make_functions, make_leader

pytestmark = pytest.mark.django_db


def card_names(html):
    return re.findall(r'<span class="leader-name">([^<]+)</span>', html)


def test_the_cards_show_photo_name_post_and_duties_linking_each_leader(client, site_tree):
    leader = make_leader(
        "李红梅",
        post="区政府办公室党组成员、副主任",
        duties="负责政务公开、政府网站管理工作。",
        sections=["综合科", "督查室"],
    )
    html = client.get(leader_column().url).content.decode()
    card = html.split('<li class="leader-card">', 1)[1].split("</li>", 1)[0]
    assert f'href="{leader.url}"' in card
    assert "李红梅" in card and "区政府办公室党组成员、副主任" in card
    assert "负责政务公开、政府网站管理工作。" in card
    assert "分管综合科、督查室" in card
    # The photo: a 4:3 rendition, its shape kept by the style sheet at any width.
    image = re.search(r"<img [^>]*>", card).group(0)
    assert 'width="240"' in image and 'height="180"' in image and 'class="leader-photo"' in image
    assert 'alt="李红梅同志"' in image
    assert "organisation/organisation.css" in html


def test_a_leader_without_a_photo_still_has_a_card(client, site_tree):
    make_leader("刘海峰", photo=False)
    html = client.get(leader_column().url).content.decode()
    assert card_names(html) == ["刘海峰"] and "leader-photo-none" in html


def test_the_cards_follow_the_explorer_order_that_the_site_manager_sets(client, role_users):
    for name in ("陈志远", "王立新", "李红梅"):
        make_leader(name)
    url = leader_column().url
    assert card_names(client.get(url).content.decode()) == ["陈志远", "王立新", "李红梅"]

    # 综合科-网站管理 drags 李红梅 to the top in the explorer (Wagtail's 「排序」).
    manager = client.__class__()
    login(manager, role_users[roles.SITE_MANAGERS])
    li = leader_column().get_children().get(title="李红梅")
    response = manager.post(
        reverse("wagtailadmin_pages:set_page_position", args=[li.pk]) + "?position=0"
    )
    assert response.status_code == 200
    assert card_names(client.get(url).content.decode()) == ["李红梅", "陈志远", "王立新"]

    # An officer of 综合科 edits the leaders but does not reorder them.
    officer = client.__class__()
    login(officer, role_users["综合科-信息员"])
    chen = leader_column().get_children().get(title="陈志远")
    refused = officer.post(
        reverse("wagtailadmin_pages:set_page_position", args=[chen.pk]) + "?position=2"
    )
    assert_refused(refused)
    assert card_names(client.get(url).content.decode()) == ["李红梅", "陈志远", "王立新"]


def test_a_draft_leader_is_not_shown(client, site_tree):
    make_leader("陈志远")
    make_leader("赵未审", publish=False)
    assert card_names(client.get(leader_column().url).content.decode()) == ["陈志远"]


def test_the_leader_page_shows_the_facts_and_the_cv(client, site_tree):
    leader = make_leader(
        "王立新",
        post="区政府办公室副主任",
        duties="负责文稿起草。",
        sections=["秘书科"],
        body=[("paragraph", "<p>1978年出生，大学学历。</p>")],
    )
    html = client.get(leader.url).content.decode()
    assert "<h1>王立新</h1>" in html
    assert "区政府办公室副主任" in html and "分管秘书科" in html
    assert "1978年出生" in html and "<figcaption>王立新同志</figcaption>" in html


def test_functions_show_their_sections_with_anchors(client, site_tree):
    page = make_functions()
    for url in (functions_column().url, page.url):
        html = client.get(url).content.decode()
        for anchor in ("duties", "units", "contact"):
            assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
        units = re.findall(r"<h3>([^<]+)</h3>", html)
        assert units == ["综合科", "秘书科", "文书科"]
        assert "电话：0999-86012001" in html
        assert "310000" in html and "0999-86012009" in html
        assert 'href="mailto:bgs@linjiang.example.cn"' in html
        # Printable: the print sheet hides the navigation and prints the page's address.
        assert "organisation/organisation.css" in html and 'class="print-only' in html


def test_the_style_sheet_keeps_photos_4_3_and_prints(client, site_tree):
    from django.contrib.staticfiles import finders

    with open(finders.find("organisation/organisation.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert "aspect-ratio: 4 / 3" in css and "object-fit: cover" in css
    assert "@media print" in css and "@media (max-width: 420px)" in css


def _public_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.content.decode()


def test_the_cards_cost_the_same_for_3_and_12_leaders(client, site_tree):
    for n in range(3):
        make_leader(f"领导{n:02d}", sections=["综合科", "秘书科"])
    few, _ = _public_queries(client, leader_column().url)
    for n in range(3, 12):
        make_leader(f"领导{n:02d}", sections=["文书科"])
    many, html = _public_queries(client, leader_column().url)
    assert len(card_names(html)) == 12
    assert few == many, (few, many)


def test_the_functions_cost_the_same_for_3_and_12_units(client, site_tree):
    few_units = [(f"科室{n}", "职责", "") for n in range(3)]
    page = make_functions(units=few_units)
    few, _ = _public_queries(client, page.url)
    page.units = [*page.units.all()] + [
        page.units.model(name=f"科室{n}", duties="职责") for n in range(3, 12)
    ]
    page.save_revision().publish()
    many, html = _public_queries(client, page.url)
    assert html.count("<h3>科室") == 12
    assert few == many, (few, many)
