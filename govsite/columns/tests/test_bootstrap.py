"""R-TREE-1: one idempotent command builds the sections, the roles and the SPEC §2 tree."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, Revision, Workflow

from govsite.sections import roles
from govsite.sections.models import Section

from ..bootstrap import bootstrap_site, load_tree_spec
from ..models import ColumnPage, ContentKind, HomePage, SubColumnPage

# SPEC §2, written out again by hand so that a change of the data file is noticed.
EXPECTED_TREE = [
    ("政务公开", [("办公室简介", "综合科"), ("领导简介", "综合科"), ("机构职能", "综合科"),
              ("人事任免", "综合科"), ("通知公告", "综合科"), ("政务公开目录", "综合科")]),
    ("政务专题", [("政府工作报告", "秘书科"), ("经济工作报告", "秘书科"), ("折子工程", "秘书科"),
              ("重要实事", "秘书科"), ("重点工程", "秘书科"), ("领导重要讲话", "秘书科")]),
    (
        "政策文件",
        [
            ("政策法规", "综合科"),
            ("政府文件", "文书科"),
            ("政府办文件", "文书科"),
            ("政策解读", "文书科"),
        ],
    ),
    ("办公室建设", [("办公室精神", "综合科"), ("ISO质量管理体系", "综合科"), ("工作制度", "综合科"),
               ("办公室折子工程", "综合科"), ("荣誉陈列室", "综合科"), ("年度评优", "综合科"),
               ("文章集萃", "综合科")]),
    ("工作进展", [("工程进展", "督查室"), ("办公室折子工程进展", "综合科"),
              ("工作动态", "综合科")]),
    ("业务指南", [("业务工作流程", "综合科"), ("业务工作标准", "综合科")]),
    ("热点专题", []),
    ("在线交流", [("沟通信箱", "综合科"), ("监督电话", "综合科"), ("服务满意度调查", "综合科")]),
]  # fmt: skip


def snapshot():
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
        "revisions": Revision.objects.count(),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "group_permissions": sorted(
            Group.objects.values_list("name", "permissions__codename").distinct()
        ),
        "page_permissions": sorted(
            GroupPagePermission.objects.values_list("group__name", "page_id", "permission_id")
        ),
        "sections": list(Section.objects.values_list("code", "name", "sort_order")),
    }


@pytest.mark.django_db
def test_the_tree_is_exactly_spec_section_2(site_tree):
    home = HomePage.objects.get()
    columns = ColumnPage.objects.child_of(home).order_by("path")
    actual = [
        (
            column.title,
            [
                (sub.title, sub.owner_section.name)
                for sub in SubColumnPage.objects.child_of(column).order_by("path")
            ],
        )
        for column in columns
    ]
    assert actual == EXPECTED_TREE
    assert all(page.live for page in Page.objects.filter(depth__gte=2))


@pytest.mark.django_db
def test_columns_say_whether_they_are_dynamic_or_fixed(site_tree):
    """R-TREE-3, with the examples SPEC §2 gives."""
    kind = {sub.title: sub.content_kind for sub in SubColumnPage.objects.all()}
    for title in ("工作动态", "工程进展", "人事任免"):
        assert kind[title] == ContentKind.DYNAMIC
    for title in ("办公室简介", "机构职能", "领导简介"):
        assert kind[title] == ContentKind.FIXED
    spec = load_tree_spec()
    declared = {s["title"]: s["kind"] for c in spec["columns"] for s in c["sub_columns"]}
    assert kind == declared


@pytest.mark.django_db
def test_sections_and_roles_exist(site_tree):
    names = set(Group.objects.values_list("name", flat=True))
    for section in ("综合科", "秘书科", "文书科", "督查室", "信息中心"):
        assert {f"{section}-信息员", f"{section}-科长"} <= names
    assert set(roles.OFFICE_WIDE_GROUPS) <= names
    assert Section.objects.count() == 5


@pytest.mark.django_db
def test_bootstrap_twice_changes_nothing(site_tree):
    before = snapshot()
    report = bootstrap_site()
    assert report.created == []
    assert snapshot() == before


@pytest.mark.django_db
def test_bootstrap_keeps_the_offices_own_changes(site_tree):
    """Re-running after the office renamed a section and moved a column reverts neither."""
    speeches = SubColumnPage.objects.get(title="领导重要讲话")
    speeches.owner_section = Section.objects.get(name="综合科")
    speeches.save_revision().publish()
    secretariat = Section.objects.get(code="mishu")
    secretariat.name = "秘书一科"
    secretariat.save()

    bootstrap_site()

    speeches.refresh_from_db()
    assert speeches.owner_section.name == "综合科"
    assert Section.objects.get(code="mishu").name == "秘书一科"
    assert not Section.objects.filter(name="秘书科").exists()


@pytest.mark.django_db
def test_bootstrap_command_reports_in_chinese(site_tree, capsys):
    call_command("bootstrap_site")
    assert "栏目结构已完整" in capsys.readouterr().out


@pytest.mark.django_db
def test_hot_topics_start_empty(site_tree):
    hot = ColumnPage.objects.get(title="热点专题")
    assert hot.get_children().count() == 0


@pytest.mark.django_db
def test_wagtails_placeholder_groups_and_workflow_are_retired(site_tree):
    """Wagtail's default Editors/Moderators groups could publish anywhere; they are gone."""
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert not GroupPagePermission.objects.filter(page__depth=1).exists()
