// Keyboard and screen-reader fixes Streamlit's own markup does not make (loaded once per page by
// ui/page.py). Static code: it reads no user text and writes no HTML.
//  - a collapsed sidebar is off screen: `inert` takes its links out of the tab order;
//  - the main area is not a tab stop of its own (it stays the skip link's target);
//  - an equation or a code block wider than its box becomes a focusable, named region, so a
//    keyboard user can reach it and scroll it with the arrow keys.
(() => {
  if (window.__lstmA11y) return;
  window.__lstmA11y = true;
  const SCROLLERS = '[data-testid="stMain"] .katex-display, [data-testid="stMain"] pre';
  const LABELS = {EQUATION: "Equation, wider than its box: scroll sideways with the arrow keys",
                  CODE: "Code, wider than its box: scroll sideways with the arrow keys"};

  function sidebar() {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    if (!bar) return;
    const collapsed = bar.getAttribute("data-collapsed") === "true";
    if (bar.inert !== collapsed) bar.inert = collapsed;
  }

  function main() {
    const area = document.querySelector('[data-testid="stMain"]');
    if (area && area.tabIndex === 0) area.tabIndex = -1;
  }

  function scrollers() {
    for (const el of document.querySelectorAll(SCROLLERS)) {
      const wide = el.scrollWidth > el.clientWidth + 1;
      const ours = el.dataset.a11yScroll === "1";
      if (wide && !ours && !el.hasAttribute("tabindex")) {
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", el.tagName === "PRE" ? LABELS.CODE : LABELS.EQUATION);
        el.dataset.a11yScroll = "1";
      } else if (!wide && ours) {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
        delete el.dataset.a11yScroll;
      }
    }
  }

  let pending = 0;
  function soon() {  // at most once per 100 ms, after the page settles
    if (pending) return;
    pending = setTimeout(() => { pending = 0; sidebar(); main(); scrollers(); }, 100);
  }
  new MutationObserver((records) => {
    // the sidebar's state is applied at once: a keyboard user may press Tab right after »
    if (records.some((r) => r.attributeName === "data-collapsed")) sidebar();
    soon();
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ["data-collapsed"]});
  window.addEventListener("resize", soon);
  sidebar(); main(); scrollers();
})();
