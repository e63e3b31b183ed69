"""The Markdown report: per file, the Summary table, the largest shortfalls, data issues and
targets not assessed. Text from the census is escaped so it cannot break the table."""

from __future__ import annotations

from indicators.engine.results import Results
from indicators.model.i18n import t
from indicators.model.issues import DataIssue
from indicators.report.shortfalls import shortfall_rows
from indicators.report.summary import status_counts, summary_rows
from indicators.report.text import status_label
from indicators.report.wording import Wording
from indicators.run.pipeline import FileOutcome

TOP_SHORTFALLS = 20
MAX_ISSUES = 50
MARK = {"met": "✅", "not_met": "❌", "not_computable": "⚠️", "no_target": "·"}


def esc(text: object) -> str:
    s = "" if text is None else str(text)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "<", ">"):
        s = s.replace(ch, "\\" + ch)
    return s.replace("\r", " ").replace("\n", " ")


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(esc(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(cells) + " |" for cells in rows]
    return out


def render_markdown(outcomes: list[FileOutcome], lang: str) -> str:
    lines: list[str] = []
    for o in outcomes:
        lines += file_section(o, lang)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def file_section(o: FileOutcome, lang: str) -> list[str]:
    if o.results is not None:
        return results_section(o.results, lang)
    lines = [f"# {esc(o.path.name)}", ""]
    if o.error is not None:
        lines.append(t("md.unreadable", lang, message=esc(o.error.text(lang))))
        return lines
    if o.census is not None:
        lines.append(t("md.data_errors", lang, n=len(o.census.errors)))
        lines.append("")
        lines += issues_table(o.census.issues, lang)
    return lines


def results_section(results: Results, lang: str) -> list[str]:
    plan, census = results.plan, results.census
    from indicators.report.workbook_notes import timestamp

    lines = [f"# {esc(t('report.title', lang, plan=plan.title))}", ""]
    lines.append(
        esc(
            t(
                "report.subtitle",
                lang,
                document=plan.document or "—",
                plan_id=plan.id,
                file=census.source.path.name,
                time=timestamp(results),
            )
        )
    )
    lines.append("")
    counts = status_counts(results)
    lines.append(
        "**"
        + t(
            "report.counts",
            lang,
            met=counts["met"],
            not_met=counts["not_met"],
            not_computable=counts["not_computable"],
            not_assessed=len(results.not_assessed),
            n=f"{len(census.frame):,}",
        )
        + "**"
    )
    lines += ["", f"## {t('md.summary', lang)}", ""]
    keys = (
        "no",
        "indicator",
        "level",
        "target",
        "actual",
        "gap",
        "status",
        "where",
        "what_it_takes",
        "city_figure",
        "binding",
    )
    headers = [t(f"col.{k}", lang) for k in keys]
    rows = []
    for r in summary_rows(results, Wording.of(results, lang)):
        rows.append(
            [
                str(r.no),
                esc(r.name),
                esc(r.level),
                esc(r.target),
                esc(r.actual_text),
                esc(r.gap_text),
                f"{MARK.get(r.status, '')} {esc(r.status_text)}",
                esc(r.where),
                esc(r.what_it_takes),
                esc(r.city_text),
                esc(r.binding),
            ]
        )
    lines += table(headers, rows)
    lines += ["", f"_{esc(t('report.actual_note', lang))}_", ""]

    shortfalls, total = shortfall_rows(results, lang, limit=TOP_SHORTFALLS)
    if shortfalls:
        lines += [f"## {t('md.shortfalls', lang, n=TOP_SHORTFALLS)}", ""]
        keys = ("indicator", "level", "district", "street", "community", "what_it_takes")
        lines += table(
            [t(f"col.{k}", lang) for k in keys],
            [[esc(x[k]) for k in keys] for x in shortfalls],
        )
        if total > len(shortfalls):
            lines += ["", t("md.more", lang, n=total - len(shortfalls))]
        lines.append("")
    if census.issues:
        lines += [f"## {t('md.data_issues', lang)}", ""]
        lines += issues_table(census.issues, lang)
        lines.append("")
    if results.not_assessed:
        lines += [f"## {t('md.not_assessed', lang)}", ""]
        lines += table(
            [t("col.indicator", lang), t("col.target_printed", lang), t("col.citation", lang)],
            [
                [esc(i.name(lang)), esc(i.target_text or ""), esc(i.cite.section)]
                for i in results.not_assessed
            ],
        )
    return lines


def issues_table(issues: list[DataIssue], lang: str) -> list[str]:
    shown = issues[:MAX_ISSUES]
    lines = table(
        [
            t("issues.col.location", lang),
            t("issues.col.severity", lang),
            t("issues.col.code", lang),
            t("issues.col.message", lang),
        ],
        [
            [
                esc(i.location),
                esc(t(f"severity.{i.severity.value}", lang)),
                esc(i.code),
                esc(i.message(lang)),
            ]
            for i in shown
        ],
    )
    if len(issues) > len(shown):
        lines += ["", t("md.more", lang, n=len(issues) - len(shown))]
    return lines


__all__ = ["render_markdown", "status_label"]
