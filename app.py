"""Home page: the cell explorer."""

import streamlit as st

from ui import page
from ui.tables import intermediates_table




scenario = page.start("Inside one LSTM time step")
st.caption(f"Preset: {scenario.preset} · D = {scenario.D} inputs, H = {scenario.H} units")
st.dataframe(intermediates_table(scenario.step()), hide_index=True)
page.finish()
