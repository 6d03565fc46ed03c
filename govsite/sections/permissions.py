"""Model and collection permissions that come with each role.

Page permissions (which columns a section may write in) are granted by column ownership,
see ``govsite.columns.permissions``.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission

from . import roles

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

# Officers and chiefs upload and choose the images and attachments of their articles.
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]

OFFICE_GROUP_MODEL_PERMISSIONS = {
    roles.DIRECTORS: [ADMIN_ACCESS],
    roles.SITE_MANAGERS: [
        ADMIN_ACCESS,
        ("sections", "add_section"),
        ("sections", "change_section"),
        ("sections", "view_section"),
        ("columns", "change_sitesettings"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
        # R-SCREEN-1..3: 综合科 maintains the lexicons (entries are disabled, not deleted).
        *[
            ("screening", f"{action}_{model}")
            for model in ("prohibitedterm", "classificationmark", "seriouserror")
            for action in ("add", "change", "view")
        ],
        ("screening", "view_prohibitedcategory"),
        ("screening", "change_screeningsettings"),
        # R-MAIL-3: 综合科 keeps the mailbox's settings and its working-day calendar. Letters
        # need no model permission: govsite.mailbox.rules decides who sees and handles them.
        ("mailbox", "change_mailboxsettings"),
        *[("mailbox", f"{action}_holiday") for action in ("add", "change", "delete", "view")],
        # R-SURVEY-1: the surveys' daily cap. The surveys themselves need no model permission:
        # govsite.surveys.rules follows the owner of the 服务满意度调查 column.
        ("surveys", "change_surveysettings"),
        # R-ASSESS-1: 综合科 keeps the update rules, each column's own rule, the 单项否决 lines
        # and the freshness settings (govsite.assessment.rules.may_edit_rules).
        *[
            ("assessment", f"{action}_{model}")
            for model in ("freshnessrule", "columnrule", "vetoline")
            for action in ("add", "change", "delete", "view")
        ],
        ("assessment", "change_freshnesssettings"),
        # R-OPEN-1: 综合科 keeps the 主题分类 tree, the 体裁 and the 政务公开设置
        # (govsite.disclosure.rules.may_edit_disclosure_data).
        *[
            ("disclosure", f"{action}_{model}")
            for model in ("topiccategory", "genre")
            for action in ("add", "change", "delete", "view")
        ],
        ("disclosure", "change_disclosuresettings"),
    ],
    roles.SYSTEM_ADMINS: [
        ADMIN_ACCESS,
        ("accounts", "add_user"),
        ("accounts", "change_user"),
        ("accounts", "view_user"),
        ("auth", "add_group"),
        ("auth", "change_group"),
        ("auth", "view_group"),
        ("columns", "change_sitesettings"),
    ],
    # R-SEC-3 (三员分立): 安全管理员 keeps the security policy, lifts lockouts and resets the
    # second factor (govsite/security/rules.py); nobody else but a superuser may.
    roles.SECURITY_ADMINS: [
        ADMIN_ACCESS,
        ("security", "change_securitypolicy"),
        ("security", "unlock_account"),
        ("security", "reset_second_factor"),
    ],
    # R-SEC-4 (三员分立): 审计管理员 reads and exports the audit log, and nothing else.
    roles.AUDIT_ADMINS: [ADMIN_ACCESS, ("audit", "view_auditentry")],
}

OFFICE_GROUP_MEDIA = {roles.SITE_MANAGERS}


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_media(group):
    root = Collection.get_first_root_node()
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_permission(app_label, codename)
        )


def grant_section_base_permissions(section):
    """Officers and chiefs reach the admin and manage their own media."""
    for group in (section.officer_group, section.chief_group):
        group.permissions.add(_permission(*ADMIN_ACCESS))
        _grant_media(group)


def ensure_office_groups():
    """Create the office-wide groups with their model permissions (idempotent)."""
    groups = {}
    for name, permissions in OFFICE_GROUP_MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[_permission(*p) for p in permissions])
        if name in OFFICE_GROUP_MEDIA:
            _grant_media(group)
        groups[name] = group
    return groups
