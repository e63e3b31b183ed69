"""Column-mapping overrides: `--map "实有户数=households"` and mapping files (YAML or CSV)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from indicators.errors import UsageError
from indicators.read.formats import decode_text


def parse_map_options(items: list[str] | None) -> dict[str, str]:
    """["实有户数=households", ...] -> {"实有户数": "households"}; "表头=-" ignores a column."""
    out: dict[str, str] = {}
    for item in items or ():
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise UsageError(
                f'--map {item!r}: expected HEADER=FIELD, e.g. --map "实有户数=households"'
            )
        out[header.strip()] = field.strip()
    return out


def load_mapping_file(path: Path) -> dict[str, str]:
    """A YAML mapping (`header: field`) or a two-column CSV (header,field) -> dict."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"mapping file {path}: cannot be read ({exc.strerror or exc})") from exc
    text, _ = decode_text(path, data)
    if path.suffix.lower() in (".csv", ".tsv"):
        rows = [r for r in csv.reader(io.StringIO(text)) if r and any(c.strip() for c in r)]
        if rows and [c.strip().lower() for c in rows[0][:2]] == ["header", "field"]:
            rows = rows[1:]
        bad = [i + 1 for i, r in enumerate(rows) if len(r) < 2 or not r[0].strip()]
        if bad:
            raise UsageError(f"mapping file {path}: line {bad[0]} is not `header,field`")
        return {r[0].strip(): r[1].strip() for r in rows}
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"mapping file {path}: not valid YAML ({exc})") from exc
    if isinstance(loaded, dict) and isinstance(loaded.get("columns"), dict):
        loaded = loaded["columns"]
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise UsageError(f"mapping file {path}: expected lines of the form `表头: field_id`")
    return {str(k).strip(): v.strip() for k, v in loaded.items()}
