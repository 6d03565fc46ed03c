"""Publish-to-visible (issue 7 items 2 and 6; SPEC §12 ≤ 1 s): the review chain's final
approval publishes, and by the time its transaction commits the stale files are gone and the
new version is already stored. The chain is driven as in ``govsite/workflow/tests``."""

import pytest
from django.db import transaction

from govsite.sections import roles
from govsite.testing.helpers import add_article, sub_column
from govsite.workflow.tests.test_review_chain import act, submit

from .factories import stored, text, visit

OLD, NEW = "区政府办公室召开专题会议", "区政府办公室召开专题会议（更正）"


@pytest.fixture
def reviewed(client, make_user):
    """A live article, visited, whose corrected title has been approved by the chief and now
    waits for the director's approval."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    chief = make_user("mishu_chief", "秘书科-科长")
    director = make_user("director_a", roles.DIRECTORS, supervises=["秘书科"])
    speeches = sub_column("领导重要讲话")
    page = add_article(speeches, title=OLD, owner=officer, slug="ztkh")
    visit(client, "/", speeches.url, page.url)
    page.title = NEW
    state = submit(page, officer)
    act(state, chief)
    page.refresh_from_db()
    assert page.live and page.title == OLD
    return page, speeches, state, director


def assert_new_version_visible(page, speeches):
    assert NEW in text(page.url)  # rendered again at once
    assert NEW in text("/")
    assert stored(speeches.url) is None  # the list is rendered by its next visitor


@pytest.mark.django_db
def test_final_approval_replaces_the_stale_files_on_commit(
    reviewed, django_capture_on_commit_callbacks
):
    page, speeches, state, director = reviewed
    with django_capture_on_commit_callbacks() as commit:
        act(state, director, comment="同意发布")
    assert OLD in text(page.url)  # not before the approval commits
    for callback in commit:
        callback()
    assert_new_version_visible(page, speeches)


@pytest.mark.django_db(transaction=True)
def test_final_approval_is_visible_when_its_transaction_commits(reviewed):
    page, speeches, state, director = reviewed
    with transaction.atomic():
        act(state, director, comment="同意发布")
        page.refresh_from_db()
        assert page.title == NEW
        assert OLD in text(page.url) and OLD in text("/")
    assert_new_version_visible(page, speeches)
