"""R-OPEN-1 with R-SCREEN-1..3 and the site search: the metadata is screened like the body, and
索引号 and 发文字号 find their document exactly."""

import pytest

from govsite.screening.engine import page_texts, screen_page
from govsite.screening.models import ProhibitedCategory, ProhibitedTerm

from .factories import add_document, full_metadata

pytestmark = pytest.mark.django_db


def test_the_metadata_is_screened_like_the_body(site_tree):
    ProhibitedTerm.objects.create(
        text="网上赌场", category=ProhibitedCategory.objects.get(number=7)
    )
    page = add_document(
        publish=False,
        **full_metadata(keywords="网上赌场 整治", summary="绝密文件摘要"),
    )
    labels = dict(page_texts(page))
    assert labels["发文字号"] == "临政办发〔2026〕28号" and labels["发布机构"]
    fields = {finding.field for finding in screen_page(page, warnings=False)}
    assert {"关键词", "内容概述"} <= fields


def titles(response):
    return [hit.page.title for hit in response.context["page_obj"]]


def test_the_index_number_and_the_document_number_find_their_document(client, site_tree):
    wanted = add_document(title="关于印发工作要点的通知", **full_metadata())
    add_document(title="另一份文件", **full_metadata(document_number="临政办发〔2026〕29号"))
    assert titles(client.get("/search/", {"q": "临政办发〔2026〕28号"})) == [wanted.title]
    assert titles(client.get("/search/", {"q": wanted.index_number})) == [wanted.title]
