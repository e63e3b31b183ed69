"""Progress on stderr while a long step runs (reading a big census, writing a gap workbook).

Only a person at a terminal sees it: when stderr is a pipe or a file (CI logs, `2> log`)
nothing is printed, so no spinner frame or elapsed time ever lands in captured output.
The text comes from the message catalogue like every other label.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from indicators.cli.common import err_console


@contextmanager
def working(text: str, *, show: bool = True, console: Console | None = None) -> Iterator[None]:
    """A spinner with `text` and the seconds elapsed, removed when the step ends."""
    console = console or err_console
    if not show or not console.is_terminal:
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn("dots"), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        bar.add_task(text, total=None)
        yield
