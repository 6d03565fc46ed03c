"""领导简介 and 机构职能 made the way the system makes them: added under their column, saved as a
revision and published unless a test asks for a draft."""

from govsite.images.tests.factories import make_image
from govsite.organisation.models import (
    FunctionsColumnPage,
    FunctionsPage,
    InternalUnit,
    LeaderColumnPage,
    LeaderPage,
)
from govsite.sections.models import Section


def leader_column():
    return LeaderColumnPage.objects.get(slug="ldjj")


def functions_column():
    return FunctionsColumnPage.objects.get(slug="jgzn")


def _publish(page, owner, publish):
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def make_leader(
    title="陈志远",
    *,
    post="区政府办公室主任",
    duties="主持办公室全面工作。",
    sections=(),
    photo=True,
    owner=None,
    publish=True,
    column=None,
    **fields,
):
    """A leader under 领导简介 (or ``column``), with a conforming photo unless ``photo=False``
    and the sections named in ``sections`` as 分管科室."""
    column = column or leader_column()
    if photo is True:
        photo = make_image(title=f"{title}照片", caption=f"{title}同志")
    fields.setdefault("slug", f"leader-{LeaderPage.objects.count() + 1}")
    leader = LeaderPage(
        title=title,
        post=post,
        duties=duties,
        photo=photo or None,
        owner=owner,
        live=False,
        **fields,
    )
    leader.supervised_sections = list(Section.objects.filter(name__in=sections))
    leader = column.add_child(instance=leader)
    return _publish(leader, owner, publish)


UNITS = [
    ("综合科", "负责综合协调、政务公开和政府网站管理。", "0999-86012001"),
    ("秘书科", "负责文稿起草。", "0999-86012002"),
    ("文书科", "负责公文处理。", ""),
]


def make_functions(title="主要职责和内设机构", *, units=UNITS, owner=None, publish=True, **fields):
    contact = {
        "address": "临江区人民路1号",
        "postcode": "310000",
        "phone": "0999-86012000",
        "fax": "0999-86012009",
        "office_hours": "工作日 8:30—12:00，14:00—17:30",
        "email": "bgs@linjiang.example.cn",
    }
    contact.update(fields)
    slug = f"functions-{FunctionsPage.objects.count() + 1}"
    page = FunctionsPage(title=title, slug=slug, owner=owner, live=False, **contact)
    page.units = [InternalUnit(name=n, duties=d, phone=p) for n, d, p in units]
    page = functions_column().add_child(instance=page)
    return _publish(page, owner, publish)
