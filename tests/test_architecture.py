"""The layers of docs/architecture.md: imports point one way,

    pages/, app.py -> ui/ -> viz/ -> explainer/ -> lstm_core/   (skipping layers is fine)

Only ui/, pages/ and app.py import Streamlit; only viz/ imports Plotly; lstm_core/ imports
NumPy and the standard library's maths alone (no json, re, urllib, base64, zlib, textwrap)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("lstm_core", "explainer", "viz", "ui", "pages")  # bottom to top; app.py sits with pages
OWN = set(LAYERS)
THIRD_PARTY = {  # besides the layers below it and itself
    "lstm_core": {"numpy"},
    "explainer": {"numpy"},
    "viz": {"numpy", "plotly"},
    "ui": {"numpy", "pandas", "streamlit"},
    "pages": {"numpy", "pandas", "streamlit"},
}
CORE_STDLIB = {"__future__", "dataclasses", "enum", "functools", "typing", "math", "numbers",
               "collections", "itertools", "operator", "abc"}
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


def layer_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return "pages" if rel.name == "app.py" and len(rel.parts) == 1 else rel.parts[0]


def python_files(layer: str) -> list[Path]:
    if layer == "pages":
        return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    return sorted((ROOT / layer).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module the file imports (a relative import is its own layer)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level:
            names.add(layer_of(path))
    return names


def allowed(layer: str) -> set[str]:
    below = set(LAYERS[: LAYERS.index(layer) + 1]) - {"pages"}
    stdlib = CORE_STDLIB if layer == "lstm_core" else STDLIB
    return below | THIRD_PARTY[layer] | stdlib


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_one_way(layer):
    files = python_files(layer)
    assert files
    for path in files:
        extra = imported_modules(path) - allowed(layer)
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


def test_checker_catches_an_upward_import(tmp_path, monkeypatch):
    """The rule above can fail: a core module importing the explainer or json is caught."""
    bad = tmp_path / "lstm_core" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("import json\nfrom explainer.codec import encode\nfrom . import cell\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert imported_modules(bad) - allowed("lstm_core") == {"json", "explainer"}
    assert imported_modules(bad) - allowed("ui") == set()


def test_only_the_ui_layers_import_streamlit_and_only_viz_imports_plotly():
    for layer in LAYERS:
        for path in python_files(layer):
            names = imported_modules(path)
            if layer not in ("ui", "pages"):
                assert "streamlit" not in names, path
            if layer != "viz":
                assert "plotly" not in names, path


def test_the_canvas_is_plain_data():
    """viz/canvas.py is shared with a browser-side renderer: no drawing library."""
    assert imported_modules(ROOT / "viz" / "canvas.py") <= {"__future__", "dataclasses",
                                                             "lstm_core"}


def test_every_package_is_a_known_layer():
    """A new top-level package must be placed in LAYERS (and in docs/architecture.md)."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages <= OWN, sorted(packages - OWN)


def test_app_is_thin_and_pages_are_short():
    assert len((ROOT / "app.py").read_text().splitlines()) <= 30
    for page in (ROOT / "pages").glob("*.py"):
        assert len(page.read_text().splitlines()) <= 80, page.name
