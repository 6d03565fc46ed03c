"""Who may ask to take content offline and who decides (R-FLOW-5 on top of 第十四条).

Built on the role predicates of ``govsite.sections.rules``, as the review chain is, so that a
request's reviewers are exactly the reviewers of the chain's human steps, computed from the
page: the chief of the section that owns the page's column, then a director who supervises
that section. Only that section's officers and chiefs may file a request (第十五条: each
section maintains, and deletes, its own columns' content). Nobody decides their own request,
and nobody decides both steps of one request.

Each ``refusal_*`` function returns the Chinese sentence shown to the user, or ``None`` when
the action is allowed; the ``may_*`` functions are the same rules as booleans. The request's
table (``lifecycle.REQUEST``: state × action → who may → next state) names them for each step,
and the request's page and ``actions`` ask the table; the filing buttons, the queues and the
notices call them directly.
"""

from dataclasses import dataclass

from govsite.columns.models import ContentPage
from govsite.sections import roles
from govsite.sections.rules import (
    SectionOwners,
    belongs_to_any_section,
    has_role,
    is_active_user,
    is_chief_of,
    is_director_of,
    is_staff_of,
    owning_section,
)

from .models import ChangeKind, ChangeRequest, ChangeStatus, RetainedPage, Stage


def is_content(page):
    """Articles and profiles; the tree's structure is the site managers' (R-TREE-2)."""
    return issubclass(page.specific_class or type(page), ContentPage)


def is_retained(page):
    return RetainedPage.objects.filter(page_id=page.pk).exists()


def was_ever_published(page):
    return page.live or page.first_published_at is not None


def _title(page):
    return page.get_admin_display_title()


@dataclass(frozen=True)
class PageFacts:
    """What filing on a page depends on besides the user: the section that owns it, its open
    request and its retention record (each ``None`` when there is none)."""

    section: object
    pending: ChangeRequest | None
    retained: RetainedPage | None


def facts_of(page):
    """``PageFacts`` of one page (three queries)."""
    return PageFacts(
        section=owning_section(page),
        pending=ChangeRequest.objects.open_for(page).first(),
        retained=RetainedPage.objects.filter(page_id=page.pk).select_related("request").first(),
    )


class ListingFacts:
    """``PageFacts`` for the rows of page listings (the explorer, the page search), whatever the
    rows and wherever they are in the tree, in a fixed number of queries: the office's open
    requests (a working queue, a few dozen at most, not the site's size), the owners of the
    sub-columns (``SectionOwners``), and a retention record only for a row that is offline
    though it was once published — a retained page is always such a page."""

    def __init__(self):
        self.pending = {request.page_id: request for request in ChangeRequest.objects.open()}
        self.owners = SectionOwners()

    def __getitem__(self, page):
        retained = None
        if not page.live and page.first_published_at is not None:
            retained = (
                RetainedPage.objects.filter(page_id=page.pk).select_related("request").first()
            )
        return PageFacts(self.owners.of(page), self.pending.get(page.pk), retained)


def refusal_to_file(user, page, kind, facts=None):
    """Why ``user`` may not ask for ``kind`` on ``page`` now, or ``None``. ``facts`` (the
    page's ``PageFacts``) are read from the database when not given."""
    label = ChangeKind(kind).label
    title = _title(page)
    if not (user.is_authenticated and user.is_active):
        return "请先登录。"
    if not is_content(page):
        return f"「{title}」是栏目结构页面，不能申请{label}；栏目结构由综合科-网站管理负责调整。"
    facts = facts or facts_of(page)
    section = facts.section
    if not is_staff_of(user, section):
        owner = section.name if section else "其他科室"
        return f"「{title}」由{owner}负责，只有{owner}的信息员和科长可以申请{label}。"
    if facts.retained is not None:
        return f"「{title}」已删除（留存），不能再提出申请。"
    if kind == ChangeKind.UNPUBLISH and not page.live:
        return f"「{title}」目前没有在网站上发布，无需申请撤销发布。"
    if kind == ChangeKind.DELETE and not was_ever_published(page):
        return f"「{title}」从未发布过，是草稿，本科室可以直接删除，无需申请。"
    pending = facts.pending
    if pending is not None:
        return (
            f"「{title}」已有一份{pending.kind_label}申请正在审核（{pending.get_status_display()}），"
            "同一页面同时只能有一份待审核的申请。"
        )
    return None


def may_file(user, page, kind, facts=None):
    return refusal_to_file(user, page, kind, facts) is None


def stage_of(change_request):
    """The review step a request waits at, or ``None`` once it is closed."""
    return {
        ChangeStatus.AWAITING_CHIEF: Stage.CHIEF,
        ChangeStatus.AWAITING_DIRECTOR: Stage.DIRECTOR,
    }.get(change_request.status)


def holds_step_role(user, change_request):
    """Whether ``user`` is the chief (or director) the request's current step asks for."""
    section = owning_section(change_request.page)
    stage = stage_of(change_request)
    if stage == Stage.CHIEF:
        return is_chief_of(user, section)
    if stage == Stage.DIRECTOR:
        return is_director_of(user, section)
    return False


def refusal_to_decide(user, change_request):
    """Why ``user`` may not approve or return ``change_request`` now, or ``None``."""
    if not (user.is_authenticated and user.is_active):
        return "请先登录。"
    if not change_request.is_open:
        return f"该申请{change_request.get_status_display()}，不能再审核。"
    if user.pk == change_request.requested_by_id:
        return "不能审核自己提出的申请。"
    if _has_decided(user, change_request):
        return "您已审核过该申请的上一级；两级审核须由不同的人完成。"
    if not holds_step_role(user, change_request):
        section = owning_section(change_request.page)
        owner = section.name if section else "负责科室"
        if stage_of(change_request) == Stage.CHIEF:
            return f"该申请待{owner}科长审核，您不是{owner}的科长。"
        return f"该申请待分管{owner}的主管主任审核，您不分管{owner}。"
    return None


def _has_decided(user, change_request):
    if change_request.pk is None:
        return False
    decided = change_request.steps.filter(actor_id=user.pk).exclude(stage=Stage.REQUEST)
    return decided.exists()


def may_decide(user, change_request):
    return refusal_to_decide(user, change_request) is None


def may_withdraw(user, change_request):
    """The requester may withdraw a request until it is decided."""
    return change_request.is_open and user.pk == change_request.requested_by_id


def sees_every_request(user):
    """Superusers and 审计管理员 (read-only audit) see all requests."""
    return is_active_user(user) and (user.is_superuser or has_role(user, roles.AUDIT_ADMINS))


def may_view(user, change_request):
    """The requester, the owning section's staff, its directors, whoever acted, auditors."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.pk == change_request.requested_by_id or sees_every_request(user):
        return True
    section = owning_section(change_request.page)
    return (
        is_staff_of(user, section)
        or is_director_of(user, section)
        or change_request.steps.filter(actor_id=user.pk).exists()
    )


def takes_part(user):
    """Whether the admin menu shows 撤销/删除申请 to ``user``."""
    if not is_active_user(user):
        return False
    return (
        sees_every_request(user)
        or belongs_to_any_section(user)
        or ChangeRequest.objects.filed_by(user).exists()
    )


def reviewers(change_request):
    """Everyone who may decide the request's current step (whom to notify)."""
    section = owning_section(change_request.page)
    stage = stage_of(change_request)
    if section is None or stage is None:
        return []
    if stage == Stage.CHIEF:
        candidates = section.chiefs()
    else:
        candidates = section.directors.filter(is_active=True)
    return [user for user in candidates.order_by("pk") if may_decide(user, change_request)]
