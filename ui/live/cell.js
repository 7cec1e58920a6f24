// The live cell: Figure 14-13 as plain SVG, its numbers recomputed in the browser on every
// input event (ui/live/lstm.js), and the controls for x(t), h(t-1), c(t-1) and the weights of
// the gate in focus. Streamlit mounts this module once per element (Components v2, no
// iframe) and calls the default export again on every rerun with new `data`: it UPDATES in
// place and never rebuilds what it has already drawn, unless the geometry itself changed.
//
// Geometry, labels, formulas and colours come from Python (viz/live.py: the canvas as data).
// Values the user moves are sent back debounced (SYNC_MS after the last move, never during a
// drag) as one trigger {seq, values}; the server validates them (explainer codec bounds),
// recomputes with NumPy, and answers with `data.ack` = the last seq it applied. Until it has
// acknowledged the latest local edit, data from the server does not overwrite local values,
// so a rerun can never clobber a drag in progress.
//
// No string from data is ever parsed as HTML: every text goes through textContent.

const SYNC_MS = 250;
const DIM = 0.16;
const SVG_NS = "http://www.w3.org/2000/svg";
const NARROW_PX = 560; // below this width the diagram is drawn as a list of stages
const INSTANCES = new WeakMap(); // parentElement -> instance (one per mounted component)

// -- small helpers ------------------------------------------------------------------------
function el(tag, attrs = {}, parent = null, text = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

export function fmt(v, digits = 2) {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s.replace("-", "\u2212");
}

// A vector of a step (or of the model) by its path: "x", "gates.f.a", "c", ...
export function vectorAt(step, path) {
  let v = step;
  for (const k of path.split(".")) v = v == null ? undefined : v[k];
  return v;
}

// -- colour: one diverging scale (from Python), values clipped to [-1, 1] -------------------
function hexRgb(c) { return [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)); }

function makeScale(stops) {
  const pts = stops.map(([t, c]) => [t, hexRgb(c)]);
  return (v) => {
    const t = (Math.max(-1, Math.min(1, v)) + 1) / 2;
    for (let k = 1; k < pts.length; k++) {
      if (t <= pts[k][0] || k === pts.length - 1) {
        const [t0, c0] = pts[k - 1], [t1, c1] = pts[k];
        const u = t1 === t0 ? 0 : (t - t0) / (t1 - t0);
        return c0.map((a, j) => a + (c1[j] - a) * u);
      }
    }
    return pts[0][1];
  };
}

function luminance(rgb) {
  const lin = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

function inkOn(rgb) { // the more contrasting of white and near-black text
  const l = luminance(rgb);
  return (1.05 / (l + 0.05)) > ((l + 0.05) / (0.0137 + 0.05)) ? "#FFFFFF" : "#1A1A1A";
}

const css = (rgb) => `rgb(${rgb.map((c) => Math.round(c)).join(",")})`;

// -- the model: what the user set, and the editable blocks ----------------------------------
function clone(x) { return JSON.parse(JSON.stringify(x)); }

// Editable block -> [getter, setter, limit kind]. Keys are the link's parameter names.
function blockRef(model, key) {
  if (key === "x" || key === "h" || key === "c") return model[key];
  const g = key.slice(-1), kind = key.slice(0, -1);
  const gate = model.params.gates[g];
  return {Wx: gate.W_x, Wh: gate.W_h, b: gate.b, p: gate.w_c}[kind];
}

function getValue(model, key, r, c) {
  const block = blockRef(model, key);
  return c === null ? block[r] : block[r][c];
}

function setValue(model, key, r, c, v) {
  const block = blockRef(model, key);
  if (c === null) block[r] = v; else block[r][c] = v;
}

// -- drawing: SVG built once from the geometry --------------------------------------------
function drawShapes(inst, geometry) {
  const root = svg("svg", {
    viewBox: `0 0 ${geometry.width} ${geometry.height}`, role: "img", class: "diagram",
    "aria-label": geometry.alt || "LSTM cell diagram", preserveAspectRatio: "xMidYMin meet",
  });
  const defs = svg("defs", {}, root);
  const markers = new Map();
  const arrowId = (color) => {
    if (!markers.has(color)) {
      const id = `arrow${markers.size}`;
      const m = svg("marker", {id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5,
                               markerHeight: 5, orient: "auto-start-reverse",
                               markerUnits: "strokeWidth"}, defs);
      svg("path", {d: "M0,0 L10,5 L0,10 z", fill: color}, m);
      markers.set(color, id);
    }
    return markers.get(color);
  };
  inst.parts = new Map(); // part id -> [svg elements] (dimmed when not highlighted)
  const remember = (part, node) => {
    if (!part) return;
    if (!inst.parts.has(part)) inst.parts.set(part, []);
    inst.parts.get(part).push(node);
  };
  for (const s of geometry.shapes) {
    let node;
    if (s.type === "path") {
      const d = s.points.map(([x, y], k) => `${k ? "L" : "M"}${x},${y}`).join("") + (s.closed ? "z" : "");
      node = svg("path", {d, fill: s.fill || "none", stroke: s.stroke || "none",
                          "stroke-width": s.width || 0, "stroke-dasharray": s.dash || null,
                          "stroke-linejoin": "round"}, root);
      if (s.arrow) node.setAttribute("marker-end", `url(#${arrowId(s.stroke)})`);
    } else if (s.type === "rect") {
      node = svg("rect", {x: s.x, y: s.y, width: s.w, height: s.h, rx: s.rx || 0,
                          fill: s.fill || "none", stroke: s.stroke || "none",
                          "stroke-width": s.width || 0}, root);
    } else if (s.type === "ellipse") {
      node = svg("ellipse", {cx: s.cx, cy: s.cy, rx: s.rx, ry: s.ry, fill: s.fill || "none",
                             stroke: s.stroke || "none", "stroke-width": s.width || 0}, root);
    } else if (s.type === "text") {
      node = svg("text", {x: s.x, y: s.y, "font-size": s.size, "text-anchor": s.anchor || "middle",
                          "dominant-baseline": s.baseline || "central", fill: s.color || "#222222",
                          transform: s.rotate ? `rotate(${s.rotate} ${s.x} ${s.y})` : null}, root);
      for (const [t, style] of s.text) {
        const span = svg("tspan", {}, node);
        if (style.includes("b")) span.setAttribute("font-weight", "bold");
        if (style.includes("sub")) { span.setAttribute("font-size", "75%"); span.setAttribute("dy", "0.3em"); }
        span.textContent = t;
        if (style.includes("sub")) { const back = svg("tspan", {dy: "-0.3em"}, node); back.textContent = "\u200b"; }
      }
    }
    if (node) remember(s.part, node);
  }
  return root;
}

function drawSlots(inst, geometry, root) {
  inst.cells = []; // every drawn element cell: {slot, index, rect, text, (editable)}
  for (const slot of geometry.slots) {
    const g = svg("g", {class: "slot", "data-vector": slot.vector}, root);
    const list = [];
    slot.cells.forEach(([x, y], index) => {
      const attrs = {x: x - slot.cw / 2, y: y - slot.ch / 2, width: slot.cw, height: slot.ch,
                     class: "cell", stroke: "#8C8C8C", "stroke-width": 1};
      const rect = svg("rect", attrs, g);
      const text = svg("text", {x, y, "font-size": slot.font, "text-anchor": "middle",
                                "dominant-baseline": "central", class: "num"}, g);
      const cell = {slot, index, rect, text, hit: rect};
      if (slot.editable) makeEditable(inst, cell, rect, slot.editable, index, null,
                                      `${slot.label}[${index}]`);
      else makeHoverable(inst, rect, () => slotTip(inst, slot));
      list.push(cell);
    });
    if (slot.seam !== null && slot.seam !== undefined) {
      const [x, y] = slot.cells[slot.seam];
      svg("line", {x1: x - slot.cw / 2, x2: x - slot.cw / 2, y1: y - slot.ch / 2 - 5,
                   y2: y + slot.ch / 2 + 5, stroke: "#222222", "stroke-width": 3}, g);
    }
    if (slot.part) {
      if (!inst.parts.has(slot.part)) inst.parts.set(slot.part, []);
      inst.parts.get(slot.part).push(g);
    }
    inst.cells.push(...list);
  }
  for (const hv of geometry.hovers) {
    const target = svg("rect", {x: hv.x, y: hv.y, width: hv.w, height: hv.h, fill: "transparent",
                                class: "hover-target", tabindex: 0, role: "img",
                                "aria-label": hv.title}, root);
    makeHoverable(inst, target, () => ({title: hv.title, lines: [hv.formula, hv.shape],
                                        vectors: hv.vectors}));
  }
}

// -- tooltips: name, formula, values (4 decimals), shape; live while shown -------------------
function slotTip(inst, slot) {
  return {title: slot.title, lines: [slot.formula, `shape ${slot.shape}`],
          vectors: [[slot.label, slot.vector]]};
}

function makeHoverable(inst, node, describe) {
  const show = (ev) => showTip(inst, describe(), node, ev);
  node.addEventListener("pointerenter", show);
  node.addEventListener("focus", show);
  node.addEventListener("pointerleave", () => hideTip(inst));
  node.addEventListener("blur", () => hideTip(inst));
}

function showTip(inst, tip, anchor) {
  inst.tipState = {tip, anchor};
  renderTip(inst);
  inst.tip.hidden = false;
  const box = anchor.getBoundingClientRect(), host = inst.root.getBoundingClientRect();
  const left = Math.min(box.left - host.left, host.width - 300);
  inst.tip.style.left = `${Math.max(0, left)}px`;
  inst.tip.style.top = `${box.bottom - host.top + 6}px`;
}

function renderTip(inst) {
  if (!inst.tipState) return;
  const {tip} = inst.tipState;
  inst.tip.replaceChildren();
  el("strong", {}, inst.tip, tip.title);
  for (const line of tip.lines) if (line) el("div", {}, inst.tip, line);
  for (const [label, path] of tip.vectors || []) {
    const v = vectorAt(inst.step, path) || vectorAt(inst.model, path);
    if (v) el("div", {class: "mono"}, inst.tip, `${label} = [${v.map((x) => fmt(x, 4)).join(", ")}]`);
  }
}

function hideTip(inst) { inst.tipState = null; inst.tip.hidden = true; }

// -- editing: drag (pointer, touch), arrow keys, range inputs -------------------------------
function limitOf(inst, key) { return key === "x" || key === "h" || key === "c" ? inst.limits.value : inst.limits.weight; }

function setByUser(inst, key, r, c, v) {
  const lim = limitOf(inst, key);
  v = Math.max(-lim, Math.min(lim, Number(v)));
  if (!Number.isFinite(v)) return;
  v = Math.round(v * 1e4) / 1e4; // drag positions to 4 decimals: a value a link can show
  if (getValue(inst.model, key, r, c) === v) return;
  setValue(inst.model, key, r, c, v);
  inst.editSeq += 1;
  inst.pending.add(key);
  recompute(inst);
  scheduleSync(inst);
}

function makeEditable(inst, cell, node, key, r, c, label) {
  node.setAttribute("tabindex", "0");
  node.setAttribute("role", "slider");
  node.setAttribute("aria-label", label);
  node.classList.add("editable");
  cell.edit = {key, r, c};
  node.addEventListener("keydown", (ev) => {
    const stepBy = {ArrowUp: 0.05, ArrowRight: 0.05, ArrowDown: -0.05, ArrowLeft: -0.05,
                    PageUp: 0.5, PageDown: -0.5}[ev.key];
    if (stepBy === undefined) return;
    ev.preventDefault();
    ev.stopPropagation();
    const v = getValue(inst.model, key, r, c);
    setByUser(inst, key, r, c, Math.round((v + stepBy) * 100) / 100);
  });
  node.addEventListener("pointerdown", (ev) => {
    ev.preventDefault();
    node.setPointerCapture(ev.pointerId);
    node.focus({preventScroll: true});
    const per = limitOf(inst, key) / 200; // value per pixel: the whole range in 400 px
    inst.drag = {node, y0: ev.clientY, v0: getValue(inst.model, key, r, c), per, id: ev.pointerId};
  });
  node.addEventListener("pointermove", (ev) => {
    const d = inst.drag;
    if (!d || d.node !== node || d.id !== ev.pointerId) return;
    setByUser(inst, key, r, c, d.v0 - (ev.clientY - d.y0) * d.per);
  });
  const end = (ev) => {
    const d = inst.drag;
    if (!d || d.node !== node || d.id !== ev.pointerId) return;
    inst.drag = null;
    scheduleSync(inst);
  };
  node.addEventListener("pointerup", end);
  node.addEventListener("pointercancel", end);
  node.addEventListener("lostpointercapture", end);
}

function scheduleSync(inst) {
  clearTimeout(inst.timer);
  inst.timer = setTimeout(() => sync(inst), SYNC_MS);
}

function sync(inst) {
  if (inst.drag || !inst.pending.size) { if (inst.drag) scheduleSync(inst); return; }
  const values = {};
  for (const key of inst.pending) values[key] = clone(blockRef(inst.model, key));
  inst.pending.clear();
  inst.sentSeq = inst.editSeq;
  inst.send("edit", {seq: inst.editSeq, values});
}

// -- the controls panel ----------------------------------------------------------------------
const VECTORS = [["x", "x(t)"], ["h", "h(t-1)"], ["c", "c(t-1)"]];
const RANGE_CELLS = 9; // a block with more elements is a grid of draggable cells, not ranges

function buildPanel(inst) {
  const {panel} = inst;
  panel.replaceChildren();
  inst.ranges = [];
  inst.gridCells = [];
  if (!inst.cfg.controls) { panel.hidden = true; return; }
  panel.hidden = false;
  const inputs = el("fieldset", {class: "group"}, panel);
  el("legend", {}, inputs, "Inputs and states");
  for (const [key, label] of VECTORS) block(inst, inputs, key, `${label}`, inst.model[key].length, null);
  const weights = el("fieldset", {class: "group"}, panel);
  el("legend", {}, weights, "Weights of one layer");
  const picker = el("div", {role: "radiogroup", "aria-label": "Layer whose weights are shown", class: "picker"}, weights);
  for (const g of inst.cfg.gates) {
    const b = el("button", {type: "button", role: "radio", "aria-checked": String(g.name === inst.gate),
                            title: g.title, tabindex: g.name === inst.gate ? "0" : "-1"}, picker, g.name);
    b.addEventListener("click", () => { inst.gate = g.name; buildPanel(inst); redraw(inst); panel.querySelector('[aria-checked="true"]').focus(); });
    b.addEventListener("keydown", (ev) => {
      const k = inst.cfg.gates.findIndex((x) => x.name === inst.gate);
      const d = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[ev.key];
      if (!d) return;
      ev.preventDefault();
      inst.gate = inst.cfg.gates[(k + d + 4) % 4].name;
      buildPanel(inst);
      redraw(inst);
      panel.querySelector('[aria-checked="true"]').focus();
    });
  }
  const g = inst.gate, P = inst.model.params;
  const {D, H} = P;
  block(inst, weights, `Wx${g}`, `W_x${g}`, D, H);
  block(inst, weights, `Wh${g}`, `W_h${g}`, H, H);
  block(inst, weights, `b${g}`, `b_${g}`, H, null);
  if (P.use_peepholes && P.gates[g].w_c) block(inst, weights, `p${g}`, `w_c${g}`, H, null);
}

function block(inst, parent, key, label, rows, cols) {
  const count = rows * (cols || 1);
  const shape = cols ? `(${rows}, ${cols})` : `(${rows},)`;
  const box = el("div", {class: "block"}, parent);
  el("div", {class: "block-title"}, box, `${label} · shape ${shape}`);
  const isWeight = !(key === "x" || key === "h" || key === "c");
  if (count <= RANGE_CELLS) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < (cols || 1); c++) {
      const cc = cols ? c : null;
      const name = cols ? `${label}[${r},${c}]` : `${label}[${r}]`;
      const row = el("label", {class: "range-row"}, box);
      el("span", {class: "range-label"}, row, name);
      const [lo, hi] = rangeFor(inst, key, getValue(inst.model, key, r, cc), isWeight);
      const input = el("input", {type: "range", min: lo, max: hi, step: 0.05, "aria-label": name}, row);
      const out = el("output", {class: "mono"}, row);
      input.value = getValue(inst.model, key, r, cc);
      input.addEventListener("input", () => setByUser(inst, key, r, cc, Number(input.value)));
      input.addEventListener("pointerdown", () => { inst.rangeDrag = true; });
      input.addEventListener("pointerup", () => { inst.rangeDrag = false; scheduleSync(inst); });
      inst.ranges.push({input, out, key, r, c: cc});
    }
  } else {
    const grid = el("div", {class: "grid", role: "group", "aria-label": `${label}, ${shape}`,
                            style: `grid-template-columns: repeat(${cols || Math.min(rows, 8)}, 1fr)`}, box);
    for (let r = 0; r < rows; r++) for (let c = 0; c < (cols || 1); c++) {
      const cc = cols ? c : null;
      const node = el("div", {class: "gcell mono"}, grid);
      const cell = {node};
      makeEditable(inst, cell, node, key, r, cc, cols ? `${label}[${r},${c}]` : `${label}[${r}]`);
      inst.gridCells.push({node, key, r, c: cc});
    }
  }
}

function rangeFor(inst, key, v, isWeight) {
  const base = isWeight ? inst.cfg.ranges.weight : inst.cfg.ranges[key];
  const lim = isWeight ? inst.limits.weight : inst.limits.value;
  return [Math.max(-lim, Math.min(base[0], Math.floor(v))), Math.min(lim, Math.max(base[1], Math.ceil(v)))];
}

// -- the narrow layout: the same vectors as a list of stages ---------------------------------
function buildList(inst, geometry) {
  inst.list.replaceChildren();
  for (const stage of geometry.stages) {
    const sec = el("section", {class: "stage", "data-part": stage.part}, inst.list);
    el("h4", {}, sec, stage.title);
    for (const id of stage.slots) {
      const slot = geometry.slots.find((s) => s.id === id);
      if (!slot) continue;
      const row = el("div", {class: "vec"}, sec);
      el("span", {class: "vec-label"}, row, slot.label);
      const cells = el("div", {class: "vec-cells"}, row);
      slot.cells.forEach((_, index) => {
        const node = el("div", {class: "lcell mono"}, cells);
        const cell = {slot, index, node, list: true};
        if (slot.editable) makeEditable(inst, cell, node, slot.editable, index, null, `${slot.label}[${index}]`);
        else makeHoverable(inst, node, () => slotTip(inst, slot));
        inst.cells.push(cell);
      });
    }
  }
}

// -- update in place -------------------------------------------------------------------------
function recompute(inst) {
  const m = inst.model;
  inst.step = lstmStep(m.params, m.x, m.h, m.c);
  redraw(inst);
}

function paint(inst, node, textNode, v) {
  const rgb = inst.scale(v);
  if (textNode) {
    node.setAttribute("fill", css(rgb));
    textNode.setAttribute("fill", inkOn(rgb));
    textNode.textContent = fmt(v);
  } else {
    node.style.background = css(rgb);
    node.style.color = inkOn(rgb);
    node.textContent = fmt(v);
  }
}

function redraw(inst) {
  const step = inst.step;
  for (const cell of inst.cells) {
    const v = vectorAt(step, cell.slot.vector)[cell.index];
    if (cell.list) paint(inst, cell.node, null, v); else paint(inst, cell.rect, cell.text, v);
    const target = cell.list ? cell.node : cell.rect;
    if (cell.edit) target.setAttribute("aria-valuenow", String(v));
    target.setAttribute("aria-valuetext", fmt(v, 4));
  }
  for (const {input, out, key, r, c} of inst.ranges) {
    const v = getValue(inst.model, key, r, c);
    if (document.activeElement !== input || !inst.rangeDrag) {
      if (Number(input.value) !== v) input.value = v;
    }
    out.textContent = fmt(v);
    input.setAttribute("aria-valuetext", fmt(v, 2));
  }
  for (const {node, key, r, c} of inst.gridCells) {
    const v = getValue(inst.model, key, r, c);
    paint(inst, node, null, v / (key === "x" || key === "h" || key === "c" ? 1 : 4));
    node.textContent = fmt(v);
    node.setAttribute("aria-valuenow", String(v));
  }
  renderTip(inst);
  inst.live.textContent = `h(t) = [${step.h.map((v) => fmt(v)).join(", ")}], c(t) = [${step.c.map((v) => fmt(v)).join(", ")}]`;
  inst.frames += 1;
  inst.root.dataset.frames = String(inst.frames);
}

function applyHighlight(inst) {
  const lit = inst.cfg.highlight ? new Set(inst.cfg.highlight) : null;
  for (const [part, nodes] of inst.parts) {
    const o = !lit || lit.has(part) ? 1 : DIM;
    for (const n of nodes) n.style.opacity = o;
  }
  for (const sec of inst.list.querySelectorAll(".stage")) {
    sec.classList.toggle("dim", Boolean(lit) && !lit.has(sec.dataset.part));
  }
}

// -- PNG export: the SVG onto a canvas, twice the size ------------------------------------------
function exportPng(inst) {
  const source = inst.svgRoot;
  const copy = source.cloneNode(true);
  copy.setAttribute("xmlns", SVG_NS);
  const [w, h] = [inst.geometry.width, inst.geometry.height];
  copy.setAttribute("width", w);
  copy.setAttribute("height", h);
  copy.insertBefore(svg("rect", {x: 0, y: 0, width: w, height: h, fill: "#FFFFFF"}), copy.firstChild);
  copy.setAttribute("font-family", "Arial, Helvetica, sans-serif");
  const blob = new Blob([new XMLSerializer().serializeToString(copy)], {type: "image/svg+xml"});
  const url = URL.createObjectURL(blob);
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = w * 2; canvas.height = h * 2;
    const ctx = canvas.getContext("2d");
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, w, h);
    URL.revokeObjectURL(url);
    canvas.toBlob((png) => {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(png);
      a.download = "lstm-cell.png";
      inst.root.appendChild(a);
      a.click();
      a.remove();
      inst.root.dataset.exported = String(png.size);
    }, "image/png");
  };
  img.src = url;
}

// -- mount and update --------------------------------------------------------------------------
function create(parentElement, data) {
  const root = el("div", {class: "live"}, null);
  parentElement.appendChild(root);
  const bar = el("div", {class: "bar"}, root);
  const key = el("div", {class: "key", role: "img"}, bar);
  const exportButton = el("button", {type: "button", class: "export"}, bar, "Download PNG");
  const body = el("div", {class: "body"}, root);
  const panel = el("div", {class: "panel"}, body);
  const stage = el("div", {class: "stage-host"}, body);
  const list = el("div", {class: "list"}, stage);
  const tip = el("div", {class: "tip", role: "tooltip"}, root);
  tip.hidden = true;
  const live = el("div", {class: "sr-only", "aria-live": "polite"}, root);
  const inst = {root, bar, key, body, panel, stage, list, tip, live, svgRoot: null,
                editSeq: 0, sentSeq: 0, pending: new Set(), timer: null, drag: null,
                rangeDrag: false, frames: 0, gate: null, geometryKey: null, cells: [],
                parts: new Map(), ranges: [], gridCells: []};
  exportButton.addEventListener("click", () => exportPng(inst));
  const ro = new ResizeObserver(() => {
    const narrow = root.clientWidth < NARROW_PX;
    root.dataset.layout = narrow ? "narrow" : "wide";
  });
  ro.observe(root);
  inst.ro = ro;
  return inst;
}

function buildKey(inst) {
  const {key} = inst;
  key.replaceChildren();
  key.setAttribute("aria-label", inst.cfg.keyText);
  el("span", {}, key, "\u22121");
  const ramp = el("span", {class: "ramp"}, key);
  ramp.style.background = `linear-gradient(to right, ${inst.cfg.scale.map(([t, c]) => `${c} ${t * 100}%`).join(", ")})`;
  el("span", {}, key, "0");
  el("span", {}, key, "+1");
  el("span", {class: "key-text"}, key, inst.cfg.keyText);
}

function receive(inst, data) {
  inst.cfg = data;
  inst.limits = data.limits;
  inst.scale = makeScale(data.scale);
  const server = {params: data.params, x: data.x, h: data.h, c: data.c};
  const sizesChanged = !inst.model || inst.model.params.D !== server.params.D ||
    inst.model.params.H !== server.params.H ||
    inst.model.params.use_peepholes !== server.params.use_peepholes;
  // The server has seen every local edit: its (validated) values win. Otherwise keep ours.
  const caughtUp = !inst.drag && !inst.rangeDrag && inst.pending.size === 0 && data.ack >= inst.editSeq;
  if (!inst.model || sizesChanged || caughtUp) {
    inst.model = clone(server);
    if (data.ack > inst.editSeq) inst.editSeq = data.ack; // e.g. a new page of the same session
  }
  if (!inst.gate || !data.gates.some((g) => g.name === inst.gate)) inst.gate = data.gate || "f";
  if (data.gate_follows && data.gate) inst.gate = data.gate;
  inst.root.dataset.presenter = data.presenter ? "1" : "0";
  if (inst.geometryKey !== data.geometry.key) {
    inst.geometry = data.geometry;
    inst.geometryKey = data.geometry.key;
    inst.svgRoot?.remove();
    inst.svgRoot = drawShapes(inst, data.geometry);
    inst.stage.insertBefore(inst.svgRoot, inst.list);
    drawSlots(inst, data.geometry, inst.svgRoot);
    buildList(inst, data.geometry);
    buildKey(inst);
    inst.panelKey = null;
  }
  const panelKey = JSON.stringify([data.controls, inst.gate, server.params.D, server.params.H,
                                   server.params.use_peepholes, data.ranges]);
  if (panelKey !== inst.panelKey || sizesChanged) { buildPanel(inst); inst.panelKey = panelKey; }
  applyHighlight(inst);
  recompute(inst);
  inst.root.dataset.ack = String(data.ack);
  inst.root.dataset.ready = "1";
}

export default function mountLiveCell(component) {
  const {data, parentElement, setTriggerValue} = component;
  let inst = INSTANCES.get(parentElement);
  if (!inst) {
    inst = create(parentElement, data);
    INSTANCES.set(parentElement, inst);
  }
  inst.send = setTriggerValue;
  receive(inst, data);
  // Streamlit calls the cleanup of the last call when it unmounts the element, and may call
  // that of a call overtaken by a newer one: only a detached element is torn down.
  return () => setTimeout(() => {
    const host = parentElement.host || parentElement;
    if (host.isConnected || INSTANCES.get(parentElement) !== inst) return;
    clearTimeout(inst.timer);
    if (inst.pending.size) { inst.drag = null; sync(inst); }
    inst.ro.disconnect();
    INSTANCES.delete(parentElement);
  }, 0);
}
