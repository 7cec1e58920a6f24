"""F8: five common mistakes, each computed the wrong way beside the right way with the core."""

import streamlit as st

from ui import mistakes, page

scenario = page.start("Common mistakes")
st.caption(f"Preset **{scenario.preset}** · D = {scenario.D}, H = {scenario.H} · every number "
           "below is computed from the scenario, the right way and the wrong way.")
tabs = st.tabs([title for title, _ in mistakes.SECTIONS], key=mistakes.TAB_KEY,
               on_change="rerun")  # lazy: only the open tab's section is computed and drawn
for tab, (_, section) in zip(tabs, mistakes.SECTIONS):
    if tab.open:
        with tab:
            section(scenario)
page.finish()
