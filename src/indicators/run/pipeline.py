"""Check census files against a plan: read, evaluate, decide the exit code.

The CLI calls `check_file` for each input and `exit_code` once; renderers take the outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators.model.errors import DataError, ExitCode
from indicators.model.issues import DataIssue, Severity

if TYPE_CHECKING:  # pandas loads only when a census is read: `--help` stays fast
    from indicators.engine import Results
    from indicators.model.census import Census
    from indicators.plan.model import Plan

KEY_COLUMNS = ("district", "street", "community")

FAIL_ON = ("none", "error", "gap", "binding-gap")


@dataclass
class FileOutcome:
    path: Path
    census: Census | None = None
    results: Results | None = None
    error: DataError | None = None  # the file could not be read at all
    # Set when --roster is given: an indicators.roster.RosterComparison (coverage, findings)
    roster: Any = None
    plan: Plan | None = None  # the plan the file was read for
    notes: list[str] = field(default_factory=list)

    @property
    def data_errors(self) -> int:
        if self.error is not None:
            return 1
        return len(self.census.errors) if self.census else 0

    @property
    def ok(self) -> bool:
        return self.data_errors == 0


@dataclass(frozen=True)
class ReadOptions:
    sheets: list[str] | None = None
    mapping: dict[str, str] | None = None
    year: int | None = None
    roster: Path | None = None  # expected communities; findings join the census issues
    # Fields a file must have (validate --template: the template's); None: the plan's.
    required: frozenset[str] | None = None
    # A file of street or district sheets only is read to attach to the others (--combine).
    attachable: bool = False


def read_file(plan: Plan, path: Path, options: ReadOptions) -> FileOutcome:
    from indicators.read import read_census

    try:
        census = read_census(
            path,
            vocabulary=plan.vocabulary,
            sheets=options.sheets,
            mapping=options.mapping,
            required=set(options.required)
            if options.required is not None
            else plan.required_fields(),
            attachable=options.attachable,
        )
    except DataError as exc:
        return FileOutcome(path, error=exc, plan=plan)
    outcome = FileOutcome(path, census=census, plan=plan)
    if options.roster is not None:
        from indicators.roster import compare_roster, load_roster

        outcome.roster = compare_roster(census, load_roster(options.roster))
        census.issues.extend(outcome.roster.issues)
    return outcome


def read_as_collected(plan: Plan, path: Path, options: ReadOptions) -> FileOutcome:
    """Read one census as a city collects it, for `check` and `assess`.

    A column the plan needs but the sheet lacks does not stop a check or an assessment:
    real yearly censuses collect a subset of a plan's fields, and the subset changes from
    year to year. It is a warning, and the indicators that need it are "not computable"
    (in `assess`: "no data" that year) with that reason. (`validate` keeps it an error.)"""
    outcome = read_file(plan, path, options)
    if outcome.census is not None:
        outcome.census.issues[:] = [_soften_missing_field(i) for i in outcome.census.issues]
    return outcome


def check_file(plan: Plan, path: Path, options: ReadOptions) -> FileOutcome:
    """Read one census (`read_as_collected`) and, when it has no data errors, evaluate the
    plan on it."""
    outcome = read_as_collected(plan, path, options)
    if outcome.census is not None and not outcome.census.errors:
        from indicators.engine import evaluate

        year = options.year or outcome.census.year
        outcome.results = evaluate(plan, outcome.census, year=year)
    return outcome


# Below this much input, starting worker processes (each imports pandas: 1-2 s on a loaded
# machine) costs more than it saves: 16 returns of 1,000 communities (2.5 MB) were checked
# in 33 s reading in one process and 34 s in a pool of 2 (benchmarks/combine.py, README).
POOL_MIN_BYTES = 32 * 1024 * 1024


def read_many(
    plan: Plan,
    paths: list[Path],
    options: ReadOptions,
    jobs: int | None = None,
    on_read=None,
    as_collected: bool = True,
) -> list[FileOutcome]:
    """`read_as_collected` on each file, in the order given. Files are independent: when
    there is enough to read (POOL_MIN_BYTES) and several cores, they are read in a pool of
    processes (`jobs`, default the cores available, at most one per file). `on_read(outcome)` is called as each file is done (a progress bar).
    `as_collected=False` reads with validate's rule (a missing plan column is an error)."""
    read = read_as_collected if as_collected else read_file
    if jobs is None:
        jobs = _cores() if _total_bytes(paths) >= POOL_MIN_BYTES else 1
    jobs = min(jobs, len(paths))
    if jobs <= 1:
        return _collect((read(plan, p, options) for p in paths), on_read)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(read, plan, p, options) for p in paths]
        return _collect((f.result() for f in futures), on_read)


def _collect(outcomes, on_read) -> list[FileOutcome]:
    """The outcomes in order, telling `on_read` (a progress bar) of each as it is done."""
    out = []
    for outcome in outcomes:
        out.append(outcome)
        if on_read:
            on_read(outcome)
    return out


def _total_bytes(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def _jobs_from_env() -> int | None:
    """INDICATORS_JOBS=N: read with N processes (1: no pool), whatever the input size."""
    import os

    text = os.environ.get("INDICATORS_JOBS", "").strip()
    return max(1, int(text)) if text.isdigit() else None


def _cores() -> int:
    """Cores this process may use."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or 1


def read_combined(
    plan: Plan,
    paths: list[Path],
    options: ReadOptions,
    jobs: int | None = None,
    on_read=None,
    as_collected: bool = True,
) -> FileOutcome:
    """Several files read as one census (see indicators.read.combine): an identical file is read
    once, a file that cannot be read is a data error of the combined census, and with
    --roster completeness is per community and per street office."""
    from indicators.read.combine import combine, combined_path, identical_files, roster_keys

    duplicates = identical_files(paths)
    unique = [p for p in paths if p not in duplicates]
    each = replace(options, roster=None, attachable=True)
    outcomes = read_many(
        plan, unique, each, jobs or _jobs_from_env(), on_read, as_collected=as_collected
    )
    read = [o.census for o in outcomes if o.census is not None]
    unreadable = [
        DataIssue(
            code="file-unreadable",
            severity=Severity.ERROR,
            file=str(o.path),
            value=o.error.message,
            params={"value": o.error.said},  # worded in the report's language
        )
        for o in outcomes
        if o.error is not None
    ]
    where = combined_path(paths)
    if not read:
        return FileOutcome(where, error=outcomes[0].error, plan=plan)
    if not any(len(c.frame) for c in read):  # street or district sheets only
        from indicators.read.streets import no_communities

        return FileOutcome(where, error=no_communities([c.source.path for c in read]), plan=plan)
    roster = None
    if options.roster is not None:
        from indicators.roster import load_roster

        roster = load_roster(options.roster)
    expected = roster_keys(roster.frame) if roster is not None else None
    census = combine(read, duplicates, where, expected)
    census.issues.extend(unreadable)
    outcome = FileOutcome(census.source.path, census=census, plan=plan)
    if roster is not None:
        from indicators.read.combine import streets_not_reported
        from indicators.roster import compare_roster

        outcome.roster = compare_roster(census, roster)
        census.issues.extend(outcome.roster.issues)
        census.issues.extend(streets_not_reported(outcome.roster))
    return outcome


def check_combined(
    plan: Plan, paths: list[Path], options: ReadOptions, jobs: int | None = None, on_read=None
) -> FileOutcome:
    """`read_combined`, then the plan evaluated on the one census when it has no errors."""
    outcome = read_combined(plan, paths, options, jobs=jobs, on_read=on_read)
    if outcome.census is not None and not outcome.census.errors:
        from indicators.engine import evaluate

        year = options.year or outcome.census.year
        outcome.results = evaluate(plan, outcome.census, year=year)
    return outcome


def _soften_missing_field(issue: DataIssue) -> DataIssue:
    key = issue.params.get("field") in KEY_COLUMNS
    if issue.code == "missing-field" and issue.severity is Severity.ERROR and not key:
        return replace(issue, severity=Severity.WARNING)
    return issue


def exit_code(outcomes: list[FileOutcome], fail_on: str, strict: bool = False) -> ExitCode:
    """Data errors always exit 2. Gaps fail only when asked: a planner's run is not a failure."""
    if any(not o.ok for o in outcomes):
        return ExitCode.DATA_INVALID
    if strict and any(
        i.severity is Severity.WARNING for o in outcomes if o.census for i in o.census.issues
    ):
        return ExitCode.DATA_INVALID
    results = [o.results for o in outcomes if o.results is not None]
    if fail_on == "gap" and any(r.any_gap for r in results):
        return ExitCode.GAPS
    if fail_on == "binding-gap" and any(r.any_binding_gap for r in results):
        return ExitCode.GAPS
    return ExitCode.OK
