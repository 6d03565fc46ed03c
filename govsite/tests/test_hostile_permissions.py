"""An officer's crafted POSTs against another section's pages (R-SEC-5, R-TREE-2): whatever the
admin offers on screen, each action sent straight to its URL — edit, publish, submit, unpublish,
move, copy, delete, revert to a revision, unschedule, lock, unlock, privacy — is refused and
leaves the page exactly as it was. Wagtail refuses a script's request (``X-Requested-With``)
with 403, and a form posted by a browser with a redirect to the dashboard that says
「对不起，你没有权限访问此区域」 (``wagtail.admin.auth.permission_denied``).

Who may do what comes from the permission matrix (govsite/columns/tests/permission_matrix.txt,
``content_cells``): every section's officer is tried against a sub-column of each other section,
a published article with an older revision in each, and the matrix is checked to say "N" there.
The matrix test itself (``test_crafted_requests``) checks the database after six actions for a
few roles; here every action is sent, and the answer itself is checked.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from govsite.columns.models import ArticlePage, SubColumnPage
from govsite.columns.tests.test_permission_matrix import ACTIONS, content_cells
from govsite.sections.models import Section
from govsite.testing.helpers import add_article, article_form

pytestmark = pytest.mark.django_db
HOME = "/admin/"
REFUSED = (
    "你没有权限访问"  # Wagtail's zh_Hans "Sorry, you do not have permission to access this area."
)


def snapshot(page):
    """Everything a crafted request could change about ``page``."""
    page = Page.objects.get(pk=page.pk).specific
    return {
        "title": page.title,
        "subtitle": page.subtitle,
        "live": page.live,
        "path": page.path,
        "locked": page.locked,
        "has_unpublished_changes": page.has_unpublished_changes,
        "revisions": list(page.revisions.values_list("pk", flat=True)),
        "live_revision": page.live_revision_id,
        "restrictions": list(PageViewRestriction.objects.filter(page=page).values_list("pk")),
        "workflow": page.workflow_in_progress,
        "copies": ArticlePage.objects.filter(title=page.title).count(),
    }


def crafted_requests(article, own_column):
    """(action, method, url, data) an officer could send by hand."""
    old_revision = article.revisions.order_by("pk").first()
    form = article_form("伪造的标题", subtitle="伪造的副标题")
    return [
        ("edit", reverse("wagtailadmin_pages:edit", args=[article.pk]), form),
        (
            "publish",
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            {**form, "action-publish": "action-publish"},
        ),
        (
            "submit",
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            {**form, "action-submit": "action-submit"},
        ),
        (
            "revert",
            reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, old_revision.pk]),
            {**form, "action-publish": "action-publish"},
        ),
        (
            "unschedule",
            reverse("wagtailadmin_pages:revisions_unschedule", args=[article.pk, old_revision.pk]),
            {},
        ),
        ("unpublish", reverse("wagtailadmin_pages:unpublish", args=[article.pk]), {}),
        (
            "move",
            reverse("wagtailadmin_pages:move_confirm", args=[article.pk, own_column.pk]),
            {},
        ),
        (
            "copy",
            reverse("wagtailadmin_pages:copy", args=[article.pk]),
            {
                "new_title": article.title,
                "new_slug": "copied",
                "new_parent_page": own_column.pk,
                "publish_copies": "on",
            },
        ),
        ("delete", reverse("wagtailadmin_pages:delete", args=[article.pk]), {}),
        ("lock", reverse("wagtailadmin_pages:lock", args=[article.pk]), {}),
        ("unlock", reverse("wagtailadmin_pages:unlock", args=[article.pk]), {}),
        (
            "privacy",
            reverse("wagtailadmin_pages:set_privacy", args=[article.pk]),
            {"restriction_type": "password", "password": "Secret-2026"},
        ),
    ]


def officers(role_users):
    return {
        role: user
        for role, user in role_users.items()
        if role.endswith("-信息员") and Section.objects.filter(officer_group__name=role).exists()
    }


def other_sections_columns(section):
    """One sub-column of each other section that owns any (the first in the tree)."""
    columns = {}
    for column in SubColumnPage.objects.exclude(owner_section=section).order_by("path"):
        columns.setdefault(column.owner_section_id, column)
    return list(columns.values())


@pytest.fixture
def articles(site_tree):
    """A published article, with an older revision, in every sub-column."""
    found = {}
    for column in SubColumnPage.objects.order_by("path"):
        article = add_article(column, title=f"{column.title}的文章")
        article.subtitle = "第二版"
        article.save_revision().publish()
        found[column.pk] = ArticlePage.objects.get(pk=article.pk)
    return found


def test_every_officer_is_refused_every_action_on_other_sections_pages(
    client, role_users, articles
):
    tried, pairs = 0, 0
    for role, officer in officers(role_users).items():
        section = Section.objects.get(officer_group__name=role)
        client.force_login(officer)
        for column in other_sections_columns(section):
            # Where a move or a copy would put it: the officer's own column (信息中心 has none).
            target = (
                SubColumnPage.objects.filter(owner_section=section).first()
                or SubColumnPage.objects.exclude(pk=column.pk).first()
            )
            article = articles[column.pk]
            pairs += 1
            matrix = dict(zip(ACTIONS, content_cells(officer, column, article), strict=True))
            assert not any(matrix.values()), (role, column.title, matrix)
            before = snapshot(article)
            for action, url, data in crafted_requests(article, target):
                scripted = client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})
                assert scripted.status_code == 403, (role, column.title, action, scripted)
                posted = client.post(url, data)
                assert (posted.status_code, posted.get("Location")) == (302, HOME), (
                    role,
                    column.title,
                    action,
                )
                tried += 1
            assert snapshot(article) == before, (role, column.title)
    # Six sections' officers, each against a column of every other section that owns one.
    assert pairs >= 15 and tried == pairs * len(crafted_requests(article, target))
    html = client.get(HOME).content.decode()
    assert REFUSED in html  # the browser's redirect says why


def test_the_same_requests_by_the_owning_officer_are_not_refused(client, role_users, articles):
    """The positive control: the owner's edit (a draft) goes through the same URL."""
    section = Section.objects.get(name="秘书科")
    officer = role_users[section.officer_group_name]
    column = SubColumnPage.objects.filter(owner_section=section).first()
    article = articles[column.pk]
    client.force_login(officer)
    _action, url, data = crafted_requests(article, column)[0]
    response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, url)
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision().content["title"] == (
        "伪造的标题"
    )
