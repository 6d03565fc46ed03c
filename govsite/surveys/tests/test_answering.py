"""R-SURVEY-1 (第十一条) on the public site: visitors answer open surveys under 在线交流 ›
服务满意度调查, once each (best effort without login), and never outside the period."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from govsite.columns.models import ArticlePage

from ..models import Answer, Response, SurveyColumnPage, SurveySettings
from ..rules import cookie_name
from .factories import add_response, make_survey, question, survey_column

pytestmark = pytest.mark.django_db

VISITOR = "203.0.113.7"


def sheet(survey, single="政府门户", multiple=("政务公开", "在线交流"), rating="4", text="很好"):
    """The POST data of an answer sheet for the SATISFACTION questions."""
    data = {}
    for number, value in enumerate((single, multiple, rating, text), 1):
        if value is not None:
            data[f"q{question(survey, number).pk}"] = value
    return data


def answer_url(survey):
    return survey_column().survey_url(survey)


def post(client, survey, data, address=VISITOR):
    return client.post(answer_url(survey), data, REMOTE_ADDR=address)


def test_the_sub_column_is_a_survey_page_that_still_takes_articles(site_tree):
    column = SurveyColumnPage.objects.get()
    assert column.slug == "myddc" and column.get_parent().title == "在线交流"
    assert column.owner_section.name == "综合科"
    assert ArticlePage.can_create_at(column)


def test_the_column_lists_open_surveys_and_published_results(client, site_tree):
    make_survey("正在进行的调查")
    make_survey("尚未开始的调查", opens=timedelta(days=2), closes=timedelta(days=9))
    make_survey("已结束且公布的调查", opens=timedelta(days=-9), closes=timedelta(days=-2),
                publish_results=True)  # fmt: skip
    make_survey("已结束未公布的调查", opens=timedelta(days=-9), closes=timedelta(days=-2))
    html = client.get(survey_column().url).content.decode()
    assert "正在进行的调查" in html
    assert "已结束且公布的调查：调查结果" in html
    assert "尚未开始的调查" not in html and "已结束未公布的调查" not in html


def test_a_valid_answer_sheet_is_stored_and_thanked(client, site_tree):
    survey = make_survey()
    form = client.get(answer_url(survey)).content.decode()
    assert "csrfmiddlewaretoken" in form and "必答" in form and "5分 非常满意" in form

    response = post(client, survey, sheet(survey))
    assert response.status_code == 302
    assert response.url == survey_column().survey_url(survey, "thanks")
    assert "感谢您参加本次调查" in client.get(response.url).content.decode()

    stored = Response.objects.get(survey=survey)
    answers = {(a.question_id, a.choice, a.rating, a.text) for a in stored.answers.all()}
    assert answers == {
        (question(survey, 1).pk, "政府门户", None, ""),
        (question(survey, 2).pk, "政务公开", None, ""),
        (question(survey, 2).pk, "在线交流", None, ""),
        (question(survey, 3).pk, "", 4, ""),
        (question(survey, 4).pk, "", None, "很好"),
    }
    assert re.fullmatch("[0-9a-f]{64}", stored.client_hash)
    assert response.cookies[cookie_name(survey)]["httponly"]


def test_no_raw_address_is_stored(client, site_tree):
    survey = make_survey()
    post(client, survey, sheet(survey, text=None))
    stored = Response.objects.values().get()
    assert not any(VISITOR in str(value) for value in stored.values())
    other = make_survey("另一份调查")
    post(Client(), other, sheet(other, text=None))
    first, second = Response.objects.order_by("pk").values_list("client_hash", flat=True)
    assert first != second  # the same address hashes differently for each survey


def test_optional_questions_may_be_left_out(client, site_tree):
    survey = make_survey()
    assert post(client, survey, sheet(survey, multiple=None, text=None)).status_code == 302
    assert Answer.objects.count() == 2


def test_an_option_sent_twice_counts_once(client, site_tree):
    survey = make_survey()
    post(client, survey, sheet(survey, multiple=["政务公开", "政务公开"]))
    assert Answer.objects.filter(question=question(survey, 2)).count() == 1


def test_a_missing_required_answer_is_refused_in_chinese(client, site_tree):
    survey = make_survey()
    response = post(client, survey, sheet(survey, single=None, rating=None))
    html = response.content.decode()
    assert response.status_code == 200
    assert "提交未成功" in html and html.count("此题为必答题，请作答。") == 2
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"single": "隔壁老王"},
        {"multiple": ["政务公开", "不存在的栏目"]},
        {"rating": "6"},
        {"rating": "非常好"},
    ],
)
def test_values_outside_the_options_are_refused(client, site_tree, values):
    survey = make_survey()
    response = post(client, survey, sheet(survey, **values))
    assert response.status_code == 200
    assert "所选选项无效，请从给出的选项中选择。" in response.content.decode()
    assert not Response.objects.exists()


def test_an_overlong_text_answer_is_refused(client, site_tree):
    survey = make_survey()
    html = post(client, survey, sheet(survey, text="很" * 1001)).content.decode()
    assert "文字请控制在 1000 字以内（现有 1001 字）" in html
    assert not Response.objects.exists()


def test_an_empty_sheet_is_refused(client, site_tree):
    survey = make_survey(questions=[("还有什么建议？", "text", False, "")])
    html = post(client, survey, {}).content.decode()
    assert "请至少回答一道题后再提交。" in html
    assert not Response.objects.exists()


def test_a_survey_not_yet_open_is_not_there(client, site_tree):
    survey = make_survey(opens=timedelta(hours=1), closes=timedelta(days=7))
    assert client.get(answer_url(survey)).status_code == 404
    assert post(client, survey, sheet(survey)).status_code == 404
    assert not Response.objects.exists()


def test_a_closed_survey_refuses_answers(client, site_tree):
    survey = make_survey(opens=timedelta(days=-9), closes=timedelta(minutes=-1))
    page = client.get(answer_url(survey)).content.decode()
    assert "结束，不再接受答卷" in page
    assert 'method="post"' not in page and "csrfmiddlewaretoken" not in page
    response = post(client, survey, sheet(survey))
    assert response.status_code == 403
    assert "结束，不再接受答卷" in response.content.decode()
    assert not Response.objects.exists()


def test_a_second_answer_from_the_same_browser_is_refused_politely(client, site_tree):
    survey = make_survey()
    assert post(client, survey, sheet(survey)).status_code == 302
    assert "您已经参加过本次调查" in client.get(answer_url(survey)).content.decode()
    again = post(client, survey, sheet(survey), address="198.51.100.9")
    assert again.status_code == 403
    assert "您已经参加过本次调查，感谢您的支持！" in again.content.decode()
    assert Response.objects.count() == 1


def test_a_forged_cookie_does_not_count(client, site_tree):
    survey = make_survey()
    client.cookies[cookie_name(survey)] = str(survey.pk)  # unsigned
    assert post(client, survey, sheet(survey)).status_code == 302


def test_answers_from_one_address_are_capped_per_day(site_tree):
    settings = SurveySettings.load()
    settings.answers_per_address_per_day = 2
    settings.save()
    survey = make_survey()
    for _ in range(2):  # two browsers behind one address (an office, a family)
        assert post(Client(), survey, sheet(survey)).status_code == 302
    third = post(Client(), survey, sheet(survey))
    assert third.status_code == 403
    assert "您所在的网络今天提交本次调查的答卷已达上限" in third.content.decode()
    assert post(Client(), survey, sheet(survey), address="198.51.100.9").status_code == 302
    assert Response.objects.count() == 3


def test_the_cap_counts_only_today(site_tree):
    settings = SurveySettings.load()
    settings.answers_per_address_per_day = 1
    settings.save()
    survey = make_survey(opens=timedelta(days=-3))
    client = Client()
    post(client, survey, sheet(survey))
    Response.objects.update(submitted_at=Response.objects.get().submitted_at - timedelta(days=1))
    assert post(Client(), survey, sheet(survey)).status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(settings, site_tree):
    settings.GOVSITE_PROXY_COUNT = 1
    SurveySettings.objects.update_or_create(pk=1, defaults={"answers_per_address_per_day": 1})
    survey = make_survey()
    proxy = "10.0.0.2"
    first = Client().post(
        answer_url(survey), sheet(survey), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=VISITOR
    )
    other = Client().post(
        answer_url(survey), sheet(survey), REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"{VISITOR}, 198.51.100.9",
    )  # fmt: skip
    same = Client().post(
        answer_url(survey), sheet(survey), REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"198.51.100.9, {VISITOR}",
    )  # fmt: skip
    assert [first.status_code, other.status_code, same.status_code] == [302, 302, 403]


def test_the_answer_sheet_needs_its_csrf_token(site_tree):
    survey = make_survey()
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, survey, sheet(survey)).status_code == 403
    assert not Response.objects.exists()


def test_published_results_show_figures_but_no_free_text(client, site_tree):
    survey = make_survey(publish_results=True)
    add_response(survey, {1: "政府门户", 3: 5, 4: "请公开我的电话 13800000000"})
    assert client.get(survey_column().survey_url(survey, "results")).status_code == 404
    survey.closes_at = survey.opens_at + timedelta(hours=1)
    survey.save()
    html = client.get(survey_column().survey_url(survey, "results")).content.decode()
    assert "共收到答卷 1 份" in html and "<svg" in html
    assert "13800000000" not in html and "共收到文字意见 1 条（文字意见不公开）" in html


def test_unpublished_results_stay_unpublished(client, site_tree):
    survey = make_survey(opens=timedelta(days=-9), closes=timedelta(days=-1))
    assert client.get(survey_column().survey_url(survey, "results")).status_code == 404
