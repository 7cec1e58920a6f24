"""What the Peepholes toggle says when every peephole weight is 0 (it would change nothing)."""

from __future__ import annotations

import streamlit as st

from explainer.lessons import EXAMPLE_PEEPHOLES, peepholes_all_zero, with_example_peepholes
from ui import state


def _use_examples() -> None:
    s = state.scenario()
    state.set_scenario(s.with_params(with_example_peepholes(s.params)))


def zero_peepholes_note(key: str) -> None:
    """When every peephole weight is 0: say that the peephole wires carry nothing, and offer a
    button that sets EXAMPLE_PEEPHOLES (and turns peepholes on)."""
    s = state.scenario()
    if not peepholes_all_zero(s.params):
        return
    weights = ", ".join(f"w_c{name} = {value:+g}" for name, value in EXAMPLE_PEEPHOLES)
    st.info("Every peephole weight is 0, so the peephole wires add nothing: the cell computes "
            "exactly what the basic cell does. Give them weights to see what they change.",
            icon=":material/info:")
    st.button(f"Use example peephole weights ({weights})", key=key,
              icon=":material/auto_fix_high:", on_click=_use_examples)
