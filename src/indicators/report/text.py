"""Small text helpers every renderer shares: labels, numbers, reasons."""

from __future__ import annotations

import math
from datetime import datetime

from indicators.model.fields import Vocabulary
from indicators.model.i18n import has, t


def local_time(moment: datetime) -> str:
    """'2026-11-29 18:42 (UTC+08:00)': the reader's local time, with the zone as an offset
    (zone names differ between Windows and Linux, and "CST" means three zones)."""
    local = moment.astimezone()
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if len(offset) == 5 else offset
    return f"{local:%Y-%m-%d %H:%M} (UTC{offset})"


def status_label(status: str, lang: str) -> str:
    return t(f"status.{status}", lang) if status else ""


def fmt_number(value: float | None, unit: str = "", digits: int = 1) -> str:
    """12.0 -> '12', 12.345 -> '12.3'; NaN -> '—'. '%' is attached without a space."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "—"
    v = float(value)
    text = str(round(v)) if abs(v - round(v)) < 1e-9 else f"{v:,.{digits}f}"
    if v == int(v) and abs(v) >= 1000:
        text = f"{int(v):,}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip() if unit else text


def describe_reason(reason: str, lang: str, vocab: Vocabulary | None = None) -> str:
    """'missing:households' -> '缺少数据：户数'."""
    if not reason:
        return ""
    code, _, arg = reason.partition(":")
    if arg and vocab is not None and arg in vocab:
        arg = vocab[arg].name(lang)
    return t(f"reason.{code}", lang, field=arg)


def unit_label(unit: str | None, lang: str) -> str:
    """A unit in the user's language ('平方米/百户' -> 'm² per 100 households')."""
    if not unit:
        return ""
    return t(f"unit.{unit}", lang) if has(f"unit.{unit}") else unit


def with_unit(text: str, unit: str | None, lang: str) -> str:
    """The one target formatter: '≥ 30' and '平方米/百户' -> '≥ 30 平方米/百户';
    a percentage is attached without a space ('≥ 100%'); no text gives ''."""
    if not text:
        return ""
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit_label(unit, lang)}".strip()
