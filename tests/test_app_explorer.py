"""AppTest: the explorer page recomputes exactly what the core computes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer.presets import build

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def figure_text(at: AppTest) -> str:
    """Everything the diagram prints or shows on hover, as one string."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return json.dumps(spec, ensure_ascii=False)


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["explorer_tab"] = label
    return at.run()


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


def test_stackoverflow_link_shows_qa_numbers_on_diagram_and_table():
    at = open_expander(run(preset="stackoverflow"), "explorer_table")
    table = find_table(at, "meaning")
    f_row = table[table["symbol"] == "f(t)"].iloc[0]
    assert [f_row[f"[{k}]"] for k in range(5)] == [
        "+0.4750", "+0.6900", "+0.5498", "+0.4875", "+0.6682"]
    h_row = table[table["symbol"] == "h(t) = y(t)"].iloc[0]
    assert [h_row[f"[{k}]"] for k in range(5)] == [
        "-0.0225", "+0.2957", "+0.0594", "-0.0119", "+0.2561"]
    text = figure_text(at)
    for value in ("0.4750", "0.6900", "0.5498", "0.4875", "0.6682", "-0.0225", "0.2957"):
        assert value in text


def test_moving_a_slider_recomputes_the_diagram_as_the_core_does():
    at = run()
    at.slider(key="vec_x_0").set_value(-1.25).run()
    assert not at.exception
    s = scenario(at)
    assert s.x[0] == -1.25
    expected = build("default").with_vector("x", 0, -1.25).step()
    np.testing.assert_array_equal(s.step().h, expected.h)
    text = figure_text(at)
    for v in expected.h:
        assert f"{v:.4f}" in text
    changed = " ".join(md.value for md in at.markdown)
    assert "What changed" in changed and r"x\(t\)[0]: +0.8000 → -1.2500" in changed


def test_equations_and_table_are_drawn_only_when_opened():
    at = run(preset="stackoverflow")
    assert not at.latex and not at.dataframe  # closed: nothing to redraw on a key press
    labels = [e.label for e in at.expander]
    assert "Equation 14-3, with your numbers" in labels
    assert "Every intermediate (table)" in labels
    at = open_expander(at, "explorer_equations")
    assert len(at.latex) == 7 and not at.dataframe  # the system and the six numeric lines
    assert "0.4750" in " ".join(e.value for e in at.latex)  # f(t)[0] with its number
    at.slider(key="vec_x_0").set_value(0.5).run()  # stays open, follows the sliders
    expected = build("stackoverflow").with_vector("x", 0, 0.5).step()
    assert f"{expected.f[0]:.4f}" in " ".join(e.value for e in at.latex)
    at = open_expander(at, "explorer_table")
    assert len(at.dataframe) == 1 and not at.exception


def test_weight_slider_edits_only_that_weight():
    at = open_tab(run(), "Weights & biases")
    at.radio(key="edit_gate").set_value("o").run()
    at.slider(key="w_o_W_h_1_0").set_value(2.0).run()
    params = scenario(at).params
    base = build("default").params
    assert params.o.W_h[1, 0] == 2.0
    np.testing.assert_array_equal(params.f.W_h, base.f.W_h)
    np.testing.assert_array_equal(np.delete(params.o.W_h.ravel(), 2),
                                  np.delete(base.o.W_h.ravel(), 2))


@pytest.mark.parametrize("toggle", ["opt_peepholes", "opt_forget_bias"])
def test_toggles_change_the_diagram(toggle):
    at = open_tab(run(), "Sizes & options")
    before = figure_text(at)
    at.toggle(key=toggle).set_value(True).run()
    assert not at.exception
    assert figure_text(at) != before


def test_forget_bias_toggle_adds_one_inside_the_sigmoid():
    at = open_tab(run(), "Sizes & options")
    at.toggle(key="opt_forget_bias").set_value(True).run()
    step = scenario(at).step()
    base = build("default").step()
    np.testing.assert_allclose(step.z_f, base.z_f + 1.0)


def test_resizing_keeps_values_and_grows_every_vector():
    at = open_tab(run(), "Sizes & options")
    at.number_input(key="size_H").set_value(4).run()
    at.number_input(key="size_D").set_value(3).run()
    s = scenario(at)
    assert (s.D, s.H) == (3, 4)
    np.testing.assert_array_equal(s.x[:2], build("default").x)
    assert not at.exception


def test_large_sizes_use_a_matrix_editor_and_fill_helpers():
    at = open_tab(run(), "Sizes & options")
    at.number_input(key="size_H").set_value(6).run()
    at = open_tab(at, "Weights & biases")
    at.radio(key="edit_gate").set_value("i").run()
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
    at.slider(key="vec_c_prev_0").set_value(0.0).run()
    assert scenario(at).c_prev[0] == 0.0
    at.sidebar.button(key="sidebar_reset").click().run()
    np.testing.assert_array_equal(scenario(at).c_prev, build("remember").c_prev)
