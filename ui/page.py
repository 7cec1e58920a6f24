"""What every page does first and last: config, presenter styles, link warnings, URL sync.

    from ui import page
    scenario = page.start("Concatenation vs addition")   # set_page_config, sidebar, warnings
    ... the page body, using scenario ...
    page.finish()                                        # writes the scenario into the URL
"""

from __future__ import annotations

import streamlit as st

from lstm_core.scenario import Scenario
from ui import state


def start(title: str, *, wide: bool = True) -> Scenario:
    st.set_page_config(page_title=f"{title} · LSTM Explainer", page_icon="🧠",
                       layout="wide" if wide else "centered")
    scenario = state.scenario()
    st.title(title)
    state.show_url_warnings()
    return scenario


def finish() -> None:
    state.sync_url()
