"""Browser scenarios for the review chain (SPEC §3: R-FLOW-1..4, R-FLOW-6).

A 秘书科 officer writes an article in 领导重要讲话 and submits it from the editor; the automatic
screening runs, then the chief of 秘书科 and a director supervising 秘书科 each find it on their
dashboard, open it and approve or return it, until an anonymous visitor reads it. Each person
logs in afresh (in a context of their own, or after the previous person's cookies are cleared);
one Chromium serves the module.

The UI strings are Wagtail's own zh_Hans translations (the project's locale only adds missing
ones) and the labels of ``govsite.workflow.models.ReviewTask.get_actions``.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import TaskState, WorkflowState

from govsite.columns.models import ArticlePage
from govsite.testing.helpers import sub_column

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "区政府办公室召开专题会议"
TEXT = "会议听取了各科室近期工作情况汇报，研究部署下一阶段重点工作。"
RETURN_COMMENT = "请在标题中注明会议日期。"
FIXED_TITLE = "区政府办公室召开专题会议（11月24日）"
MARKED_TITLE = "区政府办公室召开专题会议（内部资料）"  # 「内部资料」 at 标题第14个字处
# 「内部资料」 starts at the 5th character of the paragraph: "正文第5个字处".
CLASSIFIED_TEXT = "本文件为内部资料，请勿外传。"

# Wagtail's zh_Hans labels; govsite/locale may reword the dashboard's (either is accepted).
SUBMIT = "提交审核"  # "Submit to %(workflow_name)s", worded by govsite/locale
RESUBMIT_TO_CHIEF = "重新提交给科长审核"  # "Resubmit to %(task_name)s"
MORE_ACTIONS = "更多动作"  # the editor's action menu toggle
# Dashboard panels "Awaiting your review" and "Your pages and snippets in a workflow".
AWAITING_MY_REVIEW = re.compile(r"^(待我审核|等待你的审查)$")
MY_PAGES_IN_WORKFLOW = re.compile(r"^(我提交的稿件|您处于工作流中的页面和片段)$")
# The dashboard's 退回给我的 (govsite/dashboard): returned items, with the step that returned them.
RETURNED_TO_ME = "退回给我的"
RETURNED_AT_CHIEF = re.compile(r"(已退回（|退回自|请求的更改)\s*科长审核")  # "Changes requested at"
AWAITING_CHIEF = re.compile(r"等待\s*科长审核")  # "Awaiting" 科长审核
NO_PERMISSION = "你没有权限访问"  # "Sorry, you do not have permission to access this area."
# The review steps' actions (ReviewTask.get_actions).
APPROVE = "审核通过"
RETURN = "退回修改"


def write_article(page, column, title, text, from_explorer=False):
    """Open the editor for a new 文章 in ``column`` (from the explorer, as an officer finds it,
    or straight at its address) and fill it in."""
    if from_explorer:
        page.goto(f"/admin/pages/{column.pk}/")
        page.get_by_role("link", name="添加子页面").click()
        page.get_by_role("link", name="文章", exact=True).click()
    else:
        page.goto(f"/admin/pages/add/columns/articlepage/{column.pk}/")
    page.locator("#id_title").fill(title)
    body = page.locator("[data-contentpath='body']")
    editor = body.get_by_role("textbox")  # a new article starts with one text block
    editor.click()
    editor.press_sequentially(text)
    # Draftail writes the editor's state into the form a moment (250 ms) after the last key.
    expect(body.locator("input[name='body-0-value']")).to_have_value(re.compile(text))


def editor_action(page, label):
    """Choose ``label`` in the editor's action menu (the arrow next to 保存草稿) and wait for
    the page the editor sends the user to."""
    page.get_by_role("button", name=MORE_ACTIONS).click()
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def return_with_comment(page, comment):
    """退回修改 in the editor's action menu asks for a comment (评论) first."""
    page.get_by_role("button", name=MORE_ACTIONS).click()
    page.get_by_role("button", name=RETURN, exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("评论").fill(comment)
    with page.expect_navigation():
        dialog.get_by_role("button", name=RETURN).click()


def review_queue(page, reload=True):
    """The dashboard's list of what waits for the logged-in user (logging in lands on the
    dashboard: no need to load it again right after)."""
    if reload:
        page.goto("/admin/")
    return page.get_by_role("region", name=AWAITING_MY_REVIEW)


def expect_not_in_queue(page, title, reload=True):
    """``title`` does not wait for the logged-in user (any more)."""
    queue = review_queue(page, reload)
    # The server renders the whole dashboard: once it has loaded, the queue is complete.
    waiting = queue.get_by_role("row").filter(has_text=title).count() if queue.count() else 0
    assert not waiting, f"「{title}」 waits in the review queue of this user"


def expect_never_asked(page, title, reload=True):
    """Someone who has no part in reviewing ``title``: not in their queue, nor anywhere on their
    dashboard (no notice either)."""
    expect_not_in_queue(page, title, reload)
    expect(page.get_by_role("main")).not_to_contain_text(title)


def open_from_queue(page, title, reload=True):
    """Find ``title`` in the dashboard's queue and open it in the editor."""
    queue = review_queue(page, reload)
    row = queue.get_by_role("row").filter(has_text=title)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator("#id_title")).to_have_value(title)


def workflow_status(page):
    """The editor's status side panel → 查看详情: the review chain's steps with comments."""
    page.get_by_role("button", name="状态开关").click()
    page.get_by_role("button", name="查看详情").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="内容审核流程")).to_be_visible()
    return dialog


def step(dialog, name):
    """One step of the timeline in the workflow status dialog."""
    return dialog.locator(".workflow-timeline__item").filter(has_text=name)


def test_article_goes_through_chief_and_director_to_the_public_site(
    new_browser_context, sign_in, make_user
):
    """R-FLOW-1..4, R-FLOW-6: the officer submits from the editor; screening passes by itself;
    the item waits only in the queue of 秘书科's chief, then only in that of a director who
    supervises 秘书科; the director's approval publishes it with 来源 and 发布时间."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    chief = make_user("mishu_chief", "秘书科-科长")
    wenshu_chief = make_user("wenshu_chief", "文书科-科长")
    director = make_user("director_a", "主管主任", supervises=["秘书科"])
    other_director = make_user("director_b", "主管主任", supervises=["综合科", "督查室"])
    column = sub_column("领导重要讲话")

    page = sign_in(officer)
    write_article(page, column, TITLE, TEXT, from_explorer=True)
    editor_action(page, SUBMIT)
    # Each step says what happened and what comes next (issue 14).
    expect(
        page.get_by_text(f"已提交审核：《{TITLE}》已通过自动审查，已送科长审核（秘书科科长）")
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("审核中")
    page.goto("/admin/")
    mine = page.get_by_role("region", name=MY_PAGES_IN_WORKFLOW)
    expect(mine.get_by_role("row").filter(has_text=TITLE)).to_contain_text(AWAITING_CHIEF)

    # At the chief step: 文书科's chief is not asked, 秘书科's chief is.
    expect_never_asked(sign_in(wenshu_chief), TITLE, reload=False)
    page = sign_in(chief)
    open_from_queue(page, TITLE, reload=False)
    editor_action(page, APPROVE)
    expect(page.get_by_text(NO_PERMISSION)).to_have_count(0)
    expect(page.get_by_text(f"已通过：《{TITLE}》，已送主管主任审核。")).to_be_visible()
    expect_not_in_queue(page, TITLE)

    # At the director step: only a director who supervises 秘书科 is asked.
    expect_never_asked(sign_in(other_director), TITLE, reload=False)
    page = sign_in(director)
    open_from_queue(page, TITLE, reload=False)
    editor_action(page, APPROVE)
    expect(page.get_by_text(f"已通过审核并发布：《{TITLE}》。")).to_be_visible()
    # Checked at the end, so that the public side is verified even while this fails.
    refused_after_approving = page.get_by_text(NO_PERMISSION).count()
    expect_not_in_queue(page, TITLE)

    article = ArticlePage.objects.get(title=TITLE)
    assert article.live and not article.has_unpublished_changes
    assert article.live_revision.user == officer  # 谁发布、谁负责: the author's version went live
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    finished_by = dict(state.task_states.values_list("task__name", "finished_by__username"))
    assert finished_by == {
        "自动审查": None,
        "信息中心审核": None,
        "科长审核": "mishu_chief",
        "主管主任审核": "director_a",
    }

    visitor = new_browser_context().new_page()
    published = timezone.localtime(article.first_published_at).strftime("%Y-%m-%d %H:%M")
    visitor.goto(article.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".article-meta")).to_contain_text("来源：秘书科")
    expect(visitor.locator(".article-meta")).to_contain_text(f"发布时间：{published}")
    expect(visitor.locator(".article-body")).to_contain_text(TEXT)

    visitor.goto(column.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("领导重要讲话")
    expect(visitor.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()

    visitor.goto("/")
    topics = visitor.get_by_role("region", name="政务专题")
    topics.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)

    assert not refused_after_approving, (
        "after the final approval the director is sent to the explorer of 领导重要讲话, which "
        f"they may not open, and sees 「对不起， {NO_PERMISSION}。」"
    )


def submit_and_have_it_returned(new_browser_context, browser_login, officer, chief):
    """The officer submits 《TITLE》; the chief returns it with RETURN_COMMENT. Each keeps a tab."""
    writer = browser_login(new_browser_context().new_page(), officer)
    write_article(writer, sub_column("领导重要讲话"), TITLE, TEXT)
    editor_action(writer, SUBMIT)

    reviewer = browser_login(new_browser_context().new_page(), chief)
    open_from_queue(reviewer, TITLE, reload=False)
    return_with_comment(reviewer, RETURN_COMMENT)
    expect(reviewer.get_by_text(f"已退回作者修改：《{TITLE}》")).to_be_visible()
    expect_not_in_queue(reviewer, TITLE)
    return writer, reviewer


def test_chief_returns_with_a_comment_and_the_officer_resubmits(
    new_browser_context, browser_login, make_user
):
    """R-FLOW-2, R-FLOW-6: the chief returns the article with a comment; the officer finds it
    marked on the dashboard, reads the comment in the editor, fixes the title and resubmits;
    the chief has it in the queue again, under its new title."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    chief = make_user("mishu_chief", "秘书科-科长")
    writer, reviewer = submit_and_have_it_returned(
        new_browser_context, browser_login, officer, chief
    )

    writer.goto("/admin/")
    mine = writer.get_by_role("region", name=RETURNED_TO_ME)
    row = mine.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(RETURNED_AT_CHIEF)
    expect(row).to_contain_text(RETURN_COMMENT)
    row.get_by_role("link", name=TITLE).click()
    status = workflow_status(writer)
    returned = step(status, "科长审核")
    expect(returned).to_contain_text("已由mishu_chief退回修改")
    expect(returned).to_contain_text(RETURN_COMMENT)
    status.get_by_role("button", name=re.compile("关闭")).click()

    writer.locator("#id_title").fill(FIXED_TITLE)
    editor_action(writer, RESUBMIT_TO_CHIEF)
    expect(
        writer.get_by_text(f"已提交审核：《{FIXED_TITLE}》已通过自动审查，已送科长审核")
    ).to_be_visible()

    open_from_queue(reviewer, FIXED_TITLE)
    reviewer.get_by_role("button", name=MORE_ACTIONS).click()
    expect(reviewer.get_by_role("button", name=APPROVE, exact=True)).to_be_visible()
    article = ArticlePage.objects.get()
    assert not article.live
    assert article.get_latest_revision().user == officer
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "科长审核"
    assert state.current_task_state.revision == article.get_latest_revision()


def test_screening_returns_classified_text_before_anyone_reviews_it(
    new_browser_context, sign_in, make_user
):
    """R-FLOW-1: a body containing 内部资料 is returned by the automatic screening, which names
    the mark, where it stands and the rule; no reviewer is asked and nothing goes online."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    chief = make_user("mishu_chief", "秘书科-科长")
    column = sub_column("领导重要讲话")
    page = sign_in(officer)
    write_article(page, column, TITLE, CLASSIFIED_TEXT)
    editor_action(page, SUBMIT)
    # Checked at the end: what the officer is told the moment they submit.
    told_at_once = {
        "「内部资料」": page.get_by_text("「内部资料」").count(),
        "正文第5个字处": page.get_by_text("正文第5个字处").count(),
    }
    told_submitted = page.get_by_text(f"页面 '{TITLE}' 已创建并提交审核。").count()

    article = ArticlePage.objects.get()
    page.goto(f"/admin/pages/{article.pk}/edit/")
    status = workflow_status(page)
    screening = step(status, "自动审查")
    expect(screening).to_contain_text("已退回修改")  # returned, by nobody in person
    expect(screening).to_contain_text("自动审查未通过")
    expect(screening).to_contain_text("【涉密标识】正文第5个字处「内部资料」")
    expect(screening).to_contain_text("上网不涉密，涉密不上网")
    expect(step(status, "科长审核")).not_to_contain_text("已由")

    expect_never_asked(sign_in(chief), TITLE, reload=False)

    article.refresh_from_db()
    assert not article.live and article.first_published_at is None
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.task.name == "自动审查"
    assert not TaskState.objects.filter(workflow_state=state, task__name="科长审核").exists()
    visitor = new_browser_context().new_page()
    assert visitor.goto(article.get_url()).status == 404

    assert all(told_at_once.values()) and not told_submitted, (
        "R-FLOW-1: right after submitting, the officer is told "
        f"「页面 '{TITLE}' 已创建并提交审核。」 and shown no finding {told_at_once}; the "
        "findings are only in the editor's status panel (查看详情) and in a notice"
    )


def test_a_resubmission_is_screened_again(new_browser_context, browser_login, make_user):
    """R-FLOW-1 ("on submit, the content is screened"; "nothing that fails screening reaches a
    human reviewer") holds for a resubmission too: after a return, the officer's new title
    carries 内部资料; resubmitting must stop at the screening, not reach the chief."""
    officer = make_user("mishu_officer", "秘书科-信息员")
    chief = make_user("mishu_chief", "秘书科-科长")
    writer, reviewer = submit_and_have_it_returned(
        new_browser_context, browser_login, officer, chief
    )
    article = ArticlePage.objects.get()

    writer.goto(f"/admin/pages/{article.pk}/edit/")
    writer.locator("#id_title").fill(MARKED_TITLE)
    editor_action(writer, RESUBMIT_TO_CHIEF)

    expect_not_in_queue(reviewer, MARKED_TITLE)
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    writer.goto(f"/admin/pages/{article.pk}/edit/")
    status = workflow_status(writer)
    expect(status).to_contain_text("【涉密标识】标题第14个字处「内部资料」")
