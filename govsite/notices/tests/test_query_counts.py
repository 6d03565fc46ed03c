"""SPEC §12 for 我的通知: the list costs the same queries for 20 notices and for 200, and a page
number past the last shows the last."""

import pytest
from django.urls import reverse

from govsite.notices.models import Notice
from govsite.testing.helpers import screen_queries

LIST_QUERIES = 45


def notices(user, number):
    Notice.objects.bulk_create(
        Notice(recipient=user, title=f"待您审核：第{n}号") for n in range(number)
    )


@pytest.mark.django_db
def test_the_list_costs_the_same_for_20_and_200_notices(client, make_user):
    user = make_user("mishu_chief", "秘书科-科长")
    client.force_login(user)
    url = reverse("govsite_notices:notices")
    notices(user, 20)
    few = screen_queries(client, url)[0]
    notices(user, 180)
    assert few == screen_queries(client, url)[0] <= LIST_QUERIES


@pytest.mark.django_db
def test_a_page_past_the_last_shows_the_last(client, make_user):
    user = make_user("mishu_chief", "秘书科-科长")
    client.force_login(user)
    notices(user, 35)
    url = reverse("govsite_notices:notices")
    for page_number in ("1000000000", "-1", "x" * 10_000):
        assert client.get(url, {"p": page_number}).status_code == 200
    assert "待您审核：第0号" in client.get(url, {"p": "1000000000"}).content.decode()
