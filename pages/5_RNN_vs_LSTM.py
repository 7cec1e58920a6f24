"""A basic RNN cell beside the LSTM cell, one step on the same inputs: what the LSTM adds."""

import pandas as pd
import streamlit as st

from lstm_core.lessons import rnn_vs_lstm
from ui import page, text
from viz.diagram import cell_diagram
from viz.equations import equation_lines, vec
from viz.lessons import paired_bars

scenario = page.start("Basic RNN cell vs LSTM cell")
params, presenter = scenario.params, scenario.view.presenter
cmp = rnn_vs_lstm(params, scenario.x, scenario.h_prev, scenario.c_prev)
rnn, lstm = cmp.rnn, cmp.lstm
st.markdown(text.load("lessons/rnn_vs_lstm"))

left, right = st.columns([2, 3], gap="medium")
with left:
    st.subheader("Basic RNN cell: one layer")
    st.latex(r"\mathbf{h}_{(t)} = \tanh(\mathbf{W}_x^T\mathbf{x}_{(t)} + "
             r"\mathbf{W}_h^T\mathbf{h}_{(t-1)} + \mathbf{b})")
    st.latex(rf"= \tanh\left({vec(rnn.Wx_x)} + {vec(rnn.Wh_h)} + {vec(params.g.b)}\right)"
             rf" = {vec(rnn.h, 4)}")
    st.caption("Weights: the LSTM's main layer g (W_xg, W_hg, b_g), so both cells see the same "
               "inputs through the same layer.")
with right:
    st.subheader("LSTM cell: the same layer, gated")
    st.plotly_chart(cell_diagram(lstm, highlight=frozenset({"candidate"}), presenter=presenter,
                                 peepholes=params.use_peepholes), key="rnn_diagram")
    st.caption("Highlighted: the one layer a basic RNN cell has.")
for line in equation_lines(lstm, peepholes=params.use_peepholes,
                           forget_offset=params.forget_bias != 0.0):
    st.latex(line.numeric)
same = "exactly equal" if cmp.g_is_rnn else f"different by {cmp.g_diff:.1e}"
st.success(f"The LSTM's candidate g(t) and the RNN's h(t) are {same}: the same layer. "
           "What the LSTM adds happens after it.")
st.dataframe(pd.DataFrame({
    "": ["state carried to the next step", "gates (values now)", "trainable numbers",
         "new short-term output h(t)"],
    "basic RNN cell": ["h(t) only", "none", str(cmp.rnn_weights),
                       ", ".join(f"{v:.4f}" for v in rnn.h)],
    "LSTM cell": ["h(t) and the long-term c(t)",
                  f"f {lstm.f[0]:.3f}, i {lstm.i[0]:.3f}, o {lstm.o[0]:.3f} (unit 0)",
                  str(cmp.lstm_weights), ", ".join(f"{v:.4f}" for v in lstm.h)]}),
    hide_index=True, key="rnn_table")
units = [f"unit {k}" for k in range(scenario.H)]
st.plotly_chart(paired_bars(units, (("RNN h(t)", rnn.h), ("LSTM g(t)", lstm.g),
                                    ("LSTM c(t)", lstm.c), ("LSTM h(t)", lstm.h)),
                            presenter=presenter), key="rnn_bars")
page.finish()
