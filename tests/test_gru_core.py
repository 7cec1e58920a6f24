"""The GRU core on its own: finite differences, batches, both reset placements, constructors,
layouts round trips and the messages bad input gets."""

import warnings

import numpy as np
import pytest

from lstm_core import GRU_GATES, GRUParams, gru_step, gru_step_backward
from lstm_core.gru import GRUGate

NAMES = tuple(spec.name for spec in GRU_GATES)
FIELDS = ("W_x", "W_h", "b_x", "b_h")
PLACEMENTS = pytest.mark.parametrize("reset_after", [True, False], ids=["after", "before"])


def inputs(D, H, batch=(), seed=5, scale=1.0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-scale, scale, (*batch, D)), rng.uniform(-1, 1, (*batch, H)),
            rng.uniform(-1, 1, (*batch, H)))


def loss(params, x, h_prev, dh):
    return float(np.sum(gru_step(params, x, h_prev).h * dh))


def central(f, value, eps=1e-6):
    """Central differences of the scalar f(array) for every element of value."""
    out = np.zeros_like(value)
    for idx in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[idx] += eps
        down[idx] -= eps
        out[idx] = (f(up) - f(down)) / (2 * eps)
    return out


# -- backward against central finite differences (both placements, with and without a batch) --
@PLACEMENTS
@pytest.mark.parametrize("D,H,batch", [(1, 1, ()), (3, 2, ()), (2, 4, ()), (3, 3, (2,))])
def test_backward_matches_finite_differences(reset_after, D, H, batch):
    params = GRUParams.random(D, H, seed=10 * D + H, scale=1.2, reset_after=reset_after)
    x, h_prev, dh = inputs(D, H, batch)
    grads = gru_step_backward(params, gru_step(params, x, h_prev), dh)
    tol = 1e-8  # central differences with eps 1e-6: truncation ~1e-12, rounding ~1e-10
    assert np.max(np.abs(grads.dx - central(lambda v: loss(params, v, h_prev, dh), x))) < tol
    assert np.max(np.abs(grads.dh_prev - central(lambda v: loss(params, x, v, dh), h_prev))) < tol
    for name in NAMES:
        for field in FIELDS:
            value = np.array(getattr(params.gate(name), field))
            numeric = central(
                lambda v, n=name, f=field: loss(params.with_gate(n, **{f: v}), x, h_prev, dh),
                value)
            err = np.max(np.abs(getattr(grads.params.gate(name), field) - numeric))
            assert err < tol, f"d {field}{name}: {err:.2e}"


@PLACEMENTS
def test_pre_activation_gradients_match_finite_differences(reset_after):
    """dpre_* and the activation gradients dz, dr, dg, by nudging one layer's bias b_x."""
    params = GRUParams.random(2, 3, seed=3, scale=1.5, reset_after=reset_after)
    x, h_prev, dh = inputs(2, 3, seed=8)
    grads = gru_step_backward(params, gru_step(params, x, h_prev), dh)
    for name in NAMES:  # pre = ... + b_x, so dL/db_x = dL/dpre
        numeric = central(lambda v, n=name: loss(params.with_gate(n, b_x=v), x, h_prev, dh),
                          np.array(params.gate(name).b_x))
        assert np.max(np.abs(grads.dpre(name) - numeric)) < 1e-8, name
    step = gru_step(params, x, h_prev)
    assert np.allclose(grads.dpre_z, grads.dz * step.z * (1 - step.z), rtol=0, atol=1e-15)
    assert np.allclose(grads.dpre_r, grads.dr * step.r * (1 - step.r), rtol=0, atol=1e-15)
    assert np.allclose(grads.dpre_g, grads.dg * (1 - step.g**2), rtol=0, atol=1e-15)


# -- one code path for one example and for a batch -----------------------------------------
@PLACEMENTS
def test_a_batch_equals_its_examples_one_by_one(reset_after):
    params = GRUParams.random(3, 4, seed=2, scale=1.0, reset_after=reset_after)
    xs, hs, dhs = inputs(3, 4, batch=(5,), seed=9, scale=2.0)
    batch = gru_step(params, xs, hs)
    bgrads = gru_step_backward(params, batch, dhs)
    summed = {(n, f): 0.0 for n in NAMES for f in FIELDS}
    fields = ("xh", "one_minus_z", "z_h_prev", "one_minus_z_g", "h")
    layer_fields = ("Wx_x", "h_in", "Wh_h", "Wh_h_b", "rec", "pre", "a")
    for k in range(5):
        one = gru_step(params, xs[k], hs[k])
        for field in fields:
            assert np.allclose(getattr(batch, field)[k], getattr(one, field), rtol=0, atol=1e-15)
        for name in NAMES:
            for field in layer_fields:
                got = getattr(batch.gate(name), field)[k]
                assert np.allclose(got, getattr(one.gate(name), field), rtol=0, atol=1e-15)
        grads = gru_step_backward(params, one, dhs[k])
        assert np.allclose(bgrads.dx[k], grads.dx, rtol=0, atol=1e-15)
        assert np.allclose(bgrads.dh_prev[k], grads.dh_prev, rtol=0, atol=1e-15)
        for name in ("z", "r", "g"):
            assert np.allclose(bgrads.dpre(name)[k], grads.dpre(name), rtol=0, atol=1e-15)
        for key in summed:
            summed[key] = summed[key] + getattr(grads.params.gate(key[0]), key[1])
    for (name, field), total in summed.items():  # parameter gradients add over the batch
        assert np.allclose(getattr(bgrads.params.gate(name), field), total, rtol=0, atol=1e-14)


def test_a_batch_of_one_keeps_its_batch_axis():
    params = GRUParams.random(2, 3)
    step = gru_step(params, np.ones((1, 2)), np.zeros((1, 3)))
    assert step.h.shape == (1, 3) and step.xh.shape == (1, 5)
    assert np.array_equal(step.h[0], gru_step(params, np.ones(2), np.zeros(3)).h)


# -- the two reset placements ---------------------------------------------------------------
def test_placements_differ_in_general_and_only_in_the_candidate():
    after = GRUParams.random(3, 3, seed=4, scale=1.0)
    before = GRUParams(after.z, after.r, after.g, reset_after=False)
    x, h_prev, _ = inputs(3, 3)
    a, b = gru_step(after, x, h_prev), gru_step(before, x, h_prev)
    assert np.array_equal(a.z, b.z) and np.array_equal(a.r, b.r)
    assert np.max(np.abs(a.g - b.g)) > 1e-3 and np.max(np.abs(a.h - b.h)) > 1e-3
    assert np.array_equal(a.candidate.h_in, h_prev)
    assert np.array_equal(b.candidate.h_in, b.r * h_prev)  # W_hg reads r ⊗ h(t-1)
    assert np.array_equal(a.candidate.rec, a.r * (a.candidate.Wh_h + after.g.b_h))
    assert np.array_equal(b.candidate.rec, b.candidate.Wh_h + before.g.b_h)


def test_placements_agree_for_a_diagonal_W_hg_without_recurrent_bias():
    """r ⊗ (W h) = W (r ⊗ h) when W is diagonal and b_hg = 0."""
    base = GRUParams.random(2, 4, seed=6, scale=1.0)
    after = base.with_gate("g", W_h=np.diag([0.5, -1.0, 2.0, 0.3]), b_h=np.zeros(4))
    before = GRUParams(after.z, after.r, after.g, reset_after=False)
    x, h_prev, _ = inputs(2, 4)
    assert np.allclose(gru_step(after, x, h_prev).h, gru_step(before, x, h_prev).h,
                       rtol=0, atol=1e-15)


def test_candidate_biases_are_not_interchangeable_after_the_reset():
    """Reset after: r multiplies b_hg but not b_xg. Reset before: only their sum counts."""
    for reset_after, differs in ((True, True), (False, False)):
        p = GRUParams.random(2, 3, seed=7, scale=1.0, reset_after=reset_after)
        moved = p.with_gate("g", b_x=p.g.b_x + p.g.b_h, b_h=np.zeros(3))
        x, h_prev, _ = inputs(2, 3)
        gap = np.max(np.abs(gru_step(p, x, h_prev).h - gru_step(moved, x, h_prev).h))
        assert (gap > 1e-3) if differs else (gap < 1e-15), (reset_after, gap)


# -- what the update gate does ----------------------------------------------------------------
@PLACEMENTS
def test_update_gate_at_one_keeps_the_state_and_at_zero_takes_the_candidate(reset_after):
    p = GRUParams.random(2, 3, seed=1, reset_after=reset_after)
    x, h_prev, _ = inputs(2, 3)
    keep = gru_step(p.with_gate("z", b_x=np.full(3, 50.0)), x, h_prev)
    assert np.array_equal(keep.z, np.ones(3)) and np.array_equal(keep.h, h_prev)
    take = gru_step(p.with_gate("z", b_x=np.full(3, -800.0)), x, h_prev)
    assert np.array_equal(take.z, np.zeros(3)) and np.array_equal(take.h, take.g)


def test_hand_computed_step():
    """D = H = 1, numbers worked out by hand from the equations in the module docstring."""
    p = GRUParams.from_blocks(W_x={"z": [[0.5]], "r": [[-1.0]], "g": [[2.0]]},
                              W_h={"z": [[1.0]], "r": [[0.5]], "g": [[-0.5]]},
                              b_x={"z": [0.1], "r": [0.0], "g": [0.2]},
                              b_h={"z": [-0.1], "r": [0.3], "g": [0.4]})
    x, h_prev = np.array([1.0]), np.array([0.5])
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    z = sig(0.5 + 0.1 + 0.5 - 0.1)  # σ(1.0)
    r = sig(-1.0 + 0.0 + 0.25 + 0.3)  # σ(-0.45)
    g_after = np.tanh(2.0 + 0.2 + r * (-0.25 + 0.4))
    g_before = np.tanh(2.0 + 0.2 + (-0.5 * r * 0.5) + 0.4)
    for params, g in ((p, g_after), (GRUParams(p.z, p.r, p.g, reset_after=False), g_before)):
        s = gru_step(params, x, h_prev)
        assert np.allclose([s.z[0], s.r[0], s.g[0]], [z, r, g], rtol=0, atol=1e-15)
        assert np.allclose(s.h, z * 0.5 + (1 - z) * g, rtol=0, atol=1e-15)


def test_no_overflow_warning_for_huge_pre_activations():
    p = GRUParams.filled(1, 2, 1000.0, -1000.0, reset_after=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = gru_step(p, [1.0], [1.0, -1.0])
        gru_step_backward(p, s, [1.0, 1.0])
    assert np.all(np.isfinite(s.h))


# -- constructors, immutability ---------------------------------------------------------------
def test_zeros_identity_and_random():
    zero = gru_step(GRUParams.zeros(2, 3), [1.0, 2.0], [0.4, -0.2, 1.0])
    assert np.array_equal(zero.z, np.full(3, 0.5)) and np.array_equal(zero.g, np.zeros(3))
    assert np.array_equal(zero.h, [0.2, -0.1, 0.5])
    ident = GRUParams.identity(2, 3, reset_after=False)
    assert np.array_equal(ident.z.W_x, np.eye(2, 3)) and np.array_equal(ident.g.W_h, np.eye(3))
    assert not ident.reset_after and np.array_equal(ident.r.b_h, np.zeros(3))
    a, b, c = GRUParams.random(2, 3, seed=1), GRUParams.random(2, 3, seed=1), \
        GRUParams.random(2, 3, seed=2)
    assert all(np.array_equal(getattr(a.gate(n), f), getattr(b.gate(n), f))
               for n in NAMES for f in FIELDS)
    assert not np.array_equal(a.z.W_x, c.z.W_x)
    assert np.max(np.abs(a.r.W_h)) <= 1 / np.sqrt(3) and np.any(a.g.b_h != 0)


def test_params_and_steps_are_frozen_and_read_only():
    p = GRUParams.random(2, 3)
    with pytest.raises(AttributeError):
        p.reset_after = False
    with pytest.raises(ValueError):
        p.z.W_x[0, 0] = 1.0
    s = gru_step(p, np.zeros(2), np.zeros(3))
    with pytest.raises(AttributeError):
        s.h = np.zeros(3)
    edited = p.with_element("g", "b_h", 1, 9.0)
    assert edited.g.b_h[1] == 9.0 and p.g.b_h[1] != 9.0


# -- framework layouts ------------------------------------------------------------------------
def test_torch_round_trip_is_exact():
    p = GRUParams.random(3, 2, seed=11)
    back = GRUParams.from_torch(*p.to_torch())
    assert all(np.array_equal(getattr(back.gate(n), f), getattr(p.gate(n), f))
               for n in NAMES for f in FIELDS) and back.reset_after
    w_ih, w_hh, b_ih, b_hh = p.to_torch()
    assert w_ih.shape == (6, 3) and w_hh.shape == (6, 2) and b_ih.shape == b_hh.shape == (6,)
    assert np.array_equal(w_ih[:2], p.r.W_x.T) and np.array_equal(b_hh[2:4], p.z.b_h)


@PLACEMENTS
def test_keras_round_trip(reset_after):
    p = GRUParams.random(3, 2, seed=12, reset_after=reset_after)
    kernel, recurrent, bias = p.to_keras()
    assert kernel.shape == (3, 6) and recurrent.shape == (2, 6)
    assert bias.shape == ((2, 6) if reset_after else (6,))
    back = GRUParams.from_keras(kernel, recurrent, bias, reset_after=reset_after)
    assert back.reset_after is reset_after
    x, h_prev, _ = inputs(3, 2)
    assert np.allclose(gru_step(back, x, h_prev).h, gru_step(p, x, h_prev).h, rtol=0, atol=1e-15)
    if reset_after:
        assert all(np.array_equal(getattr(back.gate(n), f), getattr(p.gate(n), f))
                   for n in NAMES for f in FIELDS)
    else:  # Keras has one bias per layer here: b_x + b_h, which computes the same h
        assert all(np.array_equal(back.gate(n).b_x, p.gate(n).b_x + p.gate(n).b_h)
                   and not np.any(back.gate(n).b_h) for n in NAMES)


def test_torch_refuses_reset_before():
    with pytest.raises(ValueError, match=r"PyTorch.*reset_after=False.*cannot express"):
        GRUParams.random(2, 2, reset_after=False).to_torch()


@pytest.mark.parametrize("reset_after,bad", [(True, (6,)), (True, (6, 2)), (False, (2, 6)),
                                             (False, (3,)), (True, (12,))])
def test_keras_bias_of_the_other_placement_is_refused_not_reshaped(reset_after, bad):
    kernel, recurrent, _ = GRUParams.random(2, 2).to_keras()
    want = r"\(2, 6\)" if reset_after else r"\(6,\)"
    with pytest.raises(ValueError, match=rf"bias must have shape {want} for "
                                         rf"reset_after={reset_after}.*got \({bad[0]}"):
        GRUParams.from_keras(kernel, recurrent, np.zeros(bad), reset_after=reset_after)


def test_missing_biases_are_zeros():
    p = GRUParams.random(2, 2)
    w_ih, w_hh, _, _ = p.to_torch()
    kernel, recurrent, _ = p.to_keras()
    for q in (GRUParams.from_torch(w_ih, w_hh),
              GRUParams.from_keras(kernel, recurrent, reset_after=False)):
        assert not any(np.any(q.gate(n).b_x) or np.any(q.gate(n).b_h) for n in NAMES)


# -- bad input names the argument ----------------------------------------------------------------
P23 = GRUParams.random(2, 3)


@pytest.mark.parametrize("x,h_prev,named,shape", [
    (np.zeros(3), np.zeros(3), "x", "(2,)"),
    (np.zeros(2), np.zeros(2), "h_prev", "(3,)"),
    (np.zeros((4, 2)), np.zeros(3), "h_prev", "(4, 3)"),
    (np.zeros((4, 2)), np.zeros((5, 3)), "h_prev", "(4, 3)"),
    (np.zeros((1, 1, 2)), np.zeros(3), "x", "(2,)"),
    (np.zeros((0, 2)), np.zeros((0, 3)), "x", "(batch, 2)"),
    (0.5, np.zeros(3), "x", "(2,)"),
    ([[1.0], [1.0, 2.0]], np.zeros(3), "x", "ragged"),
    (["a", "b"], np.zeros(3), "x", "(2,)"),
])
def test_wrong_input_shape_names_the_argument(x, h_prev, named, shape):
    with pytest.raises(ValueError) as info:
        gru_step(P23, x, h_prev)
    assert named in str(info.value) and shape in str(info.value), str(info.value)


@pytest.mark.parametrize("arg", ["x", "h_prev"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("batch", [(), (2,)])
def test_non_finite_input_names_the_argument(arg, bad, batch):
    values = {"x": np.zeros((*batch, 2)), "h_prev": np.zeros((*batch, 3))}
    values[arg][..., -1] = bad
    with pytest.raises(ValueError, match=rf"{arg} must be finite"):
        gru_step(P23, **values)


WEIGHT_SHAPES = [("W_x", (3, 2), "(2, 3)"), ("W_h", (3, 2), "(3, 3)"), ("b_x", (2,), "(3,)"),
                 ("b_h", (4,), "(3,)")]


@pytest.mark.parametrize("gate,field,bad_shape,shape", [  # W_xz sets D and H: not in the list
    (g, *spec) for g in NAMES for spec in WEIGHT_SHAPES if (g, spec[0]) != ("z", "W_x")])
def test_wrong_weight_shape_names_the_block(gate, field, bad_shape, shape):
    with pytest.raises(ValueError) as info:
        P23.with_gate(gate, **{field: np.zeros(bad_shape)})
    name = f"{field[0]}_{field[2]}{gate}"  # W_xz, b_hg, ...
    assert name in str(info.value) and shape in str(info.value), str(info.value)


@pytest.mark.parametrize("gate", NAMES)
@pytest.mark.parametrize("field,index", [("W_x", (1, 2)), ("W_h", (0, 0)), ("b_x", 2),
                                         ("b_h", 0)])
def test_non_finite_weight_names_the_block(gate, field, index):
    with pytest.raises(ValueError, match=rf"{field[0]}_{field[2]}{gate} must be finite"):
        P23.with_element(gate, field, index, np.nan)


def test_other_bad_parameters():
    with pytest.raises(ValueError, match=r"W_xz.*\(D, H\)"):
        P23.with_gate("z", W_x=np.zeros(3))
    with pytest.raises(ValueError, match="sizes must be 1..64"):
        GRUParams.zeros(65, 2)
    with pytest.raises(ValueError, match="reset_after must be True or False"):
        GRUParams(P23.z, P23.r, P23.g, reset_after="yes")
    with pytest.raises(ValueError, match="gate must be one of"):
        P23.gate("n")
    w_ih, w_hh, b_ih, b_hh = P23.to_torch()
    with pytest.raises(ValueError, match=r"weight_ih must have shape \(3H, D\)"):
        GRUParams.from_torch(w_ih[:8], w_hh, b_ih, b_hh)
    with pytest.raises(ValueError, match=r"weight_hh must have shape \(9, 3\)"):
        GRUParams.from_torch(w_ih, w_hh[:, :2], b_ih, b_hh)
    with pytest.raises(ValueError, match=r"bias_hh must have shape \(9,\)"):
        GRUParams.from_torch(w_ih, w_hh, b_ih, np.zeros(8))
    kernel, recurrent, bias = P23.to_keras()
    with pytest.raises(ValueError, match=r"kernel must have shape \(D, 3H\)"):
        GRUParams.from_keras(kernel[:, :8], recurrent, bias)
    with pytest.raises(ValueError, match=r"recurrent_kernel must have shape \(3, 9\)"):
        GRUParams.from_keras(kernel, recurrent.T, bias)
    bad = np.array(bias)
    bad[1, 4] = np.inf
    with pytest.raises(ValueError, match="bias must be finite"):
        GRUParams.from_keras(kernel, recurrent, bad)


def test_backward_checks_its_arguments():
    s = gru_step(P23, np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"dh must have shape \(3,\)"):
        gru_step_backward(P23, s, np.zeros(2))
    with pytest.raises(ValueError, match="dh must be finite"):
        gru_step_backward(P23, s, [0.0, np.nan, 0.0])
    other = GRUParams(P23.z, P23.r, P23.g, reset_after=False)
    with pytest.raises(ValueError, match="step was not computed with these params"):
        gru_step_backward(other, s, np.zeros(3))
    with pytest.raises(ValueError, match="step was not computed with these params"):
        gru_step_backward(GRUParams.random(2, 4), s, np.zeros(3))


def test_blocks_may_be_nested_lists_and_are_copied():
    W = [[1.0, 0.0]]
    p = GRUParams.from_blocks(W_x=dict.fromkeys(NAMES, W),
                              W_h=dict.fromkeys(NAMES, [[1.0, 0.0], [0.0, 1.0]]),
                              b_x=dict.fromkeys(NAMES, [0.0, 0.0]),
                              b_h=dict.fromkeys(NAMES, [0.0, 0.0]))
    W[0][0] = 5.0
    assert (p.D, p.H) == (1, 2) and p.z.W_x[0, 0] == 1.0
    assert isinstance(p.g, GRUGate)
