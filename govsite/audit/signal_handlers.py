"""What writes the audit log (R-SEC-4): receivers of Django's, axes', Wagtail's and this
project's signals, each turning one event into one entry (``events.record``).

* 登录: ``user_logged_in``, ``user_logged_out``, ``user_login_failed`` (the name typed, IP and
  user agent) and axes' ``user_locked_out``;
* 安全: every ``govsite.security.signals.security_event``;
* 账号与权限: accounts created, changed (which fields; a new password is recorded as such, never
  its hash), deleted; superuser/staff/active flags; group membership; user and group model
  permissions; Wagtail's page and collection permissions of groups; groups created, renamed,
  deleted;
* 内容 and 审核流程: every Wagtail log entry (``PageLogEntry``, ``ModelLogEntry``), mirrored;
* 来信办理: every ``LetterEvent`` of the mailbox, mirrored.

Accounts and groups are not mirrored from Wagtail's log: the entries here say more.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.log_actions import registry as log_registry
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    Page,
    PageLogEntry,
)

from govsite.mailbox.models import LetterEvent
from govsite.security.signals import security_event

from . import context, events
from .events import record
from .models import Category

DISPATCH = "govsite.audit"


def _user_model():
    return get_user_model()


def _account(username):
    """The account named ``username``, if there is one."""
    if not username:
        return None
    User = _user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: username[:150]}).first()


def _names(objects):
    return "、".join(str(obj) for obj in objects)


# 登录 --------------------------------------------------------------------------------------------


def on_logged_in(sender, request, user, **kwargs):
    record("login", actor=user, target=user, request=request or context.current_request())


def on_logged_out(sender, request, user, **kwargs):
    if user is None or not user.is_authenticated:
        return  # a logout without a login: nothing happened
    record("logout", actor=user, target=user, request=request or context.current_request())


def on_login_failed(sender, credentials, request=None, **kwargs):
    """The name typed is kept as the 操作人 (the account, if it exists, is the target); the
    password never is (Django has already masked it)."""
    User = _user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    account = _account(username)
    record(
        "login_failed",
        actor=None,
        actor_username=username,
        target=account,
        target_repr=username,
        request=request or context.current_request(),
        summary="" if account else "该用户名不存在",
        detail={"username": username[:150], "account_exists": account is not None},
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    """axes locked the account and the address out (R-SEC-3)."""
    account = _account(username)
    record(
        "locked_out",
        actor=None,
        actor_username=username or "",
        target=account,
        target_repr=username or "",
        request=request or context.current_request(),
        summary=f"连续登录失败，锁定账号“{username or ''}”及来源 IP {ip_address or ''}",
        detail={"username": (username or "")[:150], "ip_address": ip_address or ""},
    )


# 安全 --------------------------------------------------------------------------------------------


def on_security_event(
    sender,
    action,
    actor=None,
    target=None,
    request=None,
    detail=None,
    summary="",
    with_client=True,
    **kw,
):
    request = request or context.current_request()
    if actor is None or not actor.is_authenticated:
        actor = context.request_user(request)
    User = _user_model()
    if not summary and isinstance(target, User):
        summary = f"账号：{target.get_username()}"
    record(
        action,
        actor=actor,
        target=target,
        request=request,
        summary=summary,
        detail={"sender": getattr(sender, "__name__", str(sender)), **(detail or {})},
        with_client=with_client,
    )


# 账号 --------------------------------------------------------------------------------------------

# Never compared: the last login (it changes by itself) and the password hash (never stored).
# A password set is recorded by the ``password_changed``/``password_reset`` security event that
# ``govsite.accounts.models.User.save`` sends; what changes with it (fields named *password*,
# e.g. ``password_changed_at``) is part of that event, not an account change of its own.
QUIET_USER_FIELDS = {"last_login"}
FLAGS = {
    "is_superuser": ("superuser_granted", "superuser_revoked"),
    "is_staff": ("staff_granted", "staff_revoked"),
    "is_active": ("user_activated", "user_deactivated"),
}


def _compared_fields(User):
    return [
        field
        for field in User._meta.concrete_fields
        if not field.primary_key and field.name not in QUIET_USER_FIELDS | {"password"}
    ]


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and set(update_fields) <= QUIET_USER_FIELDS:
        return
    names = [field.attname for field in _compared_fields(sender)] + ["password"]
    instance._govsite_audit_before = (
        sender._base_manager.filter(pk=instance.pk).values(*names).first()
    )


def on_user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    username = instance.get_username()
    if created:
        flags = [label for flag, label in (("is_superuser", "超级管理员"), ("is_staff", "职员"))
                 if getattr(instance, flag, False)]  # fmt: skip
        record(
            "user_created",
            target=instance,
            summary=f"新建账号 {username}" + (f"（{'、'.join(flags)}）" if flags else ""),
            detail={
                "username": username,
                "email": getattr(instance, "email", ""),
                "is_active": instance.is_active,
                "is_staff": getattr(instance, "is_staff", False),
                "is_superuser": instance.is_superuser,
            },
        )
        return
    before = instance.__dict__.pop("_govsite_audit_before", None)
    if before is None:
        return
    password_changed = before["password"] != instance.password
    changes = []
    for field in _compared_fields(sender):
        old, new = before.get(field.attname), getattr(instance, field.attname)
        if old == new or (password_changed and "password" in field.name):
            continue
        if field.name in FLAGS:
            granted, revoked = FLAGS[field.name]
            record(granted if new else revoked, target=instance, summary=f"账号：{username}")
            continue
        changes.append(
            {"field": field.name, "label": str(field.verbose_name), "old": old, "new": new}
        )
    if changes:
        record(
            "user_changed",
            target=instance,
            summary="修改了：" + "、".join(change["label"] for change in changes),
            detail={"changes": changes},
        )
    if (
        password_changed
        and is_password_usable(before["password"])
        and not is_password_usable(instance.password)
    ):
        record("password_disabled", target=instance, summary=f"账号：{username}")


def on_user_post_delete(sender, instance, **kwargs):
    actor = context.request_user(context.current_request())
    actor_username = None
    if actor is not None and actor.pk == instance.pk:
        actor, actor_username = None, instance.get_username()  # the account is gone
    record(
        "user_deleted",
        actor=actor,
        actor_username=actor_username,
        target=instance,
        summary=f"删除账号 {instance.get_username()}",
        detail={"username": instance.get_username(), "email": getattr(instance, "email", "")},
    )


# Memberships and model permissions (many-to-many) ------------------------------------------------


def _permission_label(permission):
    return f"{permission.content_type.app_label}.{permission.codename}（{permission.name}）"


def _describe(model, pks):
    """(detail, text) of the objects ``pks`` of ``model``: groups or permissions."""
    objects = model._default_manager.filter(pk__in=pks).order_by("pk")
    if model is Permission:
        objects = objects.select_related("content_type")
        return (
            [
                {"id": p.pk, "codename": f"{p.content_type.app_label}.{p.codename}", "name": p.name}
                for p in objects
            ],  # fmt: skip
            _names(_permission_label(p) for p in objects),
        )
    return [{"id": obj.pk, "name": str(obj)} for obj in objects], _names(objects)


class M2M:
    """One audited many-to-many relation: ``owner`` holds ``members`` (a user holds groups)."""

    def __init__(self, field, added, removed, detail_key, text):
        self.field = field
        self.through = field.remote_field.through
        self.owner = field.model
        self.members = field.remote_field.model
        self.owner_column = field.m2m_column_name()
        self.member_column = field.m2m_reverse_name()
        self.added, self.removed = added, removed
        self.detail_key, self.text = detail_key, text

    def existing(self, instance, reverse, pk_set):
        """(owner pk, member pk) pairs in the table now, for ``instance`` and ``pk_set``."""
        rows = self.through._default_manager.all()
        if reverse:
            rows = rows.filter(**{self.member_column: instance.pk})
            if pk_set is not None:
                rows = rows.filter(**{f"{self.owner_column}__in": pk_set})
        else:
            rows = rows.filter(**{self.owner_column: instance.pk})
            if pk_set is not None:
                rows = rows.filter(**{f"{self.member_column}__in": pk_set})
        return set(rows.values_list(self.owner_column, self.member_column))

    def pairs(self, instance, reverse, pk_set):
        if reverse:
            return {(pk, instance.pk) for pk in pk_set}
        return {(instance.pk, pk) for pk in pk_set}

    def record(self, action, pairs):
        by_owner = {}
        for owner_pk, member_pk in pairs:
            by_owner.setdefault(owner_pk, set()).add(member_pk)
        owners = self.owner._default_manager.in_bulk(list(by_owner))
        for owner_pk, member_pks in sorted(by_owner.items()):
            owner = owners.get(owner_pk)
            if owner is None:
                continue
            detail, text = _describe(self.members, member_pks)
            record(
                action,
                target=owner,
                summary=f"{self.text}：{text}",
                detail={self.detail_key: detail},
            )


_M2M = {}


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    relation = _M2M.get(sender)
    if relation is None:
        return
    pending = instance.__dict__.setdefault("_govsite_audit_m2m", {})
    if action in ("pre_remove", "pre_clear"):
        pending[sender] = relation.existing(instance, reverse, pk_set)
    elif action == "post_add" and pk_set:
        relation.record(relation.added, relation.pairs(instance, reverse, pk_set))
    elif action in ("post_remove", "post_clear"):
        removed = pending.pop(sender, set())
        if removed:
            relation.record(relation.removed, removed)


# Groups and Wagtail's group permissions ----------------------------------------------------------


def _page_pairs(group):
    return set(
        GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id")
    )


def _collection_pairs(group):
    return set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "collection_id", "permission_id"
        )
    )


def _watched(group_id):
    request = context.current_request()
    state = getattr(request, "_govsite_audit", None) if request is not None else None
    return state is not None and group_id in state.watched_groups


def _watch(group, page_pairs, collection_pairs):
    """Wagtail's group editor writes page and collection permissions with ``bulk_create``,
    which sends no signal: within a request, the group's permissions as they were when the
    group was saved are compared with what they are when the request ends (``flush``)."""
    request = context.current_request()
    if request is None:
        return
    state = events.request_state(request)
    state.watched_groups.setdefault(group.pk, (page_pairs, collection_pairs))


def on_group_pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._govsite_audit_name = (
        Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    )
    if not _watched(instance.pk):
        _watch(instance, _page_pairs(instance), _collection_pairs(instance))


def on_group_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record("group_created", target=instance, summary=f"新建用户组 {instance.name}")
        _watch(instance, set(), set())
        return
    old_name = instance.__dict__.pop("_govsite_audit_name", None)
    if old_name is not None and old_name != instance.name:
        record(
            "group_renamed",
            target=instance,
            summary=f"“{old_name}”改名为“{instance.name}”",
            detail={"old": old_name, "new": instance.name},
        )


def on_group_pre_delete(sender, instance, **kwargs):
    instance._govsite_audit_members = sorted(
        instance.user_set.values_list(_user_model().USERNAME_FIELD, flat=True)
    )


def on_group_post_delete(sender, instance, **kwargs):
    members = instance.__dict__.pop("_govsite_audit_members", [])
    record(
        "group_deleted",
        target=instance,
        summary=f"删除用户组 {instance.name}（{len(members)} 名成员）",
        detail={"name": instance.name, "members": members},
    )


def _page_text(page_id):
    page = Page.objects.filter(pk=page_id).only("title", "url_path").first()
    return (page.title, page.url_path) if page else ("", "")


def _record_page_permission(action, group, page_id, permission):
    title, url_path = _page_text(page_id)
    record(
        action,
        target=group,
        summary=f"{permission.name}，页面《{title or page_id}》",
        detail={
            "page": {"id": page_id, "title": title, "url_path": url_path},
            "permission": {"codename": permission.codename, "name": permission.name},
        },
    )


def _record_collection_permission(action, group, collection_id, permission):
    collection = Collection.objects.filter(pk=collection_id).first()
    name = str(collection) if collection else str(collection_id)
    record(
        action,
        target=group,
        summary=f"{permission.name}，媒体集合“{name}”",
        detail={
            "collection": {"id": collection_id, "name": name},
            "permission": {
                "codename": f"{permission.content_type.app_label}.{permission.codename}",
                "name": permission.name,
            },
        },
    )


def _group_and_permission(instance):
    try:
        return instance.group, instance.permission
    except ObjectDoesNotExist:
        return None, None


def on_page_permission_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created or _watched(instance.group_id):
        return
    group, permission = _group_and_permission(instance)
    if group is not None:
        _record_page_permission("page_permission_granted", group, instance.page_id, permission)


def on_page_permission_deleted(sender, instance, **kwargs):
    if _watched(instance.group_id):
        return
    group, permission = _group_and_permission(instance)
    if group is not None:
        _record_page_permission("page_permission_revoked", group, instance.page_id, permission)


def on_collection_permission_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created or _watched(instance.group_id):
        return
    group, permission = _group_and_permission(instance)
    if group is not None:
        _record_collection_permission(
            "collection_permission_granted", group, instance.collection_id, permission
        )


def on_collection_permission_deleted(sender, instance, **kwargs):
    if _watched(instance.group_id):
        return
    group, permission = _group_and_permission(instance)
    if group is not None:
        _record_collection_permission(
            "collection_permission_revoked", group, instance.collection_id, permission
        )


def record_watched_groups(state):
    """At the end of a request: what the watched groups gained and lost (``_watch``)."""
    watched, state.watched_groups = state.watched_groups, {}
    for group_pk, (pages_before, collections_before) in watched.items():
        group = Group.objects.filter(pk=group_pk).first()
        if group is None:
            continue  # deleted: ``group_deleted`` says so
        pages_now, collections_now = _page_pairs(group), _collection_pairs(group)
        permissions = Permission.objects.select_related("content_type").in_bulk(
            {pk for _, pk in pages_before ^ pages_now | collections_before ^ collections_now}
        )
        for page_id, permission_id in sorted(pages_now - pages_before):
            _record_page_permission(
                "page_permission_granted", group, page_id, permissions[permission_id]
            )
        for page_id, permission_id in sorted(pages_before - pages_now):
            _record_page_permission(
                "page_permission_revoked", group, page_id, permissions[permission_id]
            )
        for collection_id, permission_id in sorted(collections_now - collections_before):
            _record_collection_permission(
                "collection_permission_granted", group, collection_id, permissions[permission_id]
            )
        for collection_id, permission_id in sorted(collections_before - collections_now):
            _record_collection_permission(
                "collection_permission_revoked", group, collection_id, permissions[permission_id]
            )


# 内容 and 审核流程: Wagtail's log, mirrored -------------------------------------------------------

# Review-chain actions: Wagtail's workflow and this project's 撤销/删除申请 (govsite.changes).
WORKFLOW_PREFIXES = ("wagtail.workflow.", "govsite.change_request.")


def _category_of(action, model):
    if action.startswith(WORKFLOW_PREFIXES):
        return Category.WORKFLOW
    if model is not None and issubclass(model, (BaseGenericSetting, BaseSiteSetting)):
        return Category.SETTINGS
    return Category.CONTENT


def _text(value):
    try:
        return str(value() if callable(value) else value or "")
    except Exception:  # noqa: BLE001 - a formatter that fails must not lose the entry
        return ""


def on_log_entry(sender, instance, created, raw=False, **kwargs):
    """Every Wagtail log entry becomes an audit entry (内容, 审核流程 or 设置), with the
    same actor (None: the system, e.g. the scheduler or the automatic screening)."""
    if raw or not created:
        return
    entry = instance
    content_type = entry.content_type
    model = content_type.model_class() if content_type else None
    if model is not None and issubclass(model, (_user_model(), Group)):
        return  # recorded as 账号与权限 by the receivers above
    request_user = context.request_user(context.current_request())
    actor = None
    if request_user is not None and request_user.pk == entry.user_id:
        actor = request_user
    elif entry.user_id:
        actor = _user_model()._default_manager.filter(pk=entry.user_id).first()
    label = entry.action
    if log_registry.action_exists(entry.action):
        label = _text(log_registry.get_action_label(entry.action))
    message, comment = _text(lambda: entry.message), _text(lambda: entry.comment)
    detail = {
        "log_entry": {"model": entry._meta.label_lower, "id": entry.pk},
        "uuid": str(entry.uuid) if entry.uuid else "",
        "revision_id": entry.revision_id,
        "content_changed": entry.content_changed,
        "deleted": entry.deleted,
        "message": message,
        "comment": comment,
        "data": entry.data,
    }
    if request_user is not None and request_user.pk != entry.user_id:
        detail["request_user"] = request_user.get_username()
    record(
        entry.action,
        actor=actor,
        label=label,
        category=_category_of(entry.action, model),
        target_type=content_type,
        target_id=entry.page_id if isinstance(entry, PageLogEntry) else entry.object_id,
        target_repr=entry.label,
        summary=message + (f"；意见：{comment}" if comment else ""),
        detail=detail,
        at=entry.timestamp,
    )


# 来信办理: the mailbox's case steps, mirrored -----------------------------------------------------


def on_letter_event(sender, instance, created, raw=False, **kwargs):
    """A step of a letter's handling. A letter written by a member of the public has no
    actor, and their address is never kept (the mailbox keeps only a keyed hash of it)."""
    if raw or not created:
        return
    event = instance
    letter = event.letter
    record(
        f"mailbox.{event.action}",
        actor=event.actor,
        label=event.get_action_display(),
        category=Category.MAILBOX,
        target=letter,
        target_repr=letter.tracking_number,
        summary=event.note,
        detail={"letter_event_id": event.pk, "data": event.data},
        at=event.at,
        with_client=event.actor_id is not None,
    )


# Wiring ------------------------------------------------------------------------------------------


def connect():
    """Connect every receiver (``AuditConfig.ready``)."""
    User = _user_model()
    user_logged_in.connect(on_logged_in, dispatch_uid=f"{DISPATCH}.login")
    user_logged_out.connect(on_logged_out, dispatch_uid=f"{DISPATCH}.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{DISPATCH}.login_failed")
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid=f"{DISPATCH}.locked_out")
    security_event.connect(on_security_event, dispatch_uid=f"{DISPATCH}.security_event")

    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid=f"{DISPATCH}.user_pre")
    post_save.connect(on_user_post_save, sender=User, dispatch_uid=f"{DISPATCH}.user_post")
    post_delete.connect(on_user_post_delete, sender=User, dispatch_uid=f"{DISPATCH}.user_del")
    for field, added, removed, key, text in [
        (User._meta.get_field("groups"), "groups_added", "groups_removed", "groups", "用户组"),
        (User._meta.get_field("user_permissions"), "user_permissions_added",
         "user_permissions_removed", "permissions", "权限"),
        (Group._meta.get_field("permissions"), "group_permissions_added",
         "group_permissions_removed", "permissions", "权限"),
    ]:  # fmt: skip
        relation = M2M(field, added, removed, key, text)
        _M2M[relation.through] = relation
        m2m_changed.connect(
            on_m2m_changed, sender=relation.through, dispatch_uid=f"{DISPATCH}.{added}"
        )

    pre_save.connect(on_group_pre_save, sender=Group, dispatch_uid=f"{DISPATCH}.group_pre")
    post_save.connect(on_group_post_save, sender=Group, dispatch_uid=f"{DISPATCH}.group_post")
    pre_delete.connect(on_group_pre_delete, sender=Group, dispatch_uid=f"{DISPATCH}.group_pdel")
    post_delete.connect(on_group_post_delete, sender=Group, dispatch_uid=f"{DISPATCH}.group_del")
    post_save.connect(on_page_permission_saved, sender=GroupPagePermission,
                      dispatch_uid=f"{DISPATCH}.gpp_save")  # fmt: skip
    post_delete.connect(on_page_permission_deleted, sender=GroupPagePermission,
                        dispatch_uid=f"{DISPATCH}.gpp_del")  # fmt: skip
    post_save.connect(on_collection_permission_saved, sender=GroupCollectionPermission,
                      dispatch_uid=f"{DISPATCH}.gcp_save")  # fmt: skip
    post_delete.connect(on_collection_permission_deleted, sender=GroupCollectionPermission,
                        dispatch_uid=f"{DISPATCH}.gcp_del")  # fmt: skip

    for log_model in (PageLogEntry, ModelLogEntry):
        post_save.connect(on_log_entry, sender=log_model,
                          dispatch_uid=f"{DISPATCH}.{log_model._meta.model_name}")  # fmt: skip

    post_save.connect(on_letter_event, sender=LetterEvent, dispatch_uid=f"{DISPATCH}.letter")
