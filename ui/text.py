"""Explanations live in assets/*.md; pages load them by name: text.load("lessons/peepholes")."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def load(name: str) -> str:
    """The markdown of assets/<name>.md. A missing file is a programming error: it raises."""
    path = (ASSETS / f"{name}.md").resolve()
    if ASSETS not in path.parents:
        raise ValueError(f"text name must stay inside assets/: {name!r}")
    return path.read_text(encoding="utf-8").strip()
