"""AppTest: the explorer page recomputes exactly what the core computes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from apptest import live_data, send_trigger
from streamlit.testing.v1 import AppTest

from explainer.presets import build

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def edit(at: AppTest, values, seq: int = 1) -> AppTest:
    """What the live cell sends once the hand rests: the moved blocks, as link keys."""
    return send_trigger(at, "edit", {"seq": seq, "values": values})


def open_expander(at: AppTest, key: str) -> AppTest:
    at.session_state[key] = True
    return at.run()


def find_table(at: AppTest, column: str):
    """The first dataframe on the page that has this column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def scenario(at: AppTest):
    return at.session_state["scenario"]


def test_opens_without_exception_and_shows_every_intermediate():
    at = run()
    assert not at.exception
    table = find_table(open_expander(at, "explorer_table"), "meaning")
    step = build("default").step()
    h_row = table[table["symbol"] == "h(t) = y(t)"].iloc[0]
    assert [h_row["[0]"], h_row["[1]"]] == [f"{v:+.4f}" for v in step.h]


def test_stackoverflow_link_shows_qa_numbers_in_table_and_gives_them_to_the_live_cell():
    at = open_expander(run(preset="stackoverflow"), "explorer_table")
    table = find_table(at, "meaning")
    f_row = table[table["symbol"] == "f(t)"].iloc[0]
    assert [f_row[f"[{k}]"] for k in range(5)] == [
        "+0.4750", "+0.6900", "+0.5498", "+0.4875", "+0.6682"]
    h_row = table[table["symbol"] == "h(t) = y(t)"].iloc[0]
    assert [h_row[f"[{k}]"] for k in range(5)] == [
        "-0.0225", "+0.2957", "+0.0594", "-0.0119", "+0.2561"]
    data, s = live_data(at), build("stackoverflow")
    assert data["x"] == s.x.tolist() and data["h"] == s.h_prev.tolist()
    assert data["params"]["gates"]["f"]["W_x"] == s.params.W_x("f").tolist()
    assert data["layout"] == "5x5"


def test_the_canvas_goes_to_the_browser_once_per_layout():
    at = run()
    first = live_data(at)
    assert first["canvas"]["key"] == first["layout"] == "2x2" and first["stages"]
    at = edit(at, {"x": [0.5, 0.5]})
    assert live_data(at)["canvas"] is None and live_data(at)["x"] == [0.5, 0.5]
    at = send_trigger(at, "need_canvas", "2x2")  # a browser that lacks it asks again
    assert live_data(at)["canvas"]["key"] == "2x2"


def test_an_edit_from_the_live_cell_recomputes_as_the_core_does():
    at = edit(run(), {"x": [-1.25, -0.4]}, seq=7)
    assert not at.exception
    s = scenario(at)
    assert s.x[0] == -1.25
    expected = build("default").with_vector("x", 0, -1.25).step()
    np.testing.assert_array_equal(s.step().h, expected.h)
    assert live_data(at)["ack"] == 7 and live_data(at)["x"] == [-1.25, -0.4]
    changed = " ".join(md.value for md in at.markdown)
    assert "What changed" in changed and r"x\(t\)[0]: +0.8000 → -1.2500" in changed
    assert at.query_params["x"] in ("-1.25,-0.4", ["-1.25,-0.4"])


def test_a_bad_value_from_the_live_cell_is_named_and_the_rest_kept():
    before = build("default")
    at = edit(run(), {"Wxf": [[99.0, 0.0], [0.0, 0.0]], "h": [0.5, 0.25],
                      "<b>x</b>": [1.0]})
    assert not at.exception
    s = scenario(at)
    np.testing.assert_array_equal(s.params.W_x("f"), before.params.W_x("f"))  # rejected alone
    np.testing.assert_array_equal(s.h_prev, [0.5, 0.25])  # the good value kept
    warnings = [w.value for w in at.warning]
    assert any("Value not applied" in w and "Wxf" in w and "out of range" in w
               for w in warnings), warnings
    assert not any("<b>" in w for w in warnings)
    at = send_trigger(at, "edit", "not a mapping")  # ignored, nothing breaks
    assert not at.exception and scenario(at).h_prev.tolist() == [0.5, 0.25]


def test_equations_and_table_are_drawn_only_when_opened():
    at = run(preset="stackoverflow")
    assert not at.latex and not at.dataframe  # closed: nothing to redraw after a move
    labels = [e.label for e in at.expander]
    assert "Equation 14-3, with your numbers" in labels
    assert "Every intermediate (table)" in labels
    at = open_expander(at, "explorer_equations")
    assert len(at.latex) == 2 and not at.dataframe  # the system, and its six numeric lines
    assert "0.4750" in " ".join(e.value for e in at.latex)  # f(t)[0] with its number
    x = build("stackoverflow").x.copy()
    x[0] = 0.5
    at = edit(at, {"x": x.tolist()})  # stays open, follows the live cell
    expected = build("stackoverflow").with_vector("x", 0, 0.5).step()
    assert f"{expected.f[0]:.4f}" in " ".join(e.value for e in at.latex)
    at = open_expander(at, "explorer_table")
    assert len(at.dataframe) == 1 and not at.exception


def test_weight_edit_changes_only_that_weight():
    base = build("default").params
    W = base.o.W_h.copy()
    W[1, 0] = 2.0
    at = edit(run(), {"Who": W.tolist()})
    params = scenario(at).params
    assert params.o.W_h[1, 0] == 2.0
    np.testing.assert_array_equal(params.f.W_h, base.f.W_h)
    np.testing.assert_array_equal(np.delete(params.o.W_h.ravel(), 2),
                                  np.delete(base.o.W_h.ravel(), 2))


@pytest.mark.parametrize("toggle", ["opt_peepholes", "opt_forget_bias"])
def test_toggles_reach_the_live_cell(toggle):
    at = open_expander(run(), "explorer_more")  # drawn only while open
    before = live_data(at)["params"]
    at.toggle(key=toggle).set_value(True).run()
    assert not at.exception
    assert live_data(at)["params"] != before


def test_forget_bias_toggle_adds_one_inside_the_sigmoid():
    at = open_expander(run(), "explorer_more")  # drawn only while open
    at.toggle(key="opt_forget_bias").set_value(True).run()
    step = scenario(at).step()
    base = build("default").step()
    np.testing.assert_allclose(step.z_f, base.z_f + 1.0)


def test_resizing_keeps_values_and_grows_every_vector():
    at = open_expander(run(), "explorer_more")  # drawn only while open
    at.number_input(key="size_H").set_value(4).run()
    at.number_input(key="size_D").set_value(3).run()
    s = scenario(at)
    assert (s.D, s.H) == (3, 4)
    np.testing.assert_array_equal(s.x[:2], build("default").x)
    assert not at.exception
    assert live_data(at)["canvas"]["key"] == "3x4"  # a new layout: its canvas is sent


def test_fill_helpers():
    at = open_expander(run(), "explorer_more")  # drawn only while open
    at.number_input(key="size_H").set_value(6).run()
    at.radio(key="fill_gate").set_value("i").run()
    assert not at.exception
    at.button(key="fill_identity").click().run()
    np.testing.assert_array_equal(scenario(at).params.i.W_h, np.eye(6))
    at.button(key="fill_zeros").click().run()
    assert not scenario(at).params.i.W_x.any()


def test_preset_picker_and_reset():
    at = run()
    at.sidebar.selectbox(key="sidebar_preset").select("remember").run()
    assert scenario(at).preset == "remember"
    assert at.query_params["preset"] == "remember"  # what sync_url wrote (AppTest keeps a str)
    c = build("remember").c_prev.copy()
    c[0] = 0.0
    at = edit(at, {"c": c.tolist()})
    assert scenario(at).c_prev[0] == 0.0
    at.sidebar.button(key="sidebar_reset").click().run()
    np.testing.assert_array_equal(scenario(at).c_prev, build("remember").c_prev)
