"""Values sent by the live diagram are checked exactly as link parameters are."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.codec import apply_values, decode, encode
from explainer.presets import build
from lstm_core import VALUE_LIMIT, WEIGHT_LIMIT


def test_good_values_replace_exactly_and_keep_everything_else():
    s = build("default").with_view(step=3, presenter=True)
    W = (np.arange(s.D * s.H, dtype=float).reshape(s.D, s.H) - 1.5) / 7
    out = apply_values(s, {"x": [0.1, -2.5][:s.D], "Wxf": W.tolist(), "bo": [0.25] * s.H})
    assert out.warnings == ()
    new = out.scenario
    np.testing.assert_array_equal(new.x, np.array([0.1, -2.5][:s.D]))
    np.testing.assert_array_equal(new.params.W_x("f"), W)
    np.testing.assert_array_equal(new.params.b("o"), np.full(s.H, 0.25))
    np.testing.assert_array_equal(new.h_prev, s.h_prev)
    np.testing.assert_array_equal(new.params.W_x("i"), s.params.W_x("i"))
    assert new.view == s.view and new.preset == s.preset
    assert decode(encode(new)).scenario.x.tolist() == new.x.tolist()  # the link carries it


@pytest.mark.parametrize("key, value, problem", [
    ("x", [VALUE_LIMIT + 0.5, 0.0], "out of range"),
    ("Whi", [[WEIGHT_LIMIT * 2, 0.0], [0.0, 0.0]], "out of range"),
    ("c", [1.0], "got 1 number"),
    ("h", [True, 0.0], "not numbers"),
    ("bf", "0.1,0.2", "not numbers"),
    ("x", [float("nan"), 0.0], "not a number"),
    ("x", [float("inf"), 0.0], "not a number"),
    ("Wxg", [[1.0, 2.0]], "got 1 row"),
    ("pf", [[1.0], [2.0]], "got 1 number"),
])
def test_a_bad_value_is_ignored_alone_with_a_warning_naming_it(key, value, problem):
    s = build("default")  # D = H = 2
    assert (s.D, s.H) == (2, 2)
    out = apply_values(s, {key: value, "x": [0.5, 0.5]} if key != "x" else {key: value})
    assert len(out.warnings) == 1
    assert out.warnings[0].startswith(f"{key}: expected"), out.warnings
    assert problem in out.warnings[0]
    if key != "x":
        np.testing.assert_array_equal(out.scenario.x, [0.5, 0.5])  # the good one is kept
    assert encode(out.scenario).get(key) == encode(s).get(key)


def test_unknown_or_hostile_keys_are_quoted_and_ignored():
    s = build("default")
    out = apply_values(s, {"<script>alert(1)</script>": [1.0], "D": 5, "step": 3})
    assert len(out.warnings) == 3
    assert all("<" not in w and ">" not in w for w in out.warnings)
    assert (out.scenario.D, out.scenario.view.step) == (s.D, s.view.step)


def test_not_a_mapping_changes_nothing():
    s = build("remember")
    out = apply_values(s, ["x", 1.0])
    assert out.warnings and encode(out.scenario) == encode(s)
