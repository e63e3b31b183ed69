"""Header text -> the readings a column can be matched on, and the words that narrow nothing.

A header is read in several ways (see `readings`): group + sub-header joined, overlapping words
merged, the sub-header with the group's measure word, the sub-header alone, the group alone
over a "合计"; numbering, required-field marks, Latin glosses and an explanatory bracket are
taken off, and the unit a bracket or unit row names is kept apart. `matching` scores these
readings against the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indicators.model.fields import normalise_header
from indicators.read.units import UNITS, candidates

# "其中：城镇人口" (a part of the column to its left) and "单位：户" read as what follows
PREFIX = re.compile(r"^其中[:，,]?|^单位[:]")
# words that narrow nothing: "现有社区工作者总数" is 社区工作者; "2023年末常住人口" is 常住人口
NEUTRAL_HEAD = re.compile(
    r"^(?:\d{4}年(?:末|底|度)?|年末|年底|期末|现有|目前|当前|辖区|本社区|全社区|所在|所属)+"
)
NEUTRAL_TAIL = re.compile(r"(?:合计|总计|小计|总数|总量|数量|个数|情况|名称|人数|数)+$")
# taken off, these leave the same meaning: "社区（村）名称" is 社区（村）
SAFE_TAIL = re.compile(r"(?:名称|合计|总计|总数)$")
SAFE_HEAD = re.compile(r"^(?:所在|所属)")  # "所在街道（乡镇）" is 街道（乡镇）
# a group heading that only sorts columns: "基本情况 / 户数" is 户数
_GENERIC_GROUP = re.compile(r"情况|概况|基本|信息|基础|指标|项目|统计|数据|现状|名称")
# last year's or the base year's figures beside this year's: not the census
_PAST_GROUP = re.compile(r"上年|去年|上一年|基期|同期|上期")
# measure words a group lends its sub-headers: "设施面积" over "居民活动区域"
_MEASURES = ("建筑面积", "面积", "人数", "户数", "个数", "数量", "人口", "数")
# text that makes a header a measure or a yes/no question
AREA = re.compile(r"面积|平方米|m2|平米")
COUNT = re.compile(r"(?:人数|户数|个数|数量|人口|[^是]数)$")
QUESTION = re.compile(r"^(?:是否|有无|有没有)|是否|有无")
ASK = ("是否有", "有无", "是否建有", "是否配备", "是否设立", "是否开通")
# a sub-header that only says "the group's total": "常住人口" over "合计" is population
LEADING_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?")
BRACKETED = re.compile(r"\([^()]*\)")
GROUP_TOTAL = frozenset({"合计", "小计", "总计", "总数", "计", "数量", "总量", "数"})


@dataclass(frozen=True)
class Reading:
    """One way to read a column's header: the text, its unit, and how much it can be trusted
    (1.0 for the whole header; less when context was dropped)."""

    text: str
    unit: str | None
    weight: float


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _overlap_join(first: str, second: str) -> str | None:
    """Join with the shared word once: "综合服务设施" + "设施面积" -> "综合服务设施面积"."""
    for k in range(min(len(first), len(second)) - 1, 1, -1):
        if first.endswith(second[:k]):
            return first + second[k:]
    return None


@lru_cache(maxsize=20_000)
def readings(group: str, sub: str, unit_row: str | None = None) -> tuple[Reading, ...]:
    """The ways to read a column from its group heading, sub-header and unit-row cell."""
    g_norm, s_norm = _tidy(normalise_header(group)), _tidy(normalise_header(sub))
    sub_part = s_norm.startswith("其中")
    g_norm, s_norm = PREFIX.sub("", g_norm), PREFIX.sub("", s_norm)
    g_forms, s_forms = candidates(g_norm) if g_norm else [], candidates(s_norm) if s_norm else []
    g_base, g_unit = _best_form(g_norm)
    s_base, s_unit = _best_form(s_norm)
    row_unit = _unit_cell(unit_row) if unit_row else None
    unit = s_unit or row_unit or g_unit
    area = unit_base(unit) == "平方米"
    out: list[Reading] = []

    def add(text: str, weight: float, own_unit: str | None = None) -> None:
        if not text:
            return
        texts = [text]
        if area and "面积" not in text:
            texts.append(text + "面积")  # "居民活动区域（㎡）" is 居民活动区域面积
        for t in texts:
            out.append(Reading(t, own_unit or unit, weight))
            if "社区" in t[1:] and len(t) > 5:
                # "是否有社区综合服务设施" is 是否有综合服务设施
                out.append(Reading(t.replace("社区", ""), own_unit or unit, weight * 0.99))

    if g_norm and s_norm and _unit_cell(s_norm) is not None:
        # "户数" over "（户）": the sub-header is the group's unit
        unit = _unit_cell(s_norm)
        area = unit_base(unit) == "平方米"
        s_norm = ""
    if not g_norm or not s_norm:
        norm, base, forms = (s_norm, s_base, s_forms) if s_norm else (g_norm, g_base, g_forms)
        add(norm, 1.0)  # the whole header, a unit kept in its text
        add(base, 1.0)
        for b, u in forms[1:]:
            add(b, 1.0, u)
        return tuple(out)
    measure = next((m for m in _MEASURES if g_base.endswith(m) and not s_base.endswith(m)), None)
    if sub_part:
        # "其中：城镇" under "人口" is 城镇人口: a part of the group, never the group itself
        if measure:
            add(s_base + measure, 1.0)
        add(s_base, 0.97)
        return tuple(out)
    add(g_base + s_base, 1.0)
    if s_base in GROUP_TOTAL:
        add(g_base, 1.0)
    joined = _overlap_join(s_base, g_base)
    if joined:
        add(joined, 1.0)
    if measure:
        add(s_base + measure, 1.0)
    question = bool(QUESTION.match(s_base)) or s_base in ("有", "是否有", "建有", "配备")
    add(s_base + g_base, 1.0 if question else 0.97)
    # The sub-header alone: sure under a heading that only sorts columns (基本情况) or when
    # it is a whole field name itself (是否通宽带); likely under a group that may change its
    # meaning (老年人 / 户数); weak under last year's figures (上年 / 户数).
    if _PAST_GROUP.search(g_base):
        alone = 0.5
    elif _GENERIC_GROUP.search(g_base) or g_base in _MEASURES or len(s_base) >= 4:
        alone = 0.97
    else:
        alone = 0.85
    add(s_base, alone)
    for base, u in s_forms[1:]:
        if base != s_base:
            add(base, alone, u)
    return tuple(out)


# "1.户数", "（一）户数", "*社区名称": numbering and required-field marks are not the header
_NUMBERING = re.compile(
    r"^(?:\d{1,2}[.、．]|\(\d{1,2}\)|[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))"
)
_MARKS = re.compile(r"[*＊※★☆“”\"'‘’「」]")
# Latin words beside Chinese ("户数 households"): a bilingual header reads as its Chinese
_LATIN = re.compile(r"[a-z][a-z.&'/-]*[a-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRAILING_BRACKET = re.compile(r"^(.+?)\(([^()]*)\)$")


def _tidy(text: str) -> str:
    text = _MARKS.sub("", text)
    text = _NUMBERING.sub("", text)
    if _CJK.search(text) and _LATIN.search(text):
        text = _LATIN.sub("", text).replace("()", "").strip("/-:")
    return text


def spelling_key(spelling: str) -> str:
    """A vocabulary spelling folded the way headers are: quotes and marks off."""
    return _tidy(normalise_header(spelling))


def _best_form(text: str) -> tuple[str, str | None]:
    """The header without its bracket, and the unit the bracket names: ("面积", "平方米") from
    "面积(平方米)", ("户数", None) from "户数(按实际居住户统计)", ("人口", "人") from
    "人口(含外来人口,人)": an explanation in brackets is not a unit, its last part may be."""
    m = _TRAILING_BRACKET.match(text)
    if not m:
        return text, None
    base, inside = m.group(1), re.sub(r"^单位:?", "", m.group(2))
    last = re.split(r"[,，;；、]", inside)[-1]
    return base, (last if last in UNITS else None)


def _unit_cell(text: str) -> str | None:
    norm = PREFIX.sub("", normalise_header(text)).strip("()")
    return norm if norm in UNITS else None


def unit_of(text: str) -> str | None:
    """The unit a unit-row cell names ("单位：户", "(㎡)", "万人"), or None."""
    return _unit_cell(text) if text else None


# -- evidence from units, header words and cells ------------------------------------------


def unit_base(unit: str | None) -> str | None:
    """The base unit of a known unit spelling; None for no unit, a hint (是/否) or words in
    brackets that are no unit at all ("按实际居住户统计")."""
    if unit is None or unit not in UNITS:
        return None
    return UNITS[unit][0]
