"""The W3C SPARQL 1.0 / 1.1 suites through the live endpoint (issue 14): every test the
in-process pyoxigraph baseline passes must pass through `/sparql` too.

The suites live beside the project (`../shared/w3c-rdf-tests`, never copied into it); set
`KG_SHARED_DIR` to read them from elsewhere. Without them this test fails: CI always has them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.conformance import NA, PASSED, differences, run, table

pytestmark = pytest.mark.e2e
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KG_SHARED_DIR", str(PROJECT_ROOT.parent / "shared")))


def test_every_suite_test_the_baseline_passes_passes_over_http() -> None:
    suites = SHARED / "w3c-rdf-tests" / "sparql"
    assert (suites / "sparql11").is_dir(), (
        f"the W3C SPARQL test suites are not at {suites}; put shared/ beside the project "
        "or set KG_SHARED_DIR"
    )
    outcomes = run(suites)
    print(table(outcomes))
    gaps = differences(outcomes)
    assert not gaps, "\n".join(f"{o.case.folder}: {o.case.name}: {o.http_note}" for o in gaps)
    local = [o.local for o in outcomes]
    http = [o.http for o in outcomes]
    # the run really ran: the suites hold over a thousand tests, most of which apply
    assert local.count(PASSED) > 800
    assert http.count(PASSED) >= local.count(PASSED)
    assert http.count(NA) == local.count(NA)
