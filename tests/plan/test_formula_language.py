"""The formula language accepts arithmetic over fields and rejects everything else."""

from __future__ import annotations

import pytest

from indicators.formula.parse import FormulaError, parse

KNOWN = {"households", "facility_area", "population", "has_service_facility"}


@pytest.mark.parametrize(
    "text",
    [
        "facility_area / households * 100",
        "(facility_area + 1) - -households",
        "households > 0 and not has_service_facility",
        "population >= 100 or households != 0",
        "min(households, 10) + max(1, 2, 3) + abs(-1) + round(facility_area, 1)",
        "has_service_facility",
        "1.5e3",
    ],
)
def test_accepted(text):
    assert parse(text, KNOWN).text == text


def test_condition_and_fields():
    f = parse("households > 0 and facility_area / households > 0.3", KNOWN)
    assert f.is_condition
    assert f.fields == ("households", "facility_area")
    assert not parse("facility_area / households", KNOWN).is_condition


@pytest.mark.parametrize(
    ("text", "reason", "position"),
    [
        ("households.real", "attribute access", 1),
        ("households + facility_area.__class__", "attribute access", 14),
        ("eval('1')", "function 'eval' is not allowed", 1),
        ("households + open(1)", "function 'open' is not allowed", 14),
        ("(lambda: 1)()", "function 'lambda: 1' is not allowed", 1),
        ("lambda: 1", "lambdas", 1),
        ("[x for x in households]", "comprehensions", 1),
        ("households ** 2", "operator '**' is not allowed", 1),
        ("households[0]", "subscripts", 1),
        ("'abc'", "only numbers are allowed as constants", 1),
        ("households + 'x'", "only numbers are allowed as constants", 14),
        ("households if population else 0", "conditional expressions", 1),
        ("households % 2", "operator 'Mod' is not allowed", 1),
        ("min", "is a function", 1),
        ("round(households, 1, 2)", "round() takes one or two arguments", 1),
        ("abs(x=households)", "positional arguments only", 1),
        ("households in population", "only the comparisons", 1),
        ("True", "only numbers are allowed as constants", 1),
        ("1e20", "too large", 1),
    ],
)
def test_rejected_with_position(text, reason, position):
    with pytest.raises(FormulaError) as info:
        parse(text, KNOWN)
    assert reason in info.value.reason
    assert info.value.position == position
    assert f"(at position {position})" in str(info.value)


def test_unknown_field_suggests_a_close_one():
    with pytest.raises(FormulaError) as info:
        parse("households + popualtion", KNOWN)
    assert "did you mean 'population'?" in str(info.value)
    assert info.value.position == 14


@pytest.mark.parametrize("text", ["", "   ", "households +", "x" * 501])
def test_empty_broken_or_long(text):
    with pytest.raises(FormulaError):
        parse(text, KNOWN)
