"""Training (lstm_core.training): short runs only; the 30-second figures are in
benchmarks/train.py."""

import pickle

import numpy as np
import pytest

from lstm_core import LSTMParams, RNNParams
from lstm_core.training import (
    CELLS,
    TASKS,
    Trainer,
    loss_and_slope,
    sample_task,
    train,
)

SMALL = {"seq_len": 6, "hidden_size": 4}


# -- tasks --------------------------------------------------------------------------------------
def test_remember_puts_the_bit_first_and_noise_after():
    batch = sample_task("remember", 30, 200, seed=1)
    assert batch.xs.shape == (30, 200, 1)
    np.testing.assert_array_equal(batch.xs[0, :, 0], batch.targets)
    assert set(np.unique(batch.targets)) == {-1.0, 1.0}
    later = batch.xs[1:]
    assert later.min() >= -1 and later.max() <= 1 and later.std() > 0.4  # noise, same range
    np.testing.assert_array_equal(batch.sequence(3), batch.xs[:, 3])


def test_marked_targets_the_bit_under_the_only_mark():
    batch = sample_task("marked", 20, 100, seed=2)
    marks = batch.xs[:, :, 1]
    assert np.all(marks.sum(axis=0) == 1)
    where = marks.argmax(axis=0)
    assert where.max() < 10  # in the first half
    np.testing.assert_array_equal(batch.targets, batch.xs[where, np.arange(100), 0])


def test_add_sums_the_two_marked_values_one_in_each_half():
    batch = sample_task("add", 20, 100, seed=3)
    marks = batch.xs[:, :, 1]
    assert np.all(marks.sum(axis=0) == 2)
    assert np.all(marks[:10].sum(axis=0) == 1)
    np.testing.assert_allclose(batch.targets, (batch.xs[:, :, 0] * marks).sum(axis=0),
                               rtol=0, atol=1e-15)


def test_the_logistic_loss_slope_is_its_derivative_and_never_overflows():
    y = np.array([-800.0, -3.0, 0.2, 5.0, 800.0])
    t = np.array([1.0, -1.0, 1.0, -1.0, -1.0])
    loss, slope = loss_and_slope("classify", y, t)
    assert np.isfinite(loss) and loss == pytest.approx(np.mean(np.logaddexp(0, -t * y)))
    assert np.all(np.isfinite(slope))  # both far on the wrong side: the full slope ∓1 / B
    assert slope[0] == pytest.approx(-0.2) and slope[4] == pytest.approx(0.2)
    y, t = y[1:4], t[1:4]
    _, slope = loss_and_slope("classify", y, t)
    eps = 1e-6
    for k in range(3):
        e = np.zeros(3)
        e[k] = eps
        numeric = (loss_and_slope("classify", y + e, t)[0]
                   - loss_and_slope("classify", y - e, t)[0]) / (2 * eps)
        assert slope[k] == pytest.approx(numeric, rel=1e-6)


# -- training -----------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", sorted(CELLS))
@pytest.mark.parametrize("task", sorted(TASKS))
def test_the_trainer_gradient_is_the_derivative_of_the_batch_loss(cell, task):
    """Cell (through the core's backward pass) and readout, against central differences."""
    trainer = Trainer(cell, task, seq_len=5, hidden_size=3, seed=4, steps=3)
    trainer.advance()  # away from the initial point
    batch = sample_task(task, 5, 8, seed=9)
    theta = trainer.theta
    _, grad = trainer.loss_and_gradient(batch)
    rng = np.random.default_rng(0)
    eps = 1e-6
    for k in rng.choice(theta.size, size=12, replace=False):
        e = np.zeros_like(theta)
        e[k] = eps
        numeric = (trainer.loss_and_gradient(batch, theta + e)[0]
                   - trainer.loss_and_gradient(batch, theta - e)[0]) / (2 * eps)
        assert grad[k] == pytest.approx(numeric, rel=1e-5, abs=1e-9), k


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_a_short_run_lowers_the_loss(cell):
    result = train(cell, "remember", seed=0, steps=80, lr=0.03, **SMALL)
    assert result.loss.shape == (80,)
    assert result.loss[-20:].mean() < 0.6 * result.loss[:20].mean()
    assert result.snapshots[-1].accuracy > result.snapshots[0].accuracy
    assert result.accuracy > 0.8  # 6 steps, 4 units: easy for either cell


def test_results_are_deterministic_and_do_not_depend_on_chunks():
    whole = train("lstm", "add", seed=5, steps=30, snapshot_every=7, **SMALL)
    chunked = Trainer("lstm", "add", seed=5, steps=30, snapshot_every=7, **SMALL)
    for n in (1, 6, 10, 100):
        chunked.advance(n)
    again = chunked.result()
    np.testing.assert_array_equal(whole.loss, again.loss)
    np.testing.assert_array_equal(whole.params.f.W_h, again.params.f.W_h)
    np.testing.assert_array_equal(whole.readout.w, again.readout.w)
    assert whole.accuracy == again.accuracy
    assert [s.update for s in whole.snapshots] == [0, 7, 14, 21, 28, 30]
    other = train("lstm", "add", seed=6, steps=30, **SMALL)
    assert not np.array_equal(whole.loss, other.loss)


def test_advance_stops_when_asked_and_reports_progress():
    trainer = Trainer("rnn", "remember", seed=0, steps=10, **SMALL)
    calls = []
    assert trainer.advance(8, should_stop=lambda: calls.append(1) or len(calls) >= 3) == 3
    assert trainer.updates == 3 and trainer.progress == pytest.approx(0.3) and not trainer.done
    assert trainer.advance() == 7 and trainer.done
    assert trainer.advance(5) == 0


def test_lstm_and_rnn_with_one_seed_see_the_same_data():
    lstm = Trainer("lstm", "marked", seed=3, steps=2, **SMALL)
    rnn = Trainer("rnn", "marked", seed=3, steps=2, **SMALL)
    np.testing.assert_array_equal(lstm.held_out.xs, rnn.held_out.xs)
    np.testing.assert_array_equal(lstm._data.uniform(size=4), rnn._data.uniform(size=4))


def test_results_carry_the_core_parameter_types_and_the_forget_bias_init():
    result = train("lstm", "remember", seed=0, steps=2, forget_bias_init=2.5, **SMALL)
    assert isinstance(result.params, LSTMParams) and result.params.H == 4
    assert result.params.forget_bias == 0.0 and not result.params.use_peepholes
    np.testing.assert_array_equal(result.snapshots[0].params.f.b, np.full(4, 2.5))
    assert result.readout.w.shape == (4,)
    assert isinstance(train("rnn", "remember", seed=0, steps=2, **SMALL).params, RNNParams)
    assert result.grad_norm.shape == (2,) and np.all(result.grad_norm > 0)
    updates, acc = result.accuracy_curve
    assert list(updates) == [0, 1, 2] and acc[-1] == result.accuracy  # every max(1, steps // 50)


BAD = [
    ({"cell": "lstmm"}, "cell must be one of"),
    ({"task": "copy"}, "task must be one of"),
    ({"seq_len": 1}, "seq_len must be in 2..200"),
    ({"seq_len": 5000}, "seq_len must be in 2..200"),
    ({"seq_len": 6.5}, "seq_len must be an integer"),
    ({"hidden_size": 0}, "hidden_size must be in 1..32"),
    ({"hidden_size": 100}, "hidden_size must be in 1..32"),
    ({"seed": -1}, "seed must be in"),
    ({"steps": 0}, "steps must be in 1..5000"),
    ({"steps": 10**6}, "steps must be in 1..5000"),
    ({"forget_bias_init": float("nan")}, "forget_bias_init must be in"),
    ({"forget_bias_init": 50.0}, "forget_bias_init must be in"),
    ({"lr": 0.0}, "lr must be in"),
    ({"lr": "fast"}, "lr must be a number"),
    ({"batch": 0}, "batch must be in 1..256"),
    ({"batch": True}, "batch must be an integer"),
    ({"clip": -1.0}, "clip must be in"),
    ({"snapshot_every": 0}, "snapshot_every must be in"),
]


@pytest.mark.parametrize("change, message", BAD, ids=[m for _, m in BAD])
def test_bad_arguments_raise_naming_the_argument(change, message):
    args = {"cell": "lstm", "task": "remember", "seq_len": 5, "hidden_size": 2, "steps": 1}
    args.update(change)
    with pytest.raises(ValueError, match=message):
        train(args.pop("cell"), args.pop("task"), **args)


def test_bad_chunk_and_sample_arguments():
    trainer = Trainer("lstm", "remember", seed=0, steps=2, **SMALL)
    with pytest.raises(ValueError, match="max_updates"):
        trainer.advance(-1)
    with pytest.raises(ValueError, match="count must be in"):
        sample_task("add", 10, 0)


def test_a_trainer_pickles_mid_run_and_carries_on_identically():
    """A page may keep the trainer in session state, which some settings serialise."""
    trainer = Trainer("rnn", "add", seed=1, steps=12, **SMALL)
    trainer.advance(5)
    copy = pickle.loads(pickle.dumps(trainer))
    trainer.advance()
    copy.advance()
    np.testing.assert_array_equal(trainer.result().loss, copy.result().loss)
    np.testing.assert_array_equal(trainer.theta, copy.theta)


def test_the_gru_trains_with_the_cores_forward_and_backward():
    """The GRU entry of the cell table (issue 16): its trained parameters run in gru_step, and
    its update gate starts keeping (b_xz = the forget-bias initialisation)."""
    from lstm_core import GRUParams, gru_step

    trainer = Trainer("gru", "remember", seq_len=4, hidden_size=3, seed=1, steps=2)
    start = trainer.result().params
    assert isinstance(start, GRUParams) and start.reset_after
    np.testing.assert_array_equal(start.z.b_x, np.full(3, 3.0))
    result = train("gru", "remember", seq_len=6, hidden_size=4, seed=0, steps=80, lr=0.03)
    assert isinstance(result.params, GRUParams)
    assert gru_step(result.params, np.zeros(1), np.zeros(4)).h.shape == (4,)
