"""Reruns per browser session are rate limited, so one tab cannot starve a class.

Holding an arrow key down on a slider asks for a rerun at the keyboard's repeat rate (about 30
per second), and every pending request starts a new run at once. On a shared server that one
tab would take a whole core. Each session therefore owns a token bucket (in its session state:
two students never share one): a run takes a token; tokens come back at RATE_PER_S up to BURST.
When the bucket is empty the run waits for the next token before drawing anything. Meanwhile
newer key presses only replace the pending request, so the last value always gets drawn, a
little later, and the server does at most RATE_PER_S runs per second for that tab.

    from ui import ratelimit
    ratelimit.admit()        # first thing of every run (ui/page.start, the explorer fragment)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

RATE_PER_S = 5.0  # sustained runs per second and session (a student changes a value every 2-4 s)
BURST = 10  # quick presses, a page load with its first reruns: never slowed down
BUCKET = "rerun_bucket"  # session-state key


@dataclass(frozen=True)
class Bucket:
    """`tokens` available at time `stamp` (seconds of a monotonic clock)."""

    tokens: float
    stamp: float

    def take(self, now: float, rate: float = RATE_PER_S,
             burst: float = BURST) -> tuple[Bucket, float]:
        """Take one token at `now`. Returns the new bucket and the seconds to wait before the
        token is there (0 when one was available). The waiting run owns the next token."""
        tokens = min(float(burst), self.tokens + max(0.0, now - self.stamp) * rate)
        if tokens >= 1.0:
            return Bucket(tokens - 1.0, now), 0.0
        wait = (1.0 - tokens) / rate
        return Bucket(0.0, now + wait), wait


def admit(clock: Callable[[], float] = time.monotonic,
          sleep: Callable[[float], None] = time.sleep) -> float:
    """Take this run's token from the session's bucket, waiting for it if needed; returns the
    seconds waited."""
    now = clock()
    bucket, wait = st.session_state.get(BUCKET, Bucket(float(BURST), now)).take(now)
    st.session_state[BUCKET] = bucket
    if wait > 0:
        sleep(wait)
    return wait
