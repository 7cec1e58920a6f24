"""The GRU beside the LSTM (issue 16): its cell with live numbers, and what differs."""

import streamlit as st

from ui import gru, page, text

scenario = page.start("The GRU cell")
step = scenario.gru_step()
lead, reading = text.load("lessons/gru").split("\n---\n")
if scenario.view.presenter:  # the diagram first and large; words and options folded away
    gru.cell(scenario)
    with st.expander("About the GRU, and its options", expanded=False):
        st.markdown(lead)
        gru.options(scenario)
else:
    st.markdown(lead)
    gru.options(scenario)
    gru.cell(scenario)
    st.caption(reading)
with st.expander("The GRU's equations, with your numbers", expanded=not scenario.view.presenter):
    gru.equations(step)
st.header("LSTM vs GRU")
gru.lstm_vs_gru(scenario, step)
with st.expander("This GRU as code (NumPy, PyTorch, Keras)"):
    gru.export(scenario)
page.finish()
