"""Items and the people who handle them, for the tests: made the way the system makes them
(an officer writes, ``cases`` takes every later step) — and, for the 通报's figures, stored
directly through the models at a chosen moment (items sent, outlets, adoptions, instructions,
quotas)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from wagtail.rich_text import RichText

from govsite.sections import roles

from .. import cases
from ..models import (
    InstructionLevel,
    Item,
    ItemKind,
    LeaderInstruction,
    Outlet,
    OutletAdoption,
    ReportingSettings,
    SectionQuota,
)

BODY = "<p>我科本月完成政务信息公开目录梳理，共更新办事指南十二项。</p>"


def make_people(make_user):
    """秘书科 and 文书科's officers and chiefs, one 秘书科 member who is both, 综合科's officer
    and chief (综合科 owns 工作动态), the director of 秘书科 and 文书科, the director of 综合科,
    综合科-网站管理 (wangzhan) and the auditor."""
    people = {
        "mishu_officer": make_user("mishu_xxy", "秘书科-信息员"),
        "mishu_chief": make_user("mishu_kz", "秘书科-科长"),
        "mishu_both": make_user("mishu_both", "秘书科-信息员", "秘书科-科长"),
        "wenshu_officer": make_user("wenshu_xxy", "文书科-信息员"),
        "wenshu_chief": make_user("wenshu_kz", "文书科-科长"),
        "office": make_user("zonghe_xxy", "综合科-信息员"),
        "office_chief": make_user("zonghe_kz", "综合科-科长"),
        "director": make_user("zhuren_a", roles.DIRECTORS, supervises=["秘书科", "文书科"]),
        "office_director": make_user("zhuren_b", roles.DIRECTORS, supervises=["综合科"]),
        "wangzhan": make_user("wangzhan", roles.SITE_MANAGERS),
        "auditor": make_user("auditor", roles.AUDIT_ADMINS),
    }
    people["mishu_officer"].first_name, people["mishu_officer"].last_name = "雨桐", "周"
    people["mishu_officer"].save()
    return people


def draft(author, section, title="秘书科完成政务信息公开目录梳理", body=BODY, kind=None, **fields):
    """An item as the 撰写信息 form saves it."""
    return Item.objects.create(
        author=author,
        section=section,
        kind=kind or ItemKind.objects.get(name="工作成绩"),
        title=title,
        body=[("paragraph", RichText(body))] if body else [],
        **fields,
    )


def submitted(people, section, **fields):
    item = draft(people["mishu_officer"], section, **fields)
    return cases.submit(item, people["mishu_officer"])


def sent(people, section, **fields):
    """An item 秘书科's chief approved: in 综合科's queue."""
    item = submitted(people, section, **fields)
    return cases.approve(item, people["mishu_chief"])


def returned(people, section, **fields):
    item = submitted(people, section, **fields)
    return cases.return_to_writer(item, people["mishu_chief"], "请补充具体数据。")


def adopted(people, section, **fields):
    item = sent(people, section, **fields)
    cases.adopt(item, people["office"])
    item.refresh_from_db()
    return item


def at(year, month, day, hour=10, minute=0):
    """A moment in the office's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def kind():
    return ItemKind.objects.get_or_create(name="重点工作")[0]


def sent_item(section, sent_at, status=Item.Status.AWAITING_OFFICE, title="动态信息"):
    return Item.objects.create(
        section=section, kind=kind(), title=title, status=status, sent_at=sent_at
    )


def outlet(name, points):
    """An outlet worth ``points`` (a seeded one takes the test's points)."""
    return Outlet.objects.update_or_create(name=name, defaults={"points": Decimal(points)})[0]


def adopt(item, by, on=None):
    return OutletAdoption.objects.create(item=item, outlet=by, adopted_on=on or date(2026, 1, 1))


def instruct(item, level_name="市领导", points="10"):
    level = InstructionLevel.objects.update_or_create(
        name=level_name, defaults={"points": Decimal(points)}
    )[0]
    return LeaderInstruction.objects.create(
        item=item, level=level, leader="某领导", instructed_on=date(2026, 1, 1)
    )


def settings(**values):
    current = ReportingSettings.load()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    return current


def quota(section, monthly_quota):
    return SectionQuota.objects.update_or_create(
        section=section, defaults={"monthly_quota": monthly_quota}
    )[0]


def choose_office():
    """工作动态 (owned by 综合科) as the column adopted items go to: 综合科 is the office."""
    from govsite.testing.helpers import sub_column

    return settings(adoption_column=sub_column("工作动态"))
