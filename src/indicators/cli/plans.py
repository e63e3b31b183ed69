"""`indicators plans`, `show` and `lint`: list, print and check plan files.

Kept light: nothing here imports pandas, so listing plans starts fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from indicators.cli.common import choice_error, console, h, handle_errors, lang_option
from indicators.cli.console import fits
from indicators.cli.formula_text import named_formula
from indicators.model.errors import ExitCode, PlanError, UsageError
from indicators.model.i18n import t
from indicators.plan import load_plan, load_plan_file, plan_files
from indicators.plan.discover import shown_path
from indicators.plan.model import Indicator, Plan

SHOW_FORMATS = ("table", "markdown", "yaml")
LINT_FORMATS = ("text", "json")


@handle_errors
def plans(
    lang: str = lang_option(),
) -> None:
    """List every plan file with its id, title, period and number of indicators.

    Plans are found in $INDICATORS_TARGETS, ./targets and the project's targets/ (examples
    included). Exit 3 if a plan file is invalid (it is still listed).

    Example: indicators plans --lang en
    """
    files = plan_files()
    if not files:
        console.print(t("plans.none", lang))
        return
    table = Table(title=t("plans.title", lang), title_justify="left")
    for key in ("id", "title", "period", "indicators", "checkable", "not_checkable"):
        table.add_column(
            t(f"plans.col.{key}", lang),
            justify="right" if key in ("indicators", "checkable", "not_checkable") else None,
        )
    table.add_column(t("plans.col.extends", lang))
    invalid = 0
    for path in files:
        try:
            plan = load_plan_file(path)
        except PlanError:
            invalid += 1
            table.add_row(path.stem, t("plans.invalid", lang, file=path), "", "", "", "", "")
            continue
        first, last = plan.period
        table.add_row(
            plan.id,
            _title(plan, lang),
            f"{first}–{last}",
            str(len(plan.indicators)),
            str(len(plan.checkable)),
            str(len(plan.not_checkable)),
            plan.extends or "",
        )
    console.print(table)
    console.print(t("plans.total", lang, n=len(files)))
    if invalid:
        raise typer.Exit(int(ExitCode.PLAN_INVALID))


@handle_errors
def show(
    plan: str = typer.Argument(..., help=h("show.plan")),
    format_: str = typer.Option("table", "--format", "-f", help=h("show.format")),
    lang: str = lang_option(),
) -> None:
    """Print a plan's indicators: level, scope, formula, target, milestones, baseline, binding
    and citation; for a plan that extends another, where each target comes from.

    Examples:

      indicators show hengshui-2021-2025

      indicators show example-district-extends-hengshui --format markdown --lang en

      indicators show targets/my-city.yaml --format yaml
    """
    if format_ not in SHOW_FORMATS:
        raise choice_error("--format", SHOW_FORMATS, format_, lang)
    the_plan = load_plan(plan)
    if format_ == "yaml":
        import yaml

        from indicators.plan.dump import plan_data

        text = yaml.safe_dump(plan_data(the_plan), allow_unicode=True, sort_keys=False, width=100)
        console.file.write(text)
    elif format_ == "markdown":
        console.file.write(_markdown(the_plan, lang))
    else:
        _table(the_plan, lang)


@handle_errors
def lint(
    files: list[Path] = typer.Argument(None, help=h("lint.files")),
    strict: bool = typer.Option(False, "--strict", help=h("lint.strict")),
    format_: str = typer.Option("text", "--format", "-f", help=h("lint.format")),
    lang: str = lang_option(),
) -> None:
    """Check plan files: schema errors, plus warnings about figures that look wrong
    (baseline already meeting the target, milestones out of the period or going backwards,
    units that disagree with the formula, recorded source oddities, loosened binding targets
    of a plan it extends...).

    Each finding: file:line, severity, indicator id, message.
    Exit codes: 0 no errors (warnings allowed unless --strict); 3 errors (or warnings with
    --strict); 4 usage error.

    Examples:

      indicators lint

      indicators lint targets/my-city.yaml --strict
    """
    from indicators.plan.lint import ERROR, INFO, WARNING, lint_file

    if format_ not in LINT_FORMATS:
        raise choice_error("--format", LINT_FORMATS, format_, lang)
    paths = list(files or [shown_path(p) for p in plan_files()])
    for path in paths:
        if not path.is_file():
            raise UsageError(t("usage.no_plan_file", lang, path=path))
    results = [lint_file(path) for path in paths]
    findings = [f for r in results for f in r.findings]
    count = {s: sum(f.severity == s for f in findings) for s in (ERROR, WARNING, INFO)}
    if format_ == "json":
        data = {
            "files": [
                {"file": r.file, "plan": r.plan.id if r.plan else None,
                 "findings": [f.to_dict(lang) for f in r.findings]}
                for r in results
            ],
            "errors": count[ERROR], "warnings": count[WARNING], "infos": count[INFO],
        }  # fmt: skip
        console.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        style = {ERROR: "bold red", WARNING: "yellow", INFO: "dim"}
        for r in results:
            if not r.findings:
                console.print(t("lint.clean", lang, file=r.file), style="green", soft_wrap=True)
            for f in r.findings:
                sev = t(f"lint.severity.{f.severity}", lang)
                who = f" {f.indicator}:" if f.indicator else ""
                console.print(
                    Text.assemble(
                        f"{f.location}: ",
                        (sev, style[f.severity]),
                        f" [{f.code}]{who} {f.message(lang)}",
                    ),
                    soft_wrap=True,
                )
        console.print(
            t(
                "lint.summary",
                lang,
                files=len(results),
                errors=count[ERROR],
                warnings=count[WARNING],
                infos=count[INFO],
            )
        )
    if count[ERROR] or (strict and count[WARNING]):
        raise typer.Exit(int(ExitCode.PLAN_INVALID))


# --- show: table and markdown --------------------------------------------------------------


def _title(plan: Plan, lang: str) -> str:
    return (plan.title_en or plan.title) if lang == "en" else plan.title


def _header_lines(plan: Plan, lang: str) -> list[str]:
    first, last = plan.period
    lines = [
        t("show.heading", lang, title=_title(plan, lang), id=plan.id),
        t(
            "show.meta",
            lang,
            first=first,
            last=last,
            issuer=plan.issuer or "",
            document=plan.document or "",
        ).rstrip(),
        t(
            "show.counts",
            lang,
            n=len(plan.indicators),
            checkable=len(plan.checkable),
            not_checkable=len(plan.not_checkable),
        ),
    ]
    if plan.extends:
        own = [i for i in plan.indicators if i.origin == plan.id]
        overridden = sum(i.replaces is not None for i in own)
        lines.append(
            t(
                "show.extends",
                lang,
                parent=plan.extends,
                inherited=len(plan.indicators) - len(own),
                overridden=overridden,
                added=len(own) - overridden,
                excluded=sum(e.plan == plan.id for e in plan.not_applicable),
            )
        )
    return lines


def _cells(plan: Plan, ind: Indicator, lang: str) -> dict[str, str]:
    """The text of each column for one indicator; shared by table and markdown."""
    level = f"{t(f'level.{ind.level}', lang)} / {t(f'scope.{ind.scope}', lang)}"
    if not ind.checkable:
        formula = t("show.not_checkable", lang)
        target = ind.target_text or ""
        if ind.paraphrase:
            target += t("show.paraphrase", lang)
    else:
        vocab = plan.vocabulary
        if ind.checklist:
            items = [named_formula(item, vocab, lang) for item in ind.checklist]
            formula = t(
                "show.checklist", lang, items="、".join(items) if lang == "zh" else ", ".join(items)
            )
        else:
            formula = named_formula(ind.formula.text, vocab, lang) if ind.formula else ""
        if ind.where is not None:
            where = named_formula(ind.where.text, vocab, lang)
            formula += f"  ({t('show.where', lang)} {where})"
        target = ind.target_text_for()
        if ind.unit:
            target += f" {ind.unit}"
        final = ind.target
        if final is not None and final.year is not None and final.year != plan.period[1]:
            target = f"{t('show.due', lang, year=final.year)}: {target}"
        if final is not None and final.stage:
            target += "\n" + t("show.stage", lang, stage=final.stage)
    baseline = ""
    if ind.baseline is not None:
        b = ind.baseline
        shown = b.as_printed or f"{b.value:g}"
        baseline = f"{b.year}: {shown}" if b.year else shown
    cells = {
        "indicator": f"{ind.id}\n{ind.name(lang)}",
        "level": level,
        "formula": formula,
        "aggregate": _aggregate(plan, ind, lang) if ind.checkable else "",
        "target": target,
        "milestones": "\n".join(_milestone(m, ind, plan, lang) for m in ind.milestones),
        "years": _years(ind, lang),
        "baseline": baseline,
        "binding": t(f"binding.{ind.binding_key}", lang),
        "cite": f"{ind.cite.section}\n“{ind.cite.quote}”",
        "oddities": ", ".join(ind.oddities),
    }
    if plan.extends:
        cells["origin"] = _origin(plan, ind, lang)
    return cells


def _aggregate(plan: Plan, ind: Indicator, lang: str) -> str:
    """How the indicator's figure is made at each level, as the reports name it: the
    method, or for a street's or district's own fact its own figure and how the levels above
    combine it ("街道自身数值（街道表）；区县、全市：街道平均值")."""
    from indicators.engine.methods import method_of  # pandas: only when a plan is shown
    from indicators.engine.streets import fact_level
    from indicators.report.wording import method_label

    method = method_of(ind)
    fact = fact_level(ind, plan.vocabulary)
    if fact is None:
        return t(method.label_key, lang)
    has_target = ind.target_for(None) is not None
    own = method_label(method.label_key_at(fact, fact, has_target), fact, lang)
    above = method_label(method.label_key_at("city", fact, has_target), fact, lang)
    return t(f"show.aggregate_fact.{fact}", lang, own=own, above=above)


def _milestone(m, ind: Indicator, plan: Plan, lang: str) -> str:
    text = f"{m.year}: {m.text()} {m.unit or ind.unit}".rstrip()
    if m.formula is not None:
        text += f" ({named_formula(m.formula.text, plan.vocabulary, lang)})"
    if m.stage:
        text += f"; {t('show.stage', lang, stage=m.stage)}"
    return text


def _years(ind: Indicator, lang: str) -> str:
    parts = []
    if ind.years_text():
        parts.append(t("show.in_force", lang, years=ind.years_text()))
    if ind.superseded_by:
        parts.append(t("show.superseded", lang, id=ind.superseded_by))
    return "\n".join(parts)


def _origin(plan: Plan, ind: Indicator, lang: str) -> str:
    if ind.origin != plan.id:
        return t("show.origin.inherited", lang, plan=ind.origin)
    if ind.replaces is not None:
        was = ind.replaces.target_text_for() or ind.replaces.target_text or ""
        if ind.replaces.binding != ind.binding:
            was += f", {t(f'binding.{ind.replaces.binding_key}', lang)}"
        return t("show.origin.override", lang, plan=ind.replaces.origin, was=was)
    return t("show.origin.own", lang)


def _columns(plan: Plan) -> list[str]:
    cols = [
        "indicator",
        "level",
        "formula",
        "aggregate",
        "target",
        "milestones",
        "years",
        "baseline",
        "binding",
        "cite",
        "oddities",
    ]
    return [*cols, "origin"] if plan.extends else cols


def _table(plan: Plan, lang: str) -> None:
    for line in _header_lines(plan, lang):
        console.print(line, soft_wrap=True)
    rows = [_cells(plan, ind, lang) for ind in plan.indicators]
    roomy = _show_table(plan, rows, lang, roomy=True)
    # rich cuts the right of every line off (the citation) when the columns' minimums pass
    # the terminal's width: then every column folds as narrow as it must
    table = roomy if fits(console, roomy) else _show_table(plan, rows, lang, roomy=False)
    console.print(table)
    _print_excluded(plan, lang, lambda s: console.print(s, soft_wrap=True))


def _show_table(plan: Plan, rows: list[dict[str, str]], lang: str, roomy: bool) -> Table:
    table = Table(show_lines=True)
    wanted = {"indicator": 24, "formula": 18, "cite": 30} if roomy else {}
    for col in _columns(plan):
        table.add_column(t(f"show.col.{col}", lang), overflow="fold", min_width=wanted.get(col))
    for cells in rows:
        table.add_row(*(cells[c] for c in _columns(plan)))
    return table


def _markdown(plan: Plan, lang: str) -> str:
    head = _header_lines(plan, lang)
    out = [f"# {head[0]}", "", *[f"{line}  " for line in head[1:]], ""]
    cols = _columns(plan)
    out.append("| " + " | ".join(t(f"show.col.{c}", lang) for c in cols) + " |")
    out.append("|" + "---|" * len(cols))
    for ind in plan.indicators:
        cells = _cells(plan, ind, lang)
        out.append("| " + " | ".join(_md_cell(cells[c]) for c in cols) + " |")
    extra: list[str] = []
    _print_excluded(plan, lang, extra.append)
    if extra:
        out += ["", f"## {extra[0]}", "", *[f"- {line.strip()}" for line in extra[1:]]]
    return "\n".join(out) + "\n"


def _print_excluded(plan: Plan, lang: str, emit) -> None:
    if not plan.not_applicable:
        return
    emit(t("show.not_applicable", lang))
    for e in plan.not_applicable:
        ind = e.indicator
        why = {"section": e.cite.section, "quote": e.cite.quote} if e.cite else {}
        emit(
            "  "
            + t(
                "show.not_applicable.item" if e.cite else "show.not_applicable.reason",
                lang,
                id=ind.id,
                name=ind.name(lang),
                parent=ind.origin,
                reason=e.reason or "",
                **why,
            )
        )


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")
