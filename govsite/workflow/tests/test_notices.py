"""R-FLOW-6: every reviewer sees what waits for them, submitters see their items and notices."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from govsite.notices.delivery import notify
from govsite.notices.models import Notice
from govsite.sections import roles
from govsite.testing.helpers import add_article, sub_column


def submit(page, user):
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("mishu_officer", "秘书科-信息员"),
        "chief": make_user("mishu_chief", "秘书科-科长"),
        "other_officer": make_user("wenshu_officer", "文书科-信息员"),
        "other_chief": make_user("wenshu_chief", "文书科-科长"),
        "director": make_user("director_a", roles.DIRECTORS, supervises=["秘书科", "文书科"]),
    }


@pytest.fixture
def submitted(people):
    """One item waiting in each of two sections: 秘书科's and 文书科's."""
    mine = add_article(
        sub_column("领导重要讲话"), title="秘书科的稿件", owner=people["officer"], publish=False
    )
    theirs = add_article(
        sub_column("政府文件"), title="文书科的稿件", owner=people["other_officer"], publish=False
    )
    submit(mine, people["officer"])
    submit(theirs, people["other_officer"])
    return mine, theirs


def dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def panel(html, panel_id):
    """The HTML of one dashboard panel (Wagtail renders each as a <section id=…>)."""
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def menu_label(html, name):
    """The label of a main-menu item, from the sidebar's JSON props."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )

    def find(node):
        if isinstance(node, dict):
            if node.get("name") == name and "label" in node:
                return node["label"]
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                if (label := find(child)) is not None:
                    return label
        return None

    return find(json.loads(props.group(1)))


@pytest.mark.django_db
def test_a_chief_sees_only_their_sections_items_under_dai_wo_shen_he(client, people, submitted):
    html = dashboard(client, people["chief"])
    queue = panel(html, "dashboard-reviews")
    assert "待我审核" in queue
    assert "秘书科的稿件" in queue and "文书科的稿件" not in queue
    assert "等待你的审查" not in html  # Wagtail's own wording is overridden

    other = panel(dashboard(client, people["other_chief"]), "dashboard-reviews")
    assert "文书科的稿件" in other and "秘书科的稿件" not in other


@pytest.mark.django_db
def test_a_chief_with_nothing_to_review_sees_no_queue(client, people, make_user):
    add_article(sub_column("领导重要讲话"), title="秘书科的稿件", owner=people["officer"])
    html = dashboard(client, make_user("ducha_chief", "督查室-科长"))
    assert "没有等待您审核的稿件。" in panel(html, "dashboard-reviews")
    assert "秘书科的稿件" not in html


@pytest.mark.django_db
def test_the_director_sees_items_after_the_chief(client, people, submitted):
    before = panel(dashboard(client, people["director"]), "dashboard-reviews")
    assert "没有等待您审核的稿件。" in before
    mine, _ = submitted
    state = mine.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, people["chief"], "approve"
    )
    queue = panel(dashboard(client, people["director"]), "dashboard-reviews")
    assert "待我审核" in queue and "秘书科的稿件" in queue


@pytest.mark.django_db
def test_the_submitter_sees_their_own_items_in_review(client, people, submitted):
    mine = panel(dashboard(client, people["officer"]), "dashboard-submitted")
    assert "我提交的稿件" in mine
    assert "秘书科的稿件" in mine and "文书科的稿件" not in mine
    assert "科长审核" in mine  # the step it waits at


@pytest.mark.django_db
def test_a_returned_item_reaches_its_author_as_a_notice(client, people, submitted):
    mine, _ = submitted
    state = mine.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, people["chief"], "reject", comment="请补充会议时间。"
    )
    html = dashboard(client, people["officer"])
    notices = panel(html, "my-notices")
    assert "我的通知" in notices
    assert "退回修改：《秘书科的稿件》" in notices and "请补充会议时间。" in notices
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[mine.pk])}"' in notices
    assert "已退回（科长审核）" in panel(html, "dashboard-returned")
    assert menu_label(html, "notices") == "通知（1）"


@pytest.mark.django_db
def test_the_notices_panel_lists_unread_notices_newest_first(client, people):
    officer = people["officer"]
    notify(officer, "第一条", url="/admin/pages/1/edit/")
    notify(officer, "第二条", url="/admin/pages/2/edit/")
    read = notify(officer, "已读的一条")
    read.read_at = read.created_at
    read.save()
    notify(people["chief"], "别人的通知")
    notices = panel(dashboard(client, officer), "my-notices")
    assert notices.index("第二条") < notices.index("第一条")
    assert "已读的一条" not in notices and "别人的通知" not in notices
    assert 'href="/admin/pages/2/edit/"' in notices


@pytest.mark.django_db
def test_the_menu_item_counts_unread_notices(client, people):
    html = dashboard(client, people["officer"])
    assert menu_label(html, "notices") == "通知"
    assert "没有未读通知" in panel(html, "my-notices")
    for n in range(3):
        notify(people["officer"], f"通知{n}")
    notify(people["chief"], "别人的通知")
    assert menu_label(dashboard(client, people["officer"]), "notices") == "通知（3）"


@pytest.mark.django_db
def test_the_notice_list_shows_only_the_users_own_notices(client, people):
    notify(people["officer"], "我的一条", "内容", "/admin/pages/1/edit/")
    notify(people["chief"], "科长的一条")
    client.force_login(people["officer"])
    html = client.get(reverse("govsite_notices:notices")).content.decode()
    assert "我的一条" in html and 'href="/admin/pages/1/edit/"' in html
    assert "科长的一条" not in html
    assert "全部标为已读" in html


@pytest.mark.django_db
def test_mark_one_notice_read(client, people):
    mine = notify(people["officer"], "我的一条")
    other = notify(people["officer"], "另一条")
    client.force_login(people["officer"])
    url = reverse("govsite_notices:notice_read", args=[mine.pk])
    assert client.get(url).status_code == 405  # never on a GET
    response = client.post(url, {"next": reverse("wagtailadmin_home")})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None
    # An address elsewhere is not followed.
    response = client.post(url, {"next": "https://example.com/"})
    assert response.url == reverse("govsite_notices:notices")


@pytest.mark.django_db
def test_nobody_marks_someone_elses_notice(client, people):
    theirs = notify(people["chief"], "科长的一条")
    client.force_login(people["officer"])
    response = client.post(reverse("govsite_notices:notice_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_read_touches_only_the_users_notices(client, people):
    for n in range(3):
        notify(people["officer"], f"通知{n}")
    theirs = notify(people["chief"], "科长的一条")
    client.force_login(people["officer"])
    client.post(reverse("govsite_notices:notices_read_all"))
    assert not Notice.objects.filter(recipient=people["officer"]).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert menu_label(dashboard(client, people["officer"]), "notices") == "通知"


@pytest.mark.django_db
def test_marking_read_needs_the_csrf_token(people):
    notice = notify(people["officer"], "我的一条")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["officer"])
    url = reverse("govsite_notices:notice_read", args=[notice.pk])
    assert client.post(url).status_code == 403
    assert client.post(reverse("govsite_notices:notices_read_all")).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None

    page = client.get(reverse("govsite_notices:notices")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.django_db
def test_anonymous_visitors_reach_no_notices(client, people):
    notify(people["officer"], "我的一条")
    response = client.get(reverse("govsite_notices:notices"))
    assert response.status_code == 302 and "login" in response.url


def review_notices(user, title):
    return Notice.objects.filter(recipient=user, title__startswith=f"待您审核：《{title}》")


@pytest.mark.django_db
def test_one_chiefs_decision_settles_the_other_chiefs_review_notice(client, people, make_user):
    """Two chiefs of one section are both asked; when one approves, the other's "待您审核"
    is read and says who decided, and his 通知 count no longer holds it."""
    second_chief = make_user("mishu_chief_2", "秘书科-科长")
    page = add_article(
        sub_column("领导重要讲话"), title="两位科长", owner=people["officer"], publish=False
    )
    state = submit(page, people["officer"])
    assert review_notices(second_chief, "两位科长").unread().count() == 1
    assert menu_label(dashboard(client, second_chief), "notices") == "通知（1）"

    step = state.current_task_state
    step.task.specific.on_action(step, people["chief"], "approve")

    notice = review_notices(second_chief, "两位科长").get()
    assert notice.read_at is not None
    assert notice.text.endswith("（已由mishu_chief审核通过）")
    assert menu_label(dashboard(client, second_chief), "notices") == "通知"
    # The next step's notice, to the director, is new and unread.
    assert review_notices(people["director"], "两位科长").unread().count() == 1


@pytest.mark.django_db
def test_a_returned_or_withdrawn_submission_settles_its_review_notices(people, make_user):
    page = add_article(
        sub_column("领导重要讲话"),
        title="退回与撤回",
        owner=people["officer"],
        publish=False,
        slug="returned",
    )
    state = submit(page, people["officer"])
    step = state.current_task_state
    step.task.specific.on_action(step, people["chief"], "reject", comment="补充")
    notice = review_notices(people["chief"], "退回与撤回").get()
    assert notice.read_at is not None and notice.text.endswith("（已由mishu_chief退回修改）")

    other = add_article(
        sub_column("领导重要讲话"),
        title="撤回的稿件",
        owner=people["officer"],
        publish=False,
        slug="withdrawn",
    )
    submit(other, people["officer"]).cancel(user=people["officer"])
    waiting = review_notices(people["chief"], "撤回的稿件").get()
    assert waiting.read_at is not None and waiting.text.endswith("（提交人已撤回）")
    assert not Notice.objects.filter(recipient=people["chief"]).unread().exists()
