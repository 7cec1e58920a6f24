"""The cell explorer: the live cell (diagram and its controls, computed in the browser while
the hand moves), what the last move changed, the other controls, and the equations and table.

The live cell sends a moved value to the server once the hand rests (ui.live_cell); that
reruns the fragment `cell`, so equations, table, what changed and the URL follow it, and the
sidebar's share link follows the URL in the browser (ui.address). The equations and the table
sit in expanders that are drawn only while open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from explainer.scenario import Scenario
from lstm_core import LSTMStep
from lstm_core.intermediates import changes
from ui import controls, ratelimit, state
from ui.live_cell import live_cell
from ui.tables import intermediates_table
from viz.equations import equation_lines, system


def explorer() -> None:
    cell()
    s = state.scenario()
    with lazy_expander("Sizes, options and fill helpers", "explorer_more") as open_:
        if open_:
            more_controls(s)


@st.fragment
def cell() -> None:
    """What a move in the live cell changes, rerun alone (a fragment) when it syncs: the page
    frame, the sidebar and the other controls stay as they are (the sidebar's share link
    follows the address bar by itself: ui.address)."""
    ratelimit.admit()  # a fragment rerun does not pass through page.start
    s = state.scenario()
    step = s.step()
    live_cell(s, key="home_cell", controls=not s.view.presenter)
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
    fragment or page it is in); yields whether it is open. It stays open across reruns once
    the user opens it."""
    with st.expander(label, expanded=False, key=key, on_change="rerun") as box:
        yield bool(box.open)


def more_controls(s: Scenario) -> None:
    """What the live cell does not hold: sizes, peepholes, the forget-bias offset, fill
    helpers, and a table editor for weight blocks too large for single sliders."""
    controls.size_controls(s)
    controls.fill_controls(s)


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
    # one element for all six lines: each element is a message a move's rerun sends
    st.latex(r"\begin{gathered}" + r" \\[10pt] ".join(line.numeric for line in lines)
             + r"\end{gathered}")
