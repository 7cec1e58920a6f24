"""explainer.lessons: each 'wrong version' differs from the right one where it should, and equals
it in the Q&A case."""

from dataclasses import replace

import numpy as np
import pytest

from explainer import lessons
from explainer.presets import build
from lstm_core import lstm_step, sigmoid

QA_F = [0.47502081, 0.68997448, 0.549834, 0.4875026, 0.66818777]


def args(s):
    return s.x, s.h_prev, s.c_prev


@pytest.fixture(params=["default", "stackoverflow", "remember", "saturated"])
def scenario(request):
    return build(request.param)


def test_block_product_equals_split_form_for_every_gate(scenario):
    step = scenario.step()
    for name in ("i", "f", "g", "o"):
        bp = lessons.block_product(scenario.params, step, name)
        assert bp.W.shape == (scenario.H + scenario.D, scenario.H)
        assert bp.equal
        np.testing.assert_allclose(bp.z_block, step.gate(name).z, atol=1e-12)


def test_block_product_with_peepholes_and_offset():
    s = build("default")
    params = replace(s.params.with_gate("f", w_c=np.array([0.5, -1.0])), use_peepholes=True,
                     forget_bias=1.0)
    step = lstm_step(params, *args(s))
    assert lessons.block_product(params, step, "f").equal


def test_naive_forget_equals_real_in_qa_case():
    s = build("stackoverflow")
    n = lessons.naive_forget(s.params, *args(s))
    assert n.defined and n.equal and all(c.holds for c in n.conditions)
    np.testing.assert_allclose(n.naive, QA_F, atol=1e-8)
    np.testing.assert_allclose(n.real, QA_F, atol=1e-8)


@pytest.mark.parametrize("field,index", [("W_x", (0, 0)), ("W_h", (1, 2)), ("b", 3)])
def test_naive_forget_differs_once_a_weight_moves(field, index):
    s = build("stackoverflow")
    params = s.params.with_element("f", field, index, 0.5)
    n = lessons.naive_forget(params, *args(s))
    assert n.defined and not n.equal and n.max_abs_diff > 1e-3
    assert not all(c.holds for c in n.conditions)


def test_naive_forget_undefined_when_sizes_differ():
    s = build("stackoverflow").resized(6, 5)
    n = lessons.naive_forget(s.params, *args(s))
    assert not n.defined and n.naive is None and not n.equal
    assert "(5,)" in n.shapes and "(6,)" in n.shapes
    assert n.real.shape == (5,)


def test_soft_gates_limits():
    sg = lessons.soft_gates(build("default").step())
    assert 36.6 < sg.sigmoid_one < 36.8
    assert sigmoid(sg.sigmoid_one) == 1.0 and sigmoid(np.nextafter(sg.sigmoid_one, 0)) < 1.0
    assert -745.2 < sg.sigmoid_zero < -745.0 and sigmoid(sg.sigmoid_zero) == 0.0
    assert np.tanh(sg.tanh_one) == 1.0 and 18 < sg.tanh_one < 20
    assert [round(lv.z, 4) for lv in sg.levels][:3] == [0.0, 2.1972, 4.5951]
    assert not any(g.hits_bound for g in sg.gates)


def test_bias_placement_right_equals_core_and_wrong_breaks_range():
    s = build("stackoverflow")
    for p in lessons.bias_placement(s.step()):  # zero biases: both versions agree
        assert p.max_abs_diff == 0.0 and not p.out_of_range
    params = s.params.with_gate("f", b=np.full(5, 0.8))
    placements = lessons.bias_placement(lstm_step(params, *args(s)))
    (f,) = (p for p in placements if p.name == "f")
    np.testing.assert_allclose(f.inside, lstm_step(params, *args(s)).f)
    assert f.out_of_range and f.wrong_range == (0.8, 1.8)
    assert np.all(f.inside < 1.0)


def test_forget_bias_cases():
    cases = {c.framework: c for c in lessons.forget_bias_cases(3, steps=10)}
    np.testing.assert_allclose(cases["PyTorch"].f, 0.5)
    np.testing.assert_allclose(cases["Keras"].f, sigmoid(1.0))
    np.testing.assert_allclose(cases["TF1"].f, sigmoid(1.0))
    np.testing.assert_allclose(cases["PyTorch"].kept, 0.5 ** 10)
    np.testing.assert_allclose(cases["TF1"].kept, sigmoid(1.0) ** 10)


def test_split_bias(scenario):
    sb = lessons.split_bias(scenario.params, *args(scenario))
    assert sb.split_equal and sb.bias_hh.any()
    np.testing.assert_allclose(sb.bias_ih + sb.bias_hh, scenario.params.to_torch()[2])
    assert sb.dropped_diff > 0.0  # tiny when the gates are saturated, but never zero here


def test_order_mixup_wrong_for_random_weights_invisible_for_identical_blocks():
    s = build("default")
    om = lessons.order_mixup(s.params, *args(s))
    assert not om.blocks_identical and om.h_diff > 1e-3
    np.testing.assert_allclose(om.right.h, s.step().h, atol=1e-15)
    assert [(r.slot, r.loaded) for r in om.slots] == [("i", "i"), ("f", "g"), ("g", "f"),
                                                       ("o", "o")]
    qa = build("stackoverflow")
    om = lessons.order_mixup(qa.params, *args(qa))
    assert om.blocks_identical and om.h_diff == 0.0


def test_peephole_comparison():
    s = build("default")
    zero = lessons.compare_peepholes(s.params, *args(s))
    assert zero.c_diff == zero.h_diff == 0.0
    params = lessons.with_peephole_weight(s.params, "f", 1.0)
    cmp = lessons.compare_peepholes(params, *args(s))
    np.testing.assert_allclose(cmp.peephole.z_f - cmp.basic.z_f, s.c_prev)
    assert cmp.gate_diff("f") > 0 and cmp.gate_diff("i") == 0.0 and cmp.gate_diff("g") == 0.0
    assert cmp.c_diff > 0 and cmp.h_diff > 0
    assert not params.use_peepholes  # the lesson never turns peepholes on by itself


def test_rnn_vs_lstm():
    s = build("default")
    cmp = lessons.rnn_vs_lstm(s.params, *args(s))
    assert cmp.g_is_rnn and cmp.rnn_weights == 2 * 2 + 2 * 2 + 2 and cmp.lstm_weights == 40
    assert not np.allclose(cmp.lstm.h, cmp.rnn.h)



def test_block_matrix_figure_is_valid_and_laid_out_like_make_subplots(scenario):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from viz.lessons import block_matrix_figure

    bp = lessons.block_product(scenario.params, scenario.step(), "f")
    fig = go.Figure(block_matrix_figure(bp).to_dict())  # validates what _validate=False skipped
    ref = make_subplots(rows=1, cols=4, horizontal_spacing=0.07,
                        column_widths=[scenario.H + scenario.D + 1, 1.6, 1.6, 1.6])
    for k in ("xaxis", "xaxis2", "xaxis3", "xaxis4"):
        np.testing.assert_allclose(fig.layout[k].domain, ref.layout[k].domain, atol=1e-12)
    assert [t.xaxis for t in fig.data] == ["x", "x2", "x3", "x4"]
    assert len(fig.layout.annotations) == 4 and len(fig.layout.shapes) == 1


@pytest.mark.parametrize("kw", [{}, {"title": "T", "presenter": True, "y_range": (0.0, 1.1)}])
def test_paired_bars_is_valid(kw):
    import plotly.graph_objects as go

    from viz.lessons import paired_bars

    fig = go.Figure(paired_bars(["a", "b"], (("r", np.array([0.1, 0.2])), ("w", [0.3, -0.4])),
                                **kw).to_dict())  # validates what _validate=False skipped
    assert [t.type for t in fig.data] == ["bar", "bar"] and fig.data[1].text == ("0.3000",
                                                                                 "-0.4000")


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_activation_curve_is_valid(activation):
    import plotly.graph_objects as go

    from viz.curves import activation_curve

    fig = go.Figure(activation_curve("f", activation, np.array([0.3, -2.0]),
                                     presenter=True).to_dict())  # validates
    assert len(fig.data) == 3 and fig.layout.shapes[0].line.width == 0
    assert fig.layout.xaxis.title.text == "z_f (pre-activation)"
