"""The public 办事指南 (R-SERVICE-1): summary table, sections with anchors, materials with their
downloads, 不收费 and the holiday wording; the sub-column's list; printable; fixed query costs."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsite.columns.models import ProfilePage
from govsite.testing.helpers import runs_inline_script

from .factories import guide_column, make_guide, sample_form

pytestmark = pytest.mark.django_db


def summary(html):
    table = re.search(
        r'<table class="data-table label-table guide-summary">(.*?)</table>', html, re.S
    )
    assert table, "no summary table"
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table.group(1), re.S)
    return dict(rows)


def test_the_guide_opens_with_its_summary_table(client, site_tree):
    guide = make_guide(document=sample_form())
    html = client.get(guide.url).content.decode()
    rows = summary(html)
    assert rows["事项名称"] == "政府信息公开申请"
    assert rows["办理时限"] == "法定办结时限：20个工作日；承诺办结时限：15个工作日"
    assert rows["收费标准"] == "不收费"
    assert rows["办理地点"] == "临江区行政中心2号楼105室"
    assert rows["办理时间"] == "工作日 8:30—12:00，14:00—17:30（法定节假日除外）"
    assert rows["咨询电话"] == "0999-86012018"
    assert rows["监督投诉电话"] == "0999-86012010、12345"


def test_sections_have_anchors_and_steps_are_numbered(client, site_tree):
    html = client.get(make_guide().url).content.decode()
    for anchor in ["basis", "conditions", "materials", "place", "steps", "fee", "time-limit"]:
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    steps = re.search(r'<ol class="guide-steps">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r"<strong>(.*?)</strong>", steps) == ["提出申请", "登记受理", "作出答复"]
    assert "《中华人民共和国政府信息公开条例》 第二十七条" in html


def test_materials_are_listed_with_their_download(client, site_tree):
    form = sample_form()
    guide = make_guide(
        materials=[
            {"name": "政府信息公开申请表", "copies": 1, "document": form},
            {
                "name": "身份证明",
                "copies": 2,
                "original": "copy",
                "necessity": "deferrable",
                "note": "委托代理时提供",
            },
        ]
    )
    html = client.get(guide.url).content.decode()
    table = re.search(r'<table class="data-table guide-materials">(.*?)</table>', html, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]
    assert "政府信息公开申请表" in rows[0] and f'href="{form.url}"' in rows[0]
    assert "（TXT）" in rows[0]
    assert "身份证明" in rows[1] and "2份" in rows[1] and "复印件" in rows[1]
    assert "容缺（可后补）" in rows[1] and "委托代理时提供" in rows[1]
    assert client.get(form.url).status_code == 200


def test_a_charged_service_and_holiday_service_read_as_such(client, site_tree):
    guide = make_guide(fee_kind="charged", fee_standard="每页0.1元", covers_holidays=True)
    rows = summary(client.get(guide.url).content.decode())
    assert rows["收费标准"] == "每页0.1元"
    assert rows["办理时间"].endswith("（法定节假日照常办理）")


def test_the_guide_is_printable(client, site_tree):
    guide = make_guide()
    html = client.get(guide.url).content.decode()
    assert '<link rel="stylesheet" href="/static/services/guide.css">' in html
    assert f"本页地址：{guide.full_url}" in html
    assert not runs_inline_script(html)  # CSP script-src 'self': nothing inline
    with open(finders.find("services/guide.css"), encoding="utf-8") as sheet:
        css = sheet.read()
    print_sheet = css[css.index("@media print") :]
    for hidden in [".site-header", ".site-nav", ".breadcrumb", ".sidebar", ".site-footer"]:
        assert hidden in print_sheet
    assert ".print-only { display: block" in print_sheet


def test_the_sub_column_lists_its_guides_with_time_limit_and_fee(client, site_tree):
    make_guide(title="政府信息公开申请", promised_days=15)
    make_guide(title="印章使用审批", promised_days=0, fee_kind="charged", fee_standard="工本费5元")
    column = guide_column()
    column.add_child(
        instance=ProfilePage(title="业务流程说明", live=False)
    ).save_revision().publish()
    html = client.get(column.url).content.decode()
    table = re.search(r'<table class="data-table guide-list">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    assert "政府信息公开申请" in rows[0] and "承诺15个工作日" in rows[0] and "不收费" in rows[0]
    assert "印章使用审批" in rows[1] and "承诺即办" in rows[1] and "工本费5元" in rows[1]
    # Other content of the sub-column is listed below the guides, once.
    assert html.count("业务流程说明") == 1


def test_the_list_costs_the_same_for_2_and_8_guides(client, site_tree):
    column = guide_column()
    for n in range(2):
        make_guide(title=f"办事事项{n}")
    few, _ = _public_queries(client, column.url)
    for n in range(2, 8):
        make_guide(title=f"办事事项{n}")
    many, html = _public_queries(client, column.url)
    assert "办事事项7" in html
    assert few == many, (few, many)


def test_the_guide_costs_the_same_for_1_and_6_materials(client, site_tree):
    form = sample_form()
    one = make_guide(title="事项一", materials=[{"name": "材料", "document": form}])
    six = make_guide(
        title="事项六", materials=[{"name": f"材料{n}", "document": form} for n in range(6)]
    )
    few, _ = _public_queries(client, one.url)
    many, html = _public_queries(client, six.url)
    assert "材料5" in html
    assert few == many, (few, many)


def _public_queries(client, url):
    """The queries of one anonymous GET, after a first one has filled the per-process caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.content.decode()
