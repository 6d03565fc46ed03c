"""R-OPEN-1 with R-TREE-2: a document is written by the section that owns its 公文栏目, like an
article; a 公文栏目 takes documents only (test_documents_only.py)."""

import pytest
from django.urls import reverse

from govsite.disclosure.models import DocumentPage
from govsite.testing.helpers import login

from .factories import document_column
from .test_validation import document_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("group", "column_title", "allowed"),
    [
        ("文书科-信息员", "政府文件", True),
        ("秘书科-信息员", "政府文件", False),
        ("综合科-信息员", "政策法规", True),
        ("文书科-信息员", "政策法规", False),
        ("综合科-网站管理", "政府文件", False),
    ],
)
def test_only_the_owning_section_creates_documents(client, make_user, group, column_title, allowed):
    user = make_user("someone", group)
    column = document_column(column_title)
    login(client, user)
    url = reverse("wagtailadmin_pages:add", args=("disclosure", "documentpage", column.pk))
    client.post(url, document_form("伪造请求新建的文件"))
    assert (
        DocumentPage.objects.child_of(column).filter(title="伪造请求新建的文件").exists() == allowed
    )
