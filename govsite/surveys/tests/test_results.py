"""R-SURVEY-1: the results 综合科 reads — exact counts, percentages and means, a chart beside
each table — and the .xlsx export of every answer sheet."""

import io
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govsite.testing.helpers import login

from ..results import survey_results
from .factories import add_response, make_survey

pytestmark = pytest.mark.django_db

SHEETS = [
    {1: "搜索引擎", 2: ["政务公开", "政策文件"], 3: 5, 4: "栏目清楚"},
    {1: "政府门户", 2: ["政务公开"], 3: 4},
    {1: "政府门户", 2: ["政务公开", "在线交流"], 3: 3, 4: '=HYPERLINK("http://x")'},
    {1: "政府门户", 3: 4},
    {1: "朋友介绍", 3: 1, 4: "希望多更新"},
    {1: "政府门户", 2: ["在线交流"], 3: 5},
    {1: "搜索引擎", 3: 4},
]


@pytest.fixture
def answered(site_tree):
    survey = make_survey()
    base = timezone.make_aware(datetime(2026, 11, 20, 9, 0))
    for minute, values in enumerate(SHEETS):
        add_response(survey, values, at=base.replace(minute=minute))
    return survey


def rows(result):
    return [(row.label, row.count, row.percent_text) for row in result.rows]


def test_the_figures_are_exact(answered):
    results = survey_results(answered)
    assert results.responses == 7
    single, multiple, rating, text = results.questions

    assert single.answered == 7
    assert rows(single) == [
        ("搜索引擎", 2, "28.6%"),
        ("政府门户", 4, "57.1%"),
        ("朋友介绍", 1, "14.3%"),
    ]
    # Of the 4 who answered the (optional) multiple choice; the sum passes 100 %.
    assert multiple.answered == 4
    assert rows(multiple) == [
        ("政务公开", 3, "75.0%"),
        ("政策文件", 1, "25.0%"),
        ("在线交流", 2, "50.0%"),
    ]
    assert rating.answered == 7
    assert rows(rating) == [
        ("1分（非常不满意）", 1, "14.3%"),
        ("2分（不满意）", 0, "0.0%"),
        ("3分（一般）", 1, "14.3%"),
        ("4分（满意）", 3, "42.9%"),
        ("5分（非常满意）", 2, "28.6%"),
    ]
    assert rating.mean_text == "3.71"  # 26 / 7
    assert text.answered == 3
    assert [a.text for a in text.texts] == ["栏目清楚", '=HYPERLINK("http://x")', "希望多更新"]


def test_a_survey_without_answers_shows_zeros(site_tree):
    results = survey_results(make_survey())
    assert results.responses == 0
    assert all(row.count == 0 and row.percent_text == "0.0%" for row in results.questions[0].rows)
    assert results.questions[2].mean_text == "—"


def test_the_chart_bars_are_scaled_to_the_percentages(answered):
    chart = survey_results(answered).questions[1].chart
    assert [bar.width for bar in chart.bars] == [
        chart.plot_width * 0.75,
        chart.plot_width * 0.25,
        chart.plot_width * 0.5,
    ]
    assert chart.bars[0].value_text == "3（75.0%）"


@pytest.fixture
def manager(client, role_users):
    """The 综合科 officer: the section owning 服务满意度调查 reads the results."""
    login(client, role_users["综合科-信息员"])
    return role_users["综合科-信息员"]


def test_the_results_page_has_tables_charts_and_texts(client, manager, answered):
    html = client.get(reverse("surveys:results", args=[answered.pk])).content.decode()
    assert "共收到答卷 <strong>7</strong> 份" in html
    assert '<th scope="row">政府门户</th><td>4</td><td>57.1%</td>' in html
    assert '<th scope="row">平均分</th><td colspan="2">3.71</td>' in html
    charts = re.findall(r'<figure class="chart chart--bar survey-chart".*?<svg[^>]*>', html, re.S)
    assert len(charts) == 3  # one per question with figures
    assert all('role="img"' in svg and "aria-describedby" in svg for svg in charts)
    assert "希望多更新" in html and "栏目清楚" in html
    assert reverse("surveys:export", args=[answered.pk]) in html


def test_the_export_has_one_row_per_sheet_and_a_column_per_question(client, manager, answered):
    response = client.get(reverse("surveys:export", args=[answered.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0] == (
        "序号",
        "提交时间",
        "1. 您通过什么途径了解本网站？",
        "2. 您常用哪些栏目？",
        "3. 您对网站信息更新的及时性是否满意？",
        "4. 您对我们的工作还有什么意见和建议？",
    )
    assert len(values) == 1 + len(SHEETS)
    assert values[1] == (
        1,
        datetime(2026, 11, 20, 9, 0),
        "搜索引擎",
        "政务公开；政策文件",
        5,
        "栏目清楚",
    )
    assert values[2] == (2, datetime(2026, 11, 20, 9, 1), "政府门户", "政务公开", 4, None)
    assert values[5][4] == 1 and values[5][5] == "希望多更新"
    # An answer that looks like a formula stays text.
    cell = sheet.cell(row=4, column=6)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    # The number and the time stay in view beside the answers; the time reads as one.
    assert sheet.freeze_panes == "C2"
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet.column_dimensions["F"].width == 30 and sheet["F1"].alignment.wrap_text
