"""Which entries the audit log shows for a query (R-SEC-4): its filters — date range, 操作人,
category, action, IP address —, its search in the object, the 说明 and the detail, and its
order. One answer for the list and for the export started from it, which runs later in the
background from the same query."""

import django_filters
from django import forms
from django.db.models import Q
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.search import SearchForm
from wagtail.log_actions import registry as log_registry

from govsite.mailbox.models import LetterEvent

from . import signal_handlers
from .events import ACTIONS
from .models import AuditEntry, Category

SEARCH_FIELDS = ["target_repr", "summary", "detail"]
# A search reads every entry it cannot rule out by the filters (a million, in a few years):
# a longer term finds nothing a shorter one would not, and is refused rather than run.
SEARCH_MAX_LENGTH = 100
SEARCH_TOO_LONG = f"搜索内容不能超过 {SEARCH_MAX_LENGTH} 个字，请缩短后再搜索。"
OLDEST_FIRST = "at"  # the list's ``ordering``; newest first otherwise


def action_choices():
    """Every action the log may hold, grouped by category: this project's, the mailbox's and
    Wagtail's (its labels as Wagtail shows them)."""
    groups = {category: [] for category in Category}
    for code, (label, category) in ACTIONS.items():
        groups[category].append((code, label))
    groups[Category.MAILBOX] += [
        (f"mailbox.{code}", label) for code, label in LetterEvent.Action.choices
    ]
    for code, label in log_registry.get_choices():
        workflow = code.startswith(signal_handlers.WORKFLOW_PREFIXES)
        category = Category.WORKFLOW if workflow else Category.CONTENT
        groups[category].append((code, str(label)))
    return [
        (category.label, sorted(set(choices), key=lambda choice: choice[0]))
        for category, choices in groups.items()
        if choices
    ]


class IPAddressFilter(django_filters.Filter):
    field_class = forms.GenericIPAddressField


class AuditEntryFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(label="日期", widget=DateRangePickerWidget)
    actor = django_filters.CharFilter(
        label="操作人",
        field_name="actor_username",
        help_text="用户名，须完整输入；登录失败时为所输入的用户名。",
    )
    category = django_filters.ChoiceFilter(
        label="类别", choices=Category.choices, empty_label="全部"
    )
    action = django_filters.ChoiceFilter(label="操作", choices=action_choices, empty_label="全部")
    ip = IPAddressFilter(label="IP 地址", field_name="ip_address")

    class Meta:
        model = AuditEntry
        fields = []


def filter_errors(query):
    """What is wrong with the filters and search of ``query`` ("日期：…；IP 地址：…"), or ""."""
    filters = AuditEntryFilterSet(data=query, queryset=AuditEntry.objects.none())
    errors = []
    if not filters.is_valid():
        errors = [
            f"{filters.form.fields[name].label}：{' '.join(problems)}"
            for name, problems in filters.form.errors.items()
        ]
    if search_too_long(query):
        errors.append(SEARCH_TOO_LONG)
    return "；".join(errors)


def search_words(query):
    search = SearchForm(query)
    return search.cleaned_data["q"] if search.is_valid() else ""


def search_too_long(query):
    return len(search_words(query)) > SEARCH_MAX_LENGTH


def selected(query):
    """The entries the list shows for ``query`` (a QueryDict): filtered (filters that are not
    valid are left out, as the list does), searched and ordered — newest first unless
    ``ordering=at``; the same instant is common (a login and its session record), the id
    breaks ties."""
    entries = AuditEntry.objects.all()
    filters = AuditEntryFilterSet(data=query, queryset=entries)
    if filters.is_valid():
        entries = filters.qs
    words = search_words(query)
    if len(words) > SEARCH_MAX_LENGTH:
        return entries.none()  # refused, and said so (``filter_errors``)
    if words:
        matches = Q()
        for name in SEARCH_FIELDS:
            matches |= Q(**{f"{name}__icontains": words})
        entries = entries.filter(matches)
    if query.get("ordering") == OLDEST_FIRST:
        return entries.order_by("at", "pk")
    return entries.order_by("-at", "-pk")


def described(query):
    """The filters and search of ``query`` as the auditor reads them: [(label, value)]."""
    form = AuditEntryFilterSet(data=query, queryset=AuditEntry.objects.none()).form
    form.is_valid()
    lines = []
    for name in form.changed_data:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, slice):
            ends = [f"{end:%Y-%m-%d}" if end else "" for end in (value.start, value.stop)]
            value = " 至 ".join(ends)
        elif name in ("category", "action"):
            value = dict(_flattened(form.fields[name].choices)).get(value, value)
        lines.append((form.fields[name].label, value))
    words = search_words(query)
    if words:
        lines.append(("搜索", words))
    return lines


def _flattened(choices):
    """(value, label) of ``choices``, whose groups (the actions by category) are opened."""
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _flattened(label)
        else:
            yield value, label
