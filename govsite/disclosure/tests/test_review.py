"""R-OPEN-1: a change of 有效性 is a new revision and goes through the review chain like any
edit — the public keeps seeing the document in force until the last approver publishes."""

from datetime import date

import pytest

from govsite.disclosure.models import DocumentPage, Validity

from .factories import add_document, full_metadata

pytestmark = pytest.mark.django_db


def act(state, user):
    state.refresh_from_db()
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, user, "approve")
    state.refresh_from_db()


def test_a_validity_change_is_public_only_when_approved(client, make_user):
    officer = make_user("wenshu_officer", "文书科-信息员")
    chief = make_user("wenshu_chief", "文书科-科长")
    director = make_user("director_a", "主管主任", supervises=["文书科"])
    page = add_document(owner=officer, **full_metadata())
    number = page.index_number

    editing = DocumentPage.objects.get(pk=page.pk)
    editing.validity = Validity.REPEALED
    editing.validity_changed_on = date(2026, 6, 1)
    editing.save_revision(user=officer)
    state = editing.get_workflow().start(editing, officer)

    assert "本文件已废止" not in client.get(page.url).text
    act(state, chief)
    page.refresh_from_db()
    assert page.validity == Validity.VALID
    assert "本文件已废止" not in client.get(page.url).text

    act(state, director)
    page.refresh_from_db()
    assert page.validity == Validity.REPEALED and page.index_number == number
    assert "本文件已废止" in client.get(page.url).text
