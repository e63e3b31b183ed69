"""Column-mapping overrides: `--map "实有户数=households"` and mapping files (YAML or CSV)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from indicators.model.errors import UsageError
from indicators.model.fields import Vocabulary
from indicators.read.csvfile import decode_text

MAX_MAPPING_BYTES = 1024 * 1024


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
        if path.stat().st_size > MAX_MAPPING_BYTES:  # a layout is a few hundred lines
            raise UsageError(
                f"mapping file {path}: larger than {MAX_MAPPING_BYTES // 1024} KB; "
                "a mapping has one short line per column"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"mapping file {path}: cannot be read ({exc.strerror or exc})") from exc
    text, _ = decode_text(path, data)
    if path.suffix.lower() in (".csv", ".tsv"):
        reader = csv.reader(io.StringIO(text))
        try:
            rows = [r for r in reader if r and any(c.strip() for c in r)]
        except csv.Error as exc:
            raise UsageError(
                f"mapping file {path}: line {reader.line_num} is not `header,field` ({exc})"
            ) from exc
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
    except RecursionError as exc:  # [[[[… thousands deep: not a mapping a person wrote
        raise UsageError(f"mapping file {path}: nested too deeply to be a column mapping") from exc
    if isinstance(loaded, dict) and isinstance(loaded.get("columns"), dict):
        loaded = loaded["columns"]
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise UsageError(f"mapping file {path}: expected lines of the form `表头: field_id`")
    return {str(k).strip(): v.strip() for k, v in loaded.items()}


def resolve_mapping(mapping: dict[str, str] | None, vocabulary: Vocabulary) -> dict[str, str]:
    """Field names in a mapping -> field ids: "常住人口" and "population" both name population;
    "-" ignores the column. An unknown name is a usage error listing the closest fields."""
    out: dict[str, str] = {}
    for header, name in (mapping or {}).items():
        if name == "-":
            out[header] = name
            continue
        fid = vocabulary.resolve(name)
        if fid is None:
            raise UsageError(
                f"--map {header}={name}: 没有名为「{name}」的字段 (no field named {name!r})",
                hint="最接近的字段 closest fields: " + _closest_fields(name, vocabulary),
            )
        out[header] = fid
    return out


def _closest_fields(name: str, vocabulary: Vocabulary) -> str:
    import difflib

    from indicators.read.matching import FieldIndex, closest

    ranked = closest(FieldIndex(vocabulary), name)
    labels = {f.name_zh: f.id for f in vocabulary.fields.values()}
    labels.update({f.id: f.id for f in vocabulary.fields.values()})
    ranked += [labels[m] for m in difflib.get_close_matches(name, list(labels), n=3, cutoff=0.3)]
    picked = list(dict.fromkeys(ranked))[:3] or list(vocabulary.fields)[:3]
    return "; ".join(f"{vocabulary[f].name_zh} ({f})" for f in picked)


def map_line(header: str, field_name: str) -> str:
    """A ready-to-paste option: --map "常住人口（万人）=常住人口"."""
    return f'--map "{header.replace(chr(34), chr(39))}={field_name}"'


def write_mapping(censuses: list) -> str:
    """The mapping censuses were read with, as YAML that --mapping reads back: every used
    column by its header as written, and unused columns as "-"."""
    lines = ["# Column mapping written by `indicators inspect --save-mapping` from:"]
    lines += [f"#   {c.source.path.name} (SHA-256 {c.source.sha256[:16]}…)" for c in censuses]
    lines += [
        "# Reuse it with --mapping FILE; one line per header: field id, or - to ignore.",
        "columns:",
    ]
    seen: dict[str, str] = {}
    for c in (column for census in censuses for column in census.columns):
        value = c.field or "-"
        if seen.get(c.header, value) != value:
            continue  # the same header means two things in two sheets: keep the first
        seen[c.header] = value
    for header, value in seen.items():
        lines.append(f"  {_yaml_string(header)}: {_yaml_string(value)}")
    return "\n".join(lines) + "\n"


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: any header text survives the round trip."""
    import json

    return json.dumps(text, ensure_ascii=False)
