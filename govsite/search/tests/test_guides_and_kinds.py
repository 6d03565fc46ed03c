"""SPEC §11 with R-SERVICE-1: the site search finds a published 办事指南 by its 事项名称 and the
text of its key elements, kept current as guides are published and taken offline; every result
says what kind of item it is (文件, 办事指南, 文章)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsite.disclosure.tests.factories import add_document
from govsite.services.models import GuideMaterial
from govsite.services.tests.factories import make_guide
from govsite.testing.helpers import add_article, sub_column

from .conftest import paragraph

pytestmark = pytest.mark.django_db

URL = "/search/"


def hits(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return list(response.context["page_obj"]), response.text


def test_a_guide_is_found_by_its_matter_name(client, site_tree):
    guide = make_guide(title="残疾人两项补贴申请")
    (hit,), html = hits(client, "残疾人两项补贴")
    assert hit.page.pk == guide.pk and hit.kind == "办事指南"
    assert f'href="{guide.url}"' in html
    assert "类型：办事指南" in html


def test_a_guide_is_found_by_the_text_of_its_elements_with_a_snippet_from_them(client, site_tree):
    guide = make_guide(
        title="独生子女父母奖励申请",
        conditions="<p>持有本区户籍且领取独生子女父母光荣证的居民可以申请。</p>",
        materials=[{"name": "户口簿原件", "copies": 1}, {"name": "光荣证复印件", "copies": 2}],
        place="临江区行政服务中心三楼计生窗口",
    )
    (hit,), _ = hits(client, "光荣证")
    assert hit.page.pk == guide.pk
    assert "申请条件：" in hit.snippet and "<mark>光荣证</mark>" in hit.snippet
    (hit,), _ = hits(client, "户口簿")
    assert hit.page.pk == guide.pk and "办理材料：<mark>户口簿</mark>原件" in hit.snippet
    (hit,), _ = hits(client, "计生窗口")
    assert hit.page.pk == guide.pk and "办理地点：" in hit.snippet


def test_only_published_guides_are_found_and_a_new_version_replaces_the_old(client, site_tree):
    guide = make_guide(
        title="老年人优待证办理", publish=False, materials=[{"name": "户籍登记卡", "copies": 1}]
    )
    assert hits(client, "优待证")[0] == []
    guide.get_latest_revision().publish()
    assert [hit.page.pk for hit in hits(client, "优待证")[0]] == [guide.pk]

    # A revision with other materials, published: the index holds the new ones only.
    guide.refresh_from_db()
    draft = guide.get_latest_revision_as_object()
    draft.materials = [GuideMaterial(name="近期免冠照片", copies=2)]
    draft.save_revision().publish()
    assert [hit.page.pk for hit in hits(client, "免冠照片")[0]] == [guide.pk]
    assert hits(client, "户籍登记卡")[0] == []

    guide.refresh_from_db()
    guide.unpublish()
    assert hits(client, "优待证")[0] == []


def test_each_result_says_what_kind_of_item_it_is(client, site_tree):
    document = add_document(title="关于河道保洁工作的通知")
    article = add_article(
        sub_column("工作动态"), title="区河道保洁工作推进会召开", body=paragraph("河道保洁。")
    )
    guide = make_guide(title="河道保洁志愿服务报名")
    found, html = hits(client, "河道保洁")
    assert {hit.page.pk: hit.kind for hit in found} == {
        document.pk: "文件",
        article.pk: "文章",
        guide.pk: "办事指南",
    }
    for kind in ("文件", "文章", "办事指南"):
        assert f"类型：{kind}" in html


def queries(client, query):
    client.get(URL, {"q": query})
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return len(context), len(response.context["page_obj"])


def test_the_results_page_costs_the_same_queries_with_few_or_many_guides(client, site_tree):
    """SPEC §12: each guide's materials are read for its snippet once for all results."""

    def guide(number):
        make_guide(
            title=f"第{number}项社会救助申请",
            slug=f"jiuzhu-{number}",
            materials=[{"name": "家庭收入证明", "copies": 1}, {"name": "身份证", "copies": 1}],
        )

    for number in range(2):
        guide(number)
    few, listed = queries(client, "社会救助")
    assert listed == 2
    for number in range(2, 8):
        guide(number)
    many, listed = queries(client, "社会救助")
    assert listed == 8
    assert few == many
