"""Imports point one way: pages/, app.py -> ui/, viz/ -> lstm_core/. Only ui/, pages/ and
app.py import Streamlit; only viz/ imports Plotly; lstm_core/ imports NumPy alone."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB_OK = set(sys.stdlib_module_names) | {"__future__"}
ALLOWED = {  # package -> top-level modules it may import (besides the standard library)
    "lstm_core": {"numpy", "lstm_core"},
    "viz": {"numpy", "plotly", "lstm_core", "viz"},
    "ui": {"numpy", "pandas", "streamlit", "lstm_core", "viz", "ui"},
    "pages": {"numpy", "pandas", "streamlit", "lstm_core", "viz", "ui"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level:
            names.add(path.parent.name)  # relative import: its own package
    return names


@pytest.mark.parametrize("package", list(ALLOWED))
def test_imports_point_one_way(package):
    files = sorted((ROOT / package).glob("*.py"))
    assert files
    for path in files:
        extra = imported_modules(path) - ALLOWED[package] - STDLIB_OK
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


def test_app_is_thin_and_pages_are_short():
    assert len((ROOT / "app.py").read_text().splitlines()) <= 30
    for page in (ROOT / "pages").glob("*.py"):
        assert len(page.read_text().splitlines()) <= 80, page.name
