"""The two operations behind ``manage.py backup`` and ``manage.py restore``.

``make_backup`` snapshots the database first (``database.snapshot``), then copies every file of
the backed-up storages, and writes the manifest last. ``restore_backup`` changes nothing until
the whole archive has been verified against its manifest, the archive fits this code (database
vendor, migrations not newer than the code) and the target is fresh (or ``force``); it then
puts the files back and replaces the database last, so that a failure on the way leaves the
database as it was.
"""

import importlib.metadata
import os
import re
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.files.storage import storages
from django.db import DatabaseError, connections
from django.utils import timezone

from govsite.backup import archive, database, files, rules
from govsite.backup.archive import BackupError

# ---------------------------------------------------------------------------------------------
# Backup


@dataclass
class BackupReport:
    path: Path
    manifest: dict
    skipped: list[str] = field(default_factory=list)  # files deleted while being backed up

    @property
    def size(self):
        return self.path.stat().st_size


def site_slug(alias="default"):
    """The default site's host name, made safe for a file name ("govsite" when unknown)."""
    from wagtail.models import Site

    try:
        hostname = (
            Site.objects.using(alias)
            .filter(is_default_site=True)
            .values_list("hostname", flat=True)
            .first()
        )
    except DatabaseError:
        hostname = None
    slug = re.sub(r"[^A-Za-z0-9.-]+", "-", hostname or "").strip(".-")
    return slug or "govsite"


def archive_path(output=None, now=None, alias="default"):
    """Where the archive goes: ``output`` when it names a .tar.gz/.tgz/.tar file, else a file
    named after the site and the UTC time in the folder ``output`` or ``GOVSITE_BACKUP_ROOT``."""
    if output is not None:
        output = Path(output)
        if output.name.endswith(archive.SUFFIXES) and not output.is_dir():
            return output
    now = now or timezone.now()
    name = f"govsite-{site_slug(alias)}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    if output is None:
        return Path(settings.GOVSITE_BACKUP_ROOT) / name
    return output / name  # a folder, made if missing


@dataclass
class StoredBackup:
    path: Path
    size: int
    modified: datetime

    @property
    def shown_size(self):
        return human_size(self.size)


def recent_backups(limit=20):
    """The newest archives in the default folder (``GOVSITE_BACKUP_ROOT``, where the admin's
    备份 and ``manage.py backup`` without ``--output`` write them), newest first. Unfinished
    ones are hidden (``.<name>.<random>.partial``) and not listed."""
    folder = Path(settings.GOVSITE_BACKUP_ROOT)
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith(archive.SUFFIXES):
            continue
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue  # removed meanwhile
        if entry.is_file():
            modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
            found.append(StoredBackup(Path(entry.path), stat.st_size, modified))
    found.sort(key=lambda backup: (backup.modified, backup.path.name), reverse=True)
    return found[:limit]


def govsite_version():
    try:
        return importlib.metadata.version("govsite")
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def govsite_commit():
    """The Git commit of the running code when it is a checkout (None otherwise)."""
    if not (Path(settings.BASE_DIR) / ".git").exists():
        return None
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None


def make_backup(output=None, alias="default", progress=None):
    """Write one archive of the database and every stored file; return a ``BackupReport``."""
    progress = progress or (lambda message: None)
    database.require_database(alias)
    now = timezone.now()
    path = archive_path(output, now, alias)
    if path.exists():
        raise BackupError(f"目标文件已存在，不会覆盖：{path}")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"无法建立备份目录 {path.parent}：{error}") from error
    vendor = connections[alias].vendor
    report = BackupReport(path=path, manifest={})
    try:
        with tempfile.TemporaryDirectory(prefix=".govsite-backup-", dir=path.parent) as work:
            dump = Path(work) / database.DUMP_NAMES.get(vendor, "db")
            applied, counts = database.snapshot(dump, alias)
            progress(f"数据库快照完成：{database.describe(alias)}")
            with archive.ArchiveWriter(path) as writer:
                writer.add_path(database.member_name(vendor), dump)
                dump.unlink()
                stored = {}
                for storage_alias in files.backed_up_aliases():
                    stored[storage_alias] = _add_storage(writer, storage_alias, report)
                    progress(
                        f"存储“{storage_alias}”：{stored[storage_alias]['files']} 个文件，"
                        f"{human_size(stored[storage_alias]['bytes'])}"
                    )
                report.manifest = writer.finish(
                    {
                        "format": archive.FORMAT,
                        "format_version": archive.FORMAT_VERSION,
                        "created_at": now.astimezone(UTC).isoformat(),
                        "site": site_slug(alias),
                        "govsite": {"version": govsite_version(), "commit": govsite_commit()},
                        "django": django.get_version(),
                        "wagtail": wagtail.__version__,
                        "database": {
                            "vendor": vendor,
                            "member": database.member_name(vendor),
                        },
                        "migrations": {
                            "latest": rules.latest_per_app(applied),
                            "applied": applied,
                        },
                        "counts": counts,
                        "storages": stored,
                        "skipped": report.skipped,
                    }
                )
    except OSError as error:
        raise BackupError(f"备份失败，未留下备份文件：{error}") from error
    return report


def _add_storage(writer, alias, report):
    # Any error of a storage backend (OSError on disk, botocore's on S3) ends the backup with its
    # message; the unfinished archive is removed by the writer.
    storage = storages[alias]
    count = size = 0
    try:
        names = list(files.walk(storage))
    except Exception as error:  # noqa: BLE001
        raise BackupError(f"无法列出存储“{alias}”中的文件：{error}") from error
    for name in names:
        try:
            source = storage.open(name, "rb")
        except FileNotFoundError:
            # Deleted after it was listed (an image deleted meanwhile): not in the archive.
            report.skipped.append(f"{alias}/{name}")
            continue
        except Exception as error:  # noqa: BLE001
            raise BackupError(f"无法读取存储“{alias}”中的 {name}：{error}") from error
        try:
            with source:
                size += writer.add_file(archive.file_member(alias, name), source)
        except BackupError:
            raise
        except Exception as error:  # noqa: BLE001
            raise BackupError(f"无法读取存储“{alias}”中的 {name}：{error}") from error
        count += 1
    return {"files": count, "bytes": size, "backend": settings.STORAGES[alias]["BACKEND"]}


def human_size(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


# ---------------------------------------------------------------------------------------------
# Restore


@dataclass
class RestoreReport:
    manifest: dict
    files: dict[str, int] = field(default_factory=dict)  # restored files per storage
    counts: dict[str, int] = field(default_factory=dict)  # rows after the restore
    behind: list[tuple[str, str]] = field(default_factory=list)  # migrations still to apply


def restore_backup(path, force=False, alias="default", progress=None):
    """Rebuild this instance from the archive at ``path``; return a ``RestoreReport``."""
    progress = progress or (lambda message: None)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    connection = connections[alias]
    with tempfile.TemporaryDirectory(prefix="govsite-restore-") as work:
        manifest = archive.verify(path, extract_dir=work)
        progress(f"备份文件校验通过：{len(manifest['members'])} 个条目，{manifest['created_at']}")
        _check_fits(manifest, connection)
        _check_target(manifest, force, alias)

        report = RestoreReport(manifest=manifest)
        for storage_alias, name, content, size in archive.file_members(path, manifest):
            try:
                files.put(storage_alias, name, content, size, replace=force)
            except BackupError:
                raise
            except Exception as error:  # noqa: BLE001 - OSError on disk, botocore's on S3
                raise BackupError(
                    f"无法写入存储“{storage_alias}”：{name}（{error}）；数据库未改动。"
                ) from error
            report.files[storage_alias] = report.files.get(storage_alias, 0) + 1
        progress("文件已恢复：" + _per_storage(report.files))

        dump = Path(work) / Path(manifest["database"]["member"]).name
        try:
            database.restore(dump, alias)
        except BackupError as error:
            raise BackupError(
                f"{error}\n数据库未改动；备份中的文件已写入存储。解决问题后可加 --force 重新恢复。"
            ) from error
        progress(f"数据库已恢复：{database.describe(alias)}")

    applied, report.counts = database.live_inventory(alias)
    differing = [
        f"{label} {manifest['counts'][label]}→{report.counts.get(label)}"
        for label in manifest["counts"]
        if report.counts.get(label) != manifest["counts"][label]
    ]
    if differing:
        raise BackupError("恢复后的数据库与备份清单的记录数不符：" + "、".join(differing))
    report.behind = rules.migration_gap(applied).behind
    return report


def _per_storage(counts):
    return "，".join(f"“{alias}” {count} 个" for alias, count in counts.items()) or "无"


def _check_fits(manifest, connection):
    """Refuse an archive from another database vendor, or from a newer GovSite."""
    vendor = manifest.get("database", {}).get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"备份来自 {database.VENDOR_NAMES.get(vendor, vendor)} 数据库，而当前配置的是 "
            f"{database.VENDOR_NAMES.get(connection.vendor, connection.vendor)}；"
            "不能跨数据库类型恢复，未做任何更改。"
        )
    if manifest["database"].get("member") != database.member_name(vendor):  # vendor checked
        raise BackupError("备份清单中的数据库条目不符，拒绝恢复，未做任何更改。")
    missing = [alias for alias in manifest.get("storages", {}) if alias not in settings.STORAGES]
    if missing:
        raise BackupError(f"备份含有存储“{'、'.join(missing)}”的文件，但当前配置没有这些存储。")
    gap = rules.migration_gap(manifest["migrations"].get("applied", []))
    if gap.ahead:
        shown = "、".join(f"{app}.{name}" for app, name in gap.ahead[:5])
        raise BackupError(
            f"备份来自更新版本的 GovSite：其数据库已应用本程序没有的迁移（{shown}"
            f"{'等' if len(gap.ahead) > 5 else ''}）。请先升级程序再恢复，未做任何更改。"
        )


def _check_target(manifest, force, alias):
    """Refuse to replace a database or files already in use unless ``force``."""
    if force:
        return
    try:
        _applied, counts = database.live_inventory(alias)
    except DatabaseError as error:
        raise BackupError(f"无法读取目标数据库 {database.describe(alias)}：{error}") from error
    if rules.holds_content(counts):
        held = rules.described_counts(
            {
                label: counts[label]
                for label in (settings.AUTH_USER_MODEL, "mailbox.Letter", "wagtailcore.Page")
                if counts.get(label)
            }
        )
        raise BackupError(
            f"目标数据库 {database.describe(alias)} 已有内容（{held}）；恢复会替换其全部数据。"
            "请确认后加 --force 再运行，未做任何更改。"
        )
    wanted = {}
    for member in manifest["members"]:
        parsed = archive.split_file_member(member)
        if parsed is not None:
            wanted.setdefault(parsed[0], []).append(parsed[1])
    clashes = [
        f"{storage_alias}/{name}"
        for storage_alias, names in wanted.items()
        for name in files.existing(storage_alias, names)
    ]
    if clashes:
        raise BackupError(
            f"目标存储中已有同名文件（{'、'.join(clashes[:5])}"
            f"{'等' if len(clashes) > 5 else ''}，共 {len(clashes)} 个）；"
            "请确认后加 --force 覆盖，未做任何更改。"
        )
