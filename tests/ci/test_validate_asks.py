"""`validate` against what the city asks for: one finding per missing field, a way forward
that works (the narrowing plan it prints), and `--template`."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from indicators.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data/hengshui-2021-2025-census-2021.xlsx"
PLAN = "hengshui-2021-2025"
NOT_COLLECTED = ("辅警人数（人）", "是否通5G")
runner = CliRunner()


def _two_sheets(path: Path, drop: tuple[str, ...] = NOT_COLLECTED) -> Path:
    """The sample split in two district sheets, without the `drop` columns."""
    rows = [list(r) for r in openpyxl.load_workbook(SAMPLE).active.iter_rows(values_only=True)]
    header = rows[1]
    body = [r for r in rows[2:] if r[2] and r[3]]
    keep = [i for i, h in enumerate(header) if h is not None and h not in drop]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, part in (("城区", body[:60]), ("郊县", body[60:])):
        ws = wb.create_sheet(title)
        ws.append([header[i] for i in keep])
        for r in part:
            ws.append([r[i] for i in keep])
    wb.save(path)
    return path


def _validate(*args: str):
    return runner.invoke(app, ["validate", *args, "--lang", "en"], terminal_width=200)


def test_one_finding_per_missing_field_listing_the_sheets(tmp_path):
    path = _two_sheets(tmp_path / "city.xlsx")
    result = _validate(str(path), "-p", PLAN)
    assert result.exit_code == 2
    out = " ".join(result.output.split())
    assert out.count("missing-plan-field") == 2
    assert "missing-field " not in out
    assert "城区!1、郊县!1" in out
    assert "police_assistant" in out or "一区一警" in out or "indicators that need it" in out


def test_the_printed_narrowing_plan_makes_the_census_valid(tmp_path):
    path = _two_sheets(tmp_path / "city.xlsx")
    result = _validate(str(path), "-p", PLAN)
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("id: "))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Or validate"))
    plan_text = "\n".join(lines[start:end])
    assert "extends: hengshui-2021-2025" in plan_text and "reason:" in plan_text
    assert "cite" not in plan_text
    local = tmp_path / "local-plan.yaml"
    local.write_text(plan_text + "\n", encoding="utf-8")
    again = _validate(str(path), "-p", str(local))
    assert again.exit_code == 0, again.output


def test_template_requires_exactly_its_fields(tmp_path):
    template = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", "-p", PLAN, "-o", str(template)]).exit_code == 0
    wb = openpyxl.load_workbook(template)
    ws = wb["社区基本情况"]
    headers = [c.value for c in ws[1]]
    # the city's own template: no 辅警 and no 5G column
    gone = [i for i, h in enumerate(headers) if h and h.startswith(("辅警", "是否通5G"))]
    assert len(gone) == 2
    for i in sorted(gone, reverse=True):
        ws.delete_cols(i + 1)
    wb.save(template)
    path = _two_sheets(tmp_path / "city.xlsx")
    assert _validate(str(path), "-p", PLAN, "--template", str(template)).exit_code == 0
    # a column of the template missing is still an error
    fewer = _two_sheets(tmp_path / "fewer.xlsx", (*NOT_COLLECTED, "户数（户）"))
    result = _validate(str(fewer), "-p", PLAN, "--template", str(template))
    assert result.exit_code == 2
    assert "households" in result.output


@pytest.mark.parametrize("plan", sorted(p.stem for p in (ROOT / "targets").glob("*.yaml")))
def test_a_filled_template_validates_against_its_own_template(tmp_path, plan):
    template = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", "-p", plan, "-o", str(template)]).exit_code == 0
    wb = openpyxl.load_workbook(template)
    ws = wb["社区基本情况"]
    headers = [c.value for c in ws[1]]
    for k, name in enumerate(("东关社区", "西关村")):
        row = []
        for h in headers:
            text = str(h)
            if text.startswith("区县"):
                row.append("城区")
            elif text.startswith("街道"):
                row.append("城关街道")
            elif (text.startswith("社区") and "名称" in text) or text in ("社区/村", "社区（村）"):
                row.append(name)
            elif "类型" in text:
                row.append("城市" if k == 0 else "农村")
            elif "是/否" in text or text.startswith("是否"):
                row.append("是")
            elif "年份" in text:
                row.append(2019 + k)
            else:
                row.append(10 + k)
        for col, value in enumerate(row, start=1):
            ws.cell(row=2 + k, column=col, value=value)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = _validate(str(filled), "-p", plan, "--template", str(template))
    assert result.exit_code == 0, result.output
    assert _validate(str(filled), "-p", plan).exit_code == 0
