"""`indicators lint`: schema errors from the loader plus sanity warnings about a plan's figures.

Findings are data (severity, code, file, line, indicator, parameters); the CLI renders them.
Messages live in the catalogue as `lint.<code>` in Chinese and English.

Severities: `error` (the plan cannot be used: the loader refused it), `warning` (probably a
mistake, or a recorded source oddity to keep in mind), `info` (worth knowing, not a mistake).
"""

from __future__ import annotations

import ast
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

from indicators.model.errors import PlanError, said, wording
from indicators.model.fields import shared_vocabulary
from indicators.plan.load import load_plan_source, read_plan_text
from indicators.plan.model import Indicator, Plan, Target
from indicators.plan.parse import Problem

ERROR, WARNING, INFO = "error", "warning", "info"
# A per-N unit and the factor its formula must multiply by.
PER_UNITS = (("百户", 100), ("百人", 100), ("千人", 1000), ("万人", 10000), ("万名", 10000))
PERCENT = ("%", "％", "百分比")


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    file: str
    line: int | None
    indicator: str | None
    params: dict = field(default_factory=dict, hash=False, compare=False)
    key: str = ""  # the key path of a loader's problem (indicators[2].target.op); "" otherwise
    # a schema error's text to word in the reader's language (params["text"] is English)
    said: object = field(default=None, hash=False, compare=False)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def message(self, lang: str = "en") -> str:
        from indicators.model.i18n import t

        params = self.params if self.said is None else {"text": _worded(self.said, lang)}
        if self.code == "oddity":
            params = {**params, "what": oddity_text(str(params.get("oddity", "")), lang)}
        return t(f"lint.{self.code}", lang, **params)

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "indicator": self.indicator,
            "message": self.message(lang),
            "key": self.key,
        }


def _worded(value: object, lang: str) -> object:
    """A parameter in `lang`: a loader's Problem or a catalogue message is worded there."""
    return value.text_in(lang) if isinstance(value, Problem) else wording(value, lang)


@dataclass
class LintResult:
    file: str
    plan: Plan | None
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def codes(self, severity: str | None = None) -> list[str]:
        return [f.code for f in self.findings if severity in (None, f.severity)]


def lint_file(path: Path) -> LintResult:
    shown = str(path)
    try:
        text = read_plan_text(Path(path))
    except PlanError as exc:
        return LintResult(shown, None, [Finding(ERROR, "schema", shown, None, None,
                                                {"text": exc.message}, said=exc.said)])  # fmt: skip
    except (OSError, UnicodeDecodeError) as exc:
        reason = (
            said("plan.not_utf8", path=shown)
            if isinstance(exc, UnicodeDecodeError)
            else said("plan.unreadable", path=shown, reason=exc.strerror)
        )
        return LintResult(shown, None, [Finding(ERROR, "schema", shown, None, None,
                                                {"text": str(reason)}, said=reason)])  # fmt: skip
    return lint_text(text, shown, path=Path(path))


def lint_text(text: str, file: str, *, path: Path | None = None) -> LintResult:
    try:
        plan, loaded = load_plan_source(text, file, path=path)  # loaded: the line of each key
    except PlanError as exc:
        records = getattr(exc, "records", None)
        if not records:
            return LintResult(file, None, [Finding(ERROR, "schema", file, None, None,
                                                   {"text": exc.message}, said=exc.said)])  # fmt: skip
        return LintResult(file, None, [_schema(r) for r in records])
    return LintResult(file, plan, _Linter(plan, file, path, loaded).run())


def _schema(problem: Problem) -> Finding:
    """A problem the loader refused the plan for, as an error finding."""
    return Finding(ERROR, problem.code, problem.file, problem.line, problem.indicator,
                   {"text": problem.text}, problem.key, problem)  # fmt: skip


class _Linter:
    def __init__(self, plan: Plan, file: str, path: Path | None, loaded) -> None:
        self.plan, self.file, self.path, self.loaded = plan, file, path, loaded
        self.data = loaded.data if isinstance(loaded.data, dict) else {}
        self.found: list[Finding] = []
        self.where: dict[str, tuple] = {}  # indicator id -> its key path in this file
        for key in ("indicators", "overrides"):
            for i, raw in enumerate(self.data.get(key) or []):
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    self.where.setdefault(raw["id"], (key, i))

    def add(self, severity, code, ind: Indicator | None, keys: tuple = (), **params) -> None:
        path: tuple = ()
        if ind is not None and ind.id in self.where:
            path = (*self.where[ind.id], *keys)
        elif keys:
            path = keys
        line = self.loaded.line(path) if path else None
        self.found.append(Finding(severity, code, self.file, line, ind.id if ind else None, params))

    def run(self) -> list[Finding]:
        plan = self.plan
        if self.path is not None and self.path.stem != plan.id:
            self.add(WARNING, "id-not-file-name", None, ("id",), id=plan.id, stem=self.path.stem)
        for ind in plan.indicators:
            if ind.origin != plan.id:
                continue  # inherited unchanged: the parent's file answers for it
            self.indicator(ind)
        self.plan_fields()
        return self.found

    # --- one indicator -------------------------------------------------------------------
    def indicator(self, ind: Indicator) -> None:
        for code in ind.oddities:
            self.add(WARNING, "oddity", ind, ("oddities",), oddity=code, note=ind.note or "")
        if ind.replaces is not None:
            self.loosened(ind, ind.replaces)
        if not ind.checkable:
            if not ind.target_text:
                self.add(WARNING, "no-target-text", ind, ())
            return
        self.baseline(ind)
        self.milestones(ind)
        self.unit(ind)
        if ind.where is not None and not _is_condition(ind.where, self.plan):
            self.add(WARNING, "where-not-condition", ind, ("where",), where=ind.where.text)
        self.fidelity(ind)

    def fidelity(self, ind: Indicator) -> None:
        """The classes an independent reading of the documents found (issue 16)."""
        target, last = ind.target, self.plan.period[1]
        if ind.aggregate == "count" and target is not None and not ind.targets_by_type:
            at_most = target.wants_increase is False or (target.op == "==" and target.value == 0)
            if at_most:
                # Reports treat the communities where the condition holds as compliant; a
                # count held at or below a bound counts the non-compliant ones.
                self.add(WARNING, "count-of-failures", ind, ("formula",), target=target.text(),
                         formula=ind.formula.text if ind.formula else "")  # fmt: skip
        if (
            target is not None
            and target.year is not None
            and target.year < last
            and ind.in_until is None
            and ind.superseded_by is None
        ):
            self.add(WARNING, "dated-no-end", ind, ("target",), year=target.year, last=last)
        if ind.where is not None and ind.aggregate == "ratio" and ind.level != "community":
            self.add(WARNING, "where-drops-ratio-inputs", ind, ("where",), where=ind.where.text,
                     level=ind.level)  # fmt: skip

    def baseline(self, ind: Indicator) -> None:
        b, target = ind.baseline, ind.target
        if b is None:
            return
        first = self.plan.period[0]
        if b.year is not None and b.year > first:
            self.add(WARNING, "baseline-year", ind, ("baseline",), year=b.year, first=first)
        if target is None or ind.targets_by_type or target.op in ("range", "about", "=="):
            return
        low, high, _, _ = target.bounds
        bound = low if target.wants_increase else high
        if not _inside(b.value, target):
            return
        keys = ("baseline",)
        if ind.level == "community":
            # The baseline is an average or a total; the target binds each community.
            self.add(INFO, "baseline-meets-target-on-average", ind, keys, baseline=_n(b.value),
                     target=target.text())  # fmt: skip
        elif math.isclose(b.value, bound):
            self.add(
                INFO, "baseline-at-target", ind, keys, baseline=_n(b.value), target=target.text()
            )
        else:
            self.add(WARNING, "baseline-meets-target", ind, keys, baseline=_n(b.value),
                     target=target.text())  # fmt: skip

    def milestones(self, ind: Indicator) -> None:
        first, last = self.plan.period
        final = ind.target
        final_year = final.year if final and final.year is not None else last
        if final and final.year is not None and not first <= final.year <= last:
            self.add(WARNING, "target-year-out-of-period", ind, ("target",), year=final.year,
                     first=first, last=last)  # fmt: skip
        for j, m in enumerate(ind.milestones):
            keys = ("milestones", j)
            if not first <= m.year <= last:
                self.add(WARNING, "milestone-out-of-period", ind, keys, year=m.year,
                         first=first, last=last)  # fmt: skip
            elif m.year >= final_year:
                self.add(WARNING, "milestone-after-target", ind, keys, year=m.year,
                         final=final_year)  # fmt: skip
            if final is not None and m.wants_increase != final.wants_increase:
                self.add(WARNING, "milestone-direction", ind, keys, milestone=m.text(),
                         target=final.text())  # fmt: skip
        if final is None or final.wants_increase is None or not ind.milestones:
            return
        steps = [*ind.milestones, final]
        for j, (a, b) in enumerate(itertools.pairwise(steps)):
            if a.wants_increase != final.wants_increase or a.formula or b.formula:
                continue  # a stage restating the formula is not on the same scale
            backwards = b.headline < a.headline if final.wants_increase else b.headline > a.headline
            if backwards:
                later = f"{b.year}" if b.year is not None else f"{final_year}"
                self.add(WARNING, "milestones-not-monotone", ind, ("milestones", j),
                         year=a.year, value=_n(a.headline), later=later,
                         later_value=_n(b.headline))  # fmt: skip

    def unit(self, ind: Indicator) -> None:
        unit = (ind.unit or "").strip()
        share = ind.aggregate == "share"
        if share and unit and not any(p in unit for p in PERCENT):
            self.add(WARNING, "unit-share-not-percent", ind, ("unit",), unit=unit)
            return
        if ind.formula is None or share:
            return
        factors = _factors(ind.formula.tree.body)
        divides = "/" in ind.formula.text
        if any(p in unit for p in PERCENT):
            if ind.aggregate == "count":
                self.add(WARNING, "unit-count-percent", ind, ("unit",), unit=unit)
            elif 100 not in factors:
                self.add(WARNING, "unit-percent-no-100", ind, ("unit",), unit=unit,
                         formula=ind.formula.text)  # fmt: skip
            return
        for word, factor in PER_UNITS:
            if word in unit:
                if divides and factor not in factors:
                    self.add(WARNING, "unit-per-n", ind, ("unit",), unit=unit, factor=factor,
                             formula=ind.formula.text)  # fmt: skip
                return
        if divides and 100 in factors:
            self.add(WARNING, "unit-scaled-by-100", ind, ("unit",), unit=unit or "—",
                     formula=ind.formula.text)  # fmt: skip

    def loosened(self, ind: Indicator, old: Indicator) -> None:
        keys = ("target",) if ind.target is not old.target else ()
        looser = []
        pairs = [("", ind.target, old.target)]
        pairs += [(f"{k}: ", ind.targets_by_type.get(k), t) for k, t in old.targets_by_type.items()]
        new_by_year = {m.year: m for m in ind.milestones}
        pairs += [(f"{m.year}: ", new_by_year.get(m.year), m) for m in old.milestones]
        for prefix, new, was in pairs:
            if new is not None and was is not None and _looser(new, was):
                looser.append(f"{prefix}{new.text()} (was {was.text()})")
        params = {"parent": old.origin or "", "change": "; ".join(looser)}
        if old.binding and looser:
            self.add(WARNING, "loosened-binding", ind, keys, **params)
        elif looser:
            self.add(INFO, "loosened", ind, keys, **params)
        if old.binding and not ind.binding:
            self.add(WARNING, "binding-dropped", ind, ("binding",), parent=old.origin or "")

    # --- the plan's own fields ------------------------------------------------------------
    def plan_fields(self) -> None:
        used: set[str] = set()
        for ind in self.plan.indicators:
            used.update(ind.fields)
        shared = shared_vocabulary()
        for j, f in enumerate(self.plan.fields):
            keys = ("fields", j)
            if f.id not in used:
                self.add(WARNING, "field-unused", None, keys, field=f.id)
            if f.id in shared and shared[f.id].type != f.type:
                self.add(WARNING, "field-shadows-shared", None, keys, field=f.id,
                         type=f.type, shared=shared[f.id].type)  # fmt: skip


def _inside(value: float, target: Target) -> bool:
    low, high, low_strict, high_strict = target.bounds
    ok_low = value > low if low_strict else value >= low
    ok_high = value < high if high_strict else value <= high
    return ok_low and ok_high


def _looser(new: Target, old: Target) -> bool:
    """Does `new` accept a value that `old` refuses?"""
    nl, nh, nls, nhs = new.bounds
    ol, oh, ols, ohs = old.bounds
    return nl < ol or nh > oh or (nl == ol and ols and not nls) or (nh == oh and ohs and not nhs)


def _factors(node: ast.AST) -> set[float]:
    """Constants the formula multiplies by, anywhere in it (`x / y * 100` -> {100})."""
    found: set[float] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Mult):
            for side in (sub.left, sub.right):
                if isinstance(side, ast.Constant) and not isinstance(side.value, bool):
                    found.add(side.value)
    return found


def _is_condition(formula, plan: Plan) -> bool:
    if formula.is_condition:
        return True
    if len(formula.fields) == 1 and formula.text == formula.fields[0]:
        f = plan.vocabulary.get(formula.fields[0])
        return bool(f and f.type == "boolean")
    return False


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def oddity_text(code: str, lang: str) -> str:
    """A recorded source oddity in words (`baseline-exceeds-target` -> 原文基期值高于目标值…);
    a code the catalogue does not know is shown as it is."""
    from indicators.model.i18n import has, t

    return t(f"oddity.{code}", lang) if has(f"oddity.{code}") else code
