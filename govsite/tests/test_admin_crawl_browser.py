"""Every admin screen a member of staff can reach speaks Chinese (issue 14): for each role, sign
in, follow every link of the sidebar menu, open an article's editor and its history, and find
no English word in what the screen shows (a few proper nouns and formats allowed)."""

import json
import re

import pytest

from govsite.sections import roles
from govsite.testing.helpers import add_article, sub_column

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Names and formats that are English in Chinese offices too.
ALLOWED = {
    "PDF",
    "Word",
    "docx",
    "doc",
    "txt",
    "URL",
    "RSS",
    "Excel",
    "xlsx",
    "csv",
    "CSV",
    "ID",
    "HTTP",
    "HTTPS",
    "IP",
    "ICP",
    "WPS",
    "TOTP",
    "XML",
    "JPEG",
    "JPG",
    "PNG",
    "GIF",
    "SVG",
    "WebP",
    "HEIC",
    "AVIF",
    "MP3",
    "MP4",
    "KB",
    "MB",
    "GB",
    "Redis",
    "PostgreSQL",
    "SQLite",
    "Markdown",
    "Ctrl",
    "Shift",
    "Alt",
    "Enter",
    "Tab",
    "Esc",
    "Cmd",
}
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
EMAIL = re.compile(r"\S+@\S+")
ROLES = [
    "文书科-信息员",
    "文书科-科长",
    "主管主任(秘书科、文书科)",
    roles.SITE_MANAGERS,
    roles.SYSTEM_ADMINS,
    roles.SECURITY_ADMINS,
    roles.AUDIT_ADMINS,
]


def menu_links(page):
    props = page.locator("#wagtail-sidebar-props").text_content()
    links = []

    def walk(items):
        for item in items:
            args = item["_args"]
            if args[0].get("url") and args[0]["url"].startswith("/admin/"):
                links.append(args[0]["url"])
            if item["_type"].endswith("SubMenuItem"):
                walk(args[1])

    for module in json.loads(props)["modules"]:
        if module["_type"] == "wagtail.sidebar.MainMenuModule":
            walk(module["_args"][0])
    return list(dict.fromkeys(links))


def english_words(page, user):
    text = page.evaluate("document.title + '\\n' + document.body.innerText")
    text = EMAIL.sub(" ", text).replace(user.get_username(), " ")
    return sorted({word for word in WORD.findall(text) if word not in ALLOWED} - {"_officer"})


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_screen_of_the_role_speaks_chinese(
    role, role_users, new_browser_context, browser_login
):
    user = role_users[role]
    article = add_article(sub_column("政府文件"), title="关于做好年度工作的通知", owner=user)
    page = browser_login(new_browser_context().new_page(), user)
    urls = ["/admin/", *menu_links(page)]
    if role.startswith("文书科") or role == roles.SITE_MANAGERS:
        urls += [f"/admin/pages/{article.pk}/edit/", f"/admin/pages/{article.pk}/history/"]
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        words = english_words(page, user)
        if words:
            found[url] = words
    assert not found, found
