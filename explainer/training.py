"""The "Train" page's model without UI: its settings, what a trained LSTM does over one test
sequence, and the explorer scenario (and link) of one time step of that sequence.

    form = TrainForm(task="remember", seq_len=50, hidden_size=8, cells=("lstm", "rnn"))
    trainers = form.trainers()                     # ValueError naming the setting when bad
    story = gate_story(result.params, result.held_out, k=0)
    cell = explorer_cell(result.params, result.held_out.sequence(0), t=1)
    cell.scenario, cell.clipped, explorer_query(cell.scenario)
    chunk = train_for(trainers, seconds=0.25)      # in a worker process: the advanced trainers
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from lstm_core import GATE_ORDER, VALUE_LIMIT, WEIGHT_LIMIT, LSTMParams, unroll
from lstm_core.training import CELLS, TASKS, TaskBatch, Trainer

from .codec import encode
from .scenario import UI_MAX_SIZE, Scenario

# What the page offers (the core accepts more; these keep one chunk of work short).
SEQ_LEN_RANGE = (2, 100)
HIDDEN_RANGE = (1, 16)
STEPS_RANGE = (10, 3000)
FORGET_BIAS_RANGE = (-2.0, 5.0)
DEFAULT_PAGE_STEPS = 600  # the LSTM passes 0.95 on "remember" by update ~300-500 (seeds 0-2)
STORY_UNITS = 2  # units shown in the gates' story


@dataclass(frozen=True)
class TrainForm:
    """What the student chose on the page."""

    task: str = "remember"
    seq_len: int = 50
    hidden_size: int = 8
    cells: tuple[str, ...] = ("lstm", "rnn")
    forget_bias_init: float = 3.0
    seed: int = 0
    steps: int = DEFAULT_PAGE_STEPS

    def check(self) -> None:
        """ValueError naming the setting when the page's bounds are not kept (the core checks
        its own, wider bounds again)."""
        if not self.cells:
            raise ValueError("cells: choose at least one cell to train")
        for name, value, (low, high) in (("seq_len", self.seq_len, SEQ_LEN_RANGE),
                                         ("hidden_size", self.hidden_size, HIDDEN_RANGE),
                                         ("steps", self.steps, STEPS_RANGE),
                                         ("forget_bias_init", self.forget_bias_init,
                                          FORGET_BIAS_RANGE)):
            if not (isinstance(value, (int, float)) and low <= value <= high):
                raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
        unknown = [c for c in self.cells if c not in CELLS]
        if unknown:
            raise ValueError(f"cells must be among {tuple(CELLS)}, got {unknown[0]!r}")

    def trainers(self) -> dict[str, Trainer]:
        """One Trainer per chosen cell, all on the same data (same task, length and seed)."""
        self.check()
        return {cell: Trainer(cell, self.task, seq_len=self.seq_len,
                              hidden_size=self.hidden_size, seed=self.seed, steps=self.steps,
                              forget_bias_init=self.forget_bias_init)
                for cell in self.cells}


@dataclass(frozen=True)
class Chunk:
    """What one chunk of training sends back from the worker process."""

    trainers: dict[str, Trainer]  # the advanced trainers (copies: they crossed a process)
    seconds: dict[str, float]  # wall seconds each cell trained in this chunk


def train_for(trainers: dict[str, Trainer], seconds: float) -> Chunk:
    """Advance the unfinished trainers in turn, one update each per round, until a round would
    end past `seconds` of wall time (at least one round runs), so the cells side by side stay
    at the same update. Made to run in a worker process (arguments and result pickle); the
    result does not depend on how the updates were split into chunks."""
    deadline = time.perf_counter() + seconds
    spent = dict.fromkeys(trainers, 0.0)
    longest = 0.0
    while active := [(name, t) for name, t in trainers.items() if not t.done]:
        start = time.perf_counter()
        for name, trainer in active:
            began = time.perf_counter()
            trainer.advance(1)
            spent[name] += time.perf_counter() - began
        now = time.perf_counter()
        longest = max(longest, now - start)
        if now + longest > deadline:
            break
    return Chunk(trainers, {n: s for n, s in spent.items() if s})


def task_title(name: str) -> str:
    return TASKS[name].title


def cell_title(name: str) -> str:
    return CELLS[name].title


# -- the trained LSTM over one test sequence ---------------------------------------------------
@dataclass(frozen=True)
class UnitStory:
    unit: int  # 0-based
    correlation: float  # of c_unit(T) with the target, over the held-out sequences
    holds: np.ndarray  # (T,): correlation of c_unit(t) with the target at each step
    write_holds: np.ndarray  # (T,): the same for the write i(t)·g(t)
    first_share: float  # mean share of c_unit(T)'s writes that comes from t = 1
    i_first: float  # i(1) on the shown sequence
    i_later: float  # mean i(t) for t ≥ 2
    f_later_min: float  # smallest f(t) for t ≥ 2
    f_later_mean: float


@dataclass(frozen=True)
class GateStory:
    xs: np.ndarray  # (T, D) the shown test sequence
    target: float
    gates: dict[str, np.ndarray]  # "f", "i", "g", "o", "c", "h" -> (T, H)
    units: tuple[UnitStory, ...]  # the units that carry the answer best, best first


def gate_story(params: LSTMParams, held_out: TaskBatch, k: int = 0) -> GateStory:
    """The gates of test sequence k, and the units whose final cell state follows the target
    most closely over all held-out sequences (the mean over units can hide them).

    With c(0) = 0, c(T) = Σ_s i(s)·g(s)·f(s+1)⋯f(T) exactly: `first_share` is the part of
    that sum written at s = 1, and `write_holds` how well each step's write i(s)·g(s) tells
    the target: whether the cell stores the answer once and keeps it, or writes it again."""
    B = held_out.xs.shape[1]
    if not 0 <= k < B:
        raise ValueError(f"k must be in 0..{B - 1}, got {k}")
    zeros = np.zeros((B, params.H))
    batch = unroll(params, held_out.xs, zeros, zeros)
    c, write = batch.over_time("c"), batch.over_time("i") * batch.over_time("g")  # (T, B, H)
    f_after = np.cumprod(batch.over_time("f")[::-1], axis=0)[::-1]  # f(s)⋯f(T)
    kept = write * np.concatenate([f_after[1:], np.ones_like(f_after[:1])])
    share = np.abs(kept[0]) / np.maximum(np.abs(kept).sum(axis=0), 1e-300)  # (B, H)
    targets = held_out.targets
    corr = np.array([_correlation(c[-1, :, u], targets) for u in range(params.H)])
    xs = held_out.sequence(k)
    gates = {n: batch.over_time(n)[:, k] for n in (*GATE_ORDER, "c", "h")}
    order = np.argsort(-np.abs(corr), kind="stable")[:STORY_UNITS]
    units = []
    for u in map(int, order):
        i, f = gates["i"][:, u], gates["f"][:, u]
        later_i, later_f = (i[1:], f[1:]) if len(i) > 1 else (i, f)
        units.append(UnitStory(
            u, float(corr[u]),
            np.array([_correlation(c[t, :, u], targets) for t in range(len(xs))]),
            np.array([_correlation(write[t, :, u], targets) for t in range(len(xs))]),
            float(share[:, u].mean()), float(i[0]), float(later_i.mean()),
            float(later_f.min()), float(later_f.mean())))
    return GateStory(xs, float(targets[k]), gates, tuple(units))


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


# -- into the explorer -------------------------------------------------------------------------
@dataclass(frozen=True)
class ExplorerCell:
    scenario: Scenario
    clipped: tuple[str, ...]  # what had to be clipped to the explorer's bounds, in words


def explorer_cell(params: LSTMParams, xs: np.ndarray, t: int) -> ExplorerCell:
    """The trained cell at step t (1-based) of sequence xs (T, D): x(t), and h(t−1), c(t−1) of
    the run from zeros. The explorer holds |values| ≤ VALUE_LIMIT and |weights| ≤ WEIGHT_LIMIT
    and sizes up to UI_MAX_SIZE: larger values are clipped (and named); larger sizes refused."""
    T = xs.shape[0]
    if not 1 <= t <= T:
        raise ValueError(f"t must be in 1..{T}, got {t}")
    if params.H > UI_MAX_SIZE or params.D > UI_MAX_SIZE:
        raise ValueError(f"the explorer shows at most {UI_MAX_SIZE} units; this cell has "
                         f"{params.H} (train with hidden size ≤ {UI_MAX_SIZE} to open it there)")
    zeros = np.zeros(params.H)
    trace = unroll(params, xs[:t], zeros, zeros)
    h_prev = trace.over_time("h")[t - 2] if t > 1 else zeros
    c_prev = trace.over_time("c")[t - 2] if t > 1 else zeros
    clipped = []
    if np.max(np.abs(c_prev)) > VALUE_LIMIT:
        clipped.append(f"c(t−1) reaches {np.max(np.abs(c_prev)):.1f}; the explorer's sliders "
                       f"stop at ±{VALUE_LIMIT:g}, so it was clipped there")
    blocks = {f: {g: getattr(params.gate(g), f) for g in GATE_ORDER} for f in ("W_x", "W_h", "b")}
    biggest = max(float(np.max(np.abs(a))) for b in blocks.values() for a in b.values())
    if biggest > WEIGHT_LIMIT:
        clipped.append(f"a weight reaches {biggest:.1f}; the explorer holds weights within "
                       f"±{WEIGHT_LIMIT:g}, so the largest were clipped")
        blocks = {f: {g: np.clip(a, -WEIGHT_LIMIT, WEIGHT_LIMIT) for g, a in b.items()}
                  for f, b in blocks.items()}
    cell = LSTMParams.from_blocks(**blocks)
    scenario = Scenario(cell, xs[t - 1], h_prev, np.clip(c_prev, -VALUE_LIMIT, VALUE_LIMIT))
    return ExplorerCell(scenario, tuple(clipped))


def explorer_query(scenario: Scenario) -> dict[str, str]:
    """The explorer link's query parameters (explainer.codec's format, exact floats)."""
    return encode(scenario)
