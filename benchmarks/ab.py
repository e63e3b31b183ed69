"""Two versions of `indicators check` side by side: before and after a change, in turns.

    git archive <commit> src | tar -x -C /tmp/base          # the version to compare against
    .venv/bin/python benchmarks/ab.py --base /tmp/base/src --files 20k.xlsx,600k.csv

For each file, round after round: the read floor, `check` from BASE (PYTHONPATH=BASE) and
`check` from this checkout, each a fresh process (`python -m indicators check FILE -p PLAN`,
no report). Both versions see the same machine load, so on a shared machine the ratios
(new / base, check / floor: medians of the per-round ratios) say more than the seconds.
Census files come from benchmarks/generate.py (made when missing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import run  # noqa: E402

SRC = HERE.parent / "src"


def _env(src: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src)
    return env


def compare(file: Path, fmt: str, base: Path, repeat: int) -> dict:
    cmd = [sys.executable, "-m", "indicators", "check", str(file), "-p", run.PLAN]
    rounds = []
    for i in range(repeat):
        floor = run.floor_run(file, fmt, 1)
        old = run.measure(cmd, env=_env(base))
        new = run.measure(cmd, env=_env(SRC))
        rounds.append({"floor": floor, "base": old, "new": new})
        run.log(
            f"{file.name} round {i + 1}: floor {run._s(floor)}, base {run._s(old)}, "
            f"new {run._s(new)}"
        )
    ok = [r for r in rounds if all(r[k].get("wall") for k in ("floor", "base", "new"))]

    def med(side: str, key: str) -> float:
        return statistics.median(r[side][key] for r in ok)

    def ratio(a: str, b: str, key: str) -> float:
        return statistics.median(r[a][key] / r[b][key] for r in ok)

    return {
        "file": file.name,
        "rounds": len(ok),
        "rc": sorted({r[k]["rc"] for r in ok for k in ("base", "new")}),
        **{
            f"{side}_{key}": med(side, key)
            for side in ("floor", "base", "new")
            for key in ("wall", "cpu")
        },
        "new/base wall": ratio("new", "base", "wall"),
        "new/base cpu": ratio("new", "base", "cpu"),
        "base/floor wall": ratio("base", "floor", "wall"),
        "new/floor wall": ratio("new", "floor", "wall"),
        "base/floor cpu": ratio("base", "floor", "cpu"),
        "new/floor cpu": ratio("new", "floor", "cpu"),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| file | rounds | floor s (CPU) | base s (CPU) | new s (CPU) | new / base wall (CPU) "
        "| check / floor wall: base -> new | CPU: base -> new |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['file']} | {r['rounds']} | {r['floor_wall']:.2f} ({r['floor_cpu']:.2f}) "
            f"| {r['base_wall']:.2f} ({r['base_cpu']:.2f}) | {r['new_wall']:.2f} "
            f"({r['new_cpu']:.2f}) | {r['new/base wall']:.2f} ({r['new/base cpu']:.2f}) "
            f"| {r['base/floor wall']:.2f}x -> {r['new/floor wall']:.2f}x "
            f"| {r['base/floor cpu']:.2f}x -> {r['new/floor cpu']:.2f}x |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, type=Path, help="the src folder of the other version")
    ap.add_argument("--files", default="20k.xlsx", help="size.format, comma-separated")
    ap.add_argument("--repeat", type=int, default=3, help="rounds per file (default 3)")
    args = ap.parse_args(argv)
    run.compile_package()
    rows = []
    for spec in args.files.split(","):
        size, fmt = spec.strip().split(".")
        generate.generate(size, formats=(fmt,), log=run.log)
        rows.append(compare(generate.path_for(size, fmt), fmt, args.base, args.repeat))
    print(table(rows))


if __name__ == "__main__":
    main()
