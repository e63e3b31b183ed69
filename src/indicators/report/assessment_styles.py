"""The look of the assessment workbook: cell formats, status fills and the % axis of its
charts (layout only; the sheets are written by assessment_workbook)."""

from __future__ import annotations

import math

from indicators.assess import progress
from indicators.assess.assessment import IndicatorSeries

STATUS_FILL = {
    progress.ACHIEVED: "#C6EFCE",
    progress.ON_TRACK: "#E2F0D9",
    progress.ACCELERATION_NEEDED: "#FFEB9C",
    progress.LIMITED_PROGRESS: "#F8CBAD",
    progress.DETERIORATION: "#FFC7CE",
    progress.NOT_ENOUGH_DATA: "#EDEDED",
    "overdue": "#FF9999",
    "baseline_doubtful": "#D9D9D9",
}
BINDING_ALERT = "#C00000"


def formats(wb) -> dict:
    """Every cell format of the workbook, by name ("text", "num", "status.achieved")."""
    base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "vcenter"}

    def fmt(**kw):
        return wb.add_format({**base, **kw})

    f = {
        "title": fmt(bold=True, font_size=14),
        "sub": fmt(italic=True, font_color="#595959", text_wrap=True, valign="top"),
        "head": fmt(bold=True, bg_color="#1F4E78", font_color="white", text_wrap=True, border=1),
        "text": fmt(text_wrap=True, border=1),
        "cell": fmt(border=1),  # one line: long lists whose rows keep the default height
        "plain": fmt(),
        "wrap": fmt(text_wrap=True, valign="top"),
        "bold": fmt(bold=True),
        "num": fmt(num_format="#,##0.0", border=1, align="right"),
        "ratio": fmt(num_format="0.00", border=1, align="right"),
        "int": fmt(num_format="0", border=1, align="center"),
        "alert": fmt(bold=True, font_color=BINDING_ALERT, text_wrap=True),
        "ok": fmt(font_color="#375623"),
        "binding": fmt(bold=True, font_color="white", bg_color=BINDING_ALERT, border=1),
    }
    for status, color in STATUS_FILL.items():
        f[f"status.{status}"] = fmt(bg_color=color, border=1, text_wrap=True)
        f[f"status_alert.{status}"] = fmt(
            bg_color=color, border=2, border_color=BINDING_ALERT, bold=True,
            font_color=BINDING_ALERT, text_wrap=True,
        )  # fmt: skip
    return f


def percent_axis(s: IndicatorSeries) -> dict:
    """A % axis that ends at 100 and starts at 0, or just below the data when all of it
    lies high (so 92% vs 96% stays visible without auto-scaling to 86-102%). Small shares
    (all below 50%) start at 0 and keep their own top."""
    shown = [*s.values.values(), *s.trajectory.values()]
    if s.baseline is not None:
        shown.append(s.baseline[1])
    if s.target.headline is not None:
        shown.append(s.target.headline)
    shown = [v for v in shown if v is not None and math.isfinite(v)]
    if shown and max(shown) < 50:
        return {"min": 0}
    top = max([100.0, *shown])
    low = min(shown, default=0.0)
    bottom = 0.0 if low < 50 else math.floor((low - 5) / 10) * 10
    return {"min": bottom, "max": math.ceil(top / 10) * 10, "major_unit": 10 if bottom else 20}
