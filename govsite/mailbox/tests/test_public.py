"""沟通信箱 on the public site (第十一条; R-MAIL-1, R-MAIL-5, R-SEC-5), tried the way visitors —
and people who are not visitors — use it: every form field with script tags, over-long and
hostile input, files that lie about their type, captchas missing, wrong or replayed, one
source writing too often, guesses at query codes, and letters sent all at once.
"""

import calendar
import io
import re
import threading
import zipfile
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import Client
from django.utils import timezone
from PIL import Image

from govsite import clients
from govsite.columns.bootstrap import bootstrap_site
from govsite.columns.models import LIST_PAGE_SIZE, SubColumnPage
from govsite.testing.helpers import add_article

from .. import captcha, cases
from ..models import Letter, MailboxSettings
from ..pages import ACCEPTED_KEY, MailboxPage, month_after, month_before
from .factories import at, letter_form, route, send, stored, track

Status = Letter.Status
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def mailbox_settings(**values):
    settings = MailboxSettings.load()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def accepted(client, mailbox, response):
    """Follow the redirect to done/: (number, code) as shown on the page."""
    assert response.status_code == 302, errors(response)
    assert response["Location"] == route(mailbox, "done")
    html = client.get(response["Location"]).content.decode()
    number = re.search(r"<code data-tracking-number>([^<]+)</code>", html).group(1)
    code = re.search(r"<code data-query-code>([^<]+)</code>", html).group(1)
    return number, code


def errors(response):
    html = response.content.decode()
    return re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html, re.S) + re.findall(
        r'<div class="error-summary".*?</div>', html, re.S
    )


# The page in the tree ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_gtxx_is_the_mailbox_and_still_a_sub_column(mailbox):
    """The tree file names the type; the page keeps SubColumnPage's ownership (综合科)."""
    assert mailbox.slug == "gtxx" and mailbox.title == "沟通信箱"
    assert isinstance(mailbox, SubColumnPage)
    assert SubColumnPage.objects.get(slug="gtxx").specific == mailbox
    assert mailbox.owner_section.name == "综合科"
    assert mailbox.get_parent().title == "在线交流"
    assert bootstrap_site().created == []


@pytest.mark.django_db
def test_index_shows_notice_buttons_letters_and_statistics(client, mailbox):
    mailbox_settings(notice="一、请文明用语。\n二、<b>不受理</b>涉密事项。")
    stored(status=Status.REPLIED, published=True, subject="关于公交站台的建议")
    stored(status=Status.REPLIED, published=False, subject="未公开的信")
    html = client.get(mailbox.url).content.decode()
    assert "留言须知" in html
    assert "一、请文明用语。<br>二、&lt;b&gt;不受理&lt;/b&gt;涉密事项。" in html
    assert f'href="{route(mailbox, "write")}">我要写信</a>' in html
    assert f'href="{route(mailbox, "track")}">查询办理结果</a>' in html
    assert f'href="{route(mailbox, "stats")}"' in html
    assert "关于公交站台的建议" in html and "未公开的信" not in html
    assert "负责科室：综合科" in html
    assert '<meta name="ColumnName" content="沟通信箱">' in html


@pytest.mark.django_db
def test_published_letters_are_paged_newest_reply_first(client, mailbox):
    now = timezone.now()
    for n in range(LIST_PAGE_SIZE + 1):
        stored(
            status=Status.REPLIED,
            published=True,
            subject=f"第{n:02d}封",
            replied_at=now - timedelta(hours=n),
        )
    first = client.get(mailbox.url).content.decode()
    assert first.index("第00封") < first.index("第01封")
    assert f"第{LIST_PAGE_SIZE:02d}封" not in first
    assert "第 1 页 / 共 2 页" in first
    second = client.get(mailbox.url, {"page": 2}).content.decode()
    assert f"第{LIST_PAGE_SIZE:02d}封" in second


@pytest.mark.django_db
def test_articles_posted_in_the_mailbox_show_as_notices(client, mailbox):
    add_article(mailbox, title="春节期间信件办理安排")
    assert "春节期间信件办理安排" in client.get(mailbox.url).content.decode()


# Writing a letter (R-MAIL-1) --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_letter_is_accepted_and_its_code_shown_once(client, mailbox):
    number, code = accepted(client, mailbox, send(client, mailbox))
    letter = Letter.objects.get()
    assert letter.tracking_number == number
    assert letter.code_matches(code) and code not in letter.query_code_digest
    assert letter.text == "　　请问周六办事大厅是否开放？\n谢谢！"  # as typed, indent kept
    assert letter.status == Status.RECEIVED and not letter.consent_to_publish
    assert re.fullmatch(r"[0-9a-f]{64}", letter.source_digest)
    assert "10.0.0.1" not in letter.source_digest
    assert ACCEPTED_KEY not in client.session
    again = client.get(route(mailbox, "done")).content.decode()
    assert code not in again and "只显示一次" in again
    assert "no-store" in client.get(route(mailbox, "done"))["Cache-Control"]


@pytest.mark.django_db
def test_after_writing_the_reply_limit_and_how_to_track_are_stated(client, mailbox):
    mailbox_settings(reply_working_days=7)
    response = send(client, mailbox)
    html = client.get(response["Location"]).content.decode()
    assert "我们一般在 <strong>7 个工作日</strong>内答复" in html
    track_url = route(mailbox, "track")
    assert f'“查询办理结果”页面（<a href="{track_url}">http://testserver{track_url}</a>）' in html
    assert "凭上面的信件编号和查询码" in html
    again = client.get(route(mailbox, "done")).content.decode()  # a refresh: the advice stays
    assert "7 个工作日" in again and f'href="{track_url}"' in again


@pytest.mark.django_db
def test_consent_to_publish_is_off_unless_ticked(client, mailbox):
    html = client.get(route(mailbox, "write")).content.decode()
    assert re.search(r'<input type="checkbox" name="consent_to_publish"(?![^>]*checked)', html)
    accepted(client, mailbox, send(client, mailbox, consent_to_publish="on"))
    assert Letter.objects.get().consent_to_publish


@pytest.mark.django_db
def test_posting_again_by_refresh_does_not_create_a_second_letter(client, mailbox):
    """The browser's "resubmit" sends the same form with the same, used-up captcha."""
    client.get(route(mailbox, "write"))
    data = letter_form(captcha=captcha.answer_for(client.session))
    first = client.post(route(mailbox, "write"), data)
    assert first.status_code == 302
    second = client.post(route(mailbox, "write"), data)
    assert second.status_code == 200
    assert "验证码已失效" in second.content.decode()
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_script_tags_in_every_field_come_back_escaped(client, mailbox):
    hostile = {name: SCRIPT for name in ("name", "phone", "email", "kind", "subject", "text")}
    response = send(client, mailbox, answer=SCRIPT, **hostile)
    html = response.content.decode()
    assert SCRIPT not in html
    assert html.count(ESCAPED) >= 5  # name, phone, e-mail, subject, text shown again as typed
    assert not Letter.objects.exists()

    number, code = accepted(
        client, mailbox, send(client, mailbox, name=SCRIPT, subject=SCRIPT, text=SCRIPT)
    )
    letter = Letter.objects.get()
    assert letter.subject == SCRIPT and letter.text == SCRIPT  # stored as typed
    for html in (
        client.get(route(mailbox, "done")).content.decode(),
        track(client, mailbox, number, code).content.decode(),
    ):
        assert SCRIPT not in html
    Letter.objects.filter(pk=letter.pk).update(
        status=Status.REPLIED,
        reply=f"答复{SCRIPT}",
        reply_department=SCRIPT,
        replied_at=timezone.now(),
        published=True,
        consent_to_publish=True,
    )
    for url in (mailbox.url, route(mailbox, "letter", number)):
        html = client.get(url).content.decode()
        assert SCRIPT not in html and ESCAPED in html
    html = track(client, mailbox, number, code).content.decode()
    assert SCRIPT not in html and f"答复{ESCAPED}" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [("name", 50, "姓名"), ("subject", 100, "标题"), ("text", 3000, "内容")],
)
def test_over_long_fields_are_refused_with_the_limit_named(client, mailbox, field, limit, label):
    response = send(client, mailbox, **{field: "字" * (limit + 1)})
    assert response.status_code == 200
    assert f"{label}不能超过 {limit} 个字（当前 {limit + 1} 个）" in response.content.decode()
    assert "字" * (limit + 1) in response.content.decode()  # nothing typed is lost
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_the_text_limit_counts_a_line_break_once(client, mailbox):
    """A browser sends CR LF for each line break; 3000 characters are 3000, with 1000 breaks."""
    text = "\r\n".join(["字" * 2] * 1000) + "字"  # 2001 characters + 999 breaks = 3000
    accepted(client, mailbox, send(client, mailbox, text=text))
    assert len(Letter.objects.get().text) == 3000


@pytest.mark.django_db
def test_control_characters_are_removed_and_the_rest_kept(client, mailbox):
    accepted(
        client,
        mailbox,
        send(
            client,
            mailbox,
            name="王\x00五\u202e",
            subject="标题\t一\n二\x1b",
            text="　　第一段\x07。\n\t第二段\u202e倒序\x85。",
        ),
    )
    letter = Letter.objects.get()
    assert letter.name == "王五"
    assert letter.subject == "标题 一 二"
    assert letter.text == "　　第一段。\n\t第二段倒序。"


@pytest.mark.django_db
def test_a_contact_is_required_and_checked(client, mailbox):
    response = send(client, mailbox, phone="", email="")
    assert "请至少填写联系电话或电子邮箱中的一项" in response.content.decode()
    response = send(client, mailbox, phone="电话号码", email="not-an-address")
    html = response.content.decode()
    assert "联系电话只能包含数字" in html and "电子邮箱格式不正确" in html
    accepted(client, mailbox, send(client, mailbox, phone="", email="zhang@example.cn"))
    assert not Letter.objects.exclude(email="zhang@example.cn").exists()


@pytest.mark.django_db
def test_required_fields_are_named(client, mailbox):
    html = send(client, mailbox, name="", subject=" ", text="　\n ").content.decode()
    for message in ("请填写姓名。", "请填写标题。", "请填写内容。"):
        assert message in html
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_a_database_failure_keeps_what_was_typed(client, mailbox, monkeypatch):
    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(cases, "receive", busy)
    response = send(client, mailbox, subject="很重要的一封信")
    html = response.content.decode()
    assert response.status_code == 200
    assert "系统繁忙，信件未能保存" in html and "很重要的一封信" in html
    assert "请问周六办事大厅是否开放？" in html


# Attachments (R-MAIL-1 size limit, R-SEC-5 hostile uploads) -------------------------------------


def image_bytes(kind, size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, kind)
    return buffer.getvalue()


def docx_bytes(*, macro=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        content_type = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macro
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        )
        archive.writestr(
            "[Content_Types].xml", f'<Types><Override ContentType="{content_type}"/></Types>'
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "suffix"),
    [
        ("照片.jpg", image_bytes("JPEG"), ".jpg"),
        ("截图.png", image_bytes("PNG"), ".png"),
        ("扫描件.jpg", image_bytes("PNG"), ".png"),  # named wrongly, stored as what it is
        ("材料.pdf", PDF, ".pdf"),
        ("材料.docx", docx_bytes(), ".docx"),
        ("说明.txt", "　　情况说明：路灯坏了。".encode("gb18030"), ".txt"),
    ],
)
def test_allowed_attachments_are_accepted_by_content(client, mailbox, name, data, suffix):
    accepted(client, mailbox, send(client, mailbox, attachment=upload(name, data)))
    stored_file = Letter.objects.get().attachment
    assert stored_file.name.startswith("letters/") and stored_file.name.endswith(suffix)
    with stored_file.open("rb") as handle:
        assert handle.read() == data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("申请.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "附件只能是"),  # .exe
        ("照片.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "附件只能是"),
        ("说明.txt", b"<html><body onload=alert(1)>", "附件只能是"),
        ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "附件只能是"),
        ("说明.txt", b"text\x00\x01\x02binary", "文本文件无法识别"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "图片文件已损坏"),
        (
            "材料.pdf",
            b"%PDF-1.4\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n%%EOF",
            "含有脚本",
        ),
        ("材料.docx", docx_bytes(macro=True), "含有宏"),
        ("材料.docx", b"PK\x03\x04" + b"\x00" * 100, "Word 文档已损坏"),
        ("空.txt", b"", "空文件"),
    ],
)
def test_hostile_or_wrong_attachments_are_refused(client, mailbox, name, data, message):
    response = send(client, mailbox, attachment=upload(name, data))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "请问周六办事大厅是否开放？" in html  # the letter itself is kept
    assert "如需附件，请重新选择文件" in html
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_an_attachment_over_the_size_limit_is_refused(client, mailbox):
    mailbox_settings(attachment_max_mb=1)
    big = PDF[:-7] + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    html = send(client, mailbox, attachment=upload("大文件.pdf", big)).content.decode()
    assert "附件不能超过 1 MB（所选文件 1.0" in html
    assert not Letter.objects.exists()


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # what it tries
def test_a_decompression_bomb_is_refused_from_its_header(client, mailbox):
    bomb = image_bytes("PNG", size=(8000, 8000), mode="1")  # 64 megapixels in a few KB
    html = send(client, mailbox, attachment=upload("图.png", bomb)).content.decode()
    assert "图片像素数超过上限" in html
    assert not Letter.objects.exists()


# The captcha ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "message"),
    [(None, "请填写验证码。"), ("", "请填写验证码。"), ("999", "验证码不正确")],
)
def test_a_missing_or_wrong_captcha_is_refused(client, mailbox, answer, message):
    response = send(client, mailbox, answer=answer, subject="保留的标题")
    html = response.content.decode()
    assert message in html and "保留的标题" in html
    assert "value=" not in re.search(r'<input[^>]*name="captcha"[^>]*>', html).group(0)
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_an_expired_captcha_is_refused(client, mailbox, monkeypatch):
    client.get(route(mailbox, "write"))
    answer = captcha.answer_for(client.session)
    later = captcha.time.time() + captcha.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(captcha.time, "time", lambda: later)
    response = client.post(route(mailbox, "write"), letter_form(captcha=answer))
    assert "验证码已失效" in response.content.decode()
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_full_width_digits_are_a_right_answer(client, mailbox):
    client.get(route(mailbox, "write"))
    answer = captcha.answer_for(client.session)
    full_width = answer.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    accepted(client, mailbox, client.post(route(mailbox, "write"), letter_form(captcha=full_width)))


@pytest.mark.django_db
def test_a_new_captcha_keeps_what_was_typed(client, mailbox):
    client.get(route(mailbox, "write"))
    old = dict(client.session[captcha.SESSION_KEY])
    data = letter_form(subject="换验证码前写的标题", consent_to_publish="on", new_captcha="1")
    html = client.post(route(mailbox, "write"), data).content.decode()
    assert "换验证码前写的标题" in html and "请问周六办事大厅是否开放？" in html
    assert re.search(r'name="consent_to_publish"[^>]*checked', html)
    assert 'class="error-summary"' not in html and not Letter.objects.exists()
    new = client.session[captcha.SESSION_KEY]
    assert new["id"] != old["id"] and new["id"] in html  # the image URL changes with it
    if new["a"] != old["a"]:
        response = client.post(route(mailbox, "write"), letter_form(captcha=old["a"]))
        assert "验证码不正确" in response.content.decode()
        assert not Letter.objects.exists()


@pytest.mark.django_db
def test_the_captcha_image_is_a_png_never_cached(client, mailbox):
    html = client.get(route(mailbox, "write")).content.decode()
    challenge = client.session[captcha.SESSION_KEY]
    assert challenge["q"] not in html  # the question is in the image only
    response = client.get(route(mailbox, "captcha_image"))
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (captcha.WIDTH, captcha.HEIGHT)
    assert client.session[captcha.SESSION_KEY] == challenge  # showing it changes nothing


def test_the_answer_is_checked_against_the_session_only():
    session = {}
    captcha.issue(session)
    answer = captcha.answer_for(session)
    assert session[captcha.SESSION_KEY]["a"] == answer
    captcha.verify(session, f" {answer} ")
    assert captcha.answer_for(session) is None
    with pytest.raises(captcha.CaptchaError, match="已失效"):
        captcha.verify(session, answer)


def test_a_wrong_answer_uses_the_challenge_up():
    session = {}
    captcha.issue(session)
    answer = captcha.answer_for(session)
    with pytest.raises(captcha.CaptchaError, match="不正确"):
        captcha.verify(session, answer + "1")
    with pytest.raises(captcha.CaptchaError, match="已失效"):
        captcha.verify(session, answer)


# Rate limit (R-MAIL-1) --------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_source_may_write_only_so_many_letters_an_hour(mailbox):
    mailbox_settings(letters_per_hour=2)
    writer, neighbour = Client(), Client()
    for _ in range(2):
        accepted(writer, mailbox, send(writer, mailbox, address="10.0.0.7"))
    refused = send(writer, mailbox, address="10.0.0.7", subject="第三封信")
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "同一网络每小时最多提交 2 封信件" in html and "第三封信" in html
    assert Letter.objects.count() == 2
    accepted(neighbour, mailbox, send(neighbour, mailbox, address="10.0.0.8"))
    assert Letter.objects.count() == 3


@pytest.mark.django_db
def test_invalid_attempts_do_not_use_up_the_limit(client, mailbox):
    mailbox_settings(letters_per_hour=1)
    send(client, mailbox, answer="wrong")
    send(client, mailbox, subject="")
    accepted(client, mailbox, send(client, mailbox))


def test_sources_are_keyed_hashes_and_an_ipv6_network_is_one_source(rf, settings):
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::10")
    same_network = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    other = rf.get("/", REMOTE_ADDR="2001:db8:1:3::10")
    assert clients.source_digest(one) == clients.source_digest(same_network)
    assert clients.source_digest(one) != clients.source_digest(other)
    assert "2001" not in clients.source_digest(one)
    before = clients.source_digest(one)
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    assert clients.source_digest(one) != before  # keyed: not a plain hash of the address


def test_forwarded_for_is_trusted_only_behind_configured_proxies(rf, settings):
    spoofed = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert clients.client_address(spoofed) == "192.0.2.1"
    settings.GOVSITE_PROXY_COUNT = 1
    chain = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert clients.client_address(chain) == "198.51.100.9"  # the proxy's own entry


def test_a_limit_of_zero_means_no_limit():
    assert all(clients.spend("digest", clients.LETTERS, 0) for _ in range(50))


def test_a_cache_outage_lets_letters_through(monkeypatch):
    """Losing a letter is worse than missing the limit for a while (logged)."""

    def down(*args, **kwargs):
        raise ConnectionError("redis")

    monkeypatch.setattr(cache, "add", down)
    assert clients.spend("digest", clients.LETTERS, 1)


# Tracking (R-MAIL-5) ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_writer_tracks_their_letter_in_public_words(client, mailbox):
    letter, code = stored(text="我的电话是13800002222，身份证110101199003071234。")
    Letter.objects.filter(pk=letter.pk).update(deadline=timezone.localdate() + timedelta(days=9))
    response = track(
        client, mailbox, letter.tracking_number.lower(), code.lower().replace("-", " ")
    )
    html = response.content.decode()
    assert re.search(r"<strong data-status>已受理</strong>", html)
    assert "待分类" not in html
    assert f"{timezone.localtime(letter.received_at):%Y-%m-%d}" in html
    assert "13800002222" in html and "110101199003071234" in html  # their own, unmasked
    deadline = timezone.localdate() + timedelta(days=9)
    assert f"{deadline:%Y-%m-%d}" not in html and "办理期限" not in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_letter_keeps_the_spaces_its_writer_typed(client, mailbox):
    """The page is sent without its template indentation (publishing/compaction.py), never
    without the writer's."""
    letter, code = stored(text="第一行\n    第二行缩进四格\n\u3000\u3000第三行")
    html = track(client, mailbox, letter.tracking_number, code).content.decode()
    assert "第一行\n    第二行缩进四格\n\u3000\u3000第三行" in html
    assert not re.search(r"\n[ \t]+<", html)


def public_word(status):
    """What the writer is told for each of the office's statuses (R-MAIL-5)."""
    if status in Letter.OPEN_STATUSES:
        return "办理中"
    return {
        Status.RECEIVED: "已受理",
        Status.REPLIED: "已答复",
        Status.INVALID: "不予受理",
        Status.DUPLICATE: "不予受理",
    }[status]


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_every_status_is_told_in_one_of_four_public_words(client, mailbox, status):
    letter, code = stored(status=status, close_reason="不属于本办受理范围。")
    html = track(client, mailbox, letter.tracking_number, code).content.decode()
    shown = re.search(r"<strong data-status>([^<]+)</strong>", html).group(1)
    assert shown == public_word(status)
    assert shown in {"已受理", "办理中", "已答复", "不予受理"}
    if status != Status.REPLIED:
        assert Status(status).label not in html  # never the office's own word
    if shown == "不予受理":
        assert "不予受理的理由" in html and "不属于本办受理范围。" in html
    else:
        assert "不属于本办受理范围。" not in html


@pytest.mark.django_db
def test_a_wrong_code_is_a_failed_look_up_that_says_what_to_check(client, mailbox):
    letter, _ = stored()
    html = track(client, mailbox, letter.tracking_number, "AAAA-BBBB-CCCC-DDDD").content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert "<h2>查询失败</h2>" in summary and "未能提交" not in summary
    assert "编号或查询码不正确" in summary and "16 位字母和数字" in summary
    assert letter.subject not in html


@pytest.mark.django_db
def test_a_wrong_pair_gets_one_uniform_answer(client, mailbox):
    letter, code = stored()
    other, other_code = stored()
    answers = [
        track(client, mailbox, letter.tracking_number, other_code),  # wrong code
        track(client, mailbox, "GT-20000101-0001", code),  # wrong number
        track(client, mailbox, "GT-20000101-0001", "AAAA-BBBB-CCCC-DDDD"),  # both wrong
    ]
    bodies = {
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"', "", r.content.decode())
        for r in answers
    }
    assert len(bodies) == 1
    assert "编号或查询码不正确" in bodies.pop()
    assert letter.subject not in answers[0].content.decode()


@pytest.mark.django_db
def test_the_reply_or_the_reason_for_refusal_is_shown(client, mailbox):
    replied, code = stored(status=Status.REPLIED, reply="已于本周修好。", reply_department="督查室")
    html = track(client, mailbox, replied.tracking_number, code).content.decode()
    assert "已答复" in html and "已于本周修好。" in html and "督查室" in html
    assert f"{timezone.localtime(replied.replied_at):%Y-%m-%d}" in html
    refused, code = stored(status=Status.INVALID, close_reason="不属于本办受理范围。")
    html = track(client, mailbox, refused.tracking_number, code).content.decode()
    assert "不予受理" in html and "不属于本办受理范围。" in html
    in_hand, code = stored(status=Status.DRAFTED, draft_reply="内部草稿")
    html = track(client, mailbox, in_hand.tracking_number, code).content.decode()
    assert "办理中" in html and "内部草稿" not in html and "科长" not in html


@pytest.mark.django_db
def test_guessing_query_codes_is_limited_per_source(client, mailbox):
    mailbox_settings(queries_per_hour=3)
    letter, code = stored()
    for guess in range(3):
        track(client, mailbox, letter.tracking_number, f"AAAA-BBBB-CCCC-{guess:04d}")
    html = track(client, mailbox, letter.tracking_number, code).content.decode()
    assert "查询过于频繁：同一网络每小时最多查询 3 次" in html
    assert letter.subject not in html
    elsewhere = track(client, mailbox, letter.tracking_number, code, address="10.9.9.9")
    assert letter.subject in elsewhere.content.decode()


# Published letters (R-MAIL-5) -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_letter_is_shown_with_personal_data_masked(client, mailbox):
    letter, _ = stored(
        status=Status.REPLIED,
        published=True,
        name="王小明",
        subject="王小明关于13912345678的问题",
        text="我是王小明，电话13912345678，身份证号110101199003071234，邮箱wxm@example.cn。",
        reply="王小明同志：您反映的问题已解决，请拨打0571-87654321了解详情。",
        reply_department="综合科",
    )
    html = client.get(route(mailbox, "letter", letter.tracking_number)).content.decode()
    for secret in ("王小明", "13912345678", "110101199003071234", "wxm@example.cn", "87654321"):
        assert secret not in html, secret
    assert "王**" in html and "139****5678" in html
    assert "来信人：王**" in html
    local = timezone.localtime(letter.received_at)
    assert f"{local:%Y-%m-%d}" in html and "综合科" in html
    listing = client.get(mailbox.url).content.decode()
    assert "王小明" not in listing and "13912345678" not in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [
        {"status": Status.REPLIED, "published": False},
        {"status": Status.REPLIED, "published": True, "consent": False},
        {"status": Status.RECEIVED, "published": True},
        {"status": Status.INVALID, "published": True, "close_reason": "无效"},
    ],
)
def test_letters_not_published_are_not_found(client, mailbox, state):
    letter, _ = stored(**state)
    assert client.get(route(mailbox, "letter", letter.tracking_number)).status_code == 404
    assert letter.subject not in client.get(mailbox.url).content.decode()


@pytest.mark.django_db
def test_an_unknown_number_is_not_found(client, mailbox):
    assert client.get(route(mailbox, "letter", "GT-20000101-0001")).status_code == 404


# Monthly statistics (R-MAIL-5) ------------------------------------------------------------------


def figures_of(html):
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td class="number">([^<]+)</td>', html))


@pytest.mark.django_db
def test_monthly_statistics_default_to_this_month(client, mailbox):
    stored(status=Status.REPLIED, scope="internal")
    stored(status=Status.INVALID, close_reason="无效")
    stored(status=Status.FORWARDED, scope="government")
    html = client.get(route(mailbox, "stats")).content.decode()
    today = timezone.localdate()
    assert f"来信统计：{today.year}年{today.month}月" in html
    figures = figures_of(html)
    assert figures["收到来信"] == "3 件"
    assert figures["有效来信"] == "2 件"
    assert figures["其中：涉及办公室内部工作"] == "1 件"
    assert figures["其中：转区长电子信箱办理"] == "1 件"
    assert figures["已办结（已答复）"] == "1 件"
    # The mailbox's first letter came this month: there is no month before it, nor after.
    assert "上一月" not in html and "下一月" not in html


def ym(month):
    """(2026, 3) → "2026-03", as the statistics' links write a month."""
    return f"{month[0]}-{month[1]:02d}"


def received_on(day):
    """A letter received on ``day`` (the mailbox's first month is that of its first letter)."""
    letter, _ = stored()
    Letter.objects.filter(pk=letter.pk).update(received_at=at(day))
    return letter


@pytest.mark.django_db
def test_statistics_of_an_earlier_month(client, mailbox):
    today = timezone.localdate()
    first = date(today.year - 1, 1, 15)
    received_on(first)
    html = client.get(route(mailbox, "stats"), {"month": f"{first:%Y}-02"}).content.decode()
    assert f"来信统计：{first.year}年2月" in html
    assert f"?month={first:%Y}-01" in html and f"?month={first:%Y}-03" in html
    last_day = calendar.monthrange(first.year, 2)[1]
    assert f"{first:%Y}-02-01 至 {first:%Y}-02-{last_day}" in html


@pytest.mark.django_db
def test_month_links_stay_within_the_months_that_exist(client, mailbox):
    """From the mailbox's first month (its first letter's) to this one: 上一月 is not linked
    before the first, 下一月 not after this month, and the list of months holds no other."""
    today = timezone.localdate()
    first = month_before(*month_before(today.year, today.month))  # two months ago
    received_on(date(*first, 20))
    html = client.get(route(mailbox, "stats"), {"month": ym(first)}).content.decode()
    assert "上一月" not in html and "下一月" in html
    before = ym(month_before(*first))
    assert f"?month={before}" not in html
    listed = re.findall(r'<li><a href="\?month=(\d{4}-\d{2})"', html)
    assert listed == [
        ym(month) for month in [(today.year, today.month), month_after(*first), first]
    ]
    html = client.get(route(mailbox, "stats")).content.decode()
    assert "上一月" in html and "下一月" not in html
    assert client.get(route(mailbox, "stats"), {"month": before}).status_code == 404


@pytest.mark.django_db
def test_with_no_letter_the_first_month_is_that_of_the_page(client, mailbox):
    today = timezone.localdate()
    published = month_before(today.year, today.month)
    MailboxPage.objects.filter(pk=mailbox.pk).update(first_published_at=at(date(*published, 3)))
    html = client.get(route(mailbox, "stats")).content.decode()
    assert "上一月" in html
    page = client.get(route(mailbox, "stats"), {"month": ym(published)})
    assert page.status_code == 200 and "上一月" not in page.content.decode()
    earlier = ym(month_before(*published))
    assert client.get(route(mailbox, "stats"), {"month": earlier}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2026-13", "26-01", "<script>", "2999-01", "1999-12", "2000-01"])
def test_a_bad_future_or_earlier_month_is_not_found(client, mailbox, month):
    assert client.get(route(mailbox, "stats"), {"month": month}).status_code == 404


# Concurrency (R-MAIL-1: nothing accepted is lost; SPEC §12) -------------------------------------

CONCURRENT_LETTERS = 20


@pytest.mark.django_db(transaction=True)
def test_letters_sent_at_once_all_get_dense_distinct_numbers(file_database, site_tree):
    """20 visitors press 提交 together, through the real view: 20 letters, numbers 1..20.

    On SQLite the test runs on a database file as in production (``file_database``: WAL mode,
    ``transaction_mode=IMMEDIATE`` and a busy timeout queue the writers): the in-memory test
    database's threads share one cache with table-level locks that fail at once instead of
    waiting (``database table is locked``), which says nothing about production."""
    mailbox = MailboxPage.objects.get()
    visitors = []
    for n in range(CONCURRENT_LETTERS):
        visitor = Client()
        address = f"10.1.0.{n + 1}"
        visitor.get(route(mailbox, "write"), REMOTE_ADDR=address)
        data = letter_form(
            subject=f"同时提交的第{n}封信", captcha=captcha.answer_for(visitor.session)
        )
        visitors.append((visitor, address, data))
    start = threading.Barrier(CONCURRENT_LETTERS)
    statuses = [None] * CONCURRENT_LETTERS

    def post(n):
        visitor, address, data = visitors[n]
        try:
            start.wait()
            statuses[n] = visitor.post(
                route(mailbox, "write"), data, REMOTE_ADDR=address
            ).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(CONCURRENT_LETTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * CONCURRENT_LETTERS
    numbers = sorted(Letter.objects.values_list("tracking_number", flat=True))
    assert len(numbers) == CONCURRENT_LETTERS == len(set(numbers))
    assert [int(number.rsplit("-", 1)[1]) for number in numbers] == list(
        range(1, CONCURRENT_LETTERS + 1)
    )
    assert Letter.objects.filter(events__action="received").distinct().count() == CONCURRENT_LETTERS


@pytest.mark.django_db(transaction=True)
def test_a_failing_notice_after_the_commit_still_gives_the_writer_their_code(
    site_tree, monkeypatch
):
    """The letter is stored; that the notice to 综合科 failed afterwards (mail server down)
    must not cost the writer their number and code."""

    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP")

    monkeypatch.setattr(cases, "_notify", mail_server_down)
    mailbox = MailboxPage.objects.get()
    client = Client()
    number, code = accepted(client, mailbox, send(client, mailbox))
    assert Letter.objects.get(tracking_number=number).code_matches(code)
