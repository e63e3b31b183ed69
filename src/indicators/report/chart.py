"""The small progress chart of one indicator (actual, expected trajectory, target), laid out
once as a list of shapes and written two ways: SVG for the HTML page (plain text, no
dependency) and PNG for the Word report (Pillow, from the `reports` extra).

The layout only places the numbers the assessment already holds (`IndicatorSeries.values`,
`.trajectory`, `.target`); tick labels are digits, so the PNG needs no CJK font. The legend
is the caption's job (the report's language lives in the message catalogue, not in pixels).
"""

from __future__ import annotations

import io
import itertools
import math
from dataclasses import dataclass, field
from html import escape

from indicators.assess.assessment import IndicatorSeries
from indicators.report.text import fmt_number

WIDTH, HEIGHT = 480, 210
LEFT, RIGHT, TOP, BOTTOM = 50, 56, 16, 32

ACTUAL = "#1f5fa8"
TRAJECTORY = "#7a7a7a"
TARGET = "#c0392b"
GRID = "#dddddd"
INK = "#333333"


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    color: str
    width: float = 1.0
    dash: tuple[float, float] | None = None


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    color: str
    hollow: bool = False


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    color: str = INK
    size: float = 10.0
    anchor: str = "middle"  # start | middle | end


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    shapes: list[Line | Dot | Label] = field(default_factory=list)
    title: str = ""  # for the SVG's accessible name


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _finite(x: object) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def _target_lines(s: IndicatorSeries) -> list[float]:
    low, high, _, _ = s.target.bounds
    return sorted({v for v in (low, high) if math.isfinite(v)})


def layout(s: IndicatorSeries, title: str = "") -> Chart:
    """Place the series' actual values, trajectory and target bound(s) on a year axis."""
    years = s.chart_years or sorted(s.values)
    actual = [(y, v) for y, v in sorted(s.values.items()) if _finite(v)]
    path = [(y, v) for y, v in sorted(s.trajectory.items()) if _finite(v)]
    bounds = _target_lines(s)
    numbers = [v for _, v in actual] + [v for _, v in path] + bounds
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    if s.unit == "%":
        low = max(0.0, low)
    step = _nice_step(high - low or abs(high) or 1.0)
    y0 = math.floor(low / step) * step
    y1 = math.ceil(high / step) * step
    if y1 - y0 < step:
        y1 = y0 + step
    if actual and y1 - max(v for _, v in actual) < (y1 - y0) * 0.12:
        y1 += step  # room for the latest value's label above its point
    x_first, x_last = years[0], years[-1]
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def px(year: float) -> float:
        if x_last == x_first:
            return LEFT + plot_w / 2
        return LEFT + (year - x_first) / (x_last - x_first) * plot_w

    def py(value: float) -> float:
        return TOP + (y1 - value) / (y1 - y0) * plot_h

    unit = "%" if s.unit == "%" else ""
    chart = Chart(title=title)
    shapes = chart.shapes
    n = round((y1 - y0) / step)
    for i in range(n + 1):
        v = y0 + i * step
        shapes.append(Line(((LEFT, py(v)), (WIDTH - RIGHT, py(v))), GRID, 1.0))
        shapes.append(Label(LEFT - 5, py(v) + 3.5, fmt_number(v, "", 1), size=11, anchor="end"))
    every = 1 if len(years) <= 8 else math.ceil(len(years) / 8)
    for i, y in enumerate(years):
        if i % every == 0 or y == x_last:
            shapes.append(Label(px(y), HEIGHT - BOTTOM + 19, str(y), size=11))
    shapes.append(Line(((LEFT, TOP + plot_h), (WIDTH - RIGHT, TOP + plot_h)), INK, 1.0))
    for b in bounds:
        shapes.append(Line(((LEFT, py(b)), (WIDTH - RIGHT, py(b))), TARGET, 1.5, (6, 3)))
        shapes.append(
            Label(WIDTH - RIGHT + 4, py(b) + 3.5, fmt_number(b, unit), TARGET, 11, "start")
        )
    if len(path) > 1:
        pts = tuple((px(y), py(v)) for y, v in path)
        shapes.append(Line(pts, TRAJECTORY, 1.5, (4, 3)))
    if s.baseline is not None and _finite(s.baseline[1]) and y0 <= s.baseline[1] <= y1:
        shapes.append(Dot(px(s.baseline[0]), py(s.baseline[1]), 3.5, TRAJECTORY, hollow=True))
    if len(actual) > 1:
        shapes.append(Line(tuple((px(y), py(v)) for y, v in actual), ACTUAL, 2.5))
    for y, v in actual:
        shapes.append(Dot(px(y), py(v), 3.5, ACTUAL))
    if actual:
        y, v = actual[-1]
        shapes.append(Label(px(y), py(v) - 9, fmt_number(v, unit), ACTUAL, 12))
    return chart


# --------------------------------------------------------------------------- SVG


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def to_svg(chart: Chart) -> str:
    """The chart as an inline <svg> element (no script, no external reference)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="{chart.width}" height="{chart.height}" role="img" '
        f'aria-label="{escape(chart.title)}" font-family="Arial, sans-serif">'
    ]
    for sh in chart.shapes:
        if isinstance(sh, Line):
            pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in sh.points)
            dash = f' stroke-dasharray="{_f(sh.dash[0])} {_f(sh.dash[1])}"' if sh.dash else ""
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{sh.color}" '
                f'stroke-width="{_f(sh.width)}"{dash}/>'
            )
        elif isinstance(sh, Dot):
            fill = "#ffffff" if sh.hollow else sh.color
            out.append(
                f'<circle cx="{_f(sh.x)}" cy="{_f(sh.y)}" r="{_f(sh.r)}" fill="{fill}" '
                f'stroke="{sh.color}" stroke-width="1.5"/>'
            )
        else:
            out.append(
                f'<text x="{_f(sh.x)}" y="{_f(sh.y)}" font-size="{_f(sh.size)}" '
                f'fill="{sh.color}" text-anchor="{sh.anchor}">{escape(sh.text)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- PNG

_FONTS = (
    "DejaVuSans.ttf",
    "arial.ttf",
    "Arial.ttf",
    "LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
)


def _font(size: int):
    from PIL import ImageFont

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _dashed(points, dash):
    """Split a polyline into the segments of its dash pattern."""
    on, off = dash
    out = []
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while pos < length:
            end = min(pos + on, length)
            a, b = pos / length, end / length
            out.append(
                ((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b))
            )
            pos = end + off
    return out


def to_png(chart: Chart, scale: int = 2) -> bytes:
    """The chart as PNG bytes, `scale` pixels per layout unit (drawn 2x larger and reduced,
    which smooths the lines)."""
    from PIL import Image, ImageDraw

    k = scale * 2
    img = Image.new("RGB", (chart.width * k, chart.height * k), "white")
    draw = ImageDraw.Draw(img)
    fonts: dict[int, object] = {}
    for sh in chart.shapes:
        if isinstance(sh, Line):
            pts = [(x * k, y * k) for x, y in sh.points]
            width = max(1, round(sh.width * k))
            if sh.dash:
                for seg in _dashed(pts, (sh.dash[0] * k, sh.dash[1] * k)):
                    draw.line(seg, fill=sh.color, width=width)
            else:
                draw.line(pts, fill=sh.color, width=width, joint="curve")
        elif isinstance(sh, Dot):
            r = sh.r * k
            box = (sh.x * k - r, sh.y * k - r, sh.x * k + r, sh.y * k + r)
            fill = "white" if sh.hollow else sh.color
            draw.ellipse(box, fill=fill, outline=sh.color, width=max(1, round(1.5 * k)))
        else:
            size = round(sh.size * k * 1.05)
            font = fonts.setdefault(size, _font(size))
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[sh.anchor]
            draw.text((sh.x * k, sh.y * k), sh.text, fill=sh.color, font=font, anchor=anchor)
    img = img.reduce(k // scale)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()
