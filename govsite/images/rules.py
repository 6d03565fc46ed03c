"""第十七条 (R-FMT-2): what a conforming image is, and how one is made from any photo.

    图片为.jpg格式,宽高比为4:3,大小不超过500×375点阵,并要求附文字说明.

The rule lives here and only here: every upload path (the 图片 add and edit views, the upload tab
of the chooser in the page editor, the multiple-upload view) reaches it through
``govsite.images.forms.GovImageForm``. Files are judged by their content, never by their name.

Reading an upload happens in three steps, each cheaper than the next one is dangerous:

1. ``inspect`` reads the header only (no pixel is decoded) and refuses what is not an image of a
   known format or declares more pixels than ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (a
   decompression bomb: a few KiB that would decode to gigabytes);
2. ``nonconformities`` says, in Chinese, which part of the rule the image breaks;
3. ``make_conforming`` (for a refused image) or ``clean_jpeg`` (for an accepted one) decodes it.
"""

import base64
import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image, ImageCms, ImageOps

MAX_WIDTH, MAX_HEIGHT = 500, 375
ASPECT = Fraction(4, 3)
ASPECT_TOLERANCE = 0.01  # ±1 %: 403×300 passes, 405×300 does not
# Only JPEG conforms (MPO is how Pillow names a camera JPEG that carries extra pictures; the
# stored file keeps the first one only). The other formats staff meet — screenshots, the web —
# are read to make a conforming version from them. Nothing else is opened at all: Pillow's
# other plugins (EPS runs Ghostscript, for one) never see an upload.
JPEG_FORMATS = frozenset({"JPEG", "MPO"})
READABLE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")  # Pillow opens an MPO as "JPEG"
FORMAT_NAMES = {"PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
JPEG_QUALITY = 85
FAMILIAR_ASPECTS = [
    shape
    for w, h in [(1, 1), (5, 4), (4, 3), (3, 2), (16, 10), (16, 9), (2, 1), (21, 9)]
    for shape in [(w, h), (h, w)]
]
# Orientation values that turn the stored picture by 90° when it is shown.
QUARTER_TURNS = {5, 6, 7, 8}
# How the 4:3 crop of a conforming version is placed (said to the officer under the preview).
CENTRED, ON_FOCAL_POINT, ON_PORTRAIT_HEAD = "centred", "focal_point", "portrait"
FRAMING_WORDS = {
    CENTRED: "居中裁剪为 4:3",
    ON_FOCAL_POINT: "以图片的焦点为中心裁剪为 4:3",
    ON_PORTRAIT_HEAD: "按人像照片以上部的头部为中心裁剪为 4:3",
}
# A portrait (taller than wide) with no focal point is framed as a 证件照 is taken: the face sits
# in the upper part, its centre about three eighths of the way down. A centred 4:3 crop of a
# 3:4 portrait would keep its middle — chin to chest — and cut through the face.
PORTRAIT_HEAD_HEIGHT = Fraction(3, 8)

NOT_AN_IMAGE = (
    "文件不是可识别的图片（仅接受 JPG 图片；PNG、GIF、WebP 图片可转换为 JPG），请检查后重新上传。"
)
UNREADABLE = "图片文件已损坏或内容不完整，无法读取，请检查后重新上传。"


def max_upload_size():
    return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE


def max_pixels():
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class Inspection:
    """What a file's header says about it; ``width``/``height`` as shown (EXIF orientation
    applied), since that is what a reader sees."""

    format: str
    width: int
    height: int
    turned: bool = False  # shown turned by an EXIF orientation tag, not as stored

    @property
    def problems(self):
        return nonconformities(self)


@dataclass(frozen=True)
class ConformingVersion:
    """A conforming JPEG made from a refused upload, offered to the officer (R-FMT-2)."""

    name: str
    data: bytes
    width: int
    height: int
    framing: str = CENTRED  # how the 4:3 crop was placed (``framing``)

    @property
    def framing_words(self):
        return FRAMING_WORDS.get(self.framing, FRAMING_WORDS[CENTRED])

    @property
    def data_uri(self):
        return "data:image/jpeg;base64," + base64.b64encode(self.data).decode("ascii")

    def as_upload(self):
        return SimpleUploadedFile(self.name, self.data, content_type="image/jpeg")


def too_many_pixels_error():
    limit = max_pixels() // 10_000
    return ValidationError(
        f"图片像素数超过上限（最多 {limit} 万像素），可能是异常或恶意构造的文件，已拒收。",
        code="too_many_pixels",
    )


def check_upload_size(size):
    """Refuse a file larger than ``WAGTAILIMAGES_MAX_UPLOAD_SIZE`` before reading it."""
    limit = max_upload_size()
    if limit is not None and size > limit:
        raise ValidationError(
            f"文件过大（{filesizeformat(size)}），图片文件不得超过 {filesizeformat(limit)}。",
            code="file_too_large",
        )


def _open(file):
    """Open ``file`` with Pillow, header only, refusing decompression bombs: Pillow's error
    (over twice the limit), its warning (an error since ``ImagesConfig.ready``) and, should the
    warning be ignored, the limit checked here."""
    file.seek(0)
    try:
        image = Image.open(file, formats=READABLE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels_error() from None
    except Exception as exc:  # noqa: BLE001 — Pillow raises many kinds for garbage
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
    if width * height > max_pixels():
        raise too_many_pixels_error()
    return image


def _orientation(image):
    try:
        return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:  # noqa: BLE001 — a broken EXIF block is as good as none
        return 1


def inspect(file):
    """Read the header of ``file`` (an open binary file) without decoding any pixel.

    Raises ``ValidationError`` (in Chinese) when the file is not an image of a readable format
    or declares more pixels than allowed."""
    with _open(file) as image:
        width, height = image.size
        orientation = _orientation(image)
        if orientation in QUARTER_TURNS:
            width, height = height, width
        return Inspection(image.format, width, height, turned=orientation != 1)


def describe_aspect(width, height):
    """16:9, 1:1, 约 3:2 or 2.47:1 — the way staff name a picture's shape."""
    ratio = Fraction(width, height)
    if ratio.denominator <= 10 and ratio.numerator <= 25:
        return f"{ratio.numerator}:{ratio.denominator}"
    for w, h in FAMILIAR_ASPECTS:
        if abs(float(ratio / Fraction(w, h)) - 1) <= ASPECT_TOLERANCE:
            return f"约 {w}:{h}"
    return f"{width / height:.2f}:1"


def aspect_conforms(width, height):
    return abs((width / height) / float(ASPECT) - 1) <= ASPECT_TOLERANCE


def nonconformities(inspection):
    """Which parts of 第十七条 an image breaks, one Chinese sentence each (empty: it conforms).
    The caption, the rule's fourth part, is a required field of the image itself."""
    problems = []
    if inspection.format not in JPEG_FORMATS:
        shown = FORMAT_NAMES.get(inspection.format, inspection.format)
        problems.append(f"图片须为 JPG 格式（本文件为 {shown}）")
    width, height = inspection.width, inspection.height
    if not aspect_conforms(width, height):
        problems.append(f"宽高比须为 4:3（本图为 {describe_aspect(width, height)}）")
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        problems.append(f"尺寸不得超过 {MAX_WIDTH}×{MAX_HEIGHT} 像素（本图为 {width}×{height}）")
    if inspection.turned and not problems:
        # Stored sideways or mirrored and righted by an EXIF tag, which the stored copy loses.
        problems.append("图片须按显示方向保存（本图依靠拍摄方向标记旋转显示）")
    return problems


def image_problems(image):
    """``nonconformities`` of an image already stored (one chosen where the rule applies, such
    as an article's 题图), from its recorded size and file type, without reading the file.
    Images uploaded since the rule are conforming; older ones may not be."""
    suffix = PurePath(image.file.name or "").suffix.lower()
    formats = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
    stored_format = formats.get(suffix, suffix.lstrip(".").upper() or "JPEG")
    return nonconformities(Inspection(stored_format, image.width, image.height))


@dataclass(frozen=True)
class Focus:
    """Where the subject of a picture is, in pixels of the picture as shown: Wagtail's focal
    point (``focal_point_x``/``_y`` are its centre, ``_width``/``_height`` its size), which
    staff set in Wagtail's own focal-point editor."""

    x: int
    y: int
    width: int = 0
    height: int = 0

    @classmethod
    def of(cls, x, y, width=None, height=None):
        """The focal point of these four values, ``None`` when it is not set (Wagtail leaves
        all four empty) or not made of whole numbers."""
        try:
            return cls(int(x), int(y), int(width or 0), int(height or 0))
        except (TypeError, ValueError):
            return None

    def within(self, width, height):
        """Whether the centre lies inside a ``width``×``height`` picture."""
        return 0 <= self.x < width and 0 <= self.y < height


def framing(width, height, focus=None):
    """How the 4:3 crop of a ``width``×``height`` picture is placed: on ``focus`` when it is
    given and inside the picture, on the head of a portrait, else centred."""
    if focus is not None and focus.within(width, height):
        return ON_FOCAL_POINT
    if height > width:
        return ON_PORTRAIT_HEAD
    return CENTRED


def _crop_centre(width, height, focus):
    placed = framing(width, height, focus)
    if placed == ON_FOCAL_POINT:
        return Fraction(focus.x), Fraction(focus.y)
    if placed == ON_PORTRAIT_HEAD:
        return Fraction(width, 2), height * PORTRAIT_HEAD_HEIGHT
    return Fraction(width, 2), Fraction(height, 2)


def _scaled(focus, x_scale, y_scale):
    """``focus`` on the picture decoded at a reduced scale (a large JPEG's draft)."""
    return Focus(
        int(focus.x * x_scale),
        int(focus.y * y_scale),
        int(focus.width * x_scale),
        int(focus.height * y_scale),
    )


def _placed(centre, length, total):
    """The start of a ``length`` span centred on ``centre`` as far as ``total`` allows."""
    start = round(centre - Fraction(length, 2))
    return max(0, min(start, total - length))


def conforming_size(width, height, focus=None):
    """The 4:3 crop box of a ``width``×``height`` picture and the size it is scaled to (at most
    500×375, never enlarged); ``None`` for a picture too small to hold 4×3 pixels.

    The box is the largest 4:3 one; it is centred on ``focus`` (Wagtail's focal point) when
    that is given and inside the picture, on the head of a portrait (``PORTRAIT_HEAD_HEIGHT``)
    otherwise, and on the middle of any other picture — each as far as the edges allow."""
    unit = min(width // ASPECT.numerator, height // ASPECT.denominator)
    if unit < 1:
        return None
    crop_w, crop_h = unit * ASPECT.numerator, unit * ASPECT.denominator
    centre_x, centre_y = _crop_centre(width, height, focus)
    left, top = _placed(centre_x, crop_w, width), _placed(centre_y, crop_h, height)
    box = (left, top, left + crop_w, top + crop_h)
    if crop_w > MAX_WIDTH:
        return box, (MAX_WIDTH, MAX_HEIGHT)
    return box, (crop_w, crop_h)


def _to_srgb(image):
    """Convert an RGB/CMYK picture with an embedded colour profile to plain sRGB, so that the
    JPEG without a profile looks the same; left as it is when the profile cannot be used."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _flatten(image):
    """RGB, with any transparency laid on white (as the page behind it)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode_jpeg(image):
    image.info = {}  # Pillow would carry a comment (and more) over from the source
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def jpeg_name(name):
    """The stored name: the original stem with ``.jpg``."""
    stem = PurePath(name or "").stem or "image"
    return f"{stem}.jpg"


def make_conforming(file, name, focus=None):
    """R-FMT-2's one-click version of a refused image: turned upright by its EXIF orientation,
    cropped to 4:3 (``conforming_size``: on ``focus``, Wagtail's focal point in pixels of the
    upright picture, when given; on the head of a portrait; else centred), scaled down to fit
    500×375, RGB JPEG, with no EXIF/GPS, XMP, ICC or comment left. Call only after ``inspect``
    accepted the header.

    Raises ``ValidationError`` when the pixels cannot be decoded or the picture is too small
    to hold a 4:3 image."""
    try:
        with _open(file) as source:
            full_width, full_height = source.size
            if _orientation(source) in QUARTER_TURNS:
                full_width, full_height = full_height, full_width
            if source.format in JPEG_FORMATS:
                # Decode a large photo at 1/2, 1/4 or 1/8 scale straight away: still at least
                # 1000 px each way, plenty for 500×375 and far less memory and time.
                source.draft(None, (2 * MAX_WIDTH, 2 * MAX_WIDTH))
            image = ImageOps.exif_transpose(source)  # decodes; a copy when turned
            image.load()
            image = _flatten(_to_srgb(image))
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 — truncated or forged data fails here
        raise ValidationError(UNREADABLE, code="unreadable") from exc
    if focus is not None and image.size != (full_width, full_height):
        focus = _scaled(focus, image.width / full_width, image.height / full_height)
    plan = conforming_size(*image.size, focus)
    if plan is None:
        raise ValidationError(
            f"图片过小（{image.width}×{image.height}），无法生成符合规范的版本。", code="too_small"
        )
    box, size = plan
    result = image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    placed = framing(*image.size, focus)
    return ConformingVersion(jpeg_name(name), _encode_jpeg(result), *size, framing=placed)


# JPEG segments kept in a stored image: JFIF (APP0), the colour profile (APP2 ICC_PROFILE) and
# Adobe's colour-transform flag (APP14). EXIF with GPS and XMP (APP1), IPTC (APP13), comments,
# MPF and anything after the end of the picture (e.g. an appended ZIP) are dropped.
_EOI, _SOS = 0xD9, 0xDA
_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _kept(marker, payload):
    if marker == 0xE0:
        return payload.startswith(b"JFIF\x00")
    if marker == 0xE2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == 0xEE:
        return payload.startswith(b"Adobe")
    # Other APPn and comments go; tables, frame and scan headers, restart intervals (the picture
    # itself) stay.
    return not (0xE0 <= marker <= 0xEF or marker == 0xFE)


def strip_jpeg_metadata(data):
    """``data`` without metadata segments, byte for byte the same picture (no re-encoding).

    Raises ``ValueError`` when the data is not a well-formed JPEG."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("no SOI")
    out = [data[:2]]
    i, end = 2, len(data)
    in_scan = False
    while i < end:
        if in_scan:
            # Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart
            # marker; anything else is the next marker.
            j = data.find(b"\xff", i)
            while j != -1 and j + 1 < end and (data[j + 1] == 0 or 0xD0 <= data[j + 1] <= 0xD7):
                j = data.find(b"\xff", j + 2)
            if j == -1 or j + 1 >= end:
                raise ValueError("no EOI")
            out.append(data[i:j])
            i, in_scan = j, False
            continue
        if data[i] != 0xFF:
            raise ValueError(f"expected a marker at {i}")
        marker = data[i + 1] if i + 1 < end else None
        if marker is None:
            raise ValueError("truncated marker")
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker in _STANDALONE:
            out.append(data[i : i + 2])
            i += 2
            continue
        if i + 4 > end:
            raise ValueError("truncated segment")
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > end:
            raise ValueError("bad segment length")
        segment = data[i : i + 2 + length]
        if _kept(marker, segment[4:]):
            out.append(segment)
        i += 2 + length
        in_scan = marker == _SOS
    raise ValueError("no EOI")


def _pixels(data):
    with Image.open(io.BytesIO(data), formats=("JPEG",)) as image:
        image.load()
        return image.mode, image.size, image.tobytes()


def clean_jpeg(file, name):
    """The bytes to store for an accepted JPEG: its metadata (GPS above all) removed without
    re-encoding, checked to decode to exactly the same pixels; re-encoded from those pixels
    in the rare case the lossless route fails. Raises ``ValidationError`` when the upload's
    pixels cannot be decoded at all (a forged or truncated file)."""
    file.seek(0)
    data = file.read()
    try:
        original = _pixels(data)
    except Exception as exc:  # noqa: BLE001
        raise ValidationError(UNREADABLE, code="unreadable") from exc
    try:
        stripped = strip_jpeg_metadata(data)
        if _pixels(stripped) != original:
            raise ValueError("pixels differ")
    except Exception:  # noqa: BLE001 — fall back to a clean re-encoding
        mode, size, raw = original
        stripped = _encode_jpeg(_flatten(Image.frombytes(mode, size, raw)))
    return SimpleUploadedFile(jpeg_name(name), stripped, content_type="image/jpeg")
