"""The words a census cell may hold instead of a number: missing markers, yes and no, ticks.

Shared by the value parser (values.py) and the column matcher (columns.py), which tells a
column of 是/否 from a column of counts by them. No imports: both sides read this one list.
"""

from __future__ import annotations

MISSING = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "不详", "无", "暂无", "未知", "空"})
MISSING_BOOL = MISSING - {"无"}
NA_TEXTS = frozenset({"na", "n/a", "nan", "none", "null"})
TRUE = frozenset({"是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "已建", "已设", "对"})
FALSE = frozenset({"否", "无", "没有", "×", "✗", "✘", "x", "n", "no", "false", "0", "未建", "未设"})
# "已建成"/"未建成", "已开展"/"未开展" ...: the status words street offices type for yes/no
_DONE = (
    "建成",
    "建立",
    "设立",
    "成立",
    "开展",
    "实现",
    "覆盖",
    "开通",
    "通",
    "配备",
    "配置",
    "安装",
    "设置",
    "挂牌",
    "建设",
    "达标",
    "建",
)
TRUE |= {f"已{w}" for w in _DONE}
FALSE |= {f"未{w}" for w in _DONE} | {f"没有{w}" for w in _DONE} | {"不是", "没建", "未"}
FALSE |= {f"不{w}" for w in ("具备", "达标", "通")} | {"无此项"}
TRUE |= {"具备", "配备", "有配备", "建有", "设有"}
TICKS = frozenset({"√", "✓", "✔"})
