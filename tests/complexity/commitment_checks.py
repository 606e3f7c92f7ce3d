"""Shared test helper: a solver's answer against an adversary is explained by its commitment."""

from __future__ import annotations

import numpy as np

from complexity._adversary import check_commitment
from constructions.sperner import boundary_violations, panchromatic_cells


def assert_commitment_explains(adv, orc, res):
    """The adversary answered every oracle query, its commitment passes ``check_commitment``, and,
    re-checked independently, the commitment is proper, consistent with every answer given, and
    has the solver's cell among its solutions. Returns the committed colouring."""
    assert orc.counter.n_queries == adv.n_queries
    committed = adv.commit()
    chk = check_commitment(adv, committed, cells=[res.cell])
    assert chk.valid, chk.message
    assert not boundary_violations(committed)
    V = np.array([v for v, _ in adv.transcript])
    assert np.array_equal(committed(V), np.array([s for _, s in adv.transcript]))
    assert res.cell in {tuple(c) for c in panchromatic_cells(committed).tolist()}
    return committed
