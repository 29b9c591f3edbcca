"""Fault runs (issue 8): the store and the server under SIGKILL, full disks and concurrent ingests.

1. `kg ingest` killed with SIGKILL at random points (delays drawn, seeded, from [0, duration of
   a clean ingest]): the store serves exactly the previous or the new graph, never a mixture; no
   lock is left behind; the next ingest succeeds and gives the new graph.
   Then kills aimed inside the store write (bench/fault_aimed.py): when the staging snapshot
   appears, a seeded 0-300 ms after, and when the renamed snapshot appears; the same checks,
   plus: the graph served matches where the kill landed, and the next ingest clears the staging.
2. A store that cannot be written (store path under a file, read-only store, full disk under
   the store or the dumps): exit status 1 and a one-line error, never a traceback.
3. Reads of every kind while an ingest runs: no failed request; the new graph is served after.
4. The server killed with SIGKILL (a worker busy with a long query) and started again on the
   same store and port: no worker left running, data intact.

    python -m bench.faults [--trials 20] [--aimed 20] [--restarts 3] [--seed 8] [--small]

Writes bench/results/faults.json; the CI version is tests/e2e/test_faults.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.fault_aimed import LANDED, PHASES, AimedTrial, aimed_trials
from bench.fault_errors import store_errors
from bench.fault_live import reads_during_ingest, restarts
from bench.fault_store import KillTrial, kill_trials, prepare
from bench.machine import describe, markdown

RESULTS = Path(__file__).parent / "results"
#: initiatives whose records (and every record they name) make the small set of the CI run
SMALL = ("matilde", "somos-tudela", "agri-4-integration")


def kill_summary(trials: list[KillTrial]) -> dict[str, Any]:
    return {
        "trials": len(trials),
        "records_lost": sum(t.records_lost for t in trials),
        "failed_next_ingests": sum(not t.next_ingest_ok for t in trials),
        "locks_left": sum(not t.lock_free for t in trials),
        "served_before": sum(t.seen == "before" for t in trials),
        "served_after": sum(t.seen == "after" for t in trials),
        "served_mixed": sum(t.seen == "mixed" for t in trials),
        "killed_mid_write": sum(t.staging_left for t in trials),
        "finished_before_kill": sum(t.finished_first for t in trials),
        "kill_delays_s": [t.delay for t in trials],
        "runs": [asdict(t) for t in trials],
    }


def aimed_summary(trials: list[AimedTrial]) -> dict[str, Any]:
    landed = Counter(t.landed for t in trials)
    return {
        "trials": len(trials),
        "watch": sorted({t.watch for t in trials}),
        "aimed_at": {p: sum(t.phase == p for t in trials) for p in PHASES},
        "landed": {name: landed[name] for name in LANDED},
        "landed_by_phase": {
            p: dict(Counter(t.landed for t in trials if t.phase == p)) for p in PHASES
        },
        "inside_write": sum(
            t.landed in ("staging present", "final folder present") for t in trials
        ),
        "records_lost": sum(t.records_lost for t in trials),
        "failed_next_ingests": sum(not t.next_ingest_ok for t in trials),
        "locks_left": sum(not t.lock_free for t in trials),
        "served_before": sum(t.seen == "before" for t in trials),
        "served_after": sum(t.seen == "after" for t in trials),
        "served_mixed": sum(t.seen == "mixed" for t in trials),
        "served_not_as_landed": sum(not t.served_as_landed for t in trials),
        "staging_left_by_kill": sum(t.staging_left for t in trials),
        "pointer_tmp_left_by_kill": sum(t.pointer_tmp_left for t in trials),
        "stale_left_after_next_ingest": sum(bool(t.leftovers_after_next) for t in trials),
        "kill_after_staging_ms": [t.kill_after_staging_ms for t in trials],
        "runs": [asdict(t) for t in trials],
    }


def run(
    root: Path, *, trials: int, aimed: int, rounds: int, seed: int, small: bool
) -> dict[str, Any]:
    started = time.perf_counter()
    secs: dict[str, float] = {}

    def lap(name: str) -> None:
        secs[name] = round(time.perf_counter() - started - sum(secs.values()), 1)

    ws = prepare(root, seed=seed, only=SMALL if small else ())
    lap("prepare")
    kills = kill_summary(kill_trials(ws, trials=trials, seed=seed))
    lap("killed_ingests")
    aimed_kills = aimed_summary(aimed_trials(ws, trials=aimed, seed=seed))
    lap("aimed_kills")
    cases, mounts = store_errors(ws, root / "errors")
    lap("store_errors")
    reads = reads_during_ingest(ws, root / "reads")
    lap("reads_during_ingest")
    restart_rounds, intact = restarts(ws, root / "restarts", rounds=rounds)
    lap("restarts")
    return {
        "run": {
            "seed": seed,
            "records": len(list(ws.before.glob("*/*.md"))),
            "record_set": "small (CI)" if small else "bundled",
            "changes": ws.changes,
            "clean_ingest_s": round(ws.ingest_secs, 2),
            "quads_before": ws.expected_before.quads,
            "quads_after": ws.expected_after.quads,
            "seconds": round(time.perf_counter() - started, 1),
            "seconds_per_part": secs,
        },
        "killed_ingests": kills,
        "aimed_kills": aimed_kills,
        "store_errors": {
            "mount_cases": mounts,
            "clear": sum(c.ok for c in cases),
            "tracebacks": sum(c.traceback for c in cases),
            "cases": [asdict(c) for c in cases],
        },
        "reads_during_ingest": reads.as_dict(),
        "restarts": {
            "rounds": len(restart_rounds),
            "ok": sum(r.healthy for r in restart_rounds),
            "lingering_workers": sum(r.lingering for r in restart_rounds),
            "data_intact": intact,
            "runs": [asdict(r) for r in restart_rounds],
        },
    }


def table(result: dict[str, Any]) -> str:
    k, a, e = result["killed_ingests"], result["aimed_kills"], result["store_errors"]
    r, s = result["reads_during_ingest"], result["restarts"]
    delays = k["kill_delays_s"]
    rows = [
        ("fault", "trials", "outcome", "records lost", "failed"),
        (
            "ingest killed (SIGKILL)",
            str(k["trials"]),
            f"kills at {min(delays):.2f}–{max(delays):.2f} s of "
            f"{result['run']['clean_ingest_s']:.2f} s; served before {k['served_before']}, "
            f"after {k['served_after']}, mixed {k['served_mixed']}; "
            f"locks left {k['locks_left']}",
            str(k["records_lost"]),
            f"{k['failed_next_ingests']} next ingests",
        ),
        (
            "ingest killed inside the write",
            str(a["trials"]),
            f"aimed {a['aimed_at']}; landed {a['landed']}; served before "
            f"{a['served_before']}, after {a['served_after']}, mixed {a['served_mixed']}, "
            f"not as landed {a['served_not_as_landed']}; locks left {a['locks_left']}; "
            f"stale staging left after next ingest {a['stale_left_after_next_ingest']}",
            str(a["records_lost"]),
            f"{a['failed_next_ingests']} next ingests",
        ),
        (
            "store not writable",
            str(len(e["cases"])),
            f"{e['clear']} clear one-line outcomes, {e['tracebacks']} tracebacks"
            + ("" if e["mount_cases"] else " (mount cases skipped)"),
            "-",
            f"{len(e['cases']) - e['clear']} cases",
        ),
        (
            "reads during an ingest",
            str(sum(r["requests"].values())),
            f"switched to the new graph: {'yes' if r['switched'] else 'NO'} "
            f"({r['quads_before']} → {r['quads_after']} quads); slowest {r['slowest_s']:.2f} s",
            "-",
            f"{sum(r['failed'].values())} requests",
        ),
        (
            "server SIGKILL + restart",
            str(s["rounds"]),
            f"restarts ok {s['ok']}; lingering workers {s['lingering_workers']}; "
            f"data intact: {'yes' if s['data_intact'] else 'NO'}",
            "-",
            f"{s['rounds'] - s['ok']} restarts",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=20, help="ingests killed")
    parser.add_argument("--aimed", type=int, default=20, help="ingests killed inside the write")
    parser.add_argument("--restarts", type=int, default=3, help="server kills and restarts")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--small", action="store_true", help="the small record set of the CI")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="kg-faults-"))
    try:
        result = run(
            root,
            trials=args.trials,
            aimed=args.aimed,
            rounds=args.restarts,
            seed=args.seed,
            small=args.small,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    machine = describe()
    print(table(result))
    print(markdown(machine))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "faults.json").write_text(
        json.dumps({"result": result, "machine": machine}, indent=1, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
