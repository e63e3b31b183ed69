"""Missing, extra and misfiled communities found against a roster, and the coverage."""

from __future__ import annotations

from .build import codes, compare

ROSTER = [
    ("甲区", "一街道", "东风社区"),
    ("甲区", "一街道", "向阳社区"),
    ("甲区", "二街道", "红星村"),
    ("乙区", "三街道", "和平社区"),
]


def test_complete_submission_has_no_findings() -> None:
    result = compare(ROSTER, ROSTER)
    assert (result.expected, result.reported, result.matched) == (4, 4, 4)
    assert result.issues == []
    assert result.coverage("en") == "4 of 4 communities reported (100%)"
    assert result.coverage("zh") == "名册 4 个社区中已报送 4 个（100%）"


def test_missing_and_unexpected() -> None:
    census = [*ROSTER[:3], ("乙区", "三街道", "幸福社区")]
    result = compare(census, ROSTER)
    assert (result.expected, result.reported, result.matched) == (4, 4, 3)
    assert codes(result) == ["missing-community", "unexpected-community"]
    assert result.missing_labels() == ["乙区 / 三街道 / 和平社区"]
    assert result.unexpected_labels() == ["乙区 / 三街道 / 幸福社区"]
    assert result.coverage("en") == (
        "3 of 4 communities reported (75%); 1 missing, 1 not on the roster"
    )
    unexpected = result.by_code("unexpected-community")[0]
    assert unexpected.cell == "5"  # census row 4 (a frame without sheet: row numbers only)
    assert "幸福社区" in unexpected.message("zh")
    missing = result.by_code("missing-community")[0]
    assert missing.file == "roster.xlsx" and missing.location == "[roster.xlsx]!5"
    assert (
        missing.message("en")
        == "community “乙区 / 三街道 / 和平社区” is on the roster but was not submitted"
    )


def test_misfiled_under_wrong_street_and_district() -> None:
    census = [
        ("甲区", "二街道", "东风社区"),  # wrong street
        ("甲区", "一街道", "向阳社区"),
        ("甲区", "二街道", "红星村"),
        ("甲区", "三街道", "和平社区"),  # wrong district
    ]
    result = compare(census, ROSTER)
    assert result.matched == 4 and not result.missing and not result.unexpected
    misfiled = result.by_code("misfiled-community")
    assert [i.params["community"] for i in misfiled] == ["东风社区", "和平社区"]
    street, district = misfiled
    assert (street.value, street.expected) == ("甲区 / 二街道", "甲区 / 一街道")
    assert (district.value, district.expected) == ("甲区 / 三街道", "乙区 / 三街道")
    assert "2 under the wrong street or district" in result.coverage("en")
    assert "“东风社区” is filed under “甲区 / 二街道”" in street.message("en")


def test_ambiguous_name_is_not_guessed() -> None:
    roster = [("甲区", "一街道", "新华社区"), ("乙区", "二街道", "新华社区")]
    census = [("丙区", "九街道", "新华社区"), ("丁区", "八街道", "新华社区")]
    result = compare(census, roster)
    # the name alone fits two entries on each side: nothing is paired by guesswork
    assert codes(result) == ["missing-community"] * 2 + ["unexpected-community"] * 2


def test_name_left_once_on_each_side_is_a_move() -> None:
    roster = [("甲区", "一街道", "新华社区"), ("乙区", "二街道", "新华社区")]
    census = [("甲区", "一街道", "新华社区"), ("丙区", "九街道", "新华社区")]
    result = compare(census, roster)
    assert codes(result) == ["misfiled-community"]
    assert result.issues[0].expected == "乙区 / 二街道"


def test_names_compare_after_folding_width_space_and_committee_word() -> None:
    census = [
        ("甲区", "一街道办事处", "东风社区居委会"),
        ("甲区", " 一街道", "向阳 社区"),
        ("甲区", "二街道", "红星村村委会"),
        ("乙区", "三街道", "和平社区"),
    ]
    result = compare(census, ROSTER)
    assert result.issues == [] and result.matched == 4


def test_roster_without_streets_compares_districts_and_names() -> None:
    roster = [(d, "", c) for d, _, c in ROSTER]
    census = [("甲区", "任意街道", c) for _, _, c in ROSTER[:3]] + [("乙区", "x", "和平社区")]
    result = compare(census, roster)
    assert result.issues == [] and result.matched == 4


def test_duplicate_roster_entries_count_once() -> None:
    result = compare(ROSTER, [*ROSTER, ROSTER[0]])
    assert result.expected == 4 and result.issues == []


def test_to_dict_for_json_output() -> None:
    result = compare(ROSTER[:3], ROSTER)
    d = result.to_dict("en")
    assert (d["expected"], d["reported"], d["matched"]) == (4, 3, 3)
    assert d["missing"] == ["乙区 / 三街道 / 和平社区"]
    assert d["issues"][0]["code"] == "missing-community"
    assert d["coverage"].startswith("3 of 4 communities reported")
