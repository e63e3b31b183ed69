"""The CSV report: one tidy table, one row per (file, indicator, unit), plus one row per data
issue and per unreadable file, so nothing found is left out.

Files are written UTF-8 with a BOM (Excel then opens Chinese text correctly); stdout gets no
BOM (it would corrupt pipes). Every text cell is neutralised against formula injection; numbers
are written as plain numbers (a negative gap stays numeric).
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd

from indicators.engine.results import GROUP_LEVELS, IndicatorResult, Results
from indicators.files import neutralise
from indicators.model.i18n import t
from indicators.report.columns import by_value, coded, const, text_or_empty
from indicators.report.summary import headline_cells, headline_shortfall_text
from indicators.report.wording import Wording
from indicators.run.pipeline import FileOutcome

COLUMNS = (
    "file",
    "row_type",
    "indicator_id",
    "indicator",
    "level",
    "district",
    "street",
    "community",
    "value",
    "target",
    "gap",
    "status_code",
    "status",
    "shortfall",
    "shortfall_unit",
    "what_it_takes",
    "shortfall_all",
    "share_compliant",
    "n_met",
    "n_computable",
    "method",
    "location",
    "reason",
)
HEADER_KEYS = {
    "file": "col.file",
    "row_type": "col.row_type",
    "indicator_id": "col.indicator_id",
    "indicator": "col.indicator",
    "level": "col.level",
    "district": "col.district",
    "street": "col.street",
    "community": "col.community",
    "value": "col.value",
    "target": "col.target",
    "gap": "col.gap",
    "status_code": "col.status_code",
    "status": "col.status",
    "shortfall": "col.shortfall",
    "shortfall_unit": "col.unit",
    "what_it_takes": "col.what_it_takes",
    "shortfall_all": "col.shortfall_all",
    "share_compliant": "col.share_compliant",
    "n_met": "col.n_met",
    "n_computable": "col.n_computable",
    "method": "col.method",
    "location": "col.cell",
    "reason": "col.message",
}


def cell(value: object) -> str:
    """A number as a plain number; text neutralised; missing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            x = float(value)
        except (TypeError, ValueError):
            return neutralise(str(value))
        if not math.isfinite(x):
            return ""
        return str(int(x)) if x == int(x) and abs(x) < 1e15 else format(x, ".10g")
    text = text_or_empty(value)
    return neutralise(text)


def render_csv(outcomes: list[FileOutcome], lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([t(HEADER_KEYS[c], lang) for c in COLUMNS])
    for o in outcomes:
        for row in outcome_rows(o, lang):
            if isinstance(row, CommunityBlock):
                buf.write(row.render())
            else:
                writer.writerow([cell(row.get(c)) for c in COLUMNS])
    return buf.getvalue()


def _field(text: str) -> str:
    """One CSV field as csv.writer (QUOTE_MINIMAL) writes it."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class CommunityBlock:
    """The community rows of one indicator, rendered column by column: every distinct value
    of a column is formatted (cell, neutralise, quote) once, then rows are joined."""

    def __init__(self, columns: dict[str, np.ndarray], n: int) -> None:
        self.columns = columns
        self.n = n

    def render(self) -> str:
        if not self.n:
            return ""
        fields = []
        for c in COLUMNS:
            v = self.columns.get(c)
            if v is None:
                fields.append(None)
                continue
            codes, uniques = pd.factorize(pd.Series(v, dtype=object), use_na_sentinel=True)
            texts = [_field(cell(u)) for u in uniques.tolist()] + [""]
            fields.append(np.asarray(texts, dtype=object)[codes].tolist())
        empty = [""] * self.n
        cols = [f if f is not None else empty for f in fields]
        return "".join(",".join(row) + "\r\n" for row in zip(*cols, strict=True))


def outcome_rows(o: FileOutcome, lang: str):
    name = o.path.name
    if o.error is not None:
        yield {
            "file": name,
            "row_type": t("row_type.file_error", lang),
            "status_code": "unreadable",
            "reason": o.error.message,
        }
        return
    if o.census is not None:
        for issue in o.census.issues:
            yield {
                "file": name,
                "row_type": t("row_type.data_issue", lang),
                "indicator_id": issue.code,
                "status_code": issue.severity.value,
                "status": t(f"severity.{issue.severity.value}", lang),
                "location": issue.location,
                "reason": issue.message(lang),
            }
    if o.results is not None:
        yield from result_rows(o.results, lang, name)


def _headline_row(r: IndicatorResult, results: Results, w: Wording, base: dict) -> dict:
    """The indicator's headline, as the Summary shows it: for a target every unit must meet,
    the % of units meeting it and the units short; for a city target, the city's figure."""
    h, lang = r.headline, w.lang
    cells = headline_cells(r, results.year, w)
    return {
        **base,
        "row_type": t("row_type.headline", lang),
        "level": t(f"level.{h.units_level}", lang),
        "value": cells["actual"],
        "target": cells["target"],
        "gap": cells["gap"],
        "status_code": h.status,
        "status": w.status(h.status),
        "shortfall_unit": cells["gap_unit"],
        "what_it_takes": headline_shortfall_text(r, w) or cells["actual_text"],
        "n_met": h.units_met if h.per_unit else None,
        "n_computable": h.units_total if h.per_unit else None,
        "method": t("method.units", lang) if h.per_unit else w.method(r, "city"),
    }


def result_rows(results: Results, lang: str, name: str):
    w = Wording.of(results, lang)
    frame = results.census.frame
    keys = results.keys
    types = frame["community_type"].to_numpy(dtype=object) if "community_type" in frame else None
    row_type = t("row_type.result", lang)
    for r in results.indicators:
        ind = r.indicator
        base = {
            "file": name,
            "row_type": row_type,
            "indicator_id": ind.id,
            "indicator": ind.name(lang),
        }
        tgt = w.target(ind, results.year)
        yield _headline_row(r, results, w, base)
        for level in reversed(GROUP_LEVELS):
            g = r.groups[level]
            unit = w.group_shortfall_unit(r)
            method = w.method(r, level)
            for rec in g.to_dict("records"):
                yield {
                    **base,
                    "level": t(f"level.{level}", lang),
                    "district": rec.get("district"),
                    "street": rec.get("street"),
                    "value": rec["value"],
                    "target": tgt,
                    "gap": rec["gap"],
                    "status_code": rec["status"],
                    "status": w.status(rec["status"]),
                    "shortfall": rec["shortfall"],
                    "shortfall_unit": unit,
                    "what_it_takes": w.group_shortfall(r, rec["shortfall"]),
                    "shortfall_all": rec["shortfall_all"],
                    "share_compliant": rec["share_compliant"],
                    "n_met": rec["n_met"],
                    "n_computable": rec["n_computable"],
                    "method": method,
                    "reason": w.reason(rec["reason"]),
                }
        yield from _community_rows(r, results, w, base, keys, types, tgt)


def _community_rows(r: IndicatorResult, results: Results, w: Wording, base, keys, types, tgt):
    lang = w.lang
    c = r.communities
    pos = np.flatnonzero(c["in_scope"].to_numpy(dtype=bool))
    n = len(pos)
    status = c["status"].to_numpy(dtype=object)[pos]
    short = c["shortfall"].to_numpy(dtype="float64")[pos]
    missing = c["missing_items"].to_numpy(dtype=object)[pos]
    if r.indicator.targets_by_type and types is not None:
        target = by_value(
            types[pos],
            lambda x: w.target(r.indicator, results.year, x if isinstance(x, str) else None),
        )
    else:
        target = const(tgt, n)
    # the shortfall text depends on status, amount and (checklists) the missing items
    codes, texts = coded(
        [status, short, missing],
        lambda s, a, m: w.community_shortfall(r, s, a, m if isinstance(m, str) else ""),
    )
    what = np.asarray(texts, dtype=object)[codes]
    labels = by_value(status, lambda s: w.status(s) if isinstance(s, str) else "")
    reasons = by_value(c["reason"].to_numpy(dtype=object)[pos], w.reason)
    columns = {k: const(v, n) for k, v in base.items()}
    columns.update(
        {
            "level": const(t("level.community", lang), n),
            "district": keys["district"][pos],
            "street": keys["street"][pos],
            "community": keys["community"][pos],
            "value": c["value"].to_numpy(dtype="float64")[pos],
            "target": target,
            "gap": c["gap"].to_numpy(dtype="float64")[pos],
            "status_code": status,
            "status": labels,
            "shortfall": short,
            "shortfall_unit": const(w.community_shortfall_unit(r), n),
            "what_it_takes": what,
            "method": const("", n),
            "reason": reasons,
        }
    )
    yield CommunityBlock(columns, n)
