"""The office after a few years, in bulk: audit entries, letters in every state, review history.

Run inside the bench's Django process (``bench/admin/run.py`` calls ``fill``) on a database that
already holds the demo and ``generate_content`` articles. Rows are written with ``bulk_create``
in batches, as the office would have produced them over three years; nothing here goes through
the review chain or the mailbox's steps (the demo data and the tests do that) — the screens only
read what these rows hold.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    Page,
    PageLogEntry,
    Revision,
    Task,
    TaskState,
    Workflow,
    WorkflowState,
)

from govsite.audit.models import AuditEntry, Category
from govsite.columns.models import ArticlePage
from govsite.mailbox.models import Letter, LetterEvent
from govsite.sections import roles
from govsite.sections.models import Section

BATCH = 5000
YEARS = 3
ACTIONS = [
    ("login.success", "登录成功", Category.LOGIN),
    ("login.failure", "登录失败", Category.LOGIN),
    ("wagtail.edit", "保存草稿", Category.CONTENT),
    ("wagtail.publish", "发布", Category.CONTENT),
    ("wagtail.workflow.approve", "审核通过", Category.WORKFLOW),
    ("wagtail.workflow.reject", "审核退回", Category.WORKFLOW),
    ("mailbox.assigned", "交办来信", Category.MAILBOX),
    ("accounts.edit", "修改账号", Category.ACCOUNTS),
    ("settings.edit", "修改设置", Category.SETTINGS),
    ("audit.export", "导出审计日志", Category.AUDIT),
]
SUBJECTS = [
    "关于小区停车难问题的建议",
    "咨询义务教育入学材料",
    "反映道路照明损坏",
    "关于政务服务中心办事排队时间的意见",
    "咨询城乡居民医保缴费",
    "投诉夜间施工噪音",
    "建议增设公交站点",
    "咨询就业创业补贴申领条件",
]


def _moments(rng, count, now):
    """``count`` moments over the last three years, oldest first."""
    span = int(timedelta(days=365 * YEARS).total_seconds())
    return sorted(now - timedelta(seconds=rng.randrange(span)) for _ in range(count))


def _batched(rows, model):
    for start in range(0, len(rows), BATCH):
        with transaction.atomic():
            model.objects.bulk_create(rows[start : start + BATCH])


def audit_entries(count, rng, now, progress):
    users = list(get_user_model().objects.values_list("pk", "username"))
    page_type = ContentType.objects.get_for_model(Page)
    batch = []
    for number, at in enumerate(_moments(rng, count, now), 1):
        action, label, category = rng.choice(ACTIONS)
        user_id, username = rng.choice(users)
        batch.append(
            AuditEntry(
                at=at,
                actor_id=user_id,
                actor_username=username,
                action=action,
                action_label=label,
                category=category,
                target_content_type=page_type if category == Category.CONTENT else None,
                target_id=str(rng.randrange(1, 100_000)) if category == Category.CONTENT else "",
                target_repr=f"{label}对象 {number}",
                summary=f"{label}：第 {number} 条",
                ip_address=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",
            )
        )
        if len(batch) == BATCH:
            _batched(batch, AuditEntry)
            batch = []
            progress(f"审计日志 {number:,}/{count:,}")
    _batched(batch, AuditEntry)


# Every state of a letter, with the fields a letter in that state has.
LETTER_STATES = [
    Letter.Status.RECEIVED,
    Letter.Status.ASSIGNED,
    Letter.Status.DRAFTED,
    Letter.Status.APPROVED,
    Letter.Status.FORWARDED,
    Letter.Status.RESULT,
    Letter.Status.REPLIED,
    Letter.Status.REPLIED,
    Letter.Status.REPLIED,
    Letter.Status.REPLIED,
    Letter.Status.INVALID,
    Letter.Status.DUPLICATE,
]


def letters(count, rng, now, progress):
    sections = list(Section.objects.all())
    first = Letter.objects.count()
    batch = []
    for number, received in enumerate(_moments(rng, count, now), 1):
        status = rng.choice(LETTER_STATES)
        handled = status not in (Letter.Status.RECEIVED, Letter.Status.INVALID)
        replied = status == Letter.Status.REPLIED
        batch.append(
            Letter(
                tracking_number=f"B{received:%Y%m%d}{first + number:07d}",
                query_code_digest="0" * 64,
                name=rng.choice(["张先生", "李女士", "王先生", "刘女士", "陈先生"]),
                phone="138" + f"{rng.randrange(10**8):08d}",
                kind=rng.choice(Letter.Kind.values),
                subject=rng.choice(SUBJECTS),
                text="来信内容：" + rng.choice(SUBJECTS) + "。请予答复。" * 5,
                consent_to_publish=rng.random() < 0.6,
                received_at=received,
                status=status,
                scope=rng.choice(Letter.Scope.values) if handled else "",
                section=rng.choice(sections) if handled else None,
                deadline=(received + timedelta(days=21)).date() if handled else None,
                close_reason="内容与本办职责无关" if status == Letter.Status.INVALID else "",
                reply="您好，您反映的问题已转相关部门处理。" if replied else "",
                reply_department="综合科" if replied else "",
                replied_at=received + timedelta(days=rng.randrange(1, 20)) if replied else None,
                published=replied and rng.random() < 0.5,
            )
        )
        if len(batch) == BATCH:
            _store_letters(batch)
            batch = []
            progress(f"来信 {number:,}/{count:,}")
    _store_letters(batch)


def _store_letters(batch):
    with transaction.atomic():
        stored = Letter.objects.bulk_create(batch)
        if stored and stored[0].pk is None:  # SQLite before RETURNING: read the ids back
            numbers = [letter.tracking_number for letter in batch]
            stored = list(Letter.objects.filter(tracking_number__in=numbers))
        LetterEvent.objects.bulk_create(
            LetterEvent(letter=letter, at=letter.received_at, action=LetterEvent.Action.RECEIVED)
            for letter in stored
        )


def review_history(count, rng, now, progress):
    """``count`` articles, each with a version that went through the whole chain — submitted
    by an officer, screened, approved by a chief and a director, published — over 3 years."""
    workflow = Workflow.objects.filter(active=True, workflow_pages__isnull=False).get()
    tasks = list(
        Task.objects.filter(workflow_tasks__workflow=workflow)
        .order_by("workflow_tasks__sort_order")
        .values_list("pk", "name")
    )

    def members(**role):
        people = get_user_model().objects.filter(is_active=True, **role)
        return list(people.values_list("pk", flat=True).distinct())

    # Who does each step, as in the office: officers write and submit, chiefs approve first,
    # directors approve last and publish (第十四条).
    officers = members(groups__name__endswith="信息员")
    chiefs = members(groups__name__endswith="科长")
    directors = members(groups__name=roles.DIRECTORS)
    approvers = {2: chiefs, 3: directors}  # 0: the automatic screening, 1: media, skipped
    article_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    task_state_type = ContentType.objects.get_for_model(TaskState)
    articles = list(
        ArticlePage.objects.order_by("?").values_list("pk", "title")[:count]
        if count < ArticlePage.objects.count()
        else ArticlePage.objects.values_list("pk", "title")
    )
    moments = _moments(rng, len(articles), now)
    for start in range(0, len(articles), BATCH // 5):
        chunk = list(zip(articles[start : start + BATCH // 5], moments[start:], strict=False))
        with transaction.atomic():
            revisions = Revision.objects.bulk_create(
                Revision(
                    content_type=article_type,
                    base_content_type=page_type,
                    object_id=str(pk),
                    created_at=at,
                    user_id=rng.choice(officers),
                    object_str=title,
                    content={"pk": pk, "title": title},
                )
                for (pk, title), at in chunk
            )
            states = WorkflowState.objects.bulk_create(
                WorkflowState(
                    content_type=article_type,
                    base_content_type=page_type,
                    object_id=str(pk),
                    workflow=workflow,
                    status=WorkflowState.STATUS_APPROVED,
                    requested_by_id=rng.choice(officers),
                )
                for (pk, _title), at in chunk
            )
            if states[0].pk is None or revisions[0].pk is None:
                raise RuntimeError("bulk_create must return ids (SQLite ≥ 3.35, PostgreSQL)")
            # created_at is filled in on creation (auto_now_add): set the moment afterwards.
            for state, (_page, at) in zip(states, chunk, strict=True):
                state.created_at = at
            WorkflowState.objects.bulk_update(states, ["created_at"])
            task_states = TaskState.objects.bulk_create(
                TaskState(
                    workflow_state=state,
                    revision=revision,
                    task_id=task,
                    # Only a version with audio or video goes to 信息中心审核.
                    status=TaskState.STATUS_SKIPPED
                    if "信息中心" in name
                    else TaskState.STATUS_APPROVED,
                    finished_at=at + timedelta(hours=step, minutes=30),
                    finished_by_id=rng.choice(approvers[step]) if step in approvers else None,
                    comment="" if step == 0 else "同意。",
                    content_type=task_state_type,
                )
                for state, revision, ((_pk, _title), at) in zip(
                    states, revisions, chunk, strict=True
                )
                for step, (task, name) in enumerate(tasks)
            )
            for task_state in task_states:  # started_at too (auto_now_add)
                task_state.started_at = task_state.finished_at - timedelta(minutes=30)
            TaskState.objects.bulk_update(task_states, ["started_at"])
            PageLogEntry.objects.bulk_create(
                PageLogEntry(
                    content_type=article_type,
                    page_id=pk,
                    revision=revision,
                    action="wagtail.publish",
                    label=title,
                    timestamp=at + timedelta(hours=len(tasks)),
                    user_id=rng.choice(directors),
                )
                for revision, ((pk, title), at) in zip(revisions, chunk, strict=True)
            )
        progress(f"审核记录 {start + len(chunk):,}/{len(articles):,}")


def fill(articles, seed=1, progress=print):
    """The office at the size of ``articles`` pages: 10 audit entries a page, a letter for
    every 10 pages, and the review history of every 5th page."""
    rng = random.Random(seed)
    now = timezone.now()
    audit_entries(articles * 10, rng, now, progress)
    letters(articles // 10, rng, now, progress)
    review_history(articles // 5, rng, now, progress)
