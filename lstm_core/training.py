"""Train a tiny recurrent cell on a memory task: backpropagation through time with Adam.

    result = train("lstm", "remember", seq_len=50, hidden_size=8, seed=0)
    result.loss          # (updates,): the training loss of each update
    result.accuracy      # on fresh held-out sequences
    result.params        # LSTMParams / RNNParams / GRUParams of the trained cell
    result.readout       # the linear readout y = w · h(T) + b
    result.snapshots     # every `snapshot_every` updates, for an animation

A page that must answer quickly trains in chunks instead:

    trainer = Trainer("lstm", "remember", seq_len=50, hidden_size=8, seed=0)
    while not trainer.done:
        trainer.advance(max_updates=50, should_stop=past_deadline)
        progress = trainer.progress       # updates done, of total
    result = trainer.result()

The forward and backward passes are the core's own (`unroll`, `unroll_backward`, `unroll_rnn`,
`unroll_rnn_backward`), run on a whole mini-batch at once: xs (T, B, D), h (B, H). Everything is
deterministic for a given seed, however the updates are split into chunks; the training batches
and the held-out sequences depend on the seed and the task alone, so an LSTM and an RNN trained
with the same seed see the same data.

Defaults, measured on "remember" (seq_len 50, hidden 8, batch 32; benchmarks/train.py):
forget-bias initialisation 3.0 (b_f starts at 3.0: f ≈ 0.95), Adam lr 0.005, gradient norm
clipped at 1.0, 1000 updates (≈ 13-18 s of one core). The LSTM then reached ≥ 0.98 held-out
accuracy on seeds 0-9; with b_f = 1.0 it stayed at chance on seeds 0-2; with lr 0.01, seed 8
learned and then collapsed to chance (rare gradient spikes); the basic RNN stayed at chance on
seeds 0-4 in the same 1000 updates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass

import numpy as np

from .backward import unroll_backward, unroll_rnn_backward
from .gates import GATE_ORDER
from .gru import GRU_GATE_ORDER, GRUParams, gru_step
from .gru_backward import gru_step_backward
from .params import LSTMParams
from .sequence import RNNParams, unroll, unroll_rnn

MAX_SEQ_LEN = 200
MAX_HIDDEN = 32
MAX_STEPS = 5000
MAX_BATCH = 256
HELD_OUT = 512  # fresh sequences for the accuracy
DEFAULT_STEPS = 1000
DEFAULT_FORGET_BIAS_INIT = 3.0
DEFAULT_LR = 0.005
DEFAULT_CLIP = 1.0


# -- tasks --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskBatch:
    """B sequences, time first: xs (T, B, D), and one target per sequence, (B,)."""

    xs: np.ndarray
    targets: np.ndarray

    def sequence(self, k: int) -> np.ndarray:
        """Sequence k alone, (T, D): ready for `unroll`."""
        return self.xs[:, k]


@dataclass(frozen=True)
class Task:
    name: str
    title: str
    D: int  # inputs per step
    kind: str  # "classify": target ±1, logistic loss, accuracy = sign right;
    #            "regress": squared error, accuracy = |error| < tolerance
    min_seq_len: int
    sample: Callable[[np.random.Generator, int, int], TaskBatch]  # (rng, T, B)
    tolerance: float = 0.0


def _remember(rng: np.random.Generator, T: int, B: int) -> TaskBatch:
    """x(1) is a bit (±1); every later input is noise from the same range [−1, 1]."""
    bits = rng.choice([-1.0, 1.0], size=B)
    xs = rng.uniform(-1.0, 1.0, (T, B, 1))
    xs[0, :, 0] = bits
    return TaskBatch(xs, bits)


def _marked(rng: np.random.Generator, T: int, B: int) -> TaskBatch:
    """Channel 0: a random bit (±1) at every step; channel 1 marks one step in the first half.
    The target is the bit at the marked step."""
    xs = np.zeros((T, B, 2))
    xs[:, :, 0] = rng.choice([-1.0, 1.0], size=(T, B))
    marks = rng.integers(0, max(1, T // 2), size=B)
    xs[marks, np.arange(B), 1] = 1.0
    return TaskBatch(xs, xs[marks, np.arange(B), 0].copy())


def _add(rng: np.random.Generator, T: int, B: int) -> TaskBatch:
    """The adding problem: channel 0 holds values in [0, 1]; channel 1 marks two of them, one
    in each half; the target is their sum."""
    xs = np.zeros((T, B, 2))
    xs[:, :, 0] = rng.uniform(0.0, 1.0, (T, B))
    first = rng.integers(0, T // 2, size=B)
    second = rng.integers(T // 2, T, size=B)
    cols = np.arange(B)
    xs[first, cols, 1] = 1.0
    xs[second, cols, 1] = 1.0
    return TaskBatch(xs, xs[first, cols, 0] + xs[second, cols, 0])


TASKS: dict[str, Task] = {  # a constant table: never mutated
    "remember": Task("remember", "remember the first bit", 1, "classify", 2, _remember),
    "marked": Task("marked", "remember the marked bit", 2, "classify", 2, _marked),
    "add": Task("add", "add the two marked numbers", 2, "regress", 2, _add, tolerance=0.04),
}


def sample_task(task: str, seq_len: int, count: int, seed: int = 0) -> TaskBatch:
    """`count` sequences of a task, reproducible from the seed."""
    spec = _task(task)
    _check_int("seq_len", seq_len, spec.min_seq_len, MAX_SEQ_LEN)
    _check_int("count", count, 1, HELD_OUT)
    return spec.sample(np.random.default_rng([_check_seed(seed), 3]), seq_len, count)


# -- cells --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CellKind:
    """What training needs to know about one kind of cell. Adding a cell is one entry."""

    name: str
    title: str
    init: Callable[[int, int, np.random.Generator, float], object]  # (D, H, rng, forget_bias)
    arrays: Callable[[object], list[np.ndarray]]  # the trainable arrays, in a fixed order
    rebuild: Callable[[object, list[np.ndarray]], object]  # template, arrays -> params
    forward: Callable[[object, np.ndarray], tuple[object, np.ndarray]]  # -> trace, h(t) (T,B,H)
    backward: Callable[[object, np.ndarray], object]  # trace, dhs (T,B,H) -> params gradient


LSTM_FIELDS = ("W_x", "W_h", "b")  # trained; no peepholes, forget_bias offset 0


def _lstm_init(D: int, H: int, rng: np.random.Generator, forget_bias: float) -> LSTMParams:
    """PyTorch's initialisation (uniform in ±1/√H), then b_f = forget_bias everywhere."""
    params = LSTMParams.random(D, H, seed=int(rng.integers(2**31)))
    return params.with_gate("f", b=np.full(H, float(forget_bias)))


def _gate_arrays(params, order, fields) -> list[np.ndarray]:
    """The trainable arrays of gated params (LSTM, GRU), gate by gate, field by field."""
    return [getattr(params.gate(n), f) for n in order for f in fields]


def _gate_blocks(arrays: list[np.ndarray], order, fields) -> tuple[dict, ...]:
    """The inverse of _gate_arrays: one {gate: array} mapping per field, for from_blocks."""
    it = iter(arrays)
    blocks = {n: {f: next(it) for f in fields} for n in order}
    return tuple({n: blocks[n][f] for n in order} for f in fields)


def _lstm_arrays(params: LSTMParams) -> list[np.ndarray]:
    return _gate_arrays(params, GATE_ORDER, LSTM_FIELDS)


def _lstm_rebuild(template: LSTMParams, arrays: list[np.ndarray]) -> LSTMParams:
    return LSTMParams.from_blocks(*_gate_blocks(arrays, GATE_ORDER, LSTM_FIELDS))


def _lstm_forward(params: LSTMParams, xs: np.ndarray):
    B, H = xs.shape[1], params.H
    trace = unroll(params, xs, np.zeros((B, H)), np.zeros((B, H)))
    return trace, trace.over_time("h")


def _lstm_backward(trace, dhs: np.ndarray) -> LSTMParams:
    return unroll_backward(trace, dhs).params


def _rnn_init(D: int, H: int, rng: np.random.Generator, forget_bias: float) -> RNNParams:
    """Uniform in ±1/√H, like the LSTM's layers (there is no forget gate to bias)."""
    k = 1.0 / np.sqrt(H)
    return RNNParams(rng.uniform(-k, k, (D, H)), rng.uniform(-k, k, (H, H)),
                     rng.uniform(-k, k, H))


def _rnn_forward(params: RNNParams, xs: np.ndarray):
    trace = unroll_rnn(params, xs, np.zeros((xs.shape[1], params.H)))
    return trace, trace.over_time("h")


def _rnn_arrays(params: RNNParams) -> list[np.ndarray]:
    return [params.W_x, params.W_h, params.b]


def _rnn_rebuild(template: RNNParams, arrays: list[np.ndarray]) -> RNNParams:
    return RNNParams(*arrays)


def _rnn_backward(trace, dhs: np.ndarray) -> RNNParams:
    return unroll_rnn_backward(trace, dhs).params


GRU_FIELDS = ("W_x", "W_h", "b_x", "b_h")  # trained; reset_after (PyTorch's placement)


def _gru_init(D: int, H: int, rng: np.random.Generator, forget_bias: float) -> GRUParams:
    """PyTorch's initialisation (uniform in ±1/√H), then b_xz = forget_bias everywhere: the
    update gate starts keeping, as the LSTM's forget gate starts remembering."""
    params = GRUParams.random(D, H, seed=int(rng.integers(2**31)))
    return params.with_gate("z", b_x=np.full(H, float(forget_bias)))


def _gru_arrays(params: GRUParams) -> list[np.ndarray]:
    return _gate_arrays(params, GRU_GATE_ORDER, GRU_FIELDS)


def _gru_rebuild(template: GRUParams, arrays: list[np.ndarray]) -> GRUParams:
    return GRUParams.from_blocks(*_gate_blocks(arrays, GRU_GATE_ORDER, GRU_FIELDS),
                                 reset_after=template.reset_after)


def _gru_forward(params: GRUParams, xs: np.ndarray):
    """The steps of a batch, xs (T, B, D) from h(0) = 0: the trace is (params, steps)."""
    h, steps = np.zeros((xs.shape[1], params.H)), []
    for x in xs:
        steps.append(gru_step(params, x, h))
        h = steps[-1].h
    return (params, steps), np.stack([s.h for s in steps])


def _gru_backward(trace, dhs: np.ndarray) -> GRUParams:
    """Backpropagation through time with gru_step_backward; parameter gradients summed."""
    params, steps = trace
    dh_next, total = np.zeros_like(dhs[0]), None
    for step, dh in zip(reversed(steps), dhs[::-1]):
        grads = gru_step_backward(params, step, dh + dh_next)
        dh_next = grads.dh_prev
        arrays = _gru_arrays(grads.params)
        total = arrays if total is None else [a + b for a, b in zip(total, arrays)]
    return _gru_rebuild(params, total)


CELLS: dict[str, CellKind] = {  # a constant table: never mutated
    "lstm": CellKind("lstm", "LSTM", _lstm_init, _lstm_arrays, _lstm_rebuild, _lstm_forward,
                     _lstm_backward),
    "rnn": CellKind("rnn", "basic RNN", _rnn_init, _rnn_arrays, _rnn_rebuild, _rnn_forward,
                    _rnn_backward),
    "gru": CellKind("gru", "GRU", _gru_init, _gru_arrays, _gru_rebuild, _gru_forward,
                    _gru_backward),
}


# -- readout and loss ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Readout:
    """y = w · h(T) + b: a logit for a classification task, the answer for a regression."""

    w: np.ndarray  # (H,)
    b: float

    def __call__(self, h_last: np.ndarray) -> np.ndarray:
        return h_last @ self.w + self.b


def loss_and_slope(kind: str, y: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean loss over the batch and ∂loss/∂y. classify: softplus(−t·y) (logistic, t = ±1);
    regress: ½(y − t)²."""
    if kind == "classify":
        m = -targets * y
        loss = np.logaddexp(0.0, m)  # softplus, without overflow
        slope = -targets * np.exp(m - loss)  # −t·σ(m), since σ(m) = e^{m − softplus(m)}
    else:
        err = y - targets
        loss, slope = 0.5 * err**2, err
    return float(np.mean(loss)), slope / y.size


def accuracy(kind: str, y: np.ndarray, targets: np.ndarray, tolerance: float) -> float:
    if kind == "classify":
        return float(np.mean(np.sign(y) == targets))
    return float(np.mean(np.abs(y - targets) < tolerance))


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    update: int  # updates done when it was taken (0: the initial cell)
    params: object  # LSTMParams or RNNParams
    readout: Readout
    loss: float  # held-out loss
    accuracy: float  # held-out accuracy


@dataclass(frozen=True)
class TrainSettings:
    cell: str
    task: str
    seq_len: int
    hidden_size: int
    seed: int
    steps: int
    forget_bias_init: float
    lr: float
    batch: int
    clip: float
    snapshot_every: int


@dataclass(frozen=True)
class TrainResult:
    settings: TrainSettings
    loss: np.ndarray  # (updates,): training loss of each update
    grad_norm: np.ndarray  # (updates,): gradient norm before clipping
    accuracy: float  # held-out, after the last update
    held_out_loss: float
    params: object  # LSTMParams or RNNParams
    readout: Readout
    snapshots: tuple[Snapshot, ...]  # update 0, every snapshot_every, and the last
    held_out: TaskBatch  # the held-out sequences (time first)

    @property
    def accuracy_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(updates, held-out accuracy) at the snapshots."""
        return (np.array([s.update for s in self.snapshots]),
                np.array([s.accuracy for s in self.snapshots]))


# -- the trainer --------------------------------------------------------------------------------
@dataclass
class _Adam:
    lr: float
    m: np.ndarray
    v: np.ndarray
    t: int = 0
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def step(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grad
        self.v = self.beta2 * self.v + (1 - self.beta2) * grad**2
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return theta - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


@dataclass
class Trainer:
    """Training that advances in chunks (`advance`), for a page that reruns between them.
    One trainer per user session; it holds the only mutable state of this module."""

    cell: str
    task: str
    _: KW_ONLY
    seq_len: int
    hidden_size: int
    seed: int = 0
    steps: int | None = None
    forget_bias_init: float = DEFAULT_FORGET_BIAS_INIT
    lr: float = DEFAULT_LR
    batch: int = 32
    clip: float = DEFAULT_CLIP
    snapshot_every: int | None = None

    def __post_init__(self):
        self.settings = _settings(self)
        s = self.settings
        kind, task = CELLS[s.cell], TASKS[s.task]
        init_rng = np.random.default_rng([s.seed, 0])
        template = kind.init(task.D, s.hidden_size, init_rng, s.forget_bias_init)
        readout = Readout(init_rng.uniform(-1, 1, s.hidden_size) / np.sqrt(s.hidden_size), 0.0)
        arrays = [*kind.arrays(template), readout.w, np.array([readout.b])]
        theta = np.concatenate([a.ravel() for a in arrays])
        self._template = template
        self._shapes = [a.shape for a in arrays]
        self._theta = theta
        self._adam = _Adam(s.lr, np.zeros_like(theta), np.zeros_like(theta))
        self._data = np.random.default_rng([s.seed, 1])
        self.held_out = task.sample(np.random.default_rng([s.seed, 2]), s.seq_len, HELD_OUT)
        self._loss: list[float] = []
        self._grad_norm: list[float] = []
        self._snapshots = [self._snapshot()]

    @property
    def _kind(self) -> CellKind:  # looked up, not stored: a Trainer pickles (no functions)
        return CELLS[self.settings.cell]

    @property
    def _task(self) -> Task:
        return TASKS[self.settings.task]

    # -- progress -----------------------------------------------------------------------------
    @property
    def updates(self) -> int:
        return len(self._loss)

    @property
    def done(self) -> bool:
        return self.updates >= self.settings.steps

    @property
    def progress(self) -> float:
        return self.updates / self.settings.steps

    @property
    def snapshots(self) -> tuple[Snapshot, ...]:
        return tuple(self._snapshots)

    @property
    def loss(self) -> np.ndarray:
        return np.array(self._loss)

    # -- work ---------------------------------------------------------------------------------
    def advance(self, max_updates: int | None = None,
                should_stop: Callable[[], bool] | None = None) -> int:
        """Run up to `max_updates` more updates (default: all that remain), stopping early when
        `should_stop()` turns true (asked after each update, so at least one runs), e.g. a
        deadline: `lambda: time.perf_counter() > deadline`. Returns the number run. The result
        does not depend on how the updates are split into chunks."""
        left = self.settings.steps - self.updates
        n = left if max_updates is None else min(left, _check_int("max_updates", max_updates,
                                                                  0, MAX_STEPS))
        for k in range(n):
            self._update()
            if should_stop is not None and should_stop():
                return k + 1
        return n

    def result(self) -> TrainResult:
        """The trained cell so far (the last snapshot is taken now if it is not yet)."""
        if self._snapshots[-1].update != self.updates:
            self._snapshots.append(self._snapshot())
        last = self._snapshots[-1]
        return TrainResult(self.settings, self.loss, np.array(self._grad_norm), last.accuracy,
                           last.loss, last.params, last.readout, self.snapshots, self.held_out)

    # -- internals ----------------------------------------------------------------------------
    def _unpack(self, theta: np.ndarray):
        arrays, k = [], 0
        for shape in self._shapes:
            size = int(np.prod(shape))
            arrays.append(theta[k:k + size].reshape(shape))
            k += size
        params = self._kind.rebuild(self._template, arrays[:-2])
        return params, Readout(arrays[-2], float(arrays[-1][0]))

    def _forward(self, params, readout: Readout, batch: TaskBatch):
        trace, hs = self._kind.forward(params, batch.xs)
        y = readout(hs[-1])
        loss, dy = loss_and_slope(self._task.kind, y, batch.targets)
        return trace, hs, y, loss, dy

    def loss_and_gradient(self, batch: TaskBatch, theta: np.ndarray | None = None
                          ) -> tuple[float, np.ndarray]:
        """The mean loss on `batch` and its gradient with respect to every trained number
        (`theta`, default the current ones: the cell's arrays, then the readout's w and b),
        by backpropagation through time."""
        params, readout = self._unpack(self._theta if theta is None else theta)
        trace, hs, _, loss, dy = self._forward(params, readout, batch)
        dhs = np.zeros_like(hs)
        dhs[-1] = dy[:, None] * readout.w  # y = w · h(T) + b
        grads = self._kind.arrays(self._kind.backward(trace, dhs))
        return loss, np.concatenate([*(g.ravel() for g in grads), hs[-1].T @ dy, [dy.sum()]])

    @property
    def theta(self) -> np.ndarray:
        """Every trained number in one flat vector (a copy)."""
        return self._theta.copy()

    def _update(self) -> None:
        s = self.settings
        batch = self._task.sample(self._data, s.seq_len, s.batch)
        loss, grad = self.loss_and_gradient(batch)
        norm = float(np.linalg.norm(grad))
        if norm > s.clip:
            grad = grad * (s.clip / norm)  # clip the whole gradient's norm
        self._theta = self._adam.step(self._theta, grad)
        self._loss.append(loss)
        self._grad_norm.append(norm)
        if self.updates % s.snapshot_every == 0 or self.done:
            self._snapshots.append(self._snapshot())

    def _snapshot(self) -> Snapshot:
        params, readout = self._unpack(self._theta)
        _, _, y, loss, _ = self._forward(params, readout, self.held_out)
        acc = accuracy(self._task.kind, y, self.held_out.targets, self._task.tolerance)
        return Snapshot(self.updates, params, readout, loss, acc)


def train(cell: str, task: str, *, seq_len: int, hidden_size: int, seed: int = 0,
          steps: int | None = None, forget_bias_init: float = DEFAULT_FORGET_BIAS_INIT,
          lr: float = DEFAULT_LR, batch: int = 32, clip: float = DEFAULT_CLIP,
          snapshot_every: int | None = None) -> TrainResult:
    """Train `cell` ("lstm", "rnn", "gru") on `task` ("remember", "marked", "add") to the end."""
    trainer = Trainer(cell, task, seq_len=seq_len, hidden_size=hidden_size, seed=seed,
                      steps=steps, forget_bias_init=forget_bias_init, lr=lr, batch=batch,
                      clip=clip, snapshot_every=snapshot_every)
    trainer.advance()
    return trainer.result()


# -- argument checks ----------------------------------------------------------------------------
def _task(name) -> Task:
    if name not in TASKS:
        raise ValueError(f"task must be one of {tuple(TASKS)}, got {name!r}")
    return TASKS[name]


def _check_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer in {low}..{high}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in {low}..{high}, got {value}")
    return int(value)


def _check_float(name: str, value, low: float, high: float, *, open_low: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    ok = (low < v if open_low else low <= v) and v <= high
    if not ok:
        bracket = "(" if open_low else "["
        raise ValueError(f"{name} must be in {bracket}{low}, {high}], got {value!r}")
    return v


def _check_seed(seed) -> int:
    return _check_int("seed", seed, 0, 2**31 - 1)


def _settings(t: Trainer) -> TrainSettings:
    if t.cell not in CELLS:
        raise ValueError(f"cell must be one of {tuple(CELLS)}, got {t.cell!r}")
    task = _task(t.task)
    steps = DEFAULT_STEPS if t.steps is None else _check_int("steps", t.steps, 1, MAX_STEPS)
    every = (max(1, steps // 50) if t.snapshot_every is None
             else _check_int("snapshot_every", t.snapshot_every, 1, MAX_STEPS))
    return TrainSettings(
        cell=t.cell, task=t.task,
        seq_len=_check_int("seq_len", t.seq_len, task.min_seq_len, MAX_SEQ_LEN),
        hidden_size=_check_int("hidden_size", t.hidden_size, 1, MAX_HIDDEN),
        seed=_check_seed(t.seed), steps=steps,
        forget_bias_init=_check_float("forget_bias_init", t.forget_bias_init, -10.0, 10.0),
        lr=_check_float("lr", t.lr, 0.0, 1.0, open_low=True),
        batch=_check_int("batch", t.batch, 1, MAX_BATCH),
        clip=_check_float("clip", t.clip, 0.0, 1e6, open_low=True),
        snapshot_every=every)
