"""The cell explorer: controls, diagram, equations and the table, rerun as one fragment so a
burst of key presses settles quickly.

What a key press redraws is kept small: only the open control tab is drawn, and the equations
and the table sit in expanders that are drawn only while open (typeset equations and a data
grid made the browser's update of a key press about twice as slow as the diagram alone).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from explainer.scenario import Scenario
from lstm_core import LSTMStep
from lstm_core.intermediates import changes
from ui import controls, ratelimit, state
from ui.tables import intermediates_table
from viz.diagram import alt_text, cell_diagram
from viz.equations import equation_lines, system

PLOT_CONFIG = {"displaylogo": False, "scrollZoom": False,
               "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}


@st.fragment
def explorer() -> None:
    ratelimit.admit()  # a fragment rerun does not pass through page.start
    s = state.scenario()
    step = s.step()
    if s.view.presenter:
        diagram(s, step)
        with st.expander("Controls", expanded=False):
            control_tabs(s)
    else:
        left, right = st.columns([1, 3], gap="small")
        with left:
            control_tabs(s)
        with right:
            diagram(s, step)
            what_changed(step)
    with lazy_expander("Equation 14-3, with your numbers", "explorer_equations") as open_:
        if open_:
            equations(s, step)
    with lazy_expander("Every intermediate (table)", "explorer_table") as open_:
        if open_:
            st.dataframe(intermediates_table(step), hide_index=True, key="table_all")
    state.sync_url()


@contextmanager
def lazy_expander(label: str, key: str) -> Iterator[bool]:
    """A closed expander whose content is drawn only while it is open (opening it reruns the
    fragment); yields whether it is open. It stays open across reruns once the user opens it."""
    with st.expander(label, expanded=False, key=key, on_change="rerun") as box:
        yield bool(box.open)


CONTROL_TABS = ("Inputs & state", "Weights & biases", "Sizes & options")


def control_tabs(s: Scenario) -> None:
    """Only the open tab's controls are drawn (lazy tabs): fewer widgets per rerun."""
    tabs = st.tabs(CONTROL_TABS, key="explorer_tab", on_change="rerun")
    for tab, draw in zip(tabs, (controls.vector_controls, controls.gate_controls,
                                controls.size_controls)):
        if tab.open:
            with tab:
                draw(s)


def diagram(s: Scenario, step: LSTMStep) -> None:
    fig = cell_diagram(step, presenter=s.view.presenter)
    st.plotly_chart(fig, config=PLOT_CONFIG, alt=alt_text(step), key="cell_diagram")


def what_changed(step: LSTMStep, shown: int = 12) -> None:
    """The values your last move changed, in the order the cell computes them."""
    moved = changes(state.previous().step(), step)
    if not moved:
        st.caption("What changed: move a control and the values it affects are listed here.")
        return
    lines = [f"{state.plain(c.symbol)}[{c.index}]: {c.before:+.4f} → {c.after:+.4f} "
             f"(**{c.delta:+.4f}**)" for c in moved[:shown]]
    more = f" · and {len(moved) - shown} more" if len(moved) > shown else ""
    st.markdown(f"**What changed** after your last move ({len(moved)} values{more}):  \n"
                + " · ".join(lines))


def equations(s: Scenario, step: LSTMStep) -> None:
    lines = equation_lines(step)
    st.latex(system(lines))
    st.caption(f"With the current values · x(t) has shape ({s.D},), every gate vector "
               f"({s.H},) · each line: the products Wᵀ·x and Wᵀ·h and the bias, their sum z, "
               "then the activation")
    cols = st.columns(2 if s.H <= 4 else 1)
    for k, line in enumerate(lines):
        with cols[k % len(cols)]:
            st.latex(line.numeric)
