"""The message catalogue's JSON copy (model/i18n.py) is the YAML, and a stale copy is never used."""

from __future__ import annotations

import json

from indicators.model import i18n


def test_the_json_copy_is_current() -> None:
    """Fails when a data/messages/*.yaml file changed without `python -m indicators.model.i18n`."""
    sources = i18n._sources()
    compiled = json.loads((i18n._folder() / i18n.COMPILED).read_text(encoding="utf-8"))
    assert compiled["source"] == i18n.source_hash(sources), (
        "data/messages/catalogue.json is out of date: run `python -m indicators.model.i18n`"
    )
    assert compiled["entries"] == i18n.parse_yaml(sources)


def test_a_stale_copy_is_not_used(monkeypatch) -> None:
    """A YAML text changed since the copy was made is what `t` returns."""
    sources = i18n._sources()
    changed = [
        (
            name,
            data.replace("达标".encode(), "达到目标".encode()) if name == "common.yaml" else data,
        )
        for name, data in sources
    ]
    monkeypatch.setattr(i18n, "_sources", lambda: changed)
    i18n.catalogue.cache_clear()
    try:
        assert i18n.t("status.met", "zh") == "达到目标"
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()
    assert i18n.t("status.met", "zh") == "达标"
