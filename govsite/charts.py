"""Charts drawn on the server as inline SVG, each with its data table (docs/decisions/0008).

Two kinds, enough for the office's reports (调查结果, 信息报送通报, 考核得分, 领导看板):

* ``bar(title, rows)``: horizontal bars, one per ``(label, value)`` row;
* ``line(title, series)``: up to eight series over up to 24 points, ``None`` being a gap.

This module only computes geometry: numbers in, coordinates, ticks, colours and a table out.
``templates/charts/bar.html`` and ``charts/line.html`` draw them — no script, no inline style
(the CSP allows neither), colours of at least 3:1 against white, and every series told apart by
a marker shape and a dash pattern too, so a greyscale print still reads. What the SVG shows the
table says in full (long labels are shortened in the drawing only), and screen readers read
the table. Values are int, Decimal or float and meant to be ≥ 0; a negative value is drawn as 0
and shown as it is in the table.
"""

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

NO_DATA = "暂无数据"
FONT_SIZE = 13
SMALL_FONT_SIZE = 11

# Series colours, each at least 3:1 against white (WCAG 1.4.11), told apart in greyscale by
# their markers and dashes. The first is the office's red, the bars' colour.
COLOURS = ["#b4141b", "#1f5fa8", "#2e7d32", "#8e5300", "#6a3d9a", "#00796b", "#c2185b", "#4d4d4d"]
DASHES = ["", "6 3", "2 3", "9 3 2 3", "12 4", "4 4", "1 4", "9 3 2 3 2 3"]
MARKERS = [
    "circle",
    "square",
    "triangle",
    "diamond",
    "open-circle",
    "open-square",
    "triangle-down",
    "cross",
]
BAR_COLOUR = COLOURS[0]
TRACK_COLOUR = "#eeeeee"
GRID_COLOUR = "#d9d9d9"
AXIS_COLOUR = "#767676"
TEXT_COLOUR = "#222222"
MUTED_TEXT_COLOUR = "#444444"


# ---------------------------------------------------------------------------------------------
# Numbers and text


def _decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a chart value must be finite, not {value!r}")
        return Decimal(repr(value))
    return Decimal(value)


def number_text(value):
    """A value as the table shows it: at most two decimals, no trailing zeros, no exponent."""
    if value is None:
        return "—"
    d = _decimal(value)
    if d == d.to_integral_value():
        return format(d.to_integral_value(), "f")
    return format(d.quantize(Decimal("0.01")).normalize(), "f")


def tick_text(value, axis_max):
    """A tick's label, in 万 or 亿 when the axis reaches that far, so it stays short."""
    if value == 0:
        return "0"
    if axis_max >= 10**12:
        return number_text(value / 10**12) + "万亿"
    if axis_max >= 10**8:
        return number_text(value / 10**8) + "亿"
    if axis_max >= 10**5:
        return number_text(value / 10**4) + "万"
    return number_text(value)


def text_width(text, font_size=FONT_SIZE):
    """The width a text takes, estimated: Chinese characters 1 em, others 0.6 em."""
    return sum(
        font_size if unicodedata.east_asian_width(char) in "WF" else font_size * 0.6
        for char in text
    )


def shorten(text, width, font_size=FONT_SIZE):
    """``text`` cut to ``width`` pixels with "…"; the table carries it in full."""
    if text_width(text, font_size) <= width:
        return text
    room = width - font_size  # the ellipsis
    kept = ""
    for char in text:
        if text_width(kept + char, font_size) > room:
            break
        kept += char
    return kept + "…"


def nice_step(top, integers=False):
    """A round tick step (1, 2 or 5 × 10ⁿ) giving about five steps up to ``top``."""
    raw = _decimal(top) / 5
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for multiple in (1, 2, 5, 10):
        if raw / magnitude <= multiple:
            step = magnitude * multiple
            break
    return max(step, Decimal(1)) if integers else step


@dataclass
class Tick:
    value: Decimal
    text: str
    position: float  # x of a bar chart's tick, y of a line chart's


def _axis(values, max_value):
    """The top of the axis and its ticks: ``max_value`` when the data stays below it, else the
    next multiple of a round step above the largest value."""
    values = [_decimal(v) for v in values if v is not None]
    top = max([v for v in values if v > 0], default=Decimal(0))
    integers = all(v == v.to_integral_value() for v in values) and (
        max_value is None or _decimal(max_value) == _decimal(max_value).to_integral_value()
    )
    if max_value is not None and top <= _decimal(max_value) and _decimal(max_value) > 0:
        axis_max = _decimal(max_value)
        step = nice_step(axis_max, integers)
    else:
        step = nice_step(top if top > 0 else 1, integers)
        axis_max = max(step * math.ceil(top / step), step)
    count = int(axis_max // step)
    return axis_max, [step * i for i in range(count + 1)]


def _scale(value, axis_max, length):
    value = max(_decimal(value), Decimal(0))
    return round(float(min(value, axis_max) / axis_max) * length, 1)


def _slug(kind, title, data, slug):
    if slug:
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", str(slug)).strip("-")
        return slug if slug[:1].isalpha() else f"chart-{slug}"
    digest = hashlib.blake2s(repr((kind, title, data)).encode(), digest_size=5).hexdigest()
    return f"chart-{digest}"


@dataclass
class Table:
    """The chart's data table: ``headers`` and ``rows`` of text, each row's first cell its
    header."""

    headers: list[str]
    rows: list[list[str]]


# ---------------------------------------------------------------------------------------------
# Bar charts


@dataclass
class Bar:
    label: str  # as drawn (maybe shortened)
    full_label: str
    value: Decimal
    value_text: str
    y: float
    width: float
    label_x: float
    label_y: float
    bar_x: float
    bar_y: float
    value_x: float
    value_y: float


@dataclass(kw_only=True)
class Chart:
    """What every chart's template reads: its words, its size, its axis and its data table,
    the plot's edges, and the colours and type sizes."""

    title: str
    caption: str
    unit: str
    slug: str
    width: int
    height: int
    ticks: list[Tick]
    table: Table
    plot_x: float = 0
    plot_top: float = 0
    plot_bottom: float = 0
    grid_colour: str = GRID_COLOUR
    axis_colour: str = AXIS_COLOUR
    text_colour: str = TEXT_COLOUR
    muted_colour: str = MUTED_TEXT_COLOUR
    font_size: int = FONT_SIZE
    small_font_size: int = SMALL_FONT_SIZE
    no_data: str = NO_DATA


@dataclass(kw_only=True)
class BarChart(Chart):
    layout: str  # "left": labels left of the bars, ticks below; "above": labels over the bars
    bars: list[Bar]
    plot_width: float = 0
    bar_height: int = 18
    colour: str = BAR_COLOUR
    track_colour: str = TRACK_COLOUR

    @property
    def empty(self):
        return not self.bars

    @property
    def kind_text(self):
        return "条形图"

    @property
    def middle_x(self):
        return self.width / 2

    @property
    def middle_y(self):
        return self.height / 2 + 5

    @property
    def tick_text_y(self):
        return self.plot_bottom + 16


def bar(
    title,
    rows,
    unit="",
    max_value=None,
    caption="",
    *,
    label_header="项目",
    value_header="数值",
    layout="left",
    slug=None,
):
    """A horizontal bar chart of ``rows`` — ``[(label, value)]`` or ``[(label, value, text)]``,
    ``text`` replacing the value written beside the bar (e.g. "3（75.0%）").

    ``max_value`` is where the axis ends when no value passes it (100 for percentages);
    ``layout="above"`` writes each label above its bar on a full-width track (the survey
    results' look), ``"left"`` in a column left of the bars, with round ticks below.
    """
    rows = [tuple(row) for row in rows]
    values = [_decimal(row[1]) for row in rows]
    texts = [
        row[2] if len(row) > 2 else f"{number_text(value)}{unit}"
        for row, value in zip(rows, values, strict=True)
    ]
    axis_max, tick_values = _axis(values, max_value)
    header = f"{value_header}（{unit}）" if unit else value_header
    table = Table(
        headers=[label_header, header],
        rows=[[str(row[0]), number_text(value)] for row, value in zip(rows, values, strict=True)],
    )
    chart_slug = _slug(
        "bar", title, [(str(r[0]), str(v)) for r, v in zip(rows, values, strict=True)], slug
    )
    common = dict(title=title, caption=caption, unit=unit, slug=chart_slug, table=table)
    if not rows:
        return BarChart(
            **common, layout=layout, width=520, height=48, bars=[], ticks=[], plot_bottom=48
        )

    if layout == "above":
        width, track, row_height = 520, 400, 46
        bars = [
            Bar(
                label=shorten(str(row[0]), track),
                full_label=str(row[0]),
                value=value,
                value_text=text,
                y=index * row_height,
                width=_scale(value, axis_max, track),
                label_x=0,
                label_y=index * row_height + 14,
                bar_x=0,
                bar_y=index * row_height + 20,
                value_x=track + 8,
                value_y=index * row_height + 33,
            )
            for index, (row, value, text) in enumerate(zip(rows, values, texts, strict=True))
        ]
        return BarChart(
            **common,
            layout=layout,
            width=width,
            height=len(rows) * row_height + 4,
            bars=bars,
            ticks=[],
            plot_x=0,
            plot_width=track,
            bar_height=16,
        )

    width, row_height, bar_height, top = 640, 28, 18, 6
    label_width = min(max(text_width(str(row[0])) for row in rows), 168)
    value_width = min(max(text_width(t, SMALL_FONT_SIZE) for t in texts), 120)
    plot_x = label_width + 10
    plot_width = width - plot_x - value_width - 12
    plot_bottom = top + len(rows) * row_height
    bars = []
    for index, (row, value, text) in enumerate(zip(rows, values, texts, strict=True)):
        y = top + index * row_height
        length = _scale(value, axis_max, plot_width)
        bars.append(
            Bar(
                label=shorten(str(row[0]), label_width),
                full_label=str(row[0]),
                value=value,
                value_text=text,
                y=y,
                width=length,
                label_x=plot_x - 6,
                label_y=y + row_height / 2 + 4.5,
                bar_x=plot_x,
                bar_y=y + (row_height - bar_height) / 2,
                value_x=plot_x + length + 4,
                value_y=y + row_height / 2 + 4,
            )
        )
    ticks = [
        Tick(v, tick_text(v, axis_max), plot_x + _scale(v, axis_max, plot_width))
        for v in tick_values
    ]
    return BarChart(
        **common,
        layout=layout,
        width=width,
        height=round(plot_bottom + 24),
        bars=bars,
        ticks=ticks,
        plot_x=plot_x,
        plot_width=plot_width,
        plot_top=top,
        plot_bottom=plot_bottom,
        bar_height=bar_height,
    )


# ---------------------------------------------------------------------------------------------
# Line charts


def marker_path(shape, x, y, r=4.5):
    """The SVG path of a marker of ``shape`` centred on (x, y)."""
    if shape in ("circle", "open-circle"):
        return f"M{x - r:g} {y:g}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0Z"
    if shape in ("square", "open-square"):
        s = r * 0.85
        return f"M{x - s:g} {y - s:g}h{2 * s:g}v{2 * s:g}h{-2 * s:g}Z"
    if shape == "triangle":
        return f"M{x:g} {y - r * 1.15:g}L{x + r:g} {y + r * 0.75:g}L{x - r:g} {y + r * 0.75:g}Z"
    if shape == "triangle-down":
        return f"M{x:g} {y + r * 1.15:g}L{x + r:g} {y - r * 0.75:g}L{x - r:g} {y - r * 0.75:g}Z"
    if shape == "diamond":
        return f"M{x:g} {y - r * 1.2:g}L{x + r:g} {y:g}L{x:g} {y + r * 1.2:g}L{x - r:g} {y:g}Z"
    if shape == "cross":
        return f"M{x - r:g} {y - r:g}L{x + r:g} {y + r:g}M{x - r:g} {y + r:g}L{x + r:g} {y - r:g}"
    raise ValueError(f"unknown marker {shape!r}")


@dataclass
class Point:
    x: float
    y: float
    x_label: str
    value: Decimal
    value_text: str
    marker: str  # its SVG path


@dataclass
class Series:
    name: str  # as drawn in the legend (maybe shortened)
    full_name: str
    colour: str
    dash: str
    marker: str
    filled: bool
    points: list[Point]
    path: str  # the line, one "M…L…" run per stretch without a gap
    legend_x: float = 0
    legend_y: float = 0
    legend_marker: str = ""

    @property
    def legend_line_end(self):
        return self.legend_x + 28

    @property
    def legend_text_x(self):
        return self.legend_x + 34

    @property
    def legend_text_y(self):
        return self.legend_y + 4


@dataclass
class XLabel:
    text: str
    x: float
    shown: bool


@dataclass(kw_only=True)
class LineChart(Chart):
    series: list[Series]
    x_labels: list[XLabel]
    plot_right: float = 0

    @property
    def empty(self):
        return not any(s.points for s in self.series)

    @property
    def kind_text(self):
        return "折线图"

    @property
    def middle_x(self):
        return self.width / 2

    @property
    def middle_y(self):
        return self.height / 2 + 5

    @property
    def shown_x_labels(self):
        return [label for label in self.x_labels if label.shown]

    @property
    def x_label_y(self):
        return self.plot_bottom + 16

    @property
    def tick_text_x(self):
        return self.plot_x - 6


def line(
    title,
    series,
    unit="",
    max_value=None,
    caption="",
    *,
    x_header="时间",
    slug=None,
):
    """A line chart of ``series`` — ``[(name, [(x_label, value or None)])]``, the series over
    the same x labels (a series missing a label has a gap there; the first series' order of
    labels comes first). Up to eight series are told apart by colour, marker and dash."""
    series = [(str(name), [(str(x), v) for x, v in points]) for name, points in series]
    if len(series) > len(COLOURS):
        raise ValueError(f"a line chart draws at most {len(COLOURS)} series")
    x_texts = list(dict.fromkeys(x for _, points in series for x, _ in points))
    values = {(name, x): v for name, points in series for x, v in points}
    all_values = [v for v in values.values() if v is not None]
    axis_max, tick_values = _axis(all_values, max_value)
    header = [x_header, *(f"{name}（{unit}）" if unit else name for name, _ in series)]
    table = Table(
        headers=header,
        rows=[[x, *(number_text(values.get((n, x))) for n, _ in series)] for x in x_texts],
    )
    chart_slug = _slug("line", title, sorted((k, str(v)) for k, v in values.items()), slug)

    width, top, plot_height = 640, 12, 220
    tick_width = max(
        (text_width(tick_text(v, axis_max), SMALL_FONT_SIZE) for v in tick_values), default=10
    )
    plot_x = tick_width + 12
    plot_right = width - 16
    plot_bottom = top + plot_height
    inset = 14
    span = plot_right - plot_x - 2 * inset
    step = span / (len(x_texts) - 1) if len(x_texts) > 1 else 0
    x_of = {
        x: plot_x + inset + (index * step if len(x_texts) > 1 else span / 2)
        for index, x in enumerate(x_texts)
    }
    widest = max((text_width(x, SMALL_FONT_SIZE) for x in x_texts), default=0) + 8
    every = max(1, math.ceil(widest / step)) if step else 1
    x_labels = [
        XLabel(shorten(x, max(widest, 40), SMALL_FONT_SIZE), round(x_of[x], 1), index % every == 0)
        for index, x in enumerate(x_texts)
    ]

    def y_of(value):
        return round(plot_bottom - _scale(value, axis_max, plot_height), 1)

    legend_top = plot_bottom + 40
    per_row = 4
    drawn = []
    for index, (name, points) in enumerate(series):
        shape = MARKERS[index]
        runs, run, kept = [], [], []
        for x, value in points:
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            px, py = round(x_of[x], 1), y_of(value)
            run.append((px, py))
            kept.append(
                Point(
                    px,
                    py,
                    x,
                    _decimal(value),
                    number_text(value) + unit,
                    marker_path(shape, px, py),
                )
            )
        if run:
            runs.append(run)
        path = "".join(
            "M" + "L".join(f"{px:g} {py:g}" for px, py in stretch)
            for stretch in runs
            if len(stretch) > 1
        )
        legend_x = plot_x + (index % per_row) * ((plot_right - plot_x) / per_row)
        legend_y = legend_top + (index // per_row) * 22
        drawn.append(
            Series(
                name=shorten(name, (plot_right - plot_x) / per_row - 40),
                full_name=name,
                colour=COLOURS[index],
                dash=DASHES[index],
                marker=shape,
                filled=not shape.startswith("open-") and shape != "cross",
                points=kept,
                path=path,
                legend_x=legend_x,
                legend_y=legend_y,
                legend_marker=marker_path(shape, legend_x + 14, legend_y),
            )
        )
    legend_rows = math.ceil(len(series) / per_row)
    ticks = [Tick(v, tick_text(v, axis_max), y_of(v)) for v in tick_values]
    chart = LineChart(
        title=title,
        caption=caption,
        unit=unit,
        slug=chart_slug,
        width=width,
        height=round(legend_top + legend_rows * 22),
        series=drawn,
        x_labels=x_labels,
        ticks=ticks,
        table=table,
        plot_x=plot_x,
        plot_right=plot_right,
        plot_top=top,
        plot_bottom=plot_bottom,
    )
    if chart.empty:
        chart.height, chart.plot_bottom = 48, 48
    return chart
