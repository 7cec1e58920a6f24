"""viz.canvas: the cell's layout as plain data (no Plotly), shared with a browser renderer."""

from __future__ import annotations

import ast
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from explainer.presets import build
from explainer.walkthrough import STEPS
from lstm_core import GATE_ORDER, LSTMParams, lstm_step
from viz.canvas import PARTS, Box, Dot, Label, Node, Slot, Wire, lstm_canvas
from viz.diagram import cell_diagram

SIZES = list(itertools.product(range(1, 9), repeat=2))
VECTORS = ("c_prev", "h_prev", "x", "xh", "i", "f", "g", "o", "f_c_prev", "i_g", "c", "tanh_c",
           "h")


def test_the_canvas_module_imports_no_drawing_library():
    tree = ast.parse(Path("viz/canvas.py").read_text())
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
             for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree)
              if isinstance(n, ast.ImportFrom) and n.module and not n.level}
    assert names <= {"__future__", "dataclasses", "lstm_core"}


@pytest.mark.parametrize(("D", "H"), SIZES)
def test_every_vector_has_one_slot_that_holds_exactly_its_elements(D, H):
    canvas = lstm_canvas(D, H, use_peepholes=True)
    slots = {s.vector: s for s in canvas.of(Slot) if not s.key_values}
    assert set(slots) == set(VECTORS)
    size = {"x": D, "xh": H + D}
    for name, slot in slots.items():
        assert sum(slot.rows) == size.get(name, H), name
        assert 0 <= slot.x0 and slot.x1 <= canvas.width and 0 <= slot.y0
        assert slot.y1 <= canvas.height


@pytest.mark.parametrize(("D", "H"), SIZES)
def test_value_strips_do_not_overlap(D, H):
    slots = lstm_canvas(D, H, use_peepholes=True).of(Slot)
    for a, b in itertools.combinations(slots, 2):
        apart = a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0
        assert apart, (a.id, b.id)


def test_ids_are_unique_stable_and_name_their_kind():
    canvas = lstm_canvas(2, 3, use_peepholes=True)
    prefix = {Wire: "wire.", Slot: "slot.", Box: "box.", Node: "node.", Dot: "dot.",
              Label: "label."}
    for item in canvas.items:
        assert item.id.startswith(prefix[type(item)]) and item.part in (*PARTS, "key")
    assert canvas.ids == lstm_canvas(2, 3, use_peepholes=True).ids  # deterministic
    for g in GATE_ORDER:
        assert canvas.get(f"box.{g}").gate == g and canvas.get(f"slot.{g}").vector == g
    assert {"node.forget_mul", "node.input_mul", "node.add", "node.output_mul"} <= set(canvas.ids)
    with pytest.raises(KeyError):
        canvas.get("box.nope")


def test_peephole_wires_only_with_peepholes():
    on, off = lstm_canvas(2, 2, True), lstm_canvas(2, 2, False)
    peep = {w.id for w in on.of(Wire) if w.role == "peephole"}
    assert peep == {"wire.peep_i", "wire.peep_f", "wire.peep_o"}
    assert not [w for w in off.of(Wire) if w.role == "peephole"]
    assert set(off.ids) < set(on.ids)


def test_concatenation_seam_splits_h_from_x():
    short, long = lstm_canvas(2, 3).get("slot.xh"), lstm_canvas(5, 3).get("slot.xh")
    assert short.rows == (5,) and short.seam == 3  # one row: a seam after h(t-1)
    assert long.rows == (3, 5) and long.seam is None  # two rows: h(t-1) on top of x(t)


def test_to_dict_is_json_and_keeps_everything():
    canvas = lstm_canvas(3, 2, use_peepholes=True)
    data = json.loads(json.dumps(canvas.to_dict(), allow_nan=False))
    assert (data["width"], data["height"], data["D"], data["H"]) == (1040, 540, 3, 2)
    assert data["parts"] == list(PARTS) and data["use_peepholes"] is True
    assert [d["id"] for d in data["items"]] == list(canvas.ids)
    wire = next(d for d in data["items"] if d["id"] == "wire.c_prev")
    assert wire["type"] == "wire" and wire["role"] == "state" and wire["points"][0] == [0, 480]
    label = next(d for d in data["items"] if d["id"] == "label.c_prev")
    assert label["runs"][0] == {"text": "c", "style": "b"}
    assert {d["type"] for d in data["items"]} == {"wire", "slot", "box", "node", "dot", "label"}


def test_every_walkthrough_highlight_names_a_canvas_part():
    for w in STEPS:
        assert w.highlights <= set(PARTS), w.id
        assert any(item.part in w.highlights for item in lstm_canvas(2, 2).items)


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="at least 1"):
        lstm_canvas(0, 2)


@pytest.mark.parametrize(("D", "H", "peep"), [(2, 2, False), (5, 3, True), (8, 8, True)])
def test_the_diagram_draws_each_slot_where_the_canvas_puts_it(D, H, peep):
    params = LSTMParams.random(D, H, seed=1, use_peepholes=peep)
    rng = np.random.default_rng(0)
    step = lstm_step(params, rng.normal(size=D), rng.normal(size=H), rng.normal(size=H))
    fig = cell_diagram(step)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    slots = lstm_canvas(D, H, peep).of(Slot)
    assert len(heatmaps) == len(slots)
    values = {"c_prev": step.c_prev, "h_prev": step.h_prev, "x": step.x, "xh": step.xh,
              "c": step.c, "h": step.h, "f": step.f, "g": step.g}
    for slot, hm in zip(slots, heatmaps):
        assert (hm.x0, hm.y0) == (slot.x0 + slot.cell_w / 2, slot.y0 + slot.cell_h / 2)
        if slot.vector in values:  # the numbers, row by row from the top, in the hover text
            shown = [float(t.split("= ")[-1].rstrip("</b>")) for row in hm.hovertext[::-1]
                     for t in row if t]
            np.testing.assert_allclose(shown, values[slot.vector], atol=5e-5)


def test_highlight_by_item_id_lights_only_that_item():
    step = build("default").step()
    fig = cell_diagram(step, highlight=frozenset({"slot.c"}))
    lit = [t for t in fig.data if t.type == "heatmap" and t.opacity == 1.0]
    assert len(lit) == 3  # slot.c and the two colour keys
    with pytest.raises(ValueError, match="unknown diagram elements"):
        cell_diagram(step, highlight=frozenset({"slot.nope"}))
