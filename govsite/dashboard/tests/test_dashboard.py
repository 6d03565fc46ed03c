"""The dashboard opens with each role's work (issue 14; 第七、十四条; R-FLOW-2..6, R-MAIL-3):
what a member of staff sees on 首页, and the full lists behind it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govsite.testing.helpers import login

from . import factories
from .factories import RETURN_COMMENT

pytestmark = pytest.mark.django_db

OFFICER, CHIEF = "综合科-信息员", "综合科-科长"
DIRECTOR = "主管主任(综合科、督查室、信息中心)"
OTHER_DIRECTOR = "主管主任(秘书科、文书科)"


def dashboard(client, user):
    client.logout()
    login(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel(html, panel_id):
    """The text of one panel of the dashboard (its section element)."""
    match = re.search(rf'<section[^>]*id="{panel_id}"(.*?)</section>', html, re.S)
    assert match, f"no panel {panel_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def test_officer_sees_drafts_returns_and_submissions_with_their_column(client, role_users):
    officer, chief = role_users[OFFICER], role_users[CHIEF]
    factories.draft(officer, "未送审的草稿")
    factories.returned(officer, chief, "被退回的稿件")
    factories.submitted(officer, "审核中的稿件")

    html = dashboard(client, officer)

    drafts = panel(html, "dashboard-drafts-section")
    assert "未送审的草稿" in drafts and "工作动态" in drafts and "草稿" in drafts
    assert "被退回的稿件" not in drafts and "审核中的稿件" not in drafts
    returned = panel(html, "dashboard-returned-section")
    assert "被退回的稿件" in returned
    assert RETURN_COMMENT in returned
    assert "zonghe_chief" in returned  # who returned it
    assert "已退回（科长审核）" in returned
    submitted = panel(html, "dashboard-submitted-section")
    assert "审核中的稿件" in submitted and "等待科长审核" in submitted
    # A member of a section reads no review queue and no site-wide counts.
    assert "dashboard-reviews-section" not in html
    assert "个页面" not in html and "张图片" not in html


def test_each_empty_panel_says_so(client, role_users):
    html = dashboard(client, role_users[OFFICER])
    assert "没有未提交的草稿。" in panel(html, "dashboard-drafts-section")
    assert "没有退回给您的稿件。" in panel(html, "dashboard-returned-section")
    assert "没有审核中的稿件。" in panel(html, "dashboard-submitted-section")
    assert "本科室没有在办的来信。" in panel(html, "dashboard-letters-section")
    assert "没有未读通知。" in html


def test_reviews_wait_for_the_chief_then_for_the_supervising_director(client, role_users):
    officer, chief = role_users[OFFICER], role_users[CHIEF]
    factories.submitted(officer, "等科长的稿件")
    factories.approved_by_chief(officer, chief, "等主任的稿件")

    chief_queue = panel(dashboard(client, chief), "dashboard-reviews-section")
    assert "等科长的稿件" in chief_queue and "待科长审核" in chief_queue
    assert "等主任的稿件" not in chief_queue
    assert "zonghe_officer" in chief_queue  # who submitted it
    assert "预览" in chief_queue

    director_html = dashboard(client, role_users[DIRECTOR])
    director_queue = panel(director_html, "dashboard-reviews-section")
    assert "等主任的稿件" in director_queue and "待主管主任审核" in director_queue
    assert "等科长的稿件" not in director_queue
    # A director writes nothing: no drafts of their own to list.
    assert "dashboard-drafts-section" not in director_html

    other = panel(dashboard(client, role_users[OTHER_DIRECTOR]), "dashboard-reviews-section")
    assert "没有等待您审核的稿件。" in other


def test_the_same_site_name_and_the_users_roles_for_everyone(client, role_users):
    names = set()
    for role in [OFFICER, CHIEF, DIRECTOR, "综合科-网站管理", "系统管理员"]:
        html = dashboard(client, role_users[role])
        names.add(re.search(r'<h1 class="w-h1[^"]*">(.*?)</h1>', html, re.S).group(1).strip())
    assert names == {"区政府办公室网站"}
    html = dashboard(client, role_users[DIRECTOR])
    # The roles follow the name, so a director's supervised sections nest in no brackets.
    assert "您好，director_b：主管主任（分管综合科、督查室、信息中心）。" in html
    html = dashboard(client, role_users[OFFICER])
    assert "您好，zonghe_officer：综合科-信息员。" in html


def test_letters_of_the_section_with_deadlines_overdue_marked(client, role_users):
    today = timezone.localdate()
    factories.letter_for("综合科", "逾期未答的来信", deadline=today - timedelta(days=3))
    factories.letter_for("综合科", "期限未到的来信", deadline=today + timedelta(days=5))
    factories.letter_for("文书科", "别的科室的来信")

    letters = panel(dashboard(client, role_users[OFFICER]), "dashboard-letters-section")
    assert letters.index("逾期未答的来信") < letters.index("期限未到的来信")
    assert "已超期" in letters.split("期限未到的来信")[0]
    assert "已超期" not in letters.split("期限未到的来信")[1]
    assert (today + timedelta(days=5)).strftime("%Y-%m-%d") in letters
    assert "别的科室的来信" not in letters
    assert "待拟写答复 2" in letters  # the mailbox's own count

    director = panel(dashboard(client, role_users[DIRECTOR]), "dashboard-letters-section")
    assert "逾期未答的来信" in director and "别的科室的来信" not in director


def test_whoever_triages_finds_the_letters_waiting_for_it(client, role_users):
    """The 待分类 count and its link come from the mailbox's own worklist: they follow whoever
    the mailbox's rules let triage."""
    from govsite.mailbox import rules

    factories.letter_to_triage()
    candidates = [role_users[OFFICER], role_users["综合科-网站管理"]]
    triager = next(user for user in candidates if rules.may_triage(user))
    html = dashboard(client, triager)
    letters = panel(html, "dashboard-letters-section")
    assert "待分类 1" in letters
    assert f'href="{reverse("mailbox_letters")}?status=received"' in html


def test_the_first_ten_then_a_link_to_the_whole_list(client, role_users):
    officer = role_users[OFFICER]
    for number in range(12):
        factories.draft(officer, f"草稿第{number:02d}号")
    drafts = panel(dashboard(client, officer), "dashboard-drafts-section")
    assert drafts.count("草稿第") == 10
    assert "共 12 篇，查看全部" in drafts
    assert "草稿第11号" in drafts and "草稿第01号" not in drafts  # newest first

    response = client.get(reverse("dashboard_list", args=["drafts"]))
    assert response.status_code == 200
    assert response.content.decode().count("草稿第") == 12


def test_a_list_the_role_has_no_part_in_does_not_exist(client, role_users):
    login(client, role_users[DIRECTOR])
    assert client.get(reverse("dashboard_list", args=["drafts"])).status_code == 404
    assert client.get(reverse("dashboard_list", args=["letters"])).status_code == 404
    assert client.get(reverse("dashboard_list", args=["nonsense"])).status_code == 404
    assert client.get(reverse("dashboard_list", args=["reviews"])).status_code == 200
