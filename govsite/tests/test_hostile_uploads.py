"""Hostile uploads (R-SEC-5) through the real upload views — the admin's 文档 and 图片 add views
and 沟通信箱's letter form — with multipart bodies written by hand, so that the file names
reach the server exactly as an attacker sends them (Django's test client would tidy them).

* Path-traversal names (``../../etc/passwd.pdf``, Windows paths, NUL bytes, RFC 2231
  ``filename*``, absolute paths, 300 characters) end up as a plain name inside the storage's
  own folder; nothing is written anywhere else.
* Polyglots and bombs: a GIF that is also a script, an HTML page named .jpg, an SVG with
  ``onload``, a PNG that declares 30000×30000 pixels are refused with a Chinese message. A real
  JPEG that carries HTML in a comment and after its end is a picture: it is accepted and stored
  without the HTML (govsite/images/rules.py ``clean_jpeg``), and served as an image.
* Documents are judged by their extension (``WAGTAILDOCS_EXTENSIONS``) and size; a refusal
  names the rule and the fix. Whatever a document holds, it is served as what its extension
  says, ``nosniff``, under ``default-src 'none'``: an HTML page named .pdf cannot run.

The finer rules of images (第十七条) and of letters' attachments are the images' and the
mailbox's own tests (govsite/images/tests, govsite/mailbox/tests/test_public.py).
"""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Collection

from govsite.images.models import GovImage
from govsite.images.tests.factories import gif_js_polyglot, jpeg_bytes
from govsite.mailbox import captcha
from govsite.mailbox.models import Letter
from govsite.mailbox.tests.factories import letter_form, mailbox_url

pytestmark = pytest.mark.django_db
Document = get_document_model()

TRAVERSALS = [
    b"../../etc/passwd",
    b"..\\..\\Windows\\System32\\drivers\\etc\\hosts",
    b"/etc/cron.d/evil",
    b"C:\\Windows\\win",
    b"....//....//etc/evil",
    b"%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    b"evil\x00.html\x00",
    b"..",
    b"a" * 300,
    "../../会议纪要".encode(),
]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Every storage inside ``tmp_path``; ``outside`` is where an escape would land."""
    settings.MEDIA_ROOT = tmp_path / "root" / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "root" / "private"
    return tmp_path


def files_under(path):
    return sorted(p for p in Path(path).rglob("*") if p.is_file())


def assert_plain_name(stored_name, folder):
    """The stored name is a plain file name directly in ``folder``."""
    path = Path(stored_name)
    assert path.parent == Path(folder), stored_name
    assert path.name not in ("", ".", "..") and ".." not in path.parts, stored_name
    assert not {"/", "\\", "\x00", ":"} & set(path.name), stored_name


def assert_inside(stored_name, folder, tmp_path):
    """A plain name in ``folder`` of MEDIA_ROOT, and nothing written outside the storages."""
    assert_plain_name(stored_name, folder)
    written = files_under(tmp_path)
    assert written and all(str(p).startswith(str(tmp_path / "root")) for p in written), written


def multipart(fields, file_field, filename, data, filename_star=None):
    """A multipart/form-data body as a browser (or an attacker) sends it."""
    boundary = b"----govsiteHostileBoundary7MA4YWxk"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(b"--" + boundary + b"\r\n")
        out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    out.write(b"--" + boundary + b"\r\n")
    disposition = b'Content-Disposition: form-data; name="' + file_field.encode() + b'"'
    disposition += b'; filename="' + filename + b'"'
    if filename_star is not None:
        disposition += b"; filename*=" + filename_star
    out.write(disposition + b"\r\nContent-Type: application/octet-stream\r\n\r\n")
    out.write(data + b"\r\n--" + boundary + b"--\r\n")
    return out.getvalue(), "multipart/form-data; boundary=" + boundary.decode()


def post_file(client, url, fields, file_field, filename, data, **kwargs):
    body, content_type = multipart(fields, file_field, filename, data, **kwargs)
    return client.post(url, body, content_type=content_type)


@pytest.fixture
def officer(client, make_user):
    user = make_user("mishu_officer", "秘书科-信息员")
    client.force_login(user)
    return user


def root():
    return Collection.get_first_root_node().pk


def upload_document(client, filename, data, **kwargs):
    fields = {"title": "上传的文件", "collection": root()}
    return post_file(client, reverse("wagtaildocs:add"), fields, "file", filename, data, **kwargs)


def upload_image(client, filename, data):
    fields = {"title": "上传的图片", "caption": "区政府办公室外景", "collection": root()}
    return post_file(client, reverse("wagtailimages:add"), fields, "file", filename, data)


# Path traversal ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TRAVERSALS, ids=repr)
def test_document_names_cannot_leave_the_documents_folder(client, officer, storage, name):
    response = upload_document(client, name + b".pdf", PDF)
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert_inside(document.file.name, "documents", storage)
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


def test_an_rfc2231_file_name_cannot_leave_the_documents_folder(client, officer, storage):
    response = upload_document(
        client, b"safe.pdf", PDF, filename_star=b"UTF-8''..%2F..%2F..%2Fetc%2Fpasswd.pdf"
    )
    assert response.status_code == 302
    assert_inside(Document.objects.get().file.name, "documents", storage)


@pytest.mark.parametrize("name", TRAVERSALS, ids=repr)
def test_image_names_cannot_leave_the_images_folder(client, officer, storage, name):
    response = upload_image(client, name + b".jpg", jpeg_bytes(400, 300))
    assert response.status_code == 302, response.content.decode()[:3000]
    image = GovImage.objects.get()
    assert_inside(image.file.name, "original_images", storage)
    assert image.file.name.endswith(".jpg")


def send_letter(client, filename, data):
    client.get(mailbox_url("write"))
    fields = letter_form(text="路灯坏了，附照片。", captcha=captcha.answer_for(client.session))
    return post_file(client, mailbox_url("write"), fields, "attachment", filename, data)


@pytest.mark.parametrize("name", TRAVERSALS, ids=repr)
def test_attachment_names_cannot_leave_the_letters_folder(client, site_tree, storage, name):
    response = send_letter(client, name + b".pdf", PDF)
    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = Letter.objects.get().attachment
    folder = Path(attachment.name).parent
    assert folder.parts[0] == "letters" and attachment.name.endswith(".pdf")
    assert_plain_name(attachment.name, folder)
    location = Path(attachment.storage.location).resolve()
    assert Path(attachment.path).resolve().parent == location / folder
    assert not files_under(storage)  # the private storage only: nothing under MEDIA_ROOT


# Polyglots and bombs --------------------------------------------------------------------------


def _chunk(kind, payload):
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def declared_png(width, height):
    """A PNG of under 100 bytes whose header declares ``width``×``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def jpeg_html_polyglot():
    """A real 400×300 JPEG carrying an HTML page in a comment and after its end."""
    picture = Image.new("RGB", (400, 300), "red")
    out = io.BytesIO()
    picture.save(out, "JPEG", comment=HTML)
    return out.getvalue() + HTML


BOMB = declared_png(30_000, 30_000)
HOSTILE_IMAGES = [
    ("gif-js-polyglot", b"photo.gif", gif_js_polyglot(), "文件不是可识别的图片"),
    ("html-named-jpg", b"photo.jpg", HTML, "文件不是可识别的图片"),
    ("svg-named-jpg", b"photo.jpg", SVG, "文件不是可识别的图片"),
    ("bomb-30000x30000", b"map.png", BOMB, "图片像素数超过上限（最多 4000 万像素）"),
]


def test_the_bomb_is_small_and_declares_900_megapixels():
    assert len(BOMB) < 100
    assert struct.unpack(">II", BOMB[16:24]) == (30_000, 30_000)
    with pytest.raises(Image.DecompressionBombError):  # Pillow refuses it from the header
        Image.open(io.BytesIO(BOMB))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [case[1:] for case in HOSTILE_IMAGES],
    ids=[case[0] for case in HOSTILE_IMAGES],
)
def test_hostile_images_are_refused_in_chinese(client, officer, storage, name, data, message):
    response = upload_image(client, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "采用符合规范的版本" not in response.content.decode()  # nothing is made from them
    assert not GovImage.objects.exists() and not files_under(storage / "root")


def test_a_jpeg_carrying_html_is_stored_as_a_picture_only(client, officer, storage):
    data = jpeg_html_polyglot()
    assert b"<script>" in data and Image.open(io.BytesIO(data)).size == (400, 300)
    assert upload_image(client, b"photo.jpg", data).status_code == 302
    with GovImage.objects.get().open_file() as handle:
        kept = handle.read()
    assert b"<script" not in kept and b"<html" not in kept.lower()
    assert kept.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(kept)).size == (400, 300)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (b"photo.jpg", gif_js_polyglot(), "附件只能是"),
        (b"photo.jpg", HTML, "附件只能是"),
        (b"drawing.txt", SVG, "附件只能是"),
        (b"map.png", BOMB, "图片像素数超过上限"),
    ],
    ids=["gif-js-polyglot", "html-named-jpg", "svg-named-txt", "bomb-30000x30000"],
)
def test_hostile_attachments_are_refused_in_chinese(
    client, site_tree, storage, name, data, message
):
    response = send_letter(client, name, data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "路灯坏了，附照片。" in html  # the letter itself is kept
    assert not Letter.objects.exists() and not files_under(storage / "root")


# Documents: the allow-list, the size limit, and how they are served --------------------------


@pytest.mark.parametrize(
    "name", [b"page.html", b"page.htm", b"drawing.svg", b"setup.exe", b"run.js", b"a.php", b"x"]
)
def test_document_types_outside_the_allow_list_are_refused_with_the_fix(
    client, officer, storage, name
):
    response = upload_document(client, name, HTML)
    html = response.content.decode()
    assert response.status_code == 200
    assert "不允许上传" in html and "允许的类型：pdf、doc、docx" in html and "另存为" in html
    assert html.count("不允许上传") == 1  # one reason, not Wagtail's second "extension" one
    assert not Document.objects.exists() and not files_under(storage / "root")


def test_an_oversized_document_is_refused_with_the_limit_and_the_fix(
    client, officer, storage, settings
):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024 * 1024
    response = upload_document(client, b"big.pdf", PDF + b"0" * (1024 * 1024))
    html = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 200
    assert "文件过大（1.0 MB），文档不得超过 1.0 MB。请压缩或拆分后重新上传" in html
    assert "不允许上传" not in html  # one reason only
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "disposition", "content_type"),
    [
        (b"notice.pdf", "inline", "application/pdf"),
        (b"page-named.pdf", "inline", "application/pdf"),
        (b"minutes.txt", "attachment", "text/plain"),
        (b"minutes.docx", "attachment", "application/vnd.openxmlformats"),
        (b"data.xlsx", "attachment", "application/vnd.openxmlformats"),
        (b"files.zip", "attachment", "application/zip"),
        (b"scan.ofd", "attachment", "application/octet-stream"),
    ],
)
def test_documents_are_served_as_their_extension_says_never_sniffed(
    client, officer, storage, name, disposition, content_type
):
    """Whatever is inside (here an HTML page), the browser is told what the extension says and
    not to guess; nothing in it may run (``default-src 'none'``)."""
    assert upload_document(client, name, HTML).status_code == 302
    document = Document.objects.get()
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
