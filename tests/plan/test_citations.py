"""Every citation quotes its source document word for word (when the seeds are beside us)."""

from __future__ import annotations

import pytest
from tests.plan.seedtext import PLANS, not_in_source


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_quote_is_in_the_source_text(path):
    missing = not_in_source(path, lambda ind: ind.cite.quote)
    assert not missing, "quotes not found word for word:\n" + "\n".join(missing)
