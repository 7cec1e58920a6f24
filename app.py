"""Home page: the cell explorer (Figure 14-13 with live values)."""

import streamlit as st

from ui import page
from ui.explorer import explorer

scenario = page.start("Inside one LSTM time step")
st.caption(f"Preset **{scenario.preset}** · D = {scenario.D} inputs, H = {scenario.H} units · "
           "drag a slider, or focus it and use the arrow keys")
explorer()
page.finish()
