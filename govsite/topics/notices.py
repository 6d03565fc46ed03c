"""Notices of 专栏 applications (R-TOPIC-1, R-FLOW-6): the next approver learns what waits for
them, the applicant learns each decision with its opinion, the section learns when its 专栏 is
archived — in the admin and by e-mail (``govsite.notices.delivery.notify``)."""

from django.urls import reverse

from govsite.notices.delivery import actor_name, notify

from . import rules
from .models import Decision, Stage, Status


def detail_url(application):
    return reverse("govsite_topics:detail", args=[application.pk])


def tell_reviewers(application):
    """Whoever may decide the application's current step."""
    stage = rules.stage_of(application)
    if stage is None:
        return
    for reviewer in rules.reviewers(application):
        notify(
            reviewer,
            f"待您审核：专栏申请《{application.title}》（{Stage(stage).label}）",
            f"{application.section.name}申请开设专栏，申请人：{actor_name(application.requested_by)}。"
            f"开设目的：{application.purpose}",
            detail_url(application),
        )


def tell_applicant(application, step):
    """The applicant, of a reviewer's decision and its opinion."""
    reviewer = f"{step.get_stage_display()}（{actor_name(step.actor)}）"
    comment = f"意见：{step.comment or '无'}"
    if step.decision == Decision.RETURNED:
        subject = f"专栏申请被退回：《{application.title}》"
        text = f"{reviewer}退回。{comment}。可以按意见修改后重新提交。"
    elif application.status == Status.OPENED:
        subject = f"专栏已开设：《{application.title}》"
        text = (
            f"{reviewer}同意，专栏已在“热点专题”下开设，由{application.section.name}负责维护。"
            f"{comment}"
        )
    else:
        subject = f"专栏申请已通过{step.get_stage_display()}：《{application.title}》"
        text = f"{reviewer}同意，转{application.get_status_display().removeprefix('待')}。{comment}"
    notify(application.requested_by, subject, text, detail_url(application))


def tell_archived(page):
    """The applicant and the owning section's chiefs, once the 专栏's period has ended."""
    application = getattr(page, "application", None)
    people = list(page.owner_section.chiefs())
    if application is not None and application.requested_by not in people:
        people.append(application.requested_by)
    for person in people:
        notify(
            person,
            f"专栏已归档：《{page.title}》",
            f"专栏期限已于 {page.ends_on:%Y-%m-%d} 结束，已自动归档：网站上仍可访问，"
            "列入“往期专题”，不再新增内容。",
            detail_url(application) if application is not None else "",
        )
