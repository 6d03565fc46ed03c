"""R-FMT-2 (第十七条) through the real admin views, as a section's officer uses them: refused
with the reasons, then the conforming version accepted in one click — in the 图片 add view,
the chooser's upload tab of the page editor and the multiple-upload page."""

import io
import json
import re

import pytest
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile
from wagtail.permissions import policy_registry

from govsite.images.models import GovImage
from govsite.testing.helpers import login

from .factories import bomb_png, jpeg_bytes, make_image, png_bytes, upload

pytestmark = pytest.mark.django_db

CAPTION = "区政府常务会议现场"


@pytest.fixture
def officer(client, make_user):
    user = make_user("mishu_officer", "秘书科-信息员")
    login(client, user)
    return user


def root_collection_id():
    return Collection.get_first_root_node().pk


def hidden_value(html, name):
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def stored_image(image):
    with image.open_file() as handle:
        data = handle.read()
    picture = Image.open(io.BytesIO(data))
    return picture, data


def assert_conforming(image):
    picture, _ = stored_image(image)
    assert picture.format == "JPEG"
    assert picture.size == (image.width, image.height)
    assert image.width * 3 == image.height * 4 and image.width <= 500
    assert "exif" not in picture.info
    assert image.file.name.endswith(".jpg")


def test_officers_may_upload_and_choose_images(officer):
    """The section groups' collection permissions (govsite/sections/permissions.py) are
    Wagtail's ``add_image``/``choose_image``, which it checks for a custom image model too."""
    policy = policy_registry.get_by_type(get_image_model())
    assert get_image_model() is GovImage
    assert policy.user_has_permission(officer, "add")
    assert policy.user_has_permission(officer, "choose")


def test_add_view_refuses_then_stores_the_accepted_version(client, officer):
    url = reverse("wagtailimages:add")
    fields = {"title": "常务会议", "caption": CAPTION, "collection": root_collection_id()}
    assert client.get(url).status_code == 200

    refused = client.post(url, {**fields, "file": upload(png_bytes(1024, 768), "会场.png")})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "图片须为 JPG 格式（本文件为 PNG）" in html
    assert "尺寸不得超过 500×375 像素（本图为 1024×768）" in html
    assert "采用符合规范的版本" in html
    assert 'src="data:image/jpeg;base64,' in html
    assert not GovImage.objects.exists()

    payload = hidden_value(html, "file-conforming")
    accepted = client.post(url, {**fields, "file-conforming": payload, "file-use-conforming": "1"})
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    image = GovImage.objects.get()
    assert (image.title, image.caption, image.uploaded_by_user) == ("常务会议", CAPTION, officer)
    assert (image.width, image.height) == (500, 375)
    assert image.file.name.endswith(".jpg")  # 会场.jpg, transliterated by Wagtail
    assert_conforming(image)


def test_add_view_stores_a_conforming_jpeg_as_sent(client, officer):
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "外景",
            "caption": CAPTION,
            "collection": root_collection_id(),
            "file": upload(jpeg_bytes(500, 375), "外景.jpg"),
        },
    )
    assert response.status_code == 302
    assert_conforming(GovImage.objects.get())


def test_edit_view_replaces_the_file_only_with_a_conforming_one(client, officer):
    image = make_image(title="外景", uploaded_by_user=officer)
    url = reverse("wagtailimages:edit", args=[image.pk])
    fields = {"title": "外景", "caption": CAPTION, "collection": root_collection_id()}

    refused = client.post(url, {**fields, "file": upload(jpeg_bytes(1600, 900), "新外景.jpg")})
    html = refused.content.decode()
    assert "宽高比须为 4:3（本图为 16:9）" in html
    image.refresh_from_db()
    assert (image.width, image.height) == (400, 300)

    payload = hidden_value(html, "file-conforming")
    accepted = client.post(url, {**fields, "file-conforming": payload, "file-use-conforming": "1"})
    assert accepted.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height, image.caption) == (500, 375, CAPTION)
    assert_conforming(image)


def test_add_view_refuses_a_bomb_without_offering_anything(client, officer):
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "炸弹",
            "caption": CAPTION,
            "collection": root_collection_id(),
            "file": upload(bomb_png(), "bomb.png"),
        },
    )
    html = response.content.decode()
    assert "图片像素数超过上限" in html
    assert "采用符合规范的版本" not in html
    assert not GovImage.objects.exists()


def chooser_fields(**extra):
    prefix = "image-chooser-upload-"
    fields = {"title": "会场", "caption": CAPTION, "collection": root_collection_id(), **extra}
    return {prefix + name: value for name, value in fields.items()}


def test_chooser_upload_refuses_then_chooses_the_accepted_version(client, officer):
    """The upload tab of the image chooser in the page editor (its form is sent by script)."""
    url = reverse("wagtailimages_chooser:create")
    refused = client.post(url, chooser_fields(file=upload(png_bytes(1024, 768), "会场.png")))
    step = json.loads(refused.content)
    assert step["step"] == "reshow_creation_form"
    fragment = step["htmlFragment"]
    assert "图片须为 JPG 格式（本文件为 PNG）" in fragment
    assert "data-govsite-accept-conforming" in fragment
    # The chooser's script refuses to send a form with an empty required input.
    assert not re.search(r'<input type="file"[^>]*required', fragment)

    payload = hidden_value(fragment, "image-chooser-upload-file-conforming")
    chosen = client.post(
        url,
        chooser_fields(**{"file-conforming": payload, "file-use-conforming": "1"}),
    )
    step = json.loads(chosen.content)
    assert step["step"] == "chosen", step
    image = GovImage.objects.get(pk=step["result"]["id"])
    assert image.caption == CAPTION
    assert_conforming(image)


def test_images_of_other_sections_can_be_chosen(client, officer, make_user):
    make_image(title="综合科的图片", uploaded_by_user=make_user("zonghe_officer", "综合科-信息员"))
    response = client.get(reverse("wagtailimages_chooser:choose"))
    assert "综合科的图片" in json.loads(response.content)["html"]


def test_multiple_upload_offers_the_conforming_version_as_a_pending_upload(client, officer):
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"title": "会场", "files[]": upload(png_bytes(1024, 768), "会场.png")},
    )
    data = json.loads(response.content)
    assert data["success"] and "uploaded_file_id" in data
    assert "原图不符合第十七条，未保存" in data["form"]
    assert "图片须为 JPG 格式（本文件为 PNG）" in data["form"]
    assert 'src="data:image/jpeg;base64,' in data["form"]
    assert not GovImage.objects.exists()

    upload_id = data["uploaded_file_id"]
    prefix = f"uploaded-image-{upload_id}-"
    saved = client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=[upload_id]),
        {
            prefix + "title": "会场",
            prefix + "caption": CAPTION,
            prefix + "collection": root_collection_id(),
        },
    )
    assert json.loads(saved.content)["success"], saved.content
    image = GovImage.objects.get()
    assert image.caption == CAPTION
    assert_conforming(image)
    assert not UploadedFile.objects.exists()


def test_multiple_upload_refuses_what_cannot_be_made_conforming(client, officer):
    for data, name, reason in [
        (bomb_png(), "bomb.png", "图片像素数超过上限"),
        ("会议纪要".encode(), "纪要.jpg", "文件不是可识别的图片"),
    ]:
        response = client.post(
            reverse("wagtailimages:add_multiple"), {"files[]": upload(data, name)}
        )
        result = json.loads(response.content)
        assert not result["success"]
        assert reason in result["error_message"]
    assert not UploadedFile.objects.exists()


def test_multiple_upload_asks_for_the_caption_of_a_conforming_jpeg(client, officer):
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"title": "外景", "files[]": upload(jpeg_bytes(400, 300), "外景.jpg")},
    )
    data = json.loads(response.content)
    assert data["success"] and "uploaded_file_id" in data
    assert "原图不符合" not in data["form"]
    assert "文字说明" in data["form"]
