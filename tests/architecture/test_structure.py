"""The shape docs/architecture.md promises: a top level that is a map, no import cycle, small
modules. (Which package may import which is the `layers` contract, run by lint-imports.)"""

from __future__ import annotations

from pathlib import Path

import grimp

import indicators

PACKAGE = Path(indicators.__file__).parent
MAX_LINES = 400
TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "files.py", "compat.py"}


def test_top_level_holds_packages_and_the_two_shared_modules():
    loose = {p.name for p in PACKAGE.glob("*.py")}
    assert loose == TOP_LEVEL_MODULES, "a new module belongs in one of the packages"
    documented = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        assert f"\n{package}/" in documented, f"{package}/ is not described in the architecture"


def test_no_import_cycle():
    graph = grimp.build_graph("indicators", exclude_type_checking_imports=True)
    cycles = sorted(
        (a, b)
        for a in graph.modules
        for b in graph.find_modules_directly_imported_by(a)
        if graph.chain_exists(importer=b, imported=a)
    )
    assert cycles == []


def test_no_module_over_400_lines():
    sizes = {
        str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
