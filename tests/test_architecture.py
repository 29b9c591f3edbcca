"""The module graph keeps its shape (ARCHITECTURE.md): each rule holds on this repository, and
fails on a small fake tree that breaks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import architecture as arch

ROOT = Path(__file__).resolve().parents[1]


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.mark.parametrize(
    "rule",
    [
        arch.cycles,
        arch.route_imports,
        arch.pyoxigraph_imports,
        arch.sparql_literals,
        arch.store_type_checks,
        arch.bench_imports_tests,
        arch.untested_modules,
    ],
)
def test_the_repository_keeps_the_rule(rule: object) -> None:
    assert rule(ROOT) == []  # type: ignore[operator]


def test_a_cycle_inside_kg_fails(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "kg/__init__.py": "",
            "kg/store/__init__.py": "",
            "kg/store/local.py": "def open():\n    from kg.store.remote import RemoteStore\n",
            "kg/store/remote.py": "from kg.store import local\n",
            "kg/queries.py": "from kg import errors\n",
            "kg/errors.py": "",
        },
    )
    assert arch.cycles(root) == ["kg.store.local → kg.store.remote → kg.store.local"]


def test_a_relative_import_cycle_fails(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {"kg/__init__.py": "", "kg/a.py": "from . import b\n", "kg/b.py": "from .a import x\n"},
    )
    assert arch.cycles(root) == ["kg.a → kg.b → kg.a"]


def test_a_route_importing_a_route_fails(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "web/__init__.py": "",
            "web/services.py": "",
            "web/routes/__init__.py": "",
            "web/routes/search.py": "from web.services import search\n",
            "web/routes/pages.py": "from web.routes.search import api\n",
        },
    )
    assert arch.route_imports(root) == ["web/routes/pages.py: imports web.routes.search"]


def test_pyoxigraph_outside_kg_fails(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "ingest/__init__.py": "",
            "ingest/load.py": "def f():\n    import pyoxigraph as ox\n",
            "cli/__init__.py": "",
            "cli/main.py": "from pyoxigraph import Store\n",
            "web/__init__.py": "",
            "web/app.py": "import pyoxigraph\n",
        },
    )
    assert arch.pyoxigraph_imports(root) == [
        "web/app.py: imports pyoxigraph",
        "ingest/load.py: imports pyoxigraph",
        "cli/main.py: imports pyoxigraph",
    ]


def test_sparql_outside_the_query_modules_fails(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "kg/__init__.py": "",
            "kg/queries.py": 'Q = "SELECT ?s WHERE { ?s ?p ?o }"\n',
            "kg/queries_update.py": 'def d(g):\n    return f"INSERT DATA {{ {g} }}"\n',
            "kg/browse.py": '"""Runs SELECT ?s WHERE { } (a docstring may show it)."""\n'
            'Q = "SELECT ?s WHERE { ?s ?p ?o }"\n',
            "web/__init__.py": "",
            "web/pages.py": 'def f(g):\n    return f"CONSTRUCT {{ ?s ?p ?o }} FROM <{g}>"\n',
            "web/text.py": 'TITLE = "Select a theme"\nASK = "ASK the store"\n',
        },
    )
    found = arch.sparql_literals(root)
    assert [line.split(": ")[0] for line in found] == ["kg/browse.py:2", "web/pages.py:2"]


def test_isinstance_on_a_store_type_fails(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "kg/__init__.py": "",
            "kg/store/__init__.py": "def f(s):\n    return isinstance(s, RemoteStore)\n",
            "kg/endpoint/runner.py": "def f(s):\n    return isinstance(s, (LocalStore, int))\n",
        },
    )
    assert arch.store_type_checks(root) == ["kg/endpoint/runner.py:2: isinstance on a store type"]


def test_bench_importing_tests_fails(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {"bench/__init__.py": "", "bench/load.py": "from tests.e2e.live import serve\n"},
    )
    assert arch.bench_imports_tests(root) == ["bench/load.py: imports tests.e2e.live"]


def test_a_module_with_logic_and_no_mirrored_test_file_fails(tmp_path: Path) -> None:
    a_test = "def test_it():\n    assert True\n"
    root = tree(
        tmp_path,
        {
            "kg/__init__.py": "def version():\n    return 1\n",  # re-exports: no test needed
            "kg/queries.py": 'Q = "SELECT ?s WHERE { ?s ?p ?o }"\n',  # a data table
            "kg/search/__init__.py": "",
            "kg/search/rank.py": "def rank():\n    return []\n",
            "kg/search/text.py": "class Words:\n    def fold(self):\n        return ''\n",
            "kg/search/names.py": "def match():\n    return {}\n",
            "tests/kg/search/test_rank.py": a_test,
            "tests/kg/test_text.py": a_test,  # not the mirrored place of kg/search/text.py
            "tests/kg/search/test_names.py": "from kg.search.names import match\n",  # no test
            "web/__init__.py": "",
            "web/routes/__init__.py": "",
            "web/routes/health.py": "async def health():\n    return {}\n",
            "tests/web/test_health.py": a_test,  # neither is this one for web/routes/health.py
        },
    )
    assert arch.untested_modules(root) == [
        "kg/search/names.py: no tests in tests/kg/search/test_names.py",
        "kg/search/text.py: no tests in tests/kg/search/test_text.py",
        "web/routes/health.py: no tests in tests/web/routes/test_health.py",
    ]
