"""领导简介 and 机构职能 are screened on their own fields (a prohibited term in 分工 or in a
内设机构's 职责 is found like one in a body) and the site search finds a leader by name and by
post."""

import pytest

from govsite.screening.engine import blocking, screen_page
from govsite.screening.models import ProhibitedCategory, ProhibitedTerm
from govsite.search.query import search

from .factories import make_functions, make_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def prohibited(site_tree):
    category = ProhibitedCategory.objects.get(number=7)
    ProhibitedTerm.objects.create(text="某某邪教", category=category)


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [("post", "某某邪教联络员", "职务"), ("duties", "分管某某邪教事务。", "分工")],
)
def test_a_prohibited_term_in_a_leader_field_is_found(prohibited, field, value, label):
    leader = make_leader(publish=False, **{field: value})
    assert [(f.field, f.matched) for f in blocking(screen_page(leader))] == [(label, "某某邪教")]


def test_a_prohibited_term_in_a_unit_or_the_contact_is_found(prohibited):
    page = make_functions(publish=False, units=[("综合科", "联系某某邪教。", "")])
    assert [(f.field, f.matched) for f in blocking(screen_page(page))] == [("内设机构", "某某邪教")]
    page = make_functions(publish=False, title="机构职能二", address="某某邪教大楼")
    assert [(f.field, f.matched) for f in blocking(screen_page(page))] == [("地址", "某某邪教")]


def test_clean_pages_have_no_blocking_finding(site_tree):
    assert blocking(screen_page(make_leader(publish=False))) == []
    assert blocking(screen_page(make_functions(publish=False))) == []


def test_the_site_search_finds_a_leader_by_name_and_by_post(site_tree):
    leader = make_leader("欧阳明远", post="区政府办公室党组书记、主任", duties="主持全面工作。")
    make_leader("司马青云", post="区政府办公室副主任", duties="负责文稿起草。")
    _tokens, by_name = search("欧阳明远")
    assert [hit.page.pk for hit in by_name] == [leader.pk]
    _tokens, by_post = search("党组书记")
    assert leader.pk in [hit.page.pk for hit in by_post]
