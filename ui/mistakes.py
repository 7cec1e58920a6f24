"""One section per common mistake (F8): its explanation, the wrong and the right numbers.
Each function draws into the current container; the numbers all come from explainer.lessons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explainer.lessons import (
    FRAMEWORK_ORDERS,
    bias_placement,
    forget_bias_cases,
    order_mixup,
    soft_gates,
    split_bias,
)
from explainer.scenario import Scenario
from lstm_core import Activation
from lstm_core.params import TF1_LETTERS
from ui import text
from ui.lesson_controls import value_slider
from viz.curves import activation_curve
from viz.latex import numbers, vector_row
from viz.lessons import paired_bars


def _units(s: Scenario) -> list[str]:
    return [f"unit {k}" for k in range(s.H)]


def gates_are_soft(s: Scenario) -> None:
    st.markdown(text.load("lessons/soft_gates"))
    sg = soft_gates(s.step())
    st.dataframe(pd.DataFrame({"gate value σ(z)": [f"{lv.value:g}" for lv in sg.levels],
                               "needs z =": [f"{lv.z:.4f}" for lv in sg.levels]}),
                 hide_index=True, key="mistake_levels")
    st.markdown(f"In float64, σ(z) rounds to exactly **1.0** from z ≈ **{sg.sigmoid_one:.4f}** "
                f"and underflows to exactly **0.0** below z ≈ **{sg.sigmoid_zero:.2f}**; "
                f"tanh(z) reaches exactly 1.0 from z ≈ {sg.tanh_one:.2f}.")
    for g in sg.gates:
        bound = "touches 0 or 1 exactly" if g.hits_bound else "never exactly 0 or 1"
        st.markdown(f"- This step's **{g.title}** lies in [{g.lowest:.6f}, {g.highest:.6f}]: "
                    f"{bound}.")
    st.plotly_chart(activation_curve("f", Activation.SIGMOID, s.step().z_f,
                                     presenter=s.view.presenter), key="mistake_curve")


def bias_inside(s: Scenario) -> None:
    st.markdown(text.load("lessons/bias_inside"))
    value_slider("Forget-gate bias b_f (every unit)", "mistake_bf", float(s.params.f.b[0]),
                 lambda s, v: s.with_params(s.params.with_gate("f", b=np.full(s.H, v))))
    placements = bias_placement(s.step())
    st.dataframe(pd.DataFrame({
        "layer": [f"{p.name} · {p.title}" for p in placements],
        "right: act(z)": [numbers(p.inside) for p in placements],
        "wrong: act(z − b) + b": [numbers(p.outside) for p in placements],
        "wrong version can reach": [f"({p.wrong_range[0]:.2f}, {p.wrong_range[1]:.2f})"
                                    for p in placements],
        "out of the real range now": ["yes ✗" if p.out_of_range else "no" for p in placements],
    }), hide_index=True, key="mistake_bias_table")
    f = placements[0]
    st.plotly_chart(paired_bars(_units(s), (("σ(z_f): right", f.inside),
                                            ("σ(z_f − b_f) + b_f: wrong", f.outside)),
                                presenter=s.view.presenter), key="mistake_bias_bars")


def forget_bias(s: Scenario) -> None:
    st.markdown(text.load("lessons/forget_bias"))
    cases = forget_bias_cases(s.H, steps=10)
    st.dataframe(pd.DataFrame({
        "framework": [c.framework for c in cases], "how": [c.how for c in cases],
        "f on zero input": [f"{c.f[0]:.4f}" for c in cases],
        "memory left after 10 quiet steps (from 1.0)": [f"{c.kept[0]:.4f}" for c in cases]}),
        hide_index=True, key="mistake_forget_table")


def two_biases(s: Scenario) -> None:
    st.markdown(text.load("lessons/two_biases"))
    sb = split_bias(s.params, s.x, s.h_prev, s.c_prev)
    st.code("\n".join([vector_row("bias_ih", sb.bias_ih, 4), vector_row("bias_hh", sb.bias_hh, 4),
                       vector_row("h(t), this scenario        ", sb.h_reference, 6),
                       vector_row("h(t), bias_ih + bias_hh    ", sb.h_split, 6),
                       vector_row("h(t), bias_hh left out     ", sb.h_dropped, 6)]),
            language=None, wrap_lines=True)
    st.markdown(f"Both biases loaded: largest difference **{sb.split_diff:.1e}**, the same step. "
                f"Only bias_ih: off by up to **{sb.dropped_diff:.4f}**.")


def gate_order(s: Scenario) -> None:
    st.markdown(text.load("lessons/gate_order"))
    st.dataframe(pd.DataFrame({fw: list(order) for fw, order in FRAMEWORK_ORDERS},
                              index=[f"block {k}" for k in range(4)]), key="mistake_orders")
    om = order_mixup(s.params, s.x, s.h_prev, s.c_prev)
    moved = ", ".join(f"TF1's **{TF1_LETTERS.get(r.loaded, r.loaded)}** ({r.loaded}) block "
                      f"lands in PyTorch's **{r.slot}** slot"
                      for r in om.slots if r.slot != r.loaded)
    st.markdown(f"Reading a TF1 kernel in PyTorch order: {moved}.")
    st.plotly_chart(paired_bars(_units(s), (("h(t), right order", om.right.h),
                                            ("h(t), TF1 read as PyTorch", om.wrong.h)),
                                presenter=s.view.presenter), key="mistake_order_bars")
    if om.blocks_identical:
        st.info("Every gate has the same weights here, so the swap changes nothing: a test with "
                "such symmetric weights never catches this bug. Try the default preset.")
    else:
        st.error(f"Wrong numbers: h(t) off by up to {om.h_diff:.4f}, c(t) by {om.c_diff:.4f}.")


TAB_KEY = "mistake_tab"  # st.tabs key: the open tab's label
SECTIONS = (
    ("1 · Gates are soft", gates_are_soft),
    ("2 · Bias inside σ", bias_inside),
    ("3 · Forget bias 1.0", forget_bias),
    ("4 · PyTorch's two biases", two_biases),
    ("5 · Gate order", gate_order),
)
