"""Issue 8, faults, the short version of `python -m bench.faults`: the small record set, a few
SIGKILLed ingests (at random points, then aimed inside the store write), every store error case,
reads during an ingest and one server restart."""

import pytest

from bench.fault_aimed import aimed_trials
from bench.fault_errors import store_errors
from bench.fault_live import reads_during_ingest, restarts
from bench.fault_store import Workspace, kill_trials, prepare
from bench.faults import SMALL, aimed_summary, kill_summary

pytestmark = pytest.mark.e2e
SEED = 8
TRIALS = 5
AIMED = 3  # one per phase: staging appears, 0-300 ms after, renamed snapshot appears


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return prepare(tmp_path_factory.mktemp("faults"), seed=SEED, only=SMALL)


def test_killed_ingest_leaves_previous_or_new_graph_and_next_ingest_succeeds(
    ws: Workspace,
) -> None:
    summary = kill_summary(kill_trials(ws, trials=TRIALS, seed=SEED))
    runs = summary["runs"]
    assert summary["records_lost"] == 0, runs
    assert summary["failed_next_ingests"] == 0, runs
    assert summary["served_mixed"] == 0, runs
    assert summary["locks_left"] == 0, runs
    assert all(0 <= d <= ws.ingest_secs for d in summary["kill_delays_s"])


def test_kills_inside_the_write_leave_previous_or_new_graph_and_no_stale_staging(
    ws: Workspace,
) -> None:
    summary = aimed_summary(aimed_trials(ws, trials=AIMED, seed=SEED))
    runs = summary["runs"]
    assert summary["records_lost"] == 0, runs
    assert summary["failed_next_ingests"] == 0, runs
    assert summary["served_mixed"] == 0, runs
    assert summary["served_not_as_landed"] == 0, runs  # previous graph unless CURRENT switched
    assert summary["locks_left"] == 0, runs
    assert summary["stale_left_after_next_ingest"] == 0, runs
    # the kills really land inside the write: the staging one always, the last one after it
    assert summary["landed_by_phase"]["staging"] == {"staging present": 1}, runs
    assert runs[2]["landed"] in ("final folder present", "CURRENT switched"), runs


def test_unwritable_store_gives_one_line_error(ws: Workspace) -> None:
    cases, mounts = store_errors(ws, ws.root / "errors")
    assert len(cases) == (6 if mounts else 2)
    for case in cases:
        assert not case.traceback, case
        assert case.ok, case
        if case.expect == "error":
            assert case.exit_code == 1
            assert case.message.startswith("error: cannot") or "No space left" in case.message


def test_reads_continue_during_ingest_and_switch_to_new_graph(ws: Workspace) -> None:
    result = reads_during_ingest(ws, ws.root / "reads")
    assert result.ingest_ok
    assert sum(result.failed.values()) == 0, result.as_dict()
    assert all(result.requests[name] > 0 for name in ("healthz", "search", "sparql count"))
    assert len(result.versions_seen) >= 2
    assert result.quads_before == ws.expected_before.quads
    assert result.quads_after == ws.expected_after.quads
    assert result.switched


def test_server_restarts_after_sigkill_without_orphan_workers(ws: Workspace) -> None:
    rounds, intact = restarts(ws, ws.root / "restarts", rounds=1)
    assert [r.healthy for r in rounds] == [True]
    assert rounds[0].workers >= 1
    assert rounds[0].lingering == 0
    assert intact
