"""Home page: the cell explorer (Figure 14-13 with live values)."""

import streamlit as st

from ui import page
from ui.explorer import explorer

scenario = page.start("Inside one LSTM time step", sidebar="collapsed")
if not scenario.view.presenter:  # projected, the diagram gets the screen
    st.caption(f"Preset **{scenario.preset}** · D = {scenario.D} inputs, H = {scenario.H} units · "
               "drag a value on the diagram or a slider (mouse, finger or arrow keys) · "
               "presets, pages and sharing are in the sidebar (» top left)")
explorer()
page.finish()
