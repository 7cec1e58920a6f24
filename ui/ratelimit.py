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

A full run of the home page takes two tokens (page.start, then the explorer fragment inside the
same run); a key press on the explorer reruns only the fragment and takes one. The environment
variable LSTM_RERUNS_PER_S overrides the rate; 0 turns the limit off (`make bench` does, to time
the server's work per rerun rather than this policy).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import streamlit as st

RATE_PER_S = 5.0  # sustained runs per second and session (a student changes a value every 2-4 s)
BURST = 20  # quick presses, a page load with its first reruns: never slowed down
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


def admit() -> float:
    """Take this run's token from the session's bucket, waiting for it if needed; returns the
    seconds waited."""
    rate = float(os.environ.get("LSTM_RERUNS_PER_S", RATE_PER_S))
    if rate <= 0:
        return 0.0
    now = time.monotonic()
    bucket, wait = st.session_state.get(BUCKET, Bucket(float(BURST), now)).take(now, rate)
    st.session_state[BUCKET] = bucket
    if wait > 0:
        time.sleep(wait)
    return wait
