"""A Word document (.docx) as the parts of an article body (R-FMT-1, R-FMT-2; 第十七条).

Clerks write in WPS or Word. ``read_docx`` turns the bytes of a .docx into what a plain
government notice is made of, and nothing more: text (paragraphs, headings, ordered and
unordered lists, bold, web links), tables (plain cell text) and the pictures, in document order.
Colours, fonts, sizes, Word styles, comments and struck-out tracked changes are dropped; text
inserted with track changes is kept (the document as it reads once the changes are accepted).
The conversion is ``mammoth``'s; what it writes is then reduced to the vocabulary above.

Which block each part becomes, and whether a picture may be stored (the image rule), is for the
caller (``govsite.columns.forms``): this module knows files, not pages.

A file is judged by its content, never its name, and refused, in words the clerk can act on,
when it is empty, larger than ``max_bytes()``, an old Word (.doc) or WPS file, encrypted, not a
Word document, damaged, or a zip bomb (parts declaring more than ``MAX_PART_BYTES`` or, together,
``MAX_UNPACKED_BYTES``; ``zipfile`` never inflates a part beyond its declared size).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import urlsplit
from xml.etree import ElementTree

import mammoth
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # setting GOVSITE_WORD_IMPORT_MAX_BYTES
MAX_PART_BYTES = 50 * 1024 * 1024  # one part of the package (XML or picture), unpacked
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts together, unpacked
MAX_IMAGES = 50

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .doc, .wps, encrypted .docx
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ZIP_MAGIC = b"PK\x03\x04"
LINK_SCHEMES = ("http", "https", "mailto")
EDGE_SPACE = re.compile(r"^[\s\u3000\ufeff\u200b]+|[\s\u3000\ufeff\u200b]+$")
# Alt text that Word 365 writes by itself ("图片包含 文本 描述已自动生成") describes nothing.
GENERATED_ALT = re.compile(r"(描述已自动生成|Description automatically generated)\s*$", re.I)

# Word's title style is the document's first heading; the rest is mammoth's default map.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
"""
HEADINGS = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}

EMPTY = "文件是空的，请检查后重新选择。"
OLD_WORD = (
    "这是旧版 Word（.doc）或 WPS（.wps）格式的文档，系统无法直接读取。"
    "请在 WPS 或 Word 中另存为 .docx 后再导入。"
)
ENCRYPTED = (
    "文档设置了打开密码（已加密），系统无法读取。"
    "请在 WPS 或 Word 中取消密码，另存为 .docx 后再导入。"
)
NOT_DOCX = (
    "文件不是 Word 文档（.docx）：只能导入 WPS 或 Word 保存的 .docx 文件。"
    "如是其他格式，请在 WPS 或 Word 中打开后另存为 .docx 再导入。"
)
DAMAGED = (
    "Word 文档已损坏或内容不完整，无法读取。请在 WPS 或 Word 中打开确认，另存为 .docx 后再导入。"
)
NO_TEXT = "文档中没有文字、表格或图片，请检查后重新选择。"


def max_bytes():
    """The largest .docx accepted, in bytes (setting ``GOVSITE_WORD_IMPORT_MAX_BYTES``)."""
    return getattr(settings, "GOVSITE_WORD_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def too_large(size):
    return (
        f"文件过大（{filesizeformat(size)}），Word 文档不得超过 {filesizeformat(max_bytes())}。"
        "图片较多的文档，请先压缩图片（WPS/Word：图片工具 → 压缩图片）或分成几篇导入。"
    )


class WordFileError(ValueError):
    """A file that cannot become a body; the message says why and what to do."""


@dataclass(frozen=True)
class WordImage:
    """A picture of the document: its place in order (1, 2, …) and its alt text (可选文字)."""

    number: int
    data: bytes
    content_type: str
    alt: str

    @property
    def name(self):
        extension = self.content_type.rpartition("/")[2].lower() or "bin"
        return f"word-image-{self.number}.{ {'jpeg': 'jpg'}.get(extension, extension) }"

    @property
    def label(self):
        """How the clerk is told which picture: 第 2 幅图片（“会议现场”）."""
        return f"第 {self.number} 幅图片" + (f"（“{self.alt}”）" if self.alt else "")


@dataclass
class WordBody:
    """The document's parts in order: ``("text", html)``, ``("table", rows, header)`` and
    ``("image", WordImage)``. Text HTML holds only p, h2–h4, ul/ol/li, b, a[href] and br."""

    parts: list = field(default_factory=list)

    @property
    def images(self):
        return [part[1] for part in self.parts if part[0] == "image"]

    def count(self, kind):
        return sum(1 for part in self.parts if part[0] == kind)


def read_docx(data: bytes) -> WordBody:
    """The body held by a .docx file's bytes (R-FMT-1, 第十七条). Raises ``WordFileError``."""
    if not data:
        raise WordFileError(EMPTY)
    if len(data) > max_bytes():
        raise WordFileError(too_large(len(data)))
    if data.startswith(OLE_MAGIC):
        raise WordFileError(ENCRYPTED if ENCRYPTED_STREAM in data else OLD_WORD)
    if not data.startswith(ZIP_MAGIC):
        raise WordFileError(NOT_DOCX)
    _check_package(data)
    images = []

    def keep_image(image):
        if len(images) >= MAX_IMAGES:
            raise WordFileError(
                f"文档中的图片超过 {MAX_IMAGES} 幅，请分成几篇导入，或删去部分图片后再导入。"
            )
        with image.open() as stream:
            picture = stream.read(MAX_PART_BYTES + 1)
        alt = EDGE_SPACE.sub("", image.alt_text or "")
        if GENERATED_ALT.search(alt):
            alt = ""
        images.append(WordImage(len(images) + 1, picture, image.content_type or "", alt))
        return {"src": f"govsite-image:{len(images)}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            include_embedded_style_map=False,  # a map inside the file could ask for any HTML
            convert_image=mammoth.images.img_element(keep_image),
        )
        root = ElementTree.fromstring(f"<body>{result.value}</body>")
    except WordFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged package fails in many ways
        raise WordFileError(DAMAGED) from exc
    body = WordBody()
    _Builder(body, images).blocks(root)
    if not body.parts:
        raise WordFileError(NO_TEXT)
    return body


def _check_package(data):
    """A zip holding a Word document, of sane size, without DOCTYPEs (entity tricks; Word never
    writes one)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "word/document.xml" not in names and "[Content_Types].xml" not in names:
                raise WordFileError(NOT_DOCX)
            if not any(name.startswith("word/") for name in names):
                raise WordFileError(NOT_DOCX)  # a spreadsheet, a presentation, any zip
            if any(info.flag_bits & 0x1 for info in infos):
                raise WordFileError(ENCRYPTED)  # a zip with a password
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
                    raise WordFileError(DAMAGED)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as member:
                        if b"<!DOCTYPE" in member.read():
                            raise WordFileError(DAMAGED)
    except WordFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, CRC errors, truncated data
        raise WordFileError(DAMAGED) from exc


class _Builder:
    """Walks mammoth's HTML and writes ``WordBody.parts`` in the reduced vocabulary."""

    def __init__(self, body, images):
        self.body = body
        self.images = images
        self.text = []  # HTML of text not yet written as a part

    def blocks(self, root):
        for element in root:
            tag = element.tag
            if tag in ("p", *HEADINGS):
                self.paragraph(element, HEADINGS.get(tag, "p"))
            elif tag in ("ul", "ol"):
                html = self.list(element)
                if html:
                    self.text.append(html)
                self.pictures(element)
            elif tag == "table":
                self.table(element)
            else:  # anything else mammoth may write: its text, as a paragraph
                self.paragraph(element, "p")
        self.flush()

    def flush(self):
        if self.text:
            self.body.parts.append(("text", "".join(self.text)))
            self.text = []

    def image(self, element):
        number = int(element.get("src", "").rpartition(":")[2] or 0)
        if 1 <= number <= len(self.images):
            self.flush()
            self.body.parts.append(("image", self.images[number - 1]))

    def pictures(self, element):
        """Pictures inside a list or a table follow it."""
        for img in element.iter("img"):
            self.image(img)

    def paragraph(self, element, tag):
        """A paragraph, split where it holds pictures: text, picture, text."""
        pieces = []

        def close():
            html = _trim(_inline_html(pieces))
            if html:
                self.text.append(f"<{tag}>{html}</{tag}>")
            pieces.clear()

        for kind, value in _content(element):
            if kind == "img":
                close()
                self.image(value)
            else:
                pieces.append((kind, value))
        close()

    def list(self, element):
        items = []
        for item in element:
            if item.tag != "li":
                continue
            nested = "".join(self.list(child) for child in item if child.tag in ("ul", "ol"))
            html = _trim(_inline_html(_content(item, skip=("ul", "ol"))))
            if html or nested:
                items.append(f"<li>{html}{nested}</li>")
        return f"<{element.tag}>{''.join(items)}</{element.tag}>" if items else ""

    def table(self, element):
        rows = []
        spans = {}  # column → (rows still covered, text) for cells merged downwards
        header = False
        for number, tr in enumerate(element.iter("tr")):
            row = []
            cells = [cell for cell in tr if cell.tag in ("td", "th")]
            if number == 0:
                header = bool(cells) and all(cell.tag == "th" for cell in cells)
            cells.reverse()
            column = 0
            while cells or spans.get(column):
                if spans.get(column):
                    left, _ = spans[column]
                    spans[column] = (left - 1, "")
                    if left - 1 <= 0:
                        del spans[column]
                    row.append("")
                    column += 1
                    continue
                cell = cells.pop()
                row.append(_cell_text(cell))
                across = _span(cell.get("colspan"))
                down = _span(cell.get("rowspan"))
                for offset in range(across):
                    if offset:
                        row.append("")
                    if down > 1:
                        spans[column + offset] = (down - 1, "")
                column += across
            rows.append(row)
        width = max((len(row) for row in rows), default=0)
        rows = [row + [""] * (width - len(row)) for row in rows]
        if any(any(cell for cell in row) for row in rows):
            self.flush()
            self.body.parts.append(("table", rows, header))
        self.pictures(element)


def _span(value):
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _cell_text(cell):
    """A table cell's text, one line per paragraph (the table block holds plain text)."""
    lines = []
    for child in cell:
        text = EDGE_SPACE.sub("", "".join(child.itertext()))
        if text:
            lines.append(text)
    own = EDGE_SPACE.sub("", cell.text or "")
    return "\n".join([own, *lines] if own else lines)


def _inline_text(text):
    return [("html", escape(text))] if text else []


def _content(element, skip=()):
    """(kind, value) pieces of an element's content: ``("html", …)`` or ``("img", element)``.
    Bold and web links are kept; every other element (italics, underline, spans, superscript,
    anchors within the document) gives its text only. Children tagged ``skip`` are left out."""
    yield from _inline_text(element.text)
    for child in element:
        if child.tag not in skip:
            yield from _inline_element(child)
        yield from _inline_text(child.tail)


def _inline_element(child):
    tag = child.tag
    if tag == "img":
        yield ("img", child)
    elif tag == "br":
        yield ("html", "<br/>")
    elif tag in ("strong", "b"):
        inner = _inline_html(_children(child))
        if inner.strip():
            yield ("html", f"<b>{inner}</b>")
        else:
            yield ("html", inner)
    elif tag == "a":
        href = child.get("href", "")
        if href.startswith(("#footnote-ref-", "#endnote-ref-")):
            return  # the ↑ back from a note to where it was referred to
        inner = _inline_html(_children(child))
        if urlsplit(href).scheme.lower() in LINK_SCHEMES and inner.strip():
            yield ("html", f'<a href="{escape(href)}">{inner}</a>')
        else:
            yield ("html", inner)
    else:
        yield from _content(child)


def _children(element):
    return [piece for piece in _content(element) if piece[0] != "img"]


def _inline_html(pieces):
    return "".join(value for kind, value in pieces if kind == "html")


def _trim(html):
    """Without the spaces and full-width indentation (　　) at either end."""
    html = EDGE_SPACE.sub("", html)
    while html.startswith("<br/>") or html.endswith("<br/>"):
        html = EDGE_SPACE.sub("", html.removeprefix("<br/>").removesuffix("<br/>"))
    return html


def document_title(name):
    """The file's name without its extension, for the images' titles."""
    return PurePath(name or "").stem or "Word 文档"
