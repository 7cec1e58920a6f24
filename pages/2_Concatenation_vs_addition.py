"""F7: Wᵀ·[h(t-1); x(t)] + b equals W_hᵀh + W_xᵀx + b; σ(h + x) is something else."""

import pandas as pd
import streamlit as st

from explainer.lessons import block_product, naive_forget
from lstm_core import GATES
from ui import page, text
from ui.lesson_controls import value_slider
from ui.live_cell import live_cell
from viz.latex import numbers, vector_row
from viz.lessons import block_matrix_figure, paired_bars

scenario = page.start("Concatenation vs addition")
params, step, presenter = scenario.params, scenario.step(), scenario.view.presenter
D, H = scenario.D, scenario.H

st.header("1 · One matrix on the stacked vector = two matrices, added")
st.markdown(text.load("lessons/concat_block"))
bp = block_product(params, step, "f")
st.latex(rf"\mathbf{{W}}_f^T = [\mathbf{{W}}_{{hf}}^T\ \ \mathbf{{W}}_{{xf}}^T]:\ ({H}\times{H}"
         rf"\ \text{{and}}\ {H}\times{D}) \to ({H}\times{H + D}),\quad"
         rf"[\mathbf{{h}}_{{(t-1)}};\ \mathbf{{x}}_{{(t)}}]:\ ({H + D},)")
st.plotly_chart(block_matrix_figure(bp, presenter=presenter), key="concat_blocks")
st.caption("In the cell: [h(t-1); x(t)] feeds the forget gate; move W_xf or W_hf (panel, "
           "gate f) or drag x(t) and watch f(t) follow.")
live_cell(scenario, key="concat_cell", highlight=frozenset({"concat", "forget"}),
          controls=not presenter, gate="f")
gate = step.forget
st.latex(r"\mathbf{W}_f^T[\mathbf{h}_{(t-1)};\mathbf{x}_{(t)}] + \mathbf{b}_f = "
         r"\mathbf{W}_{hf}^T\mathbf{h}_{(t-1)} + \mathbf{W}_{xf}^T\mathbf{x}_{(t)}"
         r" + \mathbf{b}_f")
terms = (("W_hfᵀ·h(t-1)", gate.Wh_h), ("W_xfᵀ·x(t)", gate.Wx_x), ("b_f", gate.b),
         ("sum of the two products + b_f", bp.z_split),
         ("Wᵀ·[h; x] + b_f (one product)", bp.z_block))
st.dataframe(pd.DataFrame({"term": [t for t, _ in terms],
                           **{f"unit {k}": [f"{v[k]:.6f}" for _, v in terms] for k in range(H)}}),
             hide_index=True, key="concat_terms")
checks = [block_product(params, step, spec.name) for spec in GATES]
st.dataframe(pd.DataFrame({
    "gate": [f"{c.gate} · {spec.title}" for c, spec in zip(checks, GATES)],
    "largest |difference| between the two forms": [f"{c.max_abs_diff:.1e}" for c in checks],
    "equal": ["✓ equal" if c.equal else "✗ differ" for c in checks]}),
    hide_index=True, key="concat_checks")

st.header("2 · The learner's σ(h + x) beside the real forget gate")
st.markdown(text.load("lessons/concat_naive"))
naive = naive_forget(params, scenario.x, scenario.h_prev, scenario.c_prev)
st.markdown("\n".join(f"- {'✓' if c.holds else '✗'} {c.label}" for c in naive.conditions))
if D == H:
    value_slider("Move one weight: W_xf[0, 0]", "concat_wxf00", float(params.f.W_x[0, 0]),
                 lambda s, v: s.with_params(s.params.with_element("f", "W_x", (0, 0), v)))
if naive.defined:
    st.code("\n".join([vector_row("σ(h + x)", naive.naive), vector_row("f(t)    ", naive.real)]),
            language=None)
    if naive.equal:
        st.success("Equal here: every condition above holds, so the shortcut happens to work.")
    else:
        st.error(f"Different: the largest gap is {naive.max_abs_diff:.6f}.")
    units = [f"unit {k}" for k in range(H)]
    st.plotly_chart(paired_bars(units, (("real f(t)", naive.real), ("σ(h + x)", naive.naive)),
                                presenter=presenter, y_range=(0, 1.1)), key="concat_bars")
else:
    st.error(f"σ(h + x) is undefined: {naive.shapes} cannot be added. The real forget gate "
             f"still works: W_xf is ({D}, {H}), so f(t) = {numbers(naive.real)}.")
if D == H:
    other = scenario.resized(D + 1, H)
    wider = naive_forget(other.params, other.x, other.h_prev, other.c_prev)
    st.warning(f"With one more input (D = {D + 1}, H = {H}): {wider.shapes} has no meaning, "
               f"while the real gate maps x through W_xf ({D + 1}, {H}) and gives "
               f"f(t) = {numbers(wider.real)}.")
page.finish()
