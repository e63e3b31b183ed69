"""The JSON report: schema "indicators/check-report", version 1 (docs/report-json.md,
data/report.schema.json).

Keys are written in a fixed order; numbers that cannot be computed are null and the row's
`status` says why; `generated_at` follows SOURCE_DATE_EPOCH when it is set, so two runs on the
same inputs give identical bytes.
"""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np

import indicators
from indicators.engine.results import GROUP_KEYS, GROUP_LEVELS, IndicatorResult, Results
from indicators.files import run_time
from indicators.model.i18n import t
from indicators.model.issues import DataIssue
from indicators.plan.model import Indicator, Plan, Target
from indicators.report.columns import num
from indicators.report.summary import headline_shortfall_text, status_counts
from indicators.report.worded import level_rows, worded
from indicators.report.wording import Wording
from indicators.run.pipeline import FileOutcome

SCHEMA = "indicators/check-report"
VERSION = 1


def generated_at(results: Results | None = None) -> datetime:
    """When the results were made (SOURCE_DATE_EPOCH wins: see indicators.files.run_time)."""
    return results.generated_at if results is not None else run_time()


def render_json(outcomes: list[FileOutcome], lang: str) -> str:
    """The report text. Community lists (600k communities x 30 indicators at national size)
    are encoded column by column and spliced in; the rest goes through json.dumps."""
    deferred: list[_Deferred] = []
    doc = report_dict(outcomes, lang, deferred)
    text = json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if not deferred:
        return text
    out, at = [], 0
    for d in deferred:
        mark = json.dumps(d.key)
        i = text.index(mark, at)
        line_start = text.rindex("\n", 0, i) + 1
        out.append(text[at:i])
        out.append(_encode_rows(d.columns, text[line_start : text.index('"', line_start)]))
        at = i + len(mark)
    out.append(text[at:])
    return "".join(out)


def report_dict(outcomes: list[FileOutcome], lang: str, deferred: list | None = None) -> dict:
    plan = next((o.plan for o in outcomes if o.plan is not None), None)
    plan = next((o.results.plan for o in outcomes if o.results is not None), plan)
    first = next((o.results for o in outcomes if o.results is not None), None)
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "tool": {"name": "indicators", "version": indicators.__version__},
        "generated_at": generated_at(first).isoformat(timespec="seconds"),
        "lang": lang,
        "plan": plan_dict(plan) if plan is not None else None,
        "files": [file_dict(o, lang, deferred) for o in outcomes],
    }


def plan_dict(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "title": plan.title,
        "title_en": plan.title_en,
        "issuer": plan.issuer,
        "document": plan.document,
        "period": list(plan.period) if plan.period else None,
    }


def _roster_dict(o: FileOutcome, lang: str) -> dict | None:
    """Coverage against --roster; its findings are in data_issues like any other."""
    if o.roster is None:
        return None
    d = o.roster.to_dict(lang)
    keys = ("roster", "expected", "reported", "matched", "coverage", "missing", "unexpected")
    return {k: d[k] for k in keys}


def part_dicts(census) -> list[dict]:
    """The files a combined census was read from (empty for one file)."""
    return [
        {
            "path": str(p.source.path),
            "sha256": p.source.sha256,
            "format": p.source.format,
            "sheets": list(p.source.sheets),
            "communities": p.rows,
            "duplicate_of": str(p.duplicate_of) if p.duplicate_of is not None else None,
        }
        for p in census.parts
    ]


def file_dict(o: FileOutcome, lang: str, deferred: list | None = None) -> dict:
    census, results = o.census, o.results
    if o.error is not None:
        status = "unreadable"
    elif results is None:
        # validate reads without evaluating: a file with no errors is simply well formed
        status = "well_formed" if o.ok else "data_errors"
    else:
        status = "checked"
    source = census.source if census is not None else None
    out = {
        "path": str(o.path),
        "name": o.path.name,
        "status": status,
        "sha256": (source.sha256 or None) if source else None,
        "format": source.format if source else None,
        "sheets": list(source.sheets) if source else [],
        "communities": len(census.frame) if census is not None else None,
        "files": part_dicts(census) if census is not None else [],
        "error": {"message": o.error.text(lang), "hint": o.error.hint_text(lang)}
        if o.error
        else None,
        "data_issues": [issue_dict(i, lang) for i in (census.issues if census else [])],
        "roster": _roster_dict(o, lang),
        "year": results.year if results else None,
        "counts": None,
        "indicators": [],
        "not_assessed": [],
    }
    if results is not None:
        w = Wording.of(results, lang)
        counts = status_counts(results)
        out["counts"] = {
            "met": counts.get("met", 0),
            "not_met": counts.get("not_met", 0),
            "not_computable": counts.get("not_computable", 0),
            "no_target": counts.get("no_target", 0),
            "not_assessed": len(results.not_assessed),
        }
        out["indicators"] = [indicator_dict(r, results, w, deferred) for r in results.indicators]
        out["not_assessed"] = [not_assessed_dict(i, lang) for i in results.not_assessed]
    return out


def issue_dict(issue: DataIssue, lang: str) -> dict:
    return {
        "code": issue.code,
        "severity": issue.severity.value,
        "file": issue.file,
        "sheet": issue.sheet,
        "cell": issue.cell,
        "header": issue.header,
        "value": issue.value,
        "expected": issue.expected,
        "message": issue.message(lang),
    }


def target_dict(target: Target | None) -> dict | None:
    if target is None:
        return None
    return {
        "op": target.op,
        "value": target.value,
        "min": target.min,
        "max": target.max,
        "tolerance": target.tolerance,
        "year": target.year,
        "text": target.text(),
    }


def _indicator_head(ind: Indicator, lang: str) -> dict:
    return {
        "id": ind.id,
        "name": {"zh": ind.name_zh, "en": ind.name_en},
        "level": ind.level,
        "scope": ind.scope,
        "unit": ind.unit or None,
        "binding": ind.binding,
    }


def indicator_dict(
    r: IndicatorResult, results: Results, w: Wording, deferred: list | None = None
) -> dict:
    ind, h = r.indicator, r.headline
    d = _indicator_head(ind, w.lang)
    d.update(
        {
            "formula": ind.formula.text if ind.formula is not None else None,
            "checklist": list(ind.checklist),
            "method": r.method,
            "target": target_dict(r.target),
            "targets_by_type": {k: target_dict(v) for k, v in ind.targets_by_type.items()} or None,
            "target_text": ind.target_text_for(results.year),
            "shortfall_field": r.lever,
            "shortfall_unit": r.lever_unit,
            "cite": {"section": ind.cite.section, "quote": ind.cite.quote},
            "headline": {
                "status": h.status,
                "value": num(h.value),
                "gap": num(h.gap),
                "units_level": h.units_level,
                "units_total": h.units_total,
                "units_failing": h.units_failing,
                "communities_in_scope": h.communities_in_scope,
                "communities_failing": h.communities_failing,
                "communities_not_computable": h.communities_not_computable,
                "reason": h.reason or None,
                "what_it_takes": headline_shortfall_text(r, w) or None,
                "per_unit": h.per_unit,
                "units_met": h.units_met,
                "shown": _shown(r, results, w),
            },
            "groups": {level: group_rows(r, results, level, w) for level in GROUP_LEVELS},
            "communities": _communities(r, results, w, deferred),
        }
    )
    return d


def _shown(r: IndicatorResult, results: Results, w: Wording) -> dict:
    """The headline as every format shows it ("87/120 个社区达标（72.5%）", "33 个社区")."""
    cells = worded(results, w.lang).headline(r)
    return {
        "target": cells["target"],
        "actual": cells["actual"],
        "actual_text": cells["actual_text"],
        "gap": cells["gap"],
        "gap_unit": cells["gap_unit"] or None,
        "gap_text": cells["gap_text"],
        "city_text": cells["city_text"] or None,
    }


def _communities(r: IndicatorResult, results: Results, w: Wording, deferred: list | None):
    if deferred is None:
        return community_rows(r, results, w)
    d = _Deferred(f"\x00communities-{len(deferred)}\x00", community_columns(r, results, w))
    deferred.append(d)
    return d.key


def group_rows(r: IndicatorResult, results: Results, level: str, w: Wording) -> list[dict]:
    """The rows of one group level as the worded frame has them; a key the level does not
    have (a district's street) is null."""
    g = level_rows(worded(results, w.lang).frame(r), level)
    keys = GROUP_KEYS[level]
    rows = []
    for rec in g.to_dict("records"):
        rows.append(
            {
                "district": rec["district"] if "district" in keys else None,
                "street": rec["street"] if "street" in keys else None,
                "status": rec["status"],
                "value": num(rec["value"]),
                "gap": num(rec["gap"]),
                "n_scope": int(rec["n_scope"]),
                "n_computable": int(rec["n_computable"]),
                "n_met": int(rec["n_met"]),
                "share_compliant": num(rec["share_compliant"]),
                "shortfall": num(rec["shortfall"]),
                "shortfall_unit": rec["shortfall_unit"],
                "shortfall_all": num(rec["shortfall_all"]),
                "what_it_takes": rec["what_it_takes"] or None,
                "inputs": rec["inputs"] or None,
                "reason": rec["reason"] or None,
            }
        )
    return rows


COMMUNITY_KEYS = (
    "district",
    "street",
    "community",
    "status",
    "value",
    "gap",
    "shortfall",
    "shortfall_unit",
    "what_it_takes",
    "missing_items",
    "reason",
)


def community_columns(r: IndicatorResult, results: Results, w: Wording) -> dict[str, list]:
    """The in-scope community rows of one indicator (from the worded frame) as columns of
    JSON-ready values: None for a missing number and for empty text."""
    c = level_rows(worded(results, w.lang).frame(r), "community")
    n = len(c)

    def numbers(k: str) -> list:
        x = c[k].to_numpy(dtype="float64")
        return np.where(np.isfinite(x), x, None).astype(object).tolist() if n else []

    def text_or_none(k: str) -> list:
        return [v if isinstance(v, str) and v else None for v in c[k].tolist()]

    return {
        "district": c["district"].tolist(),
        "street": c["street"].tolist(),
        "community": c["community"].tolist(),
        "status": c["status"].tolist(),
        "value": numbers("value"),
        "gap": numbers("gap"),
        "shortfall": numbers("shortfall"),
        "shortfall_unit": text_or_none("shortfall_unit"),
        "what_it_takes": text_or_none("what_it_takes"),
        "missing_items": text_or_none("missing_items"),
        "reason": text_or_none("reason"),
    }


def community_rows(r: IndicatorResult, results: Results, w: Wording) -> list[dict]:
    cols = community_columns(r, results, w)
    return [dict(zip(COMMUNITY_KEYS, row, strict=True)) for row in zip(*cols.values(), strict=True)]


class _Deferred:
    """Stands in for a community list while the rest of the report is encoded."""

    def __init__(self, key: str, columns: dict[str, list]) -> None:
        self.key = key
        self.columns = columns


def _encode_rows(columns: dict[str, list], indent: str) -> str:
    """The community objects as json.dumps(indent=2) would write them at this depth, built
    column by column (each distinct value encoded once)."""
    n = len(columns["status"])
    if not n:
        return "[]"
    inner = indent + "    "
    parts = []
    for k in COMMUNITY_KEYS:
        values = columns[k]
        cache: dict = {}
        head = f"{inner}{json.dumps(k)}: "
        enc = []
        if k in ("value", "gap", "shortfall"):  # finite floats or None, as json writes them
            enc = [head + ("null" if v is None else float.__repr__(v)) for v in values]
            parts.append(enc)
            continue
        for v in values:
            e = cache.get(v) if v is not None else "null"
            if e is None:
                e = cache[v] = json.dumps(v, ensure_ascii=False, allow_nan=False)
            enc.append(head + e)
        parts.append(enc)
    open_, close = f"{indent}  {{\n", f"\n{indent}  }}"
    rows = (open_ + ",\n".join(fields) + close for fields in zip(*parts, strict=True))
    return "[\n" + ",\n".join(rows) + f"\n{indent}]"


def not_assessed_dict(ind: Indicator, lang: str) -> dict:
    d = _indicator_head(ind, lang)
    d.update(
        {
            "target_text": ind.target_text or None,
            "cite": {"section": ind.cite.section, "quote": ind.cite.quote},
            "note": ind.note,
            "status": "not_assessed",
            "status_label": t("status.not_assessed", lang),
        }
    )
    return d
