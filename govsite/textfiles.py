"""Plain text out of uploaded files (R-FMT-1, R-SCREEN-1; 第十七、十九条).

第十七条: 网站信息文本为.txt格式. An officer's .txt file becomes an article body, whatever
the editor it came from wrote: UTF-8 (with or without BOM), Notepad's "Unicode" (UTF-16 with
BOM) or GB18030, which covers GBK and GB2312. ``decode_text`` finds out which, and refuses, in
words the officer can act on, what is not text or cannot be read with certainty.

第十九条 applies to everything published, attachments included (R-SCREEN-1), so
``attachment_text`` reads the text of .txt, .docx and .pdf attachments for the screening
engine. It never raises for a bad file: ``None`` means "could not be read", which the caller
reports as a non-blocking warning.

No charset-detection package: the rules below are enough for the encodings staff actually
produce, and each refusal is explained.
"""

import codecs
import logging
import re
import unicodedata
import zipfile
from xml.etree import ElementTree

from django.core.cache import cache

logger = logging.getLogger("govsite.textfiles")

MAX_TEXT_BYTES = 2 * 1024 * 1024  # a .txt body or attachment; ~1 million Chinese characters
MAX_DOCX_MEMBER_BYTES = 20 * 1024 * 1024  # one XML part of a .docx, uncompressed
MAX_DOCX_PARTS = 50  # document, headers, footers, footnotes, endnotes
MAX_PDF_PAGES = 500
CACHE_SECONDS = 30 * 24 * 3600
CACHE_PREFIX = "govsite.screening.attachment_text.v1"  # bump when extraction changes

# GB18030 plausibility: a decode with more "rare" characters than this is a misread.
RARE_ALLOWANCE = 2  # a name or two written with characters outside GB2312 (朱镕基, 张喆)
RARE_SHARE = 0.2  # ... or up to a fifth of the non-ASCII characters

# Bytes below 0x30 are always single ASCII characters in UTF-8 and GB18030 (never part of a
# multi-byte sequence), so these control bytes mean the file is not text in either.
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# The same check on decoded text (UTF-16 files), C1 controls included.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
EDGE_SPACE = re.compile(r"^[\s\ufeff\u200b]+|[\s\ufeff\u200b]+$")

NOT_TEXT = "文件不是文本文件（含有二进制内容），请另存为 .txt（UTF-8 或 GB18030 编码）后再上传。"
EMPTY = "文件是空的，请检查后重新上传。"
TOO_LARGE = (
    f"文件超过 {MAX_TEXT_BYTES // (1024 * 1024)} MB，不像是一篇信息的正文，"
    "请检查文件或分成几篇上传。"
)
UNKNOWN_ENCODING = (
    "无法识别文件编码：只支持 UTF-8 和 GB18030（含 GBK、GB2312）。"
    "请用记事本打开文件，“另存为”时编码选择 UTF-8，再上传。"
)
MISREAD = (
    "无法识别文件编码：按 GB18030 读出的内容是乱码（含有私用区或未分配的字符，或大量生僻字），"
    "文件可能是繁体 Big5、日文 Shift-JIS 或西文编码，也可能含有自造字。"
    "请用记事本打开文件，“另存为”时编码选择 UTF-8，再上传。"
)


class TextFileError(ValueError):
    """A file that cannot become text; the message tells the officer what to do."""


def decode_text(data: bytes) -> str:
    """The text of a .txt file with newlines as ``\\n`` (R-FMT-1, 第十七条).

    A UTF-16 BOM decides the encoding; otherwise UTF-8 (BOM or not) is tried, then
    GB18030, whose result must look like Chinese (``_misread_as_gb18030``). Raises
    ``TextFileError`` for an empty, oversized, binary or unreadable file.
    """
    if not data:
        raise TextFileError(EMPTY)
    if len(data) > MAX_TEXT_BYTES:
        raise TextFileError(TOO_LARGE)
    text = _decode(data)
    if CONTROL_CHARS.search(text):
        raise TextFileError(NOT_TEXT)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _decode(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Neither byte pair can start UTF-8 or GB18030 text (0xFF is never used in either).
        try:
            return data.decode("utf-16")  # reads the BOM and drops it
        except UnicodeDecodeError:
            raise TextFileError(UNKNOWN_ENCODING) from None
    if BINARY_BYTES.search(data):
        raise TextFileError(NOT_TEXT)
    as_utf8 = _try_decode(data, "utf-8-sig")  # with or without BOM
    if as_utf8 is not None and (as_utf8.isascii() or data.startswith(codecs.BOM_UTF8)):
        return as_utf8
    # EF BB BF is no proof of UTF-8 when the rest is not UTF-8: it is also the GB18030 of
    # "锘" followed by a character whose first byte is BF.
    as_gb18030 = _try_decode(data, "gb18030")
    if as_utf8 is not None and (as_gb18030 is None or not _gb18030_wins(as_utf8, as_gb18030)):
        return as_utf8
    if as_gb18030 is None:
        raise TextFileError(UNKNOWN_ENCODING)
    if _misread_as_gb18030(as_gb18030):
        raise TextFileError(MISREAD)
    return as_gb18030


def _try_decode(data, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _gb18030_wins(as_utf8, as_gb18030):
    """Both readings are valid, which in practice happens only to short texts: "丝" in
    GB18030 (CB BF) is also the UTF-8 of "˿". UTF-8 wins unless its reading holds no
    character beyond U+07FF (so no Chinese at all: only two-byte sequences, which GB2312
    pairs such as C2 B7 also form) while the GB18030 reading is entirely GB2312 Chinese.

    The price: a UTF-8 file with no Chinese, no curly quotes or dashes, only ASCII and
    lower-case accented letters ("café") is read as GB18030 ("caf茅") and shows as such in
    the editor; so is a UTF-8 file whose only non-ASCII character is "·" (C2 B7, "路").
    """
    if max(map(ord, as_utf8)) >= 0x800:
        return False
    return all(char.isascii() or _gb2312_chinese(char) for char in as_gb18030)


def _gb2312_chinese(char):
    """A GB2312 hanzi (rows B0–F7) or Chinese punctuation and full-width form (A1–A3)."""
    try:
        row = char.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xB0 <= row <= 0xF7 or 0xA1 <= row <= 0xA3


def _misread_as_gb18030(text):
    """Whether a successful GB18030 decode is evidently not what the author wrote.

    GB18030 accepts most byte pairs, so Big5, Shift-JIS and Latin-1 files often "decode".
    What comes out gives them away: Big5 lands in GB2312's empty rows (mapped to the private
    use area) and Shift-JIS and Latin-1 land in GBK's rare characters. Real simplified
    Chinese is almost all GB2312 characters, so the decode is refused if it holds any
    private-use or unassigned character, or more than ``RARE_ALLOWANCE`` characters and more
    than ``RARE_SHARE`` of its non-ASCII characters are rare (``_is_rare``). Consequence:
    traditional Chinese saved as GBK is refused too; saved as UTF-8 it is accepted.
    """
    total = rare = 0
    for char in text:
        if char.isascii():
            continue
        if unicodedata.category(char) in ("Co", "Cn", "Cs"):
            return True
        total += 1
        rare += _is_rare(char)
    return rare > RARE_ALLOWANCE and rare > RARE_SHARE * total


def _is_rare(char):
    """Outside what Chinese text is written with: GB2312's hanzi, punctuation, numbers and
    full-width forms (``_gb2312_chinese``) and pinyin (row A8), any punctuation or space,
    and the four-byte ranges of GB18030 (CJK Extension A and beyond), which are only ever
    produced on purpose, never by misreading two-byte text."""
    if unicodedata.category(char)[0] in "PZ" or _gb2312_chinese(char):
        return False
    if 0x3400 <= ord(char) <= 0x4DBF or ord(char) >= 0x20000:
        return False
    return not char.encode("gb18030").startswith(b"\xa8")


def paragraphs(text):
    """One paragraph per non-empty line, without the indentation Chinese .txt files carry
    ("　　", U+3000) or trailing spaces."""
    lines = (EDGE_SPACE.sub("", line) for line in text.splitlines())
    return [line for line in lines if line]


# Attachments (R-SCREEN-1) ------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DOCX_PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes)\.xml")


class UnreadableFile(Exception):
    """An attachment of a type we read that could not be read."""


def attachment_text(document) -> str | None:
    """The text of a Wagtail document, for screening (R-SCREEN-1, 第十九条).

    .txt, .docx and .pdf are read; other types give ``""`` (nothing we read). ``None``: the
    file is of a readable type but corrupt, encrypted, too large or in an unknown encoding.
    Results are cached by the file's hash, so re-screening a page does not re-parse its
    attachments. Never raises.
    """
    extension = (document.file_extension or "").lower()
    reader = READERS.get(extension)
    if reader is None:
        return ""
    try:
        if not document.file_hash:
            if document.pk:
                document.get_file_hash()  # computes and stores it
            else:
                document._set_file_hash()
    except Exception:  # noqa: BLE001 - missing file or unreachable storage
        logger.warning("附件无法读取：%s", document.file.name, exc_info=True)
        return None
    key = f"{CACHE_PREFIX}.{extension}.{document.file_hash}"
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage only costs a re-parse
        logger.warning("附件文字缓存不可用", exc_info=True)
        cached = None
    if cached is not None:
        return cached[0]
    try:
        with document.open_file() as handle:
            text = _parse(reader, handle, document.file.name)
    except OSError:  # storage trouble, not the file's fault: not cached
        logger.warning("附件无法读取：%s", document.file.name, exc_info=True)
        return None
    try:
        cache.set(key, (text,), CACHE_SECONDS)  # wrapped: some backends cannot store None
    except Exception:  # noqa: BLE001
        logger.warning("附件文字未能缓存：%s", document.file.name, exc_info=True)
    return text


def _parse(reader, handle, name):
    """``reader``'s text, or ``None`` when the file is bad in any way."""
    try:
        return reader(handle)
    except OSError:
        raise
    except Exception:  # noqa: BLE001 - parsers raise all sorts; a bad file must not stop screening
        logger.info("附件无法读取：%s", name, exc_info=True)
        return None


def _txt_text(handle):
    try:
        return decode_text(handle.read(MAX_TEXT_BYTES + 1))
    except TextFileError as error:
        raise UnreadableFile(str(error)) from error


def _docx_text(handle):
    """document.xml, then endnotes, footers, footnotes and headers (in name order); one line
    per paragraph.

    Zip-bomb guard: a part declaring more than ``MAX_DOCX_MEMBER_BYTES`` is refused and no
    read goes beyond that. XML with a DOCTYPE (entity tricks) is refused; Word never writes one.
    """
    with zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise UnreadableFile("not a Word document")
        parts = ["word/document.xml", *sorted(n for n in names if DOCX_PARTS.fullmatch(n))]
        if len(parts) > MAX_DOCX_PARTS:
            raise UnreadableFile("too many parts")
        lines = []
        for name in parts:
            info = archive.getinfo(name)
            if info.file_size > MAX_DOCX_MEMBER_BYTES:
                raise UnreadableFile(f"{name} declares {info.file_size} bytes")
            with archive.open(info) as member:
                xml = member.read(MAX_DOCX_MEMBER_BYTES + 1)
            if len(xml) > MAX_DOCX_MEMBER_BYTES:
                raise UnreadableFile(f"{name} is larger than declared")
            if b"<!DOCTYPE" in xml:
                raise UnreadableFile(f"{name} has a DOCTYPE")
            _docx_lines(ElementTree.fromstring(xml), lines, [])
    return "\n".join(lines)


def _docx_lines(element, lines, current):
    """Append one line per ``w:p`` to ``lines``; text boxes inside a paragraph become lines of
    their own, and deleted text (``w:delText``) and fallback copies are left out."""
    for child in element:
        tag = child.tag
        if tag == f"{W}p":
            own = []
            _docx_lines(child, lines, own)
            lines.append("".join(own))
        elif tag == f"{W}t":
            current.append(child.text or "")
        elif tag == f"{W}tab":
            current.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            current.append("\n")
        elif tag != FALLBACK:
            _docx_lines(child, lines, current)


def _pdf_text(handle):
    """Text of the first ``MAX_PDF_PAGES`` pages, one page after another. A PDF encrypted
    with an empty user password (permissions only, common for official documents) is read."""
    from pypdf import PdfReader

    reader = PdfReader(handle)
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnreadableFile("encrypted")
    if not reader.pages:
        raise UnreadableFile("no pages")
    if len(reader.pages) > MAX_PDF_PAGES:
        logger.warning("PDF 超过 %d 页，只审查前 %d 页。", MAX_PDF_PAGES, MAX_PDF_PAGES)
    pages = [reader.pages[number] for number in range(min(len(reader.pages), MAX_PDF_PAGES))]
    return "\n".join(page.extract_text() or "" for page in pages)


READERS = {"txt": _txt_text, "docx": _docx_text, "pdf": _pdf_text}
