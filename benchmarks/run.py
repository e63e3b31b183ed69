"""Benchmark `indicators check` against the read floor and `frictionless validate`.

    .venv/bin/python benchmarks/run.py                      # 1k, 10k, 100k (about 5 minutes)
    .venv/bin/python benchmarks/run.py --sizes 1k,10k,100k,600k --update-readme

Census files are generated first when missing (benchmarks/generate.py, seeded). For each size
and format (xlsx, csv, parquet) every measurement is a fresh process, timed as a whole (wall
clock from the parent; peak RSS from `/usr/bin/time -v`, or from getrusage(RUSAGE_CHILDREN) in
a one-shot wrapper process where GNU time is missing):

- check:        indicators check FILE --plan hengshui-2021-2025
- check+report: the same with --out report.xlsx (the gap workbook)
- read floor:   python -c "import pandas; pandas.read_excel(FILE, engine='calamine')"
                (read_csv, read_parquet for the other formats); a whole process too, so both
                sides of the ratio pay interpreter start-up and the pandas import
- frictionless: frictionless validate FILE --schema <equivalent schema> (types, minimum 0,
                the 城市/农村 enum, 是/否 booleans, community required)
- start-up:     indicators --help and indicators plans (median of 5)
- fixed cost:   check (no report) and the read floor on the 20k xlsx, run in turns (floor,
                check, floor, check...) so both sides see the same machine load; the ratio
                of each pair, median over the pairs (issue 17: within 1.3x). `--fixed-only`
                runs just this.

The package is byte-compiled first (compileall): an installed package ships its .pyc files,
while a checkout run with PYTHONDONTWRITEBYTECODE=1 would recompile every module in every
process and charge that to `check`.

Prints a markdown table and the goals of issue 8 (met or missed, by how much), and writes
benchmarks/results/latest.md and latest.json. --update-readme puts the table in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

RESULTS = HERE / "results"
README = HERE / "README.md"
PLAN = generate.PLAN
COLUMNS = len(generate.census_frame(12).columns)  # of every generated census file
FORMATS = generate.FORMATS
GNU_TIME = "/usr/bin/time"
BIN = Path(sys.executable).parent
TIMEOUT = 3600
PACKAGES = (
    "indicators",
    "pandas",
    "numpy",
    "python-calamine",
    "pyarrow",
    "xlsxwriter",
    "openpyxl",
    "typer",
    "rich",
    "frictionless",
)

WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
out = {"rc": rc, "wall": wall, "rss_kb": u.ru_maxrss, "cpu": u.ru_utime + u.ru_stime}
open(sys.argv[1], "w").write(json.dumps(out))
"""

FLOOR = """
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
t1 = time.perf_counter()
path, fmt = sys.argv[1], sys.argv[2]
if fmt == "xlsx":
    df = pd.read_excel(path, engine="calamine", header=1)
elif fmt == "csv":
    df = pd.read_csv(path)
else:
    df = pd.read_parquet(path)
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "read": t2 - t1, "rows": len(df), "cols": df.shape[1]}))
"""


# -- measuring one process -------------------------------------------------------------------


def measure(
    cmd: list[str], *, timeout: float = TIMEOUT, capture: bool = False, env: dict | None = None
) -> dict:
    """Run cmd once in a fresh process: wall seconds, peak RSS (MiB), exit code, output.
    `env`: the environment (benchmarks/ab.py runs another checkout with its PYTHONPATH)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage"
        if os.access(GNU_TIME, os.X_OK):
            full = [GNU_TIME, "-v", "-o", str(report), *cmd]
        else:
            full = [sys.executable, "-c", WRAPPER, str(report), *cmd]
        t = time.perf_counter()
        try:
            proc = subprocess.run(
                full,
                stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=timeout,
                text=True,
                env=env,
            )
        except subprocess.TimeoutExpired:
            return {"wall": None, "rss_mb": None, "rc": None, "error": f"timed out ({timeout} s)"}
        wall = time.perf_counter() - t
        text = report.read_text() if report.exists() else ""
    out = {"wall": wall, "rc": proc.returncode, "rss_mb": None}
    if text.startswith("{"):
        data = json.loads(text)
        out.update(rc=data["rc"], wall=data["wall"], rss_mb=data["rss_kb"] / 1024, cpu=data["cpu"])
    else:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        out["rss_mb"] = int(m.group(1)) / 1024 if m else None
        cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)
        out["cpu"] = sum(map(float, cpu)) if cpu else None
    if capture:
        out["stdout"] = proc.stdout
    if proc.returncode not in (0, None):
        out["stderr"] = proc.stderr[-2000:]
    return out


def best(cmd: list[str], repeat: int, **kw) -> dict:
    """Median wall of `repeat` runs (peak RSS: the largest)."""
    runs = [measure(cmd, **kw) for _ in range(repeat)]
    ok = [r for r in runs if r["wall"] is not None]
    if not ok:
        return runs[0]
    out = dict(sorted(ok, key=lambda r: r["wall"])[len(ok) // 2])
    out["runs"] = [round(r["wall"], 3) for r in ok]
    rss = [r["rss_mb"] for r in ok if r["rss_mb"] is not None]
    out["rss_mb"] = max(rss) if rss else None
    return out


# -- the commands ----------------------------------------------------------------------------


def indicators_cmd() -> list[str]:
    exe = BIN / "indicators"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("indicators")
    return [found] if found else [sys.executable, "-m", "indicators"]


def frictionless_cmd() -> list[str] | None:
    exe = BIN / "frictionless"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("frictionless")
    return [found] if found else None


def frictionless_schema(path: Path) -> None:
    """A Table Schema equivalent to what `indicators check` validates, for the same sheet."""
    from indicators.plan import load_plan
    from indicators.testing.synth import header_for

    vocab = load_plan(PLAN).vocabulary
    frame = generate.census_frame(12)
    fields = []
    for col in frame.columns:
        f = vocab.get(col)
        name = header_for(f) if f else col
        spec: dict = {"name": name}
        if col == "community_type":
            spec.update(type="string", constraints={"enum": ["城市", "农村"]})
        elif col == "community":
            spec.update(type="string", constraints={"required": True})
        elif f is None or f.type in ("text", "category"):
            spec.update(type="string")
        elif f.type == "boolean":
            spec.update(type="boolean", trueValues=["是"], falseValues=["否"])
        else:
            spec.update(
                type="integer" if f.type == "integer" else "number",
                constraints={"minimum": 0},
            )
        fields.append(spec)
    path.write_text(json.dumps({"fields": fields}, ensure_ascii=False, indent=1))


def frictionless_run(file: Path, fmt: str, schema: Path, repeat: int) -> dict:
    exe = frictionless_cmd()
    if exe is None:
        return {"wall": None, "error": "frictionless is not installed (pip install frictionless)"}
    # --trusted: the schema lives in a temporary folder, outside frictionless's "safe" paths
    cmd = [*exe, "validate", str(file), "--schema", str(schema), "--json", "--trusted"]
    if fmt == "xlsx":
        cmd += ["--header-rows", "2"]  # row 1 is the title
    out = best(cmd, repeat, capture=True)
    text = out.pop("stdout", "") or ""
    try:
        report = json.loads(text)
        task = report["tasks"][0]
        out["valid"] = report.get("valid")
        out["errors"] = task["stats"].get("errors")
        fatal = ("resource-error", "scheme-error", "format-error", "source-error", "schema-error")
        if task.get("errors") and task["errors"][0].get("type") in fatal:
            out["error"] = task["errors"][0].get("note") or task["errors"][0].get("message")
    except (ValueError, KeyError, IndexError, TypeError):
        out["error"] = (out.get("stderr") or text or "no output")[-300:].strip()
    return out


def floor_run(file: Path, fmt: str, repeat: int) -> dict:
    out = best([sys.executable, "-c", FLOOR, str(file), fmt], repeat, capture=True)
    try:
        out.update(json.loads(out.pop("stdout").strip().splitlines()[-1]))
    except (ValueError, KeyError, IndexError, AttributeError):
        out["error"] = out.get("stderr", "no output")[-300:]
    return out


# -- the fixed cost --------------------------------------------------------------------------

FIXED_SIZE = "20k"
FIXED_GOAL = 1.3


def fixed_cost(size: str, repeat: int) -> dict:
    """check (no report) against the read floor on the same xlsx, measured side by side."""
    generate.generate(size, formats=("xlsx",), log=log)
    file = generate.path_for(size, "xlsx")
    ind = indicators_cmd()
    pairs = []
    for i in range(repeat):
        floor = floor_run(file, "xlsx", 1)
        check = measure([*ind, "check", str(file), "-p", PLAN])
        pairs.append({"floor": floor, "check": check})
        log(f"fixed cost {size} pair {i + 1}: floor {_s(floor)} s, check {_s(check)} s")
    ok = [p for p in pairs if p["floor"].get("wall") and p["check"].get("wall")]
    if not ok:
        return {"size": size, "n": generate.SIZES[size], "error": "no run completed"}

    def med(side: str, key: str) -> float | None:
        values = [p[side][key] for p in ok if p[side].get(key) is not None]
        return statistics.median(values) if values else None

    cpu = [p for p in ok if p["floor"].get("cpu") and p["check"].get("cpu")]
    return {
        "size": size,
        "n": generate.SIZES[size],
        "pairs": len(ok),
        "floor_wall": med("floor", "wall"),
        "floor_read": med("floor", "read"),
        "floor_cpu": med("floor", "cpu"),
        "check_wall": med("check", "wall"),
        "check_cpu": med("check", "cpu"),
        "check_rc": sorted({p["check"]["rc"] for p in ok}),
        "ratio_wall": statistics.median(p["check"]["wall"] / p["floor"]["wall"] for p in ok),
        "ratio_cpu": (
            statistics.median(p["check"]["cpu"] / p["floor"]["cpu"] for p in cpu) if cpu else None
        ),
    }


def fixed_table(fixed: dict | None) -> str:
    if not fixed:
        return "Fixed cost: not run."
    if fixed.get("error"):
        return f"Fixed cost ({fixed['size']} xlsx): {fixed['error']}."

    def f(v: float | None) -> str:
        return "—" if v is None else f"{v:.2f}"

    return "\n".join(
        [
            f"Fixed cost, {fixed['n']:,} communities (xlsx), {fixed['pairs']} pairs run in turns "
            "(median of the per-pair ratios):",
            "",
            "| | read floor | check (no report) | check / floor |",
            "|---|---|---|---|",
            f"| wall s | {f(fixed['floor_wall'])} (read call {f(fixed['floor_read'])}) "
            f"| {f(fixed['check_wall'])} | {_x(fixed['ratio_wall'])} |",
            f"| CPU s | {f(fixed['floor_cpu'])} | {f(fixed['check_cpu'])} "
            f"| {_x(fixed['ratio_cpu'])} |",
        ]
    )


def fixed_goal(fixed: dict | None) -> tuple[str, str, str]:
    label = f"{FIXED_SIZE} xlsx check without report <= {FIXED_GOAL}x read floor (issue 17)"
    if not fixed or fixed.get("error"):
        return (label, "not run", "not measured")
    x = fixed["ratio_wall"]
    verdict = "met" if x <= FIXED_GOAL else f"missed by {x - FIXED_GOAL:.2f}x"
    return (label, f"{_x(x)} wall, {_x(fixed['ratio_cpu'])} CPU", verdict)


# -- the run ---------------------------------------------------------------------------------


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def compile_package() -> None:
    """Byte-compile indicators as an installed package would be (see the docstring)."""
    import indicators

    compileall.compile_dir(Path(indicators.__file__).parent, quiet=1)


def run(sizes: list[str], formats: list[str], args) -> dict:
    ind = indicators_cmd()
    results: dict = {"rows": [], "startup": {}}
    results["fixed"] = fixed_cost(FIXED_SIZE, args.fixed_repeat)
    for name, extra in (("help", ["--help"]), ("plans", ["plans"])):
        results["startup"][name] = best([*ind, *extra], 5)
        log(f"startup {name}: {results['startup'][name]['wall']:.2f} s")
    with tempfile.TemporaryDirectory(prefix="indicators-bench-") as tmp:
        schema = Path(tmp) / "schema.json"
        frictionless_schema(schema)
        for size in sizes:
            generate.generate(size, formats=tuple(formats), log=log)
            n = generate.SIZES[size]
            repeat = args.repeat or (3 if n <= 10_000 else 1)
            for fmt in formats:
                file = generate.path_for(size, fmt)
                row = {"size": size, "n": n, "format": fmt, "mb": file.stat().st_size / 2**20}
                row["floor"] = floor_run(file, fmt, repeat)
                log(f"{size} {fmt}: floor {_s(row['floor'])}")
                row["check"] = best(
                    [*ind, "check", str(file), "-p", PLAN], repeat, timeout=args.timeout
                )
                log(f"{size} {fmt}: check {_s(row['check'])}")
                report = Path(tmp) / "report.xlsx"
                if n <= generate.SIZES[args.report_max]:
                    row["report"] = best(
                        [*ind, "check", str(file), "-p", PLAN, "--out", str(report)],
                        repeat,
                        timeout=args.timeout,
                    )
                    log(f"{size} {fmt}: check+report {_s(row['report'])}")
                if n <= generate.SIZES[args.frictionless_max] and not args.no_frictionless:
                    row["frictionless"] = frictionless_run(file, fmt, schema, repeat)
                    log(f"{size} {fmt}: frictionless {_s(row['frictionless'])}")
                results["rows"].append(row)
    return results


# -- the table and the goals -----------------------------------------------------------------


def _s(m: dict | None) -> str:
    if not m:
        return "—"
    if m.get("wall") is None:
        return "failed"
    text = f"{m['wall']:.2f}"
    if m.get("rc") not in (0, None):
        text += f" (exit {m['rc']})"
    return text


def _mb(m: dict | None) -> str:
    return f"{m['rss_mb']:.0f}" if m and m.get("rss_mb") else "—"


def _ratio(a: dict | None, b: dict | None) -> float | None:
    if not a or not b or a.get("wall") is None or b.get("wall") is None or not b["wall"]:
        return None
    return a["wall"] / b["wall"]


def _x(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}x"


def table(results: dict) -> str:
    head = (
        "| size | format | file MB | read floor s (read only) | check s | check / floor "
        "| CPU s: check / floor | check RSS MB | check + report s | report / floor | RSS MB "
        "| frictionless s | frictionless / check |"
    )
    lines = [head, "|" + "---|" * 13]
    for r in results["rows"]:
        fl = r["floor"]
        inner = f" ({fl['read']:.2f})" if fl.get("read") is not None else ""
        fr = r.get("frictionless")
        fr_text = "not run" if fr is None else _s(fr)
        if fr and fr.get("error"):
            fr_text = f"failed: {str(fr['error'])[:60]}"
        elif fr and fr.get("errors"):
            fr_text += f" ({fr['errors']} errors)"
        ck = r["check"]
        cpu = (
            f"{ck['cpu']:.2f} / {fl['cpu']:.2f}"
            if ck.get("cpu") is not None and fl.get("cpu") is not None
            else "—"
        )
        rep = r.get("report")
        lines.append(
            f"| {r['size']} | {r['format']} | {r['mb']:.1f} | {_s(fl)}{inner} | {_s(ck)} "
            f"| {_x(_ratio(ck, fl))} | {cpu} | {_mb(ck)} "
            f"| {'not run' if rep is None else _s(rep)} | {_x(_ratio(rep, fl))} | {_mb(rep)} "
            f"| {fr_text} | {_x(_ratio(fr, ck) if fr and not fr.get('error') else None)} |"
        )
    s = results["startup"]
    lines.append("")
    lines.append(
        f"Start-up (median of 5): `indicators --help` {_s(s.get('help'))} s, "
        f"`indicators plans` {_s(s.get('plans'))} s."
    )
    lines += ["", fixed_table(results.get("fixed"))]
    return "\n".join(lines)


def goals(results: dict) -> list[tuple[str, str, str]]:
    """(goal, measured, verdict) for each goal of issue 8."""
    rows = {(r["size"], r["format"]): r for r in results["rows"]}
    out = []

    def ratio_goal(label, key, limit):
        r = rows.get(("100k", "xlsx"))
        if not r:
            out.append((label, "100k not run", "not measured"))
            return
        if r.get(key) is None:
            out.append((label, "not run (--report-max below 100k)", "not measured"))
            return
        x = _ratio(r.get(key), r["floor"])
        verdict = "—" if x is None else ("met" if x <= limit else f"missed by {x - limit:.2f}x")
        out.append((label, f"{_x(x)} ({_s(r.get(key))} s vs {_s(r['floor'])} s)", verdict))

    ratio_goal("100k xlsx check without report <= 1.3x read floor", "check", 1.3)
    ratio_goal("100k xlsx check with gap workbook <= 3x read floor", "report", 3.0)
    r = rows.get(("600k", "xlsx"))
    m = r.get("report") if r else None
    if r and m is None:
        out.append(
            (
                "600k xlsx with gap workbook completes, peak RSS <= 3 GiB",
                "not run (--report-max below 600k)",
                "not measured",
            )
        )
    elif r:
        ok = m.get("rc") == 0 and m.get("rss_mb") is not None and m["rss_mb"] <= 3 * 1024
        verdict = (
            "met"
            if ok
            else (f"missed: peak {m['rss_mb'] / 1024:.2f} GiB" if m.get("rss_mb") else "failed")
        )
        out.append(
            (
                "600k xlsx with gap workbook completes, peak RSS <= 3 GiB",
                f"{_s(m)} s, {_mb(m)} MB",
                verdict,
            )
        )
    else:
        out.append(("600k xlsx with gap workbook, RSS <= 3 GiB", "600k not run", "not measured"))
    for fmt in ("csv", "parquet"):
        r = rows.get(("600k", fmt))
        if r:
            w = r["check"].get("wall")
            verdict = "—" if w is None else ("met" if w < 5 else f"missed by {w - 5:.1f} s")
            out.append((f"600k {fmt} check without report < 5 s", f"{_s(r['check'])} s", verdict))
        else:
            out.append((f"600k {fmt} check < 5 s", "600k not run", "not measured"))
    out.append(fixed_goal(results.get("fixed")))
    for name in ("help", "plans"):
        m = results["startup"].get(name, {})
        w = m.get("wall")
        verdict = "—" if w is None else ("met" if w < 0.5 else f"missed by {w - 0.5:.2f} s")
        out.append(
            (f"`indicators {'--help' if name == 'help' else name}` < 0.5 s", f"{_s(m)} s", verdict)
        )
    for fmt in FORMATS:
        r = rows.get(("10k", fmt))
        if not r or not r.get("frictionless"):
            out.append((f"10k {fmt}: >= 5x faster than frictionless", "not run", "not measured"))
            continue
        fr = r["frictionless"]
        if fr.get("error"):
            out.append(
                (
                    f"10k {fmt}: >= 5x faster than frictionless",
                    f"frictionless failed: {str(fr['error'])[:80]}",
                    "not comparable",
                )
            )
            continue
        x = _ratio(fr, r["check"])
        verdict = "—" if x is None else ("met" if x >= 5 else f"missed by {5 - x:.2f}x")
        out.append(
            (
                f"10k {fmt}: >= 5x faster than frictionless",
                f"{_x(x)} ({_s(fr)} s vs {_s(r['check'])} s)",
                verdict,
            )
        )
    return out


def machine() -> dict:
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in sh(["lscpu"]).splitlines()
            if line.startswith("Model name")
        ),
        platform.processor() or "?",
    )
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = "not installed"
    return {
        "nproc": sh(["nproc"]),
        "cpu": cpu,
        "free": sh(["free", "-h"]),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "gnu_time": os.access(GNU_TIME, os.X_OK),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def markdown(results: dict, info: dict, command: str) -> str:
    pk = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    g = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in goals(results))
    return f"""Measured {info["date"]} with `{command}`.

Machine: {info["nproc"]} cores ({info["cpu"]}), {info["os"]}, Python {info["python"]}.
Packages: {pk}. Peak RSS from {"GNU time -v" if info["gnu_time"] else "getrusage"}.

```
{info["free"]}
```

Workload: plan `{PLAN}` (26 checkable indicators), {COLUMNS} columns. Every figure is one whole
process (runs per measurement: `--repeat`, median shown; default 3 up to 10k, 1 above). The read floor is a process that
imports pandas and reads the file (in brackets: the read call alone). Ratios divide wall times.

{table(results)}

| goal (issue 8) | measured | verdict |
|---|---|---|
{g}
"""


def update_readme(text: str, marker: str = "bench") -> None:
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    readme = README.read_text() if README.exists() else f"{start}\n{end}\n"
    if start not in readme:
        readme += f"\n{start}\n{end}\n"
    before, rest = readme.split(start, 1)
    _, after = rest.split(end, 1)
    README.write_text(f"{before}{start}\n{text}\n{end}{after}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default=",".join(generate.DEFAULT_SIZES),
        help="comma-separated: 1k,10k,100k,600k (default 1k,10k,100k)",
    )
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument(
        "--repeat", type=int, default=0, help="runs per measurement (default 3 up to 10k, 1 above)"
    )
    ap.add_argument(
        "--frictionless-max",
        default="100k",
        choices=list(generate.SIZES),
        help="largest size frictionless is run on (default 100k)",
    )
    ap.add_argument("--no-frictionless", action="store_true")
    ap.add_argument(
        "--report-max",
        default="600k",
        choices=list(generate.SIZES),
        help="largest size the gap workbook is written for (default: all)",
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT,
        help="seconds before one measurement is given up (default 3600)",
    )
    ap.add_argument(
        "--fixed-repeat", type=int, default=5, help="pairs for the fixed cost (default 5)"
    )
    ap.add_argument(
        "--fixed-only",
        action="store_true",
        help="measure only the fixed cost (20k xlsx, check against the floor, side by side)",
    )
    ap.add_argument("--from-json", help="render a saved latest.json again instead of running")
    ap.add_argument(
        "--update-readme", action="store_true", help="put the table in benchmarks/README.md"
    )
    args = ap.parse_args(argv)
    sizes = generate.parse_sizes(args.sizes)
    formats = [f for f in args.formats.split(",") if f in FORMATS]
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.fixed_only:
        compile_package()
        fixed = fixed_cost(FIXED_SIZE, args.fixed_repeat)
        label, measured, verdict = fixed_goal(fixed)
        text = f"{fixed_table(fixed)}\n\n{label}: {measured} ({verdict})\n"
        print(text)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "fixed.json").write_text(
            json.dumps({"machine": machine(), "fixed": fixed}, indent=1, default=str)
        )
        if args.update_readme:
            update_readme(
                f"Measured {machine()['date']} with `{command.strip()}`.\n\n{text}", marker="fixed"
            )
        return
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        info = saved.pop("machine")
        results = saved
    else:
        compile_package()
        results = run(sizes, formats, args)
        info = machine()
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latest.json").write_text(
            json.dumps({"machine": info, **results}, ensure_ascii=False, indent=1, default=str)
        )
    text = markdown(results, info, command.strip())
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(text)
    if args.update_readme:
        update_readme(text)


if __name__ == "__main__":
    main()
