"""Data of the live cell's gradient mode: the relabelled canvas, the loss settings the browser
differentiates, and the gradient record under lstm.js's names."""

from __future__ import annotations

import numpy as np

from explainer.backward import backward_pass
from explainer.presets import build
from explainer.scenario import LossSettings
from lstm_core import GATE_ORDER
from viz.canvas import lstm_canvas
from viz.diagram import gradient_limit
from viz.live_gradient import grad_data, gradient_canvas, gradient_formulas, gradient_settings


def canvas(D=2, H=3, peep=True):
    return {**lstm_canvas(D, H, peep).to_dict(), "key": f"{D}x{H}"}


def test_gradient_canvas_uses_one_scale_and_names_gradients():
    before = canvas()
    after = gradient_canvas(before, 0.5)
    ids = [item["id"] for item in after["items"]]
    assert "slot.key_gate" not in ids and "label.key_gate" not in ids
    assert len(ids) == len(before["items"]) - 2
    slots = [i for i in after["items"] if i["type"] == "slot"]
    assert all(s["kind"] == "value" for s in slots)
    key = next(i for i in slots if i["id"] == "slot.key_value")
    assert key["key_values"] == [-0.5, -0.25, 0.0, 0.25, 0.5]
    f = next(i for i in slots if i["id"] == "slot.f")
    assert f["title"].startswith("∂L/∂ f(t)") and f["note"] == "df = dc_total ⊗ c(t-1)"
    assert after["key"] != before["key"] and gradient_canvas(before, 0.2)["key"] != after["key"]
    assert before == canvas()  # the input is left as it was
    assert any(i["type"] == "slot" and i["kind"] == "gate" for i in before["items"])


def test_settings_carry_what_the_browser_needs():
    s = build("default").with_view(loss=LossSettings(target=(0.5, -0.5), dc=(0.0, 1.0)))
    run = backward_pass(s)
    got = gradient_settings(run)
    assert got["kind"] == "target" and got["target"] == [0.5, -0.5] and got["dc"] == [0.0, 1.0]
    assert got["limit"] == gradient_limit(run.grad) and isinstance(got["limit"], float)
    direct = gradient_settings(backward_pass(s.with_view(loss=LossSettings("direct", (), (1, 2)))))
    assert direct["kind"] == "direct" and direct["target"] is None and direct["dh"] == [1.0, 2.0]


def test_grad_data_and_formulas_cover_every_gate():
    run = backward_pass(build("default"))
    data = grad_data(run.grad)
    assert set(data["gates"]) == set(GATE_ORDER) and data["gates"]["g"]["dw_c"] is None
    np.testing.assert_array_equal(data["dx"], run.grad.dx)
    assert set(gradient_formulas()) == set(GATE_ORDER)
