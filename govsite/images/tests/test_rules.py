"""第十七条 (R-FMT-2) on the upload form: JPG, 4:3 within 1 %, at most 500×375, a caption; a
refusal says why in Chinese and offers a conforming version; bombs and non-images are refused
before any pixel is decoded."""

import io
import warnings

import pytest
from django.apps import apps
from PIL import ExifTags, Image, ImageFile
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from govsite.images import rules
from govsite.images.forms import ACCEPT_SUFFIX, OFFER_EXPIRED, OFFER_SUFFIX, GovImageForm

from .factories import (
    bomb_png,
    encode,
    exif,
    gif_js_polyglot,
    jpeg_bytes,
    opened,
    picture,
    png_bytes,
    upload,
    zip_bytes,
)

pytestmark = [
    pytest.mark.django_db,
    # As in production (``ImagesConfig.ready``); pytest resets the filters set at start-up.
    pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning"),
]


def image_form(data, name="照片.jpg", caption="区政府办公室外景", extra=None, files=None):
    ImageForm = get_image_form(get_image_model())
    fields = {"title": "照片", "caption": caption, **(extra or {})}
    if files is None:
        files = {"file": upload(data, name)} if data is not None else {}
    return ImageForm(fields, files)


def file_errors(form):
    assert not form.is_valid()
    return form.errors.get("file", [])


def stored(form):
    """The bytes the form would store."""
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["file"]
    cleaned.seek(0)
    return cleaned.read()


def test_the_configured_form_is_ours():
    assert issubclass(get_image_form(get_image_model()), GovImageForm)


# The rule ------------------------------------------------------------------------------------


def test_png_is_refused_with_its_format_and_offered_as_jpeg():
    form = image_form(png_bytes(400, 300), "截图.png")
    assert file_errors(form) == ["图片须为 JPG 格式（本文件为 PNG）"]
    assert form.offer is not None
    assert form.offer.name == "截图.jpg"


def test_png_named_jpg_is_judged_by_its_content():
    form = image_form(png_bytes(400, 300), "伪装.jpg")
    assert file_errors(form) == ["图片须为 JPG 格式（本文件为 PNG）"]


def test_wrong_aspect_is_refused():
    form = image_form(jpeg_bytes(480, 270))
    assert file_errors(form) == ["宽高比须为 4:3（本图为 16:9）"]
    assert form.offer is not None


def test_too_large_is_refused():
    form = image_form(jpeg_bytes(1024, 768))
    assert file_errors(form) == ["尺寸不得超过 500×375 像素（本图为 1024×768）"]
    assert (form.offer.width, form.offer.height) == (500, 375)


def test_every_reason_is_given_at_once():
    form = image_form(png_bytes(1920, 1080), "横幅.png")
    assert file_errors(form) == [
        "图片须为 JPG 格式（本文件为 PNG）",
        "宽高比须为 4:3（本图为 16:9）",
        "尺寸不得超过 500×375 像素（本图为 1920×1080）",
    ]


@pytest.mark.parametrize("size", [(500, 375), (400, 300), (160, 120), (4, 3)])
def test_conforming_jpeg_is_accepted(size):
    form = image_form(jpeg_bytes(*size))
    assert form.is_valid(), form.errors
    assert opened(stored(form)).size == size
    assert form.cleaned_data["file"].name == "照片.jpg"


@pytest.mark.parametrize("size", [(403, 300), (400, 302), (500, 372), (497, 375)])
def test_aspect_within_one_percent_is_accepted(size):
    assert image_form(jpeg_bytes(*size)).is_valid()


@pytest.mark.parametrize(
    ("size", "shown"), [((405, 300), "1.35:1"), ((400, 304), "1.32:1"), ((360, 360), "1:1")]
)
def test_aspect_just_outside_one_percent_is_refused(size, shown):
    assert file_errors(image_form(jpeg_bytes(*size))) == [f"宽高比须为 4:3（本图为 {shown}）"]


def test_501_pixels_wide_is_refused():
    assert file_errors(image_form(jpeg_bytes(501, 376))) == [
        "尺寸不得超过 500×375 像素（本图为 501×376）"
    ]


def test_caption_is_required():
    form = image_form(jpeg_bytes(400, 300), caption="")
    assert not form.is_valid()
    assert "caption" in form.errors
    assert "file" not in form.errors


def test_a_jpeg_shown_turned_by_its_exif_tag_is_judged_as_shown():
    # Stored 375×500 with "rotate 90°" (6): shown 500×375, but the stored copy would lose the tag.
    form = image_form(jpeg_bytes(375, 500, exif=exif(orientation=6)))
    assert file_errors(form) == ["图片须按显示方向保存（本图依靠拍摄方向标记旋转显示）"]
    assert (form.offer.width, form.offer.height) == (500, 375)
    # Stored 500×375 with the same tag: shown 375×500, upright 3:4.
    form = image_form(jpeg_bytes(300, 225, exif=exif(orientation=6)))
    assert file_errors(form) == ["宽高比须为 4:3（本图为 3:4）"]


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((1920, 1080), "16:9"),
        ((300, 300), "1:1"),
        ((640, 427), "约 3:2"),
        ((1000, 405), "2.47:1"),
        ((1000, 429), "约 21:9"),
    ],
)
def test_aspects_are_named_the_way_staff_name_them(size, shown):
    assert rules.describe_aspect(*size) == shown


# Refused before decoding -------------------------------------------------------------------------


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel is decoded."""

    def load(self):
        raise AssertionError("pixel data decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


def test_decompression_bomb_is_refused_from_its_header(no_decoding):
    bomb = bomb_png(10_000, 10_000)
    assert len(bomb) < 16 * 1024
    form = image_form(bomb, "bomb.png")
    assert file_errors(form) == [
        "图片像素数超过上限（最多 4000 万像素），可能是异常或恶意构造的文件，已拒收。"
    ]
    assert form.offer is None


@pytest.mark.parametrize("warning", ["error", "ignore"])
def test_just_over_the_pixel_limit_is_refused_too(no_decoding, warning):
    # 6400×6400 = 41 MP: over the limit but under twice it, where Pillow only warns; refused
    # even where that warning is ignored.
    with warnings.catch_warnings():
        warnings.simplefilter(warning, Image.DecompressionBombWarning)
        form = image_form(bomb_png(6_400, 6_400), "big.png")
        assert file_errors(form)[0].startswith("图片像素数超过上限")
    assert form.offer is None


def test_pillow_refuses_bombs_everywhere_not_only_at_upload():
    # Renditions too: Pillow's limit is the site's, and its warning is an error. (pytest undoes
    # the warning filter that ``ready`` set while Django started, hence ``ready`` again here.)
    with warnings.catch_warnings():
        apps.get_app_config("images").ready()
        assert Image.MAX_IMAGE_PIXELS == 40_000_000
        with pytest.raises(Image.DecompressionBombWarning):
            Image.open(io.BytesIO(bomb_png(6_400, 6_400)))


def test_oversized_file_is_refused_before_it_is_read(settings, no_decoding):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    form = image_form(b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024))
    errors = [e.replace("\xa0", " ") for e in file_errors(form)]
    assert errors == ["文件过大（11.0 MB），图片文件不得超过 10.0 MB。"]
    assert form.offer is None


@pytest.mark.parametrize(
    "data",
    [
        "会议纪要：本文件不是图片。".encode(),
        gif_js_polyglot(),
        b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 400 300\n",
    ],
    ids=["text", "gif-js-polyglot", "jpeg-html-polyglot", "eps"],
)
def test_what_is_not_an_image_is_refused(data):
    form = image_form(data, "伪装.jpg")
    errors = file_errors(form)
    assert errors
    assert all(
        e.startswith("文件不是可识别的图片") or e.startswith("图片文件已损坏") for e in errors
    ), errors
    assert form.offer is None


def test_a_truncated_jpeg_is_refused():
    data = jpeg_bytes(400, 300)
    form = image_form(data[: len(data) // 2])
    assert file_errors(form) == [rules.UNREADABLE]


# What is stored --------------------------------------------------------------------------------


def test_an_accepted_jpeg_loses_its_gps_but_not_a_pixel():
    original = jpeg_bytes(400, 300, exif=exif(gps=True), comment=b"secret")
    kept = stored(image_form(original))
    assert "exif" in opened(original).info
    assert "exif" not in opened(kept).info and "comment" not in opened(kept).info
    assert opened(kept).tobytes() == opened(original).tobytes()


def test_anything_after_the_picture_is_dropped():
    kept = stored(image_form(jpeg_bytes(400, 300) + zip_bytes()))
    assert b"PK\x03\x04" not in kept
    assert kept.endswith(b"\xff\xd9")


def test_a_progressive_jpeg_is_stripped_losslessly():
    original = encode(picture(400, 300), "JPEG", progressive=True, exif=exif(gps=True))
    kept = stored(image_form(original))
    assert "exif" not in opened(kept).info
    assert opened(kept).tobytes() == opened(original).tobytes()


# The conforming version ------------------------------------------------------------------------


def test_conforming_version_is_a_clean_4_3_jpeg_of_at_most_500_375():
    # A phone photo: 1600×1200 stored, shown 1200×1600 (EXIF "rotate 90°"), with GPS.
    raw = picture(1600, 1200)  # red on top, blue below, a green band on the left
    photo = encode(raw, "JPEG", quality=90, exif=exif(orientation=6, gps=True), comment=b"x")
    form = image_form(photo, "IMG_0001.JPG")
    assert file_errors(form) == [
        "宽高比须为 4:3（本图为 3:4）",
        "尺寸不得超过 500×375 像素（本图为 1200×1600）",
    ]
    version = form.offer
    result = opened(version.data)
    assert result.format == "JPEG" and result.mode == "RGB"
    assert result.size == (version.width, version.height) == (500, 375)
    assert not result.getexif()
    assert not result.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(result.info)
    # Turned upright before cropping: the stored top (red) is on the right as shown.
    assert result.getpixel((450, 187))[0] > 200  # red
    assert result.getpixel((50, 187))[2] > 200  # blue
    assert version.name == "IMG_0001.jpg"
    assert version.data_uri.startswith("data:image/jpeg;base64,/9j/")


def test_conforming_version_of_a_transparent_png_is_on_white():
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    form = image_form(encode(image, "PNG"), "logo.png")
    assert not form.is_valid()
    assert opened(form.offer.data).getpixel((10, 10)) >= (250, 250, 250)


def test_conforming_version_of_a_small_image_is_not_enlarged():
    form = image_form(png_bytes(330, 120), "小图.png")
    assert not form.is_valid()
    assert (form.offer.width, form.offer.height) == (160, 120)


def test_a_picture_too_small_for_4_3_gets_no_conforming_version():
    form = image_form(png_bytes(2, 40), "细线.png")
    errors = file_errors(form)
    assert errors[-1] == "图片过小（2×40），无法生成符合规范的版本。"
    assert form.offer is None


# Accepting it ---------------------------------------------------------------------------------


def refused_then(form, accept=True):
    """The data of the form sent again after ``form``'s refusal, with the offered version."""
    assert not form.is_valid()
    html = form["file"].as_widget()
    payload = html.split(f'name="file{OFFER_SUFFIX}" value="', 1)[1].split('"', 1)[0]
    return {f"file{OFFER_SUFFIX}": payload, f"file{ACCEPT_SUFFIX}": "1" if accept else ""}


def test_accepting_the_conforming_version_stores_it():
    first = image_form(png_bytes(1024, 768), "会场.png")
    again = image_form(None, extra=refused_then(first))
    assert again.is_valid(), again.errors
    upload = again.cleaned_data["file"]
    assert upload.name == "会场.jpg"
    upload.seek(0)
    assert opened(upload.read()).size == (500, 375)


def test_the_offer_stays_until_accepted():
    first = image_form(png_bytes(1024, 768), "会场.png")
    again = image_form(None, extra=refused_then(first, accept=False))
    assert file_errors(again) == [
        "请点击「采用符合规范的版本」，或重新选择一个符合规范的图片文件。"
    ]
    assert again.offer is not None
    assert "采用符合规范的版本" in again["file"].as_widget()
    assert "required" not in again["file"].as_widget()


def test_accepted_but_caption_missing_keeps_the_accepted_version():
    first = image_form(png_bytes(1024, 768), "会场.png", caption="")
    again = image_form(None, caption="", extra=refused_then(first))
    assert not again.is_valid()
    assert list(again.errors) == ["caption"]
    assert "已采用此版本" in again["file"].as_widget()
    assert f'name="file{ACCEPT_SUFFIX}" value="1"' in again["file"].as_widget()


def test_a_new_file_wins_over_the_offer():
    first = image_form(png_bytes(1024, 768), "会场.png")
    again = image_form(
        None,
        extra=refused_then(first),
        files={"file": upload(jpeg_bytes(400, 300), "新图.jpg")},
    )
    assert again.is_valid()
    assert again.cleaned_data["file"].name == "新图.jpg"


def test_an_altered_offer_is_not_taken():
    first = image_form(png_bytes(1024, 768), "会场.png")
    data = refused_then(first)
    data[f"file{OFFER_SUFFIX}"] = data[f"file{OFFER_SUFFIX}"].replace("a", "b", 1)
    again = image_form(None, extra=data)
    assert file_errors(again) == [OFFER_EXPIRED]
