from __future__ import annotations

import pytest

from .repo import make_repo


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """The data repository, with the working directory at its root (as in CI)."""
    paths = make_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    return paths
