// The backward pass of one LSTM step in JavaScript: a mirror of lstm_core.lstm_step_backward,
// so the live diagram's gradient mode (the "Backward pass" page) follows a drag without a
// server round trip. It is concatenated after ui/live/lstm.js (it uses GATES from there) and
// held to the core by tests/browser/test_live_conformance.py (1e-12), like the forward step.
//
// dh = dL/dh(t), dc = dL/dc(t) from step t+1; `step` is lstmStep's record. The result has
// every gradient under the Python names (LSTMStepGradient / GateGradient):
//   {dh, dc, dtanh_c, dc_from_h, dc_total, dc_prev, dh_prev, dx,
//    gates: {o|f|i|g: {da, dz, dx, dh_prev, dpeephole, dW_x, dW_h, db, dw_c}}}

// outer product v dz^T as rows: out[k][j] = v[k] * dz[j]
const outer = (v, dz) => v.map((vk) => dz.map((d) => vk * d));

// W dz for W given as rows (W[k][j]): out[k] = sum_j W[k][j] dz[j]
const product = (W, dz) => W.map((row) => row.reduce((s, w, j) => s + w * dz[j], 0));

function gateGradient(spec, params, step, da) {
  const H = params.H, gate = params.gates[spec.name], a = step.gates[spec.name].a;
  const dz = da.map((d, j) => d * (spec.activation === "sigmoid" ? a[j] * (1 - a[j]) : 1 - a[j] * a[j]));
  const peep = Boolean(params.use_peepholes) && spec.peephole_from !== null;
  const cPeep = spec.peephole_from === null ? null : step[spec.peephole_from];
  return {
    da, dz, dx: product(gate.W_x, dz), dh_prev: product(gate.W_h, dz),
    dpeephole: peep ? gate.w_c.map((w, j) => w * dz[j]) : new Array(H).fill(0),
    dW_x: outer(step.x, dz), dW_h: outer(step.h_prev, dz), db: dz.slice(),
    dw_c: spec.peephole_from === null ? null : (peep ? dz.map((d, j) => d * cPeep[j]) : new Array(H).fill(0)),
  };
}

export function lstmStepBackward(params, step, dh, dc) {
  const spec = Object.fromEntries(GATES.map((s) => [s.name, s]));
  const o = gateGradient(spec.o, params, step, dh.map((d, j) => d * step.tanh_c[j]));
  const dtanh_c = dh.map((d, j) => d * step.gates.o.a[j]);
  const dc_from_h = dtanh_c.map((d, j) => d * (1 - step.tanh_c[j] ** 2));
  const dc_total = dc.map((d, j) => d + dc_from_h[j] + o.dpeephole[j]);
  const partner = {f: step.c_prev, i: step.gates.g.a, g: step.gates.i.a}; // c = f c(t-1) + i g
  const w = {};
  for (const n of ["f", "i", "g"]) w[n] = gateGradient(spec[n], params, step, dc_total.map((d, j) => d * partner[n][j]));
  const dc_prev = dc_total.map((d, j) => d * step.gates.f.a[j] + w.f.dpeephole[j] + w.i.dpeephole[j]);
  const every = [o, w.f, w.i, w.g]; // the core's order of summation
  const sum = (field) => every.reduce((acc, g) => acc.map((v, k) => v + g[field][k]), new Array(every[0][field].length).fill(0));
  return {dh: dh.slice(), dc: dc.slice(), dtanh_c, dc_from_h, dc_total,
          gates: {o, f: w.f, i: w.i, g: w.g}, dc_prev, dh_prev: sum("dh_prev"), dx: sum("dx")};
}
