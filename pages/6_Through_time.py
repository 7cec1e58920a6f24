"""F9: the same cell unrolled over a sequence, beside a basic RNN with comparable weights."""

from dataclasses import replace

import numpy as np
import streamlit as st

from lstm_core import VALUE_LIMIT
from lstm_core.memory import step_inputs
from ui import page, state, text
from ui.through_time import (
    cached_reach,
    cached_through_time,
    forget_bias_buttons,
    gru_section,
    sequence_controls,
)
from viz.timeline import (
    forget_bias_figure,
    gradient_figure,
    memory_label,
    reach_figure,
    timeline_figure,
)

scenario = page.start("Through time")
seq, presenter = scenario.view.sequence, scenario.view.presenter
lead, intro, memory_help, gradient_help = text.load("through_time").split("\n---\n")
st.markdown(lead)
with st.expander("How to read these charts"):
    st.markdown(intro)
sequence_controls(seq)

run = cached_through_time(scenario.params, seq.xs(scenario.D), scenario.h_prev, scenario.c_prev,
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
st.plotly_chart(forget_bias_figure(run.sweep, run.rnn_memory, run.rnn_effect, presenter),
                key="tt_sweep")
forget_bias_buttons(scenario, [point.offset for point in run.sweep])

st.header("Gradient back to the first step")
st.markdown(gradient_help)
st.plotly_chart(gradient_figure(run.lstm, run.rnn, presenter), key="tt_gradient")

st.header("A loss d steps later, sent back to step 0")
st.markdown(text.load("lessons/gradient_reach"))
st.page_link("pages/8_Backward_pass.py", label="Choose the loss on the Backward pass page",
             icon=":material/undo:")
st.plotly_chart(reach_figure(cached_reach(scenario), presenter), key="tt_reach")

st.header("The GRU on the same sequence")
gru_section(scenario, run.lstm, t)
page.finish()
