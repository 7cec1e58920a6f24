"""Sliders of the learning pages, bound to the scenario (ui.state.bound)."""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from explainer.scenario import Scenario
from ui import state


def value_slider(label: str, key: str, value: float, apply: Callable[[Scenario, float], Scenario],
                 rng: tuple[float, float] = (-3.0, 3.0), container=st) -> None:
    """A slider for one number; its range widens to hold a value that came from a link."""
    lo, hi = min(rng[0], math.floor(value)), max(rng[1], math.ceil(value))
    container.slider(label, float(lo), float(hi), step=0.05, format="%.2f",
                     **state.bound(key, float(value), apply))
