"""Every admin screen a member of staff can reach speaks Chinese (issue 14): for each role, sign
in, follow every link of the sidebar menu, open an article's editor and its history, and find
no English word in what the screen shows (a few proper nouns and formats allowed)."""

import json
import re

import pytest
from django.contrib.auth import get_user_model

from govsite.guides.catalogue import GUIDES
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
    "UTF",  # UTF-8, the .txt import's encoding
    "ISO",  # ISO 8601 in the reports' date filters
    "MAIL",  # E-MAIL beside 电子邮箱
    # Authenticator apps named in 双因素认证.
    "Google",
    "Microsoft",
    "Authenticator",
    "FreeOTP",
    "Ctrl",
    "Shift",
    "Alt",
    "Enter",
    "Tab",
    "Esc",
    "Cmd",
    "JSON",
    "yshj",  # the example address of a 专栏 (营商环境) in 专栏申请's form
    "GT",  # the letters' number prefix in 沟通信箱设置's example (GT-20261124-0001)
    # The 索引号 rule's placeholders in 政务公开设置, typed as they are: {code}/{year}-{seq:05d}.
    "code",
    "year",
    "month",
    "seq",
}
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# E-mail addresses and web addresses (政务新媒体's example) are names, not English words.
EMAIL = re.compile(r"\S+@\S+|https?://\S*")
ROLES = [
    "文书科-信息员",
    "文书科-科长",
    "综合科-信息员",  # 沟通信箱 and 调查问卷 are 综合科's (the owner of their columns)
    "综合科-科长",
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
                # Menu items may lead to a part of one screen (专栏申请's 我的申请 / 待我审核):
                # the screen is read once.
                links.append(args[0]["url"].partition("#")[0])
            if item["_type"].endswith("SubMenuItem"):
                walk(args[1])

    for module in json.loads(props)["modules"]:
        if module["_type"] == "wagtail.sidebar.MainMenuModule":
            walk(module["_args"][0])
    return list(dict.fromkeys(links))


# What the screen shows, less code samples (a password rule's example, a recovery code's format).
VISIBLE_TEXT = """() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll("code, pre, script, style, template").forEach((node) => node.remove());
    document.documentElement.appendChild(body);
    const text = document.title + "\\n" + body.innerText;
    body.remove();
    return text;
}"""


def english_words(page, usernames):
    text = EMAIL.sub(" ", page.evaluate(VISIBLE_TEXT))
    for name in sorted(usernames, key=len, reverse=True):
        text = text.replace(name, " ")
    return sorted({word for word in WORD.findall(text) if word not in ALLOWED})


# The 科室 listing shows each section's code (an identifier the office chose, e.g. "zonghe").
ELSEWHERE = {"/admin/snippets/sections/section/"}
# A staff guide (帮助) reads the same whoever opens it: each is read once, by the site manager,
# whose menu lists them all (the sidebar around it is read on every other screen).
GUIDE = re.compile(r"^/admin/help/[^/]+/$")


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_screen_of_the_role_speaks_chinese(
    role, role_users, new_browser_context, browser_login
):
    user = role_users[role]
    article = add_article(sub_column("政府文件"), title="关于做好年度工作的通知", owner=user)
    page = browser_login(new_browser_context().new_page(), user)
    links = menu_links(page)
    urls = [url for url in links if url not in ELSEWHERE and not GUIDE.match(url)]
    if role == roles.SITE_MANAGERS:
        guides = [url for url in links if GUIDE.match(url)]
        assert len(guides) == len(GUIDES), guides
        urls += guides
    if role.startswith("文书科") or role == roles.SITE_MANAGERS:
        urls += [f"/admin/pages/{article.pk}/edit/", f"/admin/pages/{article.pk}/history/"]
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        words = english_words(page, usernames)
        if words:
            found[url] = words
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
