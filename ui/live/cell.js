// The live cell: Figure 14-13 as plain SVG, its numbers recomputed in the browser on every
// input event (ui/live/lstm.js), and the controls for x(t), h(t-1), c(t-1) and the weights of
// the gate in focus. Streamlit mounts this module once per element (Components v2, no
// iframe) and calls the default export again on every rerun with new `data`: it UPDATES in
// place and never rebuilds what it has already drawn, unless the layout itself changed (sizes,
// peepholes, presenter).
//
// Layout, labels, formulas and colours come from Python: the cell canvas (viz/canvas.py, as
// data) and viz/diagram.py's look, so this drawing and the Plotly one cannot disagree.
// Values the user moves are sent back debounced (SYNC_MS after the last move, never during a
// drag) as one trigger {seq, values}; the server validates them (explainer codec bounds),
// recomputes with NumPy, and answers with `data.ack` = the last seq it applied. Until it has
// acknowledged the latest local edit, data from the server does not overwrite local values,
// so a rerun can never clobber a drag in progress.
//
// No string from data is ever parsed as HTML: every text goes through textContent.

const SYNC_MS = 250; // send the moved values this long after the last move
const RESEND_MS = 4000; // ... and again if the server has not acknowledged them by then
const SVG_NS = "http://www.w3.org/2000/svg";
const NARROW_PX = 560; // below this width the diagram is drawn as a list of stages
const SIDE_PX = 1400; // from this width the controls sit beside the diagram, else below it
const INSTANCES = new WeakMap(); // parentElement -> instance (one per mounted component)
// Canvases (and the narrow layout's stages) by layout, kept for the page's lifetime: the
// server sends a layout's canvas once per session, and later runs name it (data.layout).
const LAYOUTS = new Map();

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

export function gfmt(v, digits = 2) { // a gradient
  if (v === 0 || Math.abs(v) >= 10 ** -digits) return fmt(v, digits);
  const [m, e] = v.toExponential(Math.max(digits - 3, 0)).split("e");
  return `${m}e${Number(e)}`.replace("-", "\u2212");
}

export function fmt(v, digits = 2) {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s.replace("-", "\u2212");
}

// Large type in a small square (presenter): −.50, 1.2, 12, as viz.diagram.compact.
export function compact(v) {
  const a = Math.abs(v);
  const s = Number(a.toFixed(2)) < 1 ? a.toFixed(2).slice(1)
    : Number(a.toFixed(1)) < 10 ? a.toFixed(1) : a.toFixed(0);
  return v < 0 && Number(s) !== 0 ? "\u2212" + s : s;
}

// A gradient in large type (presenter): compact, or 4e-3 below .01 (as gfmt, and as
// viz.diagram.compact_gradient); paintSvg condenses the rare one wider than its square.
export function gcompact(v) {
  if (v === 0 || Math.abs(v) >= 0.01) return compact(v); // as gfmt: below .01, 5e-3
  const [m, e] = v.toExponential(0).split("e");
  return `${m.replace("-", "\u2212")}e${Number(e)}`;
}

// -- colour: the scales of viz/diagram.py (values: diverging, clipped to [-1, 1]; gates: [0, 1])
function hexRgb(c) { return [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)); }

function makeScale(stops, lo, hi) { // value -> rgb, clipped to [lo, hi]
  const pts = stops.map(([t, c]) => [t, hexRgb(c)]);
  return (v) => {
    const t = (Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo);
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

function inkOn(rgb) { // the more contrasting of white and black text: at least 4.58 on any colour
  const l = luminance(rgb);
  return (1.05 / (l + 0.05)) > ((l + 0.05) / 0.05) ? "#FFFFFF" : "#000000";
}

const css = (rgb) => `rgb(${rgb.map((c) => Math.round(c)).join(",")})`;

// -- the model: what the user set, and the editable blocks ----------------------------------
function clone(x) { return JSON.parse(JSON.stringify(x)); }

// Editable block -> [getter, setter, limit kind]. Keys are the link's parameter names.
function blockRef(model, key) {
  if (model.cell === "gru") return GRU.blockRef(model, key); // ui/live/gru.js
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

// -- drawing: SVG built once from the canvas (viz/canvas.py, y up; SVG y = height - y) --------
const EDITABLE = {x: "x", h_prev: "h", c_prev: "c"}; // slot vector -> link key of its values
const VECTOR_LABEL = {x: "x(t)", h_prev: "h(t-1)", c_prev: "c(t-1)"};

// Every vector a slot, box, node or wire of the canvas carries, by its canvas name.
function vectorsOf(step) {
  const g = step.gates, out = {
    x: step.x, h_prev: step.h_prev, c_prev: step.c_prev, xh: step.xh, f_c_prev: step.f_c_prev,
    i_g: step.i_g, c: step.c, tanh_c: step.tanh_c, h: step.h,
  };
  for (const n of Object.keys(g)) {
    out[n] = g[n].a;
    out[`z_${n}`] = g[n].z;
    out[`peephole_${n}`] = g[n].peephole;
  }
  return out;
}

// Gradient mode: the gradient each canvas vector carries (viz/diagram.py GRADIENT_OF).
function gradientsOf(grad) {
  const g = grad.gates, out = {
    x: grad.dx, h_prev: grad.dh_prev, c_prev: grad.dc_prev, xh: [...grad.dh_prev, ...grad.dx],
    f_c_prev: grad.dc_total, i_g: grad.dc_total, c: grad.dc_total, tanh_c: grad.dtanh_c,
    h: grad.dh,
  };
  for (const n of Object.keys(g)) {
    out[n] = g[n].da;
    out[`z_${n}`] = g[n].dz;
    out[`peephole_${n}`] = g[n].dz;
  }
  return out;
}

function slotCells(slot, height) { // centres of a slot's squares, element order, SVG coords
  const out = [];
  const top = slot.y0 + slot.rows.length * slot.cell_h;
  slot.rows.forEach((n, r) => {
    for (let k = 0; k < n; k++) {
      out.push([slot.x0 + (k + 0.5) * slot.cell_w, height - (top - (r + 0.5) * slot.cell_h)]);
    }
  });
  return out;
}

function drawCanvas(inst, canvas, style) {
  const Hc = canvas.height, Y = (y) => Hc - y;
  const root = svg("svg", {
    viewBox: `0 0 ${canvas.width} ${canvas.height}`, role: "group", class: "diagram",
    "aria-label": `${canvas.cell === "gru" ? "GRU" : "LSTM"} cell diagram: every vector with its values`, preserveAspectRatio: "xMidYMin meet",
    "font-family": "Arial, Helvetica, sans-serif", "data-compact": style.compact ? "1" : null,
  });
  const defs = svg("defs", {}, root);
  const layers = {wires: svg("g", {}, root), slots: svg("g", {}, root), boxes: svg("g", {}, root),
                  labels: svg("g", {}, root), hovers: svg("g", {}, root)};
  const markers = new Map();
  const marker = (color, size) => {
    const key = `${color}${size}`;
    if (!markers.has(key)) {
      const id = `arrow${markers.size}`;
      const m = svg("marker", {id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: size,
                               markerHeight: size, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse"}, defs);
      svg("path", {d: "M0,0 L10,5 L0,10 z", fill: color}, m);
      markers.set(key, id);
    }
    return markers.get(key);
  };
  inst.parts = new Map();
  inst.cells = [];
  const remember = (item, node) => {
    if (!inst.parts.has(item.part)) inst.parts.set(item.part, []);
    inst.parts.get(item.part).push({node, id: item.id});
  };
  const hoverRect = (item, x, y, w, h, describe) => {
    const r = svg("rect", {x, y, width: w, height: h, fill: "transparent", class: "hover-target",
                           tabindex: 0, role: "img", "aria-label": item.title}, layers.hovers);
    makeHoverable(inst, r, describe);
    return r;
  };
  for (const item of canvas.items) {
    if (item.type === "wire") {
      const peep = item.role === "peephole", color = peep ? style.peephole : style.wire_color;
      const width = item.role === "state" ? style.state_wire : style.wire;
      const d = item.points.map(([x, y], k) => `${k ? "L" : "M"}${x},${Y(y)}`).join("");
      const node = svg("path", {d, fill: "none", stroke: color, "stroke-width": width,
                                "stroke-dasharray": peep ? "6 4" : null,
                                "stroke-linejoin": "round"}, layers.wires);
      if (item.arrow) node.setAttribute(inst.cfg.gradient ? "marker-start" : "marker-end", `url(#${marker(color, style.arrow * (item.role === "state" ? 1.3 : 1))})`);
      remember(item, node);
      if (item.vector) {
        const [[xa, ya], [xb, yb]] = item.points.slice(-2);
        const x0 = Math.min(xa, xb) - 7, y0 = Y(Math.max(ya, yb)) - 7;
        remember(item, hoverRect(item, x0, y0, Math.abs(xb - xa) + 14, Math.abs(yb - ya) + 14,
                                 () => tipOf(inst, item)));
      }
    } else if (item.type === "slot") {
      drawSlot(inst, item, layers.slots, style, Hc);
    } else if (item.type === "box" || item.type === "node") {
      const g = svg("g", {}, layers.boxes);
      const [w, h] = item.type === "node" ? [2 * item.r, 2 * item.r] : [item.w, item.h];
      const fill = item.type === "node" ? style.fills.node : style.fills[item.fill];
      if (item.type === "node" || item.outline === "ellipse") {
        svg("ellipse", {cx: item.x, cy: Y(item.y), rx: w / 2, ry: h / 2, fill, stroke: style.wire_color,
                        "stroke-width": style.wire}, g);
      } else {
        svg("rect", {x: item.x - w / 2, y: Y(item.y) - h / 2, width: w, height: h, fill,
                     stroke: style.wire_color, "stroke-width": style.wire}, g);
      }
      const runs = item.type === "node" ? [{text: item.symbol, style: ""}] : item.label;
      const size = item.type === "node" ? style.symbol_font : style.label_font;
      drawText(g, item.x, Y(item.y), runs, size, "center", "middle", style.ink, style);
      remember(item, g);
      remember(item, hoverRect(item, item.x - w / 2, Y(item.y) - h / 2, w, h, () => tipOf(inst, item)));
    } else if (item.type === "dot") {
      remember(item, svg("circle", {cx: item.x, cy: Y(item.y), r: 3.5, fill: style.wire_color}, layers.boxes));
    } else if (item.type === "label") {
      const size = {label: style.label_font, small: style.small_font, symbol: style.symbol_font}[item.size];
      const color = item.color === "peephole" ? style.peephole : style.ink;
      const g = svg("g", {}, layers.labels);
      const text = drawText(g, item.x, Y(item.y), item.runs, size, item.xanchor, item.yanchor, color, style);
      if (item.angle) text.setAttribute("transform", `rotate(${item.angle} ${item.x} ${Y(item.y)})`);
      if (item.boxed) inst.boxed.push(g);
      remember(item, g);
    }
  }
  return root;
}

// A label's runs as SVG text: bold, subscript, small, peephole colour, line breaks.
function drawText(parent, x, y, runs, size, xanchor, yanchor, color, style) {
  const lines = [[]];
  for (const run of runs) { if (run.style === "br") lines.push([]); else lines.at(-1).push(run); }
  const anchor = {left: "start", center: "middle", right: "end"}[xanchor];
  const text = svg("text", {x, y, "font-size": size, fill: color, "text-anchor": anchor}, parent);
  const lead = 1.2;
  // (x, y) is the bottom, middle or top of the whole block of lines
  const first = {bottom: -(lines.length - 1) * lead - 0.25, middle: -((lines.length - 1) * lead) / 2 + 0.35,
                 top: 0.8}[yanchor];
  lines.forEach((line, k) => {
    line.forEach((run, j) => {
      const span = svg("tspan", {}, text);
      if (j === 0) { span.setAttribute("x", x); span.setAttribute("dy", `${k === 0 ? first : lead}em`); }
      if (run.style === "b") span.setAttribute("font-weight", "bold");
      if (run.style === "sub") { span.setAttribute("baseline-shift", "sub"); span.setAttribute("font-size", "72%"); }
      if (run.style === "small") span.setAttribute("font-size", style.small_font);
      if (run.style === "peephole") span.setAttribute("fill", style.peephole);
      span.textContent = run.text;
    });
  });
  return text;
}

function drawSlot(inst, slot, parent, style, height) {
  const g = svg("g", {class: "slot", "data-vector": slot.vector}, parent);
  inst.parts.has(slot.part) || inst.parts.set(slot.part, []);
  inst.parts.get(slot.part).push({node: g, id: slot.id});
  const scale = slot.kind === "gate" ? inst.gateScale : inst.valueScale;
  const editable = inst.kind.EDITABLE[slot.vector];
  slotCells(slot, height).forEach(([x, y], index) => {
    const rect = svg("rect", {x: x - slot.cell_w / 2 + 1, y: y - slot.cell_h / 2 + 1,
                              width: slot.cell_w - 2, height: slot.cell_h - 2, class: "cell",
                              stroke: style.grid, "stroke-width": 1}, g);
    const text = svg("text", {x, y, "font-size": style.cell_font, "text-anchor": "middle",
                              "dominant-baseline": "central", class: "num"}, g);
    if (slot.key_values.length) {
      g.classList.add("key-strip");
      paintSvg(rect, text, scale, slot.key_values[index], 1, inst.fmt);
      return;
    }
    const cell = {slot, index, rect, text, scale, slotGroup: g};
    if (editable) makeEditable(inst, cell, rect, editable, index, null, `${VECTOR_LABEL[slot.vector]}[${index}] in the diagram`);
    else makeHoverable(inst, rect, () => tipOf(inst, slot));
    inst.cells.push(cell);
  });
  if (slot.seam !== null) {
    const [x, y] = slotCells(slot, height)[slot.seam];
    svg("line", {x1: x - slot.cell_w / 2, x2: x - slot.cell_w / 2, y1: y - slot.cell_h / 2 - 5,
                 y2: y + slot.cell_h / 2 + 5, stroke: style.ink, "stroke-width": 3}, g);
  }
}

// -- tooltips: name, formula, values (4 decimals), shape; live while shown -------------------
function tipOf(inst, item) {
  const gate = item.type === "box" && item.gate ? item.gate : (item.type === "slot" && inst.cfg.formulas[item.vector] ? item.vector : null);
  const pre = inst.model.cell === "gru" ? "pre-activation" : `z_${gate}`;
  const notes = (item.note || "").split("\n");
  if (gate && item.type === "box") {
    return {title: item.title, lines: [inst.cfg.formulas[gate], ...notes.slice(1)],
            vectors: inst.cfg.gradient ? [[`dz_${gate}`, `z_${gate}`], [`d${gate}`, gate]]
              : [[pre, `z_${gate}`], [`${gate}(t)`, gate]]};
  }
  const lines = gate ? [inst.cfg.formulas[gate]] : notes;
  if (item.shape) lines.push(`shape ${item.shape}`);
  const name = item.type === "slot" ? item.title.split(":")[0] : "values";
  return {title: item.title, lines, vectors: item.vector ? [[name, item.vector]] : []};
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
    const v = inst.vec[path];
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
  inst.dirty.set(key, inst.editSeq);
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
    try { node.setPointerCapture(ev.pointerId); } catch { /* a synthetic pointer: no capture */ }
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

// Sends every block edited since the server's last acknowledgement, not only since the last
// send: Streamlit keeps only the newest of two triggers that reach it before a rerun starts,
// so each send must carry everything still unacknowledged. A send that gets no answer is
// repeated (RESEND_MS).
function announce(inst) { // for screen readers: once the hand rests, not on every frame
  const vec = inst.vec;
  const say = (v) => `[${v.map((x) => inst.fmt(x)).join(", ")}]`;
  inst.live.textContent = inst.cfg.gradient
    ? `dx = ${say(vec.x)}, dh(t-1) = ${say(vec.h_prev)}, dc(t-1) = ${say(vec.c_prev)}`
    : inst.kind.summary(vec, inst.fmt);
}

function sync(inst) {
  clearTimeout(inst.resend);
  if (inst.drag || inst.rangeDrag) { scheduleSync(inst); return; }
  if (!inst.dirty.size) return;
  announce(inst);
  const values = {};
  for (const key of inst.dirty.keys()) values[key] = clone(blockRef(inst.model, key));
  inst.sentSeq = inst.editSeq;
  inst.send("edit", {seq: inst.editSeq, values});
  inst.resend = setTimeout(() => { if (inst.ack < inst.sentSeq) sync(inst); }, RESEND_MS);
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
  for (const [key, label] of inst.kind.VECTORS) block(inst, inputs, key, `${label}`, inst.model[key].length, null);
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
      const n = inst.cfg.gates.length;
      inst.gate = inst.cfg.gates[(k + d + n) % n].name;
      buildPanel(inst);
      redraw(inst);
      panel.querySelector('[aria-checked="true"]').focus();
    });
  }
  const g = inst.gate, P = inst.model.params;
  const {D, H} = P;
  for (const [key, label, rows, cols] of inst.kind.blocks(g, D, H, P)) block(inst, weights, key, label, rows, cols);
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
      input.addEventListener("pointerdown", () => {
        inst.rangeDrag = true; // until the pointer is released anywhere
        const release = () => { inst.rangeDrag = false; scheduleSync(inst); };
        window.addEventListener("pointerup", release, {once: true, capture: true});
        window.addEventListener("pointercancel", release, {once: true, capture: true});
      });
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
function buildList(inst, canvas, stages) {
  inst.list.replaceChildren();
  const slots = new Map(canvas.items.filter((i) => i.type === "slot").map((i) => [i.id, i]));
  for (const stage of stages) {
    const sec = el("section", {class: "stage", "data-part": stage.part}, inst.list);
    el("h4", {}, sec, stage.title);
    for (const id of stage.slots) {
      const slot = slots.get(id);
      const row = el("div", {class: "vec"}, sec);
      el("span", {class: "vec-label"}, row, slot.title.split(":")[0]);
      const cells = el("div", {class: "vec-cells"}, row);
      const editable = inst.kind.EDITABLE[slot.vector];
      slot.rows.reduce((a, b) => a + b, 0) && [...Array(slot.rows.reduce((a, b) => a + b, 0)).keys()].forEach((index) => {
        const node = el("div", {class: "lcell mono"}, cells);
        const cell = {slot, index, node, list: true,
                      scale: slot.kind === "gate" ? inst.gateScale : inst.valueScale};
        if (editable) makeEditable(inst, cell, node, editable, index, null, `${VECTOR_LABEL[slot.vector]}[${index}] in the list`);
        else makeHoverable(inst, node, () => tipOf(inst, slot));
        inst.cells.push(cell);
      });
    }
  }
}

// -- update in place -------------------------------------------------------------------------
function recompute(inst) {
  const m = inst.model;
  inst.step = inst.kind.step(m);
  const G = inst.cfg.gradient;
  if (G) { // dL/dh = h(t) - target, or as given; dL/dc(t) from step t+1
    const dh = G.kind === "target" ? inst.step.h.map((v, j) => v - G.target[j]) : G.dh;
    inst.grad = lstmStepBackward(m.params, inst.step, dh, G.dc);
  }
  inst.vec = G ? gradientsOf(inst.grad) : inst.kind.vectorsOf(inst.step);
  redraw(inst);
}

// A square's colour, and its number in the ink that reads best on it. On a dimmed slot the
// squares fade but the numbers stay fully opaque (as in the Plotly diagram).
function paintSvg(rect, text, scale, v, alpha = 1, format = fmt) {
  const rgb = scale(v);
  rect.setAttribute("fill", css(rgb));
  text.setAttribute("fill", inkOn(rgb.map((c) => 255 + (c - 255) * alpha)));
  // presenter: compact values (−.50, gradients also 4e-3) keep large type inside the squares
  if (text.ownerSVGElement?.dataset.compact !== "1") { text.textContent = format(v); return; }
  const shown = format === gfmt ? gcompact(v) : compact(v);
  text.textContent = shown;
  fitNumber(rect, text);
}

// .50, −.50, 1.2, −12 fit their square; a longer one (−4e-3, 1234) is condensed into it (once
// the diagram is on the page and shown: drawn off the page, fitKeys does it later)
function fitNumber(rect, text) {
  text.removeAttribute("textLength");
  const shown = text.textContent;
  if (!shown.includes("e") && shown.replace("\u2212", "").replace(".", "").length <= 3) return;
  const room = Number(rect.getAttribute("width")) - 3;
  if (text.getComputedTextLength() > room) {
    text.setAttribute("textLength", room);
    text.setAttribute("lengthAdjust", "spacingAndGlyphs");
  }
}

function fitKeys(inst) { // the key's squares are painted once, while the diagram is drawn
  if (inst.svgRoot?.dataset.compact !== "1") return;
  for (const rect of inst.svgRoot.querySelectorAll("g.key-strip rect.cell")) fitNumber(rect, rect.nextElementSibling);
}

function paintHtml(node, scale, v, shown = v, format = fmt) {
  const rgb = scale(v);
  node.style.background = css(rgb);
  node.style.color = inkOn(rgb);
  node.textContent = format(shown);
}

function redraw(inst) {
  const vec = inst.vec;
  for (const cell of inst.cells) {
    const v = vec[cell.slot.vector][cell.index];
    const target = cell.list ? cell.node : cell.rect;
    if (cell.list) paintHtml(cell.node, cell.scale, v, v, inst.fmt);
    else paintSvg(cell.rect, cell.text, cell.scale, v, cell.slotGroup.dataset.alpha || 1, inst.fmt);
    if (cell.edit) {  // a value-only attribute on a slider; a plain cell keeps it as data
      target.setAttribute("aria-valuenow", String(v));
      target.setAttribute("aria-valuetext", fmt(v, 4));
    } else target.dataset.value = fmt(v, 4);
  }
  for (const {input, out, key, r, c} of inst.ranges) {
    const v = getValue(inst.model, key, r, c);
    if (!inst.rangeDrag && Number(input.value) !== v) input.value = v;
    out.textContent = fmt(v);
    input.setAttribute("aria-valuetext", fmt(v, 2));
  }
  for (const {node, key, r, c} of inst.gridCells) {
    const v = getValue(inst.model, key, r, c);
    paintHtml(node, inst.valueScale, v / 4, v); // weights: colour saturates at ±4
    node.setAttribute("aria-valuenow", String(v));
    node.setAttribute("aria-valuetext", fmt(v, 2));
  }
  renderTip(inst);
  inst.frames += 1;
  inst.root.dataset.frames = String(inst.frames);
}

function applyHighlight(inst) {
  const lit = inst.cfg.highlight ? new Set(inst.cfg.highlight) : null;
  for (const [part, nodes] of inst.parts) {
    for (const {node, id} of nodes) {
      const on = !lit || part === "key" || lit.has(part) || lit.has(id);
      const alpha = on ? 1 : inst.style.dim;
      if (node.classList.contains("slot")) { // fade the squares, not the numbers
        node.dataset.alpha = String(alpha);
        for (const r of node.querySelectorAll("rect, line")) r.style.opacity = alpha;
      } else {
        node.style.opacity = alpha;
      }
    }
  }
  for (const sec of inst.list.querySelectorAll(".stage")) {
    sec.classList.toggle("dim", Boolean(lit) && !lit.has(sec.dataset.part));
  }
}

function frameBoxes(inst) { // the legend: lines aligned left, framed, inside the canvas
  for (const g of inst.boxed) {
    const text = g.querySelector("text");
    let b = text.getBBox();
    if (!b.width || g.querySelector("rect")) continue;
    text.setAttribute("text-anchor", "start");
    for (const span of text.querySelectorAll("tspan[x]")) span.setAttribute("x", b.x);
    b = text.getBBox();
    const pad = 6, over = b.x + b.width + pad + 1 - inst.canvas.width;
    if (over > 0) g.setAttribute("transform", `translate(${-over} 0)`);
    g.insertBefore(svg("rect", {x: b.x - pad, y: b.y - pad, width: b.width + 2 * pad,
                                height: b.height + 2 * pad, fill: "rgba(255,255,255,0.9)",
                                stroke: "#999999", "stroke-width": 1}), g.firstChild);
  }
}

// -- PNG export: the SVG onto a canvas, twice the size ------------------------------------------
function exportPng(inst) {
  const source = inst.svgRoot;
  const copy = source.cloneNode(true);
  copy.setAttribute("xmlns", SVG_NS);
  const [w, h] = [inst.canvas.width, inst.canvas.height];
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
      a.download = `${inst.model.cell || "lstm"}-cell.png`;
      inst.root.appendChild(a);
      a.click();
      a.remove();
      inst.root.dataset.exported = String(png.size);
    }, "image/png");
  };
  img.src = url;
}

// -- the cells the live diagram draws: the LSTM here, the GRU in ui/live/gru.js ----------------
const LSTM_KIND = Object.freeze({
  step: (m) => lstmStep(m.params, m.x, m.h, m.c),
  vectorsOf, VECTORS, EDITABLE,
  blocks: (g, D, H, P) => [[`Wx${g}`, `W_x${g}`, D, H], [`Wh${g}`, `W_h${g}`, H, H], [`b${g}`, `b_${g}`, H, null],
                           ...(P.use_peepholes && P.gates[g].w_c ? [[`p${g}`, `w_c${g}`, H, null]] : [])],
  summary: (vec, f) => `h(t) = [${vec.h.map((v) => f(v)).join(", ")}], c(t) = [${vec.c.map((v) => f(v)).join(", ")}]`,
});
const KINDS = {lstm: LSTM_KIND, gru: GRU};

// -- presenter: the whole diagram on the screen ------------------------------------------------
// The diagram may be as tall as the window below its top (at scroll 0): --fit-height.
function fitHeight(inst) {
  const root = inst.root;
  if (root.dataset.presenter !== "1") { root.style.removeProperty("--fit-height"); return; }
  const svgBox = inst.svgRoot?.getBoundingClientRect();
  if (!svgBox) return;
  let top = svgBox.top + window.scrollY;  // where the diagram starts, scrolled to the top
  for (let n = root.parentNode; n; n = n.parentNode || n.host) if (n.scrollTop) top += n.scrollTop;
  const below = root.getBoundingClientRect().bottom - svgBox.bottom;  // inside the cell, under it
  // near the top of the page: the rest of the first screen; further down: a whole screen
  const room = (top < innerHeight / 3 ? innerHeight - top : innerHeight - 16) - below - 8;
  root.style.setProperty("--fit-height", `${Math.max(240, Math.floor(room))}px`);
}

// -- mount and update --------------------------------------------------------------------------
function create(parentElement, data) {
  const root = el("div", {class: "live"}, null);
  parentElement.appendChild(root);
  const bar = el("div", {class: "bar"}, root);
  const exportButton = el("button", {type: "button", class: "export"}, bar, "Download PNG");
  const body = el("div", {class: "body"}, root);
  const panel = el("div", {class: "panel"}, body);
  const stage = el("div", {class: "stage-host"}, body);
  const list = el("div", {class: "list"}, stage);
  const tip = el("div", {class: "tip", role: "tooltip"}, root);
  tip.hidden = true;
  const live = el("div", {class: "sr-only", "aria-live": "polite"}, root);
  const inst = {root, bar, body, panel, stage, list, tip, live, svgRoot: null,
                editSeq: 0, sentSeq: 0, ack: 0, dirty: new Map(), timer: null, drag: null,
                rangeDrag: false, frames: 0, gate: null, layoutKey: null, cells: [], boxed: [],
                parts: new Map(), ranges: [], gridCells: []};
  exportButton.addEventListener("click", () => exportPng(inst));
  const ro = new ResizeObserver(() => {
    const w = root.clientWidth;
    root.dataset.layout = w < NARROW_PX ? "narrow" : w < SIDE_PX ? "medium" : "wide";
    fitHeight(inst);
    fitKeys(inst);
  });
  ro.observe(root);
  inst.onResize = () => fitHeight(inst);
  window.addEventListener("resize", inst.onResize);
  inst.ro = ro;
  return inst;
}

function receive(inst, data) {
  if (data.canvas) LAYOUTS.set(data.layout, {canvas: data.canvas, stages: data.stages});
  const layout = LAYOUTS.get(data.layout);
  if (!layout) { inst.send("need_canvas", data.layout); return; } // drawn in another module
  data = {...data, canvas: layout.canvas, stages: layout.stages};
  inst.cfg = data;
  inst.limits = data.limits;
  inst.kind = KINDS[data.cell] || LSTM_KIND;
  const server = {params: data.params, x: data.x, h: data.h, c: data.c, cell: data.cell || "lstm"};
  const sizesChanged = !inst.model || inst.model.cell !== server.cell ||
    inst.model.params.reset_after !== server.params.reset_after || inst.model.params.D !== server.params.D ||
    inst.model.params.H !== server.params.H ||
    inst.model.params.use_peepholes !== server.params.use_peepholes;
  // The server has seen every local edit: its (validated) values win. Otherwise keep ours.
  inst.ack = data.ack;
  for (const [key, seq] of inst.dirty) if (seq <= data.ack) inst.dirty.delete(key);
  const caughtUp = !inst.drag && !inst.rangeDrag && inst.dirty.size === 0 && data.ack >= inst.editSeq;
  if (!inst.model || sizesChanged || caughtUp) {
    inst.model = clone(server);
    if (data.ack > inst.editSeq) inst.editSeq = data.ack; // e.g. a new page of the same session
  }
  if (!inst.gate || !data.gates.some((g) => g.name === inst.gate)) inst.gate = data.gate || "f";
  if (data.gate_follows && data.gate && data.gate !== inst.pageGate) inst.gate = data.gate;
  inst.pageGate = data.gate; // the page's gate moved (a new step): the panel follows it once
  inst.root.dataset.presenter = data.presenter ? "1" : "0";
  inst.fmt = data.gradient ? gfmt : fmt; // how the cells print their numbers
  const layoutKey = JSON.stringify([data.canvas.key, data.style, Boolean(data.gradient)]);
  if (inst.layoutKey !== layoutKey) {
    inst.layoutKey = layoutKey;
    inst.canvas = data.canvas;
    inst.style = data.style;
    const lim = data.gradient ? data.gradient.limit : 1;
    inst.valueScale = makeScale(data.style.value_scale, -lim, lim);
    inst.gateScale = makeScale(data.style.gate_scale, 0, 1);
    inst.boxed = [];
    inst.svgRoot?.remove();
    inst.svgRoot = drawCanvas(inst, data.canvas, data.style);
    inst.stage.insertBefore(inst.svgRoot, inst.list);
    buildList(inst, data.canvas, data.stages);
    inst.panelKey = null;
  }
  const panelKey = JSON.stringify([data.controls, inst.gate, server.params.D, server.params.H,
                                   server.params.use_peepholes, data.ranges]);
  if (panelKey !== inst.panelKey || sizesChanged) { buildPanel(inst); inst.panelKey = panelKey; }
  applyHighlight(inst);
  recompute(inst);
  fitHeight(inst);
  requestAnimationFrame(() => { frameBoxes(inst); fitKeys(inst); });
  inst.root.dataset.ack = String(data.ack);
  inst.root.dataset.ready = "1";
}

export default function mountLiveCell(component) {
  const {parentElement, setTriggerValue} = component;
  const data = component.data.cell;
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
    if (inst.dirty.size) { inst.drag = null; inst.rangeDrag = false; sync(inst); }
    clearTimeout(inst.resend);
    inst.ro.disconnect();
    window.removeEventListener("resize", inst.onResize);
    INSTANCES.delete(parentElement);
  }, 0);
}
