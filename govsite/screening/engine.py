"""The single screening entry point (R-FLOW-1, R-SCREEN-2; 第十二、十九条).

``screen_page(page)`` returns every finding for a page: which rule, what matched, in which
field, at which character offset, with a snippet of context. The review chain's automatic
step, and later the editor's "预检" button and the re-screening command, all call it.
"""

import html
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import strip_tags

MARKS_FILE = Path(__file__).resolve().parent / "data" / "classification_marks.toml"
SNIPPET_RADIUS = 12


@dataclass(frozen=True)
class Finding:
    category: str
    rule: str
    field: str
    matched: str = ""
    offset: int = 0
    snippet: str = ""
    blocking: bool = True

    def describe(self):
        where = f"{self.field}第{self.offset + 1}个字处" if self.matched else self.field
        found = f"「{self.matched}」（…{self.snippet}…）" if self.matched else ""
        return f"【{self.category}】{where}{found}：{self.rule}"


@cache
def classification_marks():
    with open(MARKS_FILE, "rb") as handle:
        marks = tomllib.load(handle)["marks"]
    # Longest first, so that 秘密★ is reported rather than a shorter mark inside it.
    return sorted(set(marks), key=len, reverse=True)


def plain_text(markup):
    return html.unescape(strip_tags(markup or ""))


def _block_texts(block):
    """Text of one StreamField block (paragraphs, image captions, table cells)."""
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        yield "正文", plain_text(value.source)
    elif kind == "image":
        yield "图片说明", value.get("caption", "")
    elif kind == "table":
        rows = (value or {}).get("data") or []
        yield "表格", "\n".join(" ".join(str(cell or "") for cell in row) for row in rows)
        if (value or {}).get("table_caption"):
            yield "表格标题", value["table_caption"]


def page_texts(page):
    """(field label, text) pairs of everything a page publishes."""
    yield "标题", page.title
    if getattr(page, "subtitle", ""):
        yield "副标题", page.subtitle
    for block in getattr(page, "body", None) or []:
        yield from _block_texts(block)
    if hasattr(page, "attachments"):
        for attachment in page.attachments.all():
            yield "附件名称", attachment.display_title


def _snippet(text, start, end):
    return text[max(0, start - SNIPPET_RADIUS) : end + SNIPPET_RADIUS].replace("\n", " ")


def find_marks(field, text):
    taken = []
    for mark in classification_marks():
        for match in re.finditer(re.escape(mark), text):
            span = match.span()
            if any(s <= span[0] < e for s, e in taken):
                continue
            taken.append(span)
            yield Finding(
                category="涉密标识",
                rule="上网不涉密，涉密不上网：带有密级或内部标识的信息不得上网发布。",
                field=field,
                matched=mark,
                offset=span[0],
                snippet=_snippet(text, *span),
            )


def screen_page(page):
    """Every finding for ``page``; a blocking one returns it to its author."""
    from govsite.columns.models import Classification

    findings = []
    classification = getattr(page, "classification", Classification.PUBLIC)
    if classification != Classification.PUBLIC:
        label = Classification(classification).label
        findings.append(
            Finding(
                category="密级",
                rule=f"密级为“{label}”的信息不得上网发布，只有“公开”的信息可以发布。",
                field="密级",
            )
        )
    for field, text in page_texts(page):
        findings.extend(find_marks(field, text))
    return findings


def blocking(findings):
    return [finding for finding in findings if finding.blocking]
