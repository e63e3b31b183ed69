"""Fuzz the plan loader and the formula language: every plan text loads or is refused with a
PlanError; every formula parses or is refused with a FormulaError, and a formula that parses
evaluates over any column values without raising.

    python fuzz/fuzz_plan.py --minutes 5
    python fuzz/fuzz_plan.py --minutes 5 --engine atheris   # if `pip install atheris` works

Inputs (hypothesis):
- mutated: the shipped plans in targets/ with lines dropped, duplicated, re-indented, and
  YAML fragments spliced in (anchors and aliases, !!python tags, merge keys, tabs, flow
  collections, huge numbers, odd unicode);
- generated: plan documents built from the plan and indicator keys with random values;
- formulas: expressions from a grammar over the census fields (with constructs the language
  refuses: attributes, calls, lambdas, comprehensions, **, subscripts) and raw text.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Tally, hypothesis_settings, parse_args, run_atheris, run_hypothesis

from indicators.model.errors import IndicatorsError

YAML_TOKENS = [
    "&a [1, 2]", "*a", "<<: *a", "!!python/object/apply:os.system ['echo x']",
    "!!python/name:os.system", "!!binary aGk=", "!custom x", "? complex key", "{a: 1, b: [2]}",
    "[1, [2, [3]]]", "1e999", "-.inf", ".nan", "0x7fffffffffffffffffff", "~", "null", "yes",
    "'", '"', "\t", "---", "...", "%YAML 1.1", "|\n  block", ">-", "- - -", "key: value: x",
    "id: x", "formula: facility_area / households * 100", "formula: __import__('os')",
    "formula: (lambda: 1)()", "formula: 9 ** 9 ** 9", "formula: households.__class__",
    "target: {op: '>=', value: 30}", "target: {op: '~', value: x}", "aggregate: ratio",
    "level: city", "extends: hengshui-2021-2025", "extends: nope", "period: [2025, 2021]",
    "milestones: {2023: 10}", "scope: rural", "where: households > 0", "\u202e", "\ufeff",
    "\x00", "社区", "!!str", "!!int 1", "!!float x", "&b", "*b", "!!merge",
]  # fmt: skip
FIELDS = [
    "households", "population", "facility_area", "community_workers", "has_service_facility",
    "unknown_field", "__class__", "x",
]  # fmt: skip
NUMBERS = ["0", "1", "100", "0.5", "1e15", "1e16", "9" * 40, "1_000", "0x10", "1j", "1e-400"]
BINOPS = ["+", "-", "*", "/", "**", "//", "%", "@", "&", "|", "^", "<<", ">>"]
CMPOPS = [">", ">=", "<", "<=", "==", "!=", "is", "in", "not in"]
FUNCS = ["min", "max", "abs", "round", "len", "eval", "__import__", "open", "getattr"]
PLANS = sorted((ROOT / "targets").glob("**/*.yaml"))


def strategies():
    from hypothesis import strategies as st

    texts = [p.read_text(encoding="utf-8") for p in PLANS]

    def mutate_lines(args) -> str:
        text, ops = args
        lines = text.splitlines()
        for op, where, token in ops:
            if not lines:
                lines = [token]
                continue
            i = where % len(lines)
            if op == "drop":
                del lines[i]
            elif op == "dup":
                lines.insert(i, lines[i])
            elif op == "indent":
                lines[i] = " " * (where % 5) + lines[i]
            elif op == "dedent":
                lines[i] = lines[i].lstrip()
            elif op == "splice":
                cut = where % (len(lines[i]) + 1)
                lines[i] = lines[i][:cut] + token + lines[i][cut:]
            elif op == "append":
                indent = len(lines[i]) - len(lines[i].lstrip())
                lines.insert(i + 1, " " * indent + token)
            elif op == "value":
                head, sep, _ = lines[i].partition(": ")
                lines[i] = head + sep + token if sep else lines[i] + token
        return "\n".join(lines) + "\n"

    op = st.tuples(
        st.sampled_from(["drop", "dup", "indent", "dedent", "splice", "append", "value"]),
        st.integers(0, 2**20),
        st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=8)),
    )
    mutated = st.tuples(st.sampled_from(texts), st.lists(op, min_size=1, max_size=6)).map(
        mutate_lines
    )

    formula = formulas()
    scalar = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), formula
    )
    target = st.fixed_dictionaries(
        {}, optional={"op": st.sampled_from([">=", "<=", ">", "<", "==", "~"]), "value": scalar}
    )
    indicator = st.fixed_dictionaries(
        {"id": st.sampled_from(["a", "b", "area", "Bad-Id", ""]), "name": scalar},
        optional={
            "formula": formula,
            "level": st.sampled_from(["city", "district", "street", "community", "x"]),
            "aggregate": st.sampled_from(["ratio", "share", "count", "sum", "mean", "x"]),
            "target": target,
            "milestones": st.dictionaries(st.integers(2000, 2040), scalar, max_size=3),
            "where": formula,
            "scope": st.sampled_from(["urban", "rural", "all", "x"]),
            "binding": scalar,
            "checkable": scalar,
            "unit": scalar,
            "cite": st.fixed_dictionaries({"section": scalar, "quote": scalar}),
            "checklist": st.lists(formula, max_size=3),
            "baseline": scalar,
        },
    )
    plan = st.fixed_dictionaries(
        {
            "id": st.sampled_from(["fuzz-plan", "Bad Id", ""]),
            "title": scalar,
            "indicators": st.lists(indicator, max_size=4),
        },
        optional={
            "period": st.lists(st.integers(1990, 2050), max_size=3),
            "fields": st.lists(
                st.fixed_dictionaries(
                    {"id": st.sampled_from(["extra", "households", "Bad"])},
                    optional={
                        "type": st.sampled_from(["integer", "number", "boolean", "category", "x"]),
                        "aliases": st.lists(st.text(max_size=5), max_size=3),
                        "unit": scalar,
                    },
                ),
                max_size=2,
            ),
            "not_applicable": st.lists(scalar, max_size=2),
            "overrides": st.dictionaries(st.text(max_size=5), scalar, max_size=2),
        },
    )
    generated = plan.map(_dump)
    return mutated, generated, formula


def _dump(doc) -> str:
    import yaml

    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def formulas():
    from hypothesis import strategies as st

    atom = st.one_of(st.sampled_from(FIELDS), st.sampled_from(NUMBERS))

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(BINOPS), inner).map(" ".join),
            st.tuples(inner, st.sampled_from(CMPOPS), inner).map(" ".join),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
            st.tuples(st.sampled_from(["-", "+", "not ", "~"]), inner).map("".join),
            inner.map(lambda x: f"({x})"),
            st.tuples(st.sampled_from(FUNCS), st.lists(inner, max_size=3)).map(
                lambda f: f"{f[0]}({', '.join(f[1])})"
            ),
            inner.map(lambda x: f"{x}.real"),
            inner.map(lambda x: f"{x}[0]"),
            inner.map(lambda x: f"(lambda: {x})()"),
            inner.map(lambda x: f"[{x} for _ in (1,)]"),
            inner.map(lambda x: f"{x} if {x} else 0"),
            inner.map(lambda x: f"(y := {x})"),
        )

    grammar = st.recursive(atom, extend, max_leaves=12)
    return st.one_of(grammar, st.text(max_size=40), st.sampled_from(["(" * 300 + "1" + ")" * 300]))


class Target:
    def __init__(self, tally: Tally) -> None:
        import numpy as np

        self.tally = tally
        rng = np.random.default_rng(0)
        special = np.array([0.0, -0.0, 1.0, -1.0, np.nan, np.inf, -np.inf, 1e308, 5e-324])
        self.env = {name: np.concatenate([special, rng.normal(0, 1e6, 7)]) for name in FIELDS}

    def plan_text(self, kind: str, text: str) -> None:
        from indicators.plan import load_plan_text

        self.tally.guard(
            kind,
            lambda: load_plan_text(text, "fuzz.yaml"),
            (IndicatorsError,),
            text.encode("utf-8", "surrogatepass"),
            ".yaml",
        )

    def formula(self, text: str) -> None:
        from indicators.formula.parse import FormulaError, parse

        def run():
            f = parse(text, known_fields=set(FIELDS))
            n = len(next(iter(self.env.values())))
            out = f.evaluate(self.env, length=n)
            assert out.values.shape == (n,), out.values.shape
            return f

        self.tally.guard(
            "formula", run, (FormulaError,), text.encode("utf-8", "surrogatepass"), ".txt"
        )

    def atheris_input(self, data: bytes) -> None:
        if not data:
            return
        text = data[1:].decode("utf-8", "replace")
        if data[0] % 2:
            self.formula(text)
        else:
            self.plan_text("atheris-plan", text)


def hypothesis_test(target: Target, batch: int, *, shrink: bool = False):
    from hypothesis import given
    from hypothesis import strategies as st

    case = getattr(target, "case", None)
    if case is None:  # built once: reading the plans and building the grammar is not free
        mutated, generated, formula = strategies()
        case = target.case = st.one_of(
            st.tuples(st.just("mutated"), mutated),
            st.tuples(st.just("generated"), generated),
            st.tuples(st.just("formula"), formula),
        )

    @hypothesis_settings(batch, shrink=shrink)
    @given(case)
    def test(case) -> None:
        kind, text = case
        if kind == "formula":
            target.formula(text)
        else:
            target.plan_text(kind, text)

    return test


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__.splitlines()[0], argv)
    tally = Tally(f"plan/{args.engine}")
    seconds = args.minutes * 60
    if args.engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=["indicators"]):
            import indicators.formula.parse
            import indicators.plan  # noqa: F401
        run_atheris(seconds, tally, Target(tally).atheris_input, args.stats)
        return 0
    target = Target(tally)
    run_hypothesis(seconds, lambda batch: hypothesis_test(target, batch))
    tally.report(args.stats)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
