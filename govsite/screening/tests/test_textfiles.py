"""R-FMT-1 (第十七条) .txt decoding and R-SCREEN-1 (第十九条) attachment text."""

import codecs
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.documents import get_document_model

from govsite import textfiles
from govsite.textfiles import TextFileError, attachment_text, decode_text, paragraphs

NOTICE = "关于开展政务公开工作的通知\n各科室：现将有关事项通知如下。"

# Samples in the encodings a GB18030 decode must not pass off as Chinese.
TRADITIONAL = (
    "各科室要遵守國家有關法律、法規的規定，按照「誰主管，誰負責」的原則落實安全保密工作責任制。"
    "網站資訊不得包含下列內容：反對憲法所確定的基本原則的；危害國家安全，洩露國家秘密。"
)
JAPANESE = (
    "各課は国の法律や規定を守り、安全保密の責任制を実施しなければならない。"
    "ウェブサイトの情報には次の内容を含んではならない。東京都渋谷区で会議が開かれました。"
)
GERMAN_NAMES = "Müller Größe Schäfer Bäcker Köln Düsseldorf Jürgen Sträßle"  # every accent + letter
FRENCH = "Le conseil municipal s'est réuni à Lyon pour étudier les problèmes de sécurité."


# decode_text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        NOTICE.encode("utf-8"),
        codecs.BOM_UTF8 + NOTICE.encode("utf-8"),
        codecs.BOM_UTF16_LE + NOTICE.encode("utf-16-le"),  # Notepad's "Unicode"
        codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"),
        NOTICE.encode("gb18030"),
        NOTICE.encode("gb2312"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gb18030", "gb2312"],
)
def test_each_supported_encoding_is_detected(data):
    assert decode_text(data) == NOTICE


def test_gbk_characters_outside_gb2312():
    """Names such as 朱镕基 use GBK's extra characters; a few among common text are fine."""
    text = "朱镕基同志在会上讲话。张喆、王堃参加会议。"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gb2312")
    assert len(text.encode("gbk")) == 2 * len(text)
    assert decode_text(text.encode("gbk")) == text


def test_characters_only_in_the_gb18030_four_byte_range():
    text = "人名用字：㐀、䶮、𠀀、𪚥。会议通知。"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert decode_text(text.encode("gb18030")) == text


@pytest.mark.parametrize("text", ["丝", "路", "a丝b", "谩茅"])
def test_short_gb18030_text_that_is_also_valid_utf8(text):
    """CB BF (丝) is also the UTF-8 of "˿", C3 A1 C3 A9 (谩茅) of "áé": found by the property
    test. A GB18030 reading that is all Chinese beats a UTF-8 reading without any."""
    data = text.encode("gb18030")
    assert data.decode("utf-8") != text
    assert decode_text(data) == text


def test_utf8_wins_when_it_reads_as_chinese():
    """E4 B8 B2 E4 B8 B2 is UTF-8 "串串" and also GB18030 "涓蹭覆": UTF-8 is kept."""
    data = "串串".encode()
    assert data.decode("gb18030") != "串串"
    assert decode_text(data) == "串串"


def test_gb18030_text_that_starts_like_a_utf8_bom():
    """EF BB BF is also GB18030 for 锘 followed by a character whose first byte is BF."""
    text = "锘俊会议纪要"
    data = text.encode("gb18030")
    assert data.startswith(codecs.BOM_UTF8)
    assert decode_text(data) == text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_become_line_feeds(newline):
    data = NOTICE.replace("\n", newline).encode("gb18030")
    assert decode_text(data) == NOTICE


def test_tab_and_form_feed_are_text():
    assert decode_text("一、\t会议\f二、".encode()) == "一、\t会议\f二、"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00",  # a .docx renamed to .txt
        "正文\x00正文".encode(),
        "正文\x1b[31m".encode("gb18030"),
        codecs.BOM_UTF16_LE + "正文\x00".encode("utf-16-le"),
    ],
)
def test_binary_content_is_refused(data):
    with pytest.raises(TextFileError, match="不是文本文件"):
        decode_text(data)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(TRADITIONAL, "big5"), (JAPANESE, "shift_jis"), (GERMAN_NAMES, "latin-1")],
)
def test_misread_gb18030_is_refused(text, encoding):
    """These bytes do decode as GB18030; what comes out is not Chinese."""
    data = text.encode(encoding)
    data.decode("gb18030")
    with pytest.raises(TextFileError, match="无法识别文件编码") as refusal:
        decode_text(data)
    assert "UTF-8" in str(refusal.value)


def test_bytes_no_supported_encoding_reads_are_refused():
    data = FRENCH.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    with pytest.raises(TextFileError, match="无法识别文件编码"):
        decode_text(data)


def test_odd_utf16_is_refused():
    with pytest.raises(TextFileError, match="无法识别文件编码"):
        decode_text(codecs.BOM_UTF16_LE + "正文".encode("utf-16-le") + b"\x00")


def test_empty_file_is_refused():
    with pytest.raises(TextFileError, match="文件是空的"):
        decode_text(b"")


def test_size_limit():
    line = "各科室：现将有关事项通知如下。\n".encode()
    fits = line * (textfiles.MAX_TEXT_BYTES // len(line))
    assert decode_text(fits)
    with pytest.raises(TextFileError, match="文件超过 2 MB"):
        decode_text(fits + line)


def test_text_file_error_is_a_value_error():
    assert issubclass(TextFileError, ValueError)


# GB2312 level 1: the 3,755 most used characters, rows B0–D7 (D7FA–D7FE are unassigned).
COMMON_HANZI = [
    bytes([row, cell]).decode("gb2312")
    for row in range(0xB0, 0xD8)
    for cell in range(0xA1, 0xFF)
    if (row, cell) < (0xD7, 0xFA)
]
# Not "·": its UTF-8 (C2 B7) is also the GB18030 of 路, so a text whose only non-ASCII
# characters are middle dots is read as GB18030 (see _gb18030_wins).
CHINESE_PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…　"
ASCII = [chr(code) for code in range(0x20, 0x7F)] + ["\t", "\n"]


@settings(deadline=None)
@given(st.text(st.sampled_from(COMMON_HANZI + list(CHINESE_PUNCTUATION) + ASCII), min_size=1))
def test_common_text_round_trips_through_utf8_and_gb18030(text):
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(text.encode("gb18030")) == text


# paragraphs ---------------------------------------------------------------------------------


def test_paragraphs_drop_ideographic_indentation_and_blank_lines():
    text = "\n　　各科室：\n\n　　现将有关事项通知如下。  \n \u3000\u3000\n\t特此通知。\n"
    assert paragraphs(text) == ["各科室：", "现将有关事项通知如下。", "特此通知。"]


def test_paragraphs_keep_inner_spaces():
    assert paragraphs("　　一、会议时间　2026年11月24日\n") == ["一、会议时间　2026年11月24日"]


# attachment_text ----------------------------------------------------------------------------

WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word_xml(*paragraph_texts, root="w:document"):
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraph_texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><{root} {WORD}><w:body>{body}</w:body></{root}>'


def docx(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def pdf(objects):
    """A PDF whose objects 1..n are ``objects`` (1 the catalog), with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%b\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    size = len(objects) + 1
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def pdf_stream(data):
    return b"<< /Length %d >>\nstream\n%b\nendstream" % (len(data), data)


PDF_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
    b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
)


def ascii_pdf(*lines):
    """One page of Helvetica text, a line per entry."""
    shown = b" ".join(b"(%b) '" % line.encode("ascii") for line in lines)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            PDF_PAGE,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            pdf_stream(b"BT /F1 12 Tf 72 770 Td 14 TL " + shown + b" ET"),
        ]
    )


def chinese_pdf(*lines):
    """One page of Chinese text as a Type0 (CID) font with Identity-H codes equal to the
    characters' code points and a ToUnicode CMap, as Word and WPS export it."""
    chars = sorted({char for line in lines for char in line})
    to_unicode = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def"
        " /CMapName /Adobe-Identity-UCS def /CMapType 2 def"
        " 1 begincodespacerange <0000> <FFFF> endcodespacerange"
        f" {len(chars)} beginbfchar "
        + " ".join(f"<{ord(char):04X}> <{ord(char):04X}>" for char in chars)
        + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    shown = b" ".join(b"<%b> '" % line.encode("utf-16-be").hex().encode() for line in lines)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            PDF_PAGE,
            b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
            b" /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            pdf_stream(b"BT /F1 12 Tf 72 770 Td 14 TL " + shown + b" ET"),
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            b" /FontDescriptor 8 0 R /DW 1000 >>",
            pdf_stream(to_unicode),
            b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4"
            b" /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120"
            b" /CapHeight 880 /StemV 80 >>",
        ]
    )


@pytest.fixture
def document(db):
    """document(b"...", "name.ext"): a stored Wagtail document."""

    def make(data, name):
        return get_document_model().objects.create(title=name, file=ContentFile(data, name=name))

    return make


def test_txt_attachment(document):
    assert attachment_text(document(NOTICE.encode("gb18030"), "通知.txt")) == NOTICE


def test_txt_attachment_in_an_unknown_encoding_is_unreadable(document):
    assert attachment_text(document(TRADITIONAL.encode("big5"), "通知.TXT")) is None


def test_docx_paragraphs_are_lines(document):
    data = docx(
        {"word/document.xml": word_xml("关于开展政务公开工作的通知", "内部资料，注意保密。")}
    )
    assert attachment_text(document(data, "通知.docx")) == (
        "关于开展政务公开工作的通知\n内部资料，注意保密。"
    )


def test_docx_headers_footers_and_footnotes_are_read(document):
    data = docx(
        {
            "word/document.xml": word_xml("正文"),
            "word/header1.xml": word_xml("秘密★", root="w:hdr"),
            "word/footer1.xml": word_xml("第 1 页", root="w:ftr"),
            "word/footnotes.xml": word_xml("脚注：机密", root="w:footnotes"),
            "word/media/image1.xml": word_xml("not a text part"),
        }
    )
    assert attachment_text(document(data, "a.docx")).split("\n") == [
        "正文",
        "第 1 页",
        "脚注：机密",
        "秘密★",
    ]


def test_docx_runs_tabs_and_deleted_text(document):
    paragraph = (
        "<w:p><w:r><w:t>一、</w:t><w:tab/><w:t>会议</w:t></w:r>"
        "<w:del><w:r><w:delText>删掉的字</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>时间</w:t></w:r></w:ins></w:p>"
    )
    xml = f"<w:document {WORD}><w:body>{paragraph}<w:p/></w:body></w:document>"
    assert (
        attachment_text(document(docx({"word/document.xml": xml}), "a.docx")) == "一、\t会议时间\n"
    )


def test_docx_zip_bomb_is_unreadable(document):
    """A part declaring more than the limit is refused before it is inflated."""
    bomb = b"<w:document>" + b" " * (textfiles.MAX_DOCX_MEMBER_BYTES + 1) + b"</w:document>"
    data = docx({"word/document.xml": bomb})
    assert len(data) < 100_000
    assert attachment_text(document(data, "bomb.docx")) is None


def test_docx_reads_no_more_than_the_limit(document, monkeypatch):
    monkeypatch.setattr(textfiles, "MAX_DOCX_MEMBER_BYTES", 1000)
    data = docx({"word/document.xml": word_xml("长" * 1000)})
    assert attachment_text(document(data, "long.docx")) is None


def test_docx_with_entities_is_unreadable(document):
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>'
        f"<w:document {WORD}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    assert attachment_text(document(docx({"word/document.xml": xml}), "a.docx")) is None


@pytest.mark.parametrize(
    "data", [b"not a zip", docx({"word/other.xml": "<x/>"}), docx({"word/document.xml": "<w:p"})]
)
def test_corrupt_docx_is_unreadable(document, data):
    assert attachment_text(document(data, "a.docx")) is None


def test_pdf_text(document):
    data = ascii_pdf("Notice on open government", "Internal use only")
    assert attachment_text(document(data, "notice.pdf")) == (
        "Notice on open government\nInternal use only"
    )


def test_chinese_pdf_text(document):
    data = chinese_pdf("关于开展政务公开工作的通知", "秘密★文件")
    assert attachment_text(document(data, "通知.PDF")) == "关于开展政务公开工作的通知\n秘密★文件"


@pytest.mark.parametrize("data", [b"%PDF-1.4\ngarbage", b"not a pdf", ascii_pdf("cut short")[:200]])
def test_corrupt_pdf_is_unreadable(document, data):
    assert attachment_text(document(data, "broken.pdf")) is None


def test_encrypted_pdf(document):
    """Readable with the empty user password (permissions only); otherwise unreadable."""
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(ascii_pdf("Hidden text"))))
        writer.encrypt(user_password, "owner-password", algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    assert attachment_text(document(encrypted(""), "open.pdf")) == "Hidden text"
    assert attachment_text(document(encrypted("secret"), "locked.pdf")) is None


def test_pdf_pages_are_capped(document, monkeypatch):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for number in range(3):
        writer.append(PdfReader(io.BytesIO(ascii_pdf(f"Page {number + 1}"))))
    buffer = io.BytesIO()
    writer.write(buffer)
    monkeypatch.setattr(textfiles, "MAX_PDF_PAGES", 2)
    assert attachment_text(document(buffer.getvalue(), "long.pdf")) == "Page 1\nPage 2"


@pytest.mark.parametrize("name", ["photo.jpg", "table.xls", "old.doc", "noextension"])
def test_types_we_do_not_read_give_no_text(document, name):
    assert attachment_text(document(b"\x00\x01binary", name)) == ""


def test_a_missing_file_is_unreadable(document):
    doc = document(b"text", "gone.txt")
    doc.file.storage.delete(doc.file.name)
    assert attachment_text(doc) is None


def test_text_is_cached_by_file_hash(document, monkeypatch):
    data = docx({"word/document.xml": word_xml("缓存的正文")})
    first = document(data, "a.docx")
    assert first.file_hash == ""
    assert attachment_text(first) == "缓存的正文"
    first.refresh_from_db()
    assert first.file_hash  # computed and stored

    def must_not_be_called(*args):
        raise AssertionError("the file was read again")

    monkeypatch.setitem(textfiles.READERS, "docx", must_not_be_called)
    monkeypatch.setattr(first, "open_file", must_not_be_called)
    assert attachment_text(first) == "缓存的正文"
    # A copy uploaded as another document shares the entry: hashed, not parsed.
    assert attachment_text(document(data, "copy.docx")) == "缓存的正文"


def test_unreadable_results_are_cached_too(document, monkeypatch):
    broken = document(b"%PDF-1.4\ngarbage", "broken.pdf")
    assert attachment_text(broken) is None
    monkeypatch.setattr(broken, "open_file", lambda: pytest.fail("re-parsed"))
    assert attachment_text(broken) is None
