"""Builders for the reliability tests: census files in every state of repair, and a CLI runner."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from indicators.cli import app

PLAN = "hengshui-2021-2025"
FIXTURES = Path(__file__).parent / "fixtures"
ENCRYPTED = FIXTURES / "encrypted.xlsx"  # real Agile-encrypted workbook, password "secret"

HEADER = ["区县", "街道", "社区", "户数", "常住人口", "社区综合服务设施面积", "是否有综合服务设施"]
ROWS = [
    ["A区", "一街道", "甲社区", 1200, 3500, 400.5, "是"],
    ["A区", "一街道", "乙社区", 1300, 3600, 500, "否"],
    ["A区", "二街道", "丙村", 800, 2100, 120, "有"],
]

runner = CliRunner()


def check(*args: str | Path, env: dict[str, str] | None = None):
    """`indicators check ARGS --plan hengshui-2021-2025` in process; returns click's Result."""
    return runner.invoke(app, ["check", *map(str, args), "--plan", PLAN], env=env)


def write_xlsx(path: Path, rows: list[list], *, title: str = "社区基本情况") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def clean_xlsx(path: Path) -> Path:
    return write_xlsx(path, [HEADER, *ROWS])


def write_csv(path: Path, rows: list[list]) -> Path:
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    return path


def bomb(path: Path, size_mb: int) -> Path:
    """A small .xlsx whose worksheet member inflates to `size_mb` MB of spaces; its zip
    directory declares the true size (zip64)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(size_mb):
                member.write(block)
    return path


# Runs a command as a child and reports that child's peak RSS and wall time: pytest's own
# children (and pytest itself) must not count, so the measuring process is a fresh one. An
# address-space cap (RLIMIT_AS) makes a runaway allocation fail fast instead of swapping.
MEASURE_CAPPED = """
import json, resource, subprocess, sys, time
cap = int(sys.argv[1]) * 1024 * 1024
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
t = time.monotonic()
p = subprocess.run(sys.argv[2:], capture_output=True, text=True, preexec_fn=limit)
seconds = time.monotonic() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": p.returncode, "out": p.stdout + p.stderr, "peak": peak, "s": seconds}))
"""


def run_capped(*args: str | Path, cap_mb: int = 3000, timeout: int = 120, **env: str):
    """`python -m indicators ARGS` in a child under an address-space cap of `cap_mb`:
    (exit code, output, peak RSS in MB, seconds)."""
    import json
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "indicators", *map(str, args)]
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE_CAPPED, str(cap_mb), *command],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=timeout,
        check=True,
    )
    report = json.loads(proc.stdout)
    peak_mb = report["peak"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return report["rc"], report["out"], peak_mb, report["s"]


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def xlsx_parts(path: Path, parts: dict[str, bytes | str], *, sheet: str = "社区基本情况") -> Path:
    """A minimal .xlsx written member by member, so a test controls the exact XML."""
    sheet_xml = parts.pop("sheet", None)
    base = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    if sheet_xml is not None:
        base["xl/worksheets/sheet1.xml"] = sheet_xml
    base.update(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in base.items():
            z.writestr(name, data)
    return path


def sheet_xml(cells: str, *, dimension: str | None = None, extra: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main">{dim}<sheetData>{cells}</sheetData>{extra}</worksheet>'
    )


def inline_row(r: int, values: list) -> str:
    """One <row> of inline-string / number cells (column A onwards)."""
    from indicators.model.issues import column_letter

    cells = []
    for c, v in enumerate(values):
        ref = f"{column_letter(c)}{r}"
        if isinstance(v, (int, float)):
            cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
    return f'<row r="{r}">{"".join(cells)}</row>'
