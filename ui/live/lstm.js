// One LSTM time step in JavaScript: a mirror of lstm_core.lstm_step (Equation 14-3), so the
// live diagram can follow a drag without a server round trip. NumPy stays the authority:
// tests/browser/test_live_conformance.py holds this file to lstm_core's numbers (1e-12) on
// every intermediate, for random sizes, D != H, peepholes on and off, a forget-bias offset
// and pre-activations up to |z| = 1000.
//
// Parameters, in the book's convention (z_f = W_xf^T x + W_hf^T h + b_f):
//   {D, H, forget_bias, use_peepholes,
//    gates: {f: {W_x: D rows of H, W_h: H rows of H, b: H, w_c: H or null}, i, g, o}}
// The step returns every intermediate under the Python names (LSTMStep / GateStep).

// Gate name, activation and peephole source: lstm_core.GATES (its canonical order is i, f, g,
// o; any order with o last works, since o's peephole reads the new c(t)).
export const GATES = Object.freeze([
  Object.freeze({name: "f", activation: "sigmoid", peephole_from: "c_prev"}),
  Object.freeze({name: "i", activation: "sigmoid", peephole_from: "c_prev"}),
  Object.freeze({name: "g", activation: "tanh", peephole_from: null}),
  Object.freeze({name: "o", activation: "sigmoid", peephole_from: "c"}),
]);

// Logistic function without overflow for any finite z: exp only ever sees -|z|.
export function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

const ACTIVATIONS = {sigmoid, tanh: Math.tanh};

// W^T v for W given as rows (W[k][j]: from element k to unit j): out[j] = sum_k W[k][j] v[k].
function transposedProduct(W, v, H) {
  const out = new Array(H).fill(0);
  for (let k = 0; k < v.length; k++) {
    const row = W[k];
    const vk = v[k];
    for (let j = 0; j < H; j++) out[j] += row[j] * vk;
  }
  return out;
}

function gateStep(spec, params, x, hPrev, cPeep) {
  const H = params.H;
  const gate = params.gates[spec.name];
  const Wx_x = transposedProduct(gate.W_x, x, H);
  const Wh_h = transposedProduct(gate.W_h, hPrev, H);
  const usePeephole = Boolean(params.use_peepholes) && spec.peephole_from !== null;
  const peephole = usePeephole ? gate.w_c.map((w, j) => w * cPeep[j]) : new Array(H).fill(0);
  const offset = spec.name === "f" ? Number(params.forget_bias || 0) : 0;
  const b = gate.b.slice();
  const z = Wx_x.map((v, j) => v + Wh_h[j] + b[j] + peephole[j] + offset);
  const act = ACTIVATIONS[spec.activation];
  return {name: spec.name, Wx_x, Wh_h, b, peephole, offset, z, a: z.map(act)};
}

// One step of the cell. x has D elements, hPrev and cPrev H elements.
export function lstmStep(params, x, hPrev, cPrev) {
  const [fSpec, iSpec, gSpec, oSpec] = GATES;
  const f = gateStep(fSpec, params, x, hPrev, cPrev);
  const i = gateStep(iSpec, params, x, hPrev, cPrev);
  const g = gateStep(gSpec, params, x, hPrev, cPrev);
  const f_c_prev = f.a.map((v, j) => v * cPrev[j]);
  const i_g = i.a.map((v, j) => v * g.a[j]);
  const c = f_c_prev.map((v, j) => v + i_g[j]);
  const o = gateStep(oSpec, params, x, hPrev, c);
  const tanh_c = c.map(Math.tanh);
  const h = o.a.map((v, j) => v * tanh_c[j]);
  return {
    x: x.slice(), h_prev: hPrev.slice(), c_prev: cPrev.slice(), xh: [...hPrev, ...x],
    gates: {f, i, g, o}, f_c_prev, i_g, c, tanh_c, h,
  };
}
