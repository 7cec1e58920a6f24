"""Open any page of the app in AppTest the way a link does: app.py is the entry point (the
sidebar's page links resolve against it); the query is decoded on that first run and the
scenario carries over to the page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_app(page: str | None = None, timeout: float = 60, **query: str) -> AppTest:
    """`open_app("pages/6_Through_time.py", preset="remember")`; no page: the explorer."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(page).run() if page else at


def component(at: AppTest, key: str):
    """The Components v2 element mounted with this key (the live cell, the stepper...)."""
    found = [e for e in at.get("bidi_component") if e.proto.id.endswith(f"-{key}")]
    assert found, f"no component with key {key!r}"
    return found[0]


def send_trigger(at: AppTest, event: str, value, key: str = "home_cell") -> AppTest:
    """Rerun as the browser does when the component `key` (the live cell) calls
    setTriggerValue(event, value): the element's trigger aggregator widget carries the
    JSON list of {event, value} payloads for one run."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    element = component(at, key)
    states = at._tree.get_widget_states()
    trigger = WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{element.proto.id}__events")
    trigger.json_trigger_value = json.dumps([{"event": event, "value": value}])
    states.widgets.append(trigger)
    return at._run(states)


def live_data(at: AppTest, key: str = "home_cell") -> dict:
    """The data the component `key` was given on the last run."""
    import json

    data = json.loads(component(at, key).proto.json)
    return data.get("cell", data)  # the live cell nests its data under "cell"


def send_state(at: AppTest, values: dict, key: str) -> AppTest:
    """Rerun as the browser does when the component `key` calls setStateValue: the
    element's widget carries its whole state as JSON."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    element = component(at, key)
    states = at._tree.get_widget_states()
    widget = WidgetState(id=element.proto.id)
    widget.json_value = json.dumps(values)
    states.widgets.append(widget)
    return at._run(states)
