"""What a street or district row's figure is called (issue 18): a street's own fact is the
street's own value on its row and the streets' figures combined above it, never a "mean of
communities"; an indicator of community values keeps its method's name. Checked on the
shipped Nantong sample, whose street and district sheets hold such facts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from indicators.cli import app
from indicators.plan import load_plan
from indicators.report.csv_report import COLUMNS, render_csv
from indicators.report.workbook import write_workbook
from indicators.run.pipeline import ReadOptions, check_file

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "nantong-2011-2015.xlsx"
STREET_FACT = "street_service_centre_area"  # mean; each street's own centre (street sheet)
DISTRICT_FACT = "district_service_centre_area"  # mean; each district's own centre
COMMUNITY_MEAN = "community_culture_sports_teams"  # mean of the communities' own teams


@pytest.fixture(scope="module")
def outcome():
    return check_file(load_plan("nantong-2011-2015"), SAMPLE, ReadOptions())


def _methods(outcome, lang: str) -> dict[tuple[str, str], set[str]]:
    """(indicator id, level) -> the method texts of its CSV result rows."""
    rows = list(csv.reader(io.StringIO(render_csv([outcome], lang))))
    col = {k: i for i, k in enumerate(COLUMNS)}
    out: dict[tuple[str, str], set[str]] = {}
    for row in rows[1:]:
        if row[col["row_type"]] in ("结果", "result"):
            key = (row[col["indicator_id"]], row[col["level"]])
            out.setdefault(key, set()).add(row[col["method"]])
    return out


def test_street_fact_rows_say_what_they_are(outcome):
    r = outcome.results.get(STREET_FACT)
    streets, districts = r.groups["street"], r.groups["district"]
    # the label's claim: a district's figure is the mean of its streets' own values
    for district, value in zip(districts["district"], districts["value"], strict=True):
        own = streets.loc[streets["district"] == district, "value"].dropna()
        if len(own):
            assert value == pytest.approx(float(np.mean(own)))
    m = _methods(outcome, "zh")
    assert m[(STREET_FACT, "街道")] == {"街道自身数值（街道表）"}
    assert m[(STREET_FACT, "区县")] == {"街道平均值"}
    assert m[(STREET_FACT, "全市")] == {"街道平均值"}
    assert "社区平均值" not in set().union(*(v for (i, _), v in m.items() if i == STREET_FACT))


def test_district_fact_rows_say_what_they_are(outcome):
    m = _methods(outcome, "en")
    assert m[(DISTRICT_FACT, "district")] == {"the district's own figure (district sheet)"}
    assert m[(DISTRICT_FACT, "street")] == {"none (a figure of the unit above)"}
    assert m[(DISTRICT_FACT, "city")] == {"mean of districts"}


def test_community_mean_keeps_its_name(outcome):
    m = _methods(outcome, "zh")
    assert m[(COMMUNITY_MEAN, "街道")] == {"社区平均值"}
    assert m[(COMMUNITY_MEAN, "区县")] == {"社区平均值"}


def test_group_sheet_headers(outcome, tmp_path):
    path = write_workbook(outcome.results, tmp_path / "gaps.xlsx", "zh")
    wb = openpyxl.load_workbook(path)
    results = outcome.results
    j = [r.indicator.id for r in results.indicators].index(STREET_FACT)
    k = [r.indicator.id for r in results.indicators].index(COMMUNITY_MEAN)
    streets, districts = wb["街道汇总"], wb["区县汇总"]
    # each indicator's block is five columns after the key columns (district[, street])
    assert streets.cell(2, 3 + 5 * j).value == "数值：街道自身数值（街道表）"
    assert districts.cell(2, 2 + 5 * j).value == "数值：街道平均值"
    assert streets.cell(2, 3 + 5 * k).value == "数值：社区平均值"


def test_show_names_a_fact_by_its_level():
    result = CliRunner().invoke(app, ["show", "nantong-2011-2015", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if STREET_FACT in ln)
    assert "街道自身数值（街道表）；区县、全市：街道平均值" in line
    assert "社区平均值" not in line
    line = next(ln for ln in result.output.splitlines() if COMMUNITY_MEAN in ln)
    assert "社区平均值" in line
