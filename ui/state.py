"""The scenario lives in session state (one per browser session) and is mirrored into the URL.

Widgets never own the truth: before each widget is drawn its value is copied from the scenario,
and its on_change callback writes the new value back. So any page, a reset, a preset or an
uploaded file can change the scenario and every widget follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from explainer.codec import decode, encode
from explainer.scenario import Scenario

SCENARIO = "scenario"  # session-state key of the current Scenario
PREVIOUS = "previous_scenario"  # the scenario before the last change, for "what changed"
WARNINGS = "url_warnings"  # messages about rejected URL parameters, shown once


def scenario() -> Scenario:
    """The session's scenario, decoded from the URL on the session's first run."""
    if SCENARIO not in st.session_state:
        decoded = decode({k: st.query_params.get_all(k) for k in st.query_params})
        st.session_state[SCENARIO] = decoded.scenario
        st.session_state[PREVIOUS] = decoded.scenario
        st.session_state[WARNINGS] = list(decoded.warnings)
    return st.session_state[SCENARIO]


def set_scenario(new: Scenario) -> None:
    """Replace the scenario (from a callback or a button); the old one becomes 'previous'."""
    st.session_state[PREVIOUS] = st.session_state.get(SCENARIO, new)
    st.session_state[SCENARIO] = new


def previous() -> Scenario:
    return st.session_state.get(PREVIOUS, scenario())


def plain(text: str) -> str:
    """Text that Streamlit's markdown shows literally: every ASCII punctuation mark escaped, so
    nothing from a link or a file can become a link, markup or HTML."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,19}")  # the codec's parameter names (x, Wxf, step…)


def url_warning(message: str) -> str:
    """The codec's "key: what was expected; what was wrong" as a sentence naming the parameter
    (markdown, every character of the message escaped)."""
    key, sep, why = message.partition(": ")
    if sep and _KEY.fullmatch(key):
        return (f"Link parameter **{plain(key)}** was not used as given: {plain(why)}. "
                "The rest of the link was used.")
    return f"Part of the link was not used: {plain(message)}."


def show_url_warnings() -> None:
    """Show (once) what was wrong with the link, parameter by parameter; everything else from
    it was kept."""
    for message in st.session_state.pop(WARNINGS, []):
        st.warning(url_warning(message), icon="⚠️")


def sync_url() -> None:
    """Write the scenario into the address bar, so a copied link reopens it."""
    wanted = encode(scenario())
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def bound(key: str, current, apply: Callable[[Scenario, Any], Scenario]) -> dict:
    """Keyword arguments for a widget that shows `current` and, when moved, replaces the
    scenario with `apply(scenario, new_value)`. Use: st.slider(..., **bound("x_0", v, fn))."""
    if st.session_state.get(key) != current:  # only when the scenario moved under the widget:
        st.session_state[key] = current  # writing it always would undo key presses mid-burst

    def on_change() -> None:
        set_scenario(apply(scenario(), st.session_state[key]))

    return {"key": key, "on_change": on_change}
