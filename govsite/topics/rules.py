"""Who may apply for a 专栏, who decides each step, and what a valid application is (R-TOPIC-1;
第十一条 各科室可根据不同时期的重点工作,申请开辟专栏).

Built on the role predicates of ``govsite.sections.rules``: an officer or chief of a section
applies for that section; the section's chief decides first, then 综合科 (the chief of the
office section, ``office_section``: 第五条, it builds and manages the website), then a director
who supervises the section (第十四条). When 综合科 applies itself its chief's approval stands
for both the section's and 综合科's, so the chain is its chief, then its director. Nobody
decides their own application, nor two steps of one round.

Each ``refusal_*`` function returns the Chinese sentence shown, or ``None`` when allowed;
``problems`` lists what is wrong with an application's content, field by field.
"""

import datetime
import re

from django.core.exceptions import ValidationError

from govsite.images import rules as image_rules
from govsite.sections import roles
from govsite.sections.models import Section
from govsite.sections.rules import (
    has_role,
    is_active_user,
    is_chief_of,
    is_director_of,
    is_site_manager,
    is_staff_of,
    office_section,
    sections_held,
)

from .models import (
    Stage,
    Status,
    TopicApplication,
    board_names,
    settings_of_topics,
    slug_taken_by_page,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def sections_to_apply_for(user):
    """The sections ``user`` may apply for: those they are an officer or the chief of."""
    if not is_active_user(user):
        return Section.objects.none()
    officer_of, chief_of = sections_held(user)
    return Section.objects.filter(pk__in=officer_of | chief_of).order_by("sort_order", "name")


def refusal_to_apply(user, section=None):
    """Why ``user`` may not apply for a 专栏 (for ``section``), or ``None``."""
    if not is_active_user(user):
        return "请先登录。"
    if section is None:
        if not sections_to_apply_for(user).exists():
            return "专栏由各科室申请开设（第十一条），只有科室的信息员和科长可以提出申请。"
        return None
    if not is_staff_of(user, section):
        return f"您不是{section.name}的信息员或科长，不能以{section.name}的名义申请专栏。"
    return None


def may_apply(user):
    return refusal_to_apply(user) is None


def chain_of(application):
    """The steps of ``application``'s review, in order."""
    if application.section_id == getattr(office_section(), "pk", None):
        return [Stage.CHIEF, Stage.DIRECTOR]
    return [Stage.CHIEF, Stage.OFFICE, Stage.DIRECTOR]


STATUS_OF_STAGE = {
    Stage.CHIEF: Status.AWAITING_CHIEF,
    Stage.OFFICE: Status.AWAITING_OFFICE,
    Stage.DIRECTOR: Status.AWAITING_DIRECTOR,
}
STAGE_OF_STATUS = {status: stage for stage, status in STATUS_OF_STAGE.items()}


def stage_of(application):
    """The review step an application waits at, or ``None`` once it is not pending."""
    return STAGE_OF_STATUS.get(application.status)


def after_approval(application):
    """The state an approval at the current step leads to (``lifecycle``)."""
    chain = chain_of(application)
    stage = stage_of(application)
    following = chain[chain.index(stage) + 1 :] if stage in chain else []
    return STATUS_OF_STAGE[following[0]] if following else Status.OPENED


def holds_step_role(user, application, stage=None):
    stage = stage or stage_of(application)
    if stage == Stage.CHIEF:
        return is_chief_of(user, application.section)
    if stage == Stage.OFFICE:
        return is_chief_of(user, office_section(user))
    if stage == Stage.DIRECTOR:
        return is_director_of(user, application.section)
    return False


def _has_decided_this_round(user, application):
    if application.pk is None:
        return False
    return (
        application.steps.filter(actor_id=user.pk, round=application.round)
        .exclude(stage=Stage.APPLICANT)
        .exists()
    )


def refusal_to_decide(user, application):
    """Why ``user`` may not approve or return ``application`` now, or ``None``."""
    if not is_active_user(user):
        return "请先登录。"
    if not application.is_pending:
        return f"该申请{application.get_status_display()}，不能再审核。"
    if user.pk == application.requested_by_id:
        return "不能审核自己提出的申请。"
    if _has_decided_this_round(user, application):
        return "您已审核过该申请的上一环节；各环节须由不同的人审核。"
    if not holds_step_role(user, application):
        name = application.section.name
        stage = stage_of(application)
        if stage == Stage.CHIEF:
            return f"该申请待{name}科长审核，您不是{name}的科长。"
        if stage == Stage.OFFICE:
            office = office_section(user)
            return f"该申请待{office.name if office else '综合科'}审核，您不是其科长。"
        return f"该申请待分管{name}的主管主任审核，您不分管{name}。"
    return None


def may_decide(user, application):
    return refusal_to_decide(user, application) is None


def may_withdraw(user, application):
    """The applicant may withdraw an application until it is decided, or once returned."""
    return user.pk == application.requested_by_id and (
        application.is_pending or application.status == Status.RETURNED
    )


def may_revise(user, application):
    """A returned application is revised and filed again by its applicant."""
    return application.status == Status.RETURNED and user.pk == application.requested_by_id


def sees_every_application(user):
    """Superusers, 综合科-网站管理 and 审计管理员 (read-only) see every application."""
    return is_active_user(user) and (
        user.is_superuser or is_site_manager(user) or has_role(user, roles.AUDIT_ADMINS)
    )


def may_view(user, application):
    """The applicant, the section's staff and directors, 综合科's chiefs, whoever acted."""
    if not is_active_user(user):
        return False
    if user.pk == application.requested_by_id or sees_every_application(user):
        return True
    return (
        is_staff_of(user, application.section)
        or is_director_of(user, application.section)
        or is_chief_of(user, office_section(user))
        or application.steps.filter(actor_id=user.pk).exists()
    )


def takes_part(user):
    """Whether the admin menu shows 专栏申请 to ``user``."""
    if not is_active_user(user):
        return False
    officer_of, chief_of = sections_held(user)
    return (
        bool(officer_of or chief_of)
        or sees_every_application(user)
        or (Section.objects.supervised_by(user).exists())
    )


def reviewers(application):
    """Everyone who may decide the application's current step (whom to notify)."""
    stage = stage_of(application)
    if stage == Stage.CHIEF:
        candidates = application.section.chiefs()
    elif stage == Stage.OFFICE:
        office = office_section()
        candidates = office.chiefs() if office else []
    elif stage == Stage.DIRECTOR:
        candidates = application.section.directors.filter(is_active=True)
    else:
        return []
    if not isinstance(candidates, list):
        candidates = candidates.order_by("pk")
    return [user for user in candidates if may_decide(user, application)]


def problems(values, today, exclude=None):
    """What is wrong with an application's content, as ``{field: Chinese sentence}`` (empty:
    valid). ``values``: title, starts_on, ends_on, banner, boards (text), slug; ``today``: the
    office's date; ``exclude``: the application being revised (its own slug is no collision).
    """
    found = {}
    config = settings_of_topics()
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not starts_on or not ends_on:
        found["ends_on" if starts_on else "starts_on"] = (
            "请填写专栏的开始日期和结束日期：专栏按不同时期的重点工作开设（第十一条），"
            "到期后自动归档。"
        )
    elif ends_on < today:
        found["ends_on"] = (
            f"结束日期 {ends_on:%Y-%m-%d} 已经过去，专栏开设后会立即归档；"
            f"请填写今天（{today:%Y-%m-%d}）以后的日期。"
        )
    elif ends_on < starts_on:
        found["ends_on"] = (
            f"结束日期 {ends_on:%Y-%m-%d} 早于开始日期 {starts_on:%Y-%m-%d}，请检查起止日期。"
        )
    elif ends_on - starts_on > datetime.timedelta(days=config["max_period_days"]):
        found["ends_on"] = (
            f"专栏期限不超过 {config['max_period_days']} 天；长期工作请申请调整常设栏目。"
        )
    banner = values.get("banner")
    if banner is None:
        found["banner"] = "请选择横幅图片（从图片库选择，须符合第十七条图片规定）。"
    else:
        broken = banner_problems(banner)
        if broken:
            found["banner"] = (
                f"横幅图片“{banner.title}”不符合第十七条图片规定：{'；'.join(broken)}。"
                "请在“图片”中重新上传该图片，系统会提供符合规定的版本（JPG，4:3，"
                f"不超过 {image_rules.MAX_WIDTH}×{image_rules.MAX_HEIGHT}），保存后再选择它。"
            )
    names = board_names(values.get("boards"))
    if not config["min_boards"] <= len(names) <= config["max_boards"]:
        found["boards"] = (
            f"请填写 {config['min_boards']}～{config['max_boards']} 个板块，每行一个，"
            "如“工作动态”“政策解读”“典型案例”。"
        )
    elif any(len(name) > 30 for name in names):
        found["boards"] = "板块名称不超过 30 个字。"
    slug = values.get("slug") or ""
    refusal = slug_refusal(slug, exclude)
    if refusal:
        found["slug"] = refusal
    return found


def banner_problems(image):
    """Which parts of the image rule (第十七条, ``govsite.images.rules``) ``image`` breaks."""
    try:
        with image.open_file() as handle:
            return image_rules.nonconformities(image_rules.inspect(handle))
    except ValidationError as error:
        return list(error.messages)
    except OSError:
        return ["图片文件无法读取"]


def slug_refusal(slug, exclude=None):
    """Why ``slug`` cannot be a new 专栏's address, or ``None``."""
    if not SLUG.match(slug):
        return "网址名称只能用小写字母、数字和连字符（如 yshj 或 youhua-yingshang），请修改。"
    if slug_taken_by_page(slug):
        return f"热点专题下已有网址为“{slug}”的页面，请换一个网址名称。"
    pending = TopicApplication.objects.pending().filter(slug=slug)
    if exclude is not None and exclude.pk:
        pending = pending.exclude(pk=exclude.pk)
    other = pending.select_related("section").first()
    if other is not None:
        return (
            f"网址名称“{slug}”已被{other.section.name}正在审核的专栏申请《{other.title}》使用，"
            "请换一个网址名称。"
        )
    return None
