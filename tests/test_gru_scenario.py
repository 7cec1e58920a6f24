"""The GRU in a scenario: its presets, its link keys (round trips, hostile values, old links),
scenario files, and resizing."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.codec import PARAMETERS, decode, encode
from explainer.presets import PRESETS, build, preset_gru
from explainer.scenario import CELL_KINDS, Scenario, gru_like
from explainer.scenario_file import dumps, loads
from lstm_core import GRU_GATE_ORDER, WEIGHT_LIMIT, GRUParams, gru_step, sigmoid

GRU_PRESETS = [name for name, p in PRESETS.items() if p.cell == "gru"]
FIELDS = ("W_x", "W_h", "b_x", "b_h")


def same_gru(a: GRUParams, b: GRUParams) -> bool:
    """Bit for bit, every array, and the reset placement."""
    return a.reset_after == b.reset_after and all(
        getattr(a.gate(n), f).tobytes() == getattr(b.gate(n), f).tobytes()
        and getattr(a.gate(n), f).shape == getattr(b.gate(n), f).shape
        for n in GRU_GATE_ORDER for f in FIELDS)


# -- the default GRU and the presets ----------------------------------------------------------
def test_gru_like_borrows_the_lstm_layers():
    s = build("default")
    p = replace(s.params, forget_bias=1.0)
    gru = gru_like(p)
    np.testing.assert_array_equal(gru.z.W_x, p.f.W_x)
    np.testing.assert_array_equal(gru.z.b_x, p.f.b + 1.0)  # the offset moves into b_xz
    np.testing.assert_array_equal(gru.r.W_h, p.o.W_h)
    np.testing.assert_array_equal(gru.g.W_x, p.g.W_x)
    assert not any(gru.gate(n).b_h.any() for n in GRU_GATE_ORDER)


def test_gru_like_keeps_biases_within_the_link_bounds():
    p = build("default").params
    p = replace(p.with_gate("f", b=np.full(2, WEIGHT_LIMIT)), forget_bias=WEIGHT_LIMIT)
    assert gru_like(p).z.b_x.tolist() == [WEIGHT_LIMIT, WEIGHT_LIMIT]


def test_gru_presets_do_what_they_say():
    keep = build("gru-keep").gru_step()
    assert keep.z.min() > 0.99
    np.testing.assert_allclose(keep.h, keep.h_prev, atol=0.02)
    over = build("gru-overwrite").gru_step()
    assert over.z.max() < 0.01
    np.testing.assert_allclose(over.h, over.g, atol=0.02)
    reset = build("gru-reset").gru_step()
    assert reset.r.max() < 0.01
    # with r ≈ 0 the candidate reads x(t) alone: tanh(W_xg^T x + b_xg) to about 1e-2
    alone = np.tanh(reset.candidate.Wx_x + reset.candidate.b_x)
    np.testing.assert_allclose(reset.g, alone, atol=0.02)
    before = build("gru-reset-before")
    assert before.gru.reset_after is False
    after = gru_step(replace(before.gru, reset_after=True), before.x, before.h_prev)
    assert np.abs(after.h - before.gru_step().h).max() > 0.01  # the placements differ here
    assert all(build(n).cell == "gru" for n in GRU_PRESETS) and len(GRU_PRESETS) >= 3


def test_old_presets_keep_the_lstm_and_default_gru():
    for name in ("default", "remember", "stackoverflow"):
        s = build(name)
        assert s.cell == "lstm" and same_gru(s.gru, gru_like(s.params))


def test_scenario_checks_cell_and_gru_sizes():
    s = build("default")
    with pytest.raises(ValueError, match="cell must be one of"):
        replace(s, cell="transformer")
    with pytest.raises(ValueError, match="gru must have the LSTM's sizes"):
        replace(s, gru=GRUParams.zeros(3, 2))


def test_gru_step_is_the_core_step():
    s = build("gru-keep")
    np.testing.assert_array_equal(s.gru_step().h, gru_step(s.gru, s.x, s.h_prev).h)
    z = sigmoid(s.x @ s.gru.z.W_x + s.gru.z.b_x + s.h_prev @ s.gru.z.W_h + s.gru.z.b_h)
    np.testing.assert_allclose(s.gru_step().z, z, rtol=0, atol=1e-15)


# -- links -----------------------------------------------------------------------------------
weights = st.floats(-WEIGHT_LIMIT, WEIGHT_LIMIT, allow_nan=False, allow_subnormal=True)


@st.composite
def gru_scenarios(draw) -> Scenario:
    s = build(draw(st.sampled_from(list(PRESETS))))
    if draw(st.booleans()):
        s = s.resized(draw(st.integers(1, 8)), draw(st.integers(1, 8)), seed=draw(
            st.integers(0, 5)))
    gru = replace(s.gru, reset_after=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 4))):
        n, f = draw(st.sampled_from(GRU_GATE_ORDER)), draw(st.sampled_from(FIELDS))
        shape = getattr(gru.gate(n), f).shape
        index = tuple(draw(st.integers(0, k - 1)) for k in shape)
        gru = gru.with_element(n, f, index, draw(weights))
    if draw(st.booleans()):  # an LSTM edit too: the GRU stays as it is
        s = s.with_params(s.params.with_element("f", "b", 0, draw(weights)))
    return replace(s, gru=gru, cell=draw(st.sampled_from(CELL_KINDS)))


@given(gru_scenarios())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_gru_scenario_round_trips_through_a_real_query_string(s):
    query = encode(s)
    decoded = decode(parse_qs(urlencode(query), keep_blank_values=True))
    assert decoded.warnings == ()
    assert same_gru(decoded.scenario.gru, s.gru)
    assert decoded.scenario.cell == s.cell
    assert np.array_equal(decoded.scenario.x, s.x)
    assert decoded.scenario.params.f.b.tobytes() == s.params.f.b.tobytes()


def test_a_preset_link_carries_no_gru_keys_and_one_edit_carries_one():
    s = build("gru-reset")
    assert encode(s) == {"v": "1", "preset": "gru-reset"}
    edited = s.with_gru(s.gru.with_element("g", "b_h", 1, 0.5))
    query = encode(edited)
    assert set(query) == {"v", "preset", "gbhg"} and query["gbhg"] == "0,0.5"
    lstm_edit = s.with_params(s.params.with_element("o", "W_x", (0, 0), 2.0))
    assert set(encode(lstm_edit)) == {"v", "preset", "Wxo"}  # the GRU does not follow it


def test_gru_keys_are_documented():
    doc = open("docs/url-format.md").read()
    for key in ("cell", "gra", "gWxz", "gWhr", "gbxg", "gbhg", *GRU_PRESETS):
        assert f"`{key}`" in doc or key in doc, key


HOSTILE_GRU = [
    ("cell", "<script>alert(1)</script>", "cell: expected one of lstm, gru"),
    ("cell", "GRU", "cell: expected one of lstm, gru"),
    ("gra", "maybe", "gra: expected 1 (on) or 0 (off)"),
    ("gWxz", "1,2;3", "gWxz: expected 2 rows of 2 numbers"),
    ("gWhr", "nan,1;1,1", "gWhr: expected 2 rows"),
    ("gbxg", "21,0", "gbxg: expected 2 numbers between -20 and 20"),
    ("gbhz", "1e999,0", "gbhz: expected 2 numbers"),
    ("gbhz", "1," * 5000, "gbhz: expected 2 numbers"),
    ("gWxg", ["1,2;3,4", "5,6;7,8"], "gWxg: given 2 times"),
]


@pytest.mark.parametrize(("key", "value", "warning"), HOSTILE_GRU)
def test_hostile_gru_value_warns_by_name_and_keeps_the_rest(key, value, warning):
    query = {"preset": "gru-keep", key: value, "x": "0.25,-0.25", "gbxr": "1.5,-1.5"}
    decoded = decode(query)
    s = decoded.scenario
    messages = [w for w in decoded.warnings if w.startswith(f"{key}:")]
    assert len(messages) == 1 and messages[0].startswith(warning), decoded.warnings
    assert "<" not in messages[0] and len(messages[0]) < 300
    assert s.preset == "gru-keep" and np.array_equal(s.x, [0.25, -0.25])
    assert s.gru.r.b_x.tolist() == [1.5, -1.5]  # the other GRU key was kept
    if key != "gWxg":  # a repeated key uses the last value; the rest fall back alone
        default = build("gru-keep")
        param = next(p for p in PARAMETERS if p.key == key)
        assert np.array_equal(np.asarray(param.get(s), dtype=object),
                              np.asarray(param.get(default), dtype=object))
    else:
        np.testing.assert_array_equal(s.gru.g.W_x, [[5, 6], [7, 8]])


def test_gru_weights_of_another_size_are_that_keys_error_only():
    decoded = decode({"preset": "default", "D": "3", "gWxz": "1,2;3,4", "cell": "gru"})
    assert [w.split(":")[0] for w in decoded.warnings] == ["gWxz"]
    s = decoded.scenario
    assert s.D == 3 and s.cell == "gru"
    assert same_gru(s.gru, preset_gru("default", s.params))


def test_scenario_file_keeps_the_gru():
    s = build("gru-reset-before")
    s = s.with_gru(s.gru.with_element("r", "W_h", (1, 0), -3.25))
    loaded = loads(dumps(s).encode())
    assert loaded.messages == ()
    assert same_gru(loaded.scenario.gru, s.gru) and loaded.scenario.cell == "gru"
