"""The key table (plan/keys.py) is what the loader accepts, what dump writes and what the docs
list: one schema, written once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from tests.plan.plantext import indicator, plan_text
from tests.plan.test_inherit import CITE, child, problems_of

from indicators.model.errors import PlanError
from indicators.plan import keys, load_plan_text
from indicators.plan.dump import plan_data

DOC = Path(__file__).resolve().parents[2] / "docs" / "plan-format.md"


def test_the_docs_key_reference_is_generated_from_the_table():
    text = DOC.read_text(encoding="utf-8")
    section = re.search(r"<!-- keys:start -->\n(.*)<!-- keys:end -->", text, re.S)
    assert section, "docs/plan-format.md lost its key reference markers"
    assert section[1] == keys.markdown(), (
        "the key reference is out of date: paste the output of "
        "`python -m indicators.plan.keys` between the keys: markers"
    )


def test_the_docs_examples_use_only_keys_of_the_table():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    top = yaml.safe_load(blocks[0])
    assert set(top) <= keys.names(keys.PLAN)
    [example] = yaml.safe_load(blocks[1])
    assert set(example) <= keys.names(keys.INDICATOR)


def _unknown(problems: list[str]) -> list[str]:
    return [p for p in problems if "unknown key" in p]


@pytest.mark.parametrize("table", ["INDICATOR", "PLAN"])
def test_the_loader_accepts_every_key_of_the_table_and_lists_them(table):
    key_names = keys.names(getattr(keys, table))
    bad = indicator(colour="red") if table == "INDICATOR" else indicator()
    head = "sponsor: 民政局" if table == "PLAN" else ""
    with pytest.raises(PlanError) as info:
        load_plan_text(plan_text(bad, head=head), "p.yaml")
    [message] = _unknown(info.value.problems)
    listed = set(message.split("expected one of: ")[1].rstrip(")").split(", "))
    assert listed == key_names


def test_every_override_key_of_the_table_is_accepted(tmp_path):
    bad = problems_of(child(tmp_path, f"overrides:\n  - {{id: area, colour: red, cite: {CITE}}}"))
    [message] = _unknown(bad)
    listed = set(message.split("expected one of: ")[1].rstrip(")").split(", "))
    assert listed == keys.names(keys.OVERRIDE)
    assert {"from", "until", "superseded_by"} <= listed


def test_dump_writes_keys_in_table_order():
    text = plan_text(indicator(where="households > 0", lever="facility_area", until="2025",
                               oddities="[x]", note="n", milestones="[{year: 2023, op: '>=', value: 20}]"))  # fmt: skip
    data = plan_data(load_plan_text(text, "p.yaml"))
    order = [k.name for k in keys.INDICATOR]
    written = list(data["indicators"][0])
    assert written == sorted(written, key=order.index)
    assert {"where", "lever", "until", "oddities", "note", "milestones"} <= set(written)
    assert list(data) == sorted(data, key=[k.name for k in keys.PLAN].index)
