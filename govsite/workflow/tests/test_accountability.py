"""R-FLOW-4 (第十三条 谁发布、谁负责): every version's author, screening, reviewers, decisions,
comments and publication are shown in the admin and exported, to those entitled, read-only."""

import csv
import io
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from govsite.jobs.models import Job
from govsite.sections import roles
from govsite.testing.helpers import add_article, article_form, sub_column

TITLE = "区政府办公室召开专题会议"
RETURN_COMMENT = "请补充会议时间。"
APPROVE_COMMENT = "同意发布"


def named(user, family, given):
    user.last_name, user.first_name = family, given
    user.save(update_fields=["last_name", "first_name"])
    return user


@pytest.fixture
def people(make_user):
    return {
        "officer": named(make_user("mishu_officer", "秘书科-信息员"), "周", "雨桐"),
        "chief": named(make_user("mishu_chief", "秘书科-科长"), "吴", "国栋"),
        "director": named(
            make_user("director_a", roles.DIRECTORS, supervises=["秘书科", "文书科"]), "王", "立新"
        ),
        "other_officer": make_user("wenshu_officer", "文书科-信息员"),
        "other_chief": make_user("wenshu_chief", "文书科-科长"),
        "other_director": make_user("director_b", roles.DIRECTORS, supervises=["综合科", "督查室"]),
        "auditor": make_user("auditor", roles.AUDIT_ADMINS),
        "site_manager": make_user("site_manager", roles.SITE_MANAGERS),
        "admin": make_user("admin", superuser=True),
    }


def as_user(client, user):
    client.force_login(user)
    return client


def submit_in_editor(client, officer, page, title):
    """The officer presses 提交审核 in the page editor."""
    response = as_user(client, officer).post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**article_form(title), "action-submit": "submit"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def review_in_admin(client, reviewer, page, action, comment=""):
    """A reviewer approves or returns the current step through Wagtail's workflow action view."""
    state = WorkflowState.objects.for_instance(page).get(
        status__in=[WorkflowState.STATUS_IN_PROGRESS]
    )
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    response = as_user(client, reviewer).post(url, {"comment": comment})
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.finished_by == reviewer


@pytest.fixture
def reviewed_page(client, people):
    """An article written, screened, returned, corrected, approved twice and published."""
    column = sub_column("领导重要讲话")
    page = add_article(column, title=TITLE, owner=people["officer"], publish=False)
    submit_in_editor(client, people["officer"], page, TITLE)
    review_in_admin(client, people["chief"], page, "reject", RETURN_COMMENT)
    submit_in_editor(client, people["officer"], page, TITLE + "（11月24日）")
    review_in_admin(client, people["chief"], page, "approve", "")
    review_in_admin(client, people["director"], page, "approve", APPROVE_COMMENT)
    page.refresh_from_db()
    assert page.live and page.title.endswith("（11月24日）")
    client.logout()
    return page


def record_url(page):
    return reverse("govsite_workflow:page_record", args=[page.pk])


def export_url(page, export_type):
    return reverse("govsite_workflow:page_record_export", args=[page.pk, export_type])


def office_export_url(export_type, start, end):
    url = reverse("govsite_workflow:office_record_export", args=[export_type])
    return f"{url}?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"


def csv_rows(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel on Chinese Windows reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    headers, *rows = sheet.values
    return [
        {header: "" if value is None else value for header, value in zip(headers, row, strict=True)}
        for row in rows
    ]


def published_at(page):
    return timezone.localtime(page.last_published_at).strftime("%Y-%m-%d %H:%M:%S")


def assert_chain_is_recorded(rows, page):
    """The rows (dicts keyed by the export's headers) tell the whole story of ``page``."""
    steps = [(r["环节"], r["处理人"], r["结果"]) for r in rows]
    assert ("保存版本", "周雨桐", "已保存") in steps
    assert ("提交审核", "周雨桐", "已提交") in steps
    assert ("自动审查", "自动审查", "通过") in steps
    assert ("信息中心审核", "", "跳过") in steps
    assert ("科长审核", "吴国栋", "退回") in steps
    assert ("重新提交审核", "周雨桐", "已提交") in steps
    assert ("科长审核", "吴国栋", "通过") in steps
    assert ("主管主任审核", "王立新", "通过") in steps
    assert ("发布", "王立新", "已发布") in steps
    comments = {r["环节"] + r["结果"]: r["意见"] for r in rows}
    assert comments["科长审核退回"] == RETURN_COMMENT
    assert comments["主管主任审核通过"] == APPROVE_COMMENT
    assert comments["自动审查通过"] == "自动审查通过。"
    assert {r["版本作者"] for r in rows if r["版本"]} == {"周雨桐"}
    publication = next(r for r in rows if r["环节"] == "发布")
    # The log entry and the page's publication time are written a moment apart.
    logged = datetime.fromisoformat(str(publication["时间"]).replace("T", " ")[:19])
    assert abs(logged - datetime.fromisoformat(published_at(page))) <= timedelta(seconds=2)
    assert publication["标题（该版本）"] == page.title
    assert {r["来源科室"] for r in rows} == {"秘书科"}
    assert {r["栏目"] for r in rows} == {"领导重要讲话"}
    # The returned version and the published version are told apart.
    returned = next(r for r in rows if r["结果"] == "退回")
    assert returned["版本"] != publication["版本"]


@pytest.mark.django_db
def test_the_record_page_tells_who_did_what_and_when(client, people, reviewed_page):
    response = as_user(client, people["officer"]).get(record_url(reviewed_page))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("审核记录", "周雨桐", "自动审查", "吴国栋", "王立新", RETURN_COMMENT,
                 APPROVE_COMMENT, "通过", "退回", "跳过", "秘书科"):  # fmt: skip
        assert text in html, text
    # who published and when, in the summary
    assert re.search(r"<dt>发布人</dt><dd>王立新</dd>", html)
    # The time of the publication's log entry, written a moment apart from the page's own.
    shown = re.search(r"<dt>发布时间</dt><dd>([^<]+)</dd>", html).group(1)
    gap = datetime.fromisoformat(shown) - datetime.fromisoformat(published_at(reviewed_page))
    assert abs(gap) <= timedelta(seconds=2)
    assert export_url(reviewed_page, "csv") in html and export_url(reviewed_page, "xlsx") in html


@pytest.mark.django_db
def test_csv_and_xlsx_exports_hold_the_whole_chain(client, people, reviewed_page, exported):
    as_user(client, people["chief"])
    assert_chain_is_recorded(csv_rows(exported(export_url(reviewed_page, "csv"))), reviewed_page)
    assert_chain_is_recorded(xlsx_rows(exported(export_url(reviewed_page, "xlsx"))), reviewed_page)
    assert client.get(export_url(reviewed_page, "pdf")).status_code == 404
    assert client.post(export_url(reviewed_page, "pdf")).status_code == 404


@pytest.mark.django_db
def test_office_wide_export_covers_the_period(client, people, reviewed_page, exported):
    page, today = reviewed_page, timezone.localdate()
    as_user(client, people["auditor"])
    response = client.get(reverse("govsite_workflow:office_record"))
    assert response.status_code == 200 and TITLE in response.content.decode()

    rows = csv_rows(exported(office_export_url("csv", today, today)))
    assert_chain_is_recorded([r for r in rows if r["页面ID"] == str(page.pk)], page)
    rows = xlsx_rows(exported(office_export_url("xlsx", today, today)))
    assert_chain_is_recorded([r for r in rows if r["页面ID"] == page.pk], page)

    # A period before any of it happened holds none of it.
    long_ago = today.replace(year=today.year - 1)
    assert csv_rows(exported(office_export_url("csv", long_ago, long_ago))) == []
    response = client.get(reverse("govsite_workflow:office_record"), {"start": "x", "end": ""})
    assert response.status_code == 200 and "审核记录" in response.content.decode()


@pytest.mark.django_db
def test_an_unpublish_request_and_its_decisions_are_in_the_record(
    client, people, reviewed_page, exported
):
    """R-FLOW-5 in the record of R-FLOW-4: who asked to take the page offline and why, each
    reviewer's decision, and the unpublication it led to — on the page and office-wide."""
    from govsite.changes import actions
    from govsite.changes.models import ChangeKind

    page, today = reviewed_page, timezone.localdate()
    request = actions.file_request(people["officer"], page, ChangeKind.UNPUBLISH, "信息已过时效")
    actions.return_request(request, people["chief"], "请写明过时的原因")
    request = actions.file_request(
        people["officer"], page, ChangeKind.UNPUBLISH, "会议安排已变更，信息已过时效"
    )
    actions.approve(request, people["chief"])
    actions.approve(request, people["director"], "同意撤销")
    page.refresh_from_db()
    assert not page.live

    as_user(client, people["auditor"])
    for rows in (
        csv_rows(exported(export_url(page, "csv"))),
        [r for r in csv_rows(exported(office_export_url("csv", today, today)))
         if r["页面ID"] == str(page.pk)],
    ):  # fmt: skip
        steps = [(r["环节"], r["处理人"], r["结果"], r["意见"]) for r in rows]
        assert steps[-6:] == [
            ("撤销发布申请：申请人", "周雨桐", "提交申请", "信息已过时效"),
            ("撤销发布申请：科长审核", "吴国栋", "退回", "请写明过时的原因"),
            ("撤销发布申请：申请人", "周雨桐", "提交申请", "会议安排已变更，信息已过时效"),
            ("撤销发布申请：科长审核", "吴国栋", "同意", ""),
            ("撤销发布申请：主管主任审核", "王立新", "同意", "同意撤销"),
            ("取消发布", "王立新", "已下线", ""),
        ]
        # Against the version that was published when it was asked.
        assert {r["版本"] for r in rows[-6:-1]} == {rows[-7]["版本"]}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "chief", "director"])
def test_the_section_and_its_reviewers_may_read_the_page_record(client, people, reviewed_page, who):
    as_user(client, people[who])
    assert client.get(record_url(reviewed_page)).status_code == 200
    assert client.get(export_url(reviewed_page, "csv")).status_code == 200


def refused(response):
    """Wagtail's refusal: back to the dashboard with "no permission", nothing of the record."""
    return (
        response.status_code == 302
        and response.url == reverse("wagtailadmin_home")
        and "王立新" not in response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_officer", "other_chief", "other_director"])
def test_other_sections_are_refused(client, people, reviewed_page, who):
    as_user(client, people[who])
    assert refused(client.get(record_url(reviewed_page)))
    assert refused(client.get(export_url(reviewed_page, "csv")))
    assert refused(client.get(export_url(reviewed_page, "xlsx")))
    assert refused(client.get(reverse("govsite_workflow:office_record")))
    today = timezone.localdate()
    assert refused(client.get(office_export_url("csv", today, today)))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert record_url(reviewed_page) not in home


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["auditor", "site_manager", "admin"])
def test_auditors_site_managers_and_superusers_read_everything(client, people, reviewed_page, who):
    as_user(client, people[who])
    today = timezone.localdate()
    assert client.get(reverse("govsite_workflow:office_record")).status_code == 200
    assert client.get(office_export_url("xlsx", today, today)).status_code == 200
    assert client.get(record_url(reviewed_page)).status_code == 200


@pytest.mark.django_db
def test_the_information_centre_reads_the_records_of_what_it_reviews(client, make_user, people):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from govsite.columns.models import ArticleAttachment, ArticlePage

    media_chief = make_user("xinxi_chief", "信息中心-科长")
    video = get_document_model().objects.create(
        title="会议视频", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="meeting.mp4")
    )
    column = sub_column("领导重要讲话")
    with_video = add_article(
        column, title="有视频", owner=people["officer"], publish=False, slug="v"
    )
    ArticleAttachment.objects.create(page=with_video, document=video)
    without = add_article(column, title="无视频", owner=people["officer"], publish=False, slug="n")
    for page in (ArticlePage.objects.get(pk=with_video.pk), without):
        page.save_revision(user=people["officer"])
        page.get_workflow().start(page, people["officer"])

    as_user(client, media_chief)
    assert client.get(record_url(with_video)).status_code == 200
    assert refused(client.get(record_url(without)))


@pytest.mark.django_db
def test_officers_and_chiefs_see_no_office_wide_record(client, people, reviewed_page):
    for who in ("officer", "chief", "director"):
        as_user(client, people[who])
        assert refused(client.get(reverse("govsite_workflow:office_record")))


def record_state(page):
    return (
        list(Revision.objects.for_instance(page).values_list("pk", "user_id", "created_at")),
        list(
            TaskState.objects.for_instance(page).values_list(
                "pk", "status", "finished_by_id", "finished_at", "comment"
            )
        ),
        list(WorkflowState.objects.for_instance(page).values_list("pk", "status")),
        list(PageLogEntry.objects.filter(page=page).values_list("pk", "action", "user_id")),
    )


@pytest.mark.django_db
def test_the_record_cannot_be_changed_through_its_views(client, people, reviewed_page):
    before = record_state(reviewed_page)
    today = timezone.localdate()
    views = [record_url(reviewed_page), reverse("govsite_workflow:office_record")]
    exports = [
        export_url(reviewed_page, "csv"),
        export_url(reviewed_page, "xlsx"),
        office_export_url("csv", today, today),
    ]
    as_user(client, people["admin"])
    for url in views + exports:
        methods = (client.put, client.patch, client.delete)
        for method in methods if url in exports else (client.post, *methods):
            response = method(url, {"comment": "改掉", "status": "rejected"})
            assert response.status_code == 405, (method.__name__, url)
    for url in exports:  # POST starts an export, which only reads
        assert client.post(url, {"comment": "改掉", "status": "rejected"}).status_code == 302
    assert record_state(reviewed_page) == before


@pytest.mark.django_db
def test_the_page_editor_and_the_explorer_link_to_the_record(client, people, reviewed_page):
    as_user(client, people["officer"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[reviewed_page.pk]))
    assert record_url(reviewed_page) in edit.content.decode()
    listing = client.get(reverse("wagtailadmin_explore", args=[reviewed_page.get_parent().pk]))
    assert record_url(reviewed_page) in listing.content.decode()


@pytest.mark.django_db
def test_the_office_record_is_in_the_reports_menu_of_auditors_only(client, people):
    url = reverse("govsite_workflow:office_record")
    as_user(client, people["auditor"])
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()
    as_user(client, people["chief"])
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()


def table_rows(html):
    """Each table row of ``html`` as its cells' text."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells])
    return rows


@pytest.mark.django_db
def test_wagtails_history_names_the_automatic_screening(client, people, reviewed_page):
    as_user(client, people["officer"])
    history = client.get(reverse("wagtailadmin_pages:history", args=[reviewed_page.pk]))
    rows = [row for row in table_rows(history.content.decode()) if len(row) == 3]
    screening = [row for row in rows if row[0].startswith("“自动审查”")]
    # Screened on submission and again after the correction: the user column says who decided.
    assert len(screening) == 2
    assert all(row[1] == "自动审查" for row in screening), screening
    chief = [row for row in rows if row[0].startswith("“科长审核”")]
    assert chief and {row[1] for row in chief} == {"吴国栋"}

    state = WorkflowState.objects.for_instance(reviewed_page).get()
    detail = client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=[reviewed_page.pk, state.pk])
    ).content.decode()
    assert "<b>自动审查</b>" in detail  # "自动审查 于 … 已批准", never a blank actor
    assert "<b>吴国栋</b>" in detail and "<b>王立新</b>" in detail


@pytest.mark.django_db
def test_a_screening_outside_any_request_is_not_called_system(client, people):
    """Submitted by code (a command, an import): Wagtail logs the screening with no user."""
    page = add_article(
        sub_column("领导重要讲话"), title=TITLE, owner=people["officer"], publish=False
    )
    page.save_revision(user=people["officer"])
    page.get_workflow().start(page, people["officer"])
    entry = PageLogEntry.objects.get(page=page, action="wagtail.workflow.approve")
    assert entry.user is None
    as_user(client, people["officer"])
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    rows = [row for row in table_rows(history) if len(row) == 3]
    assert [row[1] for row in rows if row[0].startswith("“自动审查”")] == ["自动审查"]
    assert "系统" not in [row[1] for row in rows]


@pytest.mark.django_db
def test_the_site_history_report_names_the_automatic_screening(client, people, reviewed_page):
    as_user(client, people["admin"])
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    rows = [row for row in table_rows(report.content.decode()) if len(row) == 5]
    screening = [row for row in rows if row[2].startswith("“自动审查”")]
    assert len(screening) == 2 and all(row[3] == "自动审查" for row in screening), screening
    chief = [row for row in rows if row[2].startswith("“科长审核”")]
    assert len(chief) == 2 and {row[3] for row in chief} == {"吴国栋"}


@pytest.mark.django_db
def test_a_record_export_is_for_its_requester_not_for_the_job_overseer(
    client, make_user, people, reviewed_page, exported
):
    """系统管理员 watches every job but may not read the 审核记录 (三员分立): they see the export
    job, not its file."""
    today = timezone.localdate()
    as_user(client, people["auditor"])
    exported(office_export_url("csv", today, today))
    job = Job.objects.latest("pk")
    as_user(client, make_user("sysadmin", roles.SYSTEM_ADMINS))
    download = reverse("govsite_jobs:download", args=[job.pk])
    page = client.get(reverse("govsite_jobs:detail", args=[job.pk])).content.decode()
    assert job.label in page and download not in page
    assert client.get(download).status_code == 403
