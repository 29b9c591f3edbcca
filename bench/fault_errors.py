"""A store that cannot be written (issue 8): each case must end in exit status 1 and one
`error:` line on stderr, never a traceback; a read-only store must still be served.

Run as root, `chmod` does not make a folder read-only, so the cases use what the kernel enforces:
a store path under a regular file, and, where a private mount namespace can be made
(`unshare -m`), a read-only bind mount of the store and small tmpfs mounts filled up. The mounts
live only in the namespace of the command under test, so nothing is left mounted.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.fault_live import count_quads, get, serving
from bench.fault_store import (
    COUNT_QUADS,
    INGEST,
    KG,
    Workspace,
    copy_base,
    ingest_env,
    read_state,
    run_kg,
)
from bench.live import free_port

FULL_DISK = """
set -u
mount -t tmpfs -o size=16m tmpfs "$MNT"
cp -a "$BASE/store" "$MNT/store"
dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
"$@" >"$OUT/full.out" 2>"$OUT/full.err"; echo $? >"$OUT/full.rc"
rm "$MNT/filler"
"$@" >"$OUT/recover.out" 2>"$OUT/recover.err"; echo $? >"$OUT/recover.rc"
"$PY" -m cli.main query --format csv "$COUNT" >"$OUT/count.out" 2>&1
"""


@dataclass
class ErrorCase:
    name: str
    expect: str  # "error": exit 1 and one `error:` line; "serves": /healthz and SPARQL answer
    ok: bool = False
    exit_code: int | None = None
    message: str = ""
    traceback: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def judge(case: ErrorCase, returncode: int, stderr: str) -> ErrorCase:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    case.exit_code = returncode
    case.traceback = "Traceback" in stderr
    case.message = errors[0] if len(errors) == 1 else stderr.strip()[-400:]
    case.ok = returncode == 1 and not case.traceback and len(errors) == 1
    return case


def mount_works(folder: Path) -> bool:
    """Whether tmpfs and read-only bind mounts can be made in a private mount namespace."""
    if shutil.which("unshare") is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    probe = f"mount -t tmpfs -o size=64k tmpfs {folder} && mount --bind -o ro {folder} {folder}"
    return run_kg(["unshare", "-m", "sh", "-c", probe], {}, timeout=30).returncode == 0


def in_namespace(mounts: str, args: list[str]) -> list[str]:
    """`args` run after `mounts` in a private mount namespace."""
    return ["unshare", "-m", "sh", "-c", f'{mounts} && exec "$@"', "sh", *args]


def store_errors(ws: Workspace, folder: Path) -> tuple[list[ErrorCase], bool]:
    """Every case, and whether the mount cases could run."""
    folder.mkdir(parents=True)
    (folder / "file").write_text("a regular file, not a folder\n")
    env = ingest_env(folder, ws.after, cache=ws.cache, KG_STORE=str(folder / "file" / "store"))
    env["KG_PORT"] = str(free_port())
    cases = [judge(ErrorCase("ingest, store path under a file", "error"), *_run(INGEST, env))]
    cases.append(
        judge(ErrorCase("serve, store path under a file", "error"), *_run([*KG, "serve"], env))
    )
    mounts = mount_works(folder / "probe")
    if mounts:
        cases += [_read_only_ingest(ws, folder / "ro"), _read_only_serve(ws, folder / "ro-serve")]
        cases += [_full_store_disk(ws, folder / "full"), _full_dumps_disk(ws, folder / "dumps")]
    return cases, mounts


def _run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    try:
        done = run_kg(args, env, timeout=120)
    except subprocess.TimeoutExpired:
        return -1, "still running after 120 s"
    return done.returncode, done.stderr


def _read_only_ingest(ws: Workspace, folder: Path) -> ErrorCase:
    copy_base(ws, folder)
    store = folder / "store"
    env = ingest_env(folder, ws.after, cache=ws.cache)
    case = judge(
        ErrorCase("ingest, read-only store folder", "error"),
        *_run(in_namespace(f"mount --bind -o ro {store} {store}", INGEST), env),
    )
    case.extra["graph_unchanged"] = read_state(store).graphs == ws.expected_before.graphs
    case.ok = case.ok and bool(case.extra["graph_unchanged"])
    return case


def _read_only_serve(ws: Workspace, folder: Path) -> ErrorCase:
    """Serving only reads: a read-only store must be served, not refused."""
    copy_base(ws, folder)
    store = folder / "store"
    env = ingest_env(folder, ws.before, cache=ws.cache, port=str(free_port()))
    case = ErrorCase("serve, read-only store folder", "serves")
    url = f"http://127.0.0.1:{env['KG_PORT']}/"
    args = in_namespace(f"mount --bind -o ro {store} {store}", [*KG, "serve"])
    try:
        with serving(env, folder / "server.log", args=args):
            case.ok = (
                get(url + "healthz")[0] == 200 and count_quads(url) == ws.expected_before.quads
            )
    except RuntimeError as exc:  # it did not start
        case.message = str(exc)[-400:]
    return case


def _full_store_disk(ws: Workspace, folder: Path) -> ErrorCase:
    """The disk under the store fills up; once space is freed, the next ingest succeeds."""
    folder.mkdir(parents=True)
    mnt, out = folder / "mnt", folder / "out"
    mnt.mkdir()
    out.mkdir()
    env = ingest_env(folder, ws.after, cache=ws.cache, KG_STORE=str(mnt / "store"))
    env |= {"MNT": str(mnt), "OUT": str(out), "BASE": str(ws.base), "COUNT": COUNT_QUADS}
    env["PY"] = INGEST[0]
    subprocess.run(
        ["unshare", "-m", "sh", "-c", FULL_DISK, "sh", *INGEST], env=env, timeout=300, check=False
    )
    case = ErrorCase("ingest, full disk under the store", "error")
    judge(case, int((out / "full.rc").read_text()), (out / "full.err").read_text())
    count = (out / "count.out").read_text().split()
    case.extra["next_ingest_after_freeing_space"] = (out / "recover.rc").read_text().strip() == "0"
    case.extra["graph_after_recovery_is_new"] = count[-1:] == [str(ws.expected_after.quads)]
    case.ok = case.ok and all(case.extra.values())
    return case


def _full_dumps_disk(ws: Workspace, folder: Path) -> ErrorCase:
    """The disk under `KG_DATA_DIR` is full: the dumps cannot be written after the store was."""
    copy_base(ws, folder)
    dumps = folder / "dumps-mnt"
    dumps.mkdir()
    env = ingest_env(folder, ws.after, cache=ws.cache, KG_DATA_DIR=str(dumps))
    return judge(
        ErrorCase("ingest, full disk under the dumps folder", "error"),
        *_run(in_namespace(f"mount -t tmpfs -o size=64k tmpfs {dumps}", INGEST), env),
    )
