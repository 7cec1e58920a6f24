"""AppTest: the GRU page shows gru_step's numbers, follows its controls and links, and the Share
page exports the GRU when the scenario's cell is the GRU."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
from apptest import live_data, open_app, send_trigger
from streamlit.testing.v1 import AppTest

from explainer.gru_lessons import parameter_counts
from explainer.presets import build
from lstm_core import gru_step
from viz.latex import numbers

PAGE = "pages/9_GRU.py"


def shown_h(at: AppTest) -> str:
    """The caption under the equations: h(t) with 8 decimals."""
    return next(c.value for c in at.caption if c.value.startswith("h(t) = ["))


def frame(at: AppTest, column: str):
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_shows_the_core_numbers_for_a_reset_before_link():
    at = open_app(PAGE, preset="gru-reset-before")
    assert not at.exception
    s = build("gru-reset-before")
    step = s.gru_step()
    assert shown_h(at) == f"h(t) = {numbers(step.h, 8)}"
    data = live_data(at, "gru_cell")  # what the live cell computes from, in the browser
    assert data["cell"] == "gru" and data["params"]["reset_after"] is False
    assert data["x"] == s.x.tolist() and data["h"] == s.h_prev.tolist()
    assert data["params"]["gates"]["g"]["b_x"] == s.gru.g.b_x.tolist()
    assert data["canvas"]["cell"] == "gru" and data["canvas"]["reset_after"] is False
    assert "W_hgᵀ·(r(t) ⊗ h(t-1))" in data["formulas"]["g"]
    latex = " ".join(e.value for e in at.latex)
    assert f"{step.g[1]:.4f}" in latex and r"\mathbf{r}_{(t)} \otimes \mathbf{h}_{(t-1)}" in latex


def test_reset_placement_toggle_changes_h_and_the_link():
    at = open_app(PAGE, preset="gru-reset-before")
    at.toggle(key="gru_reset_after").set_value(True).run()
    assert not at.exception
    s = at.session_state["scenario"]
    assert s.gru.reset_after is True
    after = gru_step(replace(build("gru-reset-before").gru, reset_after=True), s.x, s.h_prev)
    assert shown_h(at) == f"h(t) = {numbers(after.h, 8)}"
    assert at.query_params["gra"] == "1"  # the preset's placement is 0: now written


def test_a_move_in_the_live_cell_moves_the_gru_step():
    at = open_app(PAGE, preset="gru-keep")
    x1 = at.session_state["scenario"].x[1]
    send_trigger(at, "edit", {"seq": 1, "values": {"x": [-1.5, x1]}}, key="gru_cell")
    assert not at.exception
    s = at.session_state["scenario"]
    assert s.x[0] == -1.5
    expected = gru_step(build("gru-keep").gru, [-1.5, x1], s.h_prev)
    assert shown_h(at) == f"h(t) = {numbers(expected.h, 8)}"
    assert live_data(at, "gru_cell")["ack"] == 1


def test_weights_moved_in_the_live_cell_edit_the_gru_and_not_the_lstm():
    at = open_app(PAGE, preset="default")
    send_trigger(at, "edit", {"seq": 1, "values": {"gbhr": [0.0, 2.5]}}, key="gru_cell")
    s = at.session_state["scenario"]
    assert s.gru.r.b_h.tolist() == [0.0, 2.5]
    np.testing.assert_array_equal(s.params.o.b, build("default").params.o.b)
    assert at.query_params["gbhr"] == "0,2.5"
    assert shown_h(at) == f"h(t) = {numbers(s.gru_step().h, 8)}"
    send_trigger(at, "edit", {"seq": 2, "values": {"gWxz": [[99.0, 0], [0, 0]]}}, key="gru_cell")
    assert at.session_state["scenario"].gru.z.W_x[0, 0] != 99.0  # out of bounds: refused
    assert any("gWxz" in w.value for w in at.warning)


def test_lstm_vs_gru_view_has_computed_counts_and_both_placements():
    at = open_app(PAGE, preset="default", D="3", H="4")
    s = at.session_state["scenario"]
    counts = frame(at, "numbers per layer")
    expected = [c.total for c in parameter_counts(s.params, s.gru)]
    assert list(counts["total"]) == expected == [4 * (12 + 16 + 4), 4 * (12 + 16 + 8),
                                                 3 * (12 + 16 + 8), 3 * (12 + 16 + 4)]
    places = frame(at, "placement")
    after = gru_step(replace(s.gru, reset_after=True), s.x, s.h_prev)
    before = gru_step(replace(s.gru, reset_after=False), s.x, s.h_prev)
    assert list(places["h(t)"]) == [numbers(after.h), numbers(before.h)]
    conventions = next(t.value for t in at.table if "keeps h(t-1)" in t.value.columns)
    assert {"z", "1 − z"} <= set(conventions["keeps h(t-1)"])
    assert conventions.loc["PyTorch nn.GRU / nn.GRUCell", "keeps h(t-1)"] == "z"


def test_hostile_gru_link_warns_and_keeps_the_rest():
    at = open_app(preset="gru-keep", gWxz="<b>1,2", cell="gru", x="0.5,0.25")  # first page
    warnings = [w.value for w in at.warning]
    assert any("gWxz" in w for w in warnings) and not any("<b>" in w for w in warnings)
    at.switch_page(PAGE).run()
    assert not at.exception
    s = at.session_state["scenario"]
    np.testing.assert_array_equal(s.x, [0.5, 0.25])
    assert s.cell == "gru"


def test_share_page_exports_the_gru_once_the_cell_is_gru(tmp_path):
    at = open_app(PAGE, preset="default")
    at.toggle(key="gru_share_as").set_value(True).run()
    assert at.session_state["scenario"].cell == "gru"
    at.switch_page("pages/7_Share_and_export.py").run()
    assert not at.exception
    blocks = [c.value for c in at.code]
    assert any("cell=gru" in b for b in blocks)  # the link
    assert any("torch.nn.GRUCell" in b for b in blocks)
    assert any("keras.layers.GRUCell" in b for b in blocks)
    script = next(b for b in blocks if "import numpy" in b and "keras" not in b)
    path = tmp_path / "gru.py"
    path.write_text(script)
    out = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    h = json.loads(out.split("h(t) = ", 1)[1].splitlines()[0])
    np.testing.assert_allclose(h, build("default").gru_step().h, rtol=0, atol=1e-12)


def test_gru_presets_open_on_the_gru_page_with_the_gru_cell():
    for name in ("gru-keep", "gru-overwrite", "gru-reset"):
        at = open_app(PAGE, preset=name)
        assert not at.exception
        assert at.toggle(key="gru_share_as").value is True
        assert shown_h(at) == f"h(t) = {numbers(build(name).gru_step().h, 8)}"

