"""Previous / Next, a step counter, and the keys ← / → and PageUp / PageDown (what most
presenter clickers send) for every page that steps through the cell, in every mode.

One Components v2 element draws the two buttons and the counter and listens to the keys on
the whole page (keys typed into a field, a slider or a value cell of the live diagram are
left alone). It reports a running total of moves, {"nonce", "total"}, as its state: Streamlit
merges rerun requests that arrive close together and keeps only the newest trigger, so a
relative trigger per press could lose a press; a running total cannot. The server moves the
walkthrough by the difference from the total it saw last (per nonce: a new page mount starts
again at 0), so two quick clicks are two steps.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explainer.walkthrough import MAX_STEP, WalkStep
from ui import state

_JS = """
const KEYS = {ArrowLeft: -1, ArrowRight: 1, PageUp: -1, PageDown: 1};
const OWN = new WeakMap();  // parentElement -> this mount's state
const BUTTONS = 'button, a[href], summary, [role="button"], [role="switch"], [role="checkbox"]';
function busy(ev) {  // a key meant for a control, not for the page
  return ev.composedPath().some((n) => n instanceof Element && n.matches(
    'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="slider"], '
    + '[role="radio"], [role="tab"], [role="spinbutton"], [role="listbox"], [role="option"], '
    + '[role="combobox"]'));
}
export default function ({data, parentElement, setStateValue}) {
  let own = OWN.get(parentElement);
  if (!own) {
    const root = document.createElement('nav');
    root.className = 'stepper';
    root.setAttribute('aria-label', 'Walkthrough steps');
    const prev = document.createElement('button'), next = document.createElement('button');
    const counter = document.createElement('div');
    counter.className = 'counter';
    counter.setAttribute('aria-live', 'polite');
    prev.type = next.type = 'button';
    prev.textContent = '\\u2190 Previous';
    next.textContent = 'Next \\u2192';
    prev.title = '\\u2190 or PageUp';
    next.title = '\\u2192 or PageDown';
    root.append(prev, counter, next);
    parentElement.appendChild(root);
    own = {nonce: Math.random().toString(36).slice(2), total: 0, prev, next, counter};
    OWN.set(parentElement, own);
    const move = (d) => {
      own.total += d;
      own.shown = Math.max(0, Math.min(own.last, own.shown + d));  // answer the hand at once
      paint(own);
      own.send('moves', {nonce: own.nonce, total: own.total});
    };
    prev.addEventListener('click', () => move(-1));
    next.addEventListener('click', () => move(1));
    const onKey = (ev) => {
      const host = parentElement.host || parentElement;
      if (!host.isConnected) { document.removeEventListener('keydown', onKey, true); return; }
      // presenter: the space bar steps too (as in slides), unless it presses a focused button
      const space = ev.key === ' ' && own.presenter && !ev.composedPath().some(
        (n) => n instanceof Element && n.matches(BUTTONS));
      const d = KEYS[ev.key] || (space ? 1 : 0);
      if (!d || ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey || busy(ev)) return;
      ev.preventDefault();
      move(d);
    };
    document.addEventListener('keydown', onKey, true);
  }
  own.send = setStateValue;
  own.presenter = Boolean(data.presenter);  // the buttons hide; keys and clicker still step
  parentElement.querySelector('.stepper').dataset.presenter = own.presenter ? '1' : '0';
  own.last = data.last;
  own.titles = data.titles;
  // a run that had not yet seen this mount's latest moves would step the counter back
  const behind = data.seen && data.seen[0] === own.nonce && data.seen[1] !== own.total;
  if (!behind) own.shown = data.step;
  own.shown = Math.max(0, Math.min(own.last, own.shown));
  paint(own);
}
function paint(own) {
  own.prev.disabled = own.shown <= 0;
  own.next.disabled = own.shown >= own.last;
  const title = own.titles[own.shown];
  own.counter.textContent = `Step ${own.shown + 1} of ${own.last + 1} \\u00b7 ${title}`;
}
"""
_CSS = """
.stepper { display: grid; grid-template-columns: auto 1fr auto; align-items: center; gap: 0.75rem;
           font-family: var(--st-font, sans-serif); }
.stepper button { font: inherit; font-size: 1rem; font-weight: 600; min-height: 2.6rem;
                  padding: 0.3rem 1.1rem; border-radius: 0.5rem; cursor: pointer;
                  border: 1px solid var(--st-primary-color, #0B5CAD);
                  background: var(--st-primary-color, #0B5CAD); color: #FFFFFF; }
.stepper button:disabled { background: #FFFFFF; color: #5C5C5C; border-color: #B0B0B0;
                           cursor: default; }
.stepper button:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.stepper[data-presenter="1"] { grid-template-columns: 1fr; }
.stepper[data-presenter="1"] button { display: none; }
.stepper .counter { text-align: center; font-size: 1.25rem; font-weight: 700;
                    color: var(--st-text-color, #1A1A1A); }
"""
_COMPONENT = st.components.v2.component("lstm_explainer.stepper", js=_JS, css=_CSS,
                                        isolate_styles=True)
SEEN = "stepper_seen"  # session-state key: {component key: (nonce, total) applied last}


def stepper(walk: WalkStep, steps: tuple[WalkStep, ...], *, key: str = "stepper",
            presenter: bool = False, move: Callable[[int], None] | None = None) -> None:
    """Previous / Next and the counter for `walk`, and the keys on the whole page; presenter:
    the counter alone (the keys, a clicker and, as in slides, the space bar step).
    move(delta): moves the page's walkthrough (default: the forward one, step_by)."""
    seen = st.session_state.get(SEEN, {}).get(key)  # the moves this run has applied
    _COMPONENT(key=key, data={"step": walk.index, "last": len(steps) - 1,
                              "presenter": presenter, "titles": [s.title for s in steps],
                              "seen": list(seen) if seen else None},
               on_moves_change=lambda: _on_moves(key, move or step_by))


def step_by(delta: int) -> None:
    """Move the walkthrough by `delta` steps from where the scenario is now (clamped)."""
    s = state.scenario()
    state.set_scenario(s.with_view(step=min(max(s.view.step + delta, 0), MAX_STEP)))


def _on_moves(key: str, move: Callable[[int], None]) -> None:
    moves = (st.session_state.get(key) or {}).get("moves")
    if not isinstance(moves, dict):
        return
    nonce, total = moves.get("nonce"), moves.get("total")
    if not (isinstance(nonce, str) and len(nonce) <= 32 and isinstance(total, int)
            and not isinstance(total, bool) and abs(total) <= 10**6):
        return
    seen = st.session_state.setdefault(SEEN, {})
    last_nonce, last_total = seen.get(key, (None, 0))
    delta = total - (last_total if nonce == last_nonce else 0)
    seen[key] = (nonce, total)
    if delta:
        move(delta)
