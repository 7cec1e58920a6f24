"""Peephole connections (Gers & Schmidhuber 2000) beside the basic cell, on the same inputs."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from explainer.lessons import compare_peepholes, with_peephole_weight
from lstm_core import GATES
from ui import page, state, text
from ui.lesson_controls import value_slider
from ui.live_cell import live_cell
from ui.peephole_note import zero_peepholes_note
from viz.latex import numbers
from viz.lessons import paired_bars

PEEPED = tuple(spec for spec in GATES if spec.peephole_from)
SOURCE = {"c_prev": "c(t-1)", "c": "c(t)"}


def set_weight(s, v, names=tuple(spec.name for spec in PEEPED)):
    for name in names:
        s = s.with_params(with_peephole_weight(s.params, name, v))
    return s


scenario = page.start("Peephole connections")
params, presenter = scenario.params, scenario.view.presenter
st.markdown(text.load("lessons/peepholes"))
if presenter:
    value_slider("Peephole weight w (all three gates, every unit)", "peep_all",
                 float(params.f.w_c[0]), set_weight)
else:
    for col, spec in zip(st.columns(len(PEEPED)), PEEPED):
        value_slider(f"w_c{spec.name}: {SOURCE[spec.peephole_from]} → {spec.title}",
                     f"peep_{spec.name}", float(params.gate(spec.name).w_c[0]),
                     lambda s, v, n=spec.name: set_weight(s, v, (n,)), container=col)
    st.toggle("Use peepholes everywhere in the app", **state.bound(
        "peep_use", params.use_peepholes,
        lambda s, v: s.with_params(replace(s.params, use_peepholes=v))))
zero_peepholes_note("peep_examples")  # all zero: say so, offer example weights

cmp = compare_peepholes(params, scenario.x, scenario.h_prev, scenario.c_prev)
with_tab, basic_tab = st.tabs(["With peepholes: three extra wires (dashed)",  # lazy: only
                               "Basic cell (Figure 14-13)"], key="peep_tab", on_change="rerun")
with_peepholes = replace(params, use_peepholes=True)  # the same numbers, two cells
if with_tab.open:  # only the open tab's diagram is drawn
    with with_tab:
        live_cell(scenario.with_params(with_peepholes), key="peep_cell", controls=False)
if basic_tab.open:
    with basic_tab:
        live_cell(scenario.with_params(replace(params, use_peepholes=False)),
                  key="peep_basic_cell", controls=False)
rows = [(f"z_{s.name}", cmp.basic.gate(s.name).z, cmp.peephole.gate(s.name).z) for s in GATES]
rows += [(f"{s.name}(t)", cmp.basic.gate(s.name).a, cmp.peephole.gate(s.name).a) for s in GATES]
rows += [("c(t)", cmp.basic.c, cmp.peephole.c), ("h(t)", cmp.basic.h, cmp.peephole.h)]
st.dataframe(pd.DataFrame({
    "quantity": [r[0] for r in rows], "basic cell": [numbers(r[1]) for r in rows],
    "with peepholes": [numbers(r[2]) for r in rows],
    "largest |change|": [f"{abs(r[2] - r[1]).max():.4f}" for r in rows]}),
    hide_index=True, key="peep_table")
labels = [f"{s.name}(t)" for s in GATES] + ["c(t)", "h(t)"]
basic = [cmp.basic.gate(s.name).a[0] for s in GATES] + [cmp.basic.c[0], cmp.basic.h[0]]
peep = [cmp.peephole.gate(s.name).a[0] for s in GATES] + [cmp.peephole.c[0], cmp.peephole.h[0]]
st.plotly_chart(paired_bars(labels, (("basic", basic), ("peepholes", peep)), presenter=presenter,
                            title="Element [0] of each quantity, both cells"), key="peep_bars")
page.finish()
