"""How many inputs each fuzzer gets through in its short run (the figures the test suite used to
assert as timed floors, which failed on a loaded machine).

    .venv/bin/python benchmarks/fuzz_throughput.py            # readers 12 s, plans 8 s, layouts 8 s
    .venv/bin/python benchmarks/fuzz_throughput.py --check    # exit 1 below a floor

The floors are what a short run in the test suite needs to be worth running on an idle
2-core machine: readers 50 inputs in 12 s, plans and formulas 100 in 8 s, layouts 20 in 8 s.
Each run also says whether it exercised both outcomes (inputs read and inputs refused with a
message) and, for the layout fuzzer, how many inputs read the same values.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
sys.path.insert(0, str(FUZZ))

import harness  # noqa: E402  (fuzz/harness.py)

# name: (module, seconds, floor of inputs tried)
RUNS = {
    "readers": ("fuzz_readers", 12.0, 50),
    "plans": ("fuzz_plan", 8.0, 100),
    "layouts": ("fuzz_layouts", 8.0, 20),
}


def run(name: str, scale: float) -> dict:
    module_name, seconds, floor = RUNS[name]
    module = __import__(module_name)
    tally = harness.Tally(f"{name}/benchmark")
    target = module.Target(tally)  # seeds and plans are made before the clock starts
    started = time.monotonic()
    harness.run_hypothesis(seconds * scale, lambda b: module.hypothesis_test(target, b), batch=5)
    took = time.monotonic() - started
    return {
        "fuzzer": name,
        "seconds": round(took, 1),
        "tried": tally.tried,
        "per_second": round(tally.tried / took, 1),
        "floor": f">= {floor} in {seconds:g} s",
        "meets_floor": tally.tried >= floor * scale,
        "read": tally.accepted,
        "refused": tally.refused,
        "failures": len(tally.failures),
        "same_values": getattr(target, "same", None),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(RUNS), action="append")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every run's time")
    ap.add_argument("--check", action="store_true", help="exit 1 when a run is below its floor")
    args = ap.parse_args(argv)
    rows = [run(name, args.scale) for name in args.only or RUNS]
    print("| fuzzer | seconds | inputs | per second | floor | read | refused | failures |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        mark = "" if r["meets_floor"] else " (below)"
        print(
            f"| {r['fuzzer']} | {r['seconds']} | {r['tried']} | {r['per_second']} | "
            f"{r['floor']}{mark} | {r['read']} | {r['refused']} | {r['failures']} |"
        )
    bad = [r for r in rows if not r["meets_floor"] or r["failures"]]
    return 1 if args.check and bad else 0


if __name__ == "__main__":
    sys.exit(main())
