"""The live cell: the diagram and its most-dragged controls as one Streamlit component
(Components v2, no iframe), computed in the browser while the hand moves.

    from ui.live_cell import live_cell
    live_cell(scenario, key="home_cell")                      # diagram + controls
    live_cell(scenario, key="walk_cell", highlight={"forget"}, controls=False, gate="f")

The browser (ui/live/cell.js, with the JavaScript mirror of lstm_step in ui/live/lstm.js)
redraws every frame of a drag itself. SYNC_MS after the last move it sends the moved blocks
once, as a trigger {seq, values}; `_apply` validates them exactly as link parameters
(explainer.codec.apply_values), makes them the session's scenario (the one before becomes
"previous", for "what changed"), and the rerun that follows redraws the equations, tables,
URL and every share link on the page from NumPy's numbers. The component is never inside a
fragment, so that rerun is the whole page, sidebar included.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from explainer.backward import BackwardRun
from explainer.codec import apply_values
from explainer.scenario import Scenario
from lstm_core import GATE_ORDER, GRU_GATE_ORDER
from ui import state
from ui.controls import VECTORS, WEIGHT_RANGE
from viz.live import cell_data, layout_key
from viz.live_gradient import gradient_cell, gradient_layout
from viz.live_gru import gru_cell_data, gru_layout_key

_HERE = Path(__file__).resolve().parent / "live"
JS = "\n".join((_HERE / name).read_text()
                for name in ("lstm.js", "lstm_backward.js", "gru.js", "cell.js"))
CSS = (_HERE / "cell.css").read_text()
_COMPONENT = st.components.v2.component("lstm_explainer.live_cell", js=JS, css=CSS,
                                        isolate_styles=True)
ACK = "live_ack"  # session-state key: {component key: last seq applied}
LAYOUTS_SENT = "live_layouts_sent"  # {(component key, layout)} whose canvas was sent
# The canvas (~20 kB) goes to the browser once per layout: the browser keeps it (cell.js), so
# a move's rerun sends only values, and hashes and serialises far less.
WARNINGS = "live_warnings"  # values from the diagram that were not applied, shown once
MAX_SEQ = 2**53  # a JavaScript integer
RANGES = {**{name: rng for name, (_, _, rng) in zip("xhc", VECTORS)}, "weight": WEIGHT_RANGE}


def live_cell(s: Scenario, *, key: str, highlight: frozenset[str] | None = None,
              controls: bool = True, gate: str | None = None,
              gradient: BackwardRun | None = None, cell: str = "lstm") -> None:
    """Mount (or update) the live diagram of scenario `s`.

    highlight: canvas part ids to keep lit (the rest is dimmed); None lights everything.
    controls: show the panel of range inputs (x, h, c and the weights of one gate).
    gate: the gate whose weights the panel shows; given, it follows the page (Step by step).
    gradient: the backward pass of `s` (explainer.backward): every wire shows its gradient
    instead, recomputed in the browser (ui/live/lstm_backward.js) as forward values move.
    cell: "lstm", or "gru" for the scenario's GRU (ui/live/gru.js computes it; no c(t)).
    """
    data_of, layout_of = (gru_cell_data, gru_layout_key) if cell == "gru" else (cell_data,
                                                                                layout_key)
    acks = st.session_state.setdefault(ACK, {})
    sent = st.session_state.setdefault(LAYOUTS_SENT, set())  # (key, layout) drawn already
    layout = (key, layout_of(s) if gradient is None else gradient_layout(s, gradient))
    data = data_of(s, ranges=RANGES, highlight=highlight, controls=controls, gate=gate,
                     ack=acks.get(key, 0), with_canvas=layout not in sent)
    if gradient is not None:
        data = gradient_cell(data, gradient)
    sent.add(layout)
    # one top-level key: Streamlit inspects each top-level value for a data frame
    _COMPONENT(key=key, data={"cell": data}, on_edit_change=lambda: _apply(key),
               on_need_canvas_change=lambda: _resend_canvas(key))
    show_warnings()


def _resend_canvas(key: str) -> None:
    """The browser lacks the canvas of its layout (it was drawn in another tab's module):
    send it with the next run."""
    sent = st.session_state.get(LAYOUTS_SENT, set())
    st.session_state[LAYOUTS_SENT] = {k for k in sent if k[0] != key}


def _apply(key: str) -> None:
    """on_edit_change: the trigger the browser sent."""
    apply_edit(key, (st.session_state.get(key) or {}).get("edit"))


def apply_edit(key: str, payload: object) -> None:
    """The moved values of component `key`, checked as link values (a bad one is dropped with
    a warning naming it; the rest is kept) and made the session's scenario."""
    if not isinstance(payload, dict):
        return
    seq = payload.get("seq")
    if isinstance(seq, int) and not isinstance(seq, bool) and 0 < seq <= MAX_SEQ:
        acks = st.session_state.setdefault(ACK, {})
        acks[key] = max(acks.get(key, 0), seq)
    current = state.scenario()
    decoded = apply_values(current, payload.get("values"))
    if decoded.warnings:
        st.session_state[WARNINGS] = list(decoded.warnings)
    if _fingerprint(decoded.scenario) != _fingerprint(current):
        state.set_scenario(decoded.scenario)


def _fingerprint(s: Scenario) -> bytes:
    """Every number of a scenario's cell and inputs, bit for bit."""
    blocks = [s.x, s.h_prev, s.c_prev]
    for name in GATE_ORDER:
        gate = s.params.gate(name)
        blocks += [gate.W_x, gate.W_h, gate.b] + ([] if gate.w_c is None else [gate.w_c])
    for name in GRU_GATE_ORDER:
        gate = s.gru.gate(name)
        blocks += [gate.W_x, gate.W_h, gate.b_x, gate.b_h]
    return b"".join(b.tobytes() for b in blocks)


def show_warnings() -> None:
    for message in st.session_state.pop(WARNINGS, []):
        st.warning(f"Value not applied: {state.plain(message)}", icon="⚠️")
