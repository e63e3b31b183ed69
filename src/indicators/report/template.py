"""The submission template: a workbook a street office fills in and `validate` accepts as is.

Sheet 街道情况 (only when the plan has facts of the streets themselves): one row per
街道/乡镇 with district, street and those fields, laid out the same way; sheet 区县情况 (only
when the plan has facts of the districts themselves): one row per 区县, likewise.
Sheet 社区基本情况: one column per field the plan needs (identity first), Chinese headers with
their units, a help note on every header, data validation on the rows to fill (城市/农村 and
是/否 lists, whole numbers >= 0, numbers >= 0), the header row frozen and protected (data rows
stay editable). Sheet 填表说明: what each field is for and the plan's indicators with the fields
feeding each. Headers are the fields' own Chinese names, so the reader matches them exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators.model.errors import DataError, said
from indicators.model.fields import Field, normalise_header
from indicators.model.i18n import t
from indicators.plan.model import Indicator, Plan
from indicators.read.units import UNITS
from indicators.report.findings import target_text

DATA_SHEET = "社区基本情况"
HELP_SHEET = "填表说明"
STREET_SHEET = "街道情况"  # one row per 街道/乡镇, when the plan has street-level facts
STREET_ROWS = 200
DISTRICT_SHEET = "区县情况"  # one row per 区县, when the plan has district-level facts
DISTRICT_ROWS = 50
# Each extra sheet: (level, sheet name, rows at most, identity columns first)
LEVEL_SHEETS = (
    ("street", STREET_SHEET, STREET_ROWS, ("district", "street")),
    ("district", DISTRICT_SHEET, DISTRICT_ROWS, ("district",)),
)
IDENTITY = ("district", "street", "community", "community_type")
YES_NO = ("是", "否")
DEFAULT_ROWS = 500
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Column:
    field: Field
    header: str  # as written in the template: the Chinese name and a unit the reader knows
    required: bool
    feeds: tuple[Indicator, ...]  # checkable indicators that use the field

    @property
    def choices(self) -> tuple[str, ...]:
        """The drop-down list, for categories and yes/no fields; empty otherwise."""
        if self.field.id == "community_type":
            return ("城市", "农村")
        if self.field.type == "boolean":
            return YES_NO
        if self.field.type == "category":
            return tuple(v[0] for v in self.field.values.values() if v)
        return ()


def template_columns(plan: Plan, level: str = "community") -> list[Column]:
    """Identity columns, then every field the plan's checkable indicators need, in
    vocabulary order. `level` street (district): the street (district) sheet's columns, its
    identity columns and the level's own fields; empty when the plan needs none."""
    vocab = plan.vocabulary
    needed = {f for f in plan.required_fields() if _level(plan, f) == level}
    identity = {lv: ids for lv, _, _, ids in LEVEL_SHEETS}
    if level in identity:
        if not needed:
            return []
        ids = list(identity[level])
    else:
        ids = [f for f in IDENTITY if f != "community_type" or f in needed]
    ids += [f for f in vocab.fields if f in needed and f not in IDENTITY]
    ids += sorted(f for f in needed if f not in ids)  # fields a plan uses without declaring
    columns = []
    for fid in ids:
        field = plan.vocabulary.get(fid) or Field(fid, "number", fid, fid)
        feeds = tuple(i for i in plan.checkable if fid in fields_of(i))
        columns.append(Column(field, header_for(field), fid in needed or fid in IDENTITY, feeds))
    return columns


def _level(plan: Plan, field_id: str) -> str:
    f = plan.vocabulary.get(field_id)
    return f.level if f else "community"


def fields_of(indicator: Indicator) -> tuple[str, ...]:
    """The fields an indicator reads, with community_type when its scope or target depends on it."""
    typed = indicator.scope != "all" or bool(indicator.targets_by_type)
    return (*indicator.fields, "community_type") if typed else indicator.fields


def header_for(field: Field) -> str:
    """ "户数（户）", "社区综合服务设施面积（平方米）", "是否有综合服务设施（是/否）".

    Only units the reader takes at face value (factor 1) go into the header; others ("%",
    "小时") are named in the help note instead, so a header never rescales what is typed."""
    if field.type == "boolean":
        return f"{field.name_zh}（是/否）"
    base, factor = UNITS.get(normalise_header(field.unit or ""), (None, 0.0))
    if base is not None and factor == 1.0:
        return f"{field.name_zh}（{field.unit}）"
    return field.name_zh


def how_to_fill(column: Column, lang: str) -> str:
    f = column.field
    unit = t("template.unit", lang, unit=f.unit) if f.unit else ""
    if f.id == "community":
        return t("template.type.community", lang)
    if column.choices:
        key = "template.type.boolean" if f.type == "boolean" else "template.type.category"
        return t(key, lang, choices=" / ".join(column.choices))
    if f.type == "integer":
        return t("template.type.integer", lang, unit=unit)
    if f.type == "number":
        return t("template.type.number", lang, unit=unit)
    return t("template.type.text", lang)


def help_note(column: Column, lang: str) -> str:
    """The note on a header: what to enter, and which indicators the value feeds."""
    sep, comma = ("：", "、") if lang == "zh" else (": ", "; ")
    lines = [f"{column.field.name(lang)}{sep}{how_to_fill(column, lang)}"]
    if column.feeds:
        names = comma.join(i.name(lang) for i in column.feeds)
        lines.append(f"{t('template.col.feeds', lang)}{sep}{names}")
    return "\n".join(lines)


def write_template(plan: Plan, out: Path, *, rows: int = DEFAULT_ROWS, lang: str = "zh") -> int:
    """Write the template workbook to `out`; returns the number of columns."""
    import xlsxwriter

    if not 1 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {MAX_ROWS}")
    from indicators.files import atomic_path

    columns = template_columns(plan)
    extra = [(sheet, n, ids, template_columns(plan, lv)) for lv, sheet, n, ids in LEVEL_SHEETS]
    extra = [e for e in extra if e[3]]
    with atomic_path(Path(out), lang) as tmp:  # whole or not at all, never half a template
        wb = xlsxwriter.Workbook(str(tmp))
        try:
            _data_sheet(wb, columns, rows, lang)
            for sheet, n, ids, level_columns in extra:
                _data_sheet(wb, level_columns, min(rows, n), lang, sheet, len(ids))
            own = [c for _, _, ids, level_columns in extra for c in level_columns[len(ids) :]]
            _help_sheet(wb, plan, columns + own, lang)
        finally:
            wb.close()
    return len(columns) + sum(len(e[3]) for e in extra)


def typed_in(path: Path) -> str | None:
    """Where the existing workbook at `path` holds data typed in below a header (`sheet!B2`,
    as Excel shows it), or None when it holds none (an unfilled template: headers and the
    填表说明 sheet only). Read with the census reader's own limits; raises DataError when the
    file cannot be read."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    from indicators.read.formats import read_raw

    book = read_raw(Path(path))
    if book.format not in ("xlsx", "xlsm"):  # not a workbook a template could have become
        what = said("read.not_xlsx", format=book.format)
        raise DataError(said("read.in_file", file=Path(path).name, what=what))
    for sheet in book.sheets:
        if sheet.name == HELP_SHEET:
            continue
        grid = sheet.grid.iloc[max(0, 1 - sheet.row0) :]  # below the header row
        filled = grid.notna() & grid.map(lambda v: str(v).strip() != "")
        rows, cols = filled.to_numpy().nonzero()
        if len(rows):
            at = rows.argmin()
            row = sheet.row0 + max(0, 1 - sheet.row0) + int(rows[at])
            cell = xl_rowcol_to_cell(row, sheet.col0 + int(cols[at]))
            return f"{sheet.name}!{cell}" if sheet.name else cell
    return None


def _data_sheet(
    wb, columns: list[Column], rows: int, lang: str, name: str = DATA_SHEET, frozen: int = 3
) -> None:
    ws = wb.add_worksheet(name)
    head = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    head.set_locked(True)
    fill = {
        "text": wb.add_format({"locked": False, "num_format": "@"}),
        "integer": wb.add_format({"locked": False, "num_format": "0"}),
        "number": wb.add_format({"locked": False, "num_format": "0.00"}),
        "list": wb.add_format({"locked": False}),
    }
    last = rows  # 0-based index of the last row to fill (row 0 is the header)
    for col, column in enumerate(columns):
        f = column.field
        kind = "list" if column.choices else f.type if f.type in fill else "text"
        width = max(10, min(40, 2 * len(column.header) + 2))
        ws.set_column(col, col, width, fill[kind])
        ws.write_string(0, col, column.header, head)
        ws.write_comment(
            0, col, help_note(column, lang), {"x_scale": 2.2, "y_scale": 1.6, "author": ""}
        )
        ws.data_validation(1, col, last, col, _validation(column, lang))
    ws.set_row(0, 36)
    ws.freeze_panes(1, frozen)
    ws.protect(
        "",
        {
            "select_locked_cells": True,
            "select_unlocked_cells": True,
            "format_columns": True,
            "format_rows": True,
            "delete_rows": True,
            "sort": True,
        },
    )
    if name == DATA_SHEET:
        ws.activate()


def _validation(column: Column, lang: str) -> dict:
    f = column.field
    title = f.name_zh if len(f.name_zh) <= 32 else f.name_zh[:31] + "…"
    message = how_to_fill(column, lang)[:255]
    rule: dict = {"input_title": title, "input_message": message}
    if column.choices:
        choices = " / ".join(column.choices)
        rule.update(validate="list", source=list(column.choices))
        rule.update(error_message=t("template.error.list", lang, choices=choices))
    elif f.type == "integer":
        rule.update(validate="integer", criteria=">=", value=0)
        rule.update(error_message=t("template.error.integer", lang))
    elif f.type == "number":
        rule.update(validate="decimal", criteria=">=", value=0)
        rule.update(error_message=t("template.error.number", lang))
    else:
        rule.update(validate="any")
        return rule
    rule.update(error_title=t("template.error.title", lang), error_type="stop")
    return rule


def _help_sheet(wb, plan: Plan, columns: list[Column], lang: str) -> None:
    ws = wb.add_worksheet(HELP_SHEET)
    title = wb.add_format({"bold": True, "font_size": 14})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    note = wb.add_format({"text_wrap": True})
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 4, 48)
    row = 0
    ws.write_string(row, 0, t("template.help.title", lang, plan=plan.title), title)
    row += 1
    if plan.document:
        ws.write_string(row, 0, f"{plan.issuer or ''} {plan.document}".strip())
        row += 1
    for key in ("template.help.intro", "template.help.check"):
        ws.merge_range(row, 0, row, 4, t(key, lang, plan_id=plan.id), note)
        ws.set_row(row, 32)
        row += 1
    row += 1
    ws.write_string(row, 0, t("template.help.fields", lang), title)
    row += 1
    heads = ("header", "type", "required", "feeds")
    for col, key in enumerate(heads):
        ws.write_string(row, col, t(f"template.col.{key}", lang), bold)
    row += 1
    for column in columns:
        required = t(f"template.required.{'yes' if column.required else 'no'}", lang)
        feeds = "\n".join(i.name(lang) for i in column.feeds)
        values = (column.header, how_to_fill(column, lang), required, feeds)
        for col, value in enumerate(values):
            ws.write_string(row, col, value, wrap)
        row += 1
    row += 1
    ws.write_string(row, 0, t("template.help.indicators", lang), title)
    row += 1
    for col, key in enumerate(("indicator", "level", "target", "fields", "cite")):
        ws.write_string(row, col, t(f"template.col.{key}", lang), bold)
    row += 1
    headers = {c.field.id: c.header for c in columns}
    for ind in plan.checkable:
        level = t(f"level.{ind.level}", lang)
        if ind.scope != "all":
            level += f"·{t(f'scope.{ind.scope}', lang)}"
        used = "\n".join(headers.get(f, f) for f in fields_of(ind))
        values = (ind.name(lang), level, target_text(ind), used, ind.cite.section)
        for col, value in enumerate(values):
            ws.write_string(row, col, value, wrap)
        row += 1
    if plan.not_checkable:
        row += 1
        ws.write_string(row, 0, t("template.help.not_assessed", lang), title)
        row += 1
        for ind in plan.not_checkable:
            values = (ind.name(lang), "", target_text(ind), "", ind.cite.section)
            for col, value in enumerate(values):
                ws.write_string(row, col, value, wrap)
            row += 1
