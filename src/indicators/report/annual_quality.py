"""The annual report's closing sections: 四、数据质量 (community changes, year-over-year
findings, streets missing from a census) and 附 (methods and the files it was drawn from).
"""

from __future__ import annotations

import itertools

from indicators.assess.assessment import Assessment
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.report.draft import Section, Table, join, number

LIST_LIMIT = 30  # rows per data-quality table; the rest are counted, not listed


# --------------------------------------------------------------------------- 四、数据质量


def data_quality(a: Assessment, lang: str) -> Section:
    sec = Section(number(1, 4, lang) + t("annual.h.quality", lang))
    kinds = {k: [c for c in a.changes if c.kind == k] for k in ("added", "removed", "renamed")}
    sec.blocks.append(
        t(
            "assess.changes_summary",
            lang,
            **{k: len(v) for k, v in kinds.items()},
            jumps=len(a.issues),
        )
        + ("。" if lang == "zh" else ".")
    )
    for y in a.inputs:
        warnings = sum(1 for i in y.census.issues if i.severity is Severity.WARNING)
        sec.blocks.append(
            t(
                "annual.file_line",
                lang,
                year=y.year,
                file=y.census.source.path.name,
                rows=len(y.census.frame),
                warnings=warnings,
            )
        )
    missing = missing_streets(a)
    if missing:
        sec.blocks.append(
            t(
                "annual.missing_streets",
                lang,
                n=len(missing),
                list=join(
                    [
                        f"{d} {s} ({y})" if lang == "en" else f"{d} {s}（{y}）"
                        for d, s, y in missing
                    ],
                    lang,
                ),
            )
        )
    if a.changes:
        rows = [
            [
                t(f"assess.change.{c.kind}", lang),
                f"{c.previous_year}→{c.year}",
                c.district,
                c.street,
                c.community,
                c.previous or "",
            ]
            for c in a.changes[:LIST_LIMIT]
        ]
        head = ["kind", "years", "district", "street", "community", "previous"]
        sec.blocks.append(_limited(t("annual.table.changes", lang), head, rows, a.changes, lang))
    if a.issues:
        rows = [[i.file, i.location, i.message(lang)] for i in a.issues[:LIST_LIMIT]]
        head = ["file", "location", "message"]
        sec.blocks.append(_limited(t("annual.table.jumps", lang), head, rows, a.issues, lang))
    return sec


def _limited(caption: str, head: list[str], rows, every: list, lang: str) -> Table:
    if len(every) > len(rows):
        caption += t("annual.more_rows", lang, shown=len(rows), n=len(every))
    return Table(caption, [t(f"assess.col.{h}", lang) for h in head], rows)


def missing_streets(a: Assessment) -> list[tuple[str, str, int]]:
    """Streets with communities in one year's census and none in the next:
    (district, street, the year it is missing from)."""
    out = []
    for before, after in itertools.pairwise(a.inputs):
        seen = _streets(before.census.frame)
        now = _streets(after.census.frame)
        out += [(d, s, after.year) for d, s in sorted(seen - now)]
    return out


def _streets(frame) -> set[tuple[str, str]]:
    keys = zip(frame["district"].tolist(), frame["street"].tolist(), strict=True)
    return {(d.strip(), s.strip()) for d, s in keys if s.strip()}


# --------------------------------------------------------------------------- 附


def appendix(a: Assessment, lang: str) -> Section:
    sec = Section(t("annual.h.appendix", lang))
    sec.blocks.append(t("annual.method.progress", lang))
    sec.blocks.append(t("annual.method.aggregate", lang))
    sec.blocks.append(t("assess.subtitle", lang) + ("。" if lang == "zh" else "."))
    rows = [
        [str(y.year), y.census.source.path.name, str(len(y.census.frame)), y.census.source.sha256]
        for y in a.inputs
    ]
    head = [
        t("assess.col.years", lang),
        t("assess.col.file", lang),
        t("annual.col.rows", lang),
        "SHA-256",
    ]
    sec.blocks.append(Table(t("annual.table.sources", lang), head, rows))
    return sec
