"""Controls of the "backward pass" page: the loss (scenario.view.loss), the backward stepper and
the table of gradients. Widgets only: the maths is in explainer.backward and lstm_core."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explainer.backward import BackwardRun, with_loss_kind, with_loss_value
from explainer.scenario import LOSS_KINDS, Scenario
from explainer.walkthrough import BACKWARD_STEPS, MAX_BACK_STEP
from ui import state
from ui.lesson_controls import value_slider
from ui.stepper import stepper

LOSS_LABELS = {"target": "L = ½‖h(t) − target‖²", "direct": "∂L/∂h(t) given directly"}
VECTOR_LABELS = {"target": "target", "dh": "∂L/∂h(t)", "dc": "∂L/∂c(t) from step t+1"}
SLIDER_RANGE = (-2.0, 2.0)  # h(t) lies in (−1, 1); a link may hold up to ±10 (the range widens)


def loss_controls(s: Scenario) -> None:
    loss = s.view.loss
    st.radio("Loss on h(t)", LOSS_KINDS, format_func=LOSS_LABELS.get, horizontal=True,
             **state.bound("back_loss", loss.kind, with_loss_kind))
    vector_sliders(s, "target" if loss.kind == "target" else "dh")
    with st.expander("Gradient from the next step, ∂L/∂c(t)"):
        st.caption("In a sequence, step t+1 sends a gradient back along the memory line; "
                   "0 means this step is the last one.")
        vector_sliders(s, "dc")


def vector_sliders(s: Scenario, name: str) -> None:
    values = s.view.loss.vector(name, s.H)
    cols = st.columns(min(s.H, 4), gap="small")
    for k, v in enumerate(values):
        value_slider(f"{VECTOR_LABELS[name]}[{k}]", f"back_{name}_{k}", float(v),
                     lambda s, v, k=k: with_loss_value(s, name, k, v), SLIDER_RANGE,
                     container=cols[k % len(cols)])


def go_to(k: int) -> None:
    state.set_scenario(state.scenario().with_view(back_step=min(max(k, 0), MAX_BACK_STEP)))


def back_by(delta: int) -> None:
    go_to(state.scenario().view.back_step + delta)


def back_counter(s: Scenario) -> None:
    """Presenter mode: the step counter alone; ←/→, PageUp/PageDown (a clicker) and the space
    bar step, as on the Step by step page."""
    stepper(s.view.back_walk, BACKWARD_STEPS, key="back_stepper", presenter=True, move=back_by)


def back_stepper(s: Scenario) -> None:
    """Previous / Next (arrow keys) and the steps by name."""
    k, labels = s.view.back_step, tuple(w.short for w in BACKWARD_STEPS)
    back, middle, ahead = st.columns([1.4, 4, 1.4], vertical_alignment="bottom")
    back.button("Previous", key="back_prev", type="primary", width="stretch", shortcut="Left",
                disabled=k == 0, on_click=go_to, args=(k - 1,))
    ahead.button("Next", key="back_next", type="primary", width="stretch", shortcut="Right",
                 disabled=k == MAX_BACK_STEP, on_click=go_to, args=(k + 1,))
    middle.segmented_control(
        "Backward step (right to left)", labels, width="stretch", **state.bound(
            "back_step", labels[k], lambda s, v: s if v is None else
            s.with_view(back_step=labels.index(v))))


def gradient_table(run: BackwardRun, decimals: int = 6) -> pd.DataFrame:
    """One row per gradient, one column per element (text with fixed decimals)."""
    rows = run.grad_rows()
    width = max(len(values) for _symbol, _meaning, values in rows)
    records = []
    for symbol, meaning, values in rows:
        cells = [f"{v:+.{decimals}f}" for v in values] + [""] * (width - len(values))
        records.append({"gradient": symbol, "meaning": meaning,
                        **{f"[{k}]": cell for k, cell in enumerate(cells)}})
    return pd.DataFrame.from_records(records)
