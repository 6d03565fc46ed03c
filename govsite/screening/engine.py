"""The single screening entry point (R-SCREEN-1..4, R-FLOW-1; 第十二、十七、十九条).

``screen_page(page)`` returns every finding for a page: which rule, what matched, in which
field, at which character offset, with a snippet of context. The review chain's automatic
step, the editor's "预检" button and the re-screening command all call it; ``screen_text``
screens any other text (a letter, say) the same way.

The prohibited terms, classification marks and serious errors maintained in the admin are
compiled into one Aho-Corasick automaton, so each text is read once whatever the size of the
lexicon. Each process keeps its automaton until ``LexiconVersion`` says the lexicon changed.
"""

import html
import re
from dataclasses import asdict, dataclass

from ahocorasick_rs import AhoCorasick
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import strip_tags

from govsite.columns.models import Classification
from govsite.stamps import Current
from govsite.textfiles import attachment_text

SNIPPET_RADIUS = 12

MARK = "涉密标识"
SERIOUS_ERROR = "严重错别字"
CLASSIFICATION = "密级"
# A page type's own required elements missing (e.g. a 办事指南 without its 收费标准).
INCOMPLETE = "要素缺失"
WARNING = "质量提示"

MARK_RULE = "上网不涉密，涉密不上网：带有密级或内部标识的信息不得上网发布。"


@dataclass(frozen=True)
class Finding:
    category: str
    rule: str
    field: str
    matched: str = ""
    offset: int = 0
    snippet: str = ""
    blocking: bool = True
    suggestion: str = ""
    # Where ``matched`` starts inside ``snippet``, for highlighting.
    snippet_offset: int = 0

    def describe(self):
        where = f"{self.field}第{self.offset + 1}个字处" if self.matched else self.field
        found = f"「{self.matched}」（…{self.snippet}…）" if self.matched else ""
        return f"【{self.category}】{where}{found}：{self.rule}"

    def as_dict(self):
        return asdict(self)

    @property
    def snippet_parts(self):
        """(before, matched, after) of the snippet, for the editor's highlighting."""
        start, end = self.snippet_offset, self.snippet_offset + len(self.matched)
        return self.snippet[:start], self.snippet[start:end], self.snippet[end:]


@dataclass(frozen=True)
class Meaning:
    """What one lexicon entry means when its text is found."""

    category: str
    rule: str
    suggestion: str = ""
    # A serious error's right form: not a finding, it excuses wrong forms inside it.
    excuses: bool = False


def _key(text):
    return text.lower()


class Lexicon:
    """Every enabled entry, compiled into one automaton over lower-cased keys."""

    def __init__(self, meanings_by_text, stamp=None):
        grouped = {}
        for text, meaning in meanings_by_text:
            if text:
                grouped.setdefault(_key(text), []).append(meaning)
        self.keys = list(grouped)
        self.meanings = [tuple(grouped[key]) for key in self.keys]
        self.stamp = stamp
        self.automaton = AhoCorasick(self.keys) if self.keys else None
        # Texts need lower-casing only when some key has letters with case (Latin, say).
        self.folds_case = any(key != key.upper() for key in self.keys)

    @classmethod
    def from_database(cls, stamp=None):
        from .models import ClassificationMark, ProhibitedTerm, SeriousError

        entries = [
            (mark, Meaning(MARK, MARK_RULE))
            for mark in ClassificationMark.objects.enabled().values_list("text", flat=True)
        ]
        terms = ProhibitedTerm.objects.enabled().values_list(
            "text", "category__number", "category__wording"
        )
        for text, number, wording in terms:
            entries.append(
                (text, Meaning(f"禁止内容（第十九条第{number}项）", f"不得包含{wording}内容。"))
            )
        for wrong, right in SeriousError.objects.enabled().values_list("wrong", "right"):
            entries.append((wrong, Meaning(SERIOUS_ERROR, f"应为「{right}」。", suggestion=right)))
            entries.append((right, Meaning(SERIOUS_ERROR, "", excuses=True)))
        return cls(entries, stamp=stamp)

    def scan(self, text):
        """Every occurrence of every key, overlapping ones included: (key index, start, end),
        offsets in characters of ``text``."""
        if self.automaton is None or not text:
            return []
        haystack = text.lower() if self.folds_case else text
        # Lower-casing keeps offsets unless a character changes length (e.g. "İ"); then the
        # text is searched as it is.
        if len(haystack) != len(text):
            haystack = text
        return self.automaton.find_matches_as_indexes(haystack, overlapping=True)

    def findings(self, field, text):
        """The findings in one field's text: the longest match where several of one kind
        overlap (机密★ rather than 机密 inside it), serious errors not inside a right form."""
        hits, excused = [], []
        for index, start, end in self.scan(text):
            for meaning in self.meanings[index]:
                (excused if meaning.excuses else hits).append((meaning, start, end))
        hits.sort(key=lambda hit: (hit[1], -hit[2]))
        kept, reach = [], {}  # reach: the furthest end so far of each category's matches
        for meaning, start, end in hits:
            if reach.get(meaning.category, -1) >= end:
                continue  # inside a longer match of the same kind, which is reported
            reach[meaning.category] = end
            if meaning.suggestion and any(s <= start and end <= e for _, s, e in excused):
                continue
            kept.append((meaning, start, end))
        return [_finding(field, text, meaning, start, end) for meaning, start, end in kept]


def _finding(field, text, meaning, start, end):
    snippet_start = max(0, start - SNIPPET_RADIUS)
    return Finding(
        category=meaning.category,
        rule=meaning.rule,
        field=field,
        matched=text[start:end],
        offset=start,
        snippet=text[snippet_start : end + SNIPPET_RADIUS].replace("\n", " "),
        snippet_offset=start - snippet_start,
        suggestion=meaning.suggestion,
    )


_lexicon = Current("screening.LexiconVersion", lambda stamp: Lexicon.from_database(stamp=stamp))


def current_lexicon():
    """The automaton for the lexicon as it stands now, rebuilt only when it has changed."""
    return _lexicon.get()


def plain_text(markup):
    return html.unescape(strip_tags(markup or ""))


# ---------------------------------------------------------------------------------------------
# What a page publishes


def _block_texts(block):
    """Text of one StreamField block (paragraphs, image captions, table cells)."""
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        yield "正文", plain_text(value.source)
    elif kind == "image":
        yield "图片说明", image_caption(value)
    elif kind == "table":
        rows = (value or {}).get("data") or []
        yield "表格", "\n".join(" ".join(str(cell or "") for cell in row) for row in rows)
        if (value or {}).get("table_caption"):
            yield "表格标题", value["table_caption"]


def image_caption(value):
    """第十七条: an image block's caption, or else the image's own 文字说明."""
    return value.caption_text()


# Page fields published beside the title: on the page, or in its meta tags.
PAGE_FIELDS = [("subtitle", "副标题"), ("seo_title", "浏览器标题"), ("search_description", "摘要")]


def page_texts(page):
    """(field label, text) pairs of everything a page publishes."""
    yield "标题", page.title
    for field, label in (
        ("subtitle", "副标题"),
        ("seo_title", "浏览器标题"),
        ("search_description", "摘要"),
    ):
        if getattr(page, field, ""):
            yield label, getattr(page, field)
    for block in getattr(page, "body", None) or []:
        yield from _block_texts(block)
    for attachment in _attachments(page):
        yield "附件名称", attachment.display_title
        text = _attachment_text(attachment.document)
        if text:
            yield f"附件《{attachment.display_title}》", text
    # A page type with published fields of its own (metadata, a guide's elements) names them.
    if hasattr(page, "screening_texts"):
        yield from page.screening_texts()


def _attachments(page):
    return page.attachments.all() if hasattr(page, "attachments") else []


def _attachment_text(document):
    return attachment_text(document)


# ---------------------------------------------------------------------------------------------
# Non-blocking quality warnings (R-SCREEN-4)

LINK = re.compile(r"<a\s([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def _warning(field, rule):
    return Finding(category=WARNING, rule=rule, field=field, blocking=False)


def quality_warnings(page, parent=None):
    from .models import ScreeningSettings

    title = (page.title or "").strip()
    limit = ScreeningSettings.load().title_max_length
    if not title:
        yield _warning("标题", "标题为空。")
    elif len(title) > limit:
        yield _warning("标题", f"标题有{len(title)}个字，超过{limit}个字，建议精简。")
    if hasattr(page, "source_section_id") and _source_missing(page, parent):
        yield _warning("来源", "所在栏目没有负责科室，发布后将不显示来源。")
    for block in getattr(page, "body", None) or []:
        if block.block_type == "image" and not image_caption(block.value):
            yield _warning("图片说明", "图片没有文字说明（第十七条要求图片附文字说明）。")
        elif block.block_type == "paragraph":
            yield from _link_warnings(block.value.source)
    for attachment in _attachments(page):
        if _attachment_text(attachment.document) is None:
            yield _warning(
                f"附件《{attachment.display_title}》",
                "附件的文字无法读取（文件损坏、加密或编码不明），未能审查其内容，请人工核对。",
            )


def _source_missing(page, parent=None):
    """来源 is the owning section of the page's column (R-FLOW-4): none means none shown."""
    if page.source_section_id:
        return False
    parent = parent or (page.get_parent() if page.depth else None)
    return parent is not None and not getattr(parent.specific, "owner_section_id", None)


def _link_warnings(source):
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    for match in LINK.finditer(source or ""):
        attributes = dict(ATTRIBUTE.findall(match.group(1)))
        kind, target = attributes.get("linktype"), attributes.get("id", "")
        if kind == "page":
            if not Page.objects.filter(pk=_int(target)).live().exists():
                yield _warning("正文链接", f"链接指向的页面（ID {target}）不存在或未发布。")
        elif kind == "document":
            if not get_document_model().objects.filter(pk=_int(target)).exists():
                yield _warning("正文链接", f"链接指向的文件（ID {target}）不存在。")
        elif "href" in attributes and not _valid_url(html.unescape(attributes["href"])):
            yield _warning("正文链接", f"链接地址“{attributes['href']}”无效。")


def _int(value):
    return int(value) if value.isdigit() else 0


def _valid_url(url):
    if url.startswith(("mailto:", "tel:", "#", "/")):
        return True
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Entry points


def screen_text(text, field="正文", lexicon=None):
    """The blocking findings of the lexicon (prohibited terms, marks, serious errors) in a text."""
    return (lexicon or current_lexicon()).findings(field, text or "")


def screen_page(page, *, warnings=True, parent=None):
    """Every finding for ``page``; a blocking one returns it to its author. ``parent`` is given
    for a page not yet in the tree (the editor's 预检 of a new page)."""
    findings = []
    classification = getattr(page, "classification", Classification.PUBLIC)
    if classification != Classification.PUBLIC:
        label = Classification(classification).label
        findings.append(
            Finding(
                category=CLASSIFICATION,
                rule=f"密级为“{label}”的信息不得上网发布，只有“公开”的信息可以发布。",
                field="密级",
            )
        )
    lexicon = current_lexicon()
    for field, text in page_texts(page):
        findings.extend(lexicon.findings(field, text))
    # A page type's own rules of completeness: ``missing_elements()`` yields (element, rule).
    if hasattr(page, "missing_elements"):
        findings.extend(
            Finding(category=INCOMPLETE, rule=rule, field=element)
            for element, rule in page.missing_elements()
        )
    if warnings:
        findings.extend(quality_warnings(page, parent))
    return findings


def blocking(findings):
    return [finding for finding in findings if finding.blocking]


def warnings_only(findings):
    return [finding for finding in findings if not finding.blocking]
