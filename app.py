"""Home page: the cell explorer."""

import streamlit as st

from ui import state
from ui.tables import intermediates_table

st.set_page_config(page_title="LSTM Explainer", page_icon="🧠", layout="wide")
st.title("Inside one LSTM time step")
state.show_url_warnings()
scenario = state.scenario()
st.caption(f"Preset: {scenario.preset} · D = {scenario.D} inputs, H = {scenario.H} units")
st.dataframe(intermediates_table(scenario.step()), hide_index=True)
state.sync_url()
