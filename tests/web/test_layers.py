"""`web/` translates HTTP only: no pyoxigraph import anywhere in it (issue 14, issue 19)."""

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_web_imports_no_pyoxigraph() -> None:
    files = sorted(WEB.rglob("*.py"))
    assert len(files) > 10
    offenders = [str(p.relative_to(WEB.parent)) for p in files if "pyoxigraph" in imported(p)]
    assert offenders == []
