"""Reading a census ahead, on a thread, while the command is still starting.

`check` spends about 0.7 s importing pandas and loading the plan before it reads a byte, and
a 20,000-community workbook then takes calamine about as long to parse. The first stage of a
read (read/fetch.py: the bytes, the limits, the zip guards, calamine's cells) does not need
pandas, and calamine (like zlib and numpy in the zip scan) releases the GIL while it works,
so `start` runs that stage on a thread (every module it uses is imported before it starts)
and `read_census` collects it with `take`. On one core nothing is gained and nothing is
lost; the result is the same either way (tests/read/test_ahead.py).

`start` returns once the thread has read the bytes and scanned the zip: the scan holds the
GIL much of the time, and the imports that follow, run beside it, slowed both to half speed
(on a slow network drive the imports now wait for the bytes too, at most their own 0.5 s).

One file is read ahead at a time. What `take` returns is what a read at that moment would
find: if the file changed since (size or modification time), or another file is asked for,
the work ahead is dropped and the file is read again.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from indicators.read.fetch import WORKBOOKS, Fetched, dense, fetch, load_cells
from indicators.read.zipscan import SheetMarks


class _NotAhead(Exception):
    """A sheet that must be read compacted: left to the main thread (sparse.py)."""


class _DenseOnly:
    """The thread's way with a sheet too big or mostly empty: leave the sheets to the main
    thread, which reads such a sheet compacted (workbook.Compacting)."""

    def layout(self, path: Path, data: bytes, sheet: str, marks: SheetMarks) -> None:
        if not dense(marks):
            raise _NotAhead(sheet)

    def open(self, data: bytes, sheet: str, marks: SheetMarks, layout: object):
        raise AssertionError("never called: layout() returns None or raises")


class _Job:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen = _stamp(path)
        self.fetched = threading.Event()  # the bytes, the guards and the zip scan are done
        self.done = threading.Event()
        self.result: Fetched | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            try:
                fetched = fetch(self.path)
            finally:
                self.fetched.set()
            if fetched.kind in WORKBOOKS:
                cells = load_cells(self.path, fetched.data, fetched.marks, _DenseOnly())
                fetched.cells = None if isinstance(cells.failed, _NotAhead) else cells
            self.result = fetched
        except BaseException as exc:  # raised again by take(), in the reading thread
            self.error = exc
        finally:
            self.done.set()


_slot: dict[str, _Job] = {}  # at most one: the file being read ahead, by its real path


def start(path: Path) -> None:
    """Begin the first stage of reading `path` on a thread (a regular file only)."""
    _slot.clear()
    if _stamp(path) is None:
        return
    job = _Job(path)
    _slot[_key(path)] = job
    threading.Thread(target=job.run, name="indicators-read-ahead", daemon=True).start()
    # The zip scan holds the GIL much of the time, as the imports that follow do: run side by
    # side, each went at half speed (the scan of the 20k workbook took 0.49 s instead of
    # 0.13). calamine's parse holds it little, so the imports wait for the scan and then run
    # beside the parse.
    _wait(job.fetched)


def take(path: Path) -> Fetched | None:
    """The first stage of reading `path` if it was started ahead and the file is as it was
    then; its error, if it failed; else None (read it now)."""
    job = _slot.pop(_key(path), None)
    _slot.clear()
    if job is None:
        return None
    _wait(job.done)
    if job.seen is None or _stamp(path) != job.seen:
        return None
    if job.error is not None:
        raise job.error
    return job.result


def _wait(event: threading.Event) -> None:
    while not event.wait(0.1):  # a bare wait would not see Ctrl-C on Windows
        pass


def _key(path: Path) -> str:
    return os.path.realpath(path)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)
