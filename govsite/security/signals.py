"""Security events that the audit log records (R-SEC-4, 第十八至二十条).

Code that changes an account's security state sends ``security_event``; ``govsite.audit``
receives it and writes the entry. Django's own signals (``user_logged_in``, ``user_logged_out``,
``user_login_failed``), axes' ``user_locked_out`` and model changes to users, groups and
permissions are received by the audit app directly and are not sent again here.

    security_event.send(
        sender=SomeClass,            # the class that sends it
        action="password_changed",   # one of ACTIONS
        actor=request.user,          # who did it (None for the system)
        target=user,                 # the account it was done to (None when not about one)
        request=request,             # for the IP and user agent (None outside a request)
        detail={"reason": "expired"},  # JSON-serialisable, shown in the log
        summary="",                  # optional; "账号：<username>" when the target is an account
        with_client=True,            # False: keep no IP address or user agent (the public)
    )
"""

from django.dispatch import Signal

ACTIONS = {
    # Passwords and sessions (govsite.accounts)
    "password_changed": "修改密码",
    "password_reset": "管理员重置密码",
    "password_expired": "密码过期，要求修改",
    "session_ended": "结束其他登录会话",
    "session_expired": "会话超时退出",
    # Lockout and second factor (govsite.security)
    "unlocked": "解除锁定",
    "otp_enrolled": "启用双因素认证",
    "otp_verified": "双因素认证通过",
    "otp_failed": "双因素认证失败",
    "otp_reset": "重置双因素认证",
    "recovery_code_used": "使用恢复码",
    "recovery_codes_generated": "生成恢复码",
    "policy_changed": "修改安全策略",
    # What the browsers' Content-Security-Policy blocked (govsite.security.reports)
    "csp_violation": "浏览器拦截违反内容安全策略的内容",
}

security_event = Signal()
