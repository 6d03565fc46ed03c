"""Names of the office-wide roles (第五、七、十四条; 等保 三员分立).

The groups themselves are data, created by the bootstrap and editable in the admin; these
names are how code finds them. Per-section groups are named after the section, e.g.
``秘书科-信息员`` and ``秘书科-科长`` (see ``Section.officer_group_name``).
"""

OFFICER_SUFFIX = "信息员"
CHIEF_SUFFIX = "科长"

DIRECTORS = "主管主任"
SITE_MANAGERS = "综合科-网站管理"
SYSTEM_ADMINS = "系统管理员"
SECURITY_ADMINS = "安全管理员"
AUDIT_ADMINS = "审计管理员"

OFFICE_WIDE_GROUPS = [DIRECTORS, SITE_MANAGERS, SYSTEM_ADMINS, SECURITY_ADMINS, AUDIT_ADMINS]
