"""R-SERVICE-1 through the review chain: a guide missing a key element is returned by the
automatic screening naming the element; a complete one goes on to the chief; prohibited terms in
a guide's own fields are found like those of any body."""

import pytest
from wagtail.models import TaskState, WorkflowState

from govsite.screening.engine import INCOMPLETE, blocking, screen_page
from govsite.screening.models import ProhibitedCategory, ProhibitedTerm

from .factories import make_guide


def submit(page, user):
    page.save_revision(user=user)
    workflow_state = page.get_workflow().start(page, user)
    workflow_state.refresh_from_db()
    return workflow_state


@pytest.fixture
def officer(role_users):
    return role_users["综合科-信息员"]


@pytest.mark.django_db
def test_an_incomplete_draft_is_saved_but_returned_on_submission(officer):
    guide = make_guide(owner=officer, publish=False, basis=[], complaint_phone="", fee_kind="free")
    # The draft is kept as it is: staff fill the guide in steps.
    assert guide.pk and not guide.live and guide.latest_revision is not None

    state = submit(guide, officer)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    screening = state.current_task_state
    assert screening.task.name == "自动审查" and screening.status == TaskState.STATUS_REJECTED
    assert "【要素缺失】设定依据：办事指南须写明设定依据" in screening.comment
    assert "【要素缺失】监督投诉电话" in screening.comment
    assert "收费标准" not in screening.comment  # 不收费 is a stated fee
    fields = {(f["category"], f["field"]) for f in screening.specific.findings}
    assert fields == {(INCOMPLETE, "设定依据"), (INCOMPLETE, "监督投诉电话")}
    guide.refresh_from_db()
    assert not guide.live


@pytest.mark.django_db
def test_a_guide_without_materials_is_returned_naming_them(officer):
    guide = make_guide(owner=officer, publish=False, materials=[])
    state = submit(guide, officer)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "【要素缺失】办理材料" in state.current_task_state.comment


@pytest.mark.django_db
def test_a_complete_guide_passes_the_screening_to_the_chief(officer, role_users):
    guide = make_guide(owner=officer, publish=False)
    state = submit(guide, officer)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "科长审核"
    statuses = dict(state.task_states.values_list("task__name", "status"))
    assert statuses["自动审查"] == TaskState.STATUS_APPROVED

    chief = role_users["综合科-科长"]
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, chief, "approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "主管主任审核"


@pytest.mark.django_db
def test_completing_the_guide_lets_it_through(officer):
    guide = make_guide(owner=officer, publish=False, consult_phone="")
    state = submit(guide, officer)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "【要素缺失】咨询电话" in state.current_task_state.comment
    guide.consult_phone = "0999-86012018"
    guide.save_revision(user=officer)
    state.resume(user=officer)
    state.refresh_from_db()
    assert state.current_task_state.task.name == "科长审核"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("place", "某某邪教活动中心二楼", "办理地点"),
        ("conditions", "<p>申请人不得参与某某邪教组织。</p>", "申请条件"),
        ("hours", "工作日 某某邪教聚会除外", "办理时间"),
        ("steps", [("step", {"name": "受理", "description": "核查某某邪教背景"})], "办理流程"),
        ("basis", [("basis", {"law": "某某邪教章程", "article": "第一条"})], "设定依据"),
        ("fee_standard", "某某邪教会费每人10元", "收费标准"),
    ],
)
def test_a_prohibited_term_in_a_guide_field_is_found(site_tree, field, value, label):
    category = ProhibitedCategory.objects.get(number=7)
    ProhibitedTerm.objects.create(text="某某邪教", category=category)
    extra = {"fee_kind": "charged"} if field == "fee_standard" else {}
    guide = make_guide(publish=False, **{field: value}, **extra)
    findings = blocking(screen_page(guide))
    assert [(f.field, f.matched) for f in findings] == [(label, "某某邪教")]


@pytest.mark.django_db
def test_a_prohibited_term_in_a_material_is_found(site_tree):
    category = ProhibitedCategory.objects.get(number=7)
    ProhibitedTerm.objects.create(text="某某邪教", category=category)
    guide = make_guide(publish=False, materials=[{"name": "申请表", "note": "加盖某某邪教印章"}])
    findings = blocking(screen_page(guide))
    assert [(f.field, f.matched) for f in findings] == [("办理材料", "某某邪教")]


@pytest.mark.django_db
def test_a_complete_clean_guide_has_no_blocking_finding(site_tree):
    assert blocking(screen_page(make_guide(publish=False))) == []
