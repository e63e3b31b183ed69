"""Small plan files for the plan tests."""

from __future__ import annotations

import textwrap

CITE = "cite: {section: 一、目标, quote: 示例原文}"

INDICATOR = """\
- id: facility_area_per_100_households
  name: {zh: 每百户设施面积, en: Facility area per 100 households}
  level: city
  formula: facility_area / households * 100
  unit: 平方米/百户
  target: {op: ">=", value: 30}
  cite: {section: 一、目标, quote: 每百户不低于30平方米}
"""


def plan_text(indicators: str = INDICATOR, head: str = "", period=(2021, 2025), plan_id="t-plan"):
    """A plan file: `head` lines go after the top-level keys, `indicators` is the list body."""
    body = textwrap.indent(textwrap.dedent(indicators).strip(), "  ")
    head = textwrap.dedent(head).strip()
    return (
        f"id: {plan_id}\ntitle: 测试规划\nperiod: [{period[0]}, {period[1]}]\n"
        + (head + "\n" if head else "")
        + (f"indicators:\n{body}\n" if body.strip() else "")
    )


def indicator(**keys: str) -> str:
    """One indicator, INDICATOR's keys replaced/added by `keys` (YAML flow text each)."""
    lines = {
        "id": "x",
        "name": "{zh: 指标, en: Indicator}",
        "level": "city",
        "formula": "facility_area / households * 100",
        "unit": "平方米/百户",
        "target": '{op: ">=", value: 30}',
        "cite": "{section: 一、目标, quote: 示例原文}",
    }
    for key, value in keys.items():
        if value is None:
            lines.pop(key, None)
        else:
            lines[key] = value
    first, *rest = lines.items()
    out = [f"- {first[0]}: {first[1]}"] + [f"  {k}: {v}" for k, v in rest]
    return "\n".join(out) + "\n"
