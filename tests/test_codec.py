"""The URL codec: exact round trips, short preset links, and hostile links that never break it."""

import re
from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.codec import (
    FORMAT_VERSION,
    MAX_QUERY_CHARS,
    MAX_SEED,
    MAX_STEP,
    PARAMETERS,
    QUOTE_CHARS,
    VALUE_LIMIT,
    WEIGHT_LIMIT,
    decode,
    encode,
    format_number,
    parse_values,
)
from explainer.presets import PRESETS, build, preset_gru
from explainer.scenario import MAX_T, SEQUENCE_KINDS, UI_MAX_SIZE, Scenario, SequenceSettings, View
from lstm_core import GATE_ORDER, GRU_GATE_ORDER, PEEPHOLE_GATES, Gate, LSTMParams

KEYS = ["v", "preset"] + [p.key for p in PARAMETERS]
MARKUP = set("<>[]`!|*_~#&\"") | {"\u202e"}  # HTML, markdown and direction characters


# -- helpers --------------------------------------------------------------------------------
def fields(s: Scenario) -> dict[str, object]:
    """Every value a link must carry, by name."""
    p, view, seq = s.params, s.view, s.view.sequence
    out = {"preset": s.preset, "D": s.D, "H": s.H, "x": s.x, "h_prev": s.h_prev,
           "c_prev": s.c_prev, "forget_bias": p.forget_bias, "peep": p.use_peepholes,
           "step": view.step, "presenter": view.presenter, "predict": view.predict,
           "kind": seq.kind, "T": seq.T, "amplitude": seq.amplitude, "seed": seq.seed,
           "values": seq.values}
    for g in GATE_ORDER:
        out |= {f"W_x{g}": p.W_x(g), f"W_h{g}": p.W_h(g), f"b_{g}": p.b(g)}
    for g in PEEPHOLE_GATES:
        out[f"w_c{g}"] = p.gate(g).w_c
    return out


def assert_identical(a: Scenario, b: Scenario) -> None:
    """Equal field by field; floats bit for bit (so -0.0 is not 0.0)."""
    fa, fb = fields(a), fields(b)
    for name, va in fa.items():
        vb = fb[name]
        if isinstance(va, np.ndarray | tuple | float):
            arr_a, arr_b = np.asarray(va, dtype=float), np.asarray(vb, dtype=float)
            assert np.array_equal(arr_a, arr_b), name
            assert arr_a.tobytes() == arr_b.tobytes(), name
        else:
            assert va == vb and type(va) is type(vb), name


def assert_within_bounds(s: Scenario) -> None:
    assert 1 <= s.D <= UI_MAX_SIZE and 1 <= s.H <= UI_MAX_SIZE
    assert s.preset in PRESETS
    for v in (s.x, s.h_prev, s.c_prev, s.view.sequence.values, [s.view.sequence.amplitude]):
        assert np.all(np.isfinite(v)) and np.all(np.abs(v) <= VALUE_LIMIT)
    p = s.params
    for g in GATE_ORDER:
        for arr in (p.W_x(g), p.W_h(g), p.b(g), p.gate(g).w_c if g != "g" else 0.0):
            assert np.all(np.isfinite(arr)) and np.all(np.abs(arr) <= WEIGHT_LIMIT)
    assert abs(p.forget_bias) <= WEIGHT_LIMIT
    seq = s.view.sequence
    assert 0 <= s.view.step <= MAX_STEP and seq.kind in SEQUENCE_KINDS
    assert 1 <= seq.T <= MAX_T and 0 <= seq.seed <= MAX_SEED and len(seq.values) <= MAX_T


def only_warning_about(decoded, key: str) -> str:
    assert len(decoded.warnings) == 1, decoded.warnings
    assert decoded.warnings[0].startswith(f"{key}:"), decoded.warnings
    return decoded.warnings[0]


# -- strategies -----------------------------------------------------------------------------
def floats(limit: float):
    return st.floats(-limit, limit, allow_nan=False, allow_infinity=False)


def arrays(shape, limit):
    size = int(np.prod(shape))
    return st.lists(floats(limit), min_size=size, max_size=size).map(
        lambda v: np.array(v, dtype=float).reshape(shape))


@st.composite
def scenarios(draw) -> Scenario:
    D = draw(st.integers(1, UI_MAX_SIZE))
    H = draw(st.integers(1, UI_MAX_SIZE))
    gates = {g: Gate(draw(arrays((D, H), WEIGHT_LIMIT)), draw(arrays((H, H), WEIGHT_LIMIT)),
                     draw(arrays((H,), WEIGHT_LIMIT)),
                     None if g == "g" else draw(arrays((H,), WEIGHT_LIMIT)))
             for g in GATE_ORDER}
    params = LSTMParams(**gates, forget_bias=draw(floats(WEIGHT_LIMIT)),
                        use_peepholes=draw(st.booleans()))
    sequence = SequenceSettings(
        kind=draw(st.sampled_from(SEQUENCE_KINDS)), T=draw(st.integers(1, MAX_T)),
        amplitude=draw(floats(VALUE_LIMIT)), seed=draw(st.integers(0, MAX_SEED)),
        values=tuple(draw(st.lists(floats(VALUE_LIMIT), max_size=MAX_T))))
    view = View(step=draw(st.integers(0, MAX_STEP)), presenter=draw(st.booleans()),
                predict=draw(st.booleans()), sequence=sequence)
    return Scenario(params, draw(arrays((D,), VALUE_LIMIT)), draw(arrays((H,), VALUE_LIMIT)),
                    draw(arrays((H,), VALUE_LIMIT)), preset=draw(st.sampled_from(list(PRESETS))),
                    view=view)


@st.composite
def edited_presets(draw) -> Scenario:
    """A preset with a few elements changed: the common case, which writes a short link."""
    s = build(draw(st.sampled_from(list(PRESETS))))
    for _ in range(draw(st.integers(0, 3))):
        g = draw(st.sampled_from(GATE_ORDER))
        i, j = draw(st.integers(0, s.D - 1)), draw(st.integers(0, s.H - 1))
        s = s.with_params(s.params.with_element(g, "W_x", (i, j), draw(floats(WEIGHT_LIMIT))))
        s = s.with_vector("h_prev", j, draw(floats(VALUE_LIMIT)))
    return s.with_view(step=draw(st.integers(0, MAX_STEP)))


number_text = st.one_of(
    floats(30).map(format_number), st.sampled_from(["nan", "inf", "-inf", "1e309", "", " ",
                                                    "١٢", "0x10", "1_0", "--1", "1e+5"]))
value_text = st.one_of(
    st.text(max_size=60),
    st.lists(number_text, max_size=10).map(",".join),
    st.lists(st.lists(number_text, max_size=4).map(",".join), max_size=4).map(";".join),
    st.integers(-10, 10**10).map(str),
)
queries = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=10)),
    st.one_of(value_text, st.lists(value_text, max_size=3)),
    max_size=12)


# -- untrusted input ------------------------------------------------------------------------
@given(queries)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_query_decodes_within_bounds(query):
    decoded = decode(query)
    assert_within_bounds(decoded.scenario)
    assert all(isinstance(w, str) for w in decoded.warnings)
    assert len(decoded.warnings) <= len(query) + 1


@given(st.dictionaries(st.text(), st.one_of(st.text(), st.lists(st.text()))))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_decodes_within_bounds(query):
    assert_within_bounds(decode(query).scenario)


def test_odd_python_values_do_not_raise():
    for query in ({"x": None}, {"x": [None, 3]}, {"D": 3}, {1: "2"}, {"x": []}, {}):
        assert_within_bounds(decode(query).scenario)


# -- exact round trips ----------------------------------------------------------------------
@given(scenarios())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_encode_decode_is_identity(scenario):
    decoded = decode(encode(scenario))
    assert decoded.warnings == ()
    assert_identical(decoded.scenario, scenario)


@given(edited_presets())
@settings(max_examples=100, deadline=None)
def test_round_trip_through_a_real_query_string(scenario):
    query = encode(scenario)
    parsed = parse_qs(urlencode(query), keep_blank_values=True)  # {key: [value]}
    decoded = decode(parsed)
    assert decoded.warnings == ()
    assert_identical(decoded.scenario, scenario)
    assert set(query) - {"v", "preset", "step"} <= {"h", *(f"Wx{g}" for g in GATE_ORDER)}


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_link_is_short_and_exact(name):
    query = encode(build(name))
    assert query == {"v": str(FORMAT_VERSION), "preset": name}
    decoded = decode(query)
    assert decoded.warnings == ()
    assert_identical(decoded.scenario, build(name))
    assert_identical(decode({"preset": name}).scenario, build(name))  # v may be left out


def test_negative_zero_and_extremes_survive():
    s = build("default").with_vector("x", 0, -0.0).with_vector("x", 1, 5e-324)
    s = s.with_params(s.params.with_element("f", "W_h", (1, 0), -WEIGHT_LIMIT))
    query = encode(s)
    assert query["x"] == "-0,5e-324" and query["Whf"].split(";")[1].startswith("-20,")
    assert_identical(decode(query).scenario, s)


def test_numbers_are_written_compactly():
    assert [format_number(v) for v in (1.0, -0.0, 0.1, 1e16, 1.5e-7, 123.25)] == [
        "1", "-0", "0.1", "1e16", "1.5e-7", "123.25"]


def test_preset_with_overrides():
    decoded = decode({"preset": "remember", "x": "1,2", "fb": "1", "peep": "1", "pf": "0.5,-0.5",
                      "step": "3", "presenter": "1", "seq": "noise", "T": "120", "seed": "42"})
    s, base = decoded.scenario, build("remember")
    assert decoded.warnings == ()
    assert np.array_equal(s.x, [1.0, 2.0]) and np.array_equal(s.h_prev, base.h_prev)
    assert np.array_equal(s.params.b("f"), base.params.b("f"))
    assert s.params.forget_bias == 1.0 and s.params.use_peepholes
    assert np.array_equal(s.params.gate("f").w_c, [0.5, -0.5])
    assert s.view == View(step=3, presenter=True,
                          sequence=SequenceSettings(kind="noise", T=120, seed=42))
    assert s.preset == "remember"


def test_other_sizes_resize_then_apply():
    decoded = decode({"preset": "remember", "D": "3", "H": "1", "x": "1,2,3", "h": "0.5,0.5"})
    s = decoded.scenario
    assert (s.D, s.H) == (3, 1)
    assert np.array_equal(s.x, [1, 2, 3])
    assert np.array_equal(s.h_prev, build("remember").resized(3, 1).h_prev)  # h rejected
    assert "1 number" in only_warning_about(decoded, "h")


def test_matrix_rows_and_columns():
    s = decode({"D": "2", "H": "3", "Wxg": "1,2,3;4,5,6", "Whg": "1,0,0;0,1,0;0,0,1"}).scenario
    assert np.array_equal(s.params.W_x("g"), [[1, 2, 3], [4, 5, 6]])
    assert np.array_equal(s.params.W_h("g"), np.eye(3))


def test_spaces_after_commas_are_fine():
    assert np.array_equal(decode({"x": " 0.5, -1"}).scenario.x, [0.5, -1.0])


# -- hostile links --------------------------------------------------------------------------
HOSTILE = [
    ("x", "nan,1"), ("x", "inf,1"), ("x", "-inf,1"), ("x", "1e309,0"), ("x", "11,0"),
    ("x", "1,2,3"), ("x", "1"), ("x", ""), ("x", "1,,2"), ("x", "١,٢"), ("x", "0x1,2"),
    ("x", "1_0,2"), ("x", "1," + "1" * 5000), ("x", "<script>alert(1)</script>"),
    ("c", "0.1;0.2"), ("Wxf", "1,2"), ("Wxf", "1,2;3"), ("Wxf", "1,2;3,99"), ("Whf", "nan"),
    ("bo", "1,2,3"), ("pi", "x"), ("D", "1000000000"), ("D", "-2"), ("D", "0"), ("D", ""),
    ("H", "2.5"), ("H", "٣"), ("H", "9"), ("fb", "1e309"), ("fb", "21"), ("fb", "1,2"),
    ("peep", "yes"), ("peep", ""), ("step", "8"), ("step", "-1"), ("presenter", "2"),
    ("predict", "<b>"), ("seq", "sine"), ("seq", "<script>alert(1)</script>"), ("T", "0"),
    ("T", "401"), ("T", "1e2"), ("amp", "inf"), ("amp", "11"), ("seed", "-1"),
    ("seed", str(2**32)), ("vals", "1,nan"), ("vals", ",".join(["1"] * (MAX_T + 1))),
    ("vals", "9" * 20000), ("preset", "nope"), ("preset", "<script>alert(1)</script>" * 10),
    ("preset", ""), ("v", "abc"), ("v", "0"), ("v", "2"),
    ("x", ["0.1,0.2", "0.3,0.4"]),  # repeated: the last one is used, with a warning
]


@pytest.mark.parametrize(("key", "value"), HOSTILE)
def test_hostile_parameter_warns_and_keeps_the_rest(key, value):
    other_key, other_value = ("h", "0.25,-0.25") if key != "h" else ("x", "0.25,-0.25")
    query = {key: value, other_key: other_value, "step": "2"} if key != "step" else {
        key: value, other_key: other_value}
    if key != "preset":
        query["preset"] = "forget"
    decoded = decode(query)
    message = only_warning_about(decoded, key)
    s = decoded.scenario
    kept = s.h_prev if other_key == "h" else s.x
    assert np.array_equal(kept, [0.25, -0.25])
    if key != "step":
        assert s.view.step == 2
    if key != "preset":
        assert s.preset == "forget"
    raw = value if isinstance(value, str) else value[-1]
    if len(raw) > QUOTE_CHARS:
        assert raw[:QUOTE_CHARS + 1] not in message
    assert len(message) < 300
    assert not set(message) & MARKUP, message
    assert_within_bounds(s)


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, v in HOSTILE if k not in ("v", "preset")])
def test_bad_parameter_falls_back_to_the_preset_value(key, value):
    decoded = decode({"preset": "saturated", key: value})
    if key == "x" and isinstance(value, list):
        return  # repeated but valid: the last value is used
    assert_identical(decoded.scenario, build("saturated"))


def test_repeated_identical_values_are_quiet():
    decoded = decode({"x": ["1,2", "1,2"]})
    assert decoded.warnings == () and np.array_equal(decoded.scenario.x, [1, 2])


def test_unknown_keys_are_ignored_silently():
    decoded = decode({"embed": "true", "utm_source": "<script>", "X": "1,2", "x": "1,2"})
    assert decoded.warnings == () and np.array_equal(decoded.scenario.x, [1, 2])


def test_empty_vals_means_no_custom_values():
    decoded = decode({"seq": "custom", "vals": ""})
    assert decoded.warnings == () and decoded.scenario.view.sequence.values == ()


def test_future_version_is_read_best_effort():
    decoded = decode({"v": "7", "preset": "remember", "x": "1,2"})
    assert "version 7" in only_warning_about(decoded, "v")
    assert np.array_equal(decoded.scenario.x, [1, 2])


def test_too_long_query_falls_back_to_its_preset():
    query = {"preset": "overwrite", "x": "1,2", "junk": "a" * MAX_QUERY_CHARS}
    decoded = decode(query)
    assert len(decoded.warnings) == 1 and "longer than" in decoded.warnings[0]
    assert_identical(decoded.scenario, build("overwrite"))
    many_keys = {f"k{i}": ["1"] * 10 for i in range(5000)}
    assert len(decode(many_keys).warnings) == 1


def test_largest_valid_scenario_fits_the_query_limit():
    s = build("default").resized(UI_MAX_SIZE, UI_MAX_SIZE)
    s = s.with_params(LSTMParams.random(UI_MAX_SIZE, UI_MAX_SIZE, seed=1, scale=1 / 3))
    s = s.with_view(sequence=SequenceSettings(kind="custom", values=(-1 / 3,) * MAX_T))
    query = encode(s)
    assert len(urlencode(query)) < MAX_QUERY_CHARS
    assert_identical(decode(query).scenario, s)


def test_warnings_are_plain_short_text():
    decoded = decode({"seq": "<script>alert(1)</script>", "x": "\u202e" + "1" * 100,
                      "fb": "![](https://example.org/x.png)", "T": "\x00\n`*_"})
    assert len(decoded.warnings) == 4
    for message in decoded.warnings:
        assert not set(message) & (MARKUP | {"\x00", "\n", "\u202e"}), message
    assert any("\\x3cscript\\x3ealert" in message for message in decoded.warnings)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_quoted_text_is_inert(text):
    for message in decode({"x": text, "seq": text, "D": text}).warnings:
        assert not set(message) & MARKUP, message
        assert message.isprintable()


# -- parse_values: numbers a user types for a sequence --------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ("", "at least one number"),
    ("1, two, 3", "value 2 ('two') is not a number"),
    ("1, 1e400", "value 2 (1e400) must be between"),
    ("nan", "value 1 ('nan') is not a number"),
    ("inf", "value 1 ('inf') is not a number"),
    ("1_0", "value 1 ('1_0') is not a number"),  # float() would read 10
    ("0x1", "value 1 ('0x1') is not a number"),
    ("99", "must be between"),
    (",".join(["1"] * 5), "5 numbers is too many: at most 4"),
])
def test_parse_values_names_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_values(text, max_count=4)


def test_parse_values_accepts_commas_spaces_and_semicolons():
    assert parse_values(" 1, -0.5;2  3e-1 ", max_count=10) == (1.0, -0.5, 2.0, 0.3)
    assert parse_values("+.5, -10, 10", max_count=3) == (0.5, -10.0, 10.0)


# -- links made before the architecture split (issue 11) open the same scenario ------------
def test_links_made_before_the_split_open_the_same_scenario():
    """tests/fixtures/links_v1.json was written by scripts/make_link_fixtures.py run on the code
    of commit 856186c (before lstm_core was split): every value, preset and warning agrees."""
    import json
    from pathlib import Path

    cases = json.loads((Path(__file__).parent / "fixtures" / "links_v1.json").read_text())
    assert len(cases) >= 30
    for case in cases:
        decoded = decode(case["query"])
        s = decoded.scenario
        now = {"preset": s.preset} | {p.key: p.kind.format(p.get(s)) for p in PARAMETERS}
        assert {k: now[k] for k in case["fields"]} == case["fields"], case["query"]
        gru_keys = {p.key for p in PARAMETERS if p.gru_weight}
        newer = {k: v for k, v in now.items()  # keys added since, but the GRU's weights
                 if k not in case["fields"] and k not in gru_keys}
        preset = build(s.preset).resized(s.D, s.H)
        assert newer == {p.key: p.kind.format(p.get(preset)) for p in PARAMETERS
                         if p.key in newer}, case["query"]
        # the GRU's weights open at their default: the preset's GRU, built on the link's own
        # LSTM weights when the link resized the cell (docs/url-format.md)
        built = build(s.preset)
        default_gru = (built.gru if (s.D, s.H) == (built.D, built.H)
                       else preset_gru(s.preset, s.params))
        for n in GRU_GATE_ORDER:
            for f in ("W_x", "W_h", "b_x", "b_h"):
                assert np.array_equal(getattr(s.gru.gate(n), f), getattr(default_gru.gate(n), f))
        assert [_without_new_presets(w) for w in decoded.warnings] == case["warnings"], \
            case["query"]


def _without_new_presets(warning: str) -> str:
    """A warning listing the presets, less those added after the fixture was made."""
    old = ("default", "stackoverflow", "remember", "forget", "overwrite", "saturated")
    listed = f"one of {', '.join(PRESETS)};"
    return warning.replace(listed, f"one of {', '.join(old)};")
