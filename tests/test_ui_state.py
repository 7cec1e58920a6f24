"""ui.state.bound: a widget shows the scenario's value and writes its moves back into it."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explainer.presets import build


def bound_app() -> None:  # runs inside AppTest: one slider bound to x(t)[0]
    import streamlit as st

    from ui import state

    s = state.scenario()
    st.slider("x0", -10.0, 10.0, step=0.25, **state.bound(
        "x_0", float(s.x[0]), lambda sc, v: sc.with_vector("x", 0, v)))
    if st.button("Set x0 to 3", key="set"):  # the scenario moves under the widget
        state.set_scenario(state.scenario().with_vector("x", 0, 3.0))
        st.rerun()


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_function(bound_app, default_timeout=30)
    app.query_params["preset"] = "remember"
    return app.run()


def scenario(at: AppTest):
    return at.session_state["scenario"]


def test_widget_shows_the_scenarios_value(at):
    assert not at.exception
    assert at.slider(key="x_0").value == build("remember").x[0] == scenario(at).x[0]


def test_moving_the_widget_replaces_the_scenario_and_keeps_the_previous_one(at):
    before = scenario(at)
    at.slider(key="x_0").set_value(1.25).run()
    assert scenario(at).x[0] == 1.25
    np.testing.assert_array_equal(scenario(at).x[1:], before.x[1:])  # nothing else moved
    assert at.session_state["previous_scenario"] is not scenario(at)
    assert at.session_state["previous_scenario"].x[0] == before.x[0]


def test_widget_follows_when_the_scenario_moves_under_it(at):
    at.button(key="set").click().run()
    assert scenario(at).x[0] == 3.0
    assert at.slider(key="x_0").value == 3.0


class SpyState(dict):
    """Session state that records every write."""

    def __init__(self, *args):
        super().__init__(*args)
        self.writes: list[str] = []

    def __setitem__(self, key, value):
        self.writes.append(key)
        super().__setitem__(key, value)


def test_bound_writes_the_widget_key_only_when_the_scenario_differs(monkeypatch):
    """Writing the key on every run would undo key presses that arrive mid-burst."""
    from types import SimpleNamespace

    from ui import state

    fake = SpyState({"x_0": 0.5})
    monkeypatch.setattr(state, "st", SimpleNamespace(session_state=fake))
    kwargs = state.bound("x_0", 0.5, lambda sc, v: sc)
    assert fake.writes == [] and kwargs["key"] == "x_0"
    state.bound("x_0", 0.75, lambda sc, v: sc)
    assert fake.writes == ["x_0"] and fake["x_0"] == 0.75


def test_on_change_applies_the_widgets_value_to_the_scenario(monkeypatch):
    from types import SimpleNamespace

    from ui import state

    start = build("default")
    fake = SpyState({state.SCENARIO: start})
    monkeypatch.setattr(state, "st", SimpleNamespace(session_state=fake))
    on_change = state.bound("x_0", float(start.x[0]),
                            lambda sc, v: sc.with_vector("x", 0, v))["on_change"]
    fake["x_0"] = -1.5  # what Streamlit does when the user moves the widget
    on_change()
    assert fake[state.SCENARIO].x[0] == -1.5 and fake[state.PREVIOUS] is start
