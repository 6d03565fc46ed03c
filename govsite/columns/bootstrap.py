"""R-TREE-1: one idempotent command builds the sections, the roles and the site tree.

The tree is data (``data/site_tree.toml``). Running the bootstrap on an empty database builds
everything; running it again creates only what is missing and changes nothing that exists,
so the office's own changes (a renamed section, a column moved to another owner) survive.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site, Task, Workflow

from govsite.sections import roles
from govsite.sections.models import Section
from govsite.sections.permissions import ensure_office_groups

from .models import ColumnPage, HomePage, SiteSettings, SubColumnPage
from .permissions import grant_column_to_owner, grant_structure_to_site_managers
from .signals import site_bootstrapped

TREE_FILE = Path(__file__).resolve().parent / "data" / "site_tree.toml"


def load_tree_spec(path=TREE_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@dataclass
class BootstrapReport:
    created: list[str] = field(default_factory=list)

    def add(self, what):
        self.created.append(what)


def _publish(page):
    page.save_revision().publish()


def _ensure_roots():
    """The tree roots Wagtail's migrations create (also missing after a test flush)."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", live=True)
    return root


# Wagtail's own migrations create these; they would grant publishing on the whole tree
# and route submissions to nobody, bypassing the ownership rules. Retired while unused.
WAGTAIL_PLACEHOLDER_GROUPS = ("Moderators", "Editors")
WAGTAIL_PLACEHOLDER_WORKFLOW = "Moderators approval"


def _retire_wagtail_placeholders(report):
    unused = Group.objects.filter(name__in=WAGTAIL_PLACEHOLDER_GROUPS).annotate(
        members=Count("user")
    )
    for group in unused.filter(members=0):
        group.delete()
        report.add(f"（移除 Wagtail 默认用户组 {group.name}）")
    for workflow in Workflow.objects.filter(name=WAGTAIL_PLACEHOLDER_WORKFLOW, active=True):
        workflow.deactivate()
        report.add(f"（停用 Wagtail 默认审核流程 {workflow.name}）")
    Task.objects.filter(name=WAGTAIL_PLACEHOLDER_WORKFLOW, active=True).update(active=False)


def _ensure_home(site_name, report):
    root = _ensure_roots()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's initial migration leaves a placeholder "Welcome" page; it is replaced.
        for placeholder in root.get_children().exact_type(Page):
            if placeholder.is_leaf():
                placeholder.delete()
        home = root.add_child(instance=HomePage(title=site_name, slug="home", live=False))
        _publish(home)
        report.add(f"首页「{site_name}」")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = configured_address()
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=site_name
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or site_name
        site.save()
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return home


def configured_address():
    """(host name, port) of ``settings.GOVSITE_SITE_URL``, the public site's own address
    (issue 17 item 4). Wagtail writes a Site on port 443 as https://host, on 80 as http://host."""
    parsed = urlsplit(settings.GOVSITE_SITE_URL)
    return parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80)


def apply_site_address(report):
    """The default Site takes the configured address, so that sitemap.xml, the feeds,
    robots.txt and canonical links — in the published files too — carry it. Configuration, not
    the office's data: applied on every run (a changed Site purges every published file)."""
    hostname, port = configured_address()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    report.add(f"网站地址（设为 {settings.GOVSITE_SITE_URL}）")


def column_model(item):
    """The page type of a column: ``ColumnPage``, or a specialised one named by ``type`` in the
    tree file (e.g. the policy library), which must extend it."""
    if "type" not in item:
        return ColumnPage
    model = apps.get_model(item["type"])
    if not issubclass(model, ColumnPage):
        raise ImproperlyConfigured(f"{item['type']} is not a kind of ColumnPage.")
    return model


def sub_column_model(sub):
    """The page type of a sub-column: ``SubColumnPage``, or a specialised one named by ``type``
    in the tree file (e.g. the letters mailbox), which must extend it."""
    if "type" not in sub:
        return SubColumnPage
    model = apps.get_model(sub["type"])
    if not issubclass(model, SubColumnPage):
        raise ImproperlyConfigured(f"{sub['type']} is not a kind of SubColumnPage.")
    return model


def _ensure_child(parent, model, slug, report, **fields):
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = parent.add_child(instance=model(slug=slug, live=False, show_in_menus=True, **fields))
    _publish(page)
    report.add(f"{model._meta.verbose_name}「{page.title}」")
    return page


def _mark_office_section(spec, sections, report):
    """第五条: the section the tree marks ``runs_website`` (综合科) builds and manages the site —
    marked only while no section is, so a choice the office made in 科室 stays."""
    if Section.objects.running_website().exists():
        return
    for item in spec["sections"]:
        if item.get("runs_website"):
            section = sections[item["code"]]
            section.runs_website = True
            section.save(update_fields=["runs_website"])
            report.add(f"负责网站建设和管理的科室「{section.name}」")
            return


@transaction.atomic
def bootstrap_site(spec=None):
    """Build what is missing of the sections, roles and site tree; return what was created."""
    spec = spec or load_tree_spec()
    report = BootstrapReport()

    _ensure_roots()
    _retire_wagtail_placeholders(report)
    groups = ensure_office_groups()
    sections = {}
    for order, item in enumerate(spec["sections"]):
        section, created = Section.objects.get_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "description": item.get("description", ""),
                "sort_order": order,
                "signs_off_media": item.get("signs_off_media", False),
            },
        )
        if created:
            report.add(f"科室「{section.name}」")
        sections[item["code"]] = section
    _mark_office_section(spec, sections, report)

    home = _ensure_home(spec["site_name"], report)
    apply_site_address(report)
    grant_structure_to_site_managers(groups[roles.SITE_MANAGERS], home)

    for item in spec["columns"]:
        column = _ensure_child(
            home,
            column_model(item),
            item["slug"],
            report,
            title=item["title"],
            intro=item.get("intro", ""),
        )
        for sub in item["sub_columns"]:
            sub_column = _ensure_child(
                column,
                sub_column_model(sub),
                sub["slug"],
                report,
                title=sub["title"],
                intro=sub.get("intro", ""),
                owner_section=sections[sub["owner"]],
                content_kind=sub["kind"],
            )
            grant_column_to_owner(sub_column)
    site_bootstrapped.send(sender=bootstrap_site, home=home, report=report)
    return report
