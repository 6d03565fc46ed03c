"""R-OPEN-1 on the public site: the metadata block above the document, the <meta> tags, and the
banner of a document no longer in force with the link to its replacement."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsite.disclosure.models import Validity

from .factories import add_document, full_metadata

pytestmark = pytest.mark.django_db


def test_the_metadata_block_and_meta_tags(client, site_tree):
    page = add_document(**full_metadata())
    text = client.get(page.url).text
    block = text[text.index('class="disclosure-meta"') : text.index("</table>")]
    for label, value in (
        ("索引号", page.index_number),
        ("主题分类", "综合政务 › 政务公开"),
        ("发布机构", "临江区人民政府办公室"),
        ("成文日期", "2026-01-05"),
        ("发文字号", "临政办发〔2026〕28号"),
        ("体裁", "通知"),
        ("有效性", "有效"),
    ):
        assert label in block and value in block, label
    assert block.index("索引号") < block.index("发文字号")
    assert text.index('class="disclosure-meta"') < text.index('class="article-body"')
    assert f'<meta name="ArticleTitle" content="{page.title}">' in text
    assert '<meta name="PubDate"' in text and '<meta name="ContentSource"' in text
    assert '<meta name="Keywords" content="政务公开 工作要点">' in text
    assert '<meta name="Description" content="部署本年度政务公开重点工作。">' in text
    assert "validity-banner" not in text


@pytest.mark.parametrize(
    ("validity", "notice", "label"),
    [
        (Validity.EXPIRED, "本文件已失效", "失效日期"),
        (Validity.REPEALED, "本文件已废止", "废止日期"),
        (Validity.AMENDED, "本文件已修订", "修订日期"),
    ],
)
def test_a_document_out_of_force_says_so_and_links_its_replacement(
    client, site_tree, validity, notice, label
):
    newer = add_document(title="新的管理办法")
    old = add_document(
        title="旧的管理办法",
        validity=validity,
        validity_changed_on=date(2026, 3, 1),
        replaced_by=newer,
    )
    text = client.get(old.url).text
    banner = text[
        text.index('class="validity-banner"') : text.index("</div>", text.index("validity-banner"))
    ]
    assert notice in banner and f"{label}：2026-03-01" in banner
    assert f'href="{newer.url}"' in banner and "新的管理办法" in banner


def test_a_replacement_not_yet_public_is_not_linked(client, site_tree):
    newer = add_document(title="尚未发布的新办法", publish=False)
    old = add_document(
        validity=Validity.REPEALED, validity_changed_on=date(2026, 3, 1), replaced_by=newer
    )
    text = client.get(old.url).text
    assert "本文件已废止" in text and "尚未发布的新办法" not in text


def test_a_document_page_costs_the_same_queries_whatever_its_metadata(client, site_tree):
    plain = add_document(title="无属性文件")
    full = add_document(title="有属性文件", **full_metadata())

    def cost(page):
        client.get(page.url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(page.url).status_code == 200
        return len(context)

    assert cost(full) <= cost(plain) + 1
