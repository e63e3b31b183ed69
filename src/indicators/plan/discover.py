"""Where plan files are: the plan folders, plan ids, the examples folder.

Finding a plan never loads it, so this module imports nothing else of the plan package.
"""

from __future__ import annotations

import os
from pathlib import Path

from indicators.model.errors import PlanError

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
            raise PlanError(f"{ref}: no such plan file")
        return path
    for candidate in plan_files():
        if candidate.stem == ref:
            return candidate
    known = ", ".join(p.stem for p in plan_files()) or "none found"
    raise PlanError(f"no plan with id {ref!r} (known plans: {known})")


def shown_path(path: Path) -> Path:
    """A plan file's path relative to the working folder when it is inside it (for lint)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
