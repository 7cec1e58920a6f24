"""Keys that step through the walkthrough on every page that steps: ← / → and PageUp /
PageDown (what most presenter clickers send), in default and presenter mode alike.

A small Components v2 element listens on the document. Each press sends a relative move
(-1 or +1) as a trigger, and the callback moves from the scenario's current step, so two
quick presses (or clicks) are two steps even when the second one arrives before the first
rerun has redrawn the page. Keys typed into a field, a slider or the live cell's value
cells are left alone.
"""

from __future__ import annotations

import streamlit as st

from explainer.walkthrough import MAX_STEP
from ui import state

_JS = """
const KEYS = {ArrowLeft: -1, ArrowRight: 1, PageUp: -1, PageDown: 1};
const OWN = new WeakMap();  // parentElement -> {send}
function busy(ev) {  // a key meant for a control, not for the page
  for (const node of ev.composedPath()) {
    if (!(node instanceof Element)) continue;
    if (node.matches('input, textarea, select, [contenteditable=""], [contenteditable="true"], '
                     + '[role="slider"], [role="radio"], [role="tab"], [role="spinbutton"], '
                     + '[role="listbox"], [role="option"], [role="combobox"]')) return true;
  }
  return false;
}
export default function ({parentElement, setTriggerValue}) {
  let own = OWN.get(parentElement);
  if (!own) {
    own = {send: setTriggerValue, sent: 0};
    OWN.set(parentElement, own);
    const onKey = (ev) => {
      const host = parentElement.host || parentElement;
      if (!host.isConnected) { document.removeEventListener('keydown', onKey, true); return; }
      const d = KEYS[ev.key];
      if (!d || ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey || busy(ev)) return;
      ev.preventDefault();
      own.sent += 1;
      own.send('step', {by: d, n: own.sent});
    };
    document.addEventListener('keydown', onKey, true);
  }
  own.send = setTriggerValue;
}
"""
_COMPONENT = st.components.v2.component("lstm_explainer.step_keys", js=_JS, isolate_styles=True)


def step_by(delta: int) -> None:
    """Move the walkthrough by `delta` steps from where the scenario is now (clamped)."""
    s = state.scenario()
    state.set_scenario(s.with_view(step=min(max(s.view.step + delta, 0), MAX_STEP)))


def step_keys(key: str = "step_keys") -> None:
    """Mount the key listener (it draws nothing)."""
    _COMPONENT(key=key, on_step_change=lambda: _on_step(key))


def _on_step(key: str) -> None:
    payload = (st.session_state.get(key) or {}).get("step")
    by = payload.get("by") if isinstance(payload, dict) else None
    if by in (-1, 1) and not isinstance(by, bool):
        step_by(by)
