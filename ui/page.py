"""What every page does first and last: config, sidebar, presenter styles, link warnings, URL.

    from ui import page
    scenario = page.start("Concatenation vs addition")   # config, sidebar, warnings
    ... the page body, using scenario ...
    page.finish()                                        # writes the scenario into the URL
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from explainer.codec import encode
from explainer.presets import PRESETS, build
from explainer.scenario import Scenario
from ui import ratelimit, state
from ui.address import address_link

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
PAGES = (  # (script, label in the navigation, icon): the order a course would follow
    ("app.py", "Cell explorer", ":material/hub:"),
    ("pages/1_Step_by_step.py", "Step by step", ":material/footprint:"),
    ("pages/2_Concatenation_vs_addition.py", "Concatenation vs addition", ":material/join:"),
    ("pages/3_Peepholes.py", "Peepholes", ":material/visibility:"),
    ("pages/4_Common_mistakes.py", "Common mistakes", ":material/report:"),
    ("pages/5_RNN_vs_LSTM.py", "RNN vs LSTM", ":material/compare_arrows:"),
    ("pages/6_Through_time.py", "Through time", ":material/timeline:"),
    ("pages/7_Share_and_export.py", "Share and export", ":material/share:"),
    ("pages/8_Backward_pass.py", "Backward pass", ":material/undo:"),
    ("pages/9_GRU.py", "The GRU cell", ":material/call_split:"),
    ("pages/10_Train.py", "Train it", ":material/model_training:"),
)


def start(title: str, *, wide: bool = True, sidebar: str = "auto") -> Scenario:
    """sidebar="collapsed" gives the page the whole width on first load (the explorer)."""
    ratelimit.admit()  # one tab holding an arrow key down must not starve the others
    scenario = state.scenario()
    presenter = scenario.view.presenter
    st.set_page_config(page_title=f"{title} · LSTM Explainer", page_icon="🧠",
                       layout="wide" if wide else "centered",
                       initial_sidebar_state="collapsed" if presenter else sidebar)
    _styles(presenter)
    _sidebar(scenario)
    st.title(title, anchor=False)  # no "link to heading" tab stop before the page's controls
    state.show_url_warnings()
    return state.scenario()


def finish() -> None:
    state.sync_url()


def share_link(*, explorer: bool = False) -> str:
    """The full link of this page with the current scenario; explorer=True: of the home page
    (the cell explorer), whichever page asks."""
    base = st.context.url or ""
    if explorer:
        base = app_root(base)
    return f"{base}?{urlencode(encode(state.scenario()))}"


def url_path(script: str) -> str:
    """The URL path Streamlit gives a page: pages/7_Share_and_export.py -> Share_and_export."""
    return "" if script == "app.py" else Path(script).stem.split("_", 1)[-1]


def app_root(url: str) -> str:
    """The link of the home page from the link of any page (also behind a path prefix)."""
    url = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    head, _, last = url.rpartition("/")
    pages = {url_path(script) for script, _, _ in PAGES} - {""}
    return f"{head}/" if last in pages else f"{url}/"


def _styles(presenter: bool) -> None:
    css = (ASSETS / "base.css").read_text()
    if presenter:
        css += (ASSETS / "presenter.css").read_text()
    st.html(f"<style>{css}</style>")


def _keyboard_script() -> None:
    """assets/a11y.js (static, no user text): collapsed sidebar out of the tab order, wide
    equations and code focusable. Drawn in the sidebar, where its empty element takes no room
    from the page."""
    st.html(f"<script>{(ASSETS / 'a11y.js').read_text()}</script>",
            unsafe_allow_javascript=True)


def _sidebar(scenario: Scenario) -> None:
    with st.sidebar:
        for script, label, icon in PAGES:
            if (ROOT / script).exists():
                st.page_link(script, label=label, icon=icon)
        st.divider()
        st.selectbox(
            "Preset", list(PRESETS), help="; ".join(f"{k}: {p.shows}" for k, p in PRESETS.items()),
            **state.bound("sidebar_preset", scenario.preset,
                          lambda s, name: replace(build(name), view=s.view)))
        st.caption(PRESETS[scenario.preset].shows if scenario.preset in PRESETS else "")
        if st.button("Reset to preset", key="sidebar_reset", icon=":material/restart_alt:",
                     help="Restore every value of the chosen preset"):
            state.set_scenario(replace(build(scenario.preset), view=scenario.view))
            st.rerun()
        st.toggle("Presenter mode", help="Large type and an uncluttered layout for projection",
                  **state.bound("sidebar_presenter", scenario.view.presenter,
                                lambda s, v: s.with_view(presenter=v)))
        with st.expander("Share this scenario"):
            st.caption("This link reopens exactly what you see; it follows every move.")
            address_link(key="sidebar_link")
        _keyboard_script()
