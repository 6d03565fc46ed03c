"""The dashboard's welcome line: the user's name and role(s), and the site's name — the same
for everyone, from 网站设置 (Wagtail names the site after the user's part of the tree, so a
director, who has none, was greeted with another name)."""

from django import template
from django.conf import settings
from wagtail.admin.forms.search import SearchForm

from govsite.columns.explorer import explorable_page_policy
from govsite.columns.models import SiteSettings
from govsite.sections import roles
from govsite.sections.models import Section

from ..work import display_name

register = template.Library()


def site_name(request):
    return SiteSettings.for_request(request).site_name or settings.WAGTAIL_SITE_NAME


def role_names(user):
    """The user's roles as the office says them: their groups, a director's with the sections
    they supervise (主管主任（分管综合科、督查室）): the welcome line puts them after the name,
    not in brackets of its own."""
    names = sorted(user.groups.values_list("name", flat=True))
    if roles.DIRECTORS in names:
        supervised = "、".join(Section.objects.supervised_by(user).values_list("name", flat=True))
        if supervised:
            names[names.index(roles.DIRECTORS)] = f"{roles.DIRECTORS}（分管{supervised}）"
    if user.is_superuser and not names:
        names = ["超级管理员"]
    return names


@register.inclusion_tag("dashboard/welcome.html", takes_context=True)
def dashboard_welcome(context):
    request = context["request"]
    user = request.user
    return {
        "site_name": site_name(request),
        "name": display_name(user),
        "roles": role_names(user),
        "root_page": explorable_page_policy.explorable_root_instance(user),
        "search_form": SearchForm(placeholder="搜索页面…"),
    }
