#!/usr/bin/env python3
"""List the Wagtail (and Django admin/auth) msgids that lack a Simplified Chinese translation.

Wagtail ships a source catalogue per app (``<app>/locale/en/LC_MESSAGES/{django,djangojs}.po``)
and, for most languages, a community translation next to it
(``<app>/locale/zh_Hans/LC_MESSAGES/...``).  The zh_Hans catalogues are incomplete, so some
staff-facing strings appear in English.  This script compares every source catalogue with its
zh_Hans counterpart and writes a gettext template (.pot) containing every entry that is

* missing from the zh_Hans catalogue (a missing zh_Hans file counts as "all missing"),
* present but with an empty msgstr (any empty msgstr[n] for plural entries), or
* marked ``#, fuzzy`` (gettext/msgfmt drop fuzzy entries, so Django never sees them).

Entries are deduplicated across apps by ``(msgctxt, msgid)``; the source references of every
app that uses the string are kept so a translator can see the context.  Entries that already
have a translation in the project catalogue (``--project-po``) can be skipped, which makes the
script useful after a Wagtail upgrade: only the new gaps are listed.

Only the Python standard library is used.

Usage examples (run from the repository root)::

    .venv/bin/python scripts/wagtail_missing_msgids.py /tmp/wagtail-missing-django.pot
    .venv/bin/python scripts/wagtail_missing_msgids.py --domain djangojs \\
        /tmp/wagtail-missing-djangojs.pot
    # only what the project catalogue does not translate yet:
    .venv/bin/python scripts/wagtail_missing_msgids.py \\
        --project-po govsite/locale/zh_Hans/LC_MESSAGES/django.po /tmp/new-gaps.pot
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

TARGET_LOCALE = "zh_Hans"
SOURCE_LOCALE = "en"
# Django's own catalogues (relative to the django package) that staff see through the Wagtail
# admin: "conf" is Django core (form validation messages, widgets, ...).  They are checked too
# and only contribute entries if they really have gaps.
DJANGO_APPS = ("conf", "contrib/admin", "contrib/auth")


@dataclass
class Entry:
    """One PO entry (header entries have msgid == "")."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index 0 for non-plural entries
    flags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_translated(self) -> bool:
        """True when gettext would actually use this entry's translation."""
        if self.is_fuzzy or not self.msgstr:
            return False
        return all(value != "" for value in self.msgstr.values())


def _unquote(token: str, path: Path, lineno: int) -> str:
    token = token.strip()
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {token!r}")
    # PO string escapes are a subset of Python's; ast.literal_eval decodes them safely.
    return ast.literal_eval(token)


def parse_po(path: Path) -> list[Entry]:
    """Parse a PO file into entries.  Obsolete (#~) entries and previous-msgid (#|) comments
    are ignored."""
    entries: list[Entry] = []
    current = Entry()
    # Which field the following continuation lines ("...") belong to.
    target: tuple[str, int] | None = None
    seen_keyword = False

    def flush() -> None:
        nonlocal current, target, seen_keyword
        if seen_keyword:
            entries.append(current)
        current = Entry()
        target = None
        seen_keyword = False

    def append(text: str) -> None:
        kind, index = target
        if kind == "msgid":
            current.msgid += text
        elif kind == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + text
        elif kind == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + text
        else:
            current.msgstr[index] = current.msgstr.get(index, "") + text

    with path.open(encoding="utf-8") as handle:
        for lineno, raw in enumerate(handle, 1):
            line = raw.strip()
            if not line:
                flush()
                continue
            if line.startswith("#"):
                if line.startswith("#~"):
                    continue  # obsolete entry
                # A comment after a complete entry starts a new entry.
                if seen_keyword and target is not None and target[0] == "msgstr":
                    flush()
                if line.startswith("#,"):
                    current.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
                elif line.startswith("#:"):
                    current.references.extend(line[2:].split())
                elif line.startswith("#."):
                    current.extracted_comments.append(line[2:].strip())
                continue
            if line.startswith('"'):
                if target is None:
                    raise ValueError(f"{path}:{lineno}: continuation line without keyword")
                append(_unquote(line, path, lineno))
                continue
            keyword, _, rest = line.partition(" ")
            if (
                keyword in ("msgctxt", "msgid")
                and seen_keyword
                and target
                and target[0] == "msgstr"
            ):
                flush()  # entries not separated by a blank line
            if keyword == "msgctxt":
                current.msgctxt = ""
                target = ("msgctxt", 0)
            elif keyword == "msgid":
                target = ("msgid", 0)
            elif keyword == "msgid_plural":
                current.msgid_plural = ""
                target = ("msgid_plural", 0)
            elif keyword == "msgstr":
                current.msgstr[0] = ""
                target = ("msgstr", 0)
            elif keyword.startswith("msgstr[") and keyword.endswith("]"):
                index = int(keyword[len("msgstr[") : -1])
                current.msgstr[index] = ""
                target = ("msgstr", index)
            else:
                raise ValueError(f"{path}:{lineno}: unexpected line {line!r}")
            seen_keyword = True
            append(_unquote(rest, path, lineno))
    flush()
    return entries


def po_quote(text: str) -> str:
    """Render a string as one or more PO string lines (split after each newline)."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n\n")
    )
    parts = escaped.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    if len(parts) <= 1:
        return f'"{parts[0] if parts else ""}"'
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"error: package {name!r} is not importable from this interpreter")
    return Path(list(spec.submodule_search_locations)[0])


def source_catalogues(domain: str, include_django: bool) -> list[tuple[str, Path]]:
    """Return (label, source catalogue path) pairs, label being e.g. 'wagtail/admin'."""
    found: list[tuple[str, Path]] = []
    wagtail_dir = package_dir("wagtail")
    pattern = f"locale/{SOURCE_LOCALE}/LC_MESSAGES/{domain}.po"
    for path in sorted(wagtail_dir.rglob(f"{domain}.po")):
        rel = path.relative_to(wagtail_dir).as_posix()
        if not rel.endswith(pattern):
            continue
        app = rel[: -len(pattern)].rstrip("/")
        found.append(("wagtail" + (f"/{app}" if app else ""), path))
    found.sort(key=lambda item: (item[0] != "wagtail/admin", item[0]))  # admin first
    if include_django:
        django_dir = package_dir("django")
        for app in DJANGO_APPS:
            path = django_dir / app / pattern
            if path.exists():
                found.append((f"django/{app}", path))
    return found


def target_path(source: Path) -> Path:
    # .../locale/en/LC_MESSAGES/x.po -> .../locale/zh_Hans/LC_MESSAGES/x.po
    return source.parent.parent.parent / TARGET_LOCALE / "LC_MESSAGES" / source.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="path of the .pot template to write")
    parser.add_argument(
        "--domain",
        choices=("django", "djangojs"),
        default="django",
        help="gettext domain to check (djangojs = strings used by the admin's JavaScript)",
    )
    parser.add_argument(
        "--no-django",
        action="store_true",
        help="do not check django.contrib.admin / django.contrib.auth",
    )
    parser.add_argument(
        "--project-po",
        type=Path,
        help="project catalogue; entries it already translates are left out of the output",
    )
    args = parser.parse_args(argv)

    already_done: set[tuple[str | None, str]] = set()
    if args.project_po and args.project_po.exists():
        already_done = {e.key for e in parse_po(args.project_po) if e.msgid and e.is_translated}

    missing: dict[tuple[str | None, str], Entry] = {}
    skipped: set[tuple[str | None, str]] = set()
    # Translations of the same msgid found in another Wagtail zh_Hans catalogue; Django merges
    # all catalogues of a domain, so these may already be visible at runtime, and they are a
    # useful hint for consistent terminology.
    translated_elsewhere: dict[tuple[str | None, str], str] = {}
    report: list[str] = []

    catalogues = source_catalogues(args.domain, include_django=not args.no_django)
    targets = {label: target_path(src) for label, src in catalogues}
    for label, target in targets.items():
        if target.exists():
            for entry in parse_po(target):
                if entry.msgid and entry.is_translated:
                    translated_elsewhere.setdefault(entry.key, f"{label}: {entry.msgstr[0]}")

    for label, source in catalogues:
        target = targets[label]
        translated: set[tuple[str | None, str]] = set()
        state = "missing file"
        if target.exists():
            translated = {e.key for e in parse_po(target) if e.msgid and e.is_translated}
            state = str(target)
        source_entries = [e for e in parse_po(source) if e.msgid]
        gaps = [e for e in source_entries if e.key not in translated]
        report.append(
            f"{label:40} {len(source_entries):5} source, {len(gaps):4} missing  ({state})"
        )
        for entry in gaps:
            if entry.key in already_done:
                skipped.add(entry.key)
                continue
            # Wagtail's references are relative to the app directory, Django's to the package.
            prefix = label if label.startswith("wagtail") else "django"
            refs = [f"{prefix}/{ref}" for ref in entry.references] or [label]
            if entry.key in missing:
                kept = missing[entry.key]
                kept.references.extend(r for r in refs if r not in kept.references)
                kept.flags.extend(f for f in entry.flags if f not in kept.flags)
                if label not in kept.extracted_comments[0]:
                    kept.extracted_comments[0] += f", {label}"
                continue
            comments = [f"Missing in: {label}"] + entry.extracted_comments
            missing[entry.key] = Entry(
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgctxt=entry.msgctxt,
                flags=[f for f in entry.flags if f != "fuzzy"],
                references=refs,
                extracted_comments=comments,
            )

    lines = [
        f"# Wagtail/Django {args.domain} msgids without a usable {TARGET_LOCALE} translation.",
        "# Generated by scripts/wagtail_missing_msgids.py; do not edit by hand.",
        "#",
        "#, fuzzy",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        f'"Language: {TARGET_LOCALE}\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
        "",
    ]
    for entry in missing.values():
        for comment in entry.extracted_comments:
            lines.append(f"#. {comment}")
        hint = translated_elsewhere.get(entry.key)
        if hint:
            lines.append(f"#. Already translated in {hint}")
        for ref in entry.references:
            lines.append(f"#: {ref}")
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        if entry.msgctxt is not None:
            lines.append("msgctxt " + po_quote(entry.msgctxt))
        lines.append("msgid " + po_quote(entry.msgid))
        if entry.msgid_plural is not None:
            lines.append("msgid_plural " + po_quote(entry.msgid_plural))
            lines.append('msgstr[0] ""')
        else:
            lines.append('msgstr ""')
        lines.append("")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines), encoding="utf-8")

    print("\n".join(report), file=sys.stderr)
    note = (
        f" (skipped {len(skipped)} already translated in {args.project_po})" if already_done else ""
    )
    print(f"{len(missing)} unique entries written to {args.output}{note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
