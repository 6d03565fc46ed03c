"""专栏 applications for the tests, filed the way the system files them."""

import datetime

from govsite.images.tests.factories import make_image
from govsite.sections.models import Section

from .. import actions

TODAY = datetime.date(2026, 3, 2)


def application_values(slug="yshj", banner=None, **overrides):
    return {
        "title": "优化营商环境专栏",
        "purpose": "集中发布优化营商环境的政策、进展和典型案例。",
        "starts_on": TODAY,
        "ends_on": TODAY + datetime.timedelta(days=300),
        "banner": banner or make_image("营商环境横幅"),
        "boards": "工作动态\n政策解读\n典型案例",
        "slug": slug,
        **overrides,
    }


def file_application(user, section_name="秘书科", **values):
    section = Section.objects.get(name=section_name)
    return actions.file_application(user, section, application_values(**values))
