"""The per-session rerun bucket (ui/ratelimit.py): pure arithmetic with a fake clock, and the
app taking a token on every run of every page."""

from __future__ import annotations

import pytest
from apptest import open_app

from ui.ratelimit import BUCKET, BURST, RATE_PER_S, Bucket


def test_a_full_bucket_lets_a_burst_through_without_waiting():
    b = Bucket(BURST, 0.0)
    waits = []
    for _ in range(BURST):
        b, wait = b.take(0.0)
        waits.append(wait)
    assert waits == [0.0] * BURST
    b, wait = b.take(0.0)  # the next one waits exactly one token's time
    assert wait == pytest.approx(1 / RATE_PER_S)


def test_tokens_come_back_at_the_rate_and_never_above_the_burst():
    b = Bucket(0.0, 0.0)
    b, wait = b.take(0.5)  # 0.5 s at 5/s: 2.5 tokens back, one taken
    assert (b.tokens, wait) == (pytest.approx(0.5 * RATE_PER_S - 1), 0.0)
    b, _ = b.take(3600.0)  # an hour idle: a full bucket, not 18000 tokens
    assert b.tokens == pytest.approx(BURST - 1)


def test_holding_a_key_down_runs_at_the_rate():
    """A tab asking for a run every 1/30 s (keyboard repeat) for 20 s. Runs are sequential in
    the session's script thread: a run that has to wait delays the next request."""
    clock, b, runs = 0.0, Bucket(BURST, 0.0), 0
    while clock < 20.0:
        b, wait = b.take(clock)
        clock += wait
        runs += 1
        clock += 1 / 30
    assert runs <= BURST + 20.0 * RATE_PER_S + 1
    assert runs >= 20.0 * RATE_PER_S  # and the tab is never shut out


@pytest.mark.parametrize("page", [None, "pages/2_Concatenation_vs_addition.py"])
def test_every_run_takes_a_token(page, monkeypatch):
    monkeypatch.delenv("LSTM_RERUNS_PER_S", raising=False)
    at = open_app(page, preset="remember")
    assert not at.exception
    first = at.session_state[BUCKET]
    at.run()
    second = at.session_state[BUCKET]
    assert second.stamp > first.stamp  # this run went through ratelimit.admit()
    assert 0.0 <= second.tokens <= BURST - 1


def test_the_limit_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("LSTM_RERUNS_PER_S", "0")
    at = open_app(preset="remember")
    assert not at.exception and BUCKET not in at.session_state
