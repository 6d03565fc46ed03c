"""R-FLOW-5, R-FLOW-4: what the final approval does, and that nothing is ever hard-deleted."""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, WorkflowState

from govsite.notices.models import Notice
from govsite.testing.helpers import add_article, article_form, sub_column

from ..models import AppendOnlyError, ChangeRequest, ChangeStatus, RetainedPage
from .utils import COLUMN, decide, detail_url, file_request, only_request, text


def approved(client, people, page, kind):
    """Filed by the officer, approved by the chief, then by the director."""
    assert file_request(client, people["officer"], page, kind).status_code == 302
    change_request = only_request(page)
    assert decide(client, people["chief"], change_request, comment="同意。").status_code == 302
    response = decide(client, people["director"], change_request, comment="同意。")
    assert response.status_code == 302
    change_request.refresh_from_db()
    page.refresh_from_db()
    return change_request, response


def actions_logged(page):
    return list(
        PageLogEntry.objects.filter(page=page)
        .order_by("timestamp", "pk")
        .values_list("action", "user__username")
    )


@pytest.mark.django_db
def test_unpublish_path_takes_the_page_off_the_site_and_keeps_it(client, people, article):
    url = article.url
    assert client.get(url).status_code == 200
    revisions = article.revisions.count()

    change_request, response = approved(client, people, article, "unpublish")
    assert "已撤销发布" in text(client.get(response.url))
    assert change_request.status == ChangeStatus.DONE and change_request.closed_at
    client.logout()
    assert client.get(url).status_code == 404
    page = Page.objects.get(pk=article.pk)
    assert not page.live and page.first_published_at is not None
    assert page.revisions.count() == revisions
    assert not RetainedPage.objects.exists() and not page.locked
    # The director holds no raw unpublish permission: the approvals were the permission.
    assert not page.permissions_for_user(people["director"]).can_unpublish()

    assert actions_logged(article)[-4:] == [
        ("govsite.change_request.file", "mishu_officer"),
        ("govsite.change_request.approve", "mishu_chief"),
        ("govsite.change_request.approve", "director_a"),
        ("wagtail.unpublish", "director_a"),
    ]
    notice = Notice.objects.filter(recipient=people["officer"]).first()
    assert notice.title == "已撤销发布：《区政府办公室召开专题会议》"

    # Unpublished, not deleted: the section may correct it and submit it for review again.
    client.force_login(people["officer"])
    assert client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).status_code == 200


@pytest.mark.django_db
def test_delete_path_retains_locks_and_takes_the_page_off_the_site(client, people, article):
    url = article.url
    revisions = list(article.revisions.values_list("pk", flat=True))

    change_request, response = approved(client, people, article, "delete")
    assert "已从网站删除（留存）" in text(client.get(response.url))
    client.logout()
    assert client.get(url).status_code == 404

    page = Page.objects.get(pk=article.pk)  # still in the database
    assert not page.live
    assert page.locked and page.locked_by == people["director"] and page.locked_at
    assert list(page.revisions.values_list("pk", flat=True)) == revisions
    retention = RetainedPage.objects.get(page=page)
    assert retention.request == change_request

    logged = actions_logged(article)
    assert logged[0][0] in ("wagtail.create", "wagtail.publish")  # the history from before
    assert logged[-6:] == [
        ("govsite.change_request.file", "mishu_officer"),
        ("govsite.change_request.approve", "mishu_chief"),
        ("govsite.change_request.approve", "director_a"),
        ("wagtail.unpublish", "director_a"),
        ("wagtail.lock", "director_a"),
        ("govsite.change_request.retain", "director_a"),
    ]
    notice = Notice.objects.filter(recipient=people["officer"]).first()
    assert notice.title == "已删除（留存）：《区政府办公室召开专题会议》"

    # The officer can no longer open the editor, nor request anything for it again.
    client.force_login(people["officer"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 302 and response.url == detail_url(change_request)
    assert "已删除（留存），不能再编辑" in text(client.get(response.url))
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), article_form("改标题"))
    assert list(page.revisions.values_list("pk", flat=True)) == revisions
    refused = file_request(client, people["officer"], article, "unpublish")
    assert refused.status_code == 403 and "已删除（留存）" in text(refused)

    # ... nor delete it for good through Wagtail's own views.
    client.force_login(people["officer"])
    client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]))
    assert Page.objects.filter(pk=article.pk).exists()

    # The page's history (open to the owning section) names every step in Chinese.
    history = text(client.get(reverse("wagtailadmin_pages:history", args=[article.pk])))
    steps = ["提交删除申请", "科长审核同意删除申请", "主管主任审核同意删除申请", "已删除（留存）"]
    for label in steps:
        assert label in history, label


@pytest.mark.django_db
def test_not_even_a_superuser_hard_deletes_a_page_with_a_record(client, people, article, make_user):
    approved(client, people, article, "delete")
    admin = make_user("root", superuser=True)
    client.force_login(admin)
    client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]), follow=True)
    # Refused by the permission tester (ever published) before the hook's explanation.
    assert not article.permissions_for_user(admin).can_delete()
    assert Page.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_content_once_published_is_deleted_only_by_request(client, people, article):
    """Wagtail lets a section delete what is not live; once published, that is a request."""
    article.unpublish()
    article.refresh_from_db()
    client.force_login(people["officer"])
    # The tester no longer offers deletion, and crafted requests change nothing.
    assert not article.permissions_for_user(people["officer"]).can_delete()
    client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]), follow=True)
    assert Page.objects.filter(pk=article.pk).exists()

    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    client.post(f"{bulk}?id={article.pk}&next=/admin/", follow=True)
    assert Page.objects.filter(pk=article.pk).exists()

    draft = add_article(sub_column(COLUMN), title="草稿", owner=people["officer"], publish=False)
    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert not Page.objects.filter(pk=draft.pk).exists(), "drafts stay the section's to delete"


@pytest.mark.django_db
def test_a_review_of_an_edit_in_progress_ends_with_the_deletion(client, people, article):
    article.title = "修改后的标题"
    article.save_revision(user=people["officer"])
    workflow_state = article.get_workflow().start(article, people["officer"])
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    file_request(client, people["officer"], article, "delete")
    client.force_login(people["chief"])
    shown = text(client.get(detail_url(only_request(article))))
    assert "另有修改正在审核流程中" in shown

    approved_request = only_request(article)
    decide(client, people["chief"], approved_request)
    decide(client, people["director"], approved_request)
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_CANCELLED
    article.refresh_from_db()
    assert not article.live and article.title == "区政府办公室召开专题会议"
    assert Notice.objects.filter(
        recipient=people["officer"], title__startswith="审核流程已终止"
    ).exists()


@pytest.mark.django_db
def test_the_record_is_append_only(client, people, article):
    change_request, _ = approved(client, people, article, "delete")
    step = change_request.steps.first()
    step.comment = "改写"
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        step.delete()
    with pytest.raises(AppendOnlyError):
        change_request.steps.update(comment="改写")
    with pytest.raises(AppendOnlyError):
        change_request.delete()
    with pytest.raises(AppendOnlyError):
        RetainedPage.objects.get().delete()
    assert ChangeRequest.objects.count() == 1 and change_request.steps.count() == 3


@pytest.mark.django_db
def test_the_menu_item_is_for_those_who_take_part(client, people, make_user):
    from govsite.sections import roles

    client.force_login(make_user("sysadmin", roles.SYSTEM_ADMINS))
    assert reverse("govsite_changes:index") not in text(client.get(reverse("wagtailadmin_home")))
    client.force_login(people["director"])
    assert reverse("govsite_changes:index") in text(client.get(reverse("wagtailadmin_home")))
