"""Text renderers of an annual assessment: terminal overview (rich), JSON and Markdown; and
the labels every assessment renderer shares (status, basis, tracked value, target)."""

from __future__ import annotations

import json
import math

from indicators.assess import progress
from indicators.assess.assessment import SHARE_MEETING, Assessment, IndicatorSeries
from indicators.model.i18n import t
from indicators.plan.lint import oddity_text
from indicators.report.text import describe_reason, fmt_number, unit_label, with_unit

_STYLE = {
    progress.ACHIEVED: "green",
    progress.ON_TRACK: "green",
    progress.ACCELERATION_NEEDED: "yellow",
    progress.LIMITED_PROGRESS: "dark_orange",
    progress.DETERIORATION: "bold red",
    progress.NOT_ENOUGH_DATA: "dim",
    "overdue": "bold red",
    "baseline_doubtful": "dim",
}
_MARK = {
    progress.ACHIEVED: "✓",
    progress.ON_TRACK: "↗",
    progress.ACCELERATION_NEEDED: "→",
    progress.LIMITED_PROGRESS: "…",
    progress.DETERIORATION: "↘",
    progress.NOT_ENOUGH_DATA: "?",
    "overdue": "✗",
    "baseline_doubtful": "?",
}


# --------------------------------------------------------------------------- shared labels


def plan_title(a: Assessment, lang: str) -> str:
    return (a.plan.title_en or a.plan.title) if lang == "en" else a.plan.title


def years_text(years: list[int]) -> str:
    """2021–2023 for consecutive years, else 2019, 2021, 2023."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def measure_text(s: IndicatorSeries, lang: str) -> str:
    if s.measure == SHARE_MEETING:
        ind = s.indicator
        level = "community" if ind.level == "city" else ind.level
        target = ind.target_text_for(None)
        if ind.unit and ind.unit != "%":
            target += f" {unit_label(ind.unit, lang)}"
        elif ind.unit == "%":
            target += "%"
        return t(
            "assess.measure.share_meeting", lang, level=t(f"level.{level}", lang), target=target
        )
    return t("assess.measure.value", lang)


def year_cell(s: IndicatorSeries, year: int, lang: str) -> str:
    """A year's figure as `check` shows it; for targets every unit must meet, the share of
    units meeting it beside it; "no data" when the census of that year cannot give it."""
    if year in s.no_data:
        return t("assess.no_data", lang)
    ind_unit = "%" if s.indicator.unit == "%" else ""
    figure = s.figures.get(year, s.values.get(year))
    text = fmt_number(figure, ind_unit)
    if s.measure == SHARE_MEETING:
        share = fmt_number(s.values.get(year), "%")
        text += "\n" + t("assess.met_share", lang, share=share)  # a second line: narrow column
    return text


def no_data_lines(a: Assessment, lang: str) -> list[str]:
    """One line per indicator and year without data, with the reason (e.g. the census of
    that year has no column for the field)."""
    vocab = a.plan.vocabulary
    lines = [no_data_text(s, year, lang, vocab) for s in a.indicators for year in sorted(s.no_data)]
    return lines + [t("assess.not_in_force_line", lang, name=s.indicator.name(lang),
                      years=s.in_force_years, skipped=", ".join(map(str, s.not_in_force)))
                    for s in a.indicators if s.not_in_force]  # fmt: skip


def no_data_text(s: IndicatorSeries, year: int, lang: str, vocab=None) -> str:
    """'2021 特殊困难老年人月探访率: no data (the census has no column for ...)'."""
    reason = s.no_data[year]
    why = describe_reason(reason, lang, vocab) if ":" in reason else reason
    return t("assess.no_data_line", lang, year=year, name=s.indicator.name(lang), reason=why)


def target_text(s: IndicatorSeries, lang: str) -> str:
    return with_unit(s.target.text(), s.unit, lang)


def overdue_year(s: IndicatorSeries) -> int | None:
    """The latest target or milestone year already passed while the latest census still
    misses it (None when none is overdue)."""
    p = s.progress
    if p.year is None or p.status == progress.ACHIEVED:
        return None
    latest = s.values.get(p.year)
    if latest is None or not math.isfinite(latest):
        return None
    due = [(s.target_year, s.target)]
    if s.measure != SHARE_MEETING:
        due += [(m.year, m) for m in s.indicator.milestones if m.year is not None]
    passed = [y for y, target in due if y < p.year and not progress.meets(target, latest)]
    return max(passed) if passed else None


def status_key(s: IndicatorSeries) -> str:
    """The status shown: a passed deadline or a doubtful printed baseline outrank the
    progress measure (which still appears beside it)."""
    if overdue_year(s) is not None:
        return "overdue"
    if s.doubtful_baseline is not None:
        return "baseline_doubtful"
    return s.progress.status


def status_text(s: IndicatorSeries, lang: str) -> str:
    key = status_key(s)
    text = t(f"progress.{s.progress.status}", lang)
    if key != s.progress.status:
        inner = f"（{text}）" if lang == "zh" else f" ({text})"
        label = t("progress.overdue_status" if key == "overdue" else f"progress.{key}", lang)
        text = label + inner
    text = f"{_MARK[key]} {text}"
    if s.binding_off_track:
        text = f"⚠ {text}（{t('binding.true', lang)}）" if lang == "zh" else f"⚠ {text} (binding)"
    return text


def basis_text(s: IndicatorSeries, lang: str) -> str:
    p = s.progress
    text = t(f"progress.basis.{p.basis}", lang)
    overdue = overdue_year(s)
    if overdue is not None:
        text += "；" if lang == "zh" else "; "
        text += t("progress.overdue", lang, year=overdue)
    if s.doubtful_baseline is not None:
        text += "；" if lang == "zh" else "; "
        year, value = s.doubtful_baseline
        text += t("progress.baseline_left_out", lang, year=year, value=fmt_number(value))
    if s.indicator.oddities and s.measure != SHARE_MEETING:
        text += "；" if lang == "zh" else "; "
        codes = (oddity_text(code, lang) for code in s.indicator.oddities)
        text += t("assess.oddities", lang, codes=("；" if lang == "zh" else "; ").join(codes))
    return text


# --------------------------------------------------------------------------- terminal


def print_assessment(console, a: Assessment, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    years = a.years
    title = t("assess.title", lang, plan=plan_title(a, lang), years=years_text(years))
    console.print(title, style="bold")
    for y in a.inputs:
        console.print(
            t("assess.files", lang, year=y.year, file=y.census.source.path.name,
              n=len(y.census.frame)),
        )  # fmt: skip
    table = Table(header_style="bold", show_lines=False)
    # the status beside the indicator's name: what a reader looks for first
    heads = [t("assess.col.indicator", lang), t("assess.col.status", lang)]
    heads += [t("assess.col.baseline", lang)]
    heads += [str(y) for y in years]
    heads += [t("assess.col.target", lang)]
    heads += [t("assess.col.ratio", lang), t("assess.col.projected", lang)]
    for h in heads:
        # Year cells stay narrow: a share of units meeting the target wraps under the figure.
        table.add_column(h, overflow="fold", max_width=10 if h in map(str, years) else None)
    for s in a.indicators:
        p = s.progress
        unit = "%" if s.unit == "%" else ""
        name = Text(s.indicator.name(lang))
        if s.measure == SHARE_MEETING:
            name.append(f" ({measure_text(s, lang)})", style="dim")
        base = f"{fmt_number(s.baseline[1], unit)} ({s.baseline[0]})" if s.baseline else "—"
        status = status_text(s, lang)
        style = "bold white on red" if s.binding_off_track else _STYLE[status_key(s)]
        table.add_row(
            name,
            Text(status, style=style),
            base,
            *[year_cell(s, y, lang) for y in years],
            f"{target_text(s, lang)} ({s.target_year})",
            _ratio(p.ratio),
            fmt_number(p.projected, unit),
        )
    console.print(table)
    for line in no_data_lines(a, lang):
        console.print(line, markup=False)
    counts = a.counts()
    console.print(t("assess.counts", lang, **counts, not_assessed=len(a.not_assessed)))
    off = a.binding_off_track
    if off:
        names = "、".join(s.indicator.name(lang) for s in off)
        alert = t("assess.binding_alert", lang, n=len(off), names=names)
        console.print(alert, style="bold red")
    console.print(_changes_line(a, lang))
    console.print(t("assess.subtitle", lang), style="dim")


def _changes_line(a: Assessment, lang: str) -> str:
    kinds = {k: sum(1 for c in a.changes if c.kind == k) for k in ("added", "removed", "renamed")}
    return t("assess.changes_summary", lang, **kinds, jumps=len(a.issues))


def _ratio(x: float | None) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x + 0.0:.2f}".replace("-0.00", "0.00")


# --------------------------------------------------------------------------- json / markdown


def _n(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else round(float(x), 6)


def assessment_dict(a: Assessment, lang: str = "zh") -> dict:
    """The assessment as plain data (what --format json prints)."""
    indicators = []
    for s in a.indicators:
        p, ind = s.progress, s.indicator
        indicators.append(
            {
                "id": ind.id,
                "name": ind.name(lang),
                "level": ind.level,
                "binding": ind.binding,
                "measure": s.measure,
                "measure_label": measure_text(s, lang),
                "unit": s.unit,
                "baseline": {"year": s.baseline[0], "value": s.baseline[1]} if s.baseline else None,
                "values": {str(y): _n(v) for y, v in s.values.items()},
                "figures": {str(y): _n(v) for y, v in s.figures.items()},
                "no_data": {str(y): why for y, why in s.no_data.items()},
                "not_in_force": list(s.not_in_force),
                "target_status": {str(y): v for y, v in s.statuses.items()},
                "target": target_text(s, lang),
                "target_year": s.target_year,
                "trajectory": {str(y): _n(v) for y, v in s.trajectory.items()},
                "trajectory_method": "linear",
                "status": p.status,
                "status_label": t(f"progress.{p.status}", lang),
                "basis": p.basis,
                "base_year": p.base_year,
                "base_value": _n(p.base_value),
                "goal": _n(p.goal),
                "observed_rate": _n(p.observed_rate),
                "required_rate": _n(p.required_rate),
                "ratio": _n(p.ratio),
                "projected": _n(p.projected),
                "binding_off_track": s.binding_off_track,
            }
        )
    return {
        "plan": a.plan.id,
        "title": a.plan.title,
        "years": a.years,
        "files": [
            {"year": y.year, "file": str(y.census.source.path), "sha256": y.census.source.sha256}
            for y in a.inputs
        ],
        "method": "Statistics Canada / Open SDG progress measure (CAGR observed / required)",
        "counts": a.counts(),
        "indicators": indicators,
        "not_assessed": [i.id for i in a.not_assessed],
        "changes": [
            {
                "kind": c.kind,
                "year": c.year,
                "previous_year": c.previous_year,
                "district": c.district,
                "street": c.street,
                "community": c.community,
                "previous": c.previous,
                "matched_by": c.matched_by,
            }
            for c in a.changes
        ],
        "issues": [i.to_dict(lang) for i in a.issues],
    }


def render_json(a: Assessment, lang: str = "zh") -> str:
    return json.dumps(assessment_dict(a, lang), ensure_ascii=False, indent=2)


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(a: Assessment, lang: str = "zh") -> str:
    years = a.years
    title = t("assess.title", lang, plan=plan_title(a, lang), years=years_text(years))
    heads = [t("assess.col.indicator", lang), t("assess.col.status", lang)]
    heads += [t("assess.col.binding", lang)]
    heads += [t("assess.col.baseline", lang), *map(str, years)]
    heads += [t("assess.col.target", lang)]
    heads += [t("assess.col.ratio", lang), t("assess.col.projected", lang)]
    lines = [f"# {_md(title)}", "", "| " + " | ".join(heads) + " |"]
    lines.append("|" + "---|" * len(heads))
    for s in a.indicators:
        p = s.progress
        unit = "%" if s.unit == "%" else ""
        name = s.indicator.name(lang)
        if s.measure == SHARE_MEETING:
            name += f" ({measure_text(s, lang)})"
        status = status_text(s, lang)
        if s.binding_off_track:
            status = f"**{status}**"
        cells = [
            name,
            status,
            t(f"binding.{str(s.indicator.binding).lower()}", lang),
            f"{fmt_number(s.baseline[1], unit)} ({s.baseline[0]})" if s.baseline else "—",
            *[year_cell(s, y, lang) for y in years],
            f"{target_text(s, lang)} ({s.target_year})",
            _ratio(p.ratio),
            fmt_number(p.projected, unit),
        ]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    lines += ["", *[f"- {_md(line)}" for line in no_data_lines(a, lang)]]
    lines += ["", t("assess.counts", lang, **a.counts(), not_assessed=len(a.not_assessed))]
    lines += ["", _changes_line(a, lang), "", f"_{t('assess.subtitle', lang)}_", ""]
    return "\n".join(lines)
