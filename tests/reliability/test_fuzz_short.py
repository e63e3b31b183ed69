"""A short run of the fuzz harness (fuzz/) in the normal test suite, and the inputs that the
long runs found crashing, kept as regressions (docs/reliability.md has the figures).

The property: every input is read / loaded / parsed, or refused with the documented error
(DataError, PlanError, FormulaError); any other exception fails the test with its traceback
and the input saved under fuzz/crashes/.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

from indicators.model.errors import DataError, ExitCode

from .inputs import check

pytest.importorskip("hypothesis")

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
CRASHES = Path(__file__).parent / "fuzz_crashes"


@pytest.fixture(scope="module")
def fuzz_modules():
    sys.path.insert(0, str(FUZZ))
    try:
        import fuzz_plan
        import fuzz_readers
        import harness
    finally:
        sys.path.remove(str(FUZZ))
    return harness, fuzz_readers, fuzz_plan


@pytest.fixture(scope="module")
def layouts(fuzz_modules):
    """fuzz_layouts with its seeds read once: (module, Target)."""
    harness = fuzz_modules[0]
    sys.path.insert(0, str(FUZZ))
    try:
        import fuzz_layouts
    finally:
        sys.path.remove(str(FUZZ))
    return fuzz_layouts, fuzz_layouts.Target(harness.Tally("layouts/short"))


def _run(harness, module, name: str, seconds: float):
    tally = harness.Tally(name)
    target = module.Target(tally)
    harness.run_hypothesis(seconds, lambda batch: module.hypothesis_test(target, batch), batch=5)
    failures = [f for f in tally.failures.values() if not harness.known_open(f.signature)]
    for f in tally.failures.values():
        if harness.known_open(f.signature):
            warnings.warn(f"known open fuzz failure: {f.signature} ({f.example})", stacklevel=1)
    details = "\n".join(f"{f.signature} ({f.count}x, {f.example})\n{f.trace}" for f in failures)
    assert not failures, details
    return tally


# How many inputs a run gets through depends on the machine and its load: the throughput
# figures live in benchmarks/fuzz_throughput.py, not here.


def test_fuzz_readers_short(fuzz_modules) -> None:
    harness, fuzz_readers, _ = fuzz_modules
    tally = _run(harness, fuzz_readers, "readers/short", 12)
    assert tally.tried > 0


def test_fuzz_plan_and_formulas_short(fuzz_modules) -> None:
    harness, _, fuzz_plan = fuzz_modules
    tally = _run(harness, fuzz_plan, "plan/short", 8)
    assert tally.tried > 0


def test_fuzz_layouts_short(fuzz_modules, layouts) -> None:
    """Silently wrong results: real layouts changed without changing their meaning read the
    hand-worked values, or a finding says why not (fuzz/fuzz_layouts.py)."""
    harness = fuzz_modules[0]
    module, target = layouts
    target.tally = harness.Tally("layouts/short")
    assert len(target.layouts) >= 60  # the corpus reads right unchanged: the seeds
    harness.run_hypothesis(8, lambda batch: module.hypothesis_test(target, batch), batch=5)
    failures = [f for f in target.tally.failures.values() if not harness.known_open(f.signature)]
    assert not failures, "\n".join(f"{f.signature}: {f.message}" for f in failures)
    assert target.tally.tried > 0


SEEDS = ["01_city_report_merged_area_group", "04_three_row_header_numbered"]
FORMATS = [("xlsx",), ("csv", ",", 1, "gb18030", "\r\n"), ("csv", "\t", 0, "utf-8-sig", "\n")]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt", FORMATS, ids=["xlsx", "csv-quoted-gbk", "tsv-bom"])
def test_every_layout_change_keeps_the_values(layouts, seed: str, fmt: tuple) -> None:
    """Each change of the layout fuzzer once, on two merged multi-row layouts: the values
    read are the hand-worked ones (the `same` outcome), in .xlsx and CSV."""
    module, target = layouts
    index = next(i for i, layout in enumerate(target.layouts) if layout.name == seed)
    outcomes = {kind: target.one(index, [(kind, 1)], fmt) for kind in module.KINDS}
    assert outcomes == dict.fromkeys(module.KINDS, "same")


def test_the_layout_property_sees_a_silent_difference(layouts, monkeypatch, tmp_path) -> None:
    """The check can fail: a layout whose hand-worked value is wrong by 1 (what a reader
    that misreads one cell would give) is reported as silently different."""
    from dataclasses import replace

    import harness

    _, target = layouts
    monkeypatch.setattr(harness, "CRASHES", tmp_path)
    tally = harness.Tally("layouts/self-test")
    monkeypatch.setattr(target, "tally", tally)
    layout = target.layouts[0]
    values = dict(layout.values)
    values["households"] = [values["households"][0] + 1, *values["households"][1:]]
    monkeypatch.setattr(target, "layouts", [replace(layout, values=values)])
    assert target.one(0, [("blank-top", 0)], ("xlsx",)) == "silent"
    assert [f.signature.split(":")[0] for f in tally.failures.values()] == ["silent-values"]
    assert list(tmp_path.iterdir())  # the input is kept to reproduce it


def test_a_row_of_column_numbers_out_of_order_is_not_a_community(layouts) -> None:
    """Found by fuzz_layouts: 序号 街道 社区 户数 … over a row 1 2 3 4 … (yangquan's form);
    with 户数 moved to second place the numbers read 1 4 2 3 5 and the row became a
    community "3" in street "2" with 4 households, exit 0. Now read as the numbering row."""
    _, target = layouts
    index = next(
        i
        for i, la in enumerate(target.layouts)
        if la.name == "20_single_unit_line_numbered_columns"
    )
    assert target.one(index, [("move", 94)], ("xlsx",)) == "same"


@pytest.mark.parametrize("name", sorted(p.name for p in CRASHES.iterdir()))
def test_fuzz_crash_regressions(tmp_path: Path, name: str) -> None:
    """Damaged zips whose members made zipfile raise BadZipFile/ValueError, and a damaged
    .xls that made calamine panic (a BaseException): each now a DataError, exit 2."""
    from indicators.model.fields import shared_vocabulary
    from indicators.read import read_census

    path = tmp_path / name
    path.write_bytes((CRASHES / name).read_bytes())
    with pytest.raises(DataError, match="damaged") as info:
        read_census(path, vocabulary=shared_vocabulary())
    assert info.value.exit_code is ExitCode.DATA_INVALID
    result = check(path)  # the default language: Chinese
    assert result.exit_code == 2 and "已损坏" in result.output, result.output
    assert "damaged" not in result.output.replace(str(path), "")
    english = check(path, "--lang", "en")
    assert english.exit_code == 2 and "damaged" in english.output, english.output


@pytest.mark.parametrize("tagged", ["!!float x", "!!int x"])
def test_explicit_scalar_tag_that_does_not_convert_is_a_plan_error(tagged: str) -> None:
    """Found by fuzzing the plan loader: it raised ValueError (exit 70)."""
    from indicators.model.errors import PlanError
    from indicators.plan import load_plan_text

    with pytest.raises(PlanError, match=r"bad\.yaml:2: 'x' is tagged !!"):
        load_plan_text(f"id: bad\ntitle: {tagged}\n", "bad.yaml")
