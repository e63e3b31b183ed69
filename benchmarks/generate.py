"""Seeded census files for the benchmarks: 1k, 10k, 20k, 100k and 600k communities.

    .venv/bin/python benchmarks/generate.py --sizes 1k,10k,100k      # 600k is opt-in

Writes benchmarks/data/census-<size>.{xlsx,csv,parquet} (git-ignored) for the Hengshui plan
(`hengshui-2021-2025`, 26 checkable indicators, 35 columns). The frame comes from
`indicators.testing.synth.generate_frame` in blocks of 1,500 communities, one block per city of eight
districts, so names stay unique within each street the way they are in real returns: 600k
communities come out as 400 cities, 3,200 districts and 50,000 streets (China has about 2,800
county-level units and 40,000 township-level ones). Same seed, same files: a file already
written for the same seed and size is kept.

The xlsx looks like a bureau's return: a title row, Chinese headers with units, 城市/农村,
是/否, two notes rows at the foot, a few not computable communities (a zero denominator,
blank cells). The CSV (UTF-8 with BOM) and Parquet hold the same table without title or notes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.plan import load_plan
from indicators.testing.synth import (
    add_edge_cases,
    generate_frame,
    to_sheet_frame,
    write_csv,
    write_xlsx,
)

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PLAN = "hengshui-2021-2025"
SEED = 2021
BLOCK = 1_500
SIZES = {"1k": 1_000, "10k": 10_000, "20k": 20_000, "100k": 100_000, "600k": 600_000}
DEFAULT_SIZES = ("1k", "10k", "100k")
FORMATS = ("xlsx", "csv", "parquet")
TITLE = "衡水市城乡社区服务体系建设统计表（全国汇总样本）"
NOTES = ["填表人：王芳    审核人：李强", "填报日期：2023年12月20日"]
_SYLLABLES = list("东西南北中新华兴和平安康乐福寿永宁建民光明春秋文化胜利友谊幸福丰园湖山河桥泉林")


def parse_sizes(text: str) -> list[str]:
    sizes = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    return sizes


def census_frame(n: int, seed: int = SEED) -> pd.DataFrame:
    """n communities in blocks of BLOCK, each block a city with its own districts."""
    plan = load_plan(PLAN)
    rng = np.random.default_rng(seed)
    n_blocks = max(1, -(-n // BLOCK))
    cities: list[str] = []
    seen: set[str] = set()
    while len(cities) < n_blocks:
        name = "".join(rng.choice(_SYLLABLES, size=2)) + "市"
        if name not in seen:
            seen.add(name)
            cities.append(name)
    parts = []
    for i in range(n_blocks):
        size = min(BLOCK, n - i * BLOCK)
        part = generate_frame(plan, size, seed=seed + i)
        if n_blocks > 1:
            part["district"] = cities[i] + part["district"]
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    return add_edge_cases(frame, plan, seed=seed)


def path_for(size: str, fmt: str) -> Path:
    return DATA / f"census-{size}.{fmt}"


def _manifest(size: str) -> Path:
    return DATA / f"census-{size}.json"


def up_to_date(size: str, seed: int = SEED, formats: tuple[str, ...] = FORMATS) -> bool:
    m = _manifest(size)
    if not m.exists() or not all(path_for(size, f).exists() for f in formats):
        return False
    return json.loads(m.read_text()) == _stamp(size, seed)


def _stamp(size: str, seed: int) -> dict:
    """What a file was made from: a change of the generator's columns makes it stale (the
    10k-100k files of an older generator had 35 columns, a fresh 1k 33, and the frictionless
    schema, made from the generator, no longer matched them)."""
    columns = list(census_frame(12).columns)
    return {"seed": seed, "n": SIZES[size], "block": BLOCK, "columns": columns}


def generate(
    size: str,
    *,
    seed: int = SEED,
    force: bool = False,
    formats: tuple[str, ...] = FORMATS,
    log=print,
) -> None:
    """Write the files of `formats` for `size` (600k csv and parquet need not wait for the xlsx)."""
    if not force and up_to_date(size, seed, formats):
        log(f"{size}: up to date")
        return
    DATA.mkdir(parents=True, exist_ok=True)
    m = _manifest(size)
    stamp = _stamp(size, seed)
    if m.exists() and json.loads(m.read_text()) != stamp:
        for f in FORMATS:  # files of another seed or size must not pass as this one
            path_for(size, f).unlink(missing_ok=True)
    plan = load_plan(PLAN)
    t = time.perf_counter()
    frame = census_frame(SIZES[size], seed)
    log(f"{size}: frame {frame.shape} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    if "parquet" in formats:
        to_sheet_frame(frame, plan.vocabulary).to_parquet(path_for(size, "parquet"), index=False)
    if "csv" in formats:
        write_csv(frame, plan.vocabulary, path_for(size, "csv"))
    log(f"{size}: csv + parquet in {time.perf_counter() - t:.1f} s")
    if "xlsx" in formats:
        t = time.perf_counter()
        write_xlsx(frame, plan.vocabulary, path_for(size, "xlsx"), title=TITLE, notes=NOTES)
        log(f"{size}: xlsx in {time.perf_counter() - t:.1f} s")
    m.write_text(json.dumps(stamp))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(DEFAULT_SIZES), help="e.g. 1k,10k,100k,600k")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--formats", default=",".join(FORMATS), help="e.g. csv,parquet")
    ap.add_argument("--force", action="store_true", help="rewrite files that are up to date")
    args = ap.parse_args(argv)
    formats = tuple(f for f in args.formats.split(",") if f in FORMATS)
    for size in parse_sizes(args.sizes):
        generate(size, seed=args.seed, force=args.force, formats=formats)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
