"""What every gap report shows, as display rows: labels and shortfall sentences in the user's
language, numbers taken as they are from Results (nothing is computed here, only chosen,
ordered and worded).

A shortfall is "what it takes", in natural units:
- a community (or a group judged on a ratio of sums): the amount of the lever field to add,
  from the engine's `shortfall` column ("needs +96 m² of facility floor area");
- a group judged on a share or count of communities: how many more communities must meet it;
- `shortfall_all` on a group row: the community shortfalls summed over the group.
"""

from __future__ import annotations

import math
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
from indicators.model.fields import Vocabulary
from indicators.model.i18n import has, t
from indicators.plan.model import Indicator
from indicators.report.text import describe_reason, field_label, fmt_number, status_label

LEVEL_ORDER = {"city": 0, "district": 1, "street": 2, "community": 3}
COMMUNITY_COUNTING = ("share", "count")


def isnum(x: object) -> bool:
    """A real, finite number (not None, NaN, pd.NA or inf)."""
    if x is None or x is pd.NA:
        return False
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def num(x: object) -> float | None:
    return float(x) if isnum(x) else None


def unit_label(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    return t(f"unit.{unit}", lang) if has(f"unit.{unit}") else unit


def level_label(ind: Indicator, lang: str) -> str:
    return t(f"level.{ind.level}", lang)


def scope_label(ind: Indicator, lang: str) -> str:
    return t(f"scope.{ind.scope}", lang)


def target_text(ind: Indicator, year: int | None, lang: str, community_type: object = None) -> str:
    """The target with its unit; for targets by community type, the one for this type."""
    if ind.targets_by_type and isinstance(community_type, str):
        target = ind.targets_by_type.get(community_type)
        text = target.text() if target else ""
    elif ind.targets_by_type:
        text = "; ".join(
            f"{t(f'community_type.{k}', lang)} {v.text()}" for k, v in ind.targets_by_type.items()
        )
    else:
        text = ind.target_text_for(year)
    if not text:
        return ""
    unit = unit_label(ind.unit, lang)
    if ind.unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def is_yes_no(r: IndicatorResult) -> bool:
    """Community values are 1/0 (a condition), shown as yes/no."""
    return r.indicator.is_condition and not r.indicator.checklist


def _what(r: IndicatorResult, lang: str) -> str:
    """What a community must have, for 'needs 3 more communities with ...'."""
    ind = r.indicator
    vocab = r_vocab(r)
    if ind.formula is not None and r.lever and ind.formula.text.strip() == r.lever:
        return field_label(r.lever, lang, vocab)
    return ind.name(lang)


_VOCAB: list[Vocabulary] = []


def r_vocab(r: IndicatorResult) -> Vocabulary | None:
    return _VOCAB[-1] if _VOCAB else None


def bind_vocabulary(results: Results) -> None:
    """Field names in sentences come from the plan's vocabulary (plan fields included)."""
    _VOCAB[:] = [results.plan.vocabulary]


def _amount(n: float, integer: bool) -> str:
    return fmt_number(abs(n), "", digits=0 if integer else 1)


def lever_is_integer(r: IndicatorResult) -> bool:
    vocab = r_vocab(r)
    f = vocab.get(r.lever) if vocab is not None and r.lever else None
    return f is not None and f.type in ("integer", "boolean")


def lever_is_boolean(r: IndicatorResult) -> bool:
    vocab = r_vocab(r)
    f = vocab.get(r.lever) if vocab is not None and r.lever else None
    return f is not None and f.type == "boolean"


def _lower_first(name: str, lang: str) -> str:
    """'Community workers' -> 'community workers' inside an English sentence."""
    if lang == "en" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def lever_text(r: IndicatorResult, amount: float, lang: str) -> str:
    """'needs +96 m² of 社区综合服务设施面积' / 'needs 3 more 社区工作者人数'."""
    if not isnum(amount) or amount == 0:
        return ""
    vocab = r_vocab(r)
    name = _lower_first(
        field_label(r.lever, lang, vocab) if vocab is not None else (r.lever or ""), lang
    )
    unit = unit_label(r.lever_unit, lang)
    sep = "" if lang == "zh" else " "
    unit_part = (
        f"{sep}{unit}" if unit and r.lever_unit != "%" else ("%" if r.lever_unit == "%" else "")
    )
    n = _amount(amount, lever_is_integer(r))
    if amount > 0 and r.lever_unit == "人":
        return t("shortfall.add_people", lang, n=n, field=name)
    key = "shortfall.add" if amount > 0 else "shortfall.remove"
    return t(key, lang, n=n, unit=unit_part, field=name)


# "是否建立志愿服务站点" -> "建立志愿服务站点": a yes/no field's name read as the action
_ACTIONS = (("是否有", "具备"), ("是否设有", "设立"), ("是否", ""))


def action_text(r: IndicatorResult, lang: str) -> str | None:
    """What a community does to meet a yes/no target, from the field's Chinese name
    ("建立新时代文明实践站", "开展群众满意度调查"); None when it cannot be read as one."""
    if lang != "zh" or not r.lever or not lever_is_boolean(r):
        return None
    name = field_label(r.lever, lang, r_vocab(r))
    for prefix, verb in _ACTIONS:
        if name.startswith(prefix) and len(name) > len(prefix):
            return verb + name[len(prefix) :]
    return None


def communities_text(r: IndicatorResult, amount: float, lang: str) -> str:
    if not isnum(amount) or amount == 0:
        return ""
    action = action_text(r, lang)
    formula = r.indicator.formula.text.strip() if r.indicator.formula is not None else ""
    # "has X" needs more communities with X; "not has X" (counted down to zero) fewer without
    if action and (
        (amount > 0 and formula == r.lever) or (amount < 0 and formula == f"not {r.lever}")
    ):
        return t("shortfall.communities_act", lang, n=_amount(amount, True), action=action)
    key = "shortfall.communities_more" if amount > 0 else "shortfall.communities_fewer"
    return t(key, lang, n=_amount(amount, True), what=_what(r, lang))


def gain_text(r: IndicatorResult, lang: str) -> str:
    """One community's missing yes/no item: "需建立志愿服务站点" (or "需具备：<field>")."""
    action = action_text(r, lang)
    if action:
        return t("shortfall.act", lang, action=action)
    return t("shortfall.gain", lang, field=field_label(r.lever, lang, r_vocab(r)))


def community_shortfall_text(
    r: IndicatorResult, status: str, amount: float, missing_items: str, lang: str
) -> str:
    """What one community must do to meet the target."""
    if status != NOT_MET:
        return ""
    if r.indicator.checklist:
        items = missing_items or ""
        return t("shortfall.checklist", lang, n=_amount(amount, True), items=items)
    if isnum(amount) and amount != 0 and r.lever:
        if lever_is_boolean(r):
            return gain_text(r, lang)
        return lever_text(r, amount, lang)
    if r.lever and lever_is_boolean(r):
        return gain_text(r, lang)
    return ""


def group_shortfall_unit(r: IndicatorResult, lang: str) -> str:
    """The unit of a group row's own `shortfall` number."""
    if r.method in COMMUNITY_COUNTING:
        return t("shortfall.communities_unit", lang)
    if r.method == "ratio":
        return unit_label(r.lever_unit, lang)
    return unit_label(r.indicator.unit, lang)


def community_shortfall_unit(r: IndicatorResult, lang: str) -> str:
    if r.indicator.checklist:
        return t("col.item", lang)
    return unit_label(r.lever_unit, lang) if r.lever else ""


def group_shortfall_text(r: IndicatorResult, amount: float, lang: str) -> str:
    """What a street, district or the city must do for its own figure to meet the target."""
    if not isnum(amount) or amount == 0:
        return ""
    if r.method in COMMUNITY_COUNTING:
        return communities_text(r, amount, lang)
    if r.method == "ratio" and r.lever:
        return lever_text(r, amount, lang)
    unit = unit_label(r.indicator.unit, lang)
    sep = "" if lang == "zh" else " "
    key = "shortfall.total_add" if amount > 0 else "shortfall.total_remove"
    return t(key, lang, n=_amount(amount, False), unit=f"{sep}{unit}" if unit else "")


def reason_text(reason: object, lang: str, r: IndicatorResult) -> str:
    if not isinstance(reason, str) or not reason:
        return ""
    return describe_reason(reason, lang, r_vocab(r))


# --------------------------------------------------------------------------------------------
# Summary


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


WHERE_SHOWN = 3  # districts or streets named in the Summary's "where" column


def headline_cells(r: IndicatorResult, year: int | None, lang: str) -> dict:
    """The headline as every format shows it (one definition: engine Headline)."""
    h, ind = r.headline, r.indicator
    unit = unit_label(ind.unit, lang)
    target = target_text(ind, year, lang)
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


def where_text(r: IndicatorResult, frame: pd.DataFrame, lang: str, shown: int = WHERE_SHOWN) -> str:
    """The districts (for street targets: streets) that fall short, worst first, with their
    gap: "桃城区 8 个社区、冀州区 5 个社区 等 6 个区县"."""
    h, ind = r.headline, r.indicator
    if h.status != NOT_MET:
        return ""
    sep = "、" if lang == "zh" else ", "
    if ind.level == "district" or (ind.level == "city" and r.method not in ("count", "sum")):
        d = r.groups["district"]
        d = d[(d["status"] == NOT_MET).to_numpy()]
        if not len(d):
            return ""
        d = d.iloc[np.argsort(-np.abs(d["gap"].to_numpy(dtype="float64")), kind="stable")]
        gap_unit = t("unit.pp", lang) if ind.unit == "%" else unit_label(ind.unit, lang)
        parts = [
            f"{_text(k)} {fmt_number(g)}{'' if ind.unit == '%' and lang == 'zh' else ' '}{gap_unit}"
            for k, g in zip(d["district"].tolist(), d["gap"].tolist(), strict=True)
        ]
    elif ind.level == "street":
        s_rows = r.groups["street"]
        bad = s_rows[(s_rows["status"] == NOT_MET).to_numpy()]
        if not len(bad):
            return ""
        per = bad.groupby("district", sort=False).size().sort_values(ascending=False, kind="stable")
        unit = t("units.street", lang)
        parts = [f"{_text(k)} {n} {unit}" for k, n in per.items()]
    else:
        c = r.communities
        mask = (c["status"] == NOT_MET).to_numpy() & c["in_scope"].to_numpy(dtype=bool)
        if not mask.any():
            return ""
        keys = frame["district"].astype("string").fillna("").to_numpy(dtype=object)[mask]
        per = pd.Series(keys).value_counts(sort=True)
        unit = t("units.community", lang)
        parts = [f"{_text(k)} {n} {unit}" for k, n in per.items()]
    text = sep.join(parts[:shown])
    if len(parts) > shown:
        text += t("summary.where_more", lang, n=len(parts), units=t("units.district", lang))
    return text


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


def headline_shortfall_text(r: IndicatorResult, lang: str) -> str:
    """The Summary's 'what it takes': the city's own shortfall, or how many units are short
    and what their communities need together."""
    h, ind = r.headline, r.indicator
    if h.status != NOT_MET:
        return ""
    city = r.groups["city"].iloc[0]
    if ind.level == "city":
        return group_shortfall_text(r, city["shortfall"], lang)
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
    if isnum(total) and total != 0 and r.lever and not lever_is_boolean(r):
        parts.append(lever_text(r, total, lang))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def census_year(results: Results) -> int | None:
    """The year the census is for: --year, else a year in its file name."""
    if results.year is not None:
        return results.year
    from indicators.assess.assessment import year_from_name
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


def summary_rows(results: Results, lang: str) -> list[SummaryRow]:
    bind_vocabulary(results)
    year = census_year(results)
    other = "en" if lang == "zh" else "zh"
    rows = []
    for i, r in enumerate(results.indicators, start=1):
        ind, h = r.indicator, r.headline
        cells = headline_cells(r, results.year, lang)
        rows.append(
            SummaryRow(
                no=i,
                result=r,
                name=ind.name(lang),
                name_other=ind.name(other),
                level=level_label(ind, lang),
                scope=scope_label(ind, lang),
                target=cells["target"],
                actual=cells["actual"],
                unit=unit_label(ind.unit, lang),
                gap=cells["gap"],
                status=h.status,
                status_text=status_label(h.status, lang),
                failing=failing_text(r, lang),
                what_it_takes=headline_shortfall_text(r, lang),
                binding=t(f"binding.{str(ind.binding).lower()}", lang),
                citation=ind.cite.section,
                actual_text=cells["actual_text"],
                gap_text=cells["gap_text"],
                gap_unit=cells["gap_unit"],
                city=cells["city"],
                city_text=cells["city_text"],
                where=where_text(r, results.census.frame, lang),
                baseline=baseline_text(ind, lang),
                completion=None if h.per_unit else num(completion(ind, r.target, h.value)),
                time_progress=num(time_elapsed(results.plan, ind, r.target, year)),
            )
        )
    # missed targets first, each group in plan order; 序号 keeps the plan's numbering
    return sorted(rows, key=lambda row: row.status != NOT_MET)


def status_counts(results: Results) -> dict[str, int]:
    counts = {MET: 0, NOT_MET: 0, NOT_COMPUTABLE: 0, NO_TARGET: 0}
    for r in results.indicators:
        counts[r.headline.status] = counts.get(r.headline.status, 0) + 1
    return counts


# --------------------------------------------------------------------------------------------
# Shortfalls


def _by_value(values: np.ndarray, fn) -> np.ndarray:
    """fn applied once per distinct value (missing ones once, as NaN), spread over the rows."""
    codes, uniques = pd.factorize(pd.Series(values), use_na_sentinel=True)
    texts = [fn(u) for u in uniques.tolist()] + [fn(float("nan"))]
    return np.asarray(texts, dtype=object)[codes]  # code -1 (missing) takes the last


def coded(keys: list[np.ndarray], fn) -> tuple[np.ndarray, list]:
    """Codes of the distinct key tuples, and fn(*key) once per distinct tuple."""
    codes = np.zeros(len(keys[0]), dtype=np.int64)
    levels = []
    for k in keys:
        c, u = pd.factorize(pd.Series(k, dtype=object), use_na_sentinel=False)
        codes = codes * (len(u) + 1) + c
        levels.append((c, u))
    codes, firsts = pd.factorize(codes)
    # the first row of each distinct tuple gives its key values
    first_row = np.full(len(firsts), -1, dtype=np.int64)
    order = np.arange(len(codes))[::-1]
    first_row[codes[order]] = order
    values = [[u[c[i]] for c, u in levels] for i in first_row.tolist()]
    return codes, [fn(*v) for v in values]


def _amount_texts(values: np.ndarray, fn, integer: bool) -> np.ndarray:
    """Like _by_value for a text that depends on an amount only through its sign and its
    printed figure (`_amount`): fn runs once per distinct printed amount."""
    cache: dict[tuple, str] = {}

    def once(a: float) -> str:
        key = (a > 0, a < 0, _amount(a, integer)) if isnum(a) else (None,)
        if key not in cache:
            cache[key] = fn(a)
        return cache[key]

    return _by_value(values, once)


def _key_text(frame: pd.DataFrame, key: str) -> np.ndarray:
    """A key column as text; each distinct name is one Python string shared by its rows."""
    if key not in frame:
        return _const("", len(frame))
    codes, uniques = pd.factorize(frame[key].astype("string").fillna(""))
    return np.asarray(uniques, dtype=object)[codes] if len(codes) else _const("", 0)


def _const(value: object, n: int) -> np.ndarray:
    """One shared object n times (np.full would make a new str per element)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _text(x: object) -> str:
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(x)


def text_or_empty(x: object) -> str:
    return _text(x)


__all__ = [
    "MET",
    "NOT_COMPUTABLE",
    "NOT_MET",
    "NO_TARGET",
    "SummaryRow",
    "community_shortfall_text",
    "group_shortfall_text",
    "summary_rows",
]
