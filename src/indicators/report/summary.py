"""The Summary rows every gap report shows: one per indicator, its headline worded in the
user's language (one definition: the engine's Headline), where it falls short and what it
takes. Nothing is computed here, only chosen, ordered and worded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.engine.results import (
    MET,
    NO_TARGET,
    NOT_COMPUTABLE,
    NOT_MET,
    IndicatorResult,
    Results,
    completion,
    time_elapsed,
)
from indicators.model.i18n import t
from indicators.plan.model import Indicator
from indicators.report.columns import isnum, num, text_or_empty
from indicators.report.text import fmt_number, unit_label
from indicators.report.wording import Wording


@dataclass
class SummaryRow:
    no: int
    result: IndicatorResult
    name: str
    name_other: str
    level: str
    scope: str
    target: str
    actual: float | None  # the headline figure: % of units meeting it, or the city value
    unit: str
    gap: float | None  # units short (a count), or the city value minus its target
    status: str
    status_text: str
    failing: str
    what_it_takes: str
    binding: str
    citation: str
    actual_text: str = ""  # "87/120 个社区达标（72.5%）" or "27.4 平方米/百户"
    gap_text: str = ""  # "33 个社区", "-2.6 平方米/百户", "-8.2 个百分点"; "—" when none
    gap_unit: str = ""
    city: float | None = None  # the city figure beside a per-unit headline (reference)
    city_text: str = ""
    where: str = ""  # the districts (or streets) that fall short, worst first
    baseline: str = ""  # "23.6（2020年）", or flagged as doubtful
    completion: float | None = None  # 完成进度 (%)
    time_progress: float | None = None  # 时间进度 (%)
    reason: str = ""  # why the headline is not computable, worded ("缺少数据：户数")


WHERE_SHOWN = 3  # districts or streets named in the Summary's "where" column


def headline_cells(r: IndicatorResult, year: int | None, w: Wording) -> dict:
    """The headline as every format shows it (one definition: engine Headline)."""
    h, ind = r.headline, r.indicator
    lang = w.lang
    unit = w.unit(ind.unit)
    target = w.target(ind, year)
    if h.per_unit:
        level = t(f"level.{h.units_level}", lang)
        share = fmt_number(h.share_met, "%") if h.units_total else "—"
        actual_text = t(
            "headline.units_met",
            lang,
            met=f"{h.units_met:,}",
            total=f"{h.units_total:,}",
            units=t(f"units.{h.units_level}", lang),
            share=share,
        )
        gap = float(h.units_failing) if h.units_total else None
        gap_unit = t(f"units.{h.units_level}", lang)
        gap_text = t("headline.units_gap", lang, n=f"{h.units_failing:,}", units=gap_unit)
        if gap is None:
            gap_text = "—"
        elif h.units_failing == 0:
            gap_text = "0"
        if target:
            target = t("headline.target_every", lang, level=level, target=target)
        city = num(h.value)
        city_text = fmt_number(city, "%" if ind.unit == "%" else unit) if city is not None else ""
        return {
            "target": target,
            "actual": num(h.share_met),
            "actual_text": actual_text,
            "gap": gap,
            "gap_unit": gap_unit,
            "gap_text": gap_text,
            "city": city,
            "city_text": city_text,
        }
    value = num(h.value)
    gap = num(h.gap)
    gap_unit = t("unit.pp", lang) if ind.unit == "%" else unit
    if gap is None and h.status == NOT_MET:
        # a city target missed without one figure (targets by community type): count the
        # communities that fall short rather than leave the gap blank
        gap = float(h.communities_failing)
        gap_unit = t("units.community", lang)
    if gap is None:
        gap_text = "—"
    else:
        sign = "+" if gap > 0 else ""
        sep = "" if lang == "zh" and ind.unit == "%" else " "
        gap_text = f"{sign}{fmt_number(gap)}{sep}{gap_unit}".strip()
    return {
        "target": target,
        "actual": value,
        "actual_text": fmt_number(value, "%" if ind.unit == "%" else unit),
        "gap": gap,
        "gap_unit": gap_unit,
        "gap_text": gap_text,
        "city": None,
        "city_text": "",
    }


def where_text(
    r: IndicatorResult, districts: np.ndarray, lang: str, shown: int = WHERE_SHOWN
) -> str:
    """The districts (for street targets: streets) that fall short, worst first, with their
    gap: "桃城区 8 个社区、冀州区 5 个社区 等 6 个区县"."""
    h, ind = r.headline, r.indicator
    if h.status != NOT_MET:
        return ""
    sep = "、" if lang == "zh" else ", "
    if ind.level == "district" or (ind.level == "city" and not r.method.extensive):
        d = r.groups["district"]
        short = np.flatnonzero((d["status"] == NOT_MET).to_numpy())
        if not len(short):
            return ""
        gaps = d["gap"].to_numpy(dtype="float64")
        worst = short[np.argsort(-np.abs(gaps[short]), kind="stable")]
        names = d["district"].to_numpy(dtype=object)[worst]
        gap_unit = t("unit.pp", lang) if ind.unit == "%" else unit_label(ind.unit, lang)
        space = "" if ind.unit == "%" and lang == "zh" else " "
        parts = [
            f"{text_or_empty(k)} {fmt_number(g)}{space}{gap_unit}"
            for k, g in zip(names.tolist(), gaps[worst].tolist(), strict=True)
        ]
    elif ind.level == "street":
        s_rows = r.groups["street"]
        short = (s_rows["status"] == NOT_MET).to_numpy()
        parts = _counted(s_rows["district"].to_numpy(dtype=object)[short], t("units.street", lang))
    else:
        c = r.communities
        mask = (c["status"] == NOT_MET).to_numpy() & c["in_scope"].to_numpy(dtype=bool)
        parts = _counted(districts[mask], t("units.community", lang))
    if not parts:
        return ""
    text = sep.join(parts[:shown])
    if len(parts) > shown:
        text += t("summary.where_more", lang, n=len(parts), units=t("units.district", lang))
    return text


def _counted(keys: np.ndarray, unit: str) -> list[str]:
    """ "桃城区 3 个街道" per district, most first; a tie in the order the districts come."""
    if not len(keys):
        return []
    codes, names = pd.factorize(keys)
    counts = np.bincount(codes)
    order = np.argsort(-counts, kind="stable")
    return [f"{text_or_empty(names[i])} {int(counts[i])} {unit}" for i in order]


def failing_text(r: IndicatorResult, lang: str) -> str:
    h, ind = r.headline, r.indicator
    if ind.level in ("street", "district"):
        return t(
            "summary.units_failing",
            lang,
            failing=h.units_failing,
            total=h.units_total,
            level=t(f"level.{ind.level}", lang),
        )
    text = f"{h.communities_failing}/{h.communities_in_scope}"
    if h.communities_not_computable:
        text += " " + t("summary.not_computable_note", lang, n=h.communities_not_computable)
    return text


def headline_shortfall_text(r: IndicatorResult, w: Wording) -> str:
    """The Summary's 'what it takes': the city's own shortfall, or how many units are short
    and what their communities need together."""
    h, ind = r.headline, r.indicator
    if h.status != NOT_MET:
        return ""
    lang = w.lang
    city = r.groups["city"].iloc[0]
    if ind.level == "city":
        return w.group_shortfall(r, city["shortfall"])
    level = t(f"level.{ind.level}", lang)
    parts = [
        t(
            "shortfall.units_failing",
            lang,
            failing=h.units_failing,
            total=h.units_total,
            level=level,
        )
    ]
    total = city.get("shortfall_all")
    if isnum(total) and total != 0 and r.lever and not r.lever_boolean:
        parts.append(w.lever(r, total))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def census_year(results: Results) -> int | None:
    """The year the census is for: --year, else a year in its file name."""
    if results.year is not None:
        return results.year
    from indicators.assess.years import year_from_name
    from indicators.model.errors import UsageError

    try:
        return year_from_name(results.census.source.path, results.plan)
    except UsageError:
        return None


def baseline_text(ind: Indicator, lang: str) -> str:
    b = ind.baseline
    if b is None:
        return ""
    text = t("summary.baseline", lang, value=fmt_number(b.value, "%" if ind.unit == "%" else ""),
             year=b.year if b.year is not None else "—")  # fmt: skip
    return t("summary.baseline_doubtful", lang, baseline=text) if ind.baseline_doubtful else text


def summary_rows(results: Results, w: Wording) -> list[SummaryRow]:
    lang = w.lang
    year = census_year(results)
    other = "en" if lang == "zh" else "zh"
    rows = []
    for i, r in enumerate(results.indicators, start=1):
        ind, h = r.indicator, r.headline
        cells = headline_cells(r, results.year, w)
        rows.append(
            SummaryRow(
                no=i,
                result=r,
                name=ind.name(lang),
                name_other=ind.name(other),
                level=w.level(ind.level),
                scope=w.scope(ind),
                target=cells["target"],
                actual=cells["actual"],
                unit=w.unit(ind.unit),
                gap=cells["gap"],
                status=h.status,
                status_text=w.status(h.status),
                failing=failing_text(r, lang),
                what_it_takes=headline_shortfall_text(r, w),
                binding=t(f"binding.{str(ind.binding).lower()}", lang),
                citation=ind.cite.section,
                actual_text=cells["actual_text"],
                gap_text=cells["gap_text"],
                gap_unit=cells["gap_unit"],
                city=cells["city"],
                city_text=cells["city_text"],
                where=where_text(r, results.keys["district"], lang),
                baseline=baseline_text(ind, lang),
                completion=None if h.per_unit else num(completion(ind, r.target, h.value)),
                time_progress=num(time_elapsed(results.plan, ind, r.target, year)),
                reason=w.reason(h.reason),
            )
        )
    # missed targets first, each group in plan order; 序号 keeps the plan's numbering
    return sorted(rows, key=lambda row: row.status != NOT_MET)


def status_counts(results: Results) -> dict[str, int]:
    counts = {MET: 0, NOT_MET: 0, NOT_COMPUTABLE: 0, NO_TARGET: 0}
    for r in results.indicators:
        counts[r.headline.status] = counts.get(r.headline.status, 0) + 1
    return counts
