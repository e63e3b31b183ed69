"""Units written in headers ("面积（平方米）", "（㎡）", "万人", "%") and the scale they imply.

Header text is compared after `normalise_header`, which folds "㎡" to "m2" and full-width
brackets to ASCII ones, so the table below lists normalised spellings only.
"""

from __future__ import annotations

import re

from indicators.model.fields import normalise_header

# normalised spelling -> (base unit, factor to the base unit); base None = a hint, not a unit
UNITS: dict[str, tuple[str | None, float]] = {
    "平方米": ("平方米", 1.0),
    "m2": ("平方米", 1.0),
    "平米": ("平方米", 1.0),
    "平方": ("平方米", 1.0),
    "万平方米": ("平方米", 10_000.0),
    "万m2": ("平方米", 10_000.0),
    "万平米": ("平方米", 10_000.0),
    "人": ("人", 1.0),
    "名": ("人", 1.0),
    "万人": ("人", 10_000.0),
    "户": ("户", 1.0),
    "万户": ("户", 10_000.0),
    "个": ("个", 1.0),
    "元": ("元", 1.0),
    "万元": ("元", 10_000.0),
    "小时": ("小时", 1.0),
    "家": ("个", 1.0),
    "%": ("%", 0.01),
    "是/否": (None, 1.0),
    "有/无": (None, 1.0),
    "是或否": (None, 1.0),
    "有或无": (None, 1.0),
    "1/0": (None, 1.0),
    "√/×": (None, 1.0),
    "√/x": (None, 1.0),
    "√或×": (None, 1.0),
    "打√": (None, 1.0),
    "√": (None, 1.0),
    "支": ("支", 1.0),
    "台": ("台", 1.0),
    "处": ("处", 1.0),
    "间": ("间", 1.0),
    "所": ("所", 1.0),
    "项": ("项", 1.0),
    "次": ("次", 1.0),
    "平方公里": ("平方公里", 1.0),
    "km2": ("平方公里", 1.0),
}
_BY_LENGTH = sorted(UNITS, key=len, reverse=True)
_BRACKET = re.compile(r"^(.*?)\(((?:单位[:：]?)?([^()]*))\)$")


def split_unit(text: str) -> tuple[str, str | None]:
    """Normalised header -> (header without unit, unit spelling or None).

    "面积(平方米)" -> ("面积", "平方米"); "人口万人" -> ("人口万人", None) (a bare suffix is only
    taken as a unit by `candidates`, when the rest is a known header).
    """
    m = _BRACKET.match(text)
    if m:
        unit = m.group(3)
        if unit in UNITS:
            return m.group(1), unit
    return text, None


def candidates(text: str) -> list[tuple[str, str | None]]:
    """Ways to read a normalised header: as is, without a bracketed unit, without a bare suffix."""
    out = [(text, None)]
    base, unit = split_unit(text)
    if unit is not None:
        out.append((base, unit))
    for spelling in _BY_LENGTH:
        if base.endswith(spelling) and len(base) > len(spelling):
            out.append((base[: -len(spelling)], spelling))
    m = _BRACKET.match(text)
    if m and unit is None and m.group(1):
        # A bracketed unit we do not know ("（小时）", "（万元）"): still match the name;
        # scale_for accepts it only when it is the field's own unit.
        out.append((m.group(1), m.group(3)))
    return out


def scale_for(unit: str | None, field_unit: str | None) -> tuple[float, bool]:
    """(factor to apply, compatible?) for a header unit against the field's unit."""
    if unit is None:
        return 1.0, True
    if unit not in UNITS:
        own = field_unit is not None and normalise_header(field_unit) == unit
        return 1.0, own
    base, factor = UNITS[unit]
    if base is None:
        return 1.0, True
    if field_unit is None:
        return factor, True
    field_base, field_factor = UNITS.get(normalise_header(field_unit), (field_unit, 1.0))
    # Values are stored in the field's own unit: 万元 in a 元 field is x10000, 元 in a
    # 万元 field is /10000, 万元 in a 万元 field is as written.
    return factor / (field_factor or 1.0), base == field_base
