"""The office's security policy (SPEC §10, R-SEC-2 and R-SEC-3; 第十八至二十条), kept as data
that 安全管理员 edits in the admin (三员分立: not 系统管理员, not 审计管理员).

Every figure has a floor: the policy can be made stricter in the admin, never weaker than
R-SEC-2/3 and the 180-day retention of 网络安全法 第二十一条 allow.
"""

from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="lock")
class SecurityPolicy(BaseGenericSetting):
    """R-SEC-2 passwords, R-SEC-3 lockout, sessions and second factor, R-SEC-4 retention."""

    # R-SEC-2 (第二十条: passwords changed regularly)
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="到期后登录须先修改密码；不得超过 90 天。",
    )
    password_warning_days = models.PositiveSmallIntegerField(
        "到期前提醒（天）",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    password_history = models.PositiveSmallIntegerField(
        "不得与最近几次密码相同",
        default=5,
        validators=[MinValueValidator(5), MaxValueValidator(24)],
    )
    # R-SEC-3 login protection
    lockout_failures = models.PositiveSmallIntegerField(
        "连续失败次数上限",
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
        help_text="在下面的时间窗口内登录失败达到此次数，账号和来源 IP 均被锁定。",
    )
    lockout_window_minutes = models.PositiveSmallIntegerField(
        "失败计数时间窗口（分钟）",
        default=15,
        validators=[MinValueValidator(15), MaxValueValidator(1440)],
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        "锁定时长（分钟）",
        default=30,
        validators=[MinValueValidator(30), MaxValueValidator(1440)],
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "无操作自动退出（分钟）",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(30)],
    )
    session_max_hours = models.PositiveSmallIntegerField(
        "单次登录最长（小时）",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    single_session = models.BooleanField(
        "每个账号只允许一处登录",
        default=False,
        help_text="开启后，新的登录会结束该账号在其他地点的登录。",
    )
    twofactor_groups = models.ManyToManyField(
        Group,
        verbose_name="须使用双因素认证的用户组",
        blank=True,
        related_name="+",
        help_text="这些用户组的成员登录时除密码外还须输入动态验证码（TOTP）。",
    )
    twofactor_superusers = models.BooleanField(
        "超级用户须使用双因素认证",
        default=True,
        help_text="超级用户仅供应急使用，应始终开启。",
    )
    # R-SEC-4 (网络安全法 第二十一条: logs kept at least six months)
    audit_retention_days = models.PositiveIntegerField(
        "审计日志保留（天）",
        default=180,
        validators=[MinValueValidator(180)],
        help_text="不少于 180 天；只可延长。",
    )

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        # 三员分立: what 安全管理员 does besides editing the policy (govsite/security/rules.py).
        permissions = [
            ("unlock_account", "解除登录锁定"),
            ("reset_second_factor", "重置双因素认证"),
        ]
