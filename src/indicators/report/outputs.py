"""`--out`: write the gap reports of one census file, each format chosen by the path's suffix.

Every path is checked before anything is written (not an input file, not a folder, its
folder exists), then each report is written atomically. With several census files the CLI
calls this once per file and each report's name gets the census file's stem:
`gaps.xlsx` + `east.xlsx` -> `gaps-east.xlsx`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from indicators.engine.results import Results
from indicators.files import check_outputs, write_text_atomic
from indicators.model.errors import OutputError
from indicators.model.i18n import t
from indicators.run.pipeline import FileOutcome

SUFFIXES = (".xlsx", ".csv", ".json", ".md", ".html")


def output_paths(results: Results, paths: list[Path], inputs: list[Path]) -> list[Path]:
    return _named_for(results.census.source.path, paths, inputs)


def _named_for(census: Path, paths: list[Path], inputs: list[Path]) -> list[Path]:
    """With several census files, each report is suffixed with its census file's stem."""
    if len(inputs) <= 1:
        return [Path(p) for p in paths]
    return [Path(p).with_name(f"{Path(p).stem}-{census.stem}{Path(p).suffix}") for p in paths]


def precheck_outputs(
    paths: list[Path], inputs: list[Path], lang: str, others: Iterable[Path | None] = ()
) -> None:
    """Refuse bad output paths before any census is read, so a user waits for nothing.
    `others`: the files read besides the census (roster, mapping, plan)."""
    every = [q for census in inputs for q in _named_for(Path(census), paths, inputs)]
    for p in every:
        if p.suffix.lower() not in SUFFIXES:
            raise OutputError(t("output.unknown_suffix", lang, path=p))
    check_outputs(every, [Path(i) for i in inputs], lang, others)


def write_reports(results: Results, paths: list[Path], lang: str, inputs: list[Path]) -> list[Path]:
    """Write each report; returns the paths written. Raises OutputError before writing
    anything when a path is refused."""
    targets = output_paths(results, paths, inputs)
    for p in targets:
        if p.suffix.lower() not in SUFFIXES:
            raise OutputError(t("output.unknown_suffix", lang, path=p))
    check_outputs(targets, [Path(i) for i in inputs] + [results.census.source.path], lang)
    written = []
    for path in targets:
        write_one(results, path, lang)
        written.append(path)
    return written


def write_one(results: Results, path: Path, lang: str) -> None:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from indicators.report.workbook import write_workbook

        write_workbook(results, path, lang)
        return
    if suffix == ".html":
        from indicators.report.gap_page import write_gap_page

        write_gap_page(results, path, lang)
        return
    outcome = [FileOutcome(results.census.source.path, census=results.census, results=results)]
    if suffix == ".csv":
        from indicators.report.csv_report import render_csv

        write_text_atomic(path, render_csv(outcome, lang), lang, bom=True)
    elif suffix == ".json":
        from indicators.report.json_report import render_json

        write_text_atomic(path, render_json(outcome, lang), lang)
    else:
        from indicators.report.markdown import render_markdown

        write_text_atomic(path, render_markdown(outcome, lang), lang)
