"""政策解读 linked both ways (R-OPEN-2): a 解读 names the policy it interprets; the policy's page
lists its published 解读, the 解读's page links its policy, the library shows a 解读 link beside
the policy. A 解读 is published together with its policy, never before: the automatic screening
returns one whose policy is not published (``rules.unpublished_policy``)."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import TaskState

from govsite.disclosure.models import DocumentPage
from govsite.disclosure.pages import PolicyLibraryPage
from govsite.screening.engine import blocking, screen_page

from .factories import add_document, document_column, full_metadata, genre

pytestmark = pytest.mark.django_db


def interpretation(policy, publish=True, owner=None, title="《数字政府建设实施方案》政策解读"):
    return add_document(
        document_column("政策解读"),
        title=title,
        owner=owner,
        publish=publish,
        interprets=policy,
        **full_metadata(document_number="", genre=genre("解读")),
    )


def test_the_bootstrap_adds_the_interpretation_column_to_the_library(site_tree):
    column = document_column("政策解读")
    assert column.slug == "zcjd" and column.owner_section.name == "文书科"
    assert column.catalogue_category == "laws"
    assert isinstance(column.get_parent().specific, PolicyLibraryPage)


def test_linked_both_ways_on_the_public_pages(client, site_tree):
    policy = add_document(title="关于印发数字政府建设实施方案的通知", **full_metadata())
    reading = interpretation(policy)
    policy_html = client.get(policy.url).text
    assert "政策解读" in policy_html and f'href="{reading.url}"' in policy_html
    reading_html = client.get(reading.url).text
    assert "本文解读的文件" in reading_html and f'href="{policy.url}"' in reading_html
    library = client.get(PolicyLibraryPage.objects.get().url).text
    row = library[library.index(policy.title) : library.index("</tr>", library.index(policy.title))]
    assert 'class="interpretation-link"' in row and reading.url in row


def test_an_unpublished_interpretation_is_not_listed_on_its_policy(client, site_tree):
    policy = add_document(title="关于印发数字政府建设实施方案的通知", **full_metadata())
    interpretation(policy, publish=False)
    assert "interpretations-heading" not in client.get(policy.url).text
    assert list(policy.published_interpretations()) == []


def test_an_interpretation_cannot_interpret_itself_or_another_interpretation(site_tree):
    policy = add_document(title="关于印发数字政府建设实施方案的通知", **full_metadata())
    reading = interpretation(policy)
    reading.interprets = reading
    with pytest.raises(ValidationError) as error:
        reading.full_clean()
    assert "不能是本文件" in str(error.value)
    second = DocumentPage(title="解读的解读", interprets=reading)
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert "本身是一篇解读" in str(error.value)


def test_screening_refuses_an_interpretation_of_an_unpublished_policy(site_tree):
    policy = add_document(
        title="关于印发数字政府建设实施方案的通知", publish=False, **full_metadata()
    )
    reading = interpretation(policy, publish=False)
    found = blocking(screen_page(reading, warnings=False))
    assert [finding.field for finding in found] == ["解读的文件"]
    assert "尚未发布" in found[0].rule and policy.title in found[0].rule
    policy.save_revision().publish()
    reading.refresh_from_db()
    assert blocking(screen_page(reading, warnings=False)) == []


def act(state, user):
    state.refresh_from_db()
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, user, "approve")
    state.refresh_from_db()


def test_through_the_chain_an_interpretation_waits_for_its_policy(make_user):
    """The officer submits the 解读 while its policy is still in review: the automatic
    screening returns it with the rule; once the policy is published it goes through."""
    officer = make_user("wenshu_officer", "文书科-信息员")
    chief = make_user("wenshu_chief", "文书科-科长")
    director = make_user("director_a", "主管主任", supervises=["文书科"])
    policy = add_document(
        title="关于印发数字政府建设实施方案的通知", owner=officer, publish=False, **full_metadata()
    )
    reading = interpretation(policy, publish=False, owner=officer)

    state = reading.get_workflow().start(reading, officer)
    state.refresh_from_db()
    assert state.status == state.STATUS_NEEDS_CHANGES
    returned = state.current_task_state
    assert returned.status == TaskState.STATUS_REJECTED
    assert "解读的文件" in returned.comment and "尚未发布" in returned.comment
    reading.refresh_from_db()
    assert not reading.live

    policy_state = policy.get_workflow().start(policy, officer)
    act(policy_state, chief)
    act(policy_state, director)
    policy.refresh_from_db()
    assert policy.live

    state.resume(user=officer)
    state.refresh_from_db()
    assert state.status == state.STATUS_IN_PROGRESS
    act(state, chief)
    act(state, director)
    reading.refresh_from_db()
    assert reading.live and reading.interprets_id == policy.pk
