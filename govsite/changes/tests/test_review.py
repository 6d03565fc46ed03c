"""R-FLOW-5 with R-FLOW-3 and R-FLOW-6: who decides a request, and what the requester hears."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry

from govsite.notices.models import Notice

from ..models import ChangeRequest, ChangeStatus
from .utils import decide, detail_url, file_request, only_request, text

QUEUE = "待我审核的撤销/删除申请"


def filed(client, people, article, kind="unpublish", by="officer"):
    file_request(client, people[by], article, kind)
    return only_request(article)


def status(change_request):
    change_request.refresh_from_db()
    return change_request.status


@pytest.mark.django_db
def test_the_owning_chief_then_a_supervising_director_decide(client, people, article):
    change_request = filed(client, people, article)

    client.force_login(people["chief"])
    page = text(client.get(detail_url(change_request)))
    assert "同意" in page and "退回" in page and "审核意见" in page
    assert change_request in ChangeRequest.objects.awaiting(people["chief"])
    assert QUEUE in text(client.get(reverse("wagtailadmin_home")))

    response = decide(client, people["chief"], change_request, comment="同意下线。")
    assert response.status_code == 302
    assert status(change_request) == ChangeStatus.AWAITING_DIRECTOR
    assert not ChangeRequest.objects.awaiting(people["chief"]).exists()
    assert list(ChangeRequest.objects.awaiting(people["director"])) == [change_request]
    assert list(ChangeRequest.objects.awaiting_director()) == [change_request]

    # The director is asked; the requester hears the chief's decision with the comment.
    assert Notice.objects.filter(
        recipient=people["director"], title__startswith="待您审核"
    ).exists()
    notice = Notice.objects.get(recipient=people["officer"])
    assert notice.title.startswith("科长同意") and "同意下线。" in notice.text
    assert not Notice.objects.filter(recipient=people["other_director"]).exists()


@pytest.mark.django_db
def test_another_sections_chief_is_refused_even_by_crafted_posts(client, people, article):
    change_request = filed(client, people, article)
    other = people["other_chief"]
    assert not ChangeRequest.objects.awaiting(other).exists()
    client.cookies.clear()  # the filer's 已提交 message goes with their session
    client.force_login(other)
    refused = client.get(detail_url(change_request))
    assert refused.status_code == 403 and "您无权查看该申请" in text(refused)
    assert article.title not in text(refused)  # not even in the header or the breadcrumb
    assert QUEUE not in text(client.get(reverse("wagtailadmin_home")))
    for decision in ("approve", "return"):
        response = decide(client, other, change_request, decision, comment="越权")
        assert response.status_code == 403
    assert status(change_request) == ChangeStatus.AWAITING_CHIEF
    assert change_request.steps.count() == 1


@pytest.mark.django_db
def test_the_director_cannot_skip_the_chief(client, people, article):
    change_request = filed(client, people, article)
    response = decide(client, people["director"], change_request)
    assert response.status_code == 403
    assert "待秘书科科长审核，您不是秘书科的科长" in text(response)
    assert status(change_request) == ChangeStatus.AWAITING_CHIEF


@pytest.mark.django_db
def test_a_director_who_does_not_supervise_the_section_is_refused(client, people, article):
    change_request = filed(client, people, article)
    decide(client, people["chief"], change_request)
    other = people["other_director"]
    assert not ChangeRequest.objects.awaiting(other).exists()
    client.force_login(other)
    assert client.get(detail_url(change_request)).status_code == 403
    response = decide(client, other, change_request)
    assert response.status_code == 403
    assert status(change_request) == ChangeStatus.AWAITING_DIRECTOR
    article.refresh_from_db()
    assert article.live


@pytest.mark.django_db
def test_nobody_decides_their_own_request(client, people, article, make_user):
    change_request = filed(client, people, article, by="chief")
    assert not ChangeRequest.objects.awaiting(people["chief"]).exists()
    response = decide(client, people["chief"], change_request)
    assert response.status_code == 403 and "不能审核自己提出的申请" in text(response)
    client.force_login(people["chief"])
    assert 'name="decision"' not in text(client.get(detail_url(change_request)))
    assert status(change_request) == ChangeStatus.AWAITING_CHIEF

    deputy = make_user("mishu_chief2", "秘书科-科长")
    assert decide(client, deputy, change_request).status_code == 302
    assert status(change_request) == ChangeStatus.AWAITING_DIRECTOR


@pytest.mark.django_db
def test_nobody_decides_both_steps(client, people, article, make_user):
    both = make_user("chief_and_director", "秘书科-科长", "主管主任", supervises=["秘书科"])
    change_request = filed(client, people, article)
    decide(client, both, change_request)
    assert status(change_request) == ChangeStatus.AWAITING_DIRECTOR
    response = decide(client, both, change_request)
    assert response.status_code == 403 and "两级审核须由不同的人完成" in text(response)
    assert list(ChangeRequest.objects.awaiting(both)) == []
    assert decide(client, people["director"], change_request).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["chief", "director"])
def test_return_needs_a_comment_and_tells_the_requester(
    client, people, article, step, django_capture_on_commit_callbacks
):
    change_request = filed(client, people, article)
    if step == "director":
        decide(client, people["chief"], change_request)
    reviewer = people[step]
    expected = status(change_request)

    response = decide(client, reviewer, change_request, "return", comment="")
    assert response.status_code == 200
    assert "退回必须填写意见，说明原因。" in text(response)
    assert status(change_request) == expected

    comment = "该信息仍在有效期内。"
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
        response = decide(client, reviewer, change_request, "return", comment=comment)
    assert response.status_code == 302
    assert status(change_request) == ChangeStatus.RETURNED
    notice = Notice.objects.filter(recipient=people["officer"]).first()
    assert notice.title == "申请被退回：撤销发布《区政府办公室召开专题会议》"
    assert "退回。意见：该信息仍在有效期内。" in notice.text
    assert notice.url == detail_url(change_request)
    assert [m.to for m in mail.outbox] == [[people["officer"].email]]
    assert "该信息仍在有效期内。" in mail.outbox[0].body
    entry = PageLogEntry.objects.get(action="govsite.change_request.return")
    assert entry.user == reviewer and entry.comment == "该信息仍在有效期内。"
    article.refresh_from_db()
    assert article.live

    # Returned is closed: nobody decides it again, and a new request may be filed.
    assert decide(client, people["director"], change_request).status_code == 403
    assert file_request(client, people["officer"], article).status_code == 302


@pytest.mark.django_db
def test_the_list_shows_my_queue_and_my_requests(client, people, article):
    change_request = filed(client, people, article)
    client.force_login(people["officer"])
    mine = text(client.get(reverse("govsite_changes:index")))
    assert "我提交的申请" in mine and detail_url(change_request) in mine and "待科长审核" in mine
    assert "目前没有等待您审核的撤销/删除申请" in mine
    assert QUEUE not in text(client.get(reverse("wagtailadmin_home")))
    # The admin menu (rendered as JSON in the sidebar) links to the list.
    assert reverse("govsite_changes:index") in text(client.get(reverse("wagtailadmin_home")))

    client.force_login(people["chief"])
    queue = text(client.get(reverse("govsite_changes:index")))
    assert detail_url(change_request) in queue.split("我提交的申请")[0]
