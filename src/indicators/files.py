"""Writing reports safely: no formula injection, no half-written files, never over an input.

- `neutralise(text)`: a text cell that a spreadsheet would run as a formula (it starts with
  = + - @, a tab or a carriage return) gets a leading single quote, for CSV. Real numbers are
  never passed here, so negative numbers stay numeric.
- `atomic_path(path)`: yields a temporary file in the destination folder; on success it
  replaces `path` in one step (os.replace), on any error or Ctrl-C it is removed.
- `check_outputs(paths, inputs)`: refuses an output that is an input file, a folder, a
  missing folder or a duplicate, before anything is computed or written.
- `run_time()`: the moment a report states it was made; SOURCE_DATE_EPOCH wins when set, so
  two runs on the same input write the same bytes (reproducible builds).

The overwrite policy, the same for every command that writes (README "Output files"): an
output replaces a previous file of that name, in one step, the way a regenerated report is
expected to; a file the command reads (census, roster, mapping, plan) is never replaced, by
whatever path it is reached (`..`, a symbolic or a hard link).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import secrets
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from indicators.model.errors import OutputError
from indicators.model.i18n import t

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """'=HYPERLINK(...)' -> "'=HYPERLINK(...)"; ordinary text unchanged."""
    return "'" + text if is_formula_like(text) else text


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_outputs(
    paths: list[Path], inputs: list[Path], lang: str = "zh", others: Iterable[Path | None] = ()
) -> None:
    """Raise OutputError for an output path that must not or cannot be written. `inputs`
    are census files; `others` the other files the command reads (roster, mapping, plan)."""
    seen: list[Path] = []
    read = [Path(o) for o in others if o is not None and Path(o).is_file()]
    for path in paths:
        for source in inputs:
            if _same_file(path, Path(source)):
                raise OutputError(t("output.would_overwrite_input", lang, path=path))
        for source in read:
            if _same_file(path, source):
                raise OutputError(t("output.would_overwrite_read", lang, path=path))
        if path.is_dir():
            raise OutputError(t("output.is_folder", lang, path=path))
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise OutputError(t("output.no_folder", lang, path=path, folder=folder))
        if any(_same_file(path, other) for other in seen):
            raise OutputError(t("output.duplicate", lang, path=path))
        seen.append(path)


def _explain(path: Path, exc: OSError, lang: str) -> OutputError:
    folder = path.parent if str(path.parent) else Path(".")
    if isinstance(exc, FileNotFoundError) and not folder.is_dir():
        return OutputError(t("output.no_folder", lang, path=path, folder=folder))
    if isinstance(exc, IsADirectoryError):
        return OutputError(t("output.is_folder", lang, path=path))
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        # On Windows a file open in Excel refuses replacement with a permission error.
        if path.exists():
            return OutputError(t("output.locked", lang, path=path))
        return OutputError(t("output.no_permission", lang, path=path))
    return OutputError(t("output.failed", lang, path=path, error=exc.strerror or exc))


@contextlib.contextmanager
def atomic_path(path: Path, lang: str = "zh") -> Iterator[Path]:
    """A temporary path next to `path`; it becomes `path` only if the block completes."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        with scratch_file(folder, f".{path.name}.", ".tmp") as tmp:
            yield tmp
            _keep_mode(path, tmp)
            _sync(tmp)
            os.replace(tmp, path)
            _sync_folder(folder)
    except OSError as exc:
        raise _explain(path, exc, lang) from exc


# a new file, never an existing one; binary and not inherited on Windows, as mkstemp opens it
_NEW_FILE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOINHERIT", 0)
)


@contextlib.contextmanager
def scratch_file(folder: Path, prefix: str, suffix: str) -> Iterator[Path]:
    """A new empty file in `folder` (mode 0600), removed when the block ends however it
    ends (an error, Ctrl-C, SIGTERM) unless the block renamed it away.

    The name is chosen first and the file created inside the `try` that removes it: with
    mkstemp the file existed before that `try` began, and a signal landing in between (the
    SIGTERM handler raises) left it behind. A creation that fails removes nothing: the name
    may be another process's file."""
    tmp = Path(folder) / f"{prefix}{secrets.token_hex(6)}{suffix}"
    not_created = False
    try:
        try:
            fd = os.open(tmp, _NEW_FILE, 0o600)
        except OSError:
            not_created = True
            raise
        os.close(fd)
        yield tmp
    finally:
        if not not_created:
            with contextlib.suppress(OSError):  # never hide the error that ended the block
                tmp.unlink(missing_ok=True)


def _sync(tmp: Path) -> None:
    """The bytes are on disk before the name points at them: after a power cut the report
    is the old one or the new one, never an empty file under the new name. (Opened for
    writing: on Windows fsync refuses a read-only descriptor.)"""
    fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk (POSIX; Windows cannot open a folder and needs nothing)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a folder: the rename is done anyway
        pass
    finally:
        os.close(fd)


def _keep_mode(path: Path, tmp: Path) -> None:
    """mkstemp creates 0600; give the report the mode a normal new file would get."""
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except OSError:
        pass


def _undo_surrogateescape(exc: UnicodeError) -> tuple[bytes, int]:
    """A file name that is not valid UTF-8 (GBK bytes from a Windows zip) reaches Python as
    lone surrogates; in a UTF-8 report they are read as the GBK they almost always are.
    (Bytes, not text: the UTF-8 encoder takes only ASCII text from an error handler.)"""
    if not isinstance(exc, UnicodeEncodeError) or "utf" not in exc.encoding:
        raise exc
    raw = exc.object[exc.start : exc.end].encode("utf-8", "surrogateescape")
    return raw.decode("gb18030", "replace").encode("utf-8"), exc.end


GBK_NAMES = "indicators.gbk-names"
codecs.register_error(GBK_NAMES, _undo_surrogateescape)


def readable(text: str) -> str:
    """`text` with the bytes of a non-UTF-8 file name read as GBK, for writers that encode
    strictly (xlsxwriter)."""
    return text.encode("utf-8", GBK_NAMES).decode("utf-8")


def write_text_atomic(path: Path, text: str, lang: str = "zh", *, bom: bool = False) -> None:
    encoding = "utf-8-sig" if bom else "utf-8"
    with (
        atomic_path(path, lang) as tmp,
        open(tmp, "w", encoding=encoding, errors=GBK_NAMES, newline="") as fh,
    ):
        fh.write(text)


SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def run_time() -> datetime:
    """Now, in the local zone; or SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set
    to a whole number, so reports of the same input are byte-identical."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (OverflowError, OSError, ValueError):  # past year 9999: not a date to print
            pass
    return datetime.now().astimezone()
