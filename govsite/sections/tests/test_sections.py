"""Sections and roles are data, editable in the admin (SPEC §1)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import GroupCollectionPermission

from govsite.testing.helpers import PASSWORD, assert_refused, section

from ..models import Section


@pytest.mark.django_db
def test_a_new_section_brings_its_two_groups(site_tree):
    new = Section.objects.create(name="法制科", code="fazhi")
    assert new.officer_group.name == "法制科-信息员"
    assert new.chief_group.name == "法制科-科长"
    for group in (new.officer_group, new.chief_group):
        assert group.permissions.filter(codename="access_admin").exists()
        codes = set(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "permission__codename", flat=True
            )
        )
        assert {"add_image", "choose_image", "add_document", "choose_document"} <= codes


@pytest.mark.django_db
def test_renaming_a_section_renames_its_groups_and_keeps_members(make_user):
    officer = make_user("wenshu_a", "文书科-信息员")
    wenshu = section("文书科")
    wenshu.name = "文电科"
    wenshu.save()
    assert set(officer.groups.values_list("name", flat=True)) == {"文电科-信息员"}
    assert not Group.objects.filter(name="文书科-信息员").exists()


@pytest.mark.django_db
def test_a_section_name_that_clashes_with_a_group_is_refused(site_tree):
    clash = Section(name="综合科", code="other")
    with pytest.raises(ValidationError):
        clash.full_clean()
    Group.objects.create(name="督办科-科长")
    with pytest.raises(ValidationError, match="督办科-科长"):
        Section(name="督办科", code="duban").full_clean()


@pytest.mark.django_db
def test_queryset_states(make_user):
    director = make_user("d", "主管主任", supervises=["秘书科", "文书科"])
    chief = make_user("c", "督查室-科长")
    officer = make_user("o", "信息中心-信息员")
    assert set(Section.objects.supervised_by(director).values_list("name", flat=True)) == {
        "秘书科",
        "文书科",
    }
    assert list(Section.objects.with_chief(chief)) == [section("督查室")]
    assert list(Section.objects.with_officer(officer)) == [section("信息中心")]


@pytest.mark.django_db
def test_site_manager_edits_sections_in_the_admin(client, make_user):
    manager = make_user("wz", "综合科-网站管理")
    director = make_user("zr", "主管主任")
    assert client.login(username="wz", password=PASSWORD)
    listing = client.get(reverse("wagtailsnippets_sections_section:list"))
    assert listing.status_code == 200
    assert "秘书科" in listing.content.decode()
    response = client.post(
        reverse("wagtailsnippets_sections_section:add"),
        {
            "name": "法制科",
            "code": "fazhi",
            "sort_order": 9,
            "description": "",
            "directors": [director.pk],
        },
    )
    assert response.status_code == 302
    created = Section.objects.get(code="fazhi")
    assert list(created.directors.all()) == [director]
    assert manager.has_perm("sections.change_section")


@pytest.mark.django_db
def test_officers_cannot_edit_sections(client, make_user):
    make_user("o", "秘书科-信息员")
    assert client.login(username="o", password=PASSWORD)
    response = client.get(reverse("wagtailsnippets_sections_section:add"))
    assert_refused(response)
    assert not Section.objects.filter(code="x").exists()


@pytest.mark.django_db
def test_section_owners_answer_as_owning_section_for_every_page(site_tree):
    """A listing's ``SectionOwners`` and ``owning_section`` are one rule: the same section for
    every page of the tree — columns, sub-columns, articles, the pages above them."""
    from wagtail.models import Page

    from govsite.demo.generator import generate_articles
    from govsite.sections.rules import SectionOwners, owning_section

    generate_articles(20, index=False)
    owners = SectionOwners()
    pages = list(Page.objects.all())
    assert len(pages) > 50  # the tree and the articles
    for page in pages:
        assert owners.of(page) == owning_section(page), page.title


# 综合科, the site owner section (第五条) ---------------------------------------------------------


def section_form(target, **changes):
    """The 科室 edit form's fields for ``target``, with ``changes``."""
    fields = {
        "name": target.name,
        "code": target.code,
        "sort_order": target.sort_order,
        "description": target.description,
        "directors": [user.pk for user in target.directors.all()],
    }
    for flag in ("signs_off_media", "runs_website"):
        if getattr(target, flag):
            fields[flag] = "on"
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


@pytest.mark.django_db
def test_the_bootstrap_marks_the_office_section_once(site_tree, django_assert_num_queries):
    from govsite.columns.bootstrap import bootstrap_site
    from govsite.sections.rules import office_section

    zonghe = section("综合科")
    assert list(Section.objects.running_website()) == [zonghe]
    user = type("Visitor", (), {})()  # any object the answer can be kept on
    with django_assert_num_queries(1):
        assert office_section(user) == zonghe
        assert office_section(user) == zonghe  # read once per user object
    Section.objects.filter(code="zonghe").update(runs_website=False)
    Section.objects.filter(code="ducha").update(runs_website=True)
    bootstrap_site()  # the office's choice stays
    assert office_section() == section("督查室")


@pytest.mark.django_db
def test_only_one_section_runs_the_website(site_tree):
    from django.db import IntegrityError, transaction

    ducha = section("督查室")
    ducha.runs_website = True
    with pytest.raises(ValidationError, match="「综合科」已负责网站建设和管理"):
        ducha.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.filter(pk=ducha.pk).update(runs_website=True)


@pytest.mark.django_db
def test_the_site_manager_designates_another_office_section_in_the_admin(client, make_user):
    from govsite.sections.rules import office_section

    make_user("wz", "综合科-网站管理")
    assert client.login(username="wz", password=PASSWORD)
    zonghe, ducha = section("综合科"), section("督查室")
    edit = "wagtailsnippets_sections_section:edit"
    refused = client.post(reverse(edit, args=[ducha.pk]), section_form(ducha, runs_website="on"))
    assert refused.status_code == 200
    assert "「综合科」已负责网站建设和管理" in refused.content.decode()
    assert office_section() == zonghe

    unmarked = client.post(reverse(edit, args=[zonghe.pk]), section_form(zonghe, runs_website=None))
    assert unmarked.status_code == 302 and office_section() is None
    marked = client.post(reverse(edit, args=[ducha.pk]), section_form(ducha, runs_website="on"))
    assert marked.status_code == 302 and office_section() == section("督查室")


@pytest.mark.django_db
def test_a_duty_that_follows_a_column_is_its_owners(site_tree, make_user):
    """``section_owning_column``: the owner of the first matching sub-column in tree order, read
    once per user, with whether that user supervises it."""
    from govsite.columns.models import SubColumnPage
    from govsite.sections.rules import section_owning_column, supervises

    director = make_user("zr", "主管主任", supervises=["秘书科"])
    columns = SubColumnPage.objects.filter(slug__in=["zfwj", "zcfg"])  # 政策法规 comes first
    assert section_owning_column(columns, duty="test") == section("综合科")
    mishu_columns = SubColumnPage.objects.filter(owner_section__code="mishu")
    found = section_owning_column(mishu_columns, director, duty="test")
    assert found == section("秘书科") and supervises(director, found)
    SubColumnPage.objects.filter(owner_section__code="mishu").update(
        owner_section=section("文书科")
    )
    assert section_owning_column(mishu_columns, director, duty="test") == found  # read once
    assert section_owning_column(SubColumnPage.objects.none(), duty="test") is None
