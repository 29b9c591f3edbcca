"""The module-graph rules of ARCHITECTURE.md, checked by reading the source with `ast`.

Each rule takes the folder the packages sit in and returns its violations as readable lines
(`path: what`); `tests/test_architecture.py` runs them on this repository, and on small fake
trees to show that each one fails when broken.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: packages whose modules may not import pyoxigraph (only `kg/` speaks to the store)
NO_PYOXIGRAPH = ("web", "ingest", "cli")
#: packages whose string literals may not hold SPARQL (tests and bench may)
APPLICATION = ("kg", "web", "ingest", "cli")
#: where SPARQL text lives: `kg/queries*.py` (and the `.rq` files, which are not Python)
SPARQL_HOMES = re.compile(r"^kg/queries[^/]*\.py$")
#: a SPARQL query or update: a query-form keyword, then what SPARQL puts after it (a variable,
#: `*`, a group, an IRI, DISTINCT, DATA, WHERE, …) and later a group `{` (SQL has no groups)
SPARQL_TEXT = re.compile(
    r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE|INSERT|DELETE)\s+"
    r"(?:\{|(?:[?$*<(]|DISTINCT\b|REDUCED\b|DATA\b|WHERE\b|FROM\b)[\s\S]*?\{)"
)
STORE_TYPES = {"LocalStore", "RemoteStore"}
#: packages whose modules each have a test file in the mirrored place (issue 19 item 7)
MIRRORED = ("kg", "web")


@dataclass(frozen=True)
class Module:
    name: str  # dotted: kg.store.local
    path: str  # relative, with slashes: kg/store/local.py
    tree: ast.Module

    @property
    def package(self) -> str:
        return self.name if self.path.endswith("__init__.py") else self.name.rpartition(".")[0]


def modules(root: Path, *packages: str) -> Iterator[Module]:
    """Every Python module under `root/<package>/` for the given top-level packages."""
    for package in packages:
        for file in sorted((root / package).rglob("*.py")):
            rel = file.relative_to(root)
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            tree = ast.parse(file.read_text(), filename=str(rel))
            yield Module(".".join(parts), rel.as_posix(), tree)


def imported(module: Module, known: set[str] | None = None) -> set[str]:
    """Dotted names `module` imports anywhere (module level or inside functions); for `from a
    import b`, `a.b` when that is a module in `known`, else `a`."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            subs = {f"{base}.{a.name}" for a in node.names} & (known or set())
            names |= subs
            if len(subs) < len(node.names):  # a name from the package itself, not a submodule
                names.add(base)
    return names


def cycles(root: Path, package: str = "kg") -> list[str]:
    """Import cycles among the modules of `package` (each cycle once, as `a → b → a`)."""
    mods = {m.name: m for m in modules(root, package)}
    edges = {name: sorted(imported(m, set(mods)) & set(mods) - {name}) for name, m in mods.items()}
    found: list[str] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for nxt in edges[name]:
            if state.get(nxt) == 1:
                loop = path[path.index(nxt) :]
                if frozenset(loop) not in seen:
                    seen.add(frozenset(loop))
                    found.append(" → ".join([*loop, nxt]))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[name] = 2

    for name in sorted(mods):
        if name not in state:
            visit(name)
    return found


def route_imports(root: Path) -> list[str]:
    """Route modules (`web/routes/*.py`) that import another route module."""
    out = []
    for m in modules(root, "web"):
        if m.package != "web.routes" or m.name == "web.routes":
            continue
        for name in sorted(imported(m)):
            if name.startswith("web.routes"):
                out.append(f"{m.path}: imports {name}")
    return out


def pyoxigraph_imports(root: Path, packages: tuple[str, ...] = NO_PYOXIGRAPH) -> list[str]:
    """Modules of `packages` that import pyoxigraph."""
    return [
        f"{m.path}: imports pyoxigraph"
        for m in modules(root, *packages)
        if any(n == "pyoxigraph" or n.startswith("pyoxigraph.") for n in imported(m))
    ]


def sparql_literals(root: Path, packages: tuple[str, ...] = APPLICATION) -> list[str]:
    """String literals (docstrings aside) that hold SPARQL outside `kg/queries*.py`."""
    out = []
    for m in modules(root, *packages):
        if SPARQL_HOMES.match(m.path):
            continue
        skip = {  # docstrings may show SPARQL
            id(node.body[0].value)
            for node in ast.walk(m.tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        skip |= {
            id(part)
            for node in ast.walk(m.tree)
            if isinstance(node, ast.JoinedStr)
            for part in node.values
        }  # parts of an f-string are read with the whole string
        for node in ast.walk(m.tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value if isinstance(v, ast.Constant) else " x "
                    for v in node.values
                    if isinstance(v, ast.Constant | ast.FormattedValue)
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in skip:
                    continue
                text = node.value
            else:
                continue
            if SPARQL_TEXT.search(text):
                out.append(f"{m.path}:{node.lineno}: SPARQL text {text.strip()[:60]!r}")
    return out


def store_type_checks(root: Path, packages: tuple[str, ...] = APPLICATION) -> list[str]:
    """`isinstance` on a store type outside `kg/store/`: callers use the `GraphStore` protocol."""
    out = []
    for m in modules(root, *packages):
        if m.path.startswith("kg/store/"):
            continue
        for node in ast.walk(m.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "isinstance"
                and len(node.args) == 2
                and STORE_TYPES & {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            ):
                out.append(f"{m.path}:{node.lineno}: isinstance on a store type")
    return out


def bench_imports_tests(root: Path) -> list[str]:
    """Benchmark modules that import the test suite (bench has helpers of its own)."""
    return [
        f"{m.path}: imports {name}"
        for m in modules(root, "bench")
        for name in sorted(imported(m))
        if name == "tests" or name.startswith("tests.")
    ]


def has_logic(module: Module) -> bool:
    """A module has logic when it defines a function or method. Package `__init__` modules only
    re-export (`kg.store.open_store` is tested in `tests/kg/store/test_remote.py`), and modules
    without a `def` are data tables (`kg/queries.py`, the SPARQL text)."""
    if module.path.endswith("__init__.py"):
        return False
    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in ast.walk(module.tree))


def untested_modules(root: Path, packages: tuple[str, ...] = MIRRORED) -> list[str]:
    """Modules with logic and no test file (one with a `test_` function) in the mirrored place:
    `kg/search/rank.py` is tested in `tests/kg/search/test_rank.py`, `web/routes/sparql.py` in
    `tests/web/routes/test_sparql.py`."""
    out = []
    for m in modules(root, *packages):
        rel = Path(m.path)
        test = root / "tests" / rel.parent / f"test_{rel.name}"
        if has_logic(m) and not (test.is_file() and "def test_" in test.read_text()):
            out.append(f"{m.path}: no tests in {test.relative_to(root).as_posix()}")
    return out
