// One GRU time step in JavaScript: a mirror of lstm_core.gru_step (issue 16), so the live
// diagram of the GRU follows a drag without a server round trip. NumPy stays the authority:
// tests/browser/test_live_gru_conformance.py holds this file to lstm_core's numbers (1e-12) on
// every intermediate, for both reset placements, every size the app allows, the core's largest
// and pre-activations up to |pre| = 1000.
//
// It is not a module of its own: it follows ui/live/lstm.js in one module (the live component
// concatenates lstm.js, gru.js and cell.js) and uses lstm.js's sigmoid and transposedProduct;
// its own helpers live inside a closure, so no top-level name but the exports is added.
//
// Parameters, in the book's convention (pre_z = W_xz^T x + b_xz + W_hz^T h + b_hz):
//   {D, H, reset_after, gates: {z: {W_x: D rows of H, W_h: H rows of H, b_x: H, b_h: H}, r, g}}
// The step returns every intermediate under the Python names (GRUStep / GRUGateStep):
//   {x, h_prev, xh, reset_after, gates: {z, r, g: {Wx_x, b_x, h_in, Wh_h, b_h, Wh_h_b, rec,
//    pre, a}}, one_minus_z, z_h_prev, one_minus_z_g, h}

export const GRU = (() => {
  // Layer name, activation and whether the reset gate acts on it. Mirrors lstm_core GRU_GATES:
  // z, r, then the candidate g, which reads r.
  const GATES = Object.freeze([
    Object.freeze({name: "z", title: "update gate", activation: "sigmoid", reset: false}),
    Object.freeze({name: "r", title: "reset gate", activation: "sigmoid", reset: false}),
    Object.freeze({name: "g", title: "candidate", activation: "tanh", reset: true}),
  ]);

  // sigmoid and transposedProduct are ui/live/lstm.js's: this file is always loaded after it,
  // in one module (the live component, and the conformance test, concatenate the two).
  const ACTIVATIONS = {sigmoid, tanh: Math.tanh};

  // One layer, as lstm_core.gru.gru_layer: r (the reset gate's output) is read by the
  // candidate only, before the product (reset before) or after it (reset_after).
  function layer(spec, gate, x, hPrev, r, resetAfter, H) {
    const before = spec.reset && !resetAfter;
    const after = spec.reset && resetAfter;
    const h_in = before ? hPrev.map((v, j) => r[j] * v) : hPrev.slice();
    const Wx_x = transposedProduct(gate.W_x, x, H);
    const Wh_h = transposedProduct(gate.W_h, h_in, H);
    const b_x = gate.b_x.slice();
    const b_h = gate.b_h.slice();
    const Wh_h_b = Wh_h.map((v, j) => v + b_h[j]);
    const rec = after ? Wh_h_b.map((v, j) => r[j] * v) : Wh_h_b.slice();
    const pre = Wx_x.map((v, j) => v + b_x[j] + rec[j]);
    return {name: spec.name, Wx_x, b_x, h_in, Wh_h, b_h, Wh_h_b, rec, pre,
            a: pre.map(ACTIVATIONS[spec.activation])};
  }

  // One step of the GRU. x has D elements, hPrev H elements.
  function gruStep(params, x, hPrev) {
    const H = params.H;
    const resetAfter = Boolean(params.reset_after);
    const gates = {};
    for (const spec of GATES) {
      const r = spec.reset ? gates.r.a : null;
      gates[spec.name] = layer(spec, params.gates[spec.name], x, hPrev, r, resetAfter, H);
    }
    const z = gates.z.a, g = gates.g.a;
    const one_minus_z = z.map((v) => 1 - v);
    const z_h_prev = z.map((v, j) => v * hPrev[j]);
    const one_minus_z_g = one_minus_z.map((v, j) => v * g[j]);
    const h = z_h_prev.map((v, j) => v + one_minus_z_g[j]);
    return {x: x.slice(), h_prev: hPrev.slice(), xh: [...hPrev, ...x], reset_after: resetAfter,
            gates, one_minus_z, z_h_prev, one_minus_z_g, h};
  }

  // Every vector a slot, box, node or wire of the GRU canvas (viz.canvas.gru_canvas) carries,
  // by its canvas name (as viz.gru_diagram.gru_values); a layer's pre-activation as z_<name>,
  // the name the live cell's hover uses for the LSTM's.
  function vectorsOf(step) {
    const out = {x: step.x, h_prev: step.h_prev, xh: step.xh, z_h_prev: step.z_h_prev,
                 one_minus_z: step.one_minus_z, one_minus_z_g: step.one_minus_z_g, h: step.h,
                 Wh_h_b: step.gates.g.Wh_h_b, h_in: step.gates.g.h_in, rec: step.gates.g.rec};
    for (const n of Object.keys(step.gates)) {
      out[n] = step.gates[n].a;
      out[`z_${n}`] = step.gates[n].pre;
    }
    return out;
  }

  // What the live cell needs to edit the GRU: the editable vectors (link keys x, h), the
  // weight blocks of one layer (link keys gWx<n>, gWh<n>, gbx<n>, gbh<n>) and where they live.
  const VECTORS = [["x", "x(t)"], ["h", "h(t-1)"]];
  const EDITABLE = {x: "x", h_prev: "h"}; // slot vector -> link key of its values
  const FIELDS = {gWx: "W_x", gWh: "W_h", gbx: "b_x", gbh: "b_h"};

  function blocks(g, D, H) {
    return [[`gWx${g}`, `W_x${g}`, D, H], [`gWh${g}`, `W_h${g}`, H, H],
            [`gbx${g}`, `b_x${g}`, H, null], [`gbh${g}`, `b_h${g}`, H, null]];
  }

  function blockRef(model, key) {
    if (key === "x" || key === "h") return model[key];
    const field = FIELDS[key.slice(0, -1)];
    const gate = model.params.gates[key.slice(-1)];
    return field && gate ? gate[field] : undefined;
  }

  function summary(vec, fmt) {
    return `h(t) = [${vec.h.map((v) => fmt(v)).join(", ")}]`;
  }

  return Object.freeze({GATES, gruStep, vectorsOf, VECTORS, EDITABLE, blocks, blockRef,
                        summary, step: (m) => gruStep(m.params, m.x, m.h)});
})();

export const gruStep = GRU.gruStep;
