"""The archive format: a tar file (gzip-compressed unless its name ends in ``.tar``) with

    database/db.sqlite3 or database/db.pgdump   the database (SQLite file or pg_dump custom format)
    files/<storage>/<name>                        every file of a backed-up storage, under its name
    manifest.json                                 what the archive holds, last, with the SHA-256 and
                                                  size of every other member

An archive is written under a hidden temporary name in the target folder with mode 0600 (it
holds personal data: letters and their attachments, password hashes, second-factor secrets) and
renamed into place only when complete. It is read twice on restore: once to verify every
checksum before anything changes, once to put the files back.
"""

import gzip
import hashlib
import json
import os
import secrets
import tarfile
import tempfile
import time
import zlib
from io import BytesIO
from pathlib import Path

FORMAT = "govsite-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
FILES_DIR = "files"
SUFFIXES = (".tar.gz", ".tgz", ".tar")
CHUNK = 1024 * 1024
# A file is copied through memory up to this size and through a temporary file beyond it.
SPOOL_BYTES = 16 * 1024 * 1024
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
# What a restore reads from the manifest besides the checksums.
MANIFEST_KEYS = ("created_at", "database", "migrations", "counts")


class BackupError(Exception):
    """A backup or restore cannot go on; the message tells the operator why (in Chinese)."""


def is_compressed(path):
    return not str(path).endswith(".tar")


def file_member(alias, name):
    return f"{FILES_DIR}/{alias}/{name}"


def split_file_member(member):
    """(storage alias, file name) of a ``files/<alias>/<name>`` member, else None."""
    head, _, rest = member.partition("/")
    alias, _, name = rest.partition("/")
    if head != FILES_DIR or not alias or not name:
        return None
    return alias, name


def is_safe_member_name(name):
    """Relative, normalised POSIX names under the archive's own folders only: no absolute
    path, no ``..``, no empty or ``.`` component, no backslash or NUL."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    return (
        name == MANIFEST
        or (parts[0] == DATABASE_DIR and len(parts) == 2)
        or (split_file_member(name) is not None)
    )


def spool(source):
    """Copy a readable file object into a temporary file: (file rewound, size, sha256)."""
    digest = hashlib.sha256()
    size = 0
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed back
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        copy.write(chunk)
    copy.seek(0)
    return copy, size, digest.hexdigest()


class ArchiveWriter:
    """Writes an archive member by member, recording each member's checksum for the manifest.

    Used as a context manager: ``finish(manifest)`` adds the manifest and moves the archive to
    its final name; leaving the block without it (an exception) removes the unfinished file.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.partial = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.partial")
        self.members = {}
        self.finished = False
        self._raw = None
        self._tar = None

    def __enter__(self):
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)  # whatever the umask
        self._raw = os.fdopen(fd, "wb")
        if is_compressed(self.path):
            self._tar = tarfile.open(
                fileobj=self._raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
            )
        else:
            self._tar = tarfile.open(fileobj=self._raw, mode="w", format=tarfile.PAX_FORMAT)
        return self

    def __exit__(self, exc_type, exc, tb):
        if not self.finished:
            self.abort()
        return False

    def _add(self, name, fileobj, size):
        if not is_safe_member_name(name) or name in self.members or name == MANIFEST:
            raise BackupError(f"文件名不能写入备份：{name!r}")
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = int(time.time())
        self._tar.addfile(info, fileobj)

    def add_file(self, name, source):
        """Add the content read from the file object ``source`` under ``name``."""
        copy, size, digest = spool(source)
        with copy:
            self._add(name, copy, size)
        self.members[name] = {"sha256": digest, "size": size}
        return size

    def add_path(self, name, path):
        with open(path, "rb") as source:
            return self.add_file(name, source)

    def finish(self, manifest):
        """Add the manifest (with every member's checksum) and move the archive into place."""
        if self.path.exists():
            raise BackupError(f"目标文件已存在，不会覆盖：{self.path}")
        manifest = {**manifest, "members": dict(sorted(self.members.items()))}
        data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(time.time())
        self._tar.addfile(info, BytesIO(data))
        self._tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.partial, self.path)
        self.finished = True
        _fsync_dir(self.path.parent)
        return manifest

    def abort(self):
        for closing in (self._tar, self._raw):
            try:
                if closing is not None:
                    closing.close()
            except Exception:  # noqa: BLE001, S110 - the archive is being thrown away anyway
                pass
        self.partial.unlink(missing_ok=True)


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError)


def _open(path):
    try:
        return tarfile.open(path, mode="r:*")
    except FileNotFoundError as error:
        raise BackupError(f"找不到备份文件：{path}") from error
    except READ_ERRORS as error:
        raise BackupError(f"不是有效的备份文件（{error}）：{path}") from error


def verify(path, extract_dir=None):
    """Read the whole archive and check it against its manifest; return the manifest.

    Every member must be listed in the manifest with the same SHA-256 and size, and every listed
    member must be present; the database member is copied into ``extract_dir`` on the way, so
    that what is restored is exactly what was verified. Raises ``BackupError`` for a damaged,
    truncated or altered archive.
    """
    found = {}
    manifest_data = None
    archive = _open(path)
    try:
        with archive:
            for member in archive:
                name = member.name
                if not is_safe_member_name(name) or not member.isfile():
                    raise BackupError(f"备份文件含有不允许的条目 {name!r}，拒绝恢复：{path}")
                if name in found or (name == MANIFEST and manifest_data is not None):
                    raise BackupError(f"备份文件中 {name!r} 出现了两次，拒绝恢复：{path}")
                source = archive.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise BackupError(f"manifest.json 过大，拒绝恢复：{path}")
                    manifest_data = source.read()
                    continue
                digest = hashlib.sha256()
                size = 0
                target = None
                if extract_dir is not None and name.startswith(f"{DATABASE_DIR}/"):
                    target = open(Path(extract_dir) / Path(name).name, "wb")  # noqa: SIM115
                try:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        if target is not None:
                            target.write(chunk)
                finally:
                    if target is not None:
                        target.close()
                found[name] = {"sha256": digest.hexdigest(), "size": size}
    except BackupError:
        raise
    except READ_ERRORS as error:
        raise BackupError(f"备份文件已损坏或不完整（{error}），拒绝恢复：{path}") from error

    if manifest_data is None:
        raise BackupError(
            f"备份文件缺少 manifest.json（不完整或不是 GovSite 的备份），拒绝恢复：{path}"
        )
    try:
        manifest = json.loads(manifest_data)
    except ValueError as error:
        raise BackupError(f"manifest.json 无法解析（{error}），拒绝恢复：{path}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"不是 GovSite 的备份文件：{path}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本为 {manifest.get('format_version')}，本程序只能恢复版本 "
            f"{FORMAT_VERSION}：{path}"
        )
    listed = manifest.get("members")
    missing = [key for key in MANIFEST_KEYS if not isinstance(manifest.get(key), dict | str)]
    if missing or not isinstance(listed, dict):
        raise BackupError(
            f"manifest.json 不完整（缺少 {'、'.join(missing) or 'members'}），拒绝恢复：{path}"
        )
    problems = []
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            problems.append(f"缺少 {name}")
        elif name not in listed:
            problems.append(f"多出 {name}")
        elif found[name] != {key: listed[name].get(key) for key in ("sha256", "size")}:
            problems.append(f"{name} 的校验值不符")
    if problems:
        shown = "；".join(problems[:5])
        if len(problems) > 5:
            shown += f"；等共 {len(problems)} 处"
        raise BackupError(
            f"备份文件与其清单不符（已被改动或损坏），拒绝恢复，未做任何更改：{shown}"
        )
    return manifest


def file_members(path, manifest):
    """Yield (storage alias, file name, file object, size) for every stored file of a verified
    archive; each file is checked against the manifest again as it is read, so that an archive
    changed after ``verify`` stops the restore before its database is touched."""
    listed = manifest["members"]
    archive = _open(path)
    try:
        with archive:
            for member in archive:
                parsed = split_file_member(member.name)
                if parsed is None:
                    continue
                copy, size, digest = spool(archive.extractfile(member))
                with copy:
                    expected = listed.get(member.name, {})
                    if (digest, size) != (expected.get("sha256"), expected.get("size")):
                        raise BackupError(f"备份文件在恢复过程中被改动：{member.name}")
                    yield *parsed, copy, size
    except BackupError:
        raise
    except READ_ERRORS as error:
        raise BackupError(f"读取备份文件失败（{error}）：{path}") from error
