"""viz.live_gru: the live GRU cell's data is JSON, complete, and says what the core says."""

from __future__ import annotations

import json

import numpy as np

from explainer.presets import build
from lstm_core import GRU_GATE_ORDER, GRUParams
from viz.canvas import Slot, gru_canvas
from viz.live_gru import (
    gru_canvas_data,
    gru_formulas,
    gru_params_data,
    gru_stages,
    gru_step_data,
)


def test_params_data_rebuilds_the_same_gru():
    gru = build("gru-reset-before").gru
    data = json.loads(json.dumps(gru_params_data(gru)))
    back = GRUParams.from_blocks(**{f: {n: data["gates"][n][f] for n in GRU_GATE_ORDER}
                                    for f in ("W_x", "W_h", "b_x", "b_h")},
                                 reset_after=data["reset_after"])
    for n in GRU_GATE_ORDER:
        for f in ("W_x", "W_h", "b_x", "b_h"):
            assert getattr(back.gate(n), f).tobytes() == getattr(gru.gate(n), f).tobytes()
    assert (data["D"], data["H"], data["reset_after"]) == (2, 2, False)


def test_step_data_has_every_intermediate():
    step = build("gru-keep").gru_step()
    data = json.loads(json.dumps(gru_step_data(step)))
    assert data["h"] == step.h.tolist()
    assert data["gates"]["g"]["rec"] == step.candidate.rec.tolist()
    assert set(data["gates"]) == set(GRU_GATE_ORDER)


def test_canvas_stages_and_formulas():
    after, before = gru_canvas_data(3, 2, reset_after=True), gru_canvas_data(3, 2,
                                                                               reset_after=False)
    assert after["key"] != before["key"] and after["cell"] == "gru"
    slots = {s.id for s in gru_canvas(3, 2, False).of(Slot) if not s.key_values}
    staged = [sid for stage in gru_stages(3, 2, reset_after=False) for sid in stage["slots"]]
    assert sorted(staged) == sorted(slots)
    assert "r(t) ⊗ (W_hgᵀ·h(t-1)" in gru_formulas(build("gru-keep").gru)["g"]
    assert np.isfinite(after["width"])
