"""Small texts of the page frame: link warnings name their parameter, the Share page's link
opens the explorer, an uploaded scenario file may start with a byte-order mark."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.codec import decode
from explainer.presets import build
from explainer.scenario_file import dumps, loads
from ui.page import PAGES, app_root, url_path
from ui.state import url_warning


@pytest.mark.parametrize("query, key, why", [
    ({"x": ["abc"]}, "x", "expected 2 numbers"),
    ({"D": ["99"]}, "D", "99 is out of range"),
    ({"Wxf": ["1,2"]}, "Wxf", "got 1 row"),
    ({"step": ["1", "2"]}, "step", "given 2 times"),
])
def test_link_warning_names_the_parameter_and_says_why(query, key, why):
    (message,) = decode(query).warnings
    shown = url_warning(message)
    assert shown.startswith(f"Link parameter **{key}** ")
    assert why in shown.replace("\\", "")
    assert "rest of the link was used" in shown


def test_link_warning_escapes_what_the_link_carried():
    (message,) = decode({"preset": ["<b>[x](javascript:1)</b>"]}).warnings
    shown = url_warning(message)
    assert "<b>" not in shown and "](" not in shown
    assert shown.startswith("Link parameter **preset** ")


def test_a_warning_without_a_parameter_is_still_a_sentence():
    shown = url_warning("the link is longer than 10 characters; only its preset was used")
    assert shown.startswith("Part of the link was not used: the link is longer")


@pytest.mark.parametrize("url, root", [
    ("http://h:8501/Share_and_export", "http://h:8501/"),
    ("http://h:8501/Share_and_export/", "http://h:8501/"),
    ("https://h/lstm/Step_by_step?step=2", "https://h/lstm/"),
    ("http://h:8501/", "http://h:8501/"),
    ("http://h:8501", "http://h:8501/"),
    ("https://h/lstm", "https://h/lstm/"),  # a path prefix is not a page
])
def test_app_root_is_the_home_page_of_any_page(url, root):
    assert app_root(url) == root


def test_every_page_has_the_url_path_streamlit_gives_it():
    assert url_path("app.py") == ""
    assert url_path("pages/7_Share_and_export.py") == "Share_and_export"
    assert {url_path(script) for script, _, _ in PAGES} >= {"Step_by_step", "Peepholes"}


def test_scenario_file_with_a_byte_order_mark_opens():
    s = build("remember").with_vector("x", 0, 0.625)
    loaded = loads("\ufeff".encode() + dumps(s).encode())  # as Windows Notepad saves it
    assert loaded.messages == ()
    np.testing.assert_array_equal(loaded.scenario.x, s.x)


def peephole_app() -> None:  # runs inside AppTest: the note under a peephole toggle
    from ui import state
    from ui.peephole_note import zero_peepholes_note

    state.scenario()
    zero_peepholes_note("peep_examples")


def test_zero_peepholes_say_so_and_offer_example_weights():
    from streamlit.testing.v1 import AppTest

    from explainer.lessons import EXAMPLE_PEEPHOLES, compare_peepholes

    at = AppTest.from_function(peephole_app).run()
    assert "peephole weight is 0" in at.info[0].value
    at.button(key="peep_examples").click().run()
    params = at.session_state["scenario"].params
    assert params.use_peepholes
    for name, value in EXAMPLE_PEEPHOLES:
        assert (params.gate(name).w_c == value).all()
    assert not at.info and not at.button  # weights set: nothing more to say
    s = at.session_state["scenario"]
    cmp = compare_peepholes(params, s.x, s.h_prev, s.c_prev)
    assert abs(cmp.peephole.h - cmp.basic.h).max() > 1e-3  # and now they change the step


def _notes(at) -> list[str]:
    return [i.value for i in at.info if "peephole weight is 0" in i.value]


def test_peepholes_page_says_zero_weights_change_nothing_and_offers_examples():
    from apptest import open_app

    at = open_app("pages/3_Peepholes.py")
    assert _notes(at)
    at.button(key="peep_examples").click().run()
    params = at.session_state["scenario"].params
    assert params.use_peepholes and params.f.w_c[0] == 1.0 and params.i.w_c[0] == -0.5
    assert not _notes(at) and not at.exception


def test_explorer_peephole_toggle_says_so_only_while_on():
    from apptest import open_app

    def opened(at):  # the sizes and options are drawn while their expander is open
        at.session_state["explorer_more"] = True
        return at.run()

    assert not _notes(opened(open_app()))  # peepholes off: nothing to say
    at = opened(open_app(peep="1"))
    assert _notes(at)
    at.button(key="opt_peep_examples").click().run()
    assert at.session_state["scenario"].params.o.w_c[0] == 0.5
    assert not _notes(at)
