"""The GRU picture: its canvas (plain data, both reset placements, every size) and the Plotly
figure painted on it with a step's numbers."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

from explainer.presets import build
from lstm_core import GRUParams, gru_step
from viz.canvas import GRU_PARTS, Box, Node, Slot, gru_canvas
from viz.gru_diagram import gru_alt_text, gru_diagram, gru_values

SIZES = list(itertools.product(range(1, 9), repeat=2))
VECTORS = ("h_prev", "x", "xh", "z", "r", "g", "z_h_prev", "one_minus_z", "one_minus_z_g", "h")


def rect(item):
    if isinstance(item, Slot):
        return item.x0, item.x1, item.y0, item.y1
    if isinstance(item, Box):
        return item.x - item.w / 2, item.x + item.w / 2, item.y - item.h / 2, item.y + item.h / 2
    return item.x - item.r, item.x + item.r, item.y - item.r, item.y + item.r


def apart(a, b) -> bool:
    ax0, ax1, ay0, ay1 = rect(a)
    bx0, bx1, by0, by1 = rect(b)
    return ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0


def step(D=2, H=3, reset_after=True, seed=1):
    rng = np.random.default_rng(seed)
    params = GRUParams.random(D, H, seed=seed, scale=1.5, reset_after=reset_after)
    return gru_step(params, rng.normal(size=D), rng.uniform(-1, 1, H))


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize(("D", "H"), SIZES)
def test_slots_hold_their_elements_and_nothing_overlaps(D, H, reset_after):
    canvas = gru_canvas(D, H, reset_after)
    slots = {s.vector: s for s in canvas.of(Slot) if not s.key_values}
    assert set(slots) == set(VECTORS)
    for name, slot in slots.items():
        assert sum(slot.rows) == {"x": D, "xh": H + D}.get(name, H), name
        assert 0 <= slot.x0 and slot.x1 <= canvas.width and 0 <= slot.y0
        assert slot.y1 <= canvas.height
    solid = [*canvas.of(Slot), *canvas.of(Box), *canvas.of(Node)]
    for a, b in itertools.combinations(solid, 2):
        assert apart(a, b), (a.id, b.id)


def test_the_candidate_column_follows_the_reset_placement():
    after, before = gru_canvas(2, 2, True), gru_canvas(2, 2, False)
    # reset_after: the recurrent product first (lower), then the ⊗; before: the other way round
    assert after.get("box.gh").y < after.get("node.reset_mul").y
    assert before.get("node.reset_mul").y < before.get("box.gh").y
    assert after.get("node.reset_mul").vector == "rec"
    assert before.get("node.reset_mul").vector == "h_in"
    assert "r(t) ⊗ (W_hgᵀ·h(t-1) + b_hg)" in after.get("slot.g").note
    assert "W_hgᵀ·(r(t) ⊗ h(t-1))" in before.get("slot.g").note
    # the r wire ends at the ⊗ in both
    for canvas in (after, before):
        end = canvas.get("wire.r").points[-1]
        mul = canvas.get("node.reset_mul")
        assert end == (mul.x - mul.r, mul.y)


def test_same_visual_language_as_the_lstm():
    canvas = gru_canvas(3, 2)
    concat = canvas.get("box.concat")
    assert concat.fill == "junction" and concat.label[0].text == "‖"
    assert {n.symbol for n in canvas.of(Node)} == {"×", "+", "1−"}
    assert canvas.get("wire.kept").role == "state"
    assert canvas.get("slot.xh").seam == 2  # h(t-1) then x(t)
    assert {item.part for item in canvas.items} == {*GRU_PARTS, "key"}
    d = canvas.to_dict()
    assert json.loads(json.dumps(d)) == d and d["cell"] == "gru" and d["reset_after"] is True
    assert len(set(canvas.ids)) == len(canvas.ids)


def test_every_vector_and_wire_value_comes_from_the_step():
    s = step(2, 3, reset_after=False)
    values = gru_values(s)
    canvas = gru_canvas(2, 3, False)
    for item in canvas.items:
        vector = getattr(item, "vector", "")
        if vector and not getattr(item, "key_values", ()):
            assert vector in values, item.id
    np.testing.assert_array_equal(values["h_in"], s.r * s.h_prev)
    np.testing.assert_array_equal(values["one_minus_z_g"], (1 - s.z) * s.g)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize(("D", "H"), [(1, 1), (2, 2), (5, 3), (8, 8)])
def test_the_figure_shows_the_steps_numbers_in_every_slot(D, H, reset_after):
    s = step(D, H, reset_after)
    fig = gru_diagram(s)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    slots = gru_canvas(D, H, reset_after).of(Slot)
    assert len(heatmaps) == len(slots)
    values = gru_values(s)
    for slot, hm in zip(slots, heatmaps):
        assert (hm.x0, hm.y0) == (slot.x0 + slot.cell_w / 2, slot.y0 + slot.cell_h / 2)
        if slot.key_values:
            continue
        shown = [float(t.split("= ")[-1].rstrip("</b>")) for row in hm.hovertext[::-1]
                 for t in row if t]
        np.testing.assert_allclose(shown, values[slot.vector], atol=5e-5)


def test_hover_names_the_placement_and_the_layer_numbers():
    s = step(2, 2, reset_after=True)
    text = json.dumps(gru_diagram(s).to_plotly_json(), ensure_ascii=False)
    assert "g(t) = tanh(W_xgᵀ·x(t) + b_xg + r(t) ⊗ (W_hgᵀ·h(t-1) + b_hg))" in text
    assert f"{s.candidate.pre[0]:.4f}" in text  # the pre-activation in the layer's hover
    assert f"{s.candidate.rec[1]:.4f}" in text  # the recurrent term on its wire


def test_highlight_and_validation():
    s = step()
    fig = gru_diagram(s, highlight=frozenset({"update"}))
    dimmed = [t.opacity for t in fig.data if t.type == "heatmap"]
    assert min(dimmed) < 1 and max(dimmed) == 1
    with pytest.raises(ValueError, match="unknown diagram elements"):
        gru_diagram(s, highlight=frozenset({"forget"}))
    with pytest.raises(ValueError, match="one step"):
        gru_diagram(gru_step(GRUParams.zeros(2, 3), np.zeros((4, 2)), np.zeros((4, 3))))
    go.Figure(gru_diagram(s, presenter=True).to_dict())  # validates


def test_alt_text_has_the_numbers_and_the_placement():
    s = build("gru-reset-before").gru_step()
    text = gru_alt_text(s)
    assert "concatenated, not added" in text and "reset before" in text
    assert f"{s.h[0]:.2f}" in text
    after = gru_step(replace(build("gru-reset-before").gru, reset_after=True), s.x, s.h_prev)
    assert "reset after" in gru_alt_text(after)
