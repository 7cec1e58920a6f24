"""The address of the page as a link to copy, kept up to date in the browser.

Streamlit writes the scenario into the address bar (st.query_params) from any run, also from a
fragment's run, but a fragment cannot redraw the sidebar. This small Components v2 element
shows `location.href` itself and redraws it whenever the address changes (Streamlit replaces
it with history.replaceState), so the sidebar's share link follows every move on a page, even
one made in a fragment. The text goes in with textContent: never parsed as HTML.
"""

from __future__ import annotations

import streamlit as st

_JS = """
const HOOK = '__lstmAddressHook';
if (!window[HOOK]) {  // once per page: announce every change of the address
  window[HOOK] = true;
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name].bind(history);
    history[name] = (...args) => { const out = original(...args);
      window.dispatchEvent(new Event('lstm:address')); return out; };
  }
  window.addEventListener('popstate', () => window.dispatchEvent(new Event('lstm:address')));
}
const OWN = new WeakMap();
export default function ({data, parentElement}) {
  let own = OWN.get(parentElement);
  if (!own) {
    const box = document.createElement('div');
    box.className = 'address';
    const code = document.createElement('code');
    code.tabIndex = 0;
    code.setAttribute('aria-label', data.label);
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.textContent = 'Copy link';
    box.append(code, copy);
    parentElement.appendChild(box);
    own = {code, copy};
    OWN.set(parentElement, own);
    const show = () => { code.textContent = location.href; };
    window.addEventListener('lstm:address', show);
    copy.addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(location.href); copy.textContent = 'Copied'; }
      catch { const r = document.createRange(); r.selectNodeContents(code);
              const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
              copy.textContent = 'Selected: press Ctrl+C'; }
      setTimeout(() => { copy.textContent = 'Copy link'; }, 2000);
    });
  }
  own.code.textContent = location.href;
}
"""
_CSS = """
.address { display: grid; gap: 0.4rem; font-family: var(--st-font, sans-serif); }
.address code { display: block; font-family: ui-monospace, Menlo, Consolas, monospace;
                font-size: 0.8rem; line-height: 1.35; padding: 0.5rem 0.6rem;
                background: #F1F3F6; color: #111111; border-radius: 0.4rem;
                overflow-wrap: anywhere; white-space: pre-wrap; }
.address code:focus-visible, .address button:focus-visible { outline: 3px solid #0072B2;
                                                             outline-offset: 2px; }
.address button { justify-self: start; font: inherit; font-size: 0.9rem; padding: 0.25rem 0.8rem;
                  border: 1px solid #8C8C8C; border-radius: 0.4rem; background: #FFFFFF;
                  color: #111111; cursor: pointer; }
"""
_COMPONENT = st.components.v2.component("lstm_explainer.address", js=_JS, css=_CSS,
                                        isolate_styles=True)


def address_link(*, key: str, label: str = "Link to this scenario") -> None:
    """The page's current address, with a copy button; follows every change of the URL."""
    _COMPONENT(key=key, data={"label": label})
