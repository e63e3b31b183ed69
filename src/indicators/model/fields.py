"""The canonical census vocabulary: field ids, types, units and the header spellings seen.

The shared vocabulary is `data/fields.yaml`; a plan may add fields of its own. Header text is
compared after `normalise_header`, which folds full-width characters, brackets and spaces.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

FIELD_TYPES = ("text", "category", "integer", "number", "boolean")
NUMERIC_TYPES = ("integer", "number", "boolean")


@dataclass(frozen=True)
class Field:
    id: str
    type: str
    name_zh: str
    name_en: str
    unit: str | None = None
    aliases: tuple[str, ...] = ()
    # spellings that probably mean this field: used, but reported for the user to confirm
    likely: tuple[str, ...] = ()
    # spellings that look like this field and mean something else: never used without --map
    lookalikes: tuple[str, ...] = ()
    values: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    sample: Any = field(default=None, hash=False, compare=False)
    # Whose fact it is: a column of the community sheet, or of the street sheet (one row per
    # 街道/乡镇: a street office's own teams or stations, which no community row holds).
    level: str = "community"

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


def normalise_header(text: object) -> str:
    """Fold width, case, brackets and white space so spellings of one header compare equal.

    "居民户数（户）" and "居民户数 (户)" both become "居民户数(户)".
    """
    return _normalise(str(text))


@lru_cache(maxsize=65_536)
def _normalise(text: str) -> str:  # headers and cell words repeat: fold each once
    s = unicodedata.normalize("NFKC", text).strip().lower()
    s = s.replace("【", "[").replace("】", "]").replace("〔", "(").replace("〕", ")")
    s = s.replace("[", "(").replace("]", ")").replace("（", "(").replace("）", ")")
    return "".join(s.split())


def field_from_dict(d: dict[str, Any]) -> Field:
    name = d.get("name") or {}
    values = {k: tuple(str(x) for x in v) for k, v in (d.get("values") or {}).items()}
    return Field(
        id=d["id"],
        type=d.get("type", "number"),
        name_zh=str(name.get("zh", d["id"])),
        name_en=str(name.get("en", d["id"])),
        unit=d.get("unit"),
        aliases=tuple(str(a) for a in d.get("aliases") or ()),
        likely=tuple(str(a) for a in d.get("likely") or ()),
        lookalikes=tuple(str(a) for a in d.get("lookalikes") or ()),
        values=values,
        sample=d.get("sample"),
        level=str(d.get("level") or "community"),
    )


@dataclass(frozen=True)
class Vocabulary:
    fields: dict[str, Field]

    def __contains__(self, field_id: str) -> bool:
        return field_id in self.fields

    def __getitem__(self, field_id: str) -> Field:
        return self.fields[field_id]

    def get(self, field_id: str) -> Field | None:
        return self.fields.get(field_id)

    def extended(self, extra: list[Field]) -> Vocabulary:
        """This vocabulary plus a plan's own fields (a plan field replaces a shared one)."""
        merged = dict(self.fields)
        merged.update({f.id: f for f in extra})
        return Vocabulary(merged)

    def resolve(self, name: str) -> str | None:
        """A field id from its id, Chinese or English name ("常住人口" -> "population")."""
        if name in self.fields:
            return name
        folded = normalise_header(name)
        for f in self.fields.values():
            if folded in (normalise_header(f.name_zh), normalise_header(f.name_en)):
                return f.id
        return None

    def at_level(self, level: str) -> Vocabulary:
        """The fields of one sheet level (community or street)."""
        return Vocabulary({k: f for k, f in self.fields.items() if f.level == level})

    def alias_index(self) -> dict[str, str]:
        """Normalised header spelling -> field id (ids and Chinese names count as spellings)."""
        index: dict[str, str] = {}
        for f in self.fields.values():
            for spelling in (f.id, f.name_zh, *f.aliases):
                index.setdefault(normalise_header(spelling), f.id)
        return index


@cache
def shared_vocabulary() -> Vocabulary:
    text = (Path(__file__).resolve().parents[1] / "data" / "fields.yaml").read_text(
        encoding="utf-8"
    )
    # libyaml's safe loader when available: 6 ms instead of 60 ms, at every census read
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Vocabulary({d["id"]: field_from_dict(d) for d in data["fields"]})
