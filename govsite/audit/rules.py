"""Who reads the audit log (R-SEC-4; 三员分立).

审计管理员 reads and exports it, and nothing else; 系统管理员 and 安全管理员, whose actions it
records, do not read it. The permission ``audit.view_auditentry`` is granted to 审计管理员 by the
bootstrap (``govsite.sections.permissions``) and is not offered in the group editor; superusers
(break-glass) hold every permission.
"""

VIEW_PERMISSION = "audit.view_auditentry"


def may_read(user):
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_PERMISSION))
