"""What a backup holds and when an archive may be restored (issue 6, item 8; 等保 2.0 level 3,
"数据备份恢复": the important data is backed up and can be restored).

Kept as data in one place: the storages whose files go into the archive, the models whose rows
are counted in the manifest (and counted again after a restore), what makes a database "hold
content" (a restore never replaces it without ``--force``), how an archive's migration
state compares with the code, and who may start a backup from the admin.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.migrations.loader import MigrationLoader

from govsite.sections import roles
from govsite.sections.rules import has_role

# Storages (settings.STORAGES) whose every file goes into the archive, read through Django's
# storage API so that S3-compatible storages are backed up alike: public media (original
# images, their renditions, documents) and the letters' attachments. Renditions are kept:
# images are small by rule (第十七条, at most 500×375) and a rendition row without its file
# would be served as a broken image until someone deleted the row.
BACKED_UP_STORAGES = ("default", "private")

# Rows counted in the manifest and checked again after a restore, with the names an operator
# reads in the summary. The user model and its group memberships are added by
# ``counted_models``, and so is every model of the audit log (``govsite.audit``) when installed.
COUNTED_MODELS = {
    "wagtailcore.Page": "页面",
    "wagtailcore.Revision": "页面版本",
    "wagtailcore.PageLogEntry": "页面操作记录",
    "wagtailcore.ModelLogEntry": "其他操作记录",
    "auth.Group": "角色",
    "mailbox.Letter": "来信",
    "mailbox.LetterEvent": "来信办理记录",
    "images.GovImage": "图片",
    "images.GovRendition": "图片缩略版本",
    "wagtaildocs.Document": "文档",
    "security.SecurityPolicy": "安全策略",
}
AUDIT_APP_LABEL = "audit"


def may_back_up(user):
    """系统管理员 (三员: the system side; and the break-glass superuser) start a backup from the
    admin. A restore replaces the whole site: it stays on the command line, for operators."""
    return user.is_active and (user.is_superuser or has_role(user, roles.SYSTEM_ADMINS))


# Wagtail's own migrations create the root page and a welcome page: a database with only these
# two pages, no account and no letter is a fresh instance.
FRESH_INSTANCE_PAGES = 2


def counted_models():
    """{model label: (db_table, name shown to the operator)} for every counted model that is
    installed, in a stable order."""
    User = get_user_model()
    names = {
        User._meta.label: "账号",
        User.groups.through._meta.label: "账号所属角色",
        **COUNTED_MODELS,
    }
    if apps.is_installed(f"govsite.{AUDIT_APP_LABEL}"):
        for model in apps.get_app_config(AUDIT_APP_LABEL).get_models():
            names[model._meta.label] = f"审计日志：{model._meta.verbose_name_plural}"
    counted = {}
    for label, name in names.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        counted[label] = (model._meta.db_table, name)
    return counted


def described_counts(counts):
    """``counts`` (model label → rows) as the operator reads them: "账号 12、页面 340"."""
    names = counted_models()
    return "、".join(
        f"{names[label][1] if label in names else label} {count}" for label, count in counts.items()
    )


def holds_content(counts):
    """A database already in use: it has an account, a letter, or pages beyond Wagtail's two
    initial ones. A restore replaces such a database only when the operator says ``--force``."""
    return (
        counts.get(get_user_model()._meta.label, 0) > 0
        or counts.get("mailbox.Letter", 0) > 0
        or counts.get("wagtailcore.Page", 0) > FRESH_INSTANCE_PAGES
    )


@dataclass
class MigrationGap:
    """How a database's applied migrations compare with the migrations of this code."""

    # Applied in the archive, unknown to the code: the archive comes from a newer GovSite.
    ahead: list[tuple[str, str]] = field(default_factory=list)
    # In the code, not applied in the archive: restore, then ``manage.py migrate``.
    behind: list[tuple[str, str]] = field(default_factory=list)


def migration_gap(applied):
    """Compare ``applied`` — (app, name) pairs from django_migrations — with the code's
    migrations on disk. A squashed migration counts as applied when everything it replaces is,
    and migrations that a squash replaced are known to the code even once deleted."""
    applied = {tuple(key) for key in applied}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(tuple(key) for key in migration.replaces)
    ahead = sorted(applied - known)
    behind = []
    for key in loader.graph.nodes:
        replaces = {tuple(k) for k in loader.graph.nodes[key].replaces}
        if key in applied or (replaces and replaces <= applied):
            continue
        behind.append(key)
    return MigrationGap(ahead=ahead, behind=sorted(behind))


def latest_per_app(applied):
    """{app: the latest applied migration}, by migration name (numbered names sort in order)."""
    latest = {}
    for app, name in sorted(applied):
        latest[app] = name
    return latest
