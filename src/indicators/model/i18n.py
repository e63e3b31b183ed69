"""The message catalogue: every user-facing label and message, in Chinese and English.

All texts live in `data/messages/*.yaml` (one file per area: issues, report, cli...). Each
entry is `key: {zh: ..., en: ...}` with `{name}` placeholders. `t("key", lang, **params)`
returns the text. A key defined twice across files is a bug and fails loudly at load.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
# The catalogue as JSON, with the SHA-256 of the YAML it was made from: parsing 170 KB of
# YAML took about 40 ms of every command's start-up, loading the JSON takes 1 ms. When the
# YAML has changed since (`source` differs), the YAML is read instead, so a stale copy is
# never shown; a test keeps the copy current (`python -m indicators.model.i18n` rebuilds it).
COMPILED = "catalogue.json"


def _folder() -> Path:
    # beside the package's modules (importlib.resources took 25 ms to import)
    return Path(__file__).resolve().parents[1] / "data" / "messages"


def _sources() -> list[tuple[str, bytes]]:
    items = [p for p in _folder().iterdir() if p.name.endswith(".yaml")]
    return [(p.name, p.read_bytes()) for p in sorted(items, key=lambda p: p.name)]


def source_hash(sources: list[tuple[str, bytes]]) -> str:
    """Of the YAML's names and texts; line ends do not count (a Windows checkout has CRLF)."""
    digest = hashlib.sha256()
    for name, raw in sources:
        data = raw.replace(b"\r\n", b"\n")
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def parse_yaml(sources: list[tuple[str, bytes]]) -> dict[str, dict[str, str]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
    entries: dict[str, dict[str, str]] = {}
    for name, data in sources:
        for key, texts in (yaml.load(data.decode("utf-8"), Loader=loader) or {}).items():
            if key in entries:
                raise RuntimeError(f"message key {key!r} defined twice (again in {name})")
            entries[key] = texts
    return entries


@cache
def catalogue() -> dict[str, dict[str, str]]:
    sources = _sources()
    try:
        compiled = json.loads((_folder() / COMPILED).read_bytes())
    except (OSError, ValueError):
        compiled = {}
    if compiled.get("source") == source_hash(sources):
        return compiled["entries"]
    return parse_yaml(sources)


def compile_catalogue() -> str:
    """The JSON copy of the catalogue's YAML files."""
    sources = _sources()
    entries = parse_yaml(sources)
    return (
        json.dumps(
            {"source": source_hash(sources), "entries": entries},
            ensure_ascii=False,
            indent=0,
            sort_keys=True,
        )
        + "\n"
    )


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


if __name__ == "__main__":  # python -m indicators.model.i18n: rebuild the JSON copy
    target = _folder() / COMPILED
    target.write_text(compile_catalogue(), encoding="utf-8", newline="\n")
    print(f"wrote {target}")
