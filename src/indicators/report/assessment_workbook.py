"""The assessment workbook (xlsxwriter): Overview, one sheet per level, native line charts,
community changes, data issues and About with the method.

Every number comes from the `Assessment`; this module only lays it out.
"""

from __future__ import annotations

import math
from datetime import timezone
from pathlib import Path

from indicators import __version__
from indicators.assess.assessment import SHARE_MEETING, Assessment, IndicatorSeries
from indicators.files import atomic_path, neutralise, readable
from indicators.model.i18n import t
from indicators.report.assessment_styles import BINDING_ALERT, formats, percent_axis
from indicators.report.assessment_text import (
    basis_text,
    measure_text,
    no_data_text,
    plan_title,
    status_key,
    status_text,
    target_text,
    year_cell,
    years_text,
)
from indicators.report.text import local_time, unit_label

CHART_W, CHART_H = 560, 300


def write_assessment_workbook(a: Assessment, path: Path, lang: str = "zh") -> Path:
    """Write the workbook to `path` (atomically: a temporary file replaces it at the end)."""
    import xlsxwriter

    path = Path(path)
    # atomic_path: the report appears whole or not at all (full disk, Ctrl-C, SIGTERM), with
    # the mode a new file gets (mkstemp alone gave 0600)
    with atomic_path(path, lang) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False},
        )
        # the time it states is the assessment's (SOURCE_DATE_EPOCH wins), not xlsxwriter's now
        wb.set_properties({"created": a.generated_at.astimezone(timezone.utc)})
        f = formats(wb)
        overview = wb.add_worksheet(t("assess.sheet.overview", lang))
        charts = wb.add_worksheet(t("assess.sheet.charts", lang))
        for level in ("district", "street"):
            _level_sheet(wb.add_worksheet(t(f"assess.sheet.{level}", lang)), a, level, f, lang)
        _changes_sheet(wb.add_worksheet(t("assess.sheet.changes", lang)), a, f, lang)
        _issues_sheet(wb.add_worksheet(t("assess.sheet.issues", lang)), a, f, lang)
        data = wb.add_worksheet(t("assess.sheet.chart_data", lang))
        about = wb.add_worksheet(t("assess.sheet.about", lang))
        _overview(overview, a, f, lang)
        _charts(wb, charts, data, a, f, lang)
        _about(about, a, f, lang)
        overview.activate()
        wb.close()
    return path


def _text(ws, row: int, col: int, value: object, fmt=None) -> None:
    """Text cells are always written as text, formula-like text with a visible leading
    quote (the one rule: indicators.files.neutralise)."""
    ws.write_string(row, col, neutralise("" if value is None else readable(str(value))), fmt)


def _num(ws, row: int, col: int, value: float | None, fmt) -> None:
    if value is None or not math.isfinite(float(value)):
        ws.write_string(row, col, "—", fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def _overview(ws, a: Assessment, f: dict, lang: str) -> None:
    years = a.years
    last = years[-1]
    # the status stays beside the indicator's name (both frozen): it is what is read first
    heads = (
        [t("assess.col.no", lang), t("assess.col.indicator", lang), t("assess.col.status", lang)]
        + [t("assess.col.measure", lang), t("assess.col.unit", lang)]
        + [t("assess.col.binding", lang)]
        + [t("assess.col.base_year", lang), t("assess.col.baseline", lang)]
        + [t("assess.col.year", lang, year=y) for y in years]
        + [t("assess.col.target", lang), t("assess.col.target_year", lang)]
        + [t("assess.col.expected", lang, year=last)]
        + [t("assess.col.ratio", lang), t("assess.col.projected", lang)]
        + [t("assess.col.basis", lang)]
    )
    title = t("assess.title", lang, plan=plan_title(a, lang), years=years_text(years))
    ws.merge_range(0, 0, 0, len(heads) - 1, title, f["title"])
    ws.merge_range(1, 0, 1, len(heads) - 1, t("assess.subtitle", lang), f["sub"])
    ws.set_row(1, 30)
    off = a.binding_off_track
    if off:
        names = "、".join(s.indicator.name(lang) for s in off)
        alert = t("assess.binding_alert", lang, n=len(off), names=names)
        ws.merge_range(2, 0, 2, len(heads) - 1, alert, f["alert"])
    elif not any(s.indicator.binding for s in a.indicators):
        ws.merge_range(2, 0, 2, len(heads) - 1, t("assess.no_binding", lang), f["ok"])
    else:
        ws.merge_range(2, 0, 2, len(heads) - 1, t("assess.binding_none", lang), f["ok"])
    head_row = 4
    for c, h in enumerate(heads):
        _text(ws, head_row, c, h, f["head"])
    ws.set_row(head_row, 42)
    for i, s in enumerate(a.indicators):
        row = head_row + 1 + i
        _overview_row(ws, row, i + 1, s, years, f, lang, a.plan.vocabulary)
    widths = [5, 34, 16, 22, 9, 8, 8, 9] + [10] * len(years) + [14, 7, 11, 9, 11, 30]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(head_row + 1, 3)
    _print_setup(ws, head_row)
    ws.autofilter(head_row, 0, head_row + len(a.indicators), len(heads) - 1)
    note_row = head_row + len(a.indicators) + 2
    counts = a.counts()
    ws.write_string(
        note_row, 1, t("assess.counts", lang, **counts, not_assessed=len(a.not_assessed)), f["bold"]
    )


def _overview_row(
    ws, row: int, no: int, s: IndicatorSeries, years, f, lang: str, vocab=None
) -> None:
    ind, p = s.indicator, s.progress
    alert = s.binding_off_track
    ws.write_number(row, 0, no, f["int"])
    _text(ws, row, 1, ind.name(lang), f["text"])
    key = "status_alert" if alert else "status"
    _text(ws, row, 2, status_text(s, lang), f[f"{key}.{status_key(s)}"])
    _text(ws, row, 3, measure_text(s, lang), f["text"])
    _text(ws, row, 4, unit_label(s.unit, lang), f["text"])
    _text(
        ws,
        row,
        5,
        t(f"binding.{str(ind.binding).lower()}", lang),
        f["binding" if alert else "text"],
    )
    if s.baseline:
        ws.write_number(row, 6, s.baseline[0], f["int"])
        _num(ws, row, 7, s.baseline[1], f["num"])
    else:
        _text(ws, row, 6, "—", f["text"])
        _text(ws, row, 7, "—", f["text"])
    col = 8
    for y in years:
        if y in s.no_data:
            _text(ws, row, col, t("assess.no_data", lang), f["text"])
            ws.write_comment(row, col, no_data_text(s, y, lang, vocab))
        else:
            _num(ws, row, col, s.values.get(y), f["num"])
            if s.measure == SHARE_MEETING:  # the indicator's own figure, as `check` shows it
                ws.write_comment(row, col, year_cell(s, y, lang))
        col += 1
    _text(ws, row, col, target_text(s, lang), f["text"])
    ws.write_number(row, col + 1, s.target_year, f["int"])
    _num(ws, row, col + 2, s.expected_now, f["num"])
    _num(ws, row, col + 3, p.ratio, f["ratio"])
    _num(ws, row, col + 4, p.projected, f["num"])
    _text(ws, row, col + 5, basis_text(s, lang), f["text"])
    ws.set_row(row, 30)


def _print_setup(ws, repeat_row: int | None = None) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)


def _level_sheet(ws, a: Assessment, level: str, f: dict, lang: str) -> None:
    years = a.years
    keys = ["district"] if level == "district" else ["district", "street"]
    heads = (
        [t("assess.col.indicator", lang)]
        + [t(f"assess.col.{k}", lang) for k in keys]
        + [t("assess.col.unit", lang)]
        + [t("assess.col.value_year", lang, year=y) for y in years]
        + [t("assess.col.target", lang), t("assess.col.met_year", lang, year=years[-1])]
        + [t("assess.col.status", lang), t("assess.col.ratio", lang)]
        + [t("assess.col.projected", lang)]
    )
    for c, h in enumerate(heads):
        _text(ws, 0, c, h, f["head"])
    ws.set_row(0, 36)
    row = 1
    for u in a.units.get(level, []):
        ind = u.indicator
        c = 0
        _text(ws, row, c, ind.name(lang), f["cell"])
        for k in keys:
            c += 1
            _text(ws, row, c, u.keys.get(k, ""), f["text"])
        c += 1
        _text(ws, row, c, unit_label(ind.unit, lang), f["text"])
        for y in years:
            c += 1
            _num(ws, row, c, u.values.get(y), f["num"])
        _text(ws, row, c + 1, ind.target_text_for(years[-1]), f["text"])
        last = u.statuses.get(years[-1], "")
        _text(ws, row, c + 2, t(f"status.{last}", lang) if last else "", f["text"])
        if u.progress is not None:
            p = u.progress
            _text(ws, row, c + 3, t(f"progress.{p.status}", lang), f[f"status.{p.status}"])
            _num(ws, row, c + 4, p.ratio, f["ratio"])
            _num(ws, row, c + 5, p.projected, f["num"])
        else:
            for k in range(3):
                _text(ws, row, c + 3 + k, "", f["text"])
        row += 1
    widths = [44] + [12] * len(keys) + [9] + [10] * len(years) + [12, 10, 14, 9, 11]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.freeze_panes(1, 1 + len(keys))
    _print_setup(ws, 0)
    ws.autofilter(0, 0, max(row - 1, 1), len(heads) - 1)


def _changes_sheet(ws, a: Assessment, f: dict, lang: str) -> None:
    keys = ("years", "kind", "district", "street", "community", "previous", "matched_by")
    for c, k in enumerate(keys):
        _text(ws, 0, c, t(f"assess.col.{k}", lang), f["head"])
    for r, ch in enumerate(a.changes, start=1):
        _text(ws, r, 0, f"{ch.previous_year}→{ch.year}", f["text"])
        _text(ws, r, 1, t(f"assess.change.{ch.kind}", lang), f["text"])
        _text(ws, r, 2, ch.district, f["text"])
        _text(ws, r, 3, ch.street, f["text"])
        _text(ws, r, 4, ch.community, f["text"])
        _text(ws, r, 5, ch.previous or "", f["text"])
        _text(
            ws, r, 6, t(f"assess.matched.{ch.matched_by}", lang) if ch.matched_by else "", f["text"]
        )
    for c, w in enumerate((11, 10, 12, 14, 16, 16, 34)):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(a.changes), 1), len(keys) - 1)


def _issues_sheet(ws, a: Assessment, f: dict, lang: str) -> None:
    keys = ("year", "file", "location", "severity", "code", "message")
    heads = [t("assess.col.years", lang)] + [t(f"assess.col.{k}", lang) for k in keys[1:]]
    for c, h in enumerate(heads):
        _text(ws, 0, c, h, f["head"])
    rows = [(i.params.get("year", ""), i) for i in a.issues]
    for y in a.inputs:
        rows += [(y.year, i) for i in y.census.issues if i.severity.value != "info"]
    for r, (year, issue) in enumerate(rows, start=1):
        _text(ws, r, 0, year, f["text"])
        _text(ws, r, 1, issue.file, f["text"])
        _text(ws, r, 2, issue.location, f["text"])
        _text(ws, r, 3, t(f"severity.{issue.severity.value}", lang), f["text"])
        _text(ws, r, 4, issue.code, f["text"])
        _text(ws, r, 5, issue.message(lang), f["text"])
    for c, w in enumerate((8, 30, 18, 8, 18, 80)):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(heads) - 1)


def _charts(wb, ws, data, a: Assessment, f: dict, lang: str) -> None:
    """One line chart per indicator: actual, expected trajectory and target, by year. The
    series live on the chart-data sheet (4 rows per indicator)."""
    data.set_column(0, 0, 34)
    ws.set_column(0, 0, 2)
    _print_setup(ws)
    per_row = 2
    for i, s in enumerate(a.indicators):
        top = i * 5
        sheet = data.get_name()
        _text(data, top, 0, s.indicator.name(lang), f["bold"])
        labels = ("assess.chart.actual", "assess.chart.trajectory", "assess.chart.target")
        for k, label in enumerate(labels, start=1):
            _text(data, top + k, 0, t(label, lang), f["plain"])
        for c, year in enumerate(s.chart_years, start=1):
            data.write_number(top, c, year, f["bold"])
            value = s.values.get(year)
            if value is None and s.baseline and s.baseline[0] == year:
                value = s.baseline[1]  # the plan's own figure for the base year
            if value is not None and math.isfinite(value):
                data.write_number(top + 1, c, value)
            if year in s.trajectory:
                data.write_number(top + 2, c, s.trajectory[year])
            if s.target.headline is not None:
                data.write_number(top + 3, c, s.target.headline)
        n = len(s.chart_years)
        chart = wb.add_chart({"type": "line"})
        cats = [sheet, top, 1, top, n]
        styles = (
            {"color": "#1F4E78", "width": 2.5},
            {"color": "#7F7F7F", "width": 1.5, "dash_type": "dash"},
            {"color": BINDING_ALERT, "width": 1.25, "dash_type": "square_dot"},
        )
        markers = ({"type": "circle", "size": 6}, {"type": "none"}, {"type": "none"})
        for k in range(3):
            chart.add_series(
                {
                    "name": [sheet, top + 1 + k, 0],
                    "categories": cats,
                    "values": [sheet, top + 1 + k, 1, top + 1 + k, n],
                    "line": styles[k],
                    "marker": markers[k],
                }
            )
        chart.show_blanks_as("span")
        title = s.indicator.name(lang)
        if s.measure == SHARE_MEETING:
            title += " · " + measure_text(s, lang)
        if s.binding_off_track:
            title = "⚠ " + title
        title += ("：" if lang == "zh" else ": ") + status_text(s, lang)
        chart.set_title({"name": title, "name_font": {"size": 10, "bold": True}})
        axis = {"name": unit_label(s.unit, lang), "major_gridlines": {"visible": True,
                "line": {"color": "#D9D9D9"}}}  # fmt: skip
        if s.unit == "%":
            axis.update(percent_axis(s))
        chart.set_y_axis(axis)
        chart.set_x_axis({"name": t("assess.chart.year", lang)})
        chart.set_legend({"position": "bottom", "font": {"size": 8}})
        chart.set_size({"width": CHART_W, "height": CHART_H})
        row, col = divmod(i, per_row)
        ws.insert_chart(1 + row * 16, 1 + col * 9, chart, {"x_offset": 4, "y_offset": 4})


def _about(ws, a: Assessment, f: dict, lang: str) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 120)
    plan = a.plan
    _text(ws, 0, 0, t("assess.about.heading", lang), f["title"])
    rows = [
        (t("assess.about.plan", lang), f"{plan.title} ({plan.id})"),
        (t("assess.about.document", lang), " ".join(x for x in (plan.issuer, plan.document) if x)),
        (t("assess.about.period", lang), f"{plan.period[0]}–{plan.period[1]}"),
    ]
    for y in a.inputs:
        src = y.census.source
        rows.append(
            (
                t("assess.about.input", lang, year=y.year),
                f"{readable(src.path.name)}  SHA-256 {src.sha256}",
            )
        )
    rows += [
        (t("assess.about.tool", lang), f"indicators {__version__}"),
        (t("assess.about.generated", lang), local_time(a.generated_at)),
    ]
    r = 2
    for label, value in rows:
        _text(ws, r, 0, label, f["bold"])
        _text(ws, r, 1, value, f["wrap"])
        r += 1
    r += 1
    _text(ws, r, 0, t("assess.about.method", lang), f["bold"])
    for line in t("assess.method.lines", lang).splitlines():
        _text(ws, r, 1, line, f["wrap"])
        ws.set_row(r, 30 if len(line) > 110 else None)
        r += 1
    r += 1
    if a.not_assessed:
        _text(ws, r, 0, t("assess.about.not_assessed", lang), f["bold"])
        for ind in a.not_assessed:
            _text(ws, r, 1, f"{ind.name(lang)}: {ind.target_text or ''}", f["wrap"])
            r += 1
