"""AppTest: the "Backward pass" page shows exactly what lstm_step_backward computes, follows the
loss sliders and the stepper, and survives a hostile link."""

from __future__ import annotations

import numpy as np
import pytest
from apptest import live_data, open_app, send_state, send_trigger
from streamlit.testing.v1 import AppTest

from explainer.walkthrough import BACKWARD_STEPS, MAX_BACK_STEP
from lstm_core import lstm_step, lstm_step_backward

PAGE = "pages/8_Backward_pass.py"


def scenario(at: AppTest):
    return at.session_state["scenario"]


def table(at: AppTest) -> dict[str, np.ndarray]:
    """The gradient table: symbol -> its numbers (6 decimals, as shown). Its expander draws
    the table only while open: open it (it stays open)."""
    if not at.dataframe:
        at.session_state["back_table_box"] = True
        at.run()
    df = at.dataframe[0].value  # the one table of the page
    cols = [c for c in df.columns if c.startswith("[")]
    return {row["gradient"]: np.array([float(row[c]) for c in cols if row[c] != ""])
            for _, row in df.iterrows()}


def reference(s):
    """The gradients computed here from the scenario's numbers, by lstm_core alone."""
    step = lstm_step(s.params, s.x, s.h_prev, s.c_prev)
    loss = s.view.loss
    dh = loss.vector("dh", s.H) if loss.kind == "direct" else step.h - loss.vector("target", s.H)
    return step, dh, lstm_step_backward(s.params, step, dh, loss.vector("dc", s.H))


def assert_table_shows(at: AppTest) -> None:
    s = scenario(at)
    _step, dh, g = reference(s)
    shown = table(at)
    for name, values in (("dh", dh), ("do", g.do), ("dc_total", g.dc_total), ("df", g.df),
                         ("dz_i", g.dz_i), ("dx", g.dx), ("dh_prev", g.dh_prev),
                         ("dc_prev", g.dc_prev)):
        np.testing.assert_allclose(shown[name], values, atol=5e-7, err_msg=name)


def test_page_shows_the_numbers_of_lstm_step_backward():
    at = open_app(PAGE, preset="highway")
    assert not at.exception
    assert at.title[0].value == "Backward pass"
    s = scenario(at)
    _step, dh, g = reference(s)
    cell = live_data(at, "back_cell")  # what the browser differentiates, and its canvas
    assert cell["gradient"]["kind"] == "target" and cell["gradient"]["target"] == [1.0, -1.0]
    assert cell["gradient"]["dc"] == [0.0, 0.0] and cell["x"] == list(s.x)
    assert cell["gradient"]["limit"] >= float(np.abs(g.dc_total).max())
    assert cell["layout"] == cell["canvas"]["key"] == "2x2-grad0.5"
    assert all(i["kind"] == "value" for i in cell["canvas"]["items"] if i["type"] == "slot")
    assert cell["formulas"]["f"].startswith("df = dc_total")
    assert at.metric[0].value == f"{0.5 * float(dh @ dh):.6f}"
    assert_table_shows(at)


def test_a_move_in_the_live_cell_recomputes_the_gradients_as_the_core_does():
    at = open_app(PAGE, preset="highway")
    at = send_trigger(at, "edit", {"seq": 3, "values": {"x": [-1.5, 0.25]}}, key="back_cell")
    assert not at.exception
    assert list(scenario(at).x) == [-1.5, 0.25]
    assert live_data(at, "back_cell")["ack"] == 3
    assert_table_shows(at)


def test_a_target_slider_recomputes_every_gradient_and_goes_into_the_link():
    at = open_app(PAGE)
    before = table(at)["dx"]
    at.slider(key="back_target_1").set_value(1.5).run()
    assert not at.exception
    assert scenario(at).view.loss.vector("target", 2)[1] == 1.5
    assert at.query_params["target"] in ("0,1.5", ["0,1.5"])
    assert not np.allclose(table(at)["dx"], before)
    assert_table_shows(at)


def test_dc_from_the_next_step_and_the_direct_gradient():
    at = open_app(PAGE, loss="direct", dh="1,-0.5", dc="0.25,0")
    assert not at.exception
    assert not at.metric  # no loss value without a target
    assert_table_shows(at)
    at.radio(key="back_loss").set_value("target").run()
    assert scenario(at).view.loss.kind == "target" and at.metric
    assert_table_shows(at)


def test_stepper_walks_right_to_left_and_the_link_keeps_the_step():
    at = open_app(PAGE, bstep="1")
    assert at.subheader[0].value == f"2. {BACKWARD_STEPS[1].title}"
    at.button(key="back_next").click().run()
    assert scenario(at).view.back_step == 2
    assert at.query_params["bstep"] in ("2", ["2"])
    assert at.subheader[0].value == f"3. {BACKWARD_STEPS[2].title}"
    assert any(r"\text{total}" in latex.value for latex in at.latex[:4])
    for _ in range(MAX_BACK_STEP + 2):
        if at.button(key="back_next").disabled:
            break
        at.button(key="back_next").click().run()
    assert scenario(at).view.back_step == MAX_BACK_STEP
    assert not at.exception


def test_presenter_mode_steps_by_the_counter_and_draws_the_diagram_first():
    """Presenter: no Previous/Next or step picker; the counter (keys, clicker) steps, and the
    live diagram comes right after it, before the loss and the words."""
    at = open_app(PAGE, bstep="1", presenter="1")
    assert not at.segmented_control and not any(b.key in ("back_prev", "back_next")
                                                 for b in at.button)
    counter = live_data(at, "back_stepper")
    assert counter["step"] == 1 and counter["last"] == MAX_BACK_STEP
    assert counter["titles"] == [w.title for w in BACKWARD_STEPS]
    keys = [getattr(e.proto, "id", "") for e in at.main]
    order = [k for k in keys if k.endswith(("-back_stepper", "-back_cell"))]
    assert len(order) == 2 and order[0].endswith("-back_stepper")
    at = send_state(at, {"moves": {"nonce": "n", "total": 2}}, key="back_stepper")
    assert scenario(at).view.back_step == 3 and at.query_params["bstep"] in ("3", ["3"])
    at = send_state(at, {"moves": {"nonce": "n", "total": 9}}, key="back_stepper")
    assert scenario(at).view.back_step == MAX_BACK_STEP  # clamped at the last step
    assert live_data(at, "back_stepper")["step"] == MAX_BACK_STEP and not at.exception


@pytest.mark.parametrize("query", [
    {"loss": "<img src=x onerror=alert(1)>", "target": "1,2,3"},
    {"target": "nan,inf", "dh": "1e999,0", "bstep": "99"},
    {"dc": "x" * 3000, "D": "8", "H": "8", "peep": "1"},
])
def test_hostile_link_warns_and_the_page_still_computes(query):
    at = open_app(None, **query)  # the first page of a session shows the link's warnings
    named = {k for k in ("loss", "target", "dh", "dc", "bstep") for w in at.warning
             if w.value.startswith(f"Link parameter **{k}** was not used as given")}
    assert named == {k for k in query if k in ("loss", "target", "dh", "dc", "bstep")}
    assert all("<img" not in w.value for w in at.warning)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert_table_shows(at)
