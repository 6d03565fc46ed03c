"""R-OPEN-1 bad input: a malformed 发文字号, a 成文日期 after publication, a 失效 without a date —
refused with a Chinese sentence; in the editor nothing typed is lost."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from govsite.disclosure.models import CatalogueCategory, DocumentPage, Validity
from govsite.disclosure.rules import check_document_number
from govsite.testing.helpers import article_form, login

from .factories import add_document, document_column, full_metadata, topic

pytestmark = pytest.mark.django_db


def errors_of(page):
    with pytest.raises(ValidationError) as error:
        page.clean()
    return error.value.message_dict


def draft(**fields):
    """An unsaved document: the model refuses to save one with bad metadata."""
    return DocumentPage(title="关于印发政务公开工作要点的通知", **fields)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("临政办发〔2026〕28号", "临政办发〔2026〕28号"),
        ("临政办发[2026]28号", "临政办发〔2026〕28号"),
        ("临政办发［2026］28号", "临政办发〔2026〕28号"),
        ("临政办发【2026】28号", "临政办发〔2026〕28号"),
        (" 临政发 〔2026〕 3号 ", "临政发〔2026〕3号"),
    ],
)
def test_a_document_number_is_normalised_to_hexagonal_brackets(typed, stored):
    assert check_document_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["临政办发2026年28号", "临政办发〔26〕28号", "〔2026〕28号", "临政办发〔2026〕028号", "28号"],
)
def test_a_malformed_document_number_names_the_expected_form(site_tree, typed):
    with pytest.raises(ValidationError):
        add_document(document_number=typed)  # the model refuses to save it
    page = draft(document_number=typed)
    (message,) = errors_of(page)["document_number"]
    assert "机关代字〔年份〕序号" in message and "临政办发〔2026〕28号" in message


def test_the_written_date_may_not_follow_publication(site_tree):
    page = add_document(**full_metadata())
    page.written_on = timezone.localdate(page.first_published_at) + timedelta(days=1)
    (message,) = errors_of(page)["written_on"]
    assert "成文日期" in message and "不能晚于发布日期" in message


def test_a_draft_may_not_be_written_in_the_future(site_tree):
    page = draft(written_on=timezone.localdate() + timedelta(days=3))
    assert "不能晚于发布日期" in errors_of(page)["written_on"][0]


@pytest.mark.parametrize(
    ("validity", "label"),
    [
        (Validity.EXPIRED, "失效日期"),
        (Validity.REPEALED, "废止日期"),
        (Validity.AMENDED, "修订日期"),
    ],
)
def test_a_document_out_of_force_needs_its_date(site_tree, validity, label):
    page = draft(validity=validity)
    (message,) = errors_of(page)["validity_changed_on"]
    assert label in message
    page.validity_changed_on = date(2026, 3, 1)
    page.clean()


def test_only_a_second_level_topic_classes_a_document(site_tree):
    page = draft(topic=topic().parent)
    assert "二级主题分类" in errors_of(page)["topic"][0]


def test_a_valid_document_has_no_replacement_and_none_replaces_itself(site_tree):
    newer = add_document(title="新文件")
    page = draft(replaced_by=newer)
    assert "有效的文件不能有替代文件" in errors_of(page)["replaced_by"][0]
    page = add_document(title="旧文件")
    page.validity, page.validity_changed_on, page.replaced_by = (
        Validity.REPEALED,
        date(2026, 1, 1),
        page,
    )
    assert "不能是本文件" in errors_of(page)["replaced_by"][0]


def test_publisher_and_category_default_from_the_settings_and_the_column(site_tree):
    page = add_document(column=document_column("人事任免"))
    assert page.publisher == "临江区人民政府办公室"
    assert page.catalogue_category == CatalogueCategory.ORGANISATION
    assert add_document(column=document_column("政策法规")).catalogue_category == "laws"


@pytest.fixture
def wenshu_officer(make_user):
    return make_user("wenshu_officer", "文书科-信息员")


def document_form(title, **extra):
    fields = {
        "publisher": "",
        "document_number": "",
        "written_on": "",
        "topic": "",
        "genre": "",
        "keywords": "",
        "summary": "",
        "disclosure_mode": "active",
        "catalogue_category": "",
        "validity": "valid",
        "validity_changed_on": "",
        "replaced_by": "",
    }
    return article_form(title, **{**fields, **extra})


def test_the_editor_refuses_bad_metadata_and_keeps_what_was_typed(client, wenshu_officer):
    login(client, wenshu_officer)
    column = document_column("政府文件")
    url = reverse("wagtailadmin_pages:add", args=("disclosure", "documentpage", column.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert "公开属性" in response.text and "发布时由系统分配" in response.text
    response = client.post(
        url,
        document_form(
            "关于做好汛期值班值守工作的通知",
            document_number="临政办发2026第19号",
            keywords="汛期 值班值守",
            summary="部署汛期值班值守工作。",
            validity="expired",
        ),
    )
    assert response.status_code == 200
    assert not DocumentPage.objects.filter(title="关于做好汛期值班值守工作的通知").exists()
    text = response.text
    assert "机关代字〔年份〕序号" in text and "须填写失效日期" in text
    for typed in (
        "关于做好汛期值班值守工作的通知",
        "临政办发2026第19号",
        "汛期 值班值守",
        "部署汛期值班值守工作。",
    ):
        assert typed in text


def test_the_editor_saves_a_draft_with_full_metadata(client, wenshu_officer):
    login(client, wenshu_officer)
    column = document_column("政府文件")
    url = reverse("wagtailadmin_pages:add", args=("disclosure", "documentpage", column.pk))
    response = client.post(
        url,
        document_form(
            "关于印发防汛应急预案的通知",
            document_number="临政发[2026]14号",
            written_on="2026-01-05",
            topic=str(topic("综合政务", "应急管理").pk),
            keywords="防汛 应急预案",
        ),
    )
    assert response.status_code == 302, response.text[:2000]
    page = DocumentPage.objects.get(title="关于印发防汛应急预案的通知")
    assert page.document_number == "临政发〔2026〕14号"
    assert page.index_number is None and not page.live


def test_the_editor_costs_the_same_queries_however_many_topics(client, wenshu_officer):
    from govsite.disclosure.models import TopicCategory
    from govsite.testing.helpers import screen_queries

    login(client, wenshu_officer)
    column = document_column("政府文件")
    url = reverse("wagtailadmin_pages:add", args=("disclosure", "documentpage", column.pk))
    before, _ = screen_queries(client, url)
    top = TopicCategory.objects.create(name="测试一级分类", sort_order=99)
    for n in range(30):
        TopicCategory.objects.create(name=f"测试二级分类{n}", parent=top, sort_order=n)
    after, text = screen_queries(client, url)
    assert "测试一级分类 › 测试二级分类29" in text
    assert after == before
