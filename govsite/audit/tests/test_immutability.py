"""R-SEC-4: entries cannot be changed or deleted through the application — not through the
model, not through a QuerySet, not through any admin URL — and nobody holds a permission to."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from govsite.audit.events import record
from govsite.audit.models import AppendOnlyError, AuditEntry
from govsite.sections import roles


@pytest.fixture
def entry(db):
    return record("login_failed", actor=None, actor_username="someone", request=None)


def test_an_entry_cannot_be_saved_again(entry):
    entry.summary = "改写"
    with pytest.raises(AppendOnlyError, match="不能修改"):
        entry.save()
    fresh = AuditEntry.objects.get(pk=entry.pk)
    with pytest.raises(AppendOnlyError):
        fresh.save(update_fields=["summary"])
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError, match="不能删除"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_querysets_refuse_update_delete_and_bulk_update(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="改写")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry.summary = "改写"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["summary"])
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_no_permission_to_add_change_or_delete_exists(db):
    codenames = set(
        Permission.objects.filter(content_type__app_label="audit").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_auditentry"}


def test_only_the_auditors_hold_the_view_permission(site_tree):
    holders = set(
        Group.objects.filter(permissions__codename="view_auditentry").values_list("name", flat=True)
    )
    assert holders == {roles.AUDIT_ADMINS}


@pytest.mark.parametrize(
    "path",
    [
        "/admin/snippets/audit/auditentry/",
        "/admin/snippets/audit/auditentry/edit/{pk}/",
        "/admin/snippets/audit/auditentry/delete/{pk}/",
        "/admin/audit/{pk}/edit/",
        "/admin/audit/{pk}/delete/",
        "/django-admin/audit/auditentry/{pk}/change/",
    ],
)
def test_no_admin_url_edits_or_deletes_an_entry(client, make_user, entry, path):
    client.force_login(make_user("root", superuser=True))
    url = path.format(pk=entry.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"summary": "改写"}).status_code == 404
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_the_audit_views_answer_get_only(client, make_user, entry):
    """The list and the detail answer GET only; the export's POST starts an export (a
    background job writing a file), and nothing else."""
    client.force_login(make_user("root", superuser=True))
    for url in (
        reverse("govsite_audit:index"),
        reverse("govsite_audit:detail", args=[entry.pk]),
    ):
        assert client.post(url, {"summary": "改写"}).status_code == 405
        assert client.delete(url).status_code == 405
    export = reverse("govsite_audit:export", args=["csv"])
    assert client.delete(export).status_code == 405
    assert client.put(export, {"summary": "改写"}).status_code == 405
    assert client.post(export, {"summary": "改写"}).status_code == 302  # an export started
    assert AuditEntry.objects.filter(pk=entry.pk, summary="").exists()
    for name in ("edit", "delete", "add"):
        with pytest.raises(NoReverseMatch):
            reverse(f"govsite_audit:{name}", args=[entry.pk])


def test_the_group_editor_does_not_offer_the_permission(client, make_user):
    """系统管理员 edits groups: he cannot hand anyone (himself included) the audit log."""
    client.force_login(make_user("root", superuser=True))
    group = Group.objects.get(name=roles.SYSTEM_ADMINS)
    html = client.get(reverse("wagtailusers_groups:edit", args=[group.pk])).content.decode()
    offered = 'name="permissions" value="{}"'.format
    change_user = Permission.objects.get(codename="change_user")
    assert offered(change_user.pk) in html  # the editor lists model permissions…
    view = Permission.objects.get(codename="view_auditentry")
    assert offered(view.pk) not in html  # …but not this one
