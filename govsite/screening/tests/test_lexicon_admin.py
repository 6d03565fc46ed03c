"""综合科 maintains the lexicons in the admin (R-SCREEN-1..3): add, disable, search, export,
import, history; nobody else may change them; the editor's 预检; re-screening."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from govsite.jobs.models import Job
from govsite.notices.models import Notice
from govsite.sections import roles
from govsite.testing.helpers import (
    add_article,
    article_form,
    assert_refused,
    login,
    sub_column,
)

from ..models import ClassificationMark, ProhibitedCategory, ProhibitedTerm, SeriousError
from .test_engine import term

TERMS = "wagtailsnippets_screening_prohibitedterm"
ERRORS = "wagtailsnippets_screening_seriouserror"


@pytest.fixture
def manager(client, role_users):
    login(client, role_users[roles.SITE_MANAGERS])
    return role_users[roles.SITE_MANAGERS]


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("词库.xlsx", buffer.getvalue())


def csv_file(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("词库.csv", buffer.getvalue().encode(encoding))


def test_the_site_manager_adds_a_term_and_its_history_names_them(client, manager):
    category = ProhibitedCategory.objects.get(number=7)
    response = client.post(
        reverse(f"{TERMS}:add"),
        {"category": category.pk, "text": "  网上赌场 ", "enabled": "on", "note": "演练"},
    )
    assert response.status_code == 302
    entry = ProhibitedTerm.objects.get(text="网上赌场")
    assert entry.latest_revision.user == manager
    history = client.get(reverse(f"{TERMS}:history", args=[entry.pk]))
    assert manager.get_full_name() or manager.username in history.content.decode()
    assert ModelLogEntry.objects.filter(object_id=str(entry.pk), user=manager).exists()


OTHERS = ["综合科-信息员", "秘书科-科长", "主管主任(秘书科、文书科)", roles.AUDIT_ADMINS]


@pytest.mark.parametrize("role", OTHERS)
def test_others_may_not_change_the_lexicon(client, role_users, role):
    login(client, role_users[role])
    category = ProhibitedCategory.objects.get(number=7)
    response = client.post(reverse(f"{TERMS}:add"), {"category": category.pk, "text": "网上赌场"})
    assert_refused(response)
    assert not ProhibitedTerm.objects.filter(text="网上赌场").exists()
    assert_refused(client.get(reverse(f"{TERMS}:import")))


def test_the_list_is_searchable_and_filterable(client, manager):
    term("网上赌场", 7)
    term("人肉搜索", 8)
    page = client.get(reverse(f"{TERMS}:list"), {"q": "赌场"}).content.decode()
    assert "网上赌场" in page and "人肉搜索" not in page
    number8 = ProhibitedCategory.objects.get(number=8).pk
    page = client.get(reverse(f"{TERMS}:list"), {"category": number8}).content.decode()
    assert "人肉搜索" in page and "网上赌场" not in page


def test_import_adds_updates_and_leaves_the_rest(client, manager):
    term("人肉搜索", 8)
    term("代开发票", 9)
    upload = xlsx(
        [
            ["类别编号", "词语", "启用", "备注"],
            [7, "网上赌场", "是", "新增"],
            [8, "人肉搜索", "否", ""],  # disabled
            [9, "代开发票", "是", ""],  # unchanged
        ]
    )
    response = client.post(reverse(f"{TERMS}:import"), {"file": upload}, follow=True)
    assert "新增 1 条，更新 1 条，1 条未变" in response.content.decode()
    assert ProhibitedTerm.objects.get(text="网上赌场").category.number == 7
    assert not ProhibitedTerm.objects.get(text="人肉搜索").enabled
    imported = ProhibitedTerm.objects.get(text="网上赌场")
    assert imported.latest_revision.user == manager


def test_a_bad_row_refuses_the_whole_file_and_says_where(client, manager):
    upload = csv_file(
        [
            ["类别编号", "词语", "启用"],
            ["7", "网上赌场", "是"],
            ["10", "某词", "是"],
            ["8", "", "是"],
            ["8", "人肉搜索", "也许"],
            ["7", "网上赌场", ""],
        ],
        encoding="gb18030",
    )
    response = client.post(reverse(f"{TERMS}:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "文件未导入" in page
    assert "第3行“类别编号”" in page and "第4行“词语”：不能为空" in page
    assert "第5行“启用”" in page and "与第2行重复" in page
    assert not ProhibitedTerm.objects.exists()


def test_wrong_headings_and_wrong_file_types_are_explained(client, manager):
    response = client.post(
        reverse(f"{TERMS}:import"), {"file": csv_file([["词", "类"], ["a", "b"]])}
    )
    assert "表头缺少：类别编号、词语" in response.content.decode()
    fake = SimpleUploadedFile("词库.xlsx", b"not a workbook")
    assert (
        "无法读取该 .xlsx 文件"
        in client.post(reverse(f"{TERMS}:import"), {"file": fake}).content.decode()
    )
    text = SimpleUploadedFile("词库.txt", b"a,b")
    assert (
        "只能导入 .xlsx 或 .csv"
        in client.post(reverse(f"{TERMS}:import"), {"file": text}).content.decode()
    )


def test_an_export_imports_back_unchanged(client, manager):
    SeriousError.objects.create(wrong="再接再励", right="再接再厉")
    SeriousError.objects.create(wrong="王立欣", right="王立新", kind="leader", enabled=False)
    exported = client.get(reverse(f"{ERRORS}:list"), {"export": "xlsx"})
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["类型", "错误写法", "正确写法", "启用", "备注"]
    assert ["领导姓名职务", "王立欣", "王立新", "否", None] in rows
    upload = SimpleUploadedFile(
        "export.xlsx",
        b"".join(client.get(reverse(f"{ERRORS}:list"), {"export": "xlsx"}).streaming_content),
    )
    response = client.post(reverse(f"{ERRORS}:import"), {"file": upload}, follow=True)
    assert "新增 0 条，更新 0 条，2 条未变" in response.content.decode()


def test_classification_marks_are_maintained_too(client, manager):
    response = client.post(
        reverse("wagtailsnippets_screening_classificationmark:add"),
        {"text": "仅供内部参考", "enabled": "on"},
    )
    assert response.status_code == 302
    assert ClassificationMark.objects.filter(text="仅供内部参考").exists()


# 预检 in the editor ---------------------------------------------------------------------------


def test_precheck_screens_the_unsaved_form_and_highlights_the_match(client, role_users):
    term("网上赌场", 7)
    officer = role_users["综合科-信息员"]
    page = add_article(sub_column("工作动态"), title="原标题", owner=officer)
    login(client, officer)
    response = client.post(
        reverse("screening_precheck", args=[page.pk]), article_form("提醒：远离网上赌场")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>网上赌场</mark>" in html and "第十九条第7项" in html
    page.refresh_from_db()
    assert page.title == "原标题" and page.get_latest_revision().content["title"] == "原标题"


def test_precheck_of_a_new_page_and_a_clean_one(client, role_users):
    officer = role_users["综合科-信息员"]
    login(client, officer)
    column = sub_column("工作动态")
    url = reverse("screening_precheck_new", args=["columns", "articlepage", column.pk])
    assert "预检通过" in client.post(url, article_form("关于春节假期安排的通知")).content.decode()
    assert "涉密标识" in client.post(url, article_form("内部资料汇编")).content.decode()


def test_precheck_is_refused_for_another_sections_page(client, role_users):
    page = add_article(sub_column("工作动态"))  # 综合科's column
    login(client, role_users["秘书科-信息员"])
    response = client.post(reverse("screening_precheck", args=[page.pk]), article_form("x"))
    assert_refused(response)


def test_the_editor_offers_the_precheck_button(client, role_users):
    officer = role_users["综合科-信息员"]
    page = add_article(sub_column("工作动态"), owner=officer)
    login(client, officer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "data-govsite-precheck" in html and "screening/precheck.js" in html


# Re-screening what is published -------------------------------------------------------------


def test_rescreen_flags_published_pages_and_tells_the_section(role_users):
    page = add_article(sub_column("工作动态"), title="关于代开发票问题的通报")
    add_article(sub_column("工作动态"), title="关于春节假期安排的通知")
    term("代开发票", 9)
    out = io.StringIO()
    call_command("rescreen_published", stdout=out)
    assert "1 条未通过" in out.getvalue() and "代开发票" in out.getvalue()
    officer, manager = role_users["综合科-信息员"], role_users[roles.SITE_MANAGERS]
    assert Notice.objects.filter(recipient=officer, title__contains=page.title).exists()
    assert Notice.objects.filter(recipient=manager, title__contains="1 条有问题").exists()
    assert not Notice.objects.filter(recipient=role_users["秘书科-信息员"]).exists()


def test_rescreen_is_due_after_the_lexicon_has_been_quiet(role_users):
    from datetime import timedelta

    from django.utils import timezone

    from ..rescreen import QUIET_PERIOD, rescreen_due, rescreen_published

    add_article(sub_column("工作动态"))
    term("代开发票", 9)
    assert not rescreen_due()  # just changed: wait for more edits
    later = timezone.now() + QUIET_PERIOD + timedelta(seconds=1)
    assert rescreen_due(now=later)
    rescreen_published(notify=False)
    assert not rescreen_due(now=later)


def test_the_report_page_runs_the_check_in_the_background_and_shows_it(
    client, manager, django_capture_on_commit_callbacks
):
    """At 100,000 pages the check outlasts any request: the button starts a background job,
    the page shows it while it runs, and the result once it is done."""
    add_article(sub_column("工作动态"), title="关于代开发票问题的通报")
    term("代开发票", 9)
    url = reverse("screening_rescreen:report")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, follow=True)
    html = response.content.decode()
    assert "已开始复查全部已发布信息（后台任务）" in html
    assert "正在复查" in html and "等待运行" in html and ">立即复查</button>" not in html
    (job,) = Job.objects.all()
    assert job.requested_by == manager and job.label == "已发布信息复查"
    # A second click while it waits starts nothing more.
    with django_capture_on_commit_callbacks(execute=False) as more:
        client.post(url)
    assert Job.objects.count() == 1 and not more

    for callback in callbacks:  # the worker picks the job up
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    html = client.get(url).content.decode()
    assert "检查已发布信息 1 条，未通过 1 条" in html and "关于代开发票问题的通报" in html
    assert "正在复查" not in html and ">立即复查</button>" in html
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == job.total == 1
