"""AppTest: the Share and export page (link, scenario file, code export)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
from apptest import open_app
from streamlit.testing.v1 import AppTest

from explainer.presets import build
from explainer.scenario_file import dumps

PAGE = "pages/7_Share_and_export.py"


def open_page(**query) -> AppTest:
    return open_app(PAGE, **query)


def code_blocks(at: AppTest) -> list[str]:
    return [c.value for c in at.code]


def test_page_opens_with_the_link_and_three_scripts():
    at = open_page(preset="remember")
    assert not at.exception
    blocks = code_blocks(at)
    assert any("preset=remember" in b for b in blocks)
    assert any("nn.LSTMCell" in b for b in blocks)
    assert any("LSTMCell" in b and "keras" in b for b in blocks)


def test_numpy_export_shown_prints_the_same_h_and_c(tmp_path):
    at = open_page(preset="stackoverflow")
    script = next(b for b in code_blocks(at) if "import numpy" in b and "torch" not in b)
    path = tmp_path / "step.py"
    path.write_text(script)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         check=True).stdout
    step = build("stackoverflow").step()
    printed = dict(line.split(" = ", 1) for line in out.splitlines() if " = " in line)
    np.testing.assert_allclose(json.loads(printed["h(t)"]), step.h, rtol=0, atol=1e-15)
    np.testing.assert_allclose(json.loads(printed["c(t)"]), step.c, rtol=0, atol=1e-15)


def test_uploading_a_scenario_file_opens_it():
    scenario = build("overwrite").with_vector("x", 1, 0.375).with_view(step=5)
    at = open_page()
    at.file_uploader(key="upload_scenario").set_value(
        ("s.json", dumps(scenario).encode(), "application/json")).run()
    assert not at.exception
    got = at.session_state["scenario"]
    assert got.preset == "overwrite" and got.view.step == 5
    np.testing.assert_array_equal(got.x, scenario.x)
    assert at.success


def test_a_broken_file_changes_nothing_and_says_why():
    at = open_page(preset="remember", x="0.25,0.5")
    before = at.session_state["scenario"]
    at.file_uploader(key="upload_scenario").set_value(
        ("s.json", b"{not json", "application/json")).run()
    assert not at.exception
    assert at.error and "could not be used" in at.error[0].value
    assert any("not a JSON document" in w.value for w in at.warning)
    after = at.session_state["scenario"]
    np.testing.assert_array_equal(after.x, before.x)
    assert after.preset == "remember"


def test_a_file_with_one_bad_value_keeps_the_rest():
    doc = {"format": "lstm-explainer-scenario", "version": 1,
           "query": {"preset": "remember", "x": "<script>alert(1)</script>", "c": "0.5,0.25"}}
    at = open_page()
    at.file_uploader(key="upload_scenario").set_value(
        ("s.json", json.dumps(doc).encode(), "application/json")).run()
    got = at.session_state["scenario"]
    np.testing.assert_array_equal(got.c_prev, [0.5, 0.25])
    np.testing.assert_array_equal(got.x, build("remember").x)
    text = " ".join(w.value for w in at.warning)
    assert "<script>" not in text and "x" in text
