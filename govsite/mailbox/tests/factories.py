"""Letters, the people who handle them and the public forms, for the tests: made the way the
system makes them (``cases.receive``, the staff's steps, the real forms).

The fixtures ``people``, ``wenshu`` and ``mailbox`` (tests/conftest.py) wrap the first ones for
the mailbox's tests; the hostile-input tests of govsite/tests use the forms' helpers too.
"""

from datetime import datetime

from django.utils import timezone

from govsite.sections import roles

from .. import captcha, cases
from ..models import Letter, MailboxSettings
from ..pages import MailboxPage

Status, Scope = Letter.Status, Letter.Scope


def at(day, hour=10):
    """``day`` at ``hour`` o'clock, in the office's time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


# Letters ------------------------------------------------------------------------------------------


def write(subject="关于办事指南的咨询", consent=True, now=None, **fields):
    """A letter from the public, as the form sends it (R-MAIL-1)."""
    letter, _code = cases.receive(
        name=fields.pop("name", "张三"),
        subject=subject,
        text=fields.pop("text", "请问办理业务需要哪些材料？我的电话是13812345678。"),
        phone=fields.pop("phone", "13812345678"),
        consent_to_publish=consent,
        now=now,
        **fields,
    )
    return letter


def stored(*, status=Status.RECEIVED, consent=True, published=False, **fields):
    """A letter as ``cases.receive`` stores it, moved straight to ``status`` (the staff's steps
    are the admin's tests), and its query code: (letter, code)."""
    letter, code = cases.receive(
        name=fields.pop("name", "李四"),
        phone=fields.pop("phone", "13800002222"),
        subject=fields.pop("subject", "关于路灯维修的建议"),
        text=fields.pop("text", "小区门口路灯坏了一个月。"),
        consent_to_publish=consent,
    )
    updates = {"status": status, "published": published, **fields}
    if status == Status.REPLIED:
        updates.setdefault("reply", "已安排维修，感谢您的建议。")
        updates.setdefault("reply_department", "综合科")
        updates.setdefault("replied_at", timezone.now())
    Letter.objects.filter(pk=letter.pk).update(**updates)
    letter.refresh_from_db()
    return letter, code


def assigned(people, wenshu, **fields):
    """A letter classified internal and assigned to 文书科."""
    letter = write(**fields)
    cases.classify(letter, people["office"], Scope.INTERNAL)
    cases.assign(letter, people["office"], wenshu)
    return letter


def approved(people, wenshu, **fields):
    """A letter 文书科 has answered: drafted by its officer, approved by its chief."""
    letter = assigned(people, wenshu, **fields)
    cases.draft(letter, people["officer"], "您好，所需材料已在办事指南栏目列出。")
    cases.approve(letter, people["chief"])
    return letter


def prepared(people, wenshu, publish=False, **fields):
    """An approved letter whose reply 综合科's officer worded, waiting for its chief."""
    letter = approved(people, wenshu, **fields)
    cases.prepare_reply(letter, people["office"], publish=publish)
    return letter


def replied(people, wenshu, publish=False, now=None, **fields):
    """A letter answered the whole internal way: prepared, then signed off by 综合科's chief."""
    letter = prepared(people, wenshu, publish=publish, **fields)
    cases.sign_off(letter, people["office_chief"], now=now)
    return letter


def every_state(people, wenshu):
    """A letter in every state the table knows, with the variants its guards tell apart, and
    an earlier letter (for duplicates): (earlier, {state name: letter})."""
    office, officer, chief = people["office"], people["officer"], people["chief"]
    earlier = write(subject="先前的来信")

    internal, government = write(), write()
    cases.classify(internal, office, Scope.INTERNAL)
    cases.classify(government, office, Scope.GOVERNMENT)
    extension = assigned(people, wenshu)
    cases.request_extension(extension, officer, 3, "等待材料。")
    drafted = assigned(people, wenshu)
    cases.draft(drafted, officer, "您好，所需材料已列出。")
    own_draft = assigned(people, wenshu)
    cases.draft(own_draft, chief, "科长亲自拟写。")
    forwarded, result = write(), write()
    for letter in (forwarded, result):
        cases.classify(letter, office, Scope.GOVERNMENT)
        cases.forward(letter, office)
    cases.record_result(result, office, "已办结。", "区交通局")
    answered = replied(people, wenshu)
    prepared_letter = prepared(people, wenshu)
    # A user who is both officer and chief of 综合科 prepared this one: others sign it off.
    both = people["office_both"]
    prepared_by_chief = approved(people, wenshu)
    cases.prepare_reply(prepared_by_chief, both)
    director_review = prepared(people, wenshu)
    settings = MailboxSettings.load()
    settings.directors_approve_replies = True
    settings.save()
    cases.sign_off(director_review, people["office_chief"])
    settings.directors_approve_replies = False
    settings.save()
    invalid, duplicate = write(), write()
    cases.close(invalid, office, "广告。")
    cases.close(duplicate, office, "重复。", duplicate_of=earlier)
    states = {
        "received": write(),
        "received_internal": internal,
        "received_government": government,
        "assigned": assigned(people, wenshu),
        "assigned_extension": extension,
        "drafted": drafted,
        "drafted_by_chief": own_draft,
        "approved": approved(people, wenshu),
        "prepared": prepared_letter,
        "prepared_by_chief": prepared_by_chief,
        "director_review": director_review,
        "forwarded": forwarded,
        "result": result,
        "replied": answered,
        "invalid": invalid,
        "duplicate": duplicate,
    }
    return earlier, states


# The people who handle them -----------------------------------------------------------------------


def make_people(make_user):
    """综合科's officer and chief (the section owning 沟通信箱) and one who is both,
    综合科-网站管理 (settings only),
    文书科's officer and two chiefs, 秘书科's officer, 文书科's director and 综合科's."""
    return {
        "office": make_user("zonghe_officer", "综合科-信息员"),
        "office_chief": make_user("zonghe_chief", "综合科-科长"),
        "office_both": make_user("zonghe_both", "综合科-信息员", "综合科-科长"),
        "office_director": make_user("director_b", roles.DIRECTORS, supervises=["综合科"]),
        "site_manager": make_user("zonghe_manager", roles.SITE_MANAGERS),
        "officer": make_user("wenshu_officer", "文书科-信息员"),
        "chief": make_user("wenshu_chief", "文书科-科长"),
        "deputy": make_user("wenshu_chief2", "文书科-科长"),
        "other_officer": make_user("mishu_officer", "秘书科-信息员"),
        "director": make_user("director_a", roles.DIRECTORS, supervises=["文书科"]),
    }


# The public forms ---------------------------------------------------------------------------------


def route(mailbox, name="", *args):
    """The address of one of the mailbox page's routes (``write``, ``track``, ``letter``…)."""
    return mailbox.url + (mailbox.reverse_subpage(name, args=args) if name else "")


def mailbox_url(name="", *args):
    """``route`` of the one mailbox page."""
    return route(MailboxPage.objects.get(), name, *args)


def letter_form(**fields):
    """The letter form's fields, as a visitor fills them in (the captcha apart)."""
    return {
        "name": "张三",
        "phone": "13900001111",
        "email": "",
        "kind": "consult",
        "subject": "关于办事大厅开放时间的咨询",
        "text": "　　请问周六办事大厅是否开放？\n谢谢！",
        **fields,
    }


def send(client, mailbox=None, answer=True, address="10.0.0.1", **fields):
    """Open the letter form (which issues a captcha), then post the letter with the right
    answer (``answer=True``, unless ``fields`` give one), a given one, or none
    (``answer=None``)."""
    url = route(mailbox or MailboxPage.objects.get(), "write")
    client.get(url, REMOTE_ADDR=address)
    data = letter_form(**fields)
    if answer is True:
        data.setdefault("captcha", captcha.answer_for(client.session))
    elif answer is not None:
        data["captcha"] = answer
    return client.post(url, data, REMOTE_ADDR=address)


def track(client, mailbox, number, code, address="10.0.0.1"):
    """The tracking form, posted with a letter's number and query code."""
    return client.post(
        route(mailbox, "track"), {"number": number, "code": code}, REMOTE_ADDR=address
    )


def rate(client, mailbox, number, code, rating="satisfied", comment="", address="10.0.0.1"):
    """The rating form, posted with a letter's number and query code (R-MAIL-7)."""
    return client.post(
        route(mailbox, "rate"),
        {"number": number, "code": code, "rating": rating, "comment": comment},
        REMOTE_ADDR=address,
    )
