"""The GRU page's parts (issue 16): its options, the live cell, equations, the "LSTM vs GRU"
view and its code export. Widgets write the scenario (ui.state.bound); no maths here."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from explainer.gru_export import gru_keras_script, gru_numpy_script, gru_torch_script
from explainer.gru_lessons import CONVENTIONS, GATE_ROLES, parameter_counts, placements, swapped
from explainer.scenario import Scenario
from lstm_core import GRUStep
from ui import state
from ui.live_cell import live_cell
from viz.gru_equations import gru_equation_lines, gru_system
from viz.latex import numbers


def options(s: Scenario) -> None:
    """Where the reset gate acts, and whether links and export are about the GRU."""
    left, right = st.columns(2)
    left.toggle("Reset gate after the product (reset_after: PyTorch, Keras' default)",
                help="Off: the reset gate multiplies h(t-1) before W_hg, as in the original "
                     "GRU and the book (Keras reset_after=False)",
                **state.bound("gru_reset_after", s.gru.reset_after,
                              lambda s, v: s.with_gru(replace(s.gru, reset_after=bool(v)))))
    right.toggle("Share and export this scenario as a GRU",
                 help="Links, scenario files and the Share and export page then carry the GRU",
                 **state.bound("gru_share_as", s.cell == "gru",
                               lambda s, v: replace(s, cell="gru" if v else "lstm")))


def cell(s: Scenario) -> None:
    """The live GRU: its diagram, computed in the browser while a value moves (ui/live/gru.js),
    with the panel for x(t), h(t-1) and one layer's weights (hidden in presenter mode)."""
    live_cell(s, key="gru_cell", cell="gru", controls=not s.view.presenter)


def equations(step: GRUStep) -> None:
    lines = gru_equation_lines(step)
    st.latex(gru_system(lines))
    for line in lines:
        st.latex(line.numeric)
    st.caption(f"h(t) = {numbers(step.h, 8)}")


def lstm_vs_gru(s: Scenario, step: GRUStep) -> None:
    st.markdown("**Parameters** (counted from each layout's arrays, for D = "
                f"{s.D}, H = {s.H}):")
    rows = [(c.cell, c.blocks, c.per_block, c.total) for c in parameter_counts(s.params, s.gru)]
    st.dataframe(pd.DataFrame(rows, columns=["cell", "layers", "numbers per layer", "total"]),
                 hide_index=True, key="gru_counts")
    st.markdown("**Each GRU part in the LSTM's terms**")
    st.table(pd.DataFrame([(r.gru, r.lstm, r.what) for r in GATE_ROLES],
                          columns=["GRU", "plays the LSTM's", "what it does"]).set_index("GRU"))
    st.markdown("**z or 1 − z?** Texts disagree on which one keeps the old state. Here, as in "
                "PyTorch and Keras, z keeps it. In a text that writes "
                "h = (1 − z) h(t-1) + z h̃, the same cell has the gate 1 − z: "
                f"this step's z = {numbers(step.z)} would be printed as "
                f"{numbers(swapped(step.z))} there.")
    st.table(pd.DataFrame([(c.source, c.new_state, "z" if c.z_keeps else "1 − z", c.reset)
                           for c in CONVENTIONS],
                          columns=["source", "new state", "keeps h(t-1)", "reset gate"]
                          ).set_index("source"))
    both = placements(s.gru, s.x, s.h_prev)
    st.markdown("**Reset placement**, the same weights and inputs:")
    st.dataframe(pd.DataFrame([
        ("reset_after: r ⊗ (W_hgᵀ·h(t-1) + b_hg)", numbers(both.after.g), numbers(both.after.h)),
        ("before: W_hgᵀ·(r ⊗ h(t-1)) + b_hg", numbers(both.before.g), numbers(both.before.h)),
    ], columns=["placement", "g(t)", "h(t)"]), hide_index=True, key="gru_placements")
    if both.h_diff == 0.0:
        st.info("Here both placements give the same h(t) (for instance r = 1, or h(t-1) = 0 "
                "with b_hg = 0). Move r or b_hg and they part.")
    else:
        st.warning(f"The two placements differ here: g(t) by up to {both.g_diff:.4f} and h(t) "
                   f"by up to {both.h_diff:.4f}. A reset-before GRU cannot be loaded into "
                   "PyTorch's nn.GRUCell.")


def export(s: Scenario) -> None:
    numpy_tab, torch_tab, keras_tab = st.tabs(["NumPy", "PyTorch nn.GRUCell", "Keras GRUCell"])
    for tab, make, name in ((numpy_tab, gru_numpy_script, "numpy"),
                            (torch_tab, gru_torch_script, "torch"),
                            (keras_tab, gru_keras_script, "keras")):
        with tab:
            code = make(s)
            st.download_button(f"Download gru_step_{name}.py", code,
                               file_name=f"gru_step_{name}.py", mime="text/x-python",
                               key=f"gru_download_{name}", icon=":material/download:")
            st.code(code, language="python", line_numbers=True)
