import json

import numpy as np
import pytest

from explainer.presets import PRESETS, build
from explainer.scenario_file import MAX_FILE_BYTES, dumps, loads


@pytest.mark.parametrize("name", list(PRESETS))
def test_round_trip(name):
    s = build(name).with_vector("x", 0, 0.123456789).with_view(step=3, presenter=True)
    loaded = loads(dumps(s).encode())
    assert loaded.messages == ()
    assert loaded.scenario.view == s.view
    np.testing.assert_array_equal(loaded.scenario.x, s.x)
    np.testing.assert_array_equal(loaded.scenario.params.to_tf1()[0], s.params.to_tf1()[0])


@pytest.mark.parametrize("data, expected", [
    (b"\xff\xfe not utf8", "not a JSON document"),
    (b"[1, 2]", "format"),
    (b'{"format": "other"}', "format"),
    (b'{"format": "lstm-explainer-scenario", "query": [1]}', "query"),
    (b'{"format": "lstm-explainer-scenario", "query": {"x": 5}}', "query"),
    (b"[" * 100_000, "not a JSON document"),
    (b" " * (MAX_FILE_BYTES + 1), "larger than"),
])
def test_unusable_files_change_nothing_and_say_why(data, expected):
    loaded = loads(data)
    assert loaded.scenario is None
    assert expected in loaded.messages[0]


def test_bad_value_is_named_and_the_rest_kept():
    doc = {"format": "lstm-explainer-scenario", "version": 1,
           "query": {"preset": "remember", "x": "nan,1", "c": "0.25,0.5"}}
    loaded = loads(json.dumps(doc).encode())
    assert any(m.startswith("x") for m in loaded.messages)
    np.testing.assert_array_equal(loaded.scenario.c_prev, [0.25, 0.5])
    np.testing.assert_array_equal(loaded.scenario.x, build("remember").x)
