from __future__ import annotations

from pathlib import Path

import pytest

from .census_files import HEADER, ROWS, write_xlsx


@pytest.fixture
def clean_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "clean.xlsx", [HEADER, *ROWS])
