"""R-OPEN-1 主题分类 and 体裁: shipped as data, kept by 综合科, imported from a file that is refused
whole — nothing changed — when it has a loop, a third level or a duplicate."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from govsite.disclosure.models import Genre, TopicCategory
from govsite.disclosure.rules import may_edit_disclosure_data
from govsite.disclosure.topics import import_topics
from govsite.testing.helpers import assert_refused, login

from .factories import add_document

pytestmark = pytest.mark.django_db


def snapshot():
    return list(
        TopicCategory.objects.order_by("pk").values_list("pk", "name", "parent", "sort_order")
    )


def test_the_22_top_categories_and_their_items_are_shipped(site_tree):
    tops = list(TopicCategory.objects.top().values_list("name", flat=True))
    assert len(tops) == 22
    assert tops[1] == "综合政务" and tops[-1] == "其他" and "港澳台侨工作" in tops
    items = TopicCategory.objects.filter(parent__name="综合政务").values_list("name", flat=True)
    assert list(items.order_by("sort_order")) == [
        "政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访",
        "参事、文史", "其他",
    ]  # fmt: skip
    # gov.cn's 121 second-level items, and 其他 › 其他 so that every document has one.
    assert TopicCategory.objects.filter(parent__isnull=False).count() == 122
    assert list(
        TopicCategory.objects.filter(parent__name="港澳台侨工作").values_list("name", flat=True)
    ) == ["港澳工作", "对台工作", "侨务工作"]


def test_an_older_tree_is_aligned_and_an_item_in_use_kept(site_tree):
    """Migration 0003 on a database loaded from the earlier file: gov.cn's items are added in
    its order, an earlier item nobody uses is removed, one a document uses stays, last."""
    align = import_module("govsite.disclosure.migrations.0003_topics_as_gov_cn_lists_them").align
    hk = TopicCategory.objects.get(parent=None, name="港澳台侨工作")
    TopicCategory.objects.filter(parent=hk, name="对台工作").delete()
    used = TopicCategory.objects.create(parent=hk, name="台湾工作", sort_order=1)
    TopicCategory.objects.create(parent=hk, name="华侨工作", sort_order=2)
    own = TopicCategory.objects.create(parent=hk, name="本区侨务", sort_order=5)
    add_document(title="关于做好涉台事务的通知", topic=used)

    align(django_apps, None)

    items = list(hk.children.order_by("sort_order", "pk").values_list("name", flat=True))
    assert items[:3] == ["港澳工作", "对台工作", "侨务工作"]
    assert set(items[3:]) == {"台湾工作", own.name}  # in use, and the office's own


def test_the_genres_are_the_15_kinds_and_the_others(site_tree):
    names = list(Genre.objects.values_list("name", flat=True))
    assert names[:15] == [
        "决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知",
        "通报", "报告", "请示", "批复", "议案", "函", "纪要",
    ]  # fmt: skip
    assert {"其他", "图解", "数据", "解读"} <= set(names)


LOOP = """
[[topics]]
name = "甲"
parent = "乙"

[[topics]]
name = "乙"
parent = "甲"
"""
THIRD_LEVEL = """
[[topics]]
name = "综合政务"
children = ["政务公开"]

[[topics]]
name = "公开目录"
parent = "政务公开"
"""
DUPLICATE_TOP = """
[[topics]]
name = "新分类"

[[topics]]
name = "新分类"
"""
DUPLICATE_CHILD = """
[[topics]]
name = "新分类"
children = ["子项", "子项"]
"""
UNKNOWN_PARENT = """
[[topics]]
name = "子项"
parent = "不存在的分类"
"""


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (LOOP, "主题分类出现循环"),
        (THIRD_LEVEL, "主题分类只有两级"),
        (DUPLICATE_TOP, "一级分类「新分类」重复出现"),
        (DUPLICATE_CHILD, "分类「新分类 › 子项」重复出现"),
        (UNKNOWN_PARENT, "上级分类「不存在的分类」不在文件中"),
        ("topics = [", "不是有效的 TOML"),
        ("", "没有任何主题分类"),
    ],
)
def test_an_import_with_a_fault_is_refused_whole(site_tree, text, sentence):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        import_topics(text)
    assert sentence in " ".join(error.value.messages)
    assert snapshot() == before


def test_an_import_adds_what_is_missing(site_tree):
    created = import_topics(
        '[[topics]]\nname = "综合政务"\nchildren = ["政务公开", "数据开放"]\n\n'
        '[[topics]]\nname = "数据治理"\nparent = "综合政务"\n'
    )
    assert created == ["综合政务 › 数据开放", "综合政务 › 数据治理"]


def test_the_command_refuses_with_a_chinese_sentence(site_tree, tmp_path):
    path = tmp_path / "topics.toml"
    path.write_text(LOOP, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match="导入被拒绝，主题分类未做任何修改：主题分类出现循环"):
        call_command("import_topics", str(path))
    assert snapshot() == before


@pytest.fixture
def site_manager(make_user):
    return make_user("site_manager", "综合科-网站管理")


def test_the_site_manager_edits_the_topics_and_imports(client, site_manager):
    assert may_edit_disclosure_data(site_manager)
    login(client, site_manager)
    assert client.get(reverse("disclosure_topics:index")).status_code == 200
    assert client.get(reverse("disclosure_genres:index")).status_code == 200
    url = reverse("disclosure_topic_import")
    before = snapshot()
    upload = SimpleUploadedFile("topics.toml", LOOP.encode(), content_type="application/toml")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and "主题分类出现循环" in response.text
    assert snapshot() == before
    good = '[[topics]]\nname = "综合政务"\nchildren = ["数据开放"]\n'
    upload = SimpleUploadedFile("topics.toml", good.encode(), content_type="application/toml")
    assert client.post(url, {"file": upload}).status_code == 302
    assert TopicCategory.objects.filter(parent__name="综合政务", name="数据开放").exists()


def test_officers_may_not_edit_the_topics(client, make_user):
    officer = make_user("wenshu_officer", "文书科-信息员")
    assert not may_edit_disclosure_data(officer)
    login(client, officer)
    assert_refused(client.get(reverse("disclosure_topics:index")))
    assert_refused(client.get(reverse("disclosure_topics:add")))
    assert client.get(reverse("disclosure_topic_import")).status_code in (302, 403)


def test_a_topic_in_use_cannot_be_deleted(site_tree):
    from django.db.models import ProtectedError

    from .factories import add_document, topic

    add_document(topic=topic())
    with pytest.raises(ProtectedError):
        topic().delete()
