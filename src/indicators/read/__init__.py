"""Census readers: any supported file -> one normalised `Census` (see indicators.model.census).

The names below are loaded on first use (PEP 562), so importing a light submodule such as
`indicators.read.units` does not pull in pandas: `indicators --help` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indicators.read.mapping import load_mapping_file, parse_map_options
    from indicators.read.reader import read_census

__all__ = ["load_mapping_file", "parse_map_options", "read_census"]

_WHERE = {
    "load_mapping_file": "indicators.read.mapping",
    "parse_map_options": "indicators.read.mapping",
    "read_census": "indicators.read.reader",
}


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
