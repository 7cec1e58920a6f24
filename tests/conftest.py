"""Fixtures shared by every test folder: N real replicas behind a real nginx.

    replicas          one Deployment (deploy/replicas.py) of two replicas for the whole session,
                      started on first use; do not kill its replicas
    fresh_replicas    factory: fresh_replicas(n=2) -> a new Deployment, stopped after the test
                      (for tests that kill a replica)

Without nginx these tests skip, and fail under CI=true (`make test` installs nginx first with
scripts/ensure_nginx.sh).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.replicas import nginx_binary, start  # noqa: E402


def nginx_or_skip() -> None:
    if nginx_binary():
        return
    reason = "nginx is not installed (run scripts/ensure_nginx.sh: Debian's nginx package)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def replicas():
    nginx_or_skip()
    with start(2) as dep:
        yield dep


@pytest.fixture
def fresh_replicas():
    nginx_or_skip()
    started = []

    def make(n: int = 2):
        started.append(start(n))
        return started[-1]

    try:
        yield make
    finally:
        for dep in started:
            dep.stop()
