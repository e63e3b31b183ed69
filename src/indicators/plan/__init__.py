"""Plan files: find (discover), load and validate (load), check (lint), print (dump)."""

from __future__ import annotations

from indicators.plan.discover import find_plan_file, plan_dirs, plan_files
from indicators.plan.load import load_plan, load_plan_file, load_plan_text
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
