"""What the audit log records and the one function that writes it (R-SEC-4).

``ACTIONS`` names every action this project records itself, with its Chinese label and its
category; the security events of ``govsite.security.signals.ACTIONS`` are part of it. Actions
mirrored from Wagtail's log keep Wagtail's code (``wagtail.publish``) and label, and the
mailbox's case steps are ``mailbox.<step>`` (see ``signal_handlers``).

``record`` is how every entry is written: it takes who acted and from where from the current
request (``context``) unless told otherwise.
"""

from django.contrib.contenttypes.models import ContentType

from govsite.security.signals import ACTIONS as SECURITY_ACTIONS

from . import context
from .models import AuditEntry, Category

SUMMARY_LENGTH = 500
REPR_LENGTH = 255

# Security events about sessions are part of logging in and out; the rest are 安全.
SESSION_EVENTS = {"session_ended", "session_expired"}

ACTIONS = {
    # 登录 (R-SEC-3)
    "login": ("登录成功", Category.LOGIN),
    "login_failed": ("登录失败", Category.LOGIN),
    "logout": ("退出登录", Category.LOGIN),
    "locked_out": ("账号锁定", Category.SECURITY),
    # Sent by govsite.accounts and govsite.security (govsite.security.signals)
    **{
        code: (label, Category.LOGIN if code in SESSION_EVENTS else Category.SECURITY)
        for code, label in SECURITY_ACTIONS.items()
    },
    # A password set is recorded by the ``password_changed``/``password_reset`` event that
    # govsite.accounts sends for it; one made unusable sends none and is recorded here.
    "password_disabled": ("停用密码", Category.SECURITY),
    # 账号与权限 (三员分立: who changed which account, group or permission)
    "user_created": ("新建账号", Category.ACCOUNTS),
    "user_changed": ("修改账号信息", Category.ACCOUNTS),
    "user_deleted": ("删除账号", Category.ACCOUNTS),
    "user_activated": ("启用账号", Category.ACCOUNTS),
    "user_deactivated": ("停用账号", Category.ACCOUNTS),
    "superuser_granted": ("授予超级管理员", Category.ACCOUNTS),
    "superuser_revoked": ("撤销超级管理员", Category.ACCOUNTS),
    "staff_granted": ("授予职员身份（is_staff）", Category.ACCOUNTS),
    "staff_revoked": ("撤销职员身份（is_staff）", Category.ACCOUNTS),
    "groups_added": ("加入用户组", Category.ACCOUNTS),
    "groups_removed": ("移出用户组", Category.ACCOUNTS),
    "user_permissions_added": ("授予用户权限", Category.ACCOUNTS),
    "user_permissions_removed": ("撤销用户权限", Category.ACCOUNTS),
    "group_created": ("新建用户组", Category.ACCOUNTS),
    "group_renamed": ("用户组改名", Category.ACCOUNTS),
    "group_deleted": ("删除用户组", Category.ACCOUNTS),
    "group_permissions_added": ("授予用户组权限", Category.ACCOUNTS),
    "group_permissions_removed": ("撤销用户组权限", Category.ACCOUNTS),
    "page_permission_granted": ("授予页面权限", Category.ACCOUNTS),
    "page_permission_revoked": ("撤销页面权限", Category.ACCOUNTS),
    "collection_permission_granted": ("授予媒体集合权限", Category.ACCOUNTS),
    "collection_permission_revoked": ("撤销媒体集合权限", Category.ACCOUNTS),
    # Break-glass (三员分立: the superuser's every action is audited)
    "superuser_request": ("超级管理员提交操作", Category.SUPERUSER),
    # The audit log itself
    "audit_exported": ("导出审计日志", Category.AUDIT),
    "audit_access_denied": ("无权查看审计日志被拒绝", Category.AUDIT),
    "audit_purged": ("清理过期审计日志", Category.AUDIT),
}

_UNSET = object()


def _truncate(text, length):
    text = str(text or "")
    return text if len(text) <= length else text[: length - 1] + "…"


def record(
    action,
    *,
    actor=_UNSET,
    actor_username=None,
    target=None,
    target_type=None,
    target_id=None,
    target_repr=None,
    summary="",
    detail=None,
    request=_UNSET,
    label=None,
    category=None,
    at=None,
    with_client=True,
):
    """Write one entry and return it.

    ``actor`` defaults to the user of the current request (None: the system); ``request``
    defaults to the current request, whose client address and user agent are kept unless
    ``with_client`` is False (a member of the public's own address is never kept, see the
    mailbox). The target is an instance (``target``) or, when it may no longer exist, its
    ``target_type`` (a ContentType) and ``target_id``. ``label`` and ``category`` default to
    those of ``ACTIONS``.
    """
    if request is _UNSET:
        request = context.current_request()
    if actor is _UNSET:
        actor = context.request_user(request)
    if actor is not None and getattr(actor, "pk", None) is None:
        actor_username = actor_username or actor.get_username()
        actor = None
    if actor_username is None:
        actor_username = actor.get_username() if actor is not None else ""
    known_label, known_category = ACTIONS.get(action, (action, Category.SECURITY))
    ip_address, user_agent = context.client_of(request) if with_client else (None, "")
    fields = {
        "action": _truncate(action, 150),
        "action_label": _truncate(label or known_label, 100),
        "category": category or known_category,
        "actor": actor,
        "actor_username": _truncate(actor_username, 150),
        "summary": _truncate(summary, SUMMARY_LENGTH),
        "ip_address": ip_address,
        "user_agent": user_agent,
        "detail": detail or {},
    }
    if at is not None:
        fields["at"] = at
    if target is not None:
        target_type = ContentType.objects.get_for_model(target)
        target_id = target.pk
        if target_repr is None:
            target_repr = str(target)
    fields["target_content_type"] = target_type
    fields["target_id"] = _truncate("" if target_id is None else target_id, 64)
    fields["target_repr"] = _truncate(target_repr, REPR_LENGTH)
    return AuditEntry.objects.create(**fields)


# What a request leaves to its end ----------------------------------------------------------------


class RequestState:
    """What a request has seen that is written, or dropped, when it ends (``middleware``)."""

    def __init__(self):
        self.watched_groups = {}  # group pk → its page and collection permissions before


def request_state(request, create=True):
    state = getattr(request, "_govsite_audit", None)
    if state is None and create:
        state = request._govsite_audit = RequestState()
    return state
