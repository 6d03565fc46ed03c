"""本月信息报送 on the dashboard (R-INFO-3; 第十六条): a section's 信息员 and 科长 see how many
items their section sent this month against its quota and how many it still lacks; a director sees
the sections they supervise that are short; 综合科 sees every section short this month."""

from django.db.models import Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

from govsite.sections.models import Section

from . import reports, rules


class MonthPanel(Component):
    name = "reporting_month"
    template_name = "reporting/bulletin/panel.html"
    order = 135

    def __init__(self, own, short, whole_office, year, month):
        self.own, self.short, self.whole_office = own, short, whole_office
        self.year, self.month = year, month

    @classmethod
    def for_user(cls, user, now=None):
        """The panel ``user`` sees, or ``None`` when they have no part in 信息报送."""
        year, month = reports.this_month(now)
        if rules.sees_whole_office(user):
            return cls([], reports.shortfall(year, month), True, year, month)
        staff_of = list(
            Section.objects.filter(
                Q(officer_group__user=user) | Q(chief_group__user=user)
            ).distinct()
        )
        supervised = list(Section.objects.supervised_by(user))
        if not staff_of and not supervised:
            return None
        standings = reports.standings(year, month, staff_of + supervised)
        own_ids = {section.pk for section in staff_of}
        own = [s for s in standings if s.section.pk in own_ids]
        short = [s for s in standings if s.section.pk not in own_ids and s.is_short]
        return cls(own, short, False, year, month)

    def get_context_data(self, parent_context):
        return {
            "own": self.own,
            "short": self.short,
            "whole_office": self.whole_office,
            "month": self.month,
            "bulletin_url": reverse("reporting_bulletin"),
            "write_url": reverse("reporting_items:add"),
        }
