"""第十七条's conforming version of a portrait (issue 16 item 5): the 4:3 crop is centred on the
face — on Wagtail's focal point when the form sends one, else on the head of a 证件照-style
portrait — not on the middle of the picture, which would cut through the face.

The pictures are generated: a grey background, a dark body below and a pure red square as the
"face"; where the red lands in the result proves where the crop was placed."""

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from govsite.images import rules
from govsite.images.models import GovImage
from govsite.testing.helpers import login

from .factories import encode, opened, upload

RED = (255, 0, 0)


def portrait(width, height, face_centre, face_size):
    """A 证件照-like picture with a red square face centred on ``face_centre``."""
    image = Image.new("RGB", (width, height), (200, 200, 200))
    draw = ImageDraw.Draw(image)
    x, y = face_centre
    draw.rectangle((0, y + face_size, width, height), fill=(30, 30, 60))  # shoulders and body
    half = face_size // 2
    draw.rectangle((x - half, y - half, x + half, y + half), fill=RED)
    return image


def red_centre(data):
    """The centre of the red pixels of a JPEG, as fractions of its width and height."""
    image = opened(data).convert("RGB")
    xs, ys = [], []
    for y in range(0, image.height, 2):
        for x in range(0, image.width, 2):
            r, g, b = image.getpixel((x, y))
            if r > 200 and g < 60 and b < 60:
                xs.append(x)
                ys.append(y)
    assert xs, "the face is not in the crop at all"
    return (sum(xs) / len(xs)) / image.width, (sum(ys) / len(ys)) / image.height


# The rule ---------------------------------------------------------------------------------


def test_a_landscape_picture_without_a_focal_point_is_still_centred():
    assert rules.conforming_size(1600, 900) == ((200, 0, 1400, 900), (500, 375))
    assert rules.framing(1600, 900) == rules.CENTRED


def test_a_portrait_without_a_focal_point_is_cropped_around_its_upper_part():
    # 360×480 (3:4): the largest 4:3 box is 360×270; its centre is 3/8 of the way down (180),
    # so it starts at 45 — a centred crop would start at 105 and cut the head at the forehead.
    box, size = rules.conforming_size(360, 480)
    assert box == (0, 45, 360, 315) and size == (360, 270)
    assert rules.framing(360, 480) == rules.ON_PORTRAIT_HEAD


def test_the_crop_follows_the_focal_point_as_far_as_the_edges_allow():
    focus = rules.Focus(x=300, y=500, width=100, height=100)
    assert rules.conforming_size(400, 800, focus) == ((0, 350, 400, 650), (400, 300))
    # Near the bottom edge the box stops at the edge instead of leaving the picture.
    low = rules.Focus(x=200, y=790)
    assert rules.conforming_size(400, 800, low)[0] == (0, 500, 400, 800)
    # A landscape picture moves sideways to its focal point.
    assert rules.conforming_size(1600, 900, rules.Focus(x=1500, y=450))[0] == (400, 0, 1600, 900)


def test_a_focal_point_outside_the_picture_is_ignored():
    stray = rules.Focus(x=5000, y=10)
    assert rules.framing(360, 480, stray) == rules.ON_PORTRAIT_HEAD
    assert rules.conforming_size(360, 480, stray) == rules.conforming_size(360, 480)


def test_an_unset_focal_point_is_none():
    assert rules.Focus.of(None, None, None, None) is None
    assert rules.Focus.of("", "", "", "") is None
    assert rules.Focus.of("120", "80", "40", "40") == rules.Focus(120, 80, 40, 40)


@pytest.mark.parametrize(
    ("size", "face"),
    [((360, 480), (180, 170)), ((413, 579), (206, 200)), ((600, 900), (300, 320))],
)
def test_the_face_of_a_portrait_is_kept_whole_near_the_middle(size, face):
    """Generated 证件照 (3:4, the one-inch 413×579, 2:3) with the head in the upper part: the
    whole face is in the conforming version, and near its middle."""
    width, height = size
    data = encode(portrait(width, height, face, face_size=width // 4), "PNG")
    version = rules.make_conforming(io.BytesIO(data), "证件照.png")
    assert version.framing == rules.ON_PORTRAIT_HEAD
    assert version.width * 3 == version.height * 4
    x, y = red_centre(version.data)
    assert abs(x - 0.5) < 0.05
    assert 0.3 < y < 0.7, y
    # In the centred crop of the same picture the face would sit far higher, near the edge.
    crop_height = width * 3 // 4
    centred_top = (height - crop_height) // 2
    assert abs((face[1] - centred_top) / crop_height - 0.5) > abs(y - 0.5) + 0.1


def test_a_face_low_in_the_picture_is_found_by_the_focal_point():
    """A portrait whose face is low (a standing figure): the head default would miss it, the
    focal point set in Wagtail's editor does not — on a large JPEG decoded at a reduced scale."""
    image = portrait(1500, 3000, face_centre=(1000, 2300), face_size=300)
    data = encode(image, "JPEG", quality=90)
    default = rules.make_conforming(io.BytesIO(data), "全身照.jpg")
    with pytest.raises(AssertionError):
        red_centre(default.data)
    focus = rules.Focus(x=1000, y=2300, width=300, height=300)
    version = rules.make_conforming(io.BytesIO(data), "全身照.jpg", focus)
    assert version.framing == rules.ON_FOCAL_POINT
    assert (version.width, version.height) == (500, 375)
    x, y = red_centre(version.data)
    # The crop is as wide as the picture, so only its height moves: the face is level with
    # the middle, at two thirds of the width as in the original.
    assert abs(x - 1000 / 1500) < 0.05 and abs(y - 0.5) < 0.05


# The form ------------------------------------------------------------------------------------


def image_form(data, name, **extra):
    ImageForm = get_image_form(get_image_model())
    fields = {"title": "照片", "caption": "陈志远同志", **extra}
    return ImageForm(fields, {"file": upload(data, name)})


@pytest.mark.django_db
def test_the_form_crops_on_the_focal_point_sent_with_it():
    data = encode(portrait(400, 800, face_centre=(300, 650), face_size=80), "PNG")
    form = image_form(
        data,
        "照片.png",
        focal_point_x="300",
        focal_point_y="650",
        focal_point_width="80",
        focal_point_height="80",
    )
    assert not form.is_valid()
    assert form.offer.framing == rules.ON_FOCAL_POINT
    x, y = red_centre(form.offer.data)
    assert abs(x - 0.75) < 0.05 and abs(y - 0.5) < 0.05
    # Without one, the head default: the low face is not where the crop is.
    plain = image_form(data, "照片.png")
    assert not plain.is_valid()
    assert plain.offer.framing == rules.ON_PORTRAIT_HEAD


@pytest.mark.django_db
def test_the_officer_is_told_how_the_portrait_was_cropped_and_the_version_is_stored(
    client, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    login(client, make_user("zonghe_officer_x", "综合科-信息员"))
    url = reverse("wagtailimages:add")
    fields = {
        "title": "陈志远",
        "caption": "陈志远同志",
        "collection": Collection.get_first_root_node().pk,
    }
    photo = encode(portrait(360, 480, face_centre=(180, 170), face_size=90), "JPEG")
    refused = client.post(url, {**fields, "file": upload(photo, "陈志远.jpg")})
    html = refused.content.decode()
    assert "宽高比须为 4:3（本图为 3:4）" in html
    assert "按人像照片以上部的头部为中心裁剪为 4:3" in html
    payload = html.split('name="file-conforming" value="', 1)[1].split('"', 1)[0]
    accepted = client.post(url, {**fields, "file-conforming": payload, "file-use-conforming": "1"})
    assert accepted.status_code == 302
    image = GovImage.objects.get()
    assert (image.width, image.height) == (360, 270)
    with image.open_file() as handle:
        x, y = red_centre(handle.read())
    assert abs(x - 0.5) < 0.05 and 0.3 < y < 0.7
