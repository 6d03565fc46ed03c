"""The charts' one home (govsite/charts.py, templates/charts/; docs/decisions/0008): the geometry
of bar and line charts, their data tables, the SVG they render, and how Chromium reads and
prints them."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from govsite import charts

SVG = "{http://www.w3.org/2000/svg}"
SECTIONS = [("综合科", 12), ("秘书科", 7), ("文书科", 0), ("督查科", 3)]


def is_round(step):
    """1, 2 or 5 × 10ⁿ."""
    digits = step.normalize().as_tuple().digits
    return digits in ((1,), (2,), (5,))


def contrast(colour, against="#ffffff"):
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(against)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- bar charts ------------------------------------------------------------------------------


def test_bars_are_proportional_to_their_values():
    chart = charts.bar("报送数", SECTIONS, unit="条")
    widths = {bar.full_label: bar.width for bar in chart.bars}
    axis_max = chart.ticks[-1].value
    for label, value in SECTIONS:
        assert widths[label] == pytest.approx(chart.plot_width * value / float(axis_max), abs=0.1)
    assert widths["文书科"] == 0
    assert [bar.value_text for bar in chart.bars] == ["12条", "7条", "0条", "3条"]
    # Each bar on its own row, top to bottom in the given order.
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)


@pytest.mark.parametrize(
    "values",
    [[12, 7, 3], [1], [0.37], [Decimal("87.5"), Decimal("92.25")], [10**12, 3], [99, 100, 101]],
)
def test_ticks_start_at_zero_and_climb_in_round_steps_past_the_largest_value(values):
    chart = charts.bar("t", [(f"第{i}项", v) for i, v in enumerate(values)])
    ticks = [tick.value for tick in chart.ticks]
    assert ticks[0] == 0 and ticks[-1] >= max(Decimal(str(v)) for v in values)
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and is_round(steps.pop())
    assert 2 <= len(ticks) <= 11
    positions = [tick.position for tick in chart.ticks]
    assert positions[0] == chart.plot_x and positions == sorted(positions)


def test_integer_counts_never_get_fractional_ticks():
    chart = charts.bar("t", [("综合科", 1), ("秘书科", 0)])
    assert [tick.text for tick in chart.ticks] == ["0", "1"]


def test_max_value_fixes_the_axis_unless_a_value_passes_it():
    chart = charts.bar("得分", [("综合科", Decimal("87.5"))], unit="分", max_value=100)
    assert [tick.text for tick in chart.ticks] == ["0", "20", "40", "60", "80", "100"]
    assert chart.bars[0].width == pytest.approx(chart.plot_width * 0.875, abs=0.1)
    over = charts.bar("得分", [("综合科", 130)], max_value=100)
    assert over.ticks[-1].value >= 130
    assert over.bars[0].width <= over.plot_width


def test_huge_values_keep_short_tick_labels_and_the_table_keeps_the_figures():
    chart = charts.bar("访问量", [("首页", 123_456_789), ("信箱", 4_000_000)])
    assert [tick.text for tick in chart.ticks] == ["0", "0.5亿", "1亿", "1.5亿"]
    assert chart.table.rows == [["首页", "123456789"], ["信箱", "4000000"]]
    assert charts.bar("x", [("a", 250_000)]).ticks[-1].text == "25万"


def test_decimals_floats_and_ints_mix_and_print_plainly():
    chart = charts.bar("得分", [("a", Decimal("87.50")), ("b", 2.125), ("c", 3), ("d", 1e3)])
    assert [row[1] for row in chart.table.rows] == ["87.5", "2.12", "3", "1000"]
    with pytest.raises(ValueError):
        charts.bar("x", [("a", float("nan"))])


def test_one_row_and_zero_rows():
    one = charts.bar("报送数", [("秘书科", 5)])
    assert len(one.bars) == 1 and one.bars[0].width == pytest.approx(one.plot_width, abs=0.1)
    none = charts.bar("报送数", [])
    assert none.empty and none.bars == [] and none.table.rows == []
    html = render_to_string("charts/bar.html", {"chart": none})
    assert html.count(charts.NO_DATA) >= 2  # in the drawing and in the table


def test_long_labels_are_shortened_in_the_drawing_and_whole_in_the_table():
    label = "区政府办公室综合科（电子政务与网站管理）信息报送专项工作"
    chart = charts.bar("t", [(label, 1), ("秘书科", 2)])
    drawn = chart.bars[0].label
    assert drawn.endswith("…") and label.startswith(drawn[:-1])
    assert charts.text_width(drawn) <= chart.plot_x
    assert chart.table.rows[0][0] == label and chart.bars[0].full_label == label


# --- line charts -----------------------------------------------------------------------------

MONTHS = [f"{m}月" for m in range(1, 13)]


def test_a_none_is_a_gap_in_the_line_and_a_dash_in_the_table():
    chart = charts.line(
        "月度报送",
        [
            ("综合科", [("1月", 3), ("2月", 4), ("3月", None), ("4月", 6), ("5月", 2)]),
            ("秘书科", [("1月", 1), ("2月", None), ("3月", 2), ("4月", None), ("5月", 4)]),
        ],
        unit="条",
    )
    first, second = chart.series
    assert first.path.count("M") == 2  # 1–2月, then 4–5月
    assert len(first.points) == 4
    assert second.path == ""  # no two neighbours: markers only
    assert len(second.points) == 3
    assert chart.table.headers == ["时间", "综合科（条）", "秘书科（条）"]
    assert chart.table.rows[2] == ["3月", "—", "2"]
    # Higher values are drawn higher (smaller y), at the same x across series.
    y = {p.x_label: p.y for p in first.points}
    assert y["4月"] < y["2月"] < y["5月"]
    assert {p.x for p in first.points if p.x_label == "1月"} == {
        p.x for p in second.points if p.x_label == "1月"
    }


def test_eight_series_differ_in_colour_marker_and_dash_and_each_colour_reads_on_white():
    series = [(f"科室{i}", [(m, i * 10 + n) for n, m in enumerate(MONTHS)]) for i in range(8)]
    chart = charts.line("得分走势", series)
    assert len({s.colour for s in chart.series}) == 8
    assert len({s.marker for s in chart.series}) == 8
    assert len({s.dash for s in chart.series}) == 8
    assert all(contrast(colour) >= 3 for colour in charts.COLOURS)
    assert contrast(charts.AXIS_COLOUR) >= 3 and contrast(charts.MUTED_TEXT_COLOUR) >= 4.5
    assert {s.legend_y for s in chart.series} == {
        chart.series[0].legend_y,
        chart.series[4].legend_y,
    }
    with pytest.raises(ValueError):
        charts.line("太多", [*series, ("第九", [("1月", 1)])])


def test_crowded_x_labels_are_thinned_but_all_in_the_table():
    labels = [f"2026-{m:02d}" for m in range(1, 13)] + [f"2027-{m:02d}" for m in range(1, 13)]
    chart = charts.line("两年", [("全办", [(x, i) for i, x in enumerate(labels)])])
    shown = chart.shown_x_labels
    assert shown[0].text == "2026-01" and 2 <= len(shown) < 24
    gaps = [b.x - a.x for a, b in zip(shown, shown[1:], strict=False)]
    assert min(gaps) >= charts.text_width("2026-01", charts.SMALL_FONT_SIZE)
    assert [row[0] for row in chart.table.rows] == labels


def test_a_line_chart_without_values_says_so():
    assert charts.line("空", []).empty
    assert charts.line("空", [("综合科", [("1月", None)])]).empty
    html = render_to_string("charts/line.html", {"chart": charts.line("空", [])})
    assert charts.NO_DATA in html


def test_slugs_are_id_safe_and_differ_between_charts():
    a = charts.bar("综合科 得分/月", SECTIONS)
    b = charts.bar("综合科 得分/月", SECTIONS[:2])
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", a.slug) and a.slug != b.slug
    assert charts.bar("t", [], slug="12 得分").slug == "chart-12"
    assert charts.bar("t", [], slug="score-2026").slug == "score-2026"


# --- templates -------------------------------------------------------------------------------


def rendered():
    bar = charts.bar("各科室报送数", SECTIONS, unit="条", caption="2026年11月")
    line = charts.line(
        "各科室得分走势", [("综合科", [("9月", 95), ("10月", None), ("11月", 90)])], unit="分"
    )
    html = render_to_string("charts/bar.html", {"chart": bar}) + render_to_string(
        "charts/line.html", {"chart": line}
    )
    return bar, line, html


def test_each_chart_is_well_formed_svg_labelled_and_described_with_its_table():
    bar, line, html = rendered()
    for chart in (bar, line):
        svg = re.search(rf'<svg[^>]*aria-labelledby="{chart.slug}-title".*?</svg>', html, re.S)
        root = ET.fromstring(svg.group(0))  # well-formed XML
        assert root.get("role") == "img"
        assert root.get("aria-describedby") == f"{chart.slug}-desc"
        assert root.find(f"{SVG}title").get("id") == f"{chart.slug}-title"
        assert root.find(f"{SVG}desc") is not None
        table = re.search(rf'<table[^>]*id="{chart.slug}-table".*?</table>', html, re.S).group(0)
        for row in chart.table.rows:
            assert f'<th scope="row">{row[0]}</th>' in table
    assert '<th scope="col">数值（条）</th>' in html and "<td>12</td>" in html
    assert "<td>—</td>" in html  # the gap
    assert "<details" in html and "2026年11月" in html


def test_the_templates_carry_no_script_and_no_inline_style():
    _, _, html = rendered()
    assert "<script" not in html and " style=" not in html and " on" not in html.replace(" one", "")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_a_hostile_label_is_escaped():
    chart = charts.bar("<b>t</b>", [('<script>alert(1)</script>"', 1)])
    html = render_to_string("charts/bar.html", {"chart": chart})
    assert "<script>" not in html and "&lt;script&gt;" in html
    ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))


# --- in the browser --------------------------------------------------------------------------

CSS = Path(settings.PROJECT_DIR, "static", "govsite", "charts.css")


@pytest.mark.browser
def test_chromium_names_the_charts_and_prints_their_tables(browser):
    bar, line, html = rendered()
    page = browser.new_page()
    try:
        page.set_content(
            f'<!doctype html><html lang="zh-CN"><body><main>{html}</main></body></html>'
        )
        page.add_style_tag(content=CSS.read_text(encoding="utf-8"))
        images = page.get_by_role("img")
        assert images.count() == 2
        assert page.get_by_role("img", name="各科室报送数：条形图").is_visible()
        assert page.get_by_role("img", name="各科室得分走势：折线图").is_visible()
        box = page.locator(f"#{bar.slug} svg").bounding_box()
        assert box["width"] > 300 and box["height"] > 100
        # On screen the tables wait behind 数据表; on paper they are printed.
        table = page.locator(f"#{line.slug}-table")
        assert not table.is_visible()
        page.emulate_media(media="print")
        assert table.is_visible() and page.locator(f"#{bar.slug}-table").is_visible()
        assert not page.locator(f"#{bar.slug} summary").is_visible()
        assert len(page.pdf()) > 1000
    finally:
        page.close()
