"""Items and the people who handle them, for the tests: made the way the system makes them
(an officer writes, ``cases`` takes every later step)."""

from wagtail.rich_text import RichText

from govsite.sections import roles

from .. import cases
from ..models import Item, ItemKind

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
