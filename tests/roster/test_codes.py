"""Statistical division codes: validated, and used as the key in preference to names."""

from __future__ import annotations

import pytest

from .build import codes, compare

# 13 11 02 = 衡水市桃城区 (shape only); streets 001 and 002.
ROSTER = [
    ("桃城区", "一街道", "东风社区", "131102001001"),
    ("桃城区", "一街道", "向阳社区", "131102001002"),
    ("桃城区", "二街道", "红星村", "131102002201"),
    ("冀州区", "三街道", "和平社区", "131103003001"),
]


def test_codes_that_agree_give_no_findings() -> None:
    assert compare(ROSTER, ROSTER).issues == []


@pytest.mark.parametrize(
    "bad", ["13110200100", "1311020010011", "13110200100A", "131102-001-001", "１３１１０２"]
)
def test_code_invalid(bad: str) -> None:
    census = [*ROSTER[:3], ("冀州区", "三街道", "和平社区", bad)]
    result = compare(census, ROSTER)
    assert "code-invalid" in codes(result)
    # an invalid code is no key: the community still matches by name
    assert result.matched == 4 and not result.missing


def test_full_width_digits_and_spaces_are_folded() -> None:
    census = [*ROSTER[:3], ("冀州区", "三街道", "和平社区", "１３１１０３００３００１ ")]
    assert compare(census, ROSTER).issues == []


def test_duplicate_code() -> None:
    census = [*ROSTER[:3], ("冀州区", "三街道", "和平社区", "131102001002")]
    result = compare(census, ROSTER)
    dup = result.by_code("duplicate-code")
    assert len(dup) == 1 and dup[0].value == "131102001002" and dup[0].cell == "5"
    assert dup[0].params["other"] == "3"


def test_code_mismatch_street_prefix() -> None:
    census = [
        ("桃城区", "一街道", "东风社区", "131102001001"),
        ("桃城区", "一街道", "向阳社区", "131102001002"),
        ("桃城区", "一街道", "春风社区", "131102001003"),
        ("桃城区", "一街道", "秋月社区", "131102009004"),  # street 009 in street 001
    ]
    result = compare(census, census)
    found = [i for i in result.issues if i.file == "census.xlsx"]
    assert [i.code for i in found] == ["code-mismatch"]
    assert found[0].value == "131102009004" and found[0].expected == "131102001"
    assert found[0].params["unit"] == "桃城区 / 一街道"


def test_code_mismatch_district_prefix_reported_once() -> None:
    census = [
        ("桃城区", "一街道", "东风社区", "131102001001"),
        ("桃城区", "一街道", "向阳社区", "131102001002"),
        ("桃城区", "二街道", "红星村", "131102002201"),
        ("桃城区", "二街道", "绿野村", "131199002202"),  # county 99 in 桃城区
    ]
    result = compare(census, census)
    found = [i for i in result.issues if i.file == "census.xlsx"]
    assert [(i.code, i.expected) for i in found] == [("code-mismatch", "131102")]


def test_prefix_tie_is_not_judged() -> None:
    census = [
        ("桃城区", "一街道", "东风社区", "131102001001"),
        ("桃城区", "一街道", "向阳社区", "131102005002"),
    ]
    assert "code-mismatch" not in codes(compare(census, census))


def test_roster_code_problems_are_located_in_the_roster() -> None:
    roster = [*ROSTER[:3], ("冀州区", "三街道", "和平社区", "1311")]
    result = compare(ROSTER, roster)
    issue = result.by_code("code-invalid")[0]
    assert issue.file == "roster.xlsx" and issue.location == "[roster.xlsx]!5"


def test_renamed_community_matched_by_code() -> None:
    census = [*ROSTER[:3], ("冀州区", "三街道", "和谐社区", "131103003001")]  # 和平 -> 和谐
    result = compare(census, ROSTER)
    assert result.matched == 4 and not result.missing and not result.unexpected
    assert codes(result) == ["code-name-mismatch"]
    issue = result.issues[0]
    assert (issue.value, issue.expected, issue.cell) == ("和谐社区", "和平社区", "5")
    assert (
        issue.message("en")
        == "code 131103003001 is “和平社区” on the roster but “和谐社区” here (renamed?)"
    )


def test_code_wins_over_a_name_found_elsewhere() -> None:
    # The census lists 东风社区 with 向阳社区's code, and 向阳社区 without a code: the code
    # pairs 东风 (census) with 向阳 (roster), a rename is reported, and 东风 (roster) ...
    census = [
        ("桃城区", "一街道", "东风社区", "131102001002"),
        ("桃城区", "二街道", "红星村", "131102002201"),
        ("冀州区", "三街道", "和平社区", "131103003001"),
    ]
    result = compare(census, ROSTER)
    assert codes(result) == ["code-name-mismatch", "missing-community"]
    assert result.missing_labels() == ["桃城区 / 一街道 / 东风社区 (131102001001)"]


def test_moved_community_found_by_code_is_misfiled() -> None:
    census = [*ROSTER[:3], ("桃城区", "二街道", "和平社区", "131103003001")]
    result = compare(census, ROSTER)
    # its code (冀州区's 131103) also stands out among 桃城区's 131102 codes
    assert codes(result) == ["code-mismatch", "misfiled-community"]
    assert result.by_code("misfiled-community")[0].params["matched_by"] == "code"


def test_same_name_different_code_is_reported() -> None:
    census = [*ROSTER[:3], ("冀州区", "三街道", "和平社区", "131103003009")]
    result = compare(census, ROSTER)
    assert codes(result) == ["code-differs"]
    assert result.issues[0].expected == "131103003001"


def test_different_codes_block_a_name_only_match() -> None:
    # same name in another district with a different code: another community, not a move
    census = [*ROSTER[:3], ("桃城区", "九街道", "和平社区", "131102009001")]
    result = compare(census, ROSTER)
    assert codes(result) == ["missing-community", "unexpected-community"]


def test_codes_on_one_side_only_fall_back_to_names() -> None:
    census = [(d, s, c) for d, s, c, _ in ROSTER]
    result = compare(census, ROSTER)
    assert result.issues == [] and result.matched == 4
