"""The explorer's controls. Each widget reads the scenario and writes it back (ui.state.bound);
no maths here beyond choosing which element a widget edits."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explainer.scenario import UI_MAX_SIZE, Scenario
from lstm_core import GATES
from lstm_core.fill import fill_gate
from ui import state
from ui.peephole_note import zero_peepholes_note

VECTORS = (  # (field, label, slider range): h(t-1) is an output of tanh ⊗ σ, so within ±1
    ("x", "x(t)", (-3.0, 3.0)),
    ("h_prev", "h(t-1)", (-1.0, 1.0)),
    ("c_prev", "c(t-1)", (-3.0, 3.0)),
)
WEIGHT_RANGE = (-8.0, 8.0)  # wide enough to saturate any gate, fine enough for arrow keys



def size_controls(s: Scenario) -> None:
    left, right = st.columns(2)
    left.number_input("D (inputs)", 1, UI_MAX_SIZE, step=1,
                      **state.bound("size_D", s.D, lambda s, d: s.resized(int(d), s.H)))
    right.number_input("H (units)", 1, UI_MAX_SIZE, step=1,
                       **state.bound("size_H", s.H, lambda s, h: s.resized(s.D, int(h))))
    st.toggle("Peephole connections", help="Gers & Schmidhuber (2000): c(t-1) feeds i and f; "
              "the new c(t) feeds o", **state.bound(
                  "opt_peepholes", s.params.use_peepholes,
                  lambda s, v: s.with_params(replace(s.params, use_peepholes=v))))
    if s.params.use_peepholes:
        zero_peepholes_note("opt_peep_examples")
    st.toggle("Forget-bias offset +1 (TF1)", help="TF1's LSTMCell adds forget_bias = 1.0 "
              "inside the forget sigmoid at call time", **state.bound(
                  "opt_forget_bias", s.params.forget_bias == 1.0,
                  lambda s, v: s.with_params(replace(s.params, forget_bias=1.0 if v else 0.0))))


def fill_controls(s: Scenario) -> None:
    """Fill helpers for one gate's weight blocks (single values move in the live cell)."""
    titles = {spec.name: f"{spec.name} · {spec.title}" for spec in GATES}
    name = st.radio("Fill the weights of", list(titles), format_func=titles.get,
                    horizontal=True, key="fill_gate")
    seed = st.number_input("Random seed", 0, 10_000, 0, key="fill_seed")
    factor = st.number_input("Scale factor", -10.0, 10.0, 2.0, step=0.5, key="fill_factor")
    cols = st.columns(4)
    for col, how in zip(cols, ("identity", "zeros", "random", "scale")):
        col.button(how.capitalize(), key=f"fill_{how}", width="stretch",
                   on_click=lambda how=how: state.set_scenario(state.scenario().with_params(
                       fill_gate(state.scenario().params, name, how, seed=int(seed),
                                 factor=float(factor)))))
