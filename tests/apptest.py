"""Open any page of the app in AppTest the way a link does: app.py is the entry point (the
sidebar's page links resolve against it); the query is decoded on that first run and the
scenario carries over to the page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_app(page: str | None = None, timeout: float = 60, **query: str) -> AppTest:
    """`open_app("pages/6_Through_time.py", preset="remember")`; no page: the explorer."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(page).run() if page else at
