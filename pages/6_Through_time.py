"""F9: the same cell unrolled over a sequence, beside a basic RNN with comparable weights."""

from dataclasses import replace

import numpy as np
import streamlit as st

from lstm_core.codec import VALUE_LIMIT, format_number
from lstm_core.memory import parse_values, step_inputs, through_time
from lstm_core.scenario import MAX_T, SEQUENCE_KINDS
from ui import page, state, text
from viz.timeline import forget_bias_figure, gradient_figure, memory_label, timeline_figure

KIND_LABELS = {"pulse": "Pulse, then silence", "step": "Step", "noise": "Noise (seeded)",
               "custom": "Your own values"}


def setting(field: str):
    """Apply a widget's value to one field of scenario.view.sequence."""
    return lambda s, v: s.with_view(sequence=replace(s.view.sequence, **{field: v}))


def typed_values(s, typed: str):
    try:
        return setting("values")(s, parse_values(typed, MAX_T))
    except ValueError:
        return s  # the page shows why and keeps the previous values


scenario = page.start("Through time")
seq, presenter = scenario.view.sequence, scenario.view.presenter
intro, memory_help, gradient_help = text.load("through_time").split("\n---\n")
st.markdown(intro)
kind_col, t_col, amp_col, seed_col = st.columns([3, 3, 2, 1])
kind_col.radio("Input x(t) (the same on every input unit)", SEQUENCE_KINDS, horizontal=True,
               format_func=KIND_LABELS.get, **state.bound("seq_kind", seq.kind, setting("kind")))
t_col.slider("Length T (steps)", 1, MAX_T, **state.bound("seq_T", seq.T, setting("T")))
amp_col.slider("Amplitude", -VALUE_LIMIT, VALUE_LIMIT, step=0.1, disabled=seq.kind == "custom",
               **state.bound("seq_amp", seq.amplitude, setting("amplitude")))
seed_col.number_input("Seed", 0, 2**32 - 1, disabled=seq.kind != "noise",
                      **state.bound("seq_seed", seq.seed, setting("seed")))
if seq.kind == "custom":
    shown = ", ".join(format_number(v) for v in seq.values)
    typed = st.session_state.get("seq_values")
    if typed is not None and typed != shown:
        try:
            parse_values(typed, MAX_T)
        except ValueError as err:
            st.warning(f"Your values were not used: {err}. The previous values are kept.")
    st.text_input("Your values x(1), x(2), …, separated by commas (repeated to fill T steps)",
                  placeholder="e.g. 1, 0, 0, 0", **state.bound("seq_values", shown, typed_values))

run = through_time(scenario.params, seq.xs(scenario.D), scenario.h_prev, scenario.c_prev,
                   seq.amplitude)
chart = st.container()
pick_col, open_col = st.columns([1, 3], vertical_alignment="bottom")
if st.session_state.get("tt_step", 1) > seq.T:  # T got shorter: stay on the last step
    st.session_state["tt_step"] = seq.T
t = int(pick_col.number_input("Time step t", 1, seq.T, key="tt_step"))
chart.plotly_chart(timeline_figure(run.lstm, run.rnn, t, presenter), key="tt_timeline")
if open_col.button(f"Open step {t} in the explorer", icon=":material/open_in_new:"):
    x, h_prev, c_prev = step_inputs(run.lstm, t, scenario.h_prev, scenario.c_prev)
    state.set_scenario(replace(scenario, x=x, h_prev=h_prev,  # the link keeps |c| ≤ 10
                               c_prev=np.clip(c_prev, -VALUE_LIMIT, VALUE_LIMIT)))
    st.switch_page("app.py")

st.header("Memory of a pulse")
st.markdown(memory_help)
lstm_col, rnn_col, _ = st.columns([1, 1, 2])
lstm_col.metric("LSTM: pulse visible in c(t)", memory_label(run.lstm_memory))
rnn_col.metric("Basic RNN: pulse visible in h(t)", memory_label(run.rnn_memory))
st.plotly_chart(forget_bias_figure(run.sweep, run.rnn_memory, seq.T, presenter), key="tt_sweep")

st.header("Gradient back to the first step")
st.markdown(gradient_help)
st.plotly_chart(gradient_figure(run.lstm, run.rnn, presenter), key="tt_gradient")
page.finish()
