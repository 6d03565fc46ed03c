"""R-TREE-2: the permission matrix, role × column × action.

Every role is checked against every column of the SPEC §2 tree for the seven actions staff
can attempt. The expected matrix is ``permission_matrix.txt`` beside this file, reviewed by
hand: any changed cell fails the test with a diff. It is also checked against the rules in
words (``test_matrix_follows_the_ownership_rules``) and, through the real admin views, by
requests a user could craft (``test_admin_views_agree_with_the_matrix`` and
``test_crafted_requests``).

Regenerate the file only after a deliberate change of the rules:
``UPDATE_PERMISSION_MATRIX=1 pytest govsite/columns/tests/test_permission_matrix.py``.
"""

import difflib
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from govsite.sections import roles
from govsite.testing.helpers import ADMIN_HOME, add_article, article_form, login, sub_column

from ..models import ArticlePage, ColumnPage, HomePage, SubColumnPage, content_page_models

MATRIX_FILE = Path(__file__).with_name("permission_matrix.txt")
ACTIONS = ["打开编辑器", "新建", "编辑", "直接发布", "撤销发布", "移动", "删除"]
ANONYMOUS = "匿名访客"


def yes_no(value):
    return "-" if value is None else ("Y" if value else "N")


def cells(perms, can_create):
    """The seven actions, in ACTIONS order, for a page's permission tester."""
    return [
        perms.can_edit(),
        can_create,
        perms.can_edit(),
        perms.can_publish(),
        perms.can_unpublish(),
        perms.can_move(),
        perms.can_delete(),
    ]


def content_cells(user, column, article):
    """Actions on the content of a sub-column (a live article in it); creating means any kind
    of content the column holds (the 政务公开目录 holds documents only)."""
    column_perms = column.permissions_for_user(user)
    can_create = column_perms.can_add_subpage() and any(
        model.can_create_at(column) for model in content_page_models()
    )
    return cells(article.permissions_for_user(user), can_create)


def structure_cells(user, page):
    """Actions on a column or sub-column page itself (the tree's structure)."""
    perms = page.permissions_for_user(user)
    # "新建" on a column is creating a sub-column in it; a sub-column's children are content,
    # which the content row covers.
    return cells(perms, perms.can_add_subpage() if isinstance(page, ColumnPage) else None)


@pytest.fixture
def matrix_users(role_users):
    return {**role_users, ANONYMOUS: AnonymousUser()}


@pytest.fixture
def articles(site_tree):
    """A live article in every sub-column, written by nobody in particular."""
    return {
        column.pk: add_article(column, title=f"{column.title}示例")
        for column in SubColumnPage.objects.order_by("path")
    }


def tree_rows():
    """(label, page, kind) in tree order: each column, then each sub-column's structure
    row and content row."""
    home = HomePage.objects.get()
    for column in ColumnPage.objects.child_of(home).order_by("path"):
        yield f"{column.title} [栏目]", column, "structure"
        for sub in SubColumnPage.objects.child_of(column).order_by("path"):
            yield f"{column.title}/{sub.title} [子栏目]", sub, "structure"
            yield f"{column.title}/{sub.title} [内容]", sub, "content"


def compute_matrix(users, articles):
    rows = []
    for role, user in users.items():
        for label, page, kind in tree_rows():
            if kind == "content":
                cells = content_cells(user, page, articles[page.pk])
            else:
                cells = structure_cells(user, page)
            rows.append((role, label, cells))
    return rows


def render_matrix(rows):
    lines = [
        "# R-TREE-2 permission matrix: role | column | " + " ".join(ACTIONS),
        "# Y = allowed, N = refused, - = not applicable. Reviewed by hand (see the test).",
    ]
    for role, label, cells in rows:
        lines.append(f"{role} | {label} | {' '.join(yes_no(c) for c in cells)}")
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_permission_matrix_is_unchanged(matrix_users, articles):
    actual = render_matrix(compute_matrix(matrix_users, articles))
    if os.environ.get("UPDATE_PERMISSION_MATRIX") == "1":
        MATRIX_FILE.write_text(actual, encoding="utf-8")
    expected = MATRIX_FILE.read_text(encoding="utf-8")
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
            )
        )
        pytest.fail(f"The permission matrix changed:\n{diff}")


@pytest.mark.django_db
def test_matrix_follows_the_ownership_rules(matrix_users, articles):
    """The rules of R-TREE-2 in words, independently of the golden file."""
    for role, label, cells in compute_matrix(matrix_users, articles):
        opens, create, edit, publish, unpublish, move, delete = cells
        # Nobody publishes, unpublishes or moves content directly: that is the review chain.
        if label.endswith("[内容]"):
            assert not (publish or unpublish or move), (role, label)
            # Live content is never deleted directly either (R-FLOW-5).
            assert not delete, (role, label)
            column_title = label.split("/")[1].removesuffix(" [内容]")
            owner = sub_column(column_title).owner_section
            is_owner_role = role in (owner.officer_group_name, owner.chief_group_name)
            assert opens == create == edit == is_owner_role, (role, label)
        else:
            # Only the site-management role changes the structure.
            if role != roles.SITE_MANAGERS:
                assert not any(c for c in cells if c), (role, label)
            else:
                assert opens and edit and publish, (role, label)


def answer(response):
    return response.status_code, response.get("Location")


def opened(allowed, refused_to=ADMIN_HOME):
    """The editor or the create form, or the refusal: Wagtail's (a redirect to the dashboard)
    or the create form's own (back to the column, which says why: views.creation_refusal)."""
    return (200, None) if allowed else (302, refused_to)


@pytest.mark.django_db
def test_admin_views_agree_with_the_matrix(client, role_users, articles):
    """Opening the editor and the create form through the real admin, for every role and
    every sub-column, gives exactly what the matrix says."""
    for role, user in role_users.items():
        client.logout()
        login(client, user)
        for column in SubColumnPage.objects.order_by("path"):
            article = articles[column.pk]
            expected = content_cells(user, column, article)
            edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
            assert answer(edit) == opened(expected[0]), (role, column.title)
            # The create form of the first kind of content the column holds (an article, or a
            # document in the documents-only 政务公开目录).
            model = next((m for m in content_page_models() if m.can_create_at(column)), ArticlePage)
            kind = [model._meta.app_label, model._meta.model_name, column.pk]
            add = client.get(reverse("wagtailadmin_pages:add", args=kind))
            column_url = reverse("wagtailadmin_explore", args=[column.pk])
            assert answer(add) == opened(expected[1], column_url), (role, column.title)


CRAFTED_ROLES = [
    "秘书科-信息员",
    "秘书科-科长",
    "文书科-信息员",
    "主管主任(秘书科、文书科)",
    roles.SITE_MANAGERS,
    roles.SYSTEM_ADMINS,
]
CRAFTED_COLUMNS = ["领导重要讲话", "重点工程", "政策法规", "政府文件"]


@pytest.mark.django_db
@pytest.mark.parametrize("column_title", CRAFTED_COLUMNS)
@pytest.mark.parametrize("role", CRAFTED_ROLES)
def test_crafted_requests(client, role_users, site_tree, role, column_title):
    """Each action attempted by POST, whatever the UI shows: what the matrix refuses leaves
    the database as it was, what it allows takes effect."""
    user = role_users[role]
    column = sub_column(column_title)
    article = add_article(column, title="已发布的文章")
    other_column = sub_column("重点工程" if column_title != "重点工程" else "领导重要讲话")
    expected = dict(zip(ACTIONS, content_cells(user, column, article), strict=True))
    login(client, user)

    # 新建
    before = ArticlePage.objects.child_of(column).count()
    client.post(
        reverse("wagtailadmin_pages:add", args=["columns", "articlepage", column.pk]),
        article_form("伪造请求新建"),
    )
    created = ArticlePage.objects.child_of(column).count() - before
    assert created == (1 if expected["新建"] else 0)

    # 编辑 (saves a draft revision)
    revisions = article.revisions.count()
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), article_form("改过的标题"))
    assert (article.revisions.count() > revisions) == expected["编辑"]

    # 直接发布
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form("直接发布的标题", **{"action-publish": "action-publish"}),
    )
    article.refresh_from_db()
    assert (article.title == "直接发布的标题") == expected["直接发布"]

    # 撤销发布
    client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    article.refresh_from_db()
    assert (not article.live) == expected["撤销发布"]

    # 移动
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[article.pk, other_column.pk]))
    article.refresh_from_db()
    assert article.is_child_of(other_column) == expected["移动"]

    # 删除
    client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]))
    assert (not ArticlePage.objects.filter(pk=article.pk).exists()) == expected["删除"]
