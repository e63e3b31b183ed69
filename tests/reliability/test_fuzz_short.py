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


def test_fuzz_readers_short(fuzz_modules) -> None:
    harness, fuzz_readers, _ = fuzz_modules
    tally = _run(harness, fuzz_readers, "readers/short", 12)
    assert tally.tried >= 50
    assert tally.refused and tally.accepted  # both paths were exercised


def test_fuzz_plan_and_formulas_short(fuzz_modules) -> None:
    harness, _, fuzz_plan = fuzz_modules
    tally = _run(harness, fuzz_plan, "plan/short", 8)
    assert tally.tried >= 100
    assert tally.by_target.get("formula") and tally.by_target.get("mutated")


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
    result = check(path)
    assert result.exit_code == 2 and "damaged" in result.output, result.output


@pytest.mark.parametrize("tagged", ["!!float x", "!!int x"])
def test_explicit_scalar_tag_that_does_not_convert_is_a_plan_error(tagged: str) -> None:
    """Found by fuzzing the plan loader: it raised ValueError (exit 70)."""
    from indicators.model.errors import PlanError
    from indicators.plan import load_plan_text

    with pytest.raises(PlanError, match=r"bad\.yaml:2: 'x' is tagged !!"):
        load_plan_text(f"id: bad\ntitle: {tagged}\n", "bad.yaml")
