"""A basic RNN cell beside the LSTM cell, one step on the same inputs: what the LSTM adds."""

import pandas as pd
import streamlit as st

from explainer.lessons import rnn_vs_lstm
from ui import page, text
from ui.live_cell import live_cell
from viz.equations import equation_lines
from viz.latex import numbers
from viz.lessons import paired_bars

scenario = page.start("Basic RNN cell vs LSTM cell")
params, presenter = scenario.params, scenario.view.presenter
cmp = rnn_vs_lstm(params, scenario.x, scenario.h_prev, scenario.c_prev)
rnn, lstm = cmp.rnn, cmp.lstm
lines = equation_lines(lstm)
st.markdown(text.load("lessons/rnn_vs_lstm"))

left, right = st.columns([2, 3], gap="medium")
with left:
    st.subheader("Basic RNN cell: one layer")
    st.latex(r"\mathbf{h}_{(t)} = \tanh(\mathbf{W}_x^T\mathbf{x}_{(t)} + "
             r"\mathbf{W}_h^T\mathbf{h}_{(t-1)} + \mathbf{b})")
    st.caption("Its weights here are the LSTM's main layer g (W_xg, W_hg, b_g): both cells see "
               "the same inputs through the same layer.")
with right:
    st.subheader("LSTM cell: the same layer, gated")
    for line in lines:
        st.latex(line.symbolic)
same = "exactly equal" if cmp.g_is_rnn else f"different by {cmp.g_diff:.1e}"
st.success(f"The LSTM's candidate g(t) and the RNN's h(t) are {same}: the same layer. "
           "What the LSTM adds happens after it.")
rows = [("W_xᵀ·x(t)", numbers(rnn.Wx_x), numbers(lstm.candidate.Wx_x)),
        ("W_hᵀ·h(t-1)", numbers(rnn.Wh_h), numbers(lstm.candidate.Wh_h)),
        ("tanh(z): the layer's output", f"h(t) = {numbers(rnn.h)}", f"g(t) = {numbers(lstm.g)}"),
        ("gates", "none", f"f = {numbers(lstm.f)}, i = {numbers(lstm.i)}, o = {numbers(lstm.o)}"),
        ("long-term state", "none", f"c(t) = {numbers(lstm.c)}"),
        ("new h(t), sent to the next step", numbers(rnn.h), numbers(lstm.h)),
        ("trainable numbers", str(cmp.rnn_weights), str(cmp.lstm_weights))]
st.dataframe(pd.DataFrame(rows, columns=["", "basic RNN cell", "LSTM cell"]), hide_index=True,
             key="rnn_table")
units = [f"unit {k}" for k in range(scenario.H)]
st.plotly_chart(paired_bars(units, (("RNN h(t)", rnn.h), ("LSTM g(t)", lstm.g),
                                    ("LSTM c(t)", lstm.c), ("LSTM h(t)", lstm.h)),
                            presenter=presenter), key="rnn_bars")
live_cell(scenario, key="rnn_cell", highlight=frozenset({"candidate"}), controls=False)
st.caption("Highlighted: the one layer a basic RNN cell has. Everything dimmed is what the LSTM "
           "adds.")
with st.expander("Equation 14-3 with these numbers", expanded=False):
    for line in lines:
        st.latex(line.numeric)
page.finish()
