"""R-FLOW-5: filing an unpublishing or deletion request, and every refusal, through the admin."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry

from govsite.notices.models import Notice
from govsite.testing.helpers import add_article, sub_column

from ..models import ChangeRequest, ChangeStatus, Decision
from .utils import COLUMN, REASON, detail_url, file_request, file_url, only_request, text


@pytest.mark.django_db
def test_the_owners_officer_finds_the_buttons_and_files_a_request(
    client, people, article, django_capture_on_commit_callbacks
):
    officer = people["officer"]
    client.force_login(officer)
    editor = text(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))
    assert "申请撤销发布" in editor and file_url(article, "unpublish") in editor
    assert "申请删除" in editor and file_url(article, "delete") in editor
    listing = text(client.get(reverse("wagtailadmin_explore", args=[sub_column(COLUMN).pk])))
    assert file_url(article, "unpublish") in listing

    form = client.get(file_url(article, "unpublish"))
    assert form.status_code == 200
    assert "理由" in text(form) and "秘书科科长" in text(form)

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
        response = file_request(client, officer, article, "unpublish")
    change_request = only_request(article)
    assert response.status_code == 302 and response.url == detail_url(change_request)
    shown = text(client.get(response.url))
    assert "已提交撤销发布申请" in shown and REASON in shown and "待科长审核" in shown

    assert change_request.status == ChangeStatus.AWAITING_CHIEF
    assert change_request.requested_by == officer and change_request.reason == REASON
    assert [s.decision for s in change_request.steps.all()] == [Decision.FILED]
    article.refresh_from_db()
    assert article.live, "nothing happens before both approvals"

    # The chief of the owning section is told; nobody else is.
    notice = Notice.objects.get(recipient=people["chief"])
    assert notice.title == "待您审核：撤销发布申请《区政府办公室召开专题会议》（科长审核）"
    assert REASON in notice.text and notice.url == detail_url(change_request)
    assert not Notice.objects.exclude(recipient=people["chief"]).exists()
    assert [m.to for m in mail.outbox] == [[people["chief"].email]]
    entry = PageLogEntry.objects.get(page=article, action="govsite.change_request.file")
    assert entry.user == officer and entry.comment == REASON


@pytest.mark.django_db
def test_the_chief_may_file_too(client, people, article):
    file_request(client, people["chief"], article, "delete")
    assert only_request(article).status == ChangeStatus.AWAITING_CHIEF


@pytest.mark.django_db
def test_the_reason_is_required(client, people, article):
    response = file_request(client, people["officer"], article, reason="   ")
    assert response.status_code == 200
    assert "请填写理由。" in text(response)
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["unpublish", "delete"])
def test_another_sections_officer_is_refused(client, people, article, kind):
    client.force_login(people["other_officer"])
    for response in (
        client.get(file_url(article, kind)),
        file_request(client, people["other_officer"], article, kind),
    ):
        assert response.status_code == 403
        assert "只有秘书科的信息员和科长可以申请" in text(response)
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db
def test_nobody_outside_the_section_is_offered_the_buttons(client, people, article):
    from ..wagtail_hooks import change_request_buttons

    for someone in ("other_officer", "other_chief", "director", "other_director"):
        assert list(change_request_buttons(article, people[someone], priority=1)) == [], someone
        client.force_login(people[someone])
        assert client.get(file_url(article, "unpublish")).status_code == 403, someone
    labels = [b.label for b in change_request_buttons(article, people["chief"], priority=1)]
    assert labels == ["申请撤销发布", "申请删除"]


@pytest.mark.django_db
def test_a_draft_cannot_be_unpublished_or_deleted_by_request(client, people):
    draft = add_article(
        sub_column(COLUMN), title="尚未发布的草稿", owner=people["officer"], publish=False
    )
    response = file_request(client, people["officer"], draft, "unpublish")
    assert response.status_code == 403 and "目前没有在网站上发布" in text(response)
    response = file_request(client, people["officer"], draft, "delete")
    assert response.status_code == 403 and "从未发布过" in text(response)
    assert not ChangeRequest.objects.exists()
    client.force_login(people["officer"])
    editor = text(client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])))
    assert file_url(draft, "unpublish") not in editor and file_url(draft, "delete") not in editor


@pytest.mark.django_db
def test_a_page_taken_offline_earlier_may_still_be_deleted_by_request(client, people, article):
    article.unpublish()
    assert file_request(client, people["officer"], article, "unpublish").status_code == 403
    response = file_request(client, people["officer"], article, "delete")
    assert response.status_code == 302
    assert only_request(article).kind == "delete"


@pytest.mark.django_db
def test_one_open_request_per_page(client, people, article):
    file_request(client, people["officer"], article, "unpublish")
    response = file_request(client, people["officer2"], article, "delete")
    assert response.status_code == 403
    assert "已有一份撤销发布申请正在审核（待科长审核）" in text(response)
    assert ChangeRequest.objects.count() == 1
    # The refusal and the page's menu lead to the open request instead.
    assert detail_url(only_request(article)) in text(response)
    client.force_login(people["officer2"])
    editor = text(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))
    assert "查看审核中的撤销/删除申请" in editor and file_url(article, "delete") not in editor


@pytest.mark.django_db
def test_the_database_also_allows_one_open_request_per_page(people, article):
    from django.db import IntegrityError, transaction

    ChangeRequest.objects.create(
        page=article, kind="unpublish", reason="甲", requested_by=people["officer"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.create(
            page=article, kind="delete", reason="乙", requested_by=people["officer2"]
        )


@pytest.mark.django_db
def test_structure_pages_are_refused(client, people):
    response = file_request(client, people["officer"], sub_column(COLUMN), "delete")
    assert response.status_code == 403 and "栏目结构页面" in text(response)


@pytest.mark.django_db
def test_an_unknown_kind_is_not_found(client, people, article):
    client.force_login(people["officer"])
    assert client.get(file_url(article, "purge")).status_code == 404


@pytest.mark.django_db
def test_the_requester_may_withdraw_until_decided(client, people, article):
    file_request(client, people["officer"], article)
    change_request = only_request(article)
    withdraw = reverse("govsite_changes:withdraw", args=[change_request.pk])
    client.force_login(people["officer2"])
    assert client.post(withdraw).status_code == 403
    client.force_login(people["officer"])
    assert "撤回申请" in text(client.get(detail_url(change_request)))
    response = client.post(withdraw, follow=True)
    assert "已撤回" in text(response)
    change_request.refresh_from_db()
    assert change_request.status == ChangeStatus.WITHDRAWN
    assert PageLogEntry.objects.filter(action="govsite.change_request.withdraw").exists()
    # Withdrawn is closed: a new request may be filed, the old one no longer decided.
    assert file_request(client, people["officer"], article).status_code == 302
    client.force_login(people["chief"])
    response = client.post(detail_url(change_request), {"decision": "approve"})
    assert response.status_code == 403 and "已撤回" in text(response)
