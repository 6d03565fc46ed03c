"""Demo data for the office's own site: accounts for every role and content in every column.

Everything comes from ``data/demo.toml`` (a fictional 临江区); this module only knows how to
put it into the database. The load runs after the site tree bootstrap (R-TREE-1), in one
transaction, and is idempotent: users and pages that already exist — pages matched by slug
under their sub-column — are left exactly as they are.

Each content item is written (revision author and page owner) by the 信息员 of the section
that owns its sub-column, and published by that section's 主管主任, as the review chain of
第十四条 would (R-FLOW-2). 发布时间 is preset before the first publication, spread over the
past months, so the public site and the freshness figures (R-ASSESS-1) look like a site in use.

沟通信箱 gets a year of letters handled through the mailbox's own steps (``letters``),
业务工作流程 four 办事指南 with their blank forms (``services``), 领导简介 the leaders with
generated portraits and 机构职能 its sections (``organisation``), 服务满意度调查 two surveys
with their answers (``surveys``), and 信息报送 a year of items reported, adopted into 工作动态
and carried by other outlets, with the owners' reviews of the relatively fixed columns
(``reporting``), from their own data files.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zlib import crc32

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from govsite.columns.bootstrap import bootstrap_site, load_tree_spec
from govsite.columns.models import (
    ArticlePage,
    HomePage,
    ProfilePage,
    SiteSettings,
)
from govsite.demo.documents import document_fields
from govsite.demo.letters import LettersReport, ensure_letters
from govsite.demo.organisation import ensure_organisation
from govsite.demo.pages import body_blocks, director_of, publish_back_dated, sub_columns
from govsite.demo.pictures import ensure_picture
from govsite.demo.reporting import ReportingReport, ensure_reporting
from govsite.demo.services import ensure_guides
from govsite.demo.surveys import SurveysReport, ensure_surveys
from govsite.demo.topics import TopicsReport, ensure_topics
from govsite.disclosure.models import DocumentColumnPage, DocumentPage
from govsite.mailbox.models import Letter
from govsite.reporting.models import Item
from govsite.screening.models import ProhibitedCategory, ProhibitedTerm, SeriousError
from govsite.sections.models import Section
from govsite.security.models import SecurityPolicy
from govsite.security.rules import waive_twofactor
from govsite.surveys.models import Survey

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.toml"
LEXICON_FILE = DEMO_FILE.with_name("lexicon.toml")

PAGE_TYPES = {"article": ArticlePage, "profile": ProfilePage, "document": DocumentPage}
SETTINGS_FIELDS = [
    "site_name",
    "sponsor",
    "site_code",
    "icp_record",
    "police_record",
    "address",
    "postcode",
    "phone",
    "email",
    "supervision_phones",
    "supervision_hours",
    # The homepage's entries (issue 17)
    "new_media",
    "party_emblem_url",
    "annual_report_url",
    "error_report_url",
]
# Times of day an office publishes at; an item without its own ``time`` gets one of these.
OFFICE_HOURS = ["08:45", "09:30", "10:15", "11:05", "14:40", "15:20", "16:10", "17:05"]


class DemoDataError(Exception):
    """The demo data file does not fit the database it is loaded into."""


@dataclass
class DemoReport:
    users_created: list[str] = field(default_factory=list)
    users_skipped: list[str] = field(default_factory=list)
    pages_created: list[str] = field(default_factory=list)
    pages_skipped: list[str] = field(default_factory=list)
    settings_updated: list[str] = field(default_factory=list)
    lexicon_created: int = 0
    letters: LettersReport = field(default_factory=LettersReport)
    surveys: SurveysReport = field(default_factory=SurveysReport)
    reporting: ReportingReport = field(default_factory=ReportingReport)
    topics: TopicsReport = field(default_factory=TopicsReport)  # 专栏 (govsite/topics)
    skipped_reason: str = ""

    @property
    def skipped(self):
        return bool(self.skipped_reason)


def load_demo_spec(path=DEMO_FILE):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def demo_usernames(spec=None):
    spec = spec or load_demo_spec()
    return [user["username"] for user in spec["users"]]


def existing_data_reason(spec):
    """Why the database does not count as empty for ``--if-empty``, or ""."""
    if ArticlePage.objects.exists() or ProfilePage.objects.exists():
        return "数据库中已有文章或简介页"
    if Letter.objects.exists():
        return "数据库中已有来信"
    if Survey.objects.exists():
        return "数据库中已有调查问卷"
    if Item.objects.exists():
        return "数据库中已有动态信息"
    taken = get_user_model().objects.filter(username__in=demo_usernames(spec))
    names = sorted(taken.values_list("username", flat=True))
    if names:
        return f"演示账号已存在（{'、'.join(names)}）"
    return ""


@transaction.atomic
def load_demo_data(spec=None, *, if_empty=False, accounts_only=False, now=None):
    """Create what is missing of the demo users, site settings and content; return a report.

    With ``if_empty`` nothing at all happens when the database already holds content, letters,
    surveys or any demo account (``make run`` uses this on every start). With ``accounts_only``
    only the accounts and the site's identity are made (a training set-up, or a site whose
    content comes from elsewhere): no articles, lexicon, letters, surveys or 信息报送.
    """
    spec = spec or load_demo_spec()
    report = DemoReport()
    if if_empty:
        report.skipped_reason = existing_data_reason(spec)
        if report.skipped_reason:
            return report

    bootstrap_site()
    now = now or timezone.now()
    users = _ensure_users(spec, report)
    if report.users_created:
        # The demo's 科长, 主管主任 and administrators sign in with the password alone; README
        # says how 安全管理员 turns the second factor (R-SEC-3) back on.
        waive_twofactor(SecurityPolicy.load())
    _ensure_site_identity(spec["site"], report)
    if accounts_only:
        return report
    _ensure_content(spec, users, now, report)
    _ensure_lexicon(report)
    # After the lexicon: letters are screened on arrival, as on the public site.
    report.letters = ensure_letters(users, spec.get("authors", {}), now)
    report.surveys = ensure_surveys(now)
    report.reporting = ensure_reporting(users, spec.get("authors", {}), now)
    # 专栏 of 热点专题 (govsite/topics): one open, one archived.
    report.topics = ensure_topics(users, now)
    return report


# Screening lexicon ----------------------------------------------------------------------------


def _ensure_lexicon(report, path=LEXICON_FILE):
    """The starter lexicon: entries already there are left as the office has them."""
    with open(path, "rb") as handle:
        lexicon = tomllib.load(handle)
    for number, terms in lexicon["terms"].items():
        category = ProhibitedCategory.objects.get(number=int(number))
        for text in terms:
            _, created = ProhibitedTerm.objects.get_or_create(
                text=text, defaults={"category": category}
            )
            report.lexicon_created += created
    for error in lexicon["errors"]:
        _, created = SeriousError.objects.get_or_create(
            wrong=error["wrong"],
            defaults={k: v for k, v in error.items() if k != "wrong"},
        )
        report.lexicon_created += created


# Users --------------------------------------------------------------------------------------


def _group(name):
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist:
        raise DemoDataError(f"用户组「{name}」不存在，请先运行 bootstrap_site。") from None


def _section(code):
    try:
        return Section.objects.get(code=code)
    except Section.DoesNotExist:
        raise DemoDataError(f"科室代码「{code}」不存在，请检查 site_tree.toml。") from None


def _groups_for(item):
    groups = [_section(code).officer_group for code in item.get("officer_of", [])]
    groups += [_section(code).chief_group for code in item.get("chief_of", [])]
    groups += [_group(name) for name in item.get("groups", [])]
    return groups


def _ensure_users(spec, report):
    """Each demo account, created once; an existing account is never touched (its password
    may have been changed since, R-SEC-2)."""
    User = get_user_model()
    password = spec["password"]
    users = {}
    for item in spec["users"]:
        username = item["username"]
        user = User.objects.filter(username=username).first()
        if user is not None:
            report.users_skipped.append(username)
            users[username] = user
            continue
        superuser = item.get("superuser", False)
        user = User(
            username=username,
            first_name=item.get("first_name", ""),
            last_name=item.get("last_name", ""),
            email=f"{username}@{spec['email_domain']}",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(password)
        user.save()
        user.groups.add(*_groups_for(item))
        for code in item.get("supervises", []):
            _section(code).directors.add(user)
        report.users_created.append(username)
        users[username] = user
    return users


# Site identity ------------------------------------------------------------------------------


def _is_default(instance, name):
    value = getattr(instance, name)
    return value in ("", None) or value == instance._meta.get_field(name).get_default()


def _ensure_site_identity(values, report):
    """Fill the footer identity (SPEC §11) where it is still blank or the built-in default,
    and give the homepage and the Wagtail site the office's name."""
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    changed = [name for name in SETTINGS_FIELDS if _is_default(settings, name)]
    changed = [name for name in changed if getattr(settings, name) != values[name]]
    for name in changed:
        setattr(settings, name, values[name])
    if changed:
        settings.save()
        report.settings_updated += [str(settings._meta.get_field(n).verbose_name) for n in changed]

    default_name = load_tree_spec()["site_name"]
    home = HomePage.objects.get()
    if home.title == default_name:
        home.title = home.draft_title = values["site_name"]
        home.save_revision().publish()
        report.settings_updated.append("首页标题")
    if site.site_name in ("", default_name):
        site.site_name = values["site_name"]
        site.save(update_fields=["site_name"])


# Content ------------------------------------------------------------------------------------


def _chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _fill(text, published_at):
    """Dates in the text follow the item's publication date: ``{year}``, ``{prev_year}``,
    ``{date}`` (the day of publication) and ``{written}`` (成文日期, two days earlier)."""
    day = timezone.localtime(published_at).date()
    values = {
        "{year}": str(day.year),
        "{prev_year}": str(day.year - 1),
        "{date}": _chinese_date(day),
        "{written}": _chinese_date(day - timedelta(days=2)),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def publication_time(item, now):
    """发布时间 of an item: ``days_ago`` days before ``now`` at an office hour, never later
    than a minute ago."""
    days_ago = item["days_ago"]
    clock = item.get("time") or OFFICE_HOURS[crc32(item["slug"].encode()) % len(OFFICE_HOURS)]
    hour, minute = (int(part) for part in clock.split(":"))
    day = timezone.localtime(now).date() - timedelta(days=days_ago)
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))
    return min(moment, now - timedelta(minutes=1))


def _author_of(section, spec, users):
    """The section's 信息员 who writes its demo content (``[authors]`` in the data file)."""
    username = spec.get("authors", {}).get(section.code)
    if username in users:
        return users[username]
    return section.officers().order_by("username").first()


def _ensure_content(spec, users, now, report):
    home = HomePage.objects.get()
    by_slug = sub_columns(home)
    for column_spec in spec["columns"]:
        slug = column_spec["slug"]
        sub_column = by_slug.get(slug)
        if sub_column is None:
            raise DemoDataError(f"子栏目「{slug}」不存在，请先运行 bootstrap_site。")
        section = sub_column.owner_section
        officer = _author_of(section, spec, users)
        publisher = director_of(section)
        # A 公文栏目's items are documents with 政务公开 metadata (R-OPEN-1).
        is_documents = issubclass(sub_column.specific_class, DocumentColumnPage)
        default_type = column_spec.get("type", "document" if is_documents else "article")
        existing = set(Page.objects.child_of(sub_column).values_list("slug", flat=True))
        for item in column_spec["items"]:
            label = f"{sub_column.title}/{item['slug']}"
            if item["slug"] in existing:
                report.pages_skipped.append(label)
                continue
            model = PAGE_TYPES[item.get("type", default_type)]
            _create_item(sub_column, model, item, officer, publisher, now)
            existing.add(item["slug"])
            report.pages_created.append(label)
    # 业务工作流程's 办事指南 (R-SERVICE-1), from their own data file.
    guides = ensure_guides(
        by_slug,
        author_of=lambda section: _author_of(section, spec, users),
        publisher_of=director_of,
        published_at_of=lambda item: publication_time(item, now),
    )
    report.pages_created.extend(guides.created)
    report.pages_skipped.extend(guides.skipped)
    # 领导简介's leaders with their portraits and 机构职能's sections (第十条), likewise.
    organisation = ensure_organisation(
        by_slug,
        author_of=lambda section: _author_of(section, spec, users),
        publisher_of=director_of,
        published_at_of=lambda item: publication_time(item, now),
    )
    report.pages_created.extend(organisation.created)
    report.pages_skipped.extend(organisation.skipped)


def _table(item, published_at):
    table = item.get("table")
    if not table:
        return None
    rows = [[_fill(str(cell), published_at) for cell in row] for row in table["rows"]]
    return {**table, "rows": rows, "caption": _fill(table.get("caption", ""), published_at)}


def _create_item(sub_column, model, item, officer, publisher, now):
    published_at = publication_time(item, now)
    fields = {
        "title": _fill(item["title"], published_at),
        "slug": item["slug"],
        "owner": officer,
        "live": False,
        "first_published_at": published_at,
        "body": body_blocks(_fill(item["body"], published_at), _table(item, published_at)),
    }
    if issubclass(model, ArticlePage):
        fields["subtitle"] = _fill(item.get("subtitle", ""), published_at)
        # 题图, 头条 and 置顶 (issue 17): the homepage's headline and picture news.
        fields["is_headline"] = item.get("headline", False)
        fields["is_pinned"] = item.get("pinned", False)
        if "picture" in item:
            picture = item["picture"]
            fields["title_image"] = ensure_picture(
                item["slug"], picture["scene"], picture["caption"]
            )
    if model is DocumentPage:
        fields.update(document_fields(item, _fill(item["body"], published_at), published_at))
    return publish_back_dated(sub_column, model(**fields), officer, publisher, published_at)
