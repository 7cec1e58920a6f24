"""Controls of the "through time" page: the input sequence, kept in scenario.view.sequence."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explainer.backward import gradient_reach_of
from explainer.codec import format_number, parse_values
from explainer.scenario import MAX_T, SEQUENCE_KINDS, Scenario, SequenceSettings, View
from lstm_core import VALUE_LIMIT
from lstm_core.gru_sequence import gru_through_time
from lstm_core.highway import GradientReach
from lstm_core.memory import ThroughTime, through_time
from ui import state
from viz.gru_timeline import gru_timeline_figure, keep_path_figure
from viz.timeline import memory_label

KIND_LABELS = {"pulse": "Pulse, then silence", "step": "Step", "noise": "Noise (seeded)",
               "custom": "Your own values"}
VALUES_KEY = "seq_values"


def setting(field: str):
    """Apply a widget's value to one field of scenario.view.sequence."""
    return lambda s, v: s.with_view(sequence=replace(s.view.sequence, **{field: v}))


def _typed_values(s: Scenario, typed: str) -> Scenario:
    try:
        return setting("values")(s, parse_values(typed, MAX_T))
    except ValueError:
        return s  # sequence_controls shows why, and the previous values stay


def sequence_controls(seq: SequenceSettings) -> None:
    """One row: kind, length T, amplitude, seed; then a text box for "your own values"."""
    kind, length, amplitude, seed = st.columns([2, 3, 2, 1])
    kind.selectbox("Input x(t), the same on every input", SEQUENCE_KINDS,
                   format_func=KIND_LABELS.get, **state.bound("seq_kind", seq.kind,
                                                              setting("kind")))
    length.slider("Length T (steps)", 1, MAX_T, **state.bound("seq_T", seq.T, setting("T")))
    amplitude.slider("Amplitude", -VALUE_LIMIT, VALUE_LIMIT, step=0.1,
                     disabled=seq.kind == "custom",
                     **state.bound("seq_amp", seq.amplitude, setting("amplitude")))
    seed.number_input("Seed", 0, 2**32 - 1, disabled=seq.kind != "noise",
                      **state.bound("seq_seed", seq.seed, setting("seed")))
    if seq.kind != "custom":
        return
    shown = ", ".join(format_number(v) for v in seq.values)
    typed = st.session_state.get(VALUES_KEY)  # what was typed, before bound() resets it
    if typed is not None and typed != shown:
        try:
            parse_values(typed, MAX_T)
        except ValueError as err:
            st.warning(f"Your values were not used: {err}. The previous values are kept.")
    st.text_input("Your values x(1), x(2), …, separated by commas (repeated to fill T steps)",
                  placeholder="e.g. 1, 0, 0, 0", max_chars=MAX_T * 12,
                  **state.bound(VALUES_KEY, shown, _typed_values))


def forget_bias_buttons(scenario: Scenario, offsets) -> None:
    """One button per offset: add it to every element of the cell's b_f (a scenario edit)."""
    st.caption("Try it on the cell itself (changes b_f on every page; Reset in the sidebar "
               "undoes it):")
    for k, (column, offset) in enumerate(zip(st.columns(len(offsets)), offsets)):
        moved = scenario.params.with_gate("f", b=scenario.params.f.b + offset)
        column.button(f"b_f {offset:+g}", key=f"tt_bf_{k}", disabled=offset == 0,
                      on_click=state.set_scenario, args=(scenario.with_params(moved),),
                      width="stretch")


@st.cache_data(max_entries=64, show_spinner=False)
def cached_through_time(params, xs, h0, c0, amplitude: float) -> ThroughTime:
    """through_time is pure: choosing another time step or presenter mode reuses the run."""
    return through_time(params, xs, h0, c0, amplitude)


def cached_reach(scenario: Scenario) -> GradientReach:
    """The gradients by distance; only the cell, the start, the sequence and the loss matter."""
    return _reach(replace(scenario, preset="", view=View(sequence=scenario.view.sequence,
                                                         loss=scenario.view.loss)))


@st.cache_data(max_entries=64, show_spinner=False)
def _reach(scenario: Scenario) -> GradientReach:
    return gradient_reach_of(scenario)


# -- the GRU as a third cell (issue 16) -----------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def cached_gru_through_time(gru, xs, h0, amplitude: float):
    """gru_through_time is pure: cached like the LSTM's run."""
    return gru_through_time(gru, xs, h0, amplitude)


def gru_section(scenario: Scenario, lstm_run, t: int) -> None:
    """The scenario's GRU on the same sequence: its states and gates, its pulse memory, and its
    keep path Π z beside the LSTM's Π f."""
    seq, presenter = scenario.view.sequence, scenario.view.presenter
    run = cached_gru_through_time(scenario.gru, seq.xs(scenario.D), scenario.h_prev,
                                  seq.amplitude)
    st.markdown("The GRU of the current scenario (its weights are on the GRU page) on the same "
                "inputs, from the same h(0). It has no c(t): its memory lives in h(t), kept "
                "by the update gate z at every step.")
    st.metric("GRU: pulse visible in h(t)", memory_label(run.memory))
    st.plotly_chart(gru_timeline_figure(run.run, t, presenter), key="tt_gru_timeline")
    st.markdown("Along the GRU's keep path h(t-1) → ⊗ z → ⊕ → h(t) the gradient is the product "
                "of z, as the LSTM's cell path gives the product of f (thin black lines).")
    st.plotly_chart(keep_path_figure(run.run, lstm_run, presenter), key="tt_gru_keep_path")
