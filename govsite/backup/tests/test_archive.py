"""The archive format, the migration check and the backup's own failures, without the round
trip: archives written here hold a few members of the test's choosing."""

import io
import json
import os
import re
import stat
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db.migrations.loader import MigrationLoader

from govsite.backup import archive, database, operations, rules
from govsite.backup.archive import ArchiveWriter, BackupError

MANIFEST = {
    "format": archive.FORMAT,
    "format_version": archive.FORMAT_VERSION,
    "created_at": "2026-11-24T18:00:00+00:00",
    "database": {"vendor": "sqlite", "member": "database/db.sqlite3"},
    "migrations": {"latest": {}, "applied": []},
    "counts": {},
}


def without(key):
    def change(name, data):
        if name != archive.MANIFEST:
            return data
        manifest = json.loads(data)
        del manifest[key]
        return json.dumps(manifest).encode()

    return change


def write(path, members, manifest=MANIFEST):
    with ArchiveWriter(path) as writer:
        for name, data in members.items():
            writer.add_file(name, io.BytesIO(data))
        return writer.finish(manifest)


def rewrite(source, path, change):
    """Copy an archive member by member through ``change(name, data) -> data | None``
    (None drops the member)."""
    with tarfile.open(source) as original, tarfile.open(path, "w:gz") as copy:
        for member in original:
            data = change(member.name, original.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                copy.addfile(member, io.BytesIO(data))


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.tar.gz"
    write(
        path,
        {
            "database/db.sqlite3": b"SQLite format 3\x00" + b"\x01" * 100,
            "files/default/images/滨江公园.jpg": b"\xff\xd8\xff" + b"\x02" * 50,
            "files/private/letters/2026/11/说明.txt": "来信附件".encode(),
        },
    )
    return path


def test_a_good_archive_verifies_and_its_database_is_extracted(good, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    manifest = archive.verify(good, extract_dir=out)
    assert sorted(manifest["members"]) == [
        "database/db.sqlite3",
        "files/default/images/滨江公园.jpg",
        "files/private/letters/2026/11/说明.txt",
    ]
    assert (out / "db.sqlite3").read_bytes().startswith(b"SQLite format 3")
    assert [name for _a, name, _f, _s in archive.file_members(good, manifest)] == [
        "images/滨江公园.jpg",
        "letters/2026/11/说明.txt",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n, d: d + b"!" if n.startswith("files/private/") else d, "说明.txt 的校验值不符"),
        (lambda n, d: None if n.startswith("files/default/") else d, "缺少 files/default/"),
        (lambda n, d: None if n == "manifest.json" else d, "缺少 manifest.json"),
        (lambda n, d: b"{not json" if n == "manifest.json" else d, "manifest.json 无法解析"),
        (without("migrations"), "manifest.json 不完整（缺少 migrations）"),
        (without("members"), "manifest.json 不完整"),
    ],
    ids=[
        "altered",
        "member removed",
        "manifest removed",
        "manifest garbled",
        "manifest incomplete",
        "checksums removed",
    ],
)
def test_an_altered_archive_is_refused(good, tmp_path, change, message):
    altered = tmp_path / "altered.tar.gz"
    rewrite(good, altered, change)
    with pytest.raises(BackupError, match=re.escape(message)):
        archive.verify(altered)


def test_an_added_member_is_refused(good, tmp_path):
    added = tmp_path / "added.tar.gz"
    with tarfile.open(good) as original, tarfile.open(added, "w:gz") as copy:
        for member in original:
            if member.name == archive.MANIFEST:
                extra = tarfile.TarInfo("files/default/extra.txt")
                extra.size = 5
                copy.addfile(extra, io.BytesIO(b"extra"))
            copy.addfile(member, original.extractfile(member))
    with pytest.raises(BackupError, match="多出 files/default/extra.txt"):
        archive.verify(added)


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/x", "/etc/passwd", "files/default/../../x", "other/file.txt"]
)
def test_members_outside_the_archive_folders_are_refused(good, tmp_path, name):
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(good) as original, tarfile.open(hostile, "w:gz") as copy:
        for member in original:
            copy.addfile(member, original.extractfile(member))
        evil = tarfile.TarInfo(name)
        evil.size = 4
        copy.addfile(evil, io.BytesIO(b"evil"))
    with pytest.raises(BackupError, match="不允许的条目"):
        archive.verify(hostile)


def test_another_format_or_version_is_refused(tmp_path):
    other = tmp_path / "other.tar.gz"
    write(other, {"database/db.sqlite3": b"x"}, {**MANIFEST, "format": "something-else"})
    with pytest.raises(BackupError, match="不是 GovSite 的备份文件"):
        archive.verify(other)
    future = tmp_path / "future.tar.gz"
    write(future, {"database/db.sqlite3": b"x"}, {**MANIFEST, "format_version": 99})
    with pytest.raises(BackupError, match="备份格式版本为 99"):
        archive.verify(future)


def test_an_unfinished_archive_leaves_nothing_behind(tmp_path):
    with pytest.raises(RuntimeError), ArchiveWriter(tmp_path / "a.tar.gz") as writer:
        writer.add_file("database/db.sqlite3", io.BytesIO(b"x" * 1000))
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_an_archive_is_owner_only_whatever_the_umask_and_never_overwritten(tmp_path):
    previous = os.umask(0)
    try:
        path = tmp_path / "a.tar"
        write(path, {"database/db.sqlite3": b"x"})
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with tarfile.open(path) as tar:  # ".tar": not compressed
        assert json.load(tar.extractfile("manifest.json"))["format"] == archive.FORMAT
    with pytest.raises(BackupError, match="已存在，不会覆盖"):
        write(path, {"database/db.sqlite3": b"y"})
    assert [p.name for p in tmp_path.iterdir()] == ["a.tar"]


# -- migrations ------------------------------------------------------------------------------


def code_migrations():
    return sorted(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def test_an_archive_at_the_codes_migrations_has_no_gap():
    gap = rules.migration_gap(code_migrations())
    assert gap.ahead == [] and gap.behind == []


def test_an_older_archive_is_behind_and_a_newer_one_ahead():
    applied = code_migrations()
    latest_mailbox = max(key for key in applied if key[0] == "mailbox")
    older = [key for key in applied if key != latest_mailbox]
    assert rules.migration_gap(older).behind == [latest_mailbox]
    assert rules.migration_gap(older).ahead == []
    newer = [*applied, ("mailbox", "9999_from_the_future"), ("retired_app", "0001_initial")]
    assert rules.migration_gap(newer).ahead == [
        ("mailbox", "9999_from_the_future"),
        ("retired_app", "0001_initial"),
    ]


def test_the_latest_migration_per_app():
    assert rules.latest_per_app([("a", "0002_b"), ("a", "0010_c"), ("b", "0001_a")]) == {
        "a": "0010_c",
        "b": "0001_a",
    }


# -- PostgreSQL client programs ---------------------------------------------------------------


def test_the_database_password_reaches_pg_dump_by_environment_only():
    settings_dict = {
        "NAME": "govsite",
        "USER": "govsite",
        "PASSWORD": "s3cret-Passw0rd",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "verify-full"},
    }
    env = database.libpq_environment(settings_dict)
    assert env["PGPASSWORD"] == "s3cret-Passw0rd"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.internal",
        "5433",
        "govsite",
        "govsite",
    )
    assert env["PGSSLMODE"] == "verify-full"
    commands = [
        database.dump_command("00000003-1", "/tmp/x.pgdump"),
        database.script_command("/tmp/x.pgdump", "/tmp/x.sql"),
        database.psql_command("govsite", "DROP TABLE IF EXISTS x CASCADE;", "/tmp/x.sql"),
    ]
    assert not any("s3cret" in part for command in commands for part in command)
    assert "--format=custom" in commands[0]
    assert {"--clean", "--if-exists", "--no-owner"} <= set(commands[1])
    assert {"--single-transaction", "--set=ON_ERROR_STOP=1"} <= set(commands[2])


# -- where archives go (the command's runs are in test_round_trip) ---------------------------


def test_an_existing_file_is_never_overwritten(tmp_path):
    existing = tmp_path / "keep.tar.gz"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="已存在，不会覆盖"):
        call_command("backup", output=str(existing))
    assert existing.read_bytes() == b"an older backup"


def test_archive_paths(tmp_path, settings, db):
    settings.GOVSITE_BACKUP_ROOT = tmp_path / "default"
    (tmp_path / "folder").mkdir()
    assert operations.archive_path(str(tmp_path / "x.tar")) == tmp_path / "x.tar"
    assert operations.archive_path(str(tmp_path / "x.tgz")) == tmp_path / "x.tgz"
    assert operations.archive_path(str(tmp_path / "folder")).parent == tmp_path / "folder"
    assert operations.archive_path(str(tmp_path / "new")).parent == tmp_path / "new"
    assert operations.archive_path().parent == tmp_path / "default"
