"""The terminal summary fits the terminal: nothing is cut off at the right edge.

rich laid the summary table out wider than a 120-199 column terminal (the common Windows
console is 120) and cut off the right of every line: the "what it takes" column, the most
useful one, lost its text. The widths are now worked out from the figures; a terminal too
narrow for the table gets one block per indicator.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from indicators.plan import load_plan
from indicators.report.terminal import print_summary
from indicators.run.pipeline import ReadOptions, check_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [
    ("hengshui-2021-2025", "hengshui-2021-2025-census-2023.xlsx"),
    ("nantong-2011-2015", "nantong-2011-2015.xlsx"),
    ("yantai-2020", "yantai-2020.xlsx"),
]
RIGHT_EDGE = ("┃", "│", "┓", "┩", "┘", "┛")


@pytest.fixture(scope="module", params=SAMPLES, ids=[p for p, _ in SAMPLES])
def results(request):
    plan_id, census = request.param
    outcome = check_file(load_plan(plan_id), ROOT / "sample_data" / census, ReadOptions())
    assert outcome.results is not None
    return outcome.results


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 119, 120, 140, 160, 200, 260])
def test_the_summary_is_never_cut_off(results, lang: str, width: int) -> None:
    console = Console(width=width, file=io.StringIO())
    print_summary(console, results, lang)
    lines = console.file.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= width
    table = [line for line in lines if line.startswith(("┏", "┃", "┡", "│", "└"))]
    cut = [line for line in table if not line.rstrip().endswith(RIGHT_EDGE)]
    assert not cut, cut[:3]


@pytest.mark.parametrize("width", [120, 150, 200, 300])
def test_show_is_never_cut_off(width: int) -> None:
    """`show` gives the name, formula and citation columns more room only where the table
    still fits; at 150 and 200 columns the citation lost the right of every line."""
    from helpers import run_indicators

    done = run_indicators("show", "hengshui-2021-2025", columns=width)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    table = [line for line in lines if line.startswith(("┏", "┃", "┡", "│", "├", "└"))]
    assert table
    cut = [line for line in table if not line.rstrip().endswith((*RIGHT_EDGE, "┤"))]
    assert not cut, cut[:3]


def test_the_width_probe_reads_plan_text_as_data() -> None:
    """`show` measures its table before printing; a plan text with rich markup in it ("[/]")
    crashed the probe, which read it as a closing tag."""
    from rich.table import Table

    from indicators.cli.common import console
    from indicators.cli.console import fits

    table = Table()
    table.add_column("出处")
    table.add_row("见[/]附件 [bold]一")
    assert fits(console, table)
