"""Every finding code the readers can emit is listed in the README with its severity."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]
MESSAGES = PROJECT / "src" / "indicators" / "data" / "messages"


def readme_codes() -> dict[str, str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Gating submissions in CI", 1)[1]
    return dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \|", section, re.M))


def catalogue_codes(*names: str) -> set[str]:
    codes = set()
    for name in names:
        data = yaml.safe_load((MESSAGES / name).read_text(encoding="utf-8"))
        codes |= {k.removeprefix("issue.") for k in data if k.startswith("issue.")}
    return codes


def test_every_issue_code_is_in_the_readme():
    listed = readme_codes()
    expected = catalogue_codes("issues.yaml", "ci.yaml")
    if (MESSAGES / "roster.yaml").exists():
        expected |= catalogue_codes("roster.yaml")
    assert sorted(expected - set(listed)) == []


def test_codes_in_the_reader_have_messages():
    """A code written in src/indicators/read/ must have a message (and so a README row)."""
    source = "\n".join(p.read_text("utf-8") for p in (PROJECT / "src/indicators/read").glob("*.py"))
    used = set(re.findall(r'(?:add\(\s*|Problem\([^,]+,\s*|, )"([a-z]+(?:-[a-z]+)+)"', source))
    used -= {"no-header", "district-name", "name-only"}  # reasons and pairing modes, not codes
    assert used, "the pattern no longer finds the reader's codes"
    assert sorted(used - set(readme_codes())) == []
