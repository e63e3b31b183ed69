"""What a city asks its streets for, and what `validate` says when a census lacks a column.

`validate` requires the plan's fields, or with `--template` exactly the fields of the
template the city handed out (`template_fields`). A field missing from every sheet is one
finding per field listing the sheets (`group_missing`), not one per sheet. When a city's
census does not collect a field, the way forward is a plan that `extends:` the plan and
marks the indicators that need it `not_applicable` with a plain reason (`narrowing_plan`
writes those few lines), or validating against the city's own template.
"""

from __future__ import annotations

from pathlib import Path

from indicators.model.errors import DataError, said
from indicators.model.issues import DataIssue, Severity
from indicators.plan.model import Plan

MISSING = "missing-field"  # per sheet, from the reader
GROUPED = "missing-plan-field"  # one per field, listing the sheets


def template_fields(path: Path, plan: Plan) -> set[str]:
    """The fields of the header of a template workbook (first sheet with a header)."""
    from indicators.read.formats import read_raw
    from indicators.read.headers import Matcher, find_header

    raw = read_raw(path)
    matcher = Matcher(plan.vocabulary, None)
    for sheet in raw.sheets:
        header = find_header(sheet, matcher, plan.vocabulary)
        if header is not None:
            return set(header.by_field()) - {"district", "street", "community"}
    what = said("read.template_no_header")
    raise DataError(
        said("read.in_file", file=path.name, what=what), hint=said("read.hint.template")
    )


def group_missing(issues: list[DataIssue], plan: Plan) -> list[DataIssue]:
    """Per-sheet missing-field errors -> one error per field naming every sheet (and file)
    without it and the indicators that need it. Other issues are kept as they are."""
    by_field: dict[str, list[DataIssue]] = {}
    out: list[DataIssue | str] = []  # a field id marks where its grouped finding goes
    for issue in issues:
        key = issue.params.get("field") in ("district", "street", "community")
        if issue.code == MISSING and issue.severity is Severity.ERROR and not key:
            fid = issue.params["field"]
            if fid not in by_field:
                out.append(fid)
            by_field.setdefault(fid, []).append(issue)
            continue
        out.append(issue)
    return [_grouped(plan, x, by_field[x]) if isinstance(x, str) else x for x in out]


def _grouped(plan: Plan, field_id: str, found: list[DataIssue]) -> DataIssue:
    files = {i.file for i in found}
    places = [
        (f"[{Path(i.file).name}]" if len(files) > 1 else "") + f"{i.sheet or ''}!{i.cell}"
        if i.sheet
        else (f"{Path(i.file).name}:{i.cell}" if len(files) > 1 else str(i.cell))
        for i in found
    ]
    return DataIssue(
        code=GROUPED,
        severity=Severity.ERROR,
        file=found[0].file,
        sheet=found[0].sheet if len(found) == 1 else None,
        cell=found[0].cell if len(found) == 1 else None,
        params={
            "field": field_id,
            "field_name": found[0].params.get("field_name", field_id),
            "places": "、".join(places),
            "n": len(found),
            "indicators": ", ".join(indicators_needing(plan, field_id)),
            # the unused column most like the field, from the reader, with its --map line
            **next(
                (
                    {"near": i.params["near"], "map": i.params["map"]}
                    for i in found
                    if i.params.get("near")
                ),
                {},
            ),
        },
    )


def indicators_needing(plan: Plan, field_id: str) -> list[str]:
    """Ids of the checkable indicators that read the field (or need community_type)."""
    out = []
    for ind in plan.checkable:
        typed = ind.scope != "all" or bool(ind.targets_by_type)
        if field_id in ind.fields or (field_id == "community_type" and typed):
            out.append(ind.id)
    return out


def narrowing_plan(plan: Plan, missing: list[str], lang: str = "zh") -> str:
    """The few lines of a plan that extends `plan` without the indicators needing the
    fields the census does not collect."""
    names = {f: (plan.vocabulary[f].name(lang) if f in plan.vocabulary else f) for f in missing}
    lines = [
        f"id: {plan.id}-local",
        f"title: {plan.title}（本地普查口径）" if lang == "zh" else f"title: {plan.title} (local)",
        f"period: [{plan.period[0]}, {plan.period[1]}]",
        f"extends: {plan.id}",
        "not_applicable:",
    ]
    done: set[str] = set()
    for field_id in missing:
        for ind_id in indicators_needing(plan, field_id):
            if ind_id in done:
                continue
            done.add(ind_id)
            reason = (
                f"本地普查不采集「{names[field_id]}」"
                if lang == "zh"
                else f"our census does not collect {names[field_id]}"
            )
            lines += [f"  - id: {ind_id}", f"    reason: {reason}"]
    return "\n".join(lines)


def missing_fields(issues: list[DataIssue]) -> list[str]:
    """Fields of the grouped missing-plan-field findings, in order."""
    return [i.params["field"] for i in issues if i.code == GROUPED]
