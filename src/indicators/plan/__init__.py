"""Plan files: find, load and validate them."""

from __future__ import annotations

import os
from pathlib import Path

from indicators.model.errors import PlanError
from indicators.plan.load import load_plan_file, load_plan_text
from indicators.plan.model import Exclusion, Indicator, Plan, Target

__all__ = [
    "Exclusion",
    "Indicator",
    "Plan",
    "Target",
    "find_plan_file",
    "load_plan",
    "load_plan_file",
    "load_plan_text",
    "plan_dirs",
    "plan_files",
]


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
        for path in sorted([*d.glob("*.yaml"), *d.glob("examples/*.yaml")]):
            found.setdefault(path.stem, path)
    return list(found.values())


def find_plan_file(ref: str) -> Path:
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


def load_plan(ref: str) -> Plan:
    """Load a plan by id (a file in targets/) or by path."""
    return load_plan_file(find_plan_file(ref))
