"""Every key a plan file may hold, in one table: what it is, where it may appear, its default.

The table is plain data. The loader walks it (plan/indicator.py reads each indicator key with
the reader of the same name, plan/inherit.py lets `overrides` set the keys marked so),
plan/dump.py writes the keys back in table order, and the key reference in
docs/plan-format.md is generated from it (`python -m indicators.plan.keys`; a test keeps the
two the same). A new key is a row here plus its reader and writer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from indicators.plan.model import AGGREGATES, LEVELS, OPS, SCOPES


@dataclass(frozen=True)
class Key:
    name: str
    type: str  # as the reference shows it
    doc: str
    required: str = ""  # "" optional, "yes", or when it is required ("checkable")
    default: str = ""  # as the reference shows it
    checkable_only: bool = False  # read (and written) only for a checkable indicator
    override: bool = False  # an extending plan's `overrides:` may set it


def _choice(values: tuple[str, ...]) -> str:
    return " | ".join(values)


PLAN = (
    Key("id", "text", "lower-case letters, digits and hyphens; the file is <id>.yaml", "yes"),
    Key("extends", "plan id or path", "the plan this one builds on"),
    Key("title", "text", "the document's title as printed", "yes"),
    Key("title_en", "text", "the title in English"),
    Key("issuer", "text", "who issued the document"),
    Key("document", "text", "the document number, when it has one"),
    Key("source", "text", "the source text's file in shared/seeds/"),
    Key("published", "text", "publication date"),
    Key("period", "[year, year]", "first and last year the plan covers", "yes",
        "the parent's (extends)"),
    Key("baseline_year", "year", "the year baselines are for", default="the parent's (extends)"),
    Key("notes", "text", "free text"),
    Key("fields", "list", "census fields beyond the shared vocabulary (field keys below)"),
    Key("indicators", "list", "the targets (indicator keys below)", "unless extends"),
    Key("overrides", "list", "changes to inherited indicators (override keys below)"),
    Key("not_applicable", "list", "inherited indicators that do not apply here"),
)  # fmt: skip

INDICATOR = (
    Key("id", "snake_case", "unique in the plan", "yes"),
    Key("name", "{zh, en}", "the indicator's name; en defaults to zh", "yes"),
    Key("level", _choice(LEVELS), "where the plan sets the target", default="city"),
    Key("scope", _choice(SCOPES), "which communities count", default="all"),
    Key("where", "formula", "an extra condition on the community", checkable_only=True),
    Key("formula", "formula", "the value of one community", "checkable, unless checklist",
        checkable_only=True),
    Key("checklist", "list of yes/no fields", "all must be yes (instead of formula)",
        checkable_only=True),
    Key("aggregate", _choice(AGGREGATES), "how communities combine into a group value",
        default="share for conditions, ratio with a division, else mean", checkable_only=True),
    Key("unit", "text", "the unit of the value, e.g. % or 平方米/百户", default='""',
        checkable_only=True),
    Key("target", "target, or {urban: target, rural: target}", "the final target",
        "checkable", checkable_only=True, override=True),
    Key("milestones", "list of targets with year", "earlier targets or stages, in year order",
        checkable_only=True, override=True),
    Key("baseline", "{year, value, as_printed}", "the figure the plan starts from",
        checkable_only=True, override=True),
    Key("from", "year", "first year the target is in force", override=True),
    Key("until", "year", "last year the target is in force", "with superseded_by",
        override=True),
    Key("superseded_by", "indicator id", "the indicator that takes over after until",
        override=True),
    Key("binding", "true | false | unstated", "约束性 / 预期性 / the document does not say",
        default="unstated", override=True),
    Key("checkable", "true | false", "false: a census cannot check it", default="true"),
    Key("lever", "field id", "the formula field whose shortfall is reported",
        checkable_only=True),
    Key("target_text", "text", "the target as printed", "not checkable", override=True),
    Key("paraphrase", "true | false", "target_text is not the document's wording",
        default="false"),
    Key("cite", "{section, quote}", "the clause the target comes from", "yes", override=True),
    Key("note", "text", "free text (e.g. how an oddity was read)", override=True),
    Key("oddities", "list of codes", "recorded source oddities; lint warns about each",
        override=True),
)  # fmt: skip

FIELD = (
    Key("id", "snake_case", "the field id formulas use", "yes"),
    Key("type", "text | category | integer | number | boolean", "the value type",
        default="number"),
    Key("unit", "text", "numbers: the unit values are stored in"),
    Key("name", "{zh, en}", "the field's name", "yes"),
    Key("aliases", "list of text", "header spellings seen in real sheets"),
    Key("likely", "list of text", "header words that suggest the field (inspect)"),
    Key("lookalikes", "list of text", "headers that look like it but are not"),
    Key("sample", "number or [low, high]", "for the sample generator"),
    Key("values", "{value: [spellings]}", "category values and their spellings"),
    Key("level", "community | street | district",
        "street / district: a fact of the street office or district itself (its own sheet)",
        default="community"),
)  # fmt: skip

OVERRIDE_ONLY = (Key("id", "indicator id", "the inherited indicator", "yes"),)
NOT_APPLICABLE = (
    Key("id", "indicator id", "the inherited indicator", "yes"),
    Key("cite", "{section, quote}", "the clause that excludes it", "unless reason"),
    Key("reason", "text", "why it does not apply (no clause to quote)", "unless cite"),
    Key("note", "text", "free text"),
)

TARGET = (
    Key("op", _choice(OPS), "the comparison", "yes"),
    Key("value", "number", "the figure (all but range)", "unless range"),
    Key("min", "number", "range: lowest accepted", "range"),
    Key("max", "number", "range: highest accepted", "range"),
    Key("tolerance", "number", "about: accepted distance", default="10% of value"),
    Key("year", "year", "the year it is due", "milestones", default="the period's end"),
    Key("stage", "text", "a stage's label as printed"),
)
STAGE = (  # a milestone may restate the standard (a staged target)
    Key("formula", "formula", "the stage's own formula"),
    Key("unit", "text", "the stage's own unit"),
)


def names(table: tuple[Key, ...]) -> frozenset[str]:
    return frozenset(k.name for k in table)


# In an override every key but id and cite is optional: what it does not give is inherited.
OVERRIDE = OVERRIDE_ONLY + tuple(
    replace(k, required="yes" if k.name == "cite" else "",
            default="" if k.name == "cite" else "inherited")
    for k in INDICATOR
    if k.override
)  # fmt: skip

# The key names of each table, once (the loader checks every key it meets against them).
PLAN_NAMES, INDICATOR_NAMES, FIELD_NAMES = names(PLAN), names(INDICATOR), names(FIELD)
OVERRIDE_NAMES, NOT_APPLICABLE_NAMES = names(OVERRIDE), names(NOT_APPLICABLE)
TARGET_NAMES, STAGE_NAMES = names(TARGET), names(STAGE)


def markdown() -> str:
    """The key reference of docs/plan-format.md (between its `keys:` markers)."""
    out: list[str] = []
    sections = (
        ("Top level", PLAN, False),
        ("An indicator", INDICATOR, True),
        ("An override (`overrides:` entries)", OVERRIDE, False),
        ("A `not_applicable` entry", NOT_APPLICABLE, False),
        ("A target or milestone", TARGET, False),
        ("A milestone that is a stage (besides the target keys)", STAGE, False),
        ("A plan field (`fields:` entries)", FIELD, False),
    )
    for title, table, indicator in sections:
        out += [f"#### {title}", ""]
        head = "| key | type | required | default | meaning |"
        if indicator:
            head = head[:-1] + " checkable only | in overrides |"
        out += [head, "|" + "---|" * head.count(" |")]
        for k in table:
            cells = [f"`{k.name}`", k.type, k.required, k.default, k.doc]
            if indicator:
                cells += ["yes" if k.checkable_only else "", "yes" if k.override else ""]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")
