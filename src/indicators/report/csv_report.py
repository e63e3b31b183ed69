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

from indicators.engine.results import IndicatorResult, Results
from indicators.files import neutralise
from indicators.model.i18n import t
from indicators.report.columns import const, text_or_empty
from indicators.report.summary import headline_shortfall_text
from indicators.report.worded import worded
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
    """The rows of one indicator (its groups, then its communities), rendered column by
    column: every distinct value of a column is formatted (cell, neutralise, quote) once,
    then rows are joined."""

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
            "reason": o.error.text(lang),
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
    cells = worded(results, w.lang).headline(r)
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


# CSV column -> column of the worded frame (report/worded.py)
FROM_WORDED = {
    "level": "level_text",
    "district": "district",
    "street": "street",
    "community": "community",
    "value": "value",
    "target": "target",
    "gap": "gap",
    "status_code": "status",
    "status": "status_text",
    "shortfall": "shortfall",
    "shortfall_unit": "shortfall_unit",
    "what_it_takes": "what_it_takes",
    "shortfall_all": "shortfall_all",
    "share_compliant": "share_compliant",
    "n_met": "n_met",
    "n_computable": "n_computable",
    "method": "method",
    "reason": "reason_text",
}


def result_rows(results: Results, lang: str, name: str):
    """Per indicator its headline row, then the rows of its worded frame as they stand."""
    table = worded(results, lang)
    w = table.wording
    row_type = t("row_type.result", lang)
    for r in results.indicators:
        ind = r.indicator
        base = {
            "file": name,
            "row_type": row_type,
            "indicator_id": ind.id,
            "indicator": ind.name(lang),
        }
        yield _headline_row(r, results, w, base)
        frame = table.frame(r)
        n = len(frame)
        columns = {k: const(v, n) for k, v in base.items()}
        columns.update({k: frame[c].to_numpy() for k, c in FROM_WORDED.items()})
        yield CommunityBlock(columns, n)
