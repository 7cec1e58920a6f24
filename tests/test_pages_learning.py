"""AppTest for the learning pages: they run, show the core's numbers, honour the link, and
their widgets move the scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from apptest import live_data, open_app, send_state, send_trigger
from streamlit.testing.v1 import AppTest

from explainer import lessons
from explainer.presets import build
from explainer.walkthrough import STEPS, prediction
from ui import mistakes
from viz.latex import numbers

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "step": "pages/1_Step_by_step.py",
    "concat": "pages/2_Concatenation_vs_addition.py",
    "peep": "pages/3_Peepholes.py",
    "mistakes": "pages/4_Common_mistakes.py",
    "rnn": "pages/5_RNN_vs_LSTM.py",
}
QA_F = ("0.47502081", "0.68997448", "0.54983400", "0.48750260", "0.66818777")


def run(page: str, **query: str) -> AppTest:
    """Through app.py, the real entry point (the sidebar's page links resolve against it); the
    link's query is decoded on that first run and the scenario carries over to the page."""
    at = open_app(PAGES[page], **query)
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page wrote as text, code, LaTeX, alerts and tables."""
    parts = [e.value for kind in ("markdown", "code", "latex", "success", "error", "info",
                                  "warning", "caption", "subheader", "header")
             for e in getattr(at, kind)]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [{}, {"preset": "stackoverflow"}, {"preset": "saturated"},
                                   {"preset": "remember", "presenter": "1"}])
def test_every_page_runs(page, query):
    at = run(page, **query)
    assert at.title[0].value
    assert at.get("plotly_chart") or at.get("bidi_component")  # a chart or the live cell


# -- 1 Step by step ------------------------------------------------------------------------
def scenario_of(at: AppTest):
    return at.session_state["scenario"]


def heading(at: AppTest) -> str:
    return at.subheader[0].value


@pytest.mark.parametrize("k", range(8))
def test_step_param_opens_that_step(k):
    at = run("step", step=str(k))
    assert heading(at) == f"{k + 1}. {STEPS[k].title}"
    assert at.query_params.get("step", "0") == str(k)


def moves(at: AppTest, nonce: str, total: int) -> AppTest:
    """What the stepper sends: its running total of moves (Previous/Next, ←/→, PageUp/Down)."""
    return send_state(at, {"moves": {"nonce": nonce, "total": total}}, key="stepper")


def test_stepper_moves_by_the_difference_of_its_running_total_and_stops_at_the_ends():
    at = run("step", step="3")
    at = moves(at, "a", 2)  # two presses merged into one request are still two steps
    assert heading(at).startswith("6.")
    at = moves(at, "a", 9)
    assert heading(at).startswith("8.") and at.query_params["step"] == "7"
    at = moves(at, "a", 8)
    assert heading(at).startswith("7.")
    at = moves(at, "b", -1)  # a new mount counts from zero again
    assert heading(at).startswith("6.")
    for bad in ({"nonce": "b", "total": True}, {"nonce": 5, "total": 1}, "left",
                {"nonce": "b", "total": 10**9}):  # ignored
        at = send_state(at, {"moves": bad}, key="stepper")
        assert heading(at).startswith("6.") and not at.exception


def test_segmented_control_jumps():
    at = run("step")
    at.segmented_control(key="walk_step").set_value("c(t)").run()
    assert heading(at) == "6. Cell update"


def test_forget_step_shows_core_numbers():
    at = run("step", preset="stackoverflow", step="2")
    latex = "\n".join(e.value for e in at.latex)
    f = build("stackoverflow").step().f
    for v in f:
        assert f"{v:.4f}" in latex
    assert len(at.get("plotly_chart")) == 1  # the activation curve
    data = live_data(at, "walk_cell")  # the live cell, forget gate lit
    assert data["highlight"] == ["forget"] and data["gate"] == "f" and not data["controls"]


def test_predict_hides_result_until_a_guess():
    s = build("default")
    at = run("step", step="5", predict="1")
    c_text = numbers(s.step().c)[1:7]  # first element of c(t), 4 decimals
    assert not at.get("plotly_chart")
    assert not any(e.proto.id.endswith("-walk_cell") for e in at.get("bidi_component"))
    assert c_text not in "\n".join(e.value for e in at.latex)
    quiz = prediction(s.step(), STEPS[5])
    wrong = next(o for o in quiz.options if o != quiz.answer)
    at.radio(key="walk_guess_5").set_value(wrong).run()
    assert at.error and quiz.answer in at.error[0].value
    assert c_text in "\n".join(e.value for e in at.latex)
    assert live_data(at, "walk_cell")  # revealed: the live cell too


def test_presenter_mode_hides_step_picker_and_predict_toggle():
    at = run("step", presenter="1", step="3")
    assert not at.segmented_control
    assert not any(t.key == "walk_predict" for t in at.toggle)
    counter = live_data(at, "stepper")  # it draws "Step 4 of 8 · Input gate"
    assert counter["step"] == 3 and counter["last"] == 7 and heading(at) == "4. Input gate"


# -- 2 Concatenation vs addition -----------------------------------------------------------
def test_concat_qa_numbers_and_equal():
    at = run("concat", preset="stackoverflow")
    body = texts(at)
    for v in QA_F:
        assert body.count(v) >= 2  # σ(h + x) and the real f(t)
    assert at.success and "Equal" in at.success[0].value
    assert "✗ differ" not in body


def test_concat_moving_a_weight_makes_them_differ():
    at = run("concat", preset="stackoverflow")
    at.slider(key="concat_wxf00").set_value(0.5).run()
    assert not at.success and "Different" in at.error[0].value
    s = build("stackoverflow")
    params = s.params.with_element("f", "W_x", (0, 0), 0.5)
    n = lessons.naive_forget(params, s.x, s.h_prev, s.c_prev)
    assert f"{n.max_abs_diff:.6f}" in at.error[0].value
    assert "✗ differ" not in texts(at)  # the block product still equals the split form


def test_concat_live_cell_edits_the_forget_gate_weights():
    at = run("concat", preset="stackoverflow")
    data = live_data(at, "concat_cell")
    assert set(data["highlight"]) == {"concat", "forget"} and data["gate"] == "f"
    W = build("stackoverflow").params.W_x("f").copy()
    W[0, 0] = 0.5
    at = send_trigger(at, "edit", {"seq": 1, "values": {"Wxf": W.tolist()}}, key="concat_cell")
    assert scenario_of(at).params.W_x("f")[0, 0] == 0.5
    assert not at.success and "Different" in at.error[0].value


def test_concat_undefined_when_sizes_differ():
    at = run("concat", preset="stackoverflow", D="3", H="2", x="0.1,0.2,0.3", h="0.5,-0.5",
             c="0,0")
    assert any("undefined" in e.value for e in at.error)
    assert "(2,) + x(t) (3,)" in texts(at)


# -- 3 Peepholes ---------------------------------------------------------------------------
def test_peephole_slider_changes_forget_gate_by_core_amount():
    at = run("peep")
    assert at.info  # all weights zero: both cells agree
    at.slider(key="peep_f").set_value(1.0).run()
    s = build("default")
    params = lessons.with_peephole_weight(s.params, "f", 1.0)
    cmp = lessons.compare_peepholes(params, s.x, s.h_prev, s.c_prev)
    table = at.dataframe[0].value.set_index("quantity")
    assert table.loc["f(t)", "with peepholes"] == numbers(cmp.peephole.f)
    assert table.loc["f(t)", "basic cell"] == numbers(cmp.basic.f)
    assert table.loc["i(t)", "largest |change|"] == "0.0000"
    assert table.loc["h(t)", "largest |change|"] == f"{cmp.h_diff:.4f}"


def chart_keys(at: AppTest) -> list[str]:
    return [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]


def test_peephole_tabs_draw_only_the_open_diagram():
    at = run("peep")
    assert chart_keys(at) == ["peep_bars"]
    assert live_data(at, "peep_cell")["params"]["use_peepholes"]
    assert not any(e.proto.id.endswith("-peep_basic_cell") for e in at.get("bidi_component"))
    at.session_state["peep_tab"] = "Basic cell (Figure 14-13)"
    at.run()
    assert not at.exception and chart_keys(at) == ["peep_bars"]
    assert not live_data(at, "peep_basic_cell")["params"]["use_peepholes"]


# -- 4 Common mistakes ---------------------------------------------------------------------
def open_tab(at: AppTest, k: int) -> AppTest:
    """Open tab k of the common mistakes (lazy tabs: only the open one is drawn)."""
    at.session_state[mistakes.TAB_KEY] = mistakes.SECTIONS[k][0]
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_mistakes_numbers():
    at = run("mistakes")
    body = texts(at)
    sg = lessons.soft_gates(build("default").step())
    assert f"{sg.sigmoid_one:.4f}" in body and "36.73" in body
    assert "0.7311" not in body  # the other tabs are not drawn until opened
    body = texts(open_tab(at, 2))
    assert "0.7311" in body and "0.5000" in body  # forget bias 1.0 vs none
    assert f"{sg.sigmoid_one:.4f}" not in body
    assert any("Wrong numbers" in e.value for e in open_tab(at, 4).error)  # random weights


def test_every_mistake_tab_runs():
    at = run("mistakes", preset="saturated")
    for k in range(len(mistakes.SECTIONS)):
        assert texts(open_tab(at, k))


def bias_table(at: AppTest):
    return next(df.value for df in at.dataframe
                if "out of the real range now" in df.value.columns)


def test_mistakes_bias_outside_breaks_range_and_qa_case_hides_order_bug():
    at = open_tab(run("mistakes", preset="stackoverflow"), 4)
    assert any("symmetric" in i.value for i in at.info)
    table = bias_table(open_tab(at, 1))
    assert (table["out of the real range now"] == "no").all()
    at.slider(key="mistake_bf").set_value(0.8).run()
    table = bias_table(at).set_index("layer")
    assert table.loc["f · forget gate", "out of the real range now"] == "yes ✗"
    assert table.loc["f · forget gate", "wrong version can reach"] == "(0.80, 1.80)"


# -- 5 RNN vs LSTM -------------------------------------------------------------------------
def test_rnn_page_numbers():
    at = run("rnn")
    s = build("default")
    cmp = lessons.rnn_vs_lstm(s.params, s.x, s.h_prev, s.c_prev)
    body = texts(at)
    assert "exactly equal" in at.success[0].value
    assert ", ".join(f"{v:.4f}" for v in cmp.rnn.h) in body
    assert ", ".join(f"{v:.4f}" for v in cmp.lstm.h) in body
    assert str(cmp.lstm_weights) in body and np.isfinite(cmp.g_diff)
