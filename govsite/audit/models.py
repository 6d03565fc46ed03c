"""The audit log (R-SEC-4; 第十八至二十条, 网络安全法 第二十一条, 等保 2.0 安全审计).

One ``AuditEntry`` per thing done: logins and login failures (with IP and user agent), logouts,
lockouts and unlocks, password and second-factor events, account, group and permission
changes, every content and workflow action (mirrored from Wagtail's log), the mailbox's case
steps, and every state-changing admin request of a superuser (break-glass, 三员分立).

Append-only: an entry is written once and never changed or deleted through the application.
``save()`` refuses an existing row, ``delete()`` refuses, and so do the QuerySet's ``update()``
and ``delete()``; nothing registers the model for editing and no role holds a permission other
than ``view_auditentry``. The one removal is the retention job (``govsite.audit.retention``),
which removes only entries older than the retention and never one younger than 180 days.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry (R-SEC-4)."""


class Category(models.TextChoices):
    LOGIN = "login", "登录"
    ACCOUNTS = "accounts", "账号与权限"
    SECURITY = "security", "安全"
    CONTENT = "content", "内容"
    WORKFLOW = "workflow", "审核流程"
    MAILBOX = "mailbox", "来信办理"
    SETTINGS = "settings", "设置"
    SUPERUSER = "superuser", "超级管理员操作"
    AUDIT = "audit", "审计"


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Chinese kept as characters in the stored JSON (not ``\\uXXXX``), so that a free-text
    search finds a name in the detail on SQLite as on PostgreSQL."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计日志不能修改。")

    def delete(self):
        raise AppendOnlyError("审计日志不能删除，只能由保留期清理任务移除过期记录。")

    def older_than(self, moment):
        """Entries written before ``moment``: what the retention job may remove."""
        return self.filter(at__lt=moment)

    def since(self, moment):
        return self.filter(at__gte=moment)

    def in_category(self, category):
        return self.filter(category=category)

    def by(self, username):
        """What the account ``username`` did (or, for a failed login, the name typed)."""
        return self.filter(actor_username=username)

    def about(self, instance):
        """Entries whose target is ``instance``."""
        return self.filter(
            target_content_type=ContentType.objects.get_for_model(instance),
            target_id=str(instance.pk),
        )


class AuditEntry(models.Model):
    """R-SEC-4: one thing done, by whom, from where, to what — written once, never edited."""

    at = models.DateTimeField("时间", default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    actor_username = models.CharField(
        "操作人",
        max_length=150,
        blank=True,
        editable=False,
        help_text="操作人的用户名，账号删除后仍保留；登录失败和锁定时为所输入的用户名。",
    )
    action = models.CharField("操作代码", max_length=150, editable=False)
    action_label = models.CharField("操作", max_length=100, editable=False)
    category = models.CharField("类别", max_length=20, choices=Category.choices, editable=False)
    target_content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    target_id = models.CharField("对象 ID", max_length=64, blank=True, editable=False)
    target_repr = models.CharField("对象", max_length=255, blank=True, editable=False)
    summary = models.CharField("说明", max_length=500, blank=True, editable=False)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True, editable=False)
    user_agent = models.CharField("浏览器", max_length=300, blank=True, editable=False)
    detail = models.JSONField(
        "详情", default=dict, blank=True, encoder=UnicodeJSONEncoder, editable=False
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-pk"]
        # Read-only for everyone: no add, change or delete permission exists to be granted.
        default_permissions = ("view",)
        indexes = [
            # Newest first, and every filter of the 审计日志 view within a date range.
            models.Index(fields=["at", "id"], name="audit_at"),
            models.Index(fields=["category", "at"], name="audit_category_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
            models.Index(fields=["actor_username", "at"], name="audit_actor_at"),
            models.Index(fields=["ip_address", "at"], name="audit_ip_at"),
            models.Index(fields=["target_content_type", "target_id"], name="audit_target"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.action_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计日志不能修改。")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志不能删除，只能由保留期清理任务移除过期记录。")
