"""The public's forms of 沟通信箱: writing a letter (R-MAIL-1), tracking it (R-MAIL-5) and
rating the reply (R-MAIL-7).

Text is kept as typed except for control characters, which are removed (the pages render
everything escaped). Every refusal names the rule and what to do, in Chinese. The attachment
is judged by its content, never by its name (R-SEC-5, hostile uploads): JPEG and PNG images
that Pillow can open within the pixel limit, PDF files, Word .docx documents and plain text.
"""

import re
import zipfile
from pathlib import Path

from django import forms
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from PIL import Image

from govsite.images.rules import max_pixels
from govsite.textfiles import TextFileError, decode_text

from . import captcha
from .models import Letter

NAME_MAX, PHONE_MAX, SUBJECT_MAX, TEXT_MAX = 50, 30, 100, 3000
NUMBER_MAX, CODE_MAX = 32, 24
RATING_COMMENT_MAX = Letter._meta.get_field("rating_comment").max_length

# C0 and C1 control characters (tab and newline kept in the letter's text) and the bidi
# overrides and isolates, which make text display in another order than it was written.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile(r"\r\n?|[\t\n\u2028\u2029]")
PHONE = re.compile(r"^[0-9０-９+＋\-－()（） 转]+$")


def strip_controls(value, multiline=False):
    """``value`` without control characters; a single-line field also without line breaks."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        value = LINE_BREAKS.sub(" ", value)
    return CONTROL.sub("", value)


class PlainTextField(forms.CharField):
    """A CharField whose value is cleaned of control characters before it is validated, so
    that the length limit counts what is kept (a browser sends CR LF for each line break)."""

    def __init__(self, *args, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return super().to_python(strip_controls(value, self.multiline))


def too_long(label, limit):
    return f"{label}不能超过 {limit} 个字（当前 %(show_value)d 个），请精简后再提交。"


def text_field(label, limit, required=True, multiline=False, **kwargs):
    return PlainTextField(
        label=label,
        max_length=limit,
        required=required,
        multiline=multiline,
        # A letter keeps its indentation (two full-width spaces open a Chinese paragraph).
        strip=not multiline,
        error_messages={"required": f"请填写{label}。", "max_length": too_long(label, limit)},
        **kwargs,
    )


# Attachments (R-MAIL-1 size limit, R-SEC-5 hostile uploads) ----------------------------------

ALLOWED_TYPES = "JPEG、PNG 图片，PDF 文件，Word 文档（.docx）或纯文本文件（.txt）"
NOT_ALLOWED = (
    f"附件只能是{ALLOWED_TYPES}。所选文件的内容不属于这些类型（按文件内容判断，与扩展名无关），"
    "请另存为上述格式后重新选择，或不附文件直接提交。"
)
MAX_DOCX_ENTRIES = 1000
MAX_DOCX_UNPACKED = 100 * 1024 * 1024  # a zip bomb declares far more
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
MARKUP_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _too_many_pixels():
    _refuse(
        f"图片像素数超过上限（最多 {max_pixels() // 10_000} 万像素），请缩小后重新选择。", "pixels"
    )


def _image(upload, kind):
    """Pillow reads the header (decompression bombs refused there) and checks the file."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=[kind]) as image:
            width, height = image.size
            if width * height > max_pixels():
                _too_many_pixels()
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _too_many_pixels()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a damaged file
        _refuse("图片文件已损坏，无法打开，请重新导出后再选择。", "damaged")
    return ".jpg" if kind == "JPEG" else ".png"


def _pdf(data):
    if b"%%EOF" not in data[-2048:]:
        _refuse("PDF 文件不完整或已损坏，请重新导出后再选择。", "damaged")
    if any(re.search(re.escape(marker) + rb"(?![A-Za-z])", data) for marker in PDF_ACTIVE):
        _refuse(
            "PDF 文件含有脚本、启动命令或内嵌文件，出于安全考虑不予接收。"
            "请“打印”为新的 PDF，或改用图片后重新选择。",
            "pdf_active",
        )
    return ".pdf"


def _docx(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                _refuse(NOT_ALLOWED, "type")
            if len(entries) > MAX_DOCX_ENTRIES or (
                sum(entry.file_size for entry in entries) > MAX_DOCX_UNPACKED
            ):
                _refuse(
                    "Word 文档解压后过大或结构异常，不予接收。请另存为 PDF 后重新选择。", "bomb"
                )
            with archive.open("[Content_Types].xml") as member:
                content_types = member.read(1_000_000)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - zipfile raises several kinds for a damaged archive
        _refuse("Word 文档已损坏，无法打开，请重新保存后再选择。", "damaged")
    if b"macroEnabled" in content_types or "word/vbaProject.bin" in names:
        _refuse("含有宏的 Word 文档（.docm）不予接收，请另存为 .docx 或 PDF 后重新选择。", "macro")
    return ".docx"


def _txt(data):
    if MARKUP_START.match(data[:4096]):
        _refuse(NOT_ALLOWED, "type")  # HTML, SVG or XML: a page, not a letter's text
    try:
        decode_text(data)
    except TextFileError:
        _refuse(
            "文本文件无法识别：只接收 UTF-8 或 GB18030（GBK）编码、不含二进制内容的 .txt 文件。"
            "请用记事本“另存为”UTF-8 编码后重新选择。",
            "text",
        )
    return ".txt"


def attachment_suffix(upload):
    """The suffix matching the attachment's content (".jpg", ".png", ".pdf", ".docx", ".txt"),
    or ``ValidationError`` saying what is wrong. A .txt is tried only for a file named so:
    every other kind is recognised by its first bytes."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data:
        _refuse("所选附件是空文件，请重新选择。", "empty")
    if data.startswith(b"\xff\xd8\xff"):
        return _image(upload, "JPEG")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image(upload, "PNG")
    if data.startswith(b"%PDF-"):
        return _pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _docx(upload)
    if Path(upload.name or "").suffix.lower() == ".txt":
        return _txt(data)
    _refuse(NOT_ALLOWED, "type")


def stored_name(name, suffix):
    """A safe file name for storage: the visitor's name, cleaned and shortened, with the
    suffix of what the file really is."""
    try:
        stem = get_valid_filename(Path(name or "").stem)[:40].strip("._-")
    except SuspiciousFileOperation:  # nothing left of the name ("..", ".")
        stem = ""
    return f"{stem or '附件'}{suffix}"


# The letter ---------------------------------------------------------------------------------


class LetterForm(forms.Form):
    """R-MAIL-1 (第十一条): a letter to 沟通信箱. ``session`` holds the captcha's answer;
    ``max_mb`` is the attachment limit from 沟通信箱设置."""

    name = text_field("姓名", NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = text_field(
        "联系电话",
        PHONE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "电子邮箱格式不正确，请检查（例如 name@example.com）。",
            "max_length": too_long("电子邮箱", 254),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kind = forms.ChoiceField(
        label="类型",
        choices=Letter.Kind.choices,
        initial=Letter.Kind.CONSULT,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择来信类型。", "invalid_choice": "请选择来信类型。"},
    )
    subject = text_field("标题", SUBJECT_MAX)
    text = text_field(
        "内容",
        TEXT_MAX,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=f"最多 {TEXT_MAX} 字。",
    )
    attachment = forms.FileField(
        label="附件",
        required=False,
        error_messages={"empty": "所选附件是空文件，请重新选择。"},
        widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx,.txt"}),
    )
    consent_to_publish = forms.BooleanField(
        label="同意在网站公开本信件及答复（公开时隐去姓名、电话、证件号码、邮箱和住址）",
        required=False,
    )
    # Neither required nor limited in length: verify() says what is wrong, and uses the
    # challenge up whatever was sent.
    captcha = forms.CharField(
        label="验证码",
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "size": 6, "maxlength": 8}
        ),
    )

    required_css_class = "required"

    def __init__(self, *args, session, max_mb, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.max_mb = max_mb
        self.fields["attachment"].help_text = f"可选。{ALLOWED_TYPES}，不超过 {max_mb} MB。"

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and (not PHONE.match(phone) or sum(c.isdigit() for c in phone) < 5):
            raise ValidationError(
                "联系电话只能包含数字、空格、“-”、“+”和括号（例如 0571-12345678 或 13900001111）。",
                code="phone",
            )
        return phone

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_subject(self):
        return self.cleaned_data["subject"].strip()

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise ValidationError("请填写内容。", code="required")
        return text.rstrip()

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        limit = self.max_mb * 1024 * 1024
        if upload.size > limit:
            raise ValidationError(
                f"附件不能超过 {self.max_mb} MB（所选文件 {filesizeformat(upload.size)}），"
                "请压缩或拆分后重新选择，或不附文件直接提交。",
                code="too_large",
            )
        suffix = attachment_suffix(upload)
        upload.name = stored_name(upload.name, suffix)
        return upload

    def clean_captcha(self):
        try:
            captcha.verify(self.session, self.cleaned_data.get("captcha"))
        except captcha.CaptchaError as error:
            raise ValidationError(str(error), code="captcha") from None
        return ""

    def forget_captcha(self):
        """Show the captcha field empty again: the answer typed was for a used-up challenge."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["captcha"] = ""

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("phone")
            and not cleaned.get("email")
            and not (self.has_error("phone") or self.has_error("email"))
        ):
            self.add_error(
                "phone",
                ValidationError(
                    "请至少填写联系电话或电子邮箱中的一项，以便答复您。", code="contact"
                ),
            )
        return cleaned


# Tracking ------------------------------------------------------------------------------------


def normalise_code(code):
    """ "abcd efgh-ijkl mnop" → "ABCD-EFGH-IJKL-MNOP": the query code however it was typed."""
    letters = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    if len(letters) == 16:
        return "-".join(letters[i : i + 4] for i in range(0, 16, 4))
    return letters


class TrackForm(forms.Form):
    """R-MAIL-5: the writer looks their letter up with its number and secret query code."""

    required_css_class = "required"

    number = text_field(
        "信件编号",
        NUMBER_MAX,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "例如 GT-20261124-0001"}
        ),
    )
    code = text_field(
        "查询码",
        CODE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXX-XXXX-XXXX-XXXX"}),
    )

    def clean_number(self):
        return re.sub(r"\s", "", self.cleaned_data["number"]).upper()

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])


class RatingForm(TrackForm):
    """R-MAIL-7: the writer rates the reply, with the same number and query code as tracking."""

    rating = forms.ChoiceField(
        label="您对答复的评价",
        choices=Letter.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择评价：满意、基本满意或不满意。",
            "invalid_choice": "请选择评价：满意、基本满意或不满意。",
        },
    )
    comment = text_field(
        "评价意见",
        RATING_COMMENT_MAX,
        required=False,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"可选，最多 {RATING_COMMENT_MAX} 字。",
    )

    def clean_comment(self):
        return self.cleaned_data["comment"].strip()
