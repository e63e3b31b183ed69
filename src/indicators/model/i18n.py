"""The message catalogue: every user-facing label and message, in Chinese and English.

All texts live in `data/messages/*.yaml` (one file per area: issues, report, cli...). Each
entry is `key: {zh: ..., en: ...}` with `{name}` placeholders. `t("key", lang, **params)`
returns the text. A key defined twice across files is a bug and fails loudly at load.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

# libyaml's safe loader when available: the catalogue is read at every start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    folder = resources.files("indicators") / "data" / "messages"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        data = yaml.load(item.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        for key, texts in data.items():
            if key in entries:
                raise RuntimeError(f"message key {key!r} defined twice (again in {item.name})")
            entries[key] = texts
    return entries


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The text for `key` in `lang`, with `{placeholders}` filled from params."""
    texts = catalogue().get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts.get("en") or next(iter(texts.values()))
    return text.format_map(_Keep({k: "" if v is None else v for k, v in params.items()}))


def has(key: str) -> bool:
    return key in catalogue()
