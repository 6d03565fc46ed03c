"""专栏 applications for the tests, filed the way the system files them."""

import datetime

from django.utils import timezone

from govsite.images.tests.factories import make_image
from govsite.sections.models import Section

from .. import actions


def days(n):
    """The office's date ``n`` days from today."""
    return timezone.localdate() + datetime.timedelta(days=n)


def application_values(slug="yshj", banner=None, **overrides):
    return {
        "title": "优化营商环境专栏",
        "purpose": "集中发布优化营商环境的政策、进展和典型案例。",
        "starts_on": days(0),
        "ends_on": days(300),
        "banner": banner or make_image("营商环境横幅"),
        "boards": "工作动态\n政策解读\n典型案例",
        "slug": slug,
        **overrides,
    }


def file_application(user, section_name="秘书科", **values):
    section = Section.objects.get(name=section_name)
    return actions.file_application(user, section, application_values(**values))


def form_data(values):
    """``values`` as the application form posts them."""
    data = dict(values)
    for field in ("starts_on", "ends_on"):
        data[field] = data[field].isoformat() if data.get(field) else ""
    banner = data.get("banner")
    data["banner"] = banner.pk if banner is not None else ""
    return data
