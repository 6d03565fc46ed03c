"""帮助: the staff guides, rendered from docs/staff/*.md at request time (cached while the file
is unchanged), inside the admin and without the internet."""

import re
from functools import lru_cache

import markdown
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import rules
from .catalogue import BY_FILE, BY_SLUG

# A link from one guide to another is written as in the repository ("[账号与密码](账号与密码.md)")
# and served as the guide's page.
GUIDE_LINK = re.compile(r'href="([^"/]+\.md)(#[^"]*)?"')


@lru_cache(maxsize=32)
def _render(path, mtime):
    html = markdown.markdown(
        path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code", "sane_lists"]
    )

    def link(match):
        guide = BY_FILE.get(match.group(1))
        if guide is None:
            return match.group(0)
        return f'href="{reverse("govsite_guides:guide", args=[guide.slug])}{match.group(2) or ""}"'

    return GUIDE_LINK.sub(link, html)


def render_guide(guide):
    """The guide's HTML (Markdown written by the project, not by users)."""
    return mark_safe(_render(guide.path, guide.path.stat().st_mtime))  # noqa: S308


class GuideIndexView(WagtailAdminTemplateMixin, TemplateView):
    """All the guides, the user's own first."""

    template_name = "guides/index.html"
    page_title = "帮助"
    header_icon = "help"

    def get_context_data(self, **kwargs):
        own, others = rules.guides_for(self.request.user)
        return super().get_context_data(own=own, others=others, **kwargs)


class GuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "guides/guide.html"
    header_icon = "help"

    def dispatch(self, request, *args, slug, **kwargs):
        self.guide = BY_SLUG.get(slug)
        if self.guide is None or not self.guide.path.exists():
            raise Http404("没有这份指南。")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.guide.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse("govsite_guides:index"), "label": "帮助"},
            {"url": "", "label": self.guide.title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=self.guide, body=render_guide(self.guide), **kwargs)
