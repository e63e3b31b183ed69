"""Reading ahead on a thread (read/ahead.py) changes when a file is parsed, never what is read.

`check` starts the first stage of reading its first file while it imports pandas and loads the
plan. Whatever that thread finds (the cells, a refusal, a sheet left to compact) must be what a
read at that moment finds, and a file changed in between is read again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from indicators.model.errors import DataError
from indicators.read import ahead

from .census_files import HEADER, ROWS, read, write_xlsx

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.issues == b.issues
    assert a.source.sha256 == b.source.sha256


@pytest.mark.parametrize(
    "name", ["hengshui-2021-2025.xlsx", "nantong-2011-2015.xlsx", "yantai-2020.xlsx"]
)
def test_a_census_read_ahead_is_the_census_read_at_once(name: str) -> None:
    path = SAMPLES / name
    at_once = read(path)
    ahead.start(path)
    _same(read(path), at_once)


def test_the_thread_is_used(monkeypatch, clean_xlsx: Path) -> None:
    """The read does not parse the workbook again when the thread has done it."""
    from indicators.read import fetch

    ahead.start(clean_xlsx)
    job = ahead._slot[ahead._key(clean_xlsx)]
    assert job.fetched.is_set()  # start() returns once the zip scan is done (it holds the GIL)
    job.done.wait(30)
    monkeypatch.setattr(fetch.pc.CalamineWorkbook, "from_filelike", _never)
    census = read(clean_xlsx)
    assert census.frame["community"].tolist() == ["甲社区", "乙社区", "丙村"]


def _never(*args, **kwargs):
    raise AssertionError("parsed again")


def test_a_file_changed_after_the_start_is_read_again(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, *ROWS])
    ahead.start(path)
    ahead._slot[ahead._key(path)].done.wait(30)
    write_xlsx(path, [HEADER, *ROWS[:2]])
    os.utime(path, ns=(1, 1))  # even where the clock is coarse, the stamp differs
    assert read(path).frame["community"].tolist() == ["甲社区", "乙社区"]


def test_another_file_asked_for_drops_the_work_ahead(tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "a.xlsx", [HEADER, *ROWS])
    second = write_xlsx(tmp_path / "b.xlsx", [HEADER, *ROWS[:1]])
    ahead.start(first)
    assert read(second).frame["community"].tolist() == ["甲社区"]
    assert ahead.take(first) is None  # nothing kept for later
    assert len(read(first).frame) == 3


def _errors(path: Path) -> tuple[str, str]:
    with pytest.raises(DataError) as at_once:
        read(path)
    ahead.start(path)
    with pytest.raises(DataError) as late:
        read(path)
    return str(at_once.value), str(late.value)


def test_a_refusal_found_ahead_is_the_refusal_found_at_once(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, *ROWS]).read_bytes()
    broken.write_bytes(good[: len(good) // 2])
    first, second = _errors(broken)
    assert first == second and "broken.xlsx" in first


def test_an_unreadable_second_sheet_is_refused_after_the_first_is_read(tmp_path: Path) -> None:
    """A sheet calamine cannot read stops the read where a sheet-by-sheet read stops."""
    path = write_xlsx(tmp_path / "two.xlsx", [HEADER, *ROWS])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    book = parts["xl/workbook.xml"].decode()
    book = book.replace("</sheets>", '<sheet name="坏表" sheetId="9" r:id="rId9"/></sheets>')
    parts["xl/workbook.xml"] = book.encode()
    rels = (
        parts["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/missing.xml"/></Relationships>',
        )
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    first, second = _errors(path)
    assert first == second


def test_the_thread_imports_nothing_and_not_pandas(clean_xlsx: Path) -> None:
    """The thread overlaps the import of pandas only if it does not import pandas itself;
    and a thread that imports nothing (but a codec zipfile asks for) never waits on the
    import lock of a module the main thread is importing."""
    probe = (
        "import sys; from pathlib import Path; from indicators.read import ahead; "
        "before = set(sys.modules); "
        f"ahead.start(Path({str(clean_xlsx)!r})); "
        "job = next(iter(ahead._slot.values())); job.done.wait(60); "
        "assert job.error is None and job.result.cells.sheets, job.error; "
        "new = {m for m in set(sys.modules) - before if not m.startswith('encodings.')}; "
        "print(sorted(new), 'pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] False"
