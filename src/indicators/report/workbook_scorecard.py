"""The scorecard sheet: indicators x districts (and the city), one figure per cell with a
red / amber / green fill, on one screen and one A4 page (the DHIS2 scorecard idea).

Each cell shows the figure the target is judged on at that place: for a target every
community (street) must meet, the % of the district's communities (streets) that meet it;
for a district or city target, the district's own figure. Nothing is computed here beyond
choosing between figures the engine made and placing them against the amber band.
"""

from __future__ import annotations

import math

from indicators.engine.results import MET, NO_TARGET, NOT_COMPUTABLE, NOT_MET, IndicatorResult
from indicators.model.i18n import t
from indicators.report.columns import num
from indicators.report.wording import Wording
from indicators.report.workbook_styles import NUM_FORMATS, fit_width, value_kind

AMBER = "amber"
AMBER_SHARE = 80.0  # % of units meeting a per-unit target from which a miss is amber
AMBER_GAP = 0.10  # a miss within 10% of the target figure is amber
FILL = {
    MET: ("#C6EFCE", "#006100"),
    AMBER: ("#FFE699", "#7F6000"),
    NOT_MET: ("#FFC7CE", "#9C0006"),
    NO_TARGET: ("#F2F2F2", "#404040"),
}


def _per_unit_cell(share: float | None, n_total: float | None) -> tuple[float | None, str]:
    if share is None or not n_total:
        return None, NO_TARGET
    if share >= 100.0 - 1e-9:
        return share, MET
    return share, AMBER if share >= AMBER_SHARE else NOT_MET


def _value_cell(r: IndicatorResult, value: float | None, status: str) -> tuple[float | None, str]:
    if value is None or status not in (MET, NOT_MET):
        return value, NO_TARGET
    if status == MET:
        return value, MET
    bound = r.target.headline if r.target is not None else None
    gap = abs(float(r.target.gap([value])[0])) if r.target is not None else math.inf
    if bound and gap <= AMBER_GAP * abs(bound):
        return value, AMBER
    return value, NOT_MET


def district_cells(r: IndicatorResult) -> list[tuple[float | None, str]]:
    """(figure, colour) of each district row, in the order of r.groups['district']."""
    ind = r.indicator
    d = r.groups["district"]
    out = []
    for rec in d.to_dict("records"):
        if ind.level == "community":
            total = num(rec["n_computable"])
            met = num(rec["n_met"])
            share = 100.0 * met / total if total and met is not None else None
            out.append(_per_unit_cell(share, total))
        elif ind.level == "street":
            total, met = num(rec["units_total"]), num(rec["units_met"])
            share = 100.0 * met / total if total and met is not None else None
            out.append(_per_unit_cell(share, total))
        else:
            out.append(_value_cell(r, num(rec["value"]), str(rec["status"])))
    return out


def city_cell(r: IndicatorResult) -> tuple[float | None, str]:
    h = r.headline
    if h.per_unit:
        return _per_unit_cell(num(h.share_met), h.units_total)
    if h.status == NOT_COMPUTABLE:
        return num(h.value), NO_TARGET
    return _value_cell(r, num(h.value), h.status)


def write_scorecard(wb, st, results, wording: Wording) -> None:
    lang = wording.lang
    ws = wb.add_worksheet(t("sheet.scorecard", lang))
    indicators = results.indicators
    districts = indicators[0].groups["district"]["district"].tolist() if indicators else []
    base = st.base
    fills = {}
    for key, (bg, fg) in FILL.items():
        for kind, fmt in (("pct", NUM_FORMATS["pct"]), ("int", "#,##0"), ("dec", "#,##0.0")):
            fills[key, kind] = wb.add_format(
                {
                    **base,
                    "num_format": fmt,
                    "bg_color": bg,
                    "font_color": fg,
                    "align": "center",
                    "border": 1,
                    "border_color": "#FFFFFF",
                }
            )
    ws.set_row(0, 24)
    last = 3 + len(districts)
    ws.merge_range(0, 0, 0, last, t("scorecard.title", lang, plan=results.plan.title), st.title)
    ws.merge_range(1, 0, 1, last, t("scorecard.legend", lang), st.note)
    head = 3
    labels = [
        t("col.no", lang),
        t("col.indicator", lang),
        t("scorecard.col.measure", lang),
        t("col.target", lang),
        t("level.city", lang),
        *districts,
    ]
    names = [r.indicator.name(lang) for r in indicators]
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, fit_width([*names, labels[1]], 16, 40))
    ws.set_column(2, 2, 14)
    ws.set_column(3, 3, 14)
    ws.set_column(4, 4 + len(districts), max(7, fit_width(districts, 7, 10)))
    ws.set_row(head, 30)
    for c, label in enumerate(labels):
        ws.write_string(head, c, label, st.header)
    for i, r in enumerate(indicators):
        row = head + 1 + i
        ind = r.indicator
        per_unit = r.headline.per_unit
        kind = "pct" if per_unit or value_kind(ind) == "pct" else value_kind(ind)
        kind = kind if kind in ("pct", "int", "dec") else "dec"
        if per_unit:
            measure = t("scorecard.measure.units", lang, units=t(f"units.{ind.level}", lang))
        else:
            measure = wording.unit(ind.unit) or t("scorecard.measure.value", lang)
        ws.write_number(row, 0, i + 1, st.number("int"))
        ws.write_string(row, 1, ind.name(lang), st.wrap)
        ws.write_string(row, 2, measure, st.wrap)
        ws.write_string(row, 3, wording.target(ind, results.year), st.wrap)
        cells = [city_cell(r), *district_cells(r)]
        for c, (value, colour) in enumerate(cells, start=4):
            fmt = fills[colour, kind]
            if value is None or not math.isfinite(value):
                ws.write_blank(row, c, None, fmt)
            else:
                ws.write_number(row, c, value, fmt)
    ws.freeze_panes(head + 1, 2)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 1)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
