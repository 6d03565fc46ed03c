"""Personal accounts (R-SEC-1, 第十八条), their passwords (R-SEC-2, 第二十条) and their login
sessions (R-SEC-1/3).

Every password set on an account passes through ``User.save``: the time is recorded (for the
90-day expiry), the hash is kept in ``PasswordHistory`` (no reuse of the last five), and a
password set by somebody other than the account's owner — an administrator creating the account
or resetting its password in the admin — must be changed at the next login. The thresholds are
``govsite.security.models.SecurityPolicy`` data.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from govsite.security.signals import security_event

from .context import acting_user, current_request

# PasswordHistory keeps at most this many hashes per account: the policy's upper bound.
HISTORY_KEPT = 24


class User(AbstractUser):
    """A personal account (R-SEC-1: no shared logins; 第十八条).

    Chinese names read family name first with no space: 王立新, not "立新 王".
    """

    password_changed_at = models.DateTimeField(
        "密码修改时间",
        null=True,
        blank=True,
        editable=False,
        help_text="密码有效期从这时算起（R-SEC-2）。",
    )
    must_change_password = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="管理员新建账号或重置密码后自动勾选；本人修改密码后取消。",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def get_full_name(self):
        return f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self):
        return self.get_full_name() or self.username

    # Passwords (R-SEC-2) ---------------------------------------------------------------------

    def save(self, *args, **kwargs):
        # ``set_password`` leaves the raw password in ``_password`` until the next save; a hash
        # upgrade on login clears it first (see AbstractBaseUser.check_password). A new account
        # may come with a ready hash (``create_user`` makes it without ``set_password``).
        changed = self._password is not None or (
            self._state.adding and bool(self.password) and self.has_usable_password()
        )
        if changed:
            actor = acting_user()
            by_someone_else = actor is not None and actor.pk != self.pk
            existed = self.pk is not None and not self._state.adding
            self.password_changed_at = timezone.now()
            self.must_change_password = by_someone_else
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {
                    *update_fields,
                    "password_changed_at",
                    "must_change_password",
                }
        super().save(*args, **kwargs)
        if changed:
            self._password_was_set(actor, by_someone_else, existed)

    def _password_was_set(self, actor, by_someone_else, existed):
        from . import sessions

        PasswordHistory.objects.remember(self)
        request = current_request()
        keep = (
            sessions.current_row_id(request) if actor is not None and not by_someone_else else None
        )
        sessions.end_sessions(
            UserSession.objects.filter(user=self).open().exclude(pk=keep),
            reason=UserSession.EndReason.PASSWORD_CHANGED,
            actor=actor,
            request=request,
        )
        if by_someone_else and not existed:
            return  # a new account: its creation is what the audit log records
        security_event.send(
            sender=User,
            action="password_reset" if by_someone_else else "password_changed",
            actor=actor,
            target=self,
            request=request,
            detail={"must_change_password": self.must_change_password},
        )

    def password_expires_at(self, policy):
        if self.password_changed_at is None:
            return None
        return self.password_changed_at + timedelta(days=policy.password_max_age_days)

    def password_days_left(self, policy, now=None):
        """Whole days, rounded up, until the password expires (0 or less: expired)."""
        expires = self.password_expires_at(policy)
        if expires is None:
            return None
        seconds = (expires - (now or timezone.now())).total_seconds()
        return math.ceil(seconds / 86400)

    def password_expired(self, policy, now=None):
        expires = self.password_expires_at(policy)
        return expires is not None and expires <= (now or timezone.now())

    def password_change_reason(self, policy, now=None):
        """Why the user must change the password before anything else, or ``None``."""
        if not self.has_usable_password():
            return None
        if self.must_change_password:
            return "must_change"
        if self.password_expired(policy, now):
            return "expired"
        return None


class PasswordHistoryQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user)

    def latest_first(self):
        return self.order_by("-created_at", "-pk")


class PasswordHistoryManager(models.Manager.from_queryset(PasswordHistoryQuerySet)):
    def remember(self, user):
        """Keep the hash of ``user``'s password as just set; forget the oldest beyond 24."""
        self.create(user=user, password=user.password)
        keep = self.of(user).latest_first().values_list("pk", flat=True)[:HISTORY_KEPT]
        self.of(user).exclude(pk__in=list(keep)).delete()


class PasswordHistory(models.Model):
    """R-SEC-2: the hashes of an account's recent passwords, so that none of the last
    ``SecurityPolicy.password_history`` (at least 5) is chosen again. The current password is
    the newest entry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name="用户",
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now, db_index=True)

    objects = PasswordHistoryManager()

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class UserSessionQuerySet(models.QuerySet):
    def open(self):
        """Not ended by the application (they may still have timed out)."""
        return self.filter(ended_at__isnull=True)

    def ended(self):
        return self.filter(ended_at__isnull=False)

    def active(self, policy, now=None):
        """Open, seen within the idle timeout and started within the maximum length."""
        now = now or timezone.now()
        return self.open().filter(
            last_seen_at__gte=now - timedelta(minutes=policy.idle_timeout_minutes),
            started_at__gte=now - timedelta(hours=policy.session_max_hours),
        )

    def stale(self, now=None):
        """Ended, or not seen for a day: kept no longer (the audit log keeps the events)."""
        cutoff = (now or timezone.now()) - timedelta(days=1)
        return self.filter(Q(ended_at__lt=cutoff) | Q(last_seen_at__lt=cutoff))


class UserSession(models.Model):
    """One login of an account (R-SEC-1): where from, in which browser, since when, last seen.

    Lets the owner see that the account is in use elsewhere (您的账号在其他地点登录) and end
    those logins; with ``SecurityPolicy.single_session`` a new login ends the others. A row
    ended by the application stays until its browser is told why (or a day has passed).
    """

    class EndReason(models.TextChoices):
        ENDED_BY_USER = "ended_by_user", "本人在其他地点结束了这次登录"
        SINGLE_SESSION = "single_session", "账号在其他地点登录（每个账号只允许一处登录）"
        PASSWORD_CHANGED = "password_changed", "账号密码已修改"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_sessions",
        verbose_name="用户",
    )
    session_key = models.CharField("会话标识", max_length=40, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    started_at = models.DateTimeField("登录时间", default=timezone.now)
    last_seen_at = models.DateTimeField("最近活动", default=timezone.now)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=20, choices=EndReason, blank=True)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.ip or '未知地址'} {self.started_at:%Y-%m-%d %H:%M}"

    def same_place_as(self, other):
        """The same browser at the same address (a second tab is no other place)."""
        return self.ip == other.ip and self.user_agent == other.user_agent
