"""AppTest of the "Train" page: a short run shows what a direct train() call computes, bad
settings are refused by name, and the explorer link carries the trained cell exactly."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import parse_qs, urlparse

import numpy as np
import plotly.graph_objects as go
import pytest
from apptest import open_app
from streamlit.testing.v1 import AppTest

from explainer.codec import decode
from explainer.training import TrainForm, explorer_cell, gate_story, train_for
from lstm_core import GATE_ORDER, VALUE_LIMIT, LSTMParams, unroll
from lstm_core.training import CELLS, train

PAGE = "pages/10_Train.py"
SETTINGS = {"train_T": 12, "train_H": 3, "train_steps": 20, "train_seed": 5}


def trained_page(**settings) -> AppTest:
    """The page after pressing Train with `settings` and rerunning until training is done."""
    at = open_app(PAGE)
    for key, value in {**SETTINGS, **settings}.items():
        widget = at.slider(key=key) if key in ("train_T", "train_H", "train_fb") else (
            at.multiselect(key=key) if key == "train_cells" else at.number_input(key=key))
        widget.set_value(value)
    at.button(key="FormSubmitter:train_form-Train").click().run()
    rerun_while(at, lambda run: run.running)
    assert not at.exception
    return at


def rerun_while(at: AppTest, busy, limit_s: float = 120.0) -> None:
    """Rerun the page, as the fragment's timer does, while busy(run) holds (a worker process
    trains each chunk between reruns)."""
    deadline = time.monotonic() + limit_s
    while "train_run" in at.session_state and busy(at.session_state["train_run"]):
        assert time.monotonic() < deadline, "training did not get on"
        time.sleep(0.05)
        at.run()


def plotted(value) -> np.ndarray:
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value, dtype=np.float64)


def chart(at: AppTest, key: str) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id and
             key in c.proto.id]
    assert specs, f"no chart {key}"
    return specs[0]


@pytest.fixture(scope="module")
def done() -> AppTest:
    return trained_page()


def test_a_short_run_shows_the_numbers_of_a_direct_train_call(done):
    expected = {cell: train(cell, "remember", seq_len=12, hidden_size=3, seed=5, steps=20)
                for cell in CELLS}  # every cell the core can train is offered and trained
    metrics = {m.label: m.value for m in done.metric}
    assert metrics == {f"{CELLS[c].title}: held-out accuracy": f"{r.accuracy:.3f}"
                       for c, r in expected.items()}
    updates = 20 * len(CELLS)  # 20 for each cell trained side by side
    assert any(f"Finished. {updates} of {updates} updates" in p.proto.text
               for p in done.get("progress"))
    spec = chart(done, "train_progress")
    losses = [plotted(t["y"]) for t in spec["data"] if t.get("xaxis", "x") == "x"]
    np.testing.assert_array_equal(losses[0], expected["lstm"].loss)
    np.testing.assert_array_equal(losses[1], expected["rnn"].loss)
    accs = [plotted(t["y"]) for t in spec["data"] if t.get("xaxis") == "x2"]
    np.testing.assert_array_equal(accs[0], expected["lstm"].accuracy_curve[1])
    run = done.session_state["train_run"]
    lstm = run.trainers["lstm"].result().params
    for g in GATE_ORDER:
        np.testing.assert_array_equal(lstm.W_h(g), expected["lstm"].params.W_h(g))


def test_every_figure_is_valid_plotly(done):
    charts = done.get("plotly_chart")
    assert len(charts) == 3  # progress, gate lines, heatmap (in its expander)
    for c in charts:
        go.Figure(json.loads(c.proto.spec))  # validates; raises on a bad property


def test_the_gate_lines_show_the_story_units_of_the_trained_lstm(done):
    result = done.session_state["train_run"].trainers["lstm"].result()
    story = gate_story(result.params, result.held_out, 0)
    trace = unroll(result.params, result.held_out.sequence(0), np.zeros(3), np.zeros(3))
    spec = chart(done, "train_gates")
    by_axis = {}
    for t in spec["data"]:
        by_axis.setdefault(t.get("yaxis", "y"), []).append(plotted(t["y"]))
    np.testing.assert_array_equal(by_axis["y"][0], result.held_out.sequence(0)[:, 0])
    for axis, name in (("y2", "i"), ("y3", "f"), ("y4", "c")):
        for line, unit in zip(by_axis[axis], story.units):
            np.testing.assert_allclose(line, trace.over_time(name)[:, unit.unit], rtol=1e-12)


def test_the_explorer_link_decodes_to_the_trained_cell_at_the_chosen_step(done):
    done.slider(key="train_t").set_value(7).run()
    assert not done.exception
    link = done.code[0].value
    query = {k: v[-1] for k, v in parse_qs(urlparse(link).query).items()}
    decoded = decode(query)
    assert decoded.warnings == ()
    result = done.session_state["train_run"].trainers["lstm"].result()
    s = decoded.scenario
    for g in GATE_ORDER:
        for got, want in ((s.params.W_x(g), result.params.W_x(g)),
                          (s.params.W_h(g), result.params.W_h(g)),
                          (s.params.b(g), result.params.b(g))):
            np.testing.assert_array_equal(got, want)
    assert s.params.forget_bias == 0 and not s.params.use_peepholes
    xs = result.held_out.sequence(0)
    trace = unroll(result.params, xs, np.zeros(3), np.zeros(3))
    np.testing.assert_array_equal(s.x, xs[6])
    np.testing.assert_array_equal(s.h_prev, trace.over_time("h")[5])
    np.testing.assert_array_equal(s.c_prev, trace.over_time("c")[5])
    assert done.get("link_button")[0].proto.url == link


def test_the_open_button_puts_the_trained_cell_in_the_explorer(done):
    done.slider(key="train_t").set_value(1).run()
    done.button(key="train_open").click().run()
    assert not done.exception
    s = done.session_state["scenario"]
    result = done.session_state["train_run"].trainers["lstm"].result()
    np.testing.assert_array_equal(s.params.W_x("i"), result.params.W_x("i"))
    np.testing.assert_array_equal(s.x, result.held_out.sequence(0)[0])
    assert not s.h_prev.any() and not s.c_prev.any()
    assert done.title[0].value == "Inside one LSTM time step"


def test_no_cell_chosen_is_refused_by_name_and_the_last_run_stays():
    at = trained_page(train_cells=["lstm"], train_steps=10)
    before = at.session_state["train_run"]
    at.multiselect(key="train_cells").set_value([])
    at.button(key="FormSubmitter:train_form-Train").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Not trained: cells\\: choose at least one cell to "
                                           "train"]
    assert at.session_state["train_run"] is before
    assert [m.label for m in at.metric] == ["LSTM: held-out accuracy"]


@pytest.mark.parametrize(("change", "name"), [
    ({"hidden_size": 17}, "hidden_size"), ({"seq_len": 1}, "seq_len"),
    ({"steps": 5000}, "steps"), ({"forget_bias_init": 9.0}, "forget_bias_init"),
    ({"cells": ("lstm", "lsmt")}, "cells"), ({"task": "sort"}, "task")])
def test_settings_out_of_the_pages_bounds_raise_naming_them(change, name):
    form = TrainForm(**change)
    with pytest.raises(ValueError, match=name):
        form.trainers()


def test_stop_keeps_the_partial_run_and_its_numbers():
    at = open_app(PAGE)
    at.slider(key="train_T").set_value(12)
    at.number_input(key="train_steps").set_value(3000)
    at.button(key="FormSubmitter:train_form-Train").click().run()
    rerun_while(at, lambda run: not run.trainers["lstm"].updates)
    at.button(key="train_stop").click().run()
    assert not at.exception
    run = at.session_state["train_run"]
    assert not run.running and 0 < run.trainers["lstm"].updates < 3000
    assert any(p.proto.text.startswith("Stopped.") for p in at.get("progress"))
    updates = run.trainers["lstm"].updates
    at.run()
    assert run.trainers["lstm"].updates == updates  # no more training after Stop
    assert at.header[0].value == "Inside the trained LSTM"


def test_a_cell_too_wide_for_the_explorer_is_refused_with_a_message():
    at = trained_page(train_cells=["lstm"], train_H=10, train_steps=10)
    assert len(at.get("link_button")) == 0 and "train_open" not in [b.key for b in at.button]
    assert any("at most 8 units" in i.value for i in at.info)


def test_explorer_cell_clips_a_cell_state_beyond_the_explorers_range():
    """A cell that adds ≈ 1 to c at every step: c(t−1) = 14 at t = 15 is clipped, and said."""
    params = LSTMParams.filled(1, 2, W_x=0.0, W_h=0.0, b=20.0)  # i, f, o ≈ 1; g = tanh(20) ≈ 1
    xs = np.zeros((20, 1))
    cell = explorer_cell(params, xs, 15)
    assert cell.scenario.c_prev.tolist() == [VALUE_LIMIT, VALUE_LIMIT]
    assert len(cell.clipped) == 1 and "c(t−1) reaches 14.0" in cell.clipped[0]
    assert explorer_cell(params, xs, 5).clipped == ()


def test_gate_story_picks_the_units_that_follow_the_target():
    result = train("lstm", "remember", seq_len=10, hidden_size=4, seed=1, steps=5)
    story = gate_story(result.params, result.held_out, 2)
    zeros = np.zeros((512, 4))
    c_last = unroll(result.params, result.held_out.xs, zeros, zeros).over_time("c")[-1]
    corr = [abs(np.corrcoef(c_last[:, u], result.held_out.targets)[0, 1]) for u in range(4)]
    assert [u.unit for u in story.units] == list(np.argsort(corr)[::-1][:2])
    assert story.target == result.held_out.targets[2]
    best = story.units[0]
    i = story.gates["i"][:, best.unit]
    assert best.i_first == i[0] and best.i_later == pytest.approx(i[1:].mean())


def test_gate_story_first_share_is_the_part_of_c_T_written_at_t1():
    """c(T) = Σ_s i(s)·g(s)·f(s+1)⋯f(T) from c(0) = 0, summed here one step at a time."""
    result = train("lstm", "remember", seq_len=8, hidden_size=3, seed=2, steps=5)
    story = gate_story(result.params, result.held_out, 0)
    u = story.units[0].unit
    shares = []
    for k in range(result.held_out.xs.shape[1]):
        trace = unroll(result.params, result.held_out.sequence(k), np.zeros(3), np.zeros(3))
        i, g, f = (trace.over_time(n)[:, u] for n in "igf")
        parts = [i[s] * g[s] * np.prod(f[s + 1:]) for s in range(8)]
        assert sum(parts) == pytest.approx(trace.over_time("c")[-1, u], abs=1e-12)
        shares.append(abs(parts[0]) / sum(abs(p) for p in parts))
    assert story.units[0].first_share == pytest.approx(np.mean(shares), rel=1e-9)


def test_training_runs_in_a_worker_process_one_chunk_per_session_at_a_time():
    """The server only sends chunks and takes them back: while a chunk is out, the session's
    trainers are untouched, and what comes back was trained in another process."""
    at = open_app(PAGE)
    at.slider(key="train_T").set_value(12)
    at.button(key="FormSubmitter:train_form-Train").click().run()
    run = at.session_state["train_run"]
    sent, trainers = run.pending, run.trainers
    assert sent is not None and all(t.updates == 0 for t in trainers.values())
    rerun_while(at, lambda r: r.pending is sent)
    assert run.trainers is not trainers and all(t.updates == 0 for t in trainers.values())
    assert run.trainers["lstm"].updates > 0 and run.pending is not sent  # the next chunk is out
    at.button(key="train_stop").click().run()


def test_a_worker_that_fails_stops_the_run_with_a_message_and_keeps_the_numbers():
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from ui.training import TrainingRun, _tick

    form = TrainForm(seq_len=5, hidden_size=2, steps=10)
    run = TrainingRun(form, form.trainers())
    broken = Future()
    broken.set_exception(BrokenProcessPool("a child process terminated abruptly"))
    run.pending, trainers = broken, run.trainers
    _tick(run, workers=None)  # never asked: the run stops
    assert not run.running and run.pending is None and run.trainers is trainers
    assert run.error.startswith("BrokenProcessPool: a child process terminated abruptly")


def test_a_chunk_keeps_the_cells_at_the_same_update_and_matches_a_direct_train_call():
    """train_for runs the cells in turn, one update each, whatever each update costs (the RNN's
    is several times cheaper than the LSTM's); chunk after chunk it ends where train() does."""
    form = TrainForm(seq_len=10, hidden_size=3, steps=40, seed=3)
    trainers = form.trainers()
    chunks = 0
    while not all(t.done for t in trainers.values()):
        chunk = train_for(trainers, seconds=0.002)
        trainers, chunks = chunk.trainers, chunks + 1
        counts = {t.updates for t in trainers.values()}
        assert len(counts) == 1, counts  # level after every chunk
        assert set(chunk.seconds) <= set(form.cells) and all(s > 0 for s in chunk.seconds.values())
    assert chunks > 1
    for cell, trainer in trainers.items():
        direct = train(cell, "remember", seq_len=10, hidden_size=3, seed=3, steps=40)
        np.testing.assert_array_equal(trainer.loss, direct.loss)
