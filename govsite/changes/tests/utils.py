"""Helpers that drive unpublishing and deletion requests through the real admin views."""

from django.urls import reverse

from ..models import ChangeRequest

COLUMN = "领导重要讲话"  # owned by 秘书科, supervised by director_a
REASON = "会议信息已过时效，不宜继续公开。"


def file_url(page, kind):
    return reverse("govsite_changes:file", args=[page.pk, kind])


def detail_url(change_request):
    return reverse("govsite_changes:detail", args=[change_request.pk])


def file_request(client, user, page, kind="unpublish", reason=REASON):
    client.force_login(user)
    return client.post(file_url(page, kind), {"reason": reason})


def decide(client, user, change_request, decision="approve", comment=""):
    client.force_login(user)
    return client.post(detail_url(change_request), {"decision": decision, "comment": comment})


def only_request(page):
    return ChangeRequest.objects.get(page=page)


def text(response):
    return response.content.decode()
