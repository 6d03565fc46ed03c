"""The full round trip (issue 6, item 8): back up a site holding content of every kind, restore
the archive into a fresh instance — a new database and empty media folders, run by manage.py in
processes of their own — and find every row of every model and every file again, byte for byte.

Runs on the database the suite runs on: SQLite (online backup API) by default, PostgreSQL
(pg_dump/pg_restore into a scratch database the test creates and drops) when DATABASE_URL
names one.
"""

import hashlib
import io
import json
import re
import stat
import tarfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from wagtail.models import Site

from govsite.backup import archive, database, files
from govsite.backup.tests import instances
from govsite.backup.tests.factories import build_content
from govsite.backup.tests.instances import FreshInstance, rows_by_model
from govsite.mailbox.models import Letter

# Every test may use the database (each in a transaction rolled back after it), so that
# pytest-django sets the test database up and keeps this module's tests together.
pytestmark = pytest.mark.django_db

VENDOR = connection.vendor
NAME_PATTERN = re.compile(r"^govsite-[A-Za-z0-9.-]+-\d{8}T\d{6}Z\.tar\.gz$")


class SourceStorages:
    """The source site's storages in folders of the test's own (nothing else writes there):
    MEDIA_ROOT and the private storage overridden, and the letters' attachment field — whose
    storage was chosen when the model was imported — pointed at the overriding one."""

    def __init__(self, root):
        self.media = root / "media"
        self.private = root / "private"

    def __enter__(self):
        self.override = override_settings(
            MEDIA_ROOT=self.media,
            STORAGES={
                **settings.STORAGES,
                "private": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": self.private},
                },
            },
        )
        self.override.enable()
        self.field = Letter._meta.get_field("attachment")
        self.field_storage = self.field.storage
        self.field.storage = storages["private"]
        return self

    def __exit__(self, *exc):
        self.field.storage = self.field_storage
        self.override.disable()

    def checksums(self):
        """{storage: {name: sha256}}, read through the storage API as the backup reads."""
        sums = {}
        for alias in files.backed_up_aliases():
            storage = storages[alias]
            sums[alias] = {}
            for name in files.walk(storage):
                with storage.open(name, "rb") as handle:
                    sums[alias][name] = hashlib.file_digest(handle, "sha256").hexdigest()
        return sums


def dump_rows(path):
    call_command(
        "dumpdata",
        all=True,
        exclude=list(instances.NO_TABLES),
        format="json",
        output=str(path),
        verbosity=0,
    )
    with open(path, encoding="utf-8") as handle:
        return rows_by_model(json.load(handle))


def read_manifest(path):
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile(archive.MANIFEST))


@dataclass
class RoundTrip:
    made: dict
    archive: Path
    backup_output: str
    manifest: dict
    source_rows: dict
    source_files: dict
    applied: list
    target: FreshInstance
    restore_output: str
    target_rows: dict
    target_files: dict


@pytest.fixture(scope="module")
def trip(django_db_setup, django_db_blocker, tmp_path_factory):
    """The round trip, once for the module. The content is committed (the backup reads what
    other connections see), so the session's database is put back as it was afterwards — with
    this app's own snapshot and restore, in seconds rather than a flush and a new bootstrap."""
    root = tmp_path_factory.mktemp("round-trip")
    session_database = root / database.DUMP_NAMES[VENDOR]
    target = FreshInstance(root / "target")
    with django_db_blocker.unblock():
        database.snapshot(session_database)
    try:
        with django_db_blocker.unblock(), SourceStorages(root / "source") as source:
            made = build_content()
            out = StringIO()
            call_command("backup", output=str(root / "archives"), stdout=out)
            (archive_path,) = (root / "archives").iterdir()
            source_rows = dump_rows(root / "source.json")
            source_files = source.checksums()
            applied = sorted(MigrationRecorder(connection).applied_migrations())
        target.create()
        restored = target.manage("restore", archive_path)
        assert restored.returncode == 0, restored.stderr
        yield RoundTrip(
            made=made,
            archive=archive_path,
            backup_output=out.getvalue(),
            manifest=read_manifest(archive_path),
            source_rows=source_rows,
            source_files=source_files,
            applied=applied,
            target=target,
            restore_output=restored.stdout,
            target_rows=target.dump_rows(),
            target_files=target.file_checksums(),
        )
    finally:
        target.drop()
        with django_db_blocker.unblock():
            database.restore(session_database)
            ContentType.objects.clear_cache()
            Site.clear_site_root_paths_cache()
            cache.clear()


# Models whose rows the round trip must carry, each present in the source (dumpdata's labels).
CARRIED = [
    "wagtailcore.page",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "columns.articlepage",
    "accounts.user",
    "auth.group",
    "mailbox.letter",
    "mailbox.letterevent",
    "images.govimage",
    "images.govrendition",
    "wagtaildocs.document",
    "security.securitypolicy",
]


def test_every_row_of_every_model_comes_back_unchanged(trip):
    expected = [*CARRIED]
    if trip.made["audit_installed"]:
        expected += [label for label in trip.source_rows if label.startswith("audit.")]
    for label in expected:
        assert trip.source_rows.get(label), f"the source holds no {label}: the test proves nothing"
    differing = [
        label
        for label in sorted(set(trip.source_rows) | set(trip.target_rows))
        if trip.source_rows.get(label) != trip.target_rows.get(label)
    ]
    assert differing == []
    assert trip.target_rows == trip.source_rows


def test_revisions_letters_memberships_and_the_policy_are_among_them(trip):
    rows = trip.target_rows
    article = trip.made["article"]
    revisions = [
        fields
        for fields in rows["wagtailcore.revision"].values()
        if fields["object_id"] == str(article.pk)
    ]
    assert len(revisions) == 4  # the publication, two edits and the draft
    assert any("（草稿）" in fields["object_str"] for fields in revisions)
    letters = {fields["subject"]: fields for fields in rows["mailbox.letter"].values()}
    assert letters["关于小区停车难的建议"]["status"] == Letter.Status.DRAFTED
    assert letters["关于小区停车难的建议"]["attachment"].endswith(".txt")
    assert letters["路灯损坏"]["attachment"].endswith(".jpg")
    users = {fields["username"]: fields for fields in rows["accounts.user"].values()}
    assert len(users["backup_manager"]["groups"]) == 2
    assert users["backup_wenshu_officer"]["groups"] and users["backup_auditor"]["groups"]
    (policy,) = rows["security.securitypolicy"].values()
    assert policy["password_max_age_days"] == 60 and policy["twofactor_groups"]


def test_every_file_comes_back_byte_for_byte(trip):
    made = trip.made
    private = {letter.attachment.name for letter in made["letters"]}
    public = {
        made["image"].file.name,
        made["document"].file.name,
        *(rendition.file.name for rendition in made["renditions"]),
    }
    assert private <= set(trip.source_files["private"])
    assert public <= set(trip.source_files["default"])
    assert trip.target_files == trip.source_files
    # ... and the manifest holds the same checksums.
    listed = {
        member: entry["sha256"]
        for member, entry in trip.manifest["members"].items()
        if member.startswith("files/")
    }
    assert listed == {
        archive.file_member(alias, name): digest
        for alias, names in trip.source_files.items()
        for name, digest in names.items()
    }


def test_the_archive_is_named_for_the_site_and_readable_by_its_owner_only(trip):
    assert NAME_PATTERN.match(trip.archive.name), trip.archive.name
    assert stat.S_IMODE(trip.archive.stat().st_mode) == 0o600
    assert [path.name for path in trip.archive.parent.iterdir()] == [trip.archive.name]
    assert str(trip.archive) in trip.backup_output


def test_the_manifest_describes_the_backup(trip):
    manifest = trip.manifest
    assert manifest["format"] == "govsite-backup" and manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["govsite"]["version"]
    assert manifest["migrations"]["applied"] == [list(key) for key in trip.applied]
    assert manifest["migrations"]["latest"]["mailbox"] == max(
        name for app, name in trip.applied if app == "mailbox"
    )
    counts = manifest["counts"]
    assert counts["wagtailcore.Page"] == len(trip.source_rows["wagtailcore.page"])
    assert counts["wagtailcore.Revision"] == len(trip.source_rows["wagtailcore.revision"])
    assert counts["mailbox.Letter"] == len(trip.source_rows["mailbox.letter"]) == 2
    assert counts["mailbox.LetterEvent"] == len(trip.source_rows["mailbox.letterevent"])
    assert counts["accounts.User"] == len(trip.source_rows["accounts.user"])
    if trip.made["audit_installed"]:
        assert any(label.startswith("audit.") and count for label, count in counts.items())
    # Every member of the archive (the manifest aside) is listed with its checksum.
    with tarfile.open(trip.archive) as tar:
        names = [member.name for member in tar]
    assert names[-1] == archive.MANIFEST
    assert sorted(names[:-1]) == sorted(manifest["members"])


def test_the_restore_reports_what_it_restored(trip):
    assert "备份文件校验通过" in trip.restore_output
    assert "记录数（与清单一致）" in trip.restore_output
    assert "恢复完成" in trip.restore_output
    assert "migrate" not in trip.restore_output  # same code: nothing left to migrate


def tampered_copy(source, path, member_prefix):
    """A well-formed archive whose first member under ``member_prefix`` has one byte changed,
    with the original manifest."""
    with tarfile.open(source) as original, tarfile.open(path, "w:gz") as copy:
        changed = None
        for member in original:
            data = original.extractfile(member).read()
            if changed is None and member.name.startswith(member_prefix):
                data = bytes([data[0] ^ 0xFF]) + data[1:]
                changed = member.name
            copy.addfile(member, io.BytesIO(data))
    return changed


def test_a_tampered_archive_is_refused_before_anything_changes(trip, tmp_path, settings):
    """Refused with --force too, before the files are put back (the storages stay empty) and
    so before the database, which is replaced after them."""
    tampered = tmp_path / "tampered.tar.gz"
    changed = tampered_copy(trip.archive, tampered, "files/private/")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }

    with pytest.raises(CommandError, match=f"拒绝恢复.*{re.escape(changed)} 的校验值不符"):
        call_command("restore", str(tampered), force=True)

    assert not (tmp_path / "media").exists() and not (tmp_path / "private").exists()


def test_restoring_over_a_database_with_content_is_refused_without_force(trip):
    with pytest.raises(CommandError, match="已有内容.*--force"):
        call_command("restore", str(trip.archive))


NEWER_CONSTRAINT = "newer_code_letter_fk"


def test_with_force_a_restore_replaces_an_instance_in_use(trip):
    """Also when the instance's schema has moved on, as after ``migrate`` by newer code: on
    PostgreSQL a constraint the archive does not know depends on a primary key the archive's
    tables bring again (``pg_restore --clean`` alone would stop there)."""
    if VENDOR == "postgresql":
        with trip.target.connect() as db:
            db.execute(
                f"ALTER TABLE mailbox_letterevent ADD CONSTRAINT {NEWER_CONSTRAINT} "
                "FOREIGN KEY (letter_id) REFERENCES mailbox_letter (id)"
            )

    forced = trip.target.manage("restore", trip.archive, "--force")

    assert forced.returncode == 0, forced.stderr
    # The restore recounts every counted model against the manifest and fails on a difference.
    assert "记录数（与清单一致）" in forced.stdout
    assert trip.target.file_checksums() == trip.target_files
    if VENDOR == "postgresql":
        with trip.target.connect() as db:
            query = "SELECT COUNT(*) FROM pg_constraint WHERE conname = %s"
            assert db.execute(query, [NEWER_CONSTRAINT]).fetchone()[0] == 0


def test_a_backup_taken_while_the_site_writes_holds_committed_rows_only(trip):
    """The restored instance, backed up by manage.py (to its default folder, BACKUP_ROOT) while
    another connection holds an uncommitted insert: the backup neither waits for the writer nor
    contains its row."""
    writer = trip.target.connect()
    try:
        writer.execute("BEGIN")
        writer.execute("INSERT INTO auth_group (name) VALUES ('未提交的角色')")
        result = trip.target.manage("backup", timeout=120)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    (second,) = trip.target.backups.iterdir()
    assert NAME_PATTERN.match(second.name), second.name
    assert stat.S_IMODE(second.stat().st_mode) == 0o600
    assert stat.S_IMODE(second.parent.stat().st_mode) == 0o700
    manifest = read_manifest(second)
    assert manifest["counts"] == trip.manifest["counts"]
    assert {m: e for m, e in manifest["members"].items() if m.startswith("files/")} == {
        m: e for m, e in trip.manifest["members"].items() if m.startswith("files/")
    }


def test_a_backup_that_cannot_read_a_storage_fails_and_leaves_no_archive(trip, tmp_path):
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("这不是目录")
    result = trip.target.manage(
        "backup", f"--output={tmp_path / 'archives'}", PRIVATE_MEDIA_ROOT=str(not_a_folder)
    )
    assert result.returncode != 0
    assert "备份失败：无法列出存储“private”" in result.stderr
    assert list((tmp_path / "archives").iterdir()) == []


def test_a_backup_of_a_missing_sqlite_file_is_refused_and_creates_nothing(trip, tmp_path):
    missing = tmp_path / "missing.sqlite3"
    result = trip.target.manage(
        "backup", f"--output={tmp_path / 'archives'}", DATABASE_URL=f"sqlite:///{missing}"
    )
    assert result.returncode != 0
    assert f"SQLite 数据库文件不存在：{missing}" in result.stderr
    assert not missing.exists() and not (tmp_path / "archives").exists()


def edited_manifest(source, path, edit):
    with tarfile.open(source) as original, tarfile.open(path, "w:gz") as copy:
        for member in original:
            data = original.extractfile(member).read()
            if member.name == archive.MANIFEST:
                manifest = json.loads(data)
                edit(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


def test_an_archive_from_a_newer_govsite_is_refused(trip, tmp_path):
    newer = tmp_path / "newer.tar.gz"
    edited_manifest(
        trip.archive,
        newer,
        lambda m: m["migrations"]["applied"].append(["mailbox", "9999_from_the_future"]),
    )
    with pytest.raises(CommandError, match="更新版本.*mailbox.9999_from_the_future"):
        call_command("restore", str(newer), force=True)


def test_an_archive_from_another_database_vendor_is_refused(trip, tmp_path):
    other = "postgresql" if VENDOR == "sqlite" else "sqlite"
    edited = tmp_path / "other.tar.gz"
    edited_manifest(trip.archive, edited, lambda m: m["database"].update(vendor=other))
    with pytest.raises(CommandError, match="不能跨数据库类型恢复"):
        call_command("restore", str(edited), force=True)


def test_a_truncated_archive_is_refused(trip, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    data = trip.archive.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="损坏或不完整"):
        call_command("restore", str(truncated), force=True)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("这不是备份文件。")
    with pytest.raises(CommandError, match="不是有效的备份文件"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


@pytest.mark.skipif(VENDOR != "postgresql", reason="pg_dump is used on PostgreSQL only")
def test_without_pg_dump_the_backup_says_so_and_leaves_no_archive(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    with pytest.raises(CommandError, match="找不到 pg_dump"):
        call_command("backup", output=str(tmp_path / "archives"))
    assert list((tmp_path / "archives").iterdir()) == []
