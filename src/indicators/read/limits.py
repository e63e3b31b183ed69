"""Resource limits for reading a census, each overridable by an environment variable.

| limit                        | default | variable                          |
| ---------------------------- | ------- | --------------------------------- |
| file size                    | 512 MB  | INDICATORS_MAX_FILE_MB            |
| uncompressed size (zip)      | 1024 MB | INDICATORS_MAX_UNCOMPRESSED_MB    |
| compression ratio per member | 200     | INDICATORS_MAX_COMPRESSION_RATIO  |
| columns per sheet            | 1000    | INDICATORS_MAX_COLUMNS            |
| characters in one CSV cell   | 100000  | INDICATORS_MAX_CELL_CHARS         |
| cells a sheet spans          | 50 M    | INDICATORS_MAX_CELLS              |
| rows (parquet)               | 2 M     | INDICATORS_MAX_ROWS               |

An .xlsx/.xlsm/.ods is a zip archive. Before any parser sees it, the declared sizes in the zip
directory are checked against the uncompressed limit and the ratio limit (a member of less than
1 MB is never refused for its ratio), and every member is then inflated once as a stream with a
byte budget: a member that inflates to more than it declared fails its size check there, so a
lying directory cannot get a bomb past the guard. Memory stays bounded by the uncompressed limit
plus the parsed cells (about 100 bytes per non-empty cell).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from indicators.model.errors import DataError, Said, Text, said

MB = 1024 * 1024
LARGEST = 1e12  # any limit above this is no limit at all, and still a finite, exact number
RATIO_FLOOR_BYTES = MB  # members smaller than this are never refused for their ratio


@dataclass(frozen=True)
class Limit:
    name: str
    env: str
    default: float
    unit: str
    key: str  # read.limit.<key>, read.unit.<key>, read.amount.<key> in the catalogue

    @property
    def value(self) -> float:
        raw = os.environ.get(self.env)
        if raw is None or not raw.strip():
            return self.default
        try:
            value = float(raw)
        except ValueError as exc:
            raise DataError(said("read.limit_not_number", env=self.env, raw=repr(raw))) from exc
        # nan compared false with every size, which turned the limit off; 1e30 overflowed
        # the int() of a byte budget (exit 70)
        if not 0 < value <= LARGEST:
            raise DataError(
                said("read.limit_range", env=self.env, raw=repr(raw), largest=f"{LARGEST:g}"),
                hint=said(
                    "read.hint.unset_limit", default=_shown(self.default), unit=self._word("unit")
                ),
            )
        return value

    def _word(self, kind: str) -> Said:
        """The limit's name, unit or amount placeholder in the catalogue (read.yaml)."""
        return said(f"read.{kind}.{self.key}")

    def refuse(self, path: Path, found: Text) -> DataError:
        what = said(
            "read.over_limit",
            found=found,
            limit=self._word("limit"),
            value=_shown(self.value),
            unit=self._word("unit"),
        )
        return DataError(
            said("read.in_file", file=path.name, what=what),
            hint=said("read.hint.raise_limit", env=self.env, amount=self._word("amount")),
        )


def _shown(value: float) -> str:
    """50000000, not 5e+07: the figure a user compares with the file and may paste."""
    return f"{value:.0f}" if value == int(value) else f"{value:g}"


MAX_FILE_MB = Limit("file size", "INDICATORS_MAX_FILE_MB", 512, "MB", "file_mb")
MAX_UNCOMPRESSED_MB = Limit(
    "uncompressed size", "INDICATORS_MAX_UNCOMPRESSED_MB", 1024, "MB", "uncompressed_mb"
)
MAX_COMPRESSION_RATIO = Limit(
    "compression ratio", "INDICATORS_MAX_COMPRESSION_RATIO", 200, "to 1", "compression_ratio"
)
MAX_COLUMNS = Limit("columns per sheet", "INDICATORS_MAX_COLUMNS", 1000, "columns", "columns")
MAX_CELL_CHARS = Limit(
    "characters per cell", "INDICATORS_MAX_CELL_CHARS", 100_000, "characters", "cell_chars"
)
# The rectangle a sheet's cells span (rows x columns), checked before the spreadsheet library
# allocates it densely; 600,000 communities x 50 columns is 30 million.
MAX_CELLS = Limit("cells per sheet", "INDICATORS_MAX_CELLS", 50_000_000, "cells", "cells")
MAX_ROWS = Limit("rows", "INDICATORS_MAX_ROWS", 2_000_000, "rows", "rows")

ALL_LIMITS = (
    MAX_FILE_MB,
    MAX_UNCOMPRESSED_MB,
    MAX_COMPRESSION_RATIO,
    MAX_COLUMNS,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_ROWS,
)


def check_file_size(path: Path, size: int) -> None:
    if size > MAX_FILE_MB.value * MB:
        raise MAX_FILE_MB.refuse(path, said("read.found.file_size", mb=f"{size / MB:.0f}"))


def check_zip_directory(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose directory declares too much data or a bomb-like ratio."""
    budget = MAX_UNCOMPRESSED_MB.value * MB
    ratio_limit = MAX_COMPRESSION_RATIO.value
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > budget:
            raise MAX_UNCOMPRESSED_MB.refuse(
                path, said("read.found.declares", mb=f"{total / MB:.0f}")
            )
        if info.file_size >= RATIO_FLOOR_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > ratio_limit:
                raise MAX_COMPRESSION_RATIO.refuse(
                    path,
                    said("read.found.member_ratio", member=info.filename, ratio=f"{ratio:.0f}"),
                )
