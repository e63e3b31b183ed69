"""Column-mapping overrides: `--map "实有户数=households"` and mapping files (YAML or CSV)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from indicators.model.errors import Text, UsageError, said
from indicators.model.fields import Vocabulary
from indicators.read.csvfile import decode_text

MAX_MAPPING_BYTES = 1024 * 1024


def parse_map_options(items: list[str] | None) -> dict[str, str]:
    """["实有户数=households", ...] -> {"实有户数": "households"}; "表头=-" ignores a column."""
    out: dict[str, str] = {}
    for item in items or ():
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise UsageError(said("read.map_item", item=item))
        out[header.strip()] = field.strip()
    return out


def load_mapping_file(path: Path) -> dict[str, str]:
    """A YAML mapping (`header: field`) or a two-column CSV (header,field) -> dict."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:  # a layout is a few hundred lines
            raise _bad_file(path, said("read.mapping.too_large", kb=MAX_MAPPING_BYTES // 1024))
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _bad_file(path, said("read.cannot_read", reason=reason)) from exc
    text, _ = decode_text(path, data)
    if path.suffix.lower() in (".csv", ".tsv"):
        # a .tsv (Excel's "Unicode text", WPS's 制表符分隔) is split at tabs, not commas
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            # each row with the line it is on in the file (blank lines and a title skipped)
            rows = [(reader.line_num, r) for r in reader if r and any(c.strip() for c in r)]
        except csv.Error as exc:
            what = said("read.mapping.bad_line_reason", line=reader.line_num, reason=str(exc))
            raise _bad_file(path, what) from exc
        if rows and [c.strip().lower() for c in rows[0][1][:2]] == ["header", "field"]:
            rows = rows[1:]
        bad = [line for line, r in rows if len(r) < 2 or not r[0].strip()]
        if bad:
            raise _bad_file(path, said("read.mapping.bad_line", line=bad[0]))
        return {r[0].strip(): r[1].strip() for _, r in rows}
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _bad_file(path, said("read.mapping.yaml", reason=str(exc))) from exc
    except RecursionError as exc:  # [[[[… thousands deep: not a mapping a person wrote
        raise _bad_file(path, said("read.mapping.deep")) from exc
    if isinstance(loaded, dict) and isinstance(loaded.get("columns"), dict):
        loaded = loaded["columns"]
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise _bad_file(path, said("read.mapping.shape"))
    return {str(k).strip(): v.strip() for k, v in loaded.items()}


def _bad_file(path: Path, what: Text) -> UsageError:
    return UsageError(said("read.mapping_file", path=str(path), what=what))


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
                said("read.map_unknown", header=header, name=name),
                hint=said("read.hint.closest_fields", fields=_closest_fields(name, vocabulary)),
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
