"""The explorer's controls. Each widget reads the scenario and writes it back (ui.state.bound);
no maths here beyond choosing which element a widget edits."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from explainer.scenario import UI_MAX_SIZE, Scenario
from lstm_core import GATES
from lstm_core.fill import fill_gate
from ui import state
from ui.lesson_controls import value_slider

VECTORS = (  # (field, label, slider range): h(t-1) is an output of tanh ⊗ σ, so within ±1
    ("x", "x(t)", (-3.0, 3.0)),
    ("h_prev", "h(t-1)", (-1.0, 1.0)),
    ("c_prev", "c(t-1)", (-3.0, 3.0)),
)
WEIGHT_RANGE = (-8.0, 8.0)  # wide enough to saturate any gate, fine enough for arrow keys
SLIDER_CELLS = 9  # a block with more elements than this is edited as a table


def vector_controls(s: Scenario) -> None:
    for field, label, rng in VECTORS:
        values = getattr(s, field)
        st.markdown(f"**{label}** · shape ({len(values)},)")
        cols = st.columns(1 if len(values) <= 3 else 2, gap="small")
        for k, v in enumerate(values):
            with cols[k % len(cols)]:
                value_slider(f"{label}[{k}]", f"vec_{field}_{k}", v,
                             lambda s, v, field=field, k=k: s.with_vector(field, k, v), rng)


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
    st.toggle("Forget-bias offset +1 (TF1)", help="TF1's LSTMCell adds forget_bias = 1.0 "
              "inside the forget sigmoid at call time", **state.bound(
                  "opt_forget_bias", s.params.forget_bias == 1.0,
                  lambda s, v: s.with_params(replace(s.params, forget_bias=1.0 if v else 0.0))))


def gate_controls(s: Scenario) -> None:
    titles = {spec.name: f"{spec.name} · {spec.title}" for spec in GATES}
    name = st.radio("Edit the weights of", list(titles), format_func=titles.get,
                    horizontal=True, key="edit_gate")
    gate = s.params.gate(name)
    blocks = [("W_x", f"W_x{name}", gate.W_x), ("W_h", f"W_h{name}", gate.W_h)]
    for field, label, W in blocks:
        st.markdown(f"**{label}** · shape {W.shape} · row = from, column = to unit")
        if W.size <= SLIDER_CELLS:
            for (r, c), w in np.ndenumerate(W):
                value_slider(f"{label}[{r},{c}]", f"w_{name}_{field}_{r}_{c}", w,
                             lambda s, v, f=field, rc=(r, c): s.with_params(
                                 s.params.with_element(name, f, rc, v)), WEIGHT_RANGE)
        else:
            _matrix_editor(label, f"w_{name}_{field}", W,
                           lambda s, W_new, f=field: s.with_params(
                               s.params.with_gate(name, **{f: W_new})))
    st.markdown(f"**b_{name}** · shape ({s.H},)")
    for k, v in enumerate(gate.b):
        value_slider(f"b_{name}[{k}]", f"w_{name}_b_{k}", v,
                     lambda s, v, k=k: s.with_params(s.params.with_element(name, "b", k, v)),
                     WEIGHT_RANGE)
    if s.params.use_peepholes and gate.w_c is not None:
        st.markdown(f"**w_c{name}** (peephole) · shape ({s.H},)")
        for k, v in enumerate(gate.w_c):
            value_slider(f"w_c{name}[{k}]", f"w_{name}_wc_{k}", v,
                         lambda s, v, k=k: s.with_params(
                             s.params.with_element(name, "w_c", k, v)), WEIGHT_RANGE)
    _fill_controls(s, name)


def _fill_controls(s: Scenario, name: str) -> None:
    with st.expander(f"Fill W_x{name} and W_h{name}"):
        seed = st.number_input("Random seed", 0, 10_000, 0, key="fill_seed")
        factor = st.number_input("Scale factor", -10.0, 10.0, 2.0, step=0.5, key="fill_factor")
        cols = st.columns(4)
        for col, how in zip(cols, ("identity", "zeros", "random", "scale")):
            col.button(how.capitalize(), key=f"fill_{how}", width="stretch",
                       on_click=lambda how=how: state.set_scenario(state.scenario().with_params(
                           fill_gate(state.scenario().params, name, how, seed=int(seed),
                                     factor=float(factor)))))


def _matrix_editor(label: str, key: str, W: np.ndarray, apply) -> None:
    """An editable table; its key carries the values so an outside change redraws it."""
    frame = pd.DataFrame(W, columns=[f"→{c}" for c in range(W.shape[1])])
    digest = abs(hash(W.tobytes())) % 10**8
    widget_key = f"{key}_{digest}"

    def on_change() -> None:
        edits = st.session_state[widget_key].get("edited_rows", {})
        new = np.array(W)
        for r, row in edits.items():
            for c, v in row.items():
                if v is not None and np.isfinite(float(v)):
                    new[int(r), int(str(c).lstrip("→"))] = float(v)
        state.set_scenario(apply(state.scenario(), new))

    st.data_editor(frame, key=widget_key, on_change=on_change, hide_index=False,
                   column_config={col: st.column_config.NumberColumn(
                       col, min_value=WEIGHT_RANGE[0] * 2, max_value=WEIGHT_RANGE[1] * 2,
                       step=0.01, format="%.2f") for col in frame.columns})
