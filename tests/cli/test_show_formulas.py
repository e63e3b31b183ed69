"""`indicators show` writes formulas with the fields' names in --lang zh (ids in en and yaml)."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from indicators.cli import app
from indicators.cli.formula_text import named_formula
from indicators.model.fields import Field, Vocabulary

runner = CliRunner()


def _vocab() -> Vocabulary:
    fields = [
        Field("facility_area", "number", "社区综合服务设施面积", "Facility area"),
        Field("households", "integer", "户数", "Households"),
        Field("community_type", "category", "社区类型", "Community type"),
        Field("street_station", "boolean", "是否建有乡镇(街道)社会工作服务站", "Street station"),
    ]
    return Vocabulary({f.id: f for f in fields})


def test_ids_become_names_and_operators_glyphs():
    text = "facility_area / households * 100"
    assert named_formula(text, _vocab(), "zh") == "社区综合服务设施面积 ÷ 户数 × 100"
    assert named_formula(text, _vocab(), "en") == text


def test_quoted_values_and_unknown_names_stay_as_written():
    vocab = _vocab()
    got = named_formula('community_type == "households" and households >= 1', vocab, "zh")
    assert got == '社区类型 = "households" 且 户数 ≥ 1'
    assert named_formula("mystery / households", vocab, "zh") == "mystery ÷ 户数"


def test_a_name_holding_an_operator_is_bracketed():
    assert named_formula("street_station", _vocab(), "zh") == "「是否建有乡镇(街道)社会工作服务站」"


def test_unreadable_text_is_shown_as_written():
    assert named_formula('households > "', _vocab(), "zh") == 'households > "'


def test_show_on_the_shipped_plan():
    md = runner.invoke(app, ["show", "hengshui-2021-2025", "--format", "markdown"]).output
    assert "社区综合服务设施面积 ÷ 户数 × 100" in md
    assert "facility_area / households" not in md
    assert "特殊困难老年人数 > 0" in md  # the where condition too
    assert "show.col." not in md  # every column has its label
    en = runner.invoke(app, ["show", "hengshui-2021-2025", "-f", "markdown", "--lang", "en"])
    assert "facility_area / households * 100" in en.output
    data = yaml.safe_load(runner.invoke(app, ["show", "hengshui-2021-2025", "-f", "yaml"]).output)
    formulas = {i["id"]: i.get("formula") for i in data["indicators"]}
    assert formulas["facility_area_per_100_households"] == "facility_area / households * 100"
