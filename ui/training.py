"""The "Train" page's Streamlit glue: the settings form, training in chunks in worker
processes while a timed fragment shows the progress, and the trained LSTM's gates with a way
into the explorer.

Everything a student has lives in st.session_state (the TrainingRun under RUN): two students
never share a trainer. The maths never runs in the server process: each session keeps at most
one chunk (CHUNK_S of training, `explainer.training.train_for`) queued in a small pool of
worker processes started at the lowest CPU priority, so the operating system serves the
students moving the explorer first, and twenty students training at once queue their chunks
in turn (first in, first out) instead of holding the server. The fragment only looks, every
TICK_S, whether its chunk came back, and sends the next one.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import streamlit as st

from explainer.scenario import UI_MAX_SIZE
from explainer.training import (
    FORGET_BIAS_RANGE,
    HIDDEN_RANGE,
    SEQ_LEN_RANGE,
    STEPS_RANGE,
    TrainForm,
    cell_title,
    explorer_cell,
    explorer_query,
    gate_story,
    task_title,
    train_for,
)
from lstm_core.training import CELLS, TASKS, Trainer
from ui import state
from viz.training import Curve, gate_heatmap_figure, gate_lines_figure, progress_figure

RUN = "train_run"  # session-state key of the TrainingRun
TICK_S = 0.5  # the live fragment looks for a finished chunk this often
CHUNK_S = 0.25  # wall seconds of training per chunk (all of a run's cells together)
WORKERS = min(os.cpu_count() or 1, 4)  # worker processes in the whole server
QUEUED_S = 4 * CHUNK_S  # a chunk out longer than this waited in the queue: the page says so
WORKER_NICE = 19  # their CPU priority: the lowest, below the server's
SHOWN_SEQUENCES = 100  # test sequences offered for the gates' story
PLOT_CONFIG = {"displaylogo": False}


@dataclass
class TrainingRun:
    """One student's training: mutable, kept in st.session_state[RUN] only."""

    form: TrainForm
    trainers: dict[str, Trainer]  # replaced (never changed) when a chunk comes back
    running: bool = True
    pending: Future | None = None  # the chunk a worker is training (or is queued)
    sent_at: float = 0.0  # when it was sent (time.monotonic())
    error: str = ""  # why training stopped early, when it did
    clock: dict[str, float] = field(default_factory=dict)  # wall seconds trained per cell

    @property
    def done(self) -> bool:
        return all(t.done for t in self.trainers.values())


# -- the form ----------------------------------------------------------------------------------
def settings_form() -> None:
    """Task, sizes, cells, forget-bias init, seed and updates; Train starts a new run."""
    with st.form("train_form", border=True):
        task, cells = st.columns(2)
        task.selectbox("Task", list(TASKS), format_func=lambda n: f"{n}: {task_title(n)}",
                       key="train_task")
        cells.multiselect("Cells (trained side by side on the same data)", list(CELLS),
                          default=list(CELLS), format_func=cell_title, key="train_cells")
        length, hidden, steps = st.columns(3)
        length.slider("Sequence length T", *SEQ_LEN_RANGE, value=50, key="train_T")
        hidden.slider("Hidden size (units)", *HIDDEN_RANGE, value=8, key="train_H")
        steps.number_input("Updates (mini-batches of 32)", *STEPS_RANGE,
                           value=TrainForm().steps, step=50, key="train_steps")
        bias, seed = st.columns([2, 1])
        bias.slider("LSTM forget-bias initialisation b_f", *FORGET_BIAS_RANGE, value=3.0,
                    step=0.5, key="train_fb",
                    help="b_f at the start of training: 1.0 is TensorFlow's forget_bias; "
                         "try 1.0 against 3.0 on the same seed")
        seed.number_input("Seed (data and initial weights)", 0, 2**31 - 1, value=0,
                          key="train_seed")
        st.form_submit_button("Train", icon=":material/play_arrow:", type="primary",
                              on_click=_start)
    run = st.session_state.get(RUN)
    st.button("Stop", key="train_stop", icon=":material/stop:", on_click=_stop,
              disabled=run is None or not run.running)
    if run is not None and run.form.task != st.session_state.get("train_task", run.form.task):
        st.caption("The results below are of the last run; press Train to use the new settings.")


FORM_KEYS = {"task": "train_task", "seq_len": "train_T", "hidden_size": "train_H",
             "cells": "train_cells", "forget_bias_init": "train_fb", "seed": "train_seed",
             "steps": "train_steps"}  # TrainForm field -> widget key


def _form() -> TrainForm:
    """The form's values (a widget the browser did not report keeps the default)."""
    defaults = TrainForm()
    values = {f: st.session_state.get(key, getattr(defaults, f)) for f, key in FORM_KEYS.items()}
    return TrainForm(**{**values, "cells": tuple(values["cells"])})


def _start() -> None:
    try:
        form = _form()
        run = TrainingRun(form, form.trainers())
        _stop()  # the previous run's queued chunk, if any, is not trained
        st.session_state[RUN] = run
        st.session_state.pop("train_error", None)
    except ValueError as err:
        st.session_state["train_error"] = str(err)


def _stop() -> None:
    run = st.session_state.get(RUN)
    if run is not None:
        run.running = False
        if run.pending is not None:
            run.pending.cancel()  # when still queued; a chunk under way is not collected


def show_error() -> None:
    """The reason the last Train press was refused (plain text); the previous run stays."""
    message = st.session_state.get("train_error")
    if message:
        st.error(f"Not trained: {state.plain(message)}", icon=":material/error:")


# -- live training ----------------------------------------------------------------------------
def live(presenter: bool) -> None:
    """Progress, numbers and curves; while training runs, a fragment collects each chunk from
    the workers and sends the next."""
    run = st.session_state.get(RUN)
    if run is None:
        st.info("Choose the settings and press **Train**.")
        return

    @st.fragment(run_every=TICK_S if run.running else None)
    def _live() -> None:
        current = st.session_state.get(RUN)
        if current is None:
            return
        if current.running:
            _tick(current, _workers())
        if current.error:
            st.error(f"Training stopped: {state.plain(current.error)}", icon=":material/error:")
        if current.running and current.done:
            current.running = False
            st.rerun()  # the whole page: stop the timer, show the gates
        _progress(current, presenter)

    _live()


def _tick(run: TrainingRun, workers: ProcessPoolExecutor) -> None:
    """Take the chunk that came back, if one did, then send the next one (a session has at
    most one chunk in the workers' queue, so sessions take turns)."""
    if run.pending is not None:
        if not run.pending.done():
            return
        future, run.pending = run.pending, None
        try:
            chunk = future.result()
        except Exception as err:  # a worker that died (BrokenProcessPool) or refused the work
            _workers.clear()  # a broken pool stays broken: the next Train starts a new one
            run.running, run.error = False, f"{type(err).__name__}: {err}. Press Train again."
            return
        run.trainers = chunk.trainers
        for name, seconds in chunk.seconds.items():
            run.clock[name] = run.clock.get(name, 0.0) + seconds
    if not run.done:
        run.pending = workers.submit(train_for, run.trainers, CHUNK_S)
        run.sent_at = time.monotonic()


@st.cache_resource
def _workers() -> ProcessPoolExecutor:
    """The worker processes that train every session's chunks (they hold no student's data
    between chunks). Spawned, not forked: the server has threads."""
    return ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"),
                               initializer=os.nice, initargs=(WORKER_NICE,))


def _progress(run: TrainingRun, presenter: bool) -> None:
    trainers = run.trainers
    done = sum(t.updates for t in trainers.values())
    total = sum(t.settings.steps for t in trainers.values())
    status = ("Training…" if run.running else "Finished." if run.done else "Stopped.")
    if run.running and run.pending is not None and not run.pending.done() and (
            time.monotonic() - run.sent_at > QUEUED_S):
        status += " (waiting for a free trainer: other students' chunks go first)"
    st.progress(done / total, text=f"{status} {done} of {total} updates")
    columns = st.columns(len(trainers))
    for column, (name, trainer) in zip(columns, trainers.items()):
        last = trainer.snapshots[-1]
        column.metric(f"{cell_title(name)}: held-out accuracy", f"{last.accuracy:.3f}",
                      help=f"on {trainer.held_out.targets.size} fresh test sequences, "
                           f"after update {last.update}")
        column.caption(f"update {trainer.updates} of {trainer.settings.steps} · "
                       f"held-out loss {last.loss:.4f} · "
                       f"{run.clock.get(name, 0.0):.1f} s of training")
    task = TASKS[run.form.task]
    curves = [Curve(cell_title(n), t.loss, *_accuracy_curve(t)) for n, t in trainers.items()]
    st.plotly_chart(progress_figure(curves, run.form.steps,
                                    chance=0.5 if task.kind == "classify" else None,
                                    presenter=presenter),
                    key="train_progress", config=PLOT_CONFIG)


def _accuracy_curve(trainer: Trainer):
    snaps = trainer.snapshots
    return [s.update for s in snaps], [s.accuracy for s in snaps]


# -- the trained LSTM -------------------------------------------------------------------------
def trained_lstm(presenter: bool, lesson: str) -> None:
    """The LSTM's gates over one test sequence, and the way into the explorer."""
    run = st.session_state.get(RUN)
    if run is None or run.running or "lstm" not in run.trainers:
        return
    result = run.trainers["lstm"].result()
    st.header("Inside the trained LSTM")
    st.markdown(lesson)
    pick, step = st.columns([1, 3])
    k = int(pick.number_input("Test sequence", 1, SHOWN_SEQUENCES, value=1,
                              key="train_seq")) - 1
    T = result.settings.seq_len
    if st.session_state.get("train_t", 1) > T:
        st.session_state["train_t"] = T
    t = int(step.slider("Time step t (for the explorer)", 1, T, value=1, key="train_t"))
    story = gate_story(result.params, result.held_out, k)
    st.caption(f"Sequence {k + 1}: target {story.target:+g}. " + " ".join(
        f"**Unit {u.unit + 1}**: c(T) follows the target with correlation "
        f"{u.correlation:+.2f} over the test sequences; f after t = 1 stays between "
        f"{u.f_later_min:.3f} and 1 (mean {u.f_later_mean:.3f}); i(1) = {u.i_first:.2f} "
        f"against {u.i_later:.2f} later; the write at t = 1 is {u.first_share:.0%} of what "
        f"c(T) holds, while the write i·g at t = T tells the target with correlation "
        f"{u.write_holds[-1]:+.2f}." for u in story.units))
    st.plotly_chart(gate_lines_figure(story, t, presenter=presenter), key="train_gates",
                    config=PLOT_CONFIG)
    with st.expander("Every unit's gates (heatmap)"):
        st.plotly_chart(gate_heatmap_figure(story, presenter=presenter), key="train_heatmap",
                        config=PLOT_CONFIG)
    open_in_explorer(result.params, story.xs, t)


def open_in_explorer(params, xs, t: int) -> None:
    """A button (same tab) and a link (new tab) to the explorer at step t of the sequence."""
    if params.H > UI_MAX_SIZE:
        st.info(f"The explorer shows at most {UI_MAX_SIZE} units; this LSTM has {params.H}. "
                f"Train with hidden size ≤ {UI_MAX_SIZE} to open it there.")
        return
    cell = explorer_cell(params, xs, t)
    for note in cell.clipped:
        st.warning(f"In the explorer: {note}.", icon=":material/warning:")
    link = "./?" + urlencode(explorer_query(cell.scenario))
    here, new_tab = st.columns(2)
    if here.button(f"Open step {t} in the explorer", key="train_open",
                   icon=":material/open_in_new:"):
        scenario = state.scenario()
        state.set_scenario(replace(cell.scenario, view=scenario.view))
        st.switch_page("app.py")
    new_tab.link_button(f"Open step {t} in a new tab", link, icon=":material/tab:")
    with st.expander("The link (it carries every trained weight)"):
        st.code(link, language=None, wrap_lines=True)
