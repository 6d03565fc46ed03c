"""Who may decide which step of a 专栏 application (role × step), and who may apply; a crafted
request gets the same refusal as the missing button (R-TOPIC-1, 第十四条)."""

import pytest
from django.urls import reverse

from .. import actions, rules
from ..lifecycle import APPLICATION, APPROVE, RESUBMIT, RETURN, WITHDRAW
from ..models import Status, TopicApplication
from .factories import file_application

ROLES = [
    "officer",
    "chief",
    "office_chief",
    "office_officer",
    "director",
    "other_director",
    "other_officer",
    "other_chief",
    "site_manager",
]
# Who may decide an application of 秘书科 at each step: its chief, 综合科's chief, then the
# director who supervises 秘书科. Nobody else — not the applicant, not another section.
DECIDES = {
    Status.AWAITING_CHIEF: {"chief"},
    Status.AWAITING_OFFICE: {"office_chief"},
    Status.AWAITING_DIRECTOR: {"director"},
}


def at_step(people, status):
    """An application of 秘书科 approved up to ``status``."""
    application = file_application(people["officer"])
    for reviewer in ("chief", "office_chief"):
        if application.status == status:
            break
        actions.approve(application, people[reviewer])
        application.refresh_from_db()
    assert application.status == status
    return application


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(DECIDES))
def test_role_by_step(client, people, status):
    application = at_step(people, status)
    for role in ROLES:
        user = people[role]
        allowed = role in DECIDES[status]
        assert rules.may_decide(user, application) is allowed, (role, status)
        assert APPLICATION.allows(APPROVE, user, application) is allowed
        assert APPLICATION.allows(RETURN, user, application) is allowed
        listed = TopicApplication.objects.awaiting(user).filter(pk=application.pk).exists()
        assert listed is allowed, (role, status)
    # A crafted POST by someone the step does not ask for is refused in Chinese.
    client.force_login(people["other_chief"])
    response = client.post(
        reverse("govsite_topics:detail", args=[application.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == status


@pytest.mark.django_db
def test_nobody_approves_their_own_application(people):
    application = file_application(people["chief"])
    assert rules.refusal_to_decide(people["chief"], application) == "不能审核自己提出的申请。"
    assert not TopicApplication.objects.awaiting(people["chief"]).exists()
    with pytest.raises(actions.Refused):
        actions.approve(application, people["chief"])


@pytest.mark.django_db
def test_one_person_decides_one_step_of_a_round(people, make_user):
    both = make_user("both", "秘书科-科长", "综合科-科长")
    application = file_application(people["officer"])
    actions.approve(application, both)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_OFFICE
    assert "各环节须由不同的人审核" in rules.refusal_to_decide(both, application)


@pytest.mark.django_db
def test_who_may_apply(client, people):
    for role in ("officer", "chief", "office_officer", "other_officer"):
        assert rules.may_apply(people[role]), role
    for role in ("director", "site_manager"):
        assert not rules.may_apply(people[role]), role
        client.force_login(people[role])
        response = client.get(reverse("govsite_topics:apply"))
        assert response.status_code == 403
        assert "只有科室的信息员和科长可以提出申请" in response.content.decode()


@pytest.mark.django_db
def test_an_officer_cannot_apply_in_another_sections_name(people):
    from govsite.sections.models import Section

    with pytest.raises(actions.Refused, match="您不是文书科的信息员或科长"):
        actions.file_application(
            people["officer"], Section.objects.get(name="文书科"), {"slug": "x"}
        )


@pytest.mark.django_db
def test_only_the_applicant_withdraws_or_revises(people):
    application = file_application(people["officer"])
    assert APPLICATION.allows(WITHDRAW, people["officer"], application)
    assert not APPLICATION.allows(WITHDRAW, people["chief"], application)
    actions.return_application(application, people["chief"], "名称请改为规范表述。")
    application.refresh_from_db()
    assert APPLICATION.allows(RESUBMIT, people["officer"], application)
    assert not APPLICATION.allows(RESUBMIT, people["chief"], application)
    assert APPLICATION.refusal(RESUBMIT, people["chief"], application) == (
        "只有申请人可以撤回或修改自己的申请。"
    )


@pytest.mark.django_db
def test_the_record_is_append_only(people):
    from ..models import AppendOnlyError

    application = file_application(people["officer"])
    step = application.steps.get()
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        application.steps.update(comment="改写")
    with pytest.raises(AppendOnlyError):
        application.delete()


@pytest.mark.django_db
def test_who_sees_an_application(client, people):
    application = file_application(people["officer"])
    url = reverse("govsite_topics:detail", args=[application.pk])
    for role in ("officer", "chief", "office_chief", "director", "site_manager"):
        client.force_login(people[role])
        assert client.get(url).status_code == 200, role
    for role in ("other_officer", "other_chief", "other_director"):
        client.force_login(people[role])
        response = client.get(url)
        assert response.status_code == 403, role
        assert "您无权查看该申请" in response.content.decode()
        assert "优化营商环境专栏" not in response.content.decode()
