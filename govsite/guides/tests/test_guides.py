"""帮助 (issue 14): the project's own staff guides, one per role, served inside the admin and
offline; the help menu leads with the user's own guide and links nowhere outside the site."""

import json
import re

import pytest
from django.urls import reverse

from govsite.guides.catalogue import GUIDES
from govsite.sections import roles
from govsite.testing.helpers import login

pytestmark = pytest.mark.django_db

# Each role's own guide comes first in its 帮助 menu.
FIRST_GUIDE = {
    "秘书科-信息员": "officer",
    "秘书科-科长": "chief",
    "主管主任(秘书科、文书科)": "director",
    "综合科-信息员": "zonghe",  # the section that owns 沟通信箱 (第十一条)
    "综合科-科长": "zonghe",
    roles.SITE_MANAGERS: "site-manager",
    roles.SYSTEM_ADMINS: "system-admin",
    roles.SECURITY_ADMINS: "security-admin",
    roles.AUDIT_ADMINS: "audit-admin",
}


def help_menu(client):
    """The 帮助 submenu's links, in the sidebar's order: [(label, url)]."""
    html = client.get("/admin/").content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    modules = json.loads(props.group(1))["modules"]
    main = next(m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule")
    help_item = next(item for item in main["_args"][0] if item["_args"][0]["name"] == "help")
    assert help_item["_args"][0]["label"] == "帮助"
    items = sorted(help_item["_args"][1], key=lambda item: item["_args"][0].get("order", 0))
    return [(item["_args"][0]["label"], item["_args"][0]["url"]) for item in items]


@pytest.mark.parametrize("role, slug", FIRST_GUIDE.items())
def test_each_role_finds_its_own_guide_first_in_help(client, role_users, role, slug):
    login(client, role_users[role])
    links = help_menu(client)
    label, url = links[0]
    assert url == reverse("govsite_guides:guide", args=[slug])
    assert label.endswith("（本岗位）")
    # Every guide is listed; nothing leads off the site (the office network has no internet),
    # and there is no badge to dismiss.
    assert {url for _, url in links} >= {
        reverse("govsite_guides:guide", args=[guide.slug]) for guide in GUIDES
    }
    assert all(url.startswith("/admin/") for _, url in links)


def test_a_chief_of_the_mailbox_section_also_finds_the_chiefs_guide(client, role_users):
    login(client, role_users["综合科-科长"])
    urls = [url for _, url in help_menu(client)]
    assert urls[:2] == [
        reverse("govsite_guides:guide", args=["zonghe"]),
        reverse("govsite_guides:guide", args=["chief"]),
    ]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.slug)
def test_every_guide_renders_for_staff(client, role_users, guide):
    login(client, role_users["文书科-信息员"])
    response = client.get(reverse("govsite_guides:guide", args=[guide.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and guide.title.split("（")[0][:4] in html
    # Links between guides lead to the guides' pages, never to the Markdown files.
    assert not re.search(r'href="[^"]+\.md', html)


def test_the_index_lists_the_users_guides_first(client, role_users):
    login(client, role_users["文书科-科长"])
    html = client.get(reverse("govsite_guides:index")).content.decode()
    assert html.index("本岗位的指南") < html.index("科长工作指南") < html.index("其他指南")


def test_an_unknown_guide_is_not_found(client, role_users):
    login(client, role_users["文书科-信息员"])
    assert client.get(reverse("govsite_guides:guide", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    "url", [reverse("govsite_guides:index"), reverse("govsite_guides:guide", args=["officer"])]
)
def test_anonymous_visitors_are_sent_to_login(client, site_tree, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
