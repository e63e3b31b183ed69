"""Where plan files are: the plan folders, plan ids, the examples folder.

Finding a plan never loads it, so this module imports nothing else of the plan package.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from indicators.model.errors import PlanError, said

EXAMPLES = "examples"  # a plan folder's sub-folder of worked, hypothetical plans


def plan_dirs() -> list[Path]:
    """Where plan ids are looked up: $INDICATORS_TARGETS, ./targets, the project's targets/."""
    dirs: list[Path] = []
    env = os.environ.get("INDICATORS_TARGETS")
    if env:
        dirs += [Path(d) for d in env.split(os.pathsep) if d]
    dirs.append(Path.cwd() / "targets")
    dirs.append(Path(__file__).resolve().parents[3] / "targets")
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def plan_files() -> list[Path]:
    """Every plan file in the plan folders (examples included), first folder wins per id."""
    found: dict[str, Path] = {}
    for d in plan_dirs():
        for path in sorted([*d.glob("*.yaml"), *d.glob(f"{EXAMPLES}/*.yaml")]):
            found.setdefault(path.stem, path)
    return list(found.values())


def find_plan_file(ref: str) -> Path:
    """A plan file by path, or by id (its file name without .yaml) in the plan folders."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise PlanError(said("plan.no_such_file", path=ref))
        return path
    for candidate in plan_files():
        if candidate.stem == ref:
            return candidate
    ids = [p.stem for p in plan_files()]
    known = ", ".join(ids) if ids else said("plan.none_found")
    close = difflib.get_close_matches(ref, ids, n=1)
    hint = said("plan.did_you_mean", id=close[0]) if close else said("plan.list_them")
    raise PlanError(said("plan.no_such_id", id=repr(ref), known=known), hint=hint)


def shown_path(path: Path) -> Path:
    """A plan file's path relative to the working folder when it is inside it (for lint)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
