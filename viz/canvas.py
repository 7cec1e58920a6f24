"""The cell canvas: where every part of the book's Figure 14-13 sits, as plain data.

`lstm_canvas(D, H, use_peepholes)` returns a `Canvas`: frozen dataclasses giving the position of
every box, wire, node, dot, label and vector slot of one LSTM time step, with no values and no
drawing library (no Plotly here). `viz.diagram` draws the live values onto it with Plotly; a
browser-side renderer can draw the same canvas from `Canvas.to_dict()` (JSON-serialisable).

Coordinates. "Nominal pixels" on a `width` x `height` canvas (1040 x 540), origin bottom-left,
**y up** (an SVG renderer maps y to `height - y`). Keep the aspect ratio locked so squares stay
square. Points are `[x, y]`.

Ids. Every item has a stable string `id` and belongs to one `part`:

    parts (in the order the cell computes them; the walkthrough highlights these):
      inputs, concat, forget, input, candidate, cell_update, output, h_out; and key (legend)
    slot.<vector>   a vector drawn as a strip of squares; <vector> is one of
                    c_prev, h_prev, x, xh, i, f, g, o, f_c_prev, i_g, c, tanh_c, h, and
                    key_value, key_gate (colour keys with fixed `key_values`)
    box.<g>         the fully connected layer of gate g in i, f, g, o (`gate` = g);
                    box.concat (the ‖ junction), box.tanh (the tanh of c(t))
    node.<op>       ⊗ / ⊕: node.forget_mul, node.input_mul, node.add, node.output_mul
    wire.<name>     c_prev, h_prev, x (inputs); concat, bus, bus_<g> (the stacked vector
                    to each layer); <g> (a layer's output to its node); kept, written, c,
                    c_copy, tanh, h, y; peep_i, peep_f, peep_o (peephole wires, only with
                    use_peepholes)
    dot.<name>      junction dots: bus, c_copy, h_split; peep_i, peep_f, peep_o
    label.<name>    text: the slot's vector name for slot labels (label.c_prev ...), and
                    label.c_exit, label.h_exit, label.y_exit, label.h_y, label.peephole,
                    label.key_value, label.key_gate, label.legend

`Canvas.to_dict()`:

    {"width": 1040, "height": 540, "D": 2, "H": 2, "use_peepholes": false,
     "parts": ["inputs", ...], "items": [{"type": "wire", "id": "wire.c_prev", ...}, ...]}

`items` are in drawing order (back to front within each kind). Item fields by `type`:

    wire   points [[x, y], ...]; role "state" (the c line, drawn thicker) | "wire" |
           "peephole" (dashed); arrow (an arrowhead at the last point); title, note, shape,
           vector (hover text and the vector whose values it carries; "" when none)
    slot   vector; kind "value" (diverging scale, clipped to [-1, 1]) | "gate" ([0, 1]);
           x0, y0 (bottom-left corner), cell_w, cell_h; rows: element counts per row, top
           row first (a vector fills its rows in order: row 1 holds elements 0..rows[0]-1);
           seam: draw a seam after this many elements of the single row (the boundary
           between h(t-1) and x(t) in the concatenation), or null; title, note, shape: the
           hover head; key_values: fixed values of a colour key, else []
    box    x, y (centre), w, h; outline "rect" | "ellipse"; fill "layer" | "junction" |
           "node"; gate (for a layer box, else ""); label (runs); title, note, shape, vector
    node   x, y (centre), r; symbol "×" or "+"; title, note, shape, vector
    dot    x, y
    label  x, y; runs [{"text", "style"}]: style "" (plain), "b" (bold), "sub" (subscript),
           "small" (small font), "peephole" (peephole colour), "br" (line break; text "");
           size "label" | "small" | "symbol"; xanchor "left" | "center" | "right";
           yanchor "bottom" | "middle" | "top" (which side of the text sits on (x, y));
           angle (degrees, counter-clockwise); boxed (framed, like the legend);
           color "ink" | "peephole" (the whole label)

The GRU's canvas, `gru_canvas(D, H, reset_after)`, uses the same item types and fields (its
ids are listed beside it, at the end of this module); `to_dict()` gives "cell": "gru" and its
"reset_after"; a node's symbol may also be "1−".

Notes (`note`) may hold line breaks as "\\n". Text is plain Unicode: render it as text, not
HTML.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from lstm_core import GATES

# -- geometry (nominal pixels, y up) -------------------------------------------------------------
W, HT = 1040, 540
CW, CH = 34, 24  # one vector element
R = 17  # radius of ⊗ / ⊕ nodes
BOX_W, BOX_H = 92, 46
MAX_ROW = 5  # longer vectors wrap onto two rows

Y_C = 480  # long-term state line: c(t-1) → ⊗ → ⊕ → c(t)
Y_TANH = 440
Y_IG = 372  # input ⊗ (i ⊗ g)
Y_OUT = 330  # output ⊗
Y_BOX = 200
Y_BUS = 150  # [h(t-1); x(t)] fans out to the four layers
Y_HX = 100  # h(t-1) and the concatenated vector
Y_X = 35  # x(t)
BOX_TOP = Y_BOX + BOX_H / 2

X_IN = 92  # centre of the c(t-1) and h(t-1) strips
X_F, X_ADD, X_OUT = 225, 500, 800  # forget ⊗; ⊕ and input ⊗; tanh, output ⊗ and the o layer
X_J = 215  # concatenation junction
X_SPLIT = 1005  # h(t) goes right, y(t) goes up
X_PEEP_IN, X_PEEP_OUT, Y_PEEP = 189, 763, 234

# where each layer sits, the side of its wire its vector is drawn on, the height of that vector
# and the path of its output wire (from the top of the box to the node it controls)
GATE_PLACES = {
    "f": dict(x=X_F, side="right", y=330, path=[(X_F, Y_C - R)]),
    "g": dict(x=425, side="left", y=268, path=[(425, Y_IG), (X_ADD - R, Y_IG)]),
    "i": dict(x=575, side="right", y=330, path=[(575, Y_IG), (X_ADD + R, Y_IG)]),
    "o": dict(x=X_OUT, side="right", y=(BOX_TOP + Y_OUT - R) / 2, path=[(X_OUT, Y_OUT - R)]),
}
GATE_PART = {"f": "forget", "i": "input", "g": "candidate", "o": "output"}
PARTS = ("inputs", "concat", "forget", "input", "candidate", "cell_update", "output", "h_out")
KEY = "key"  # the colour keys and the legend: never dimmed
ACTIVATION_SYMBOL = {"sigmoid": "σ", "tanh": "tanh"}
KEY_RAMP = (-1.0, -0.5, 0.0, 0.5, 1.0)

Point = tuple[float, float]


# -- items ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """A piece of a label's text with one style (see the module docstring)."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Wire:
    id: str
    part: str
    points: tuple[Point, ...]
    role: str = "wire"  # "state" | "wire" | "peephole"
    arrow: bool = True
    title: str = ""
    note: str = ""
    shape: str = ""
    vector: str = ""


@dataclass(frozen=True)
class Slot:
    id: str
    part: str
    vector: str
    kind: str  # "value" | "gate"
    x0: float
    y0: float
    rows: tuple[int, ...]  # element counts, top row first
    title: str
    note: str = ""
    shape: str = ""
    seam: int | None = None
    key_values: tuple[float, ...] = ()
    cell_w: float = CW
    cell_h: float = CH

    @property
    def x1(self) -> float:
        return self.x0 + max(self.rows) * self.cell_w

    @property
    def y1(self) -> float:
        return self.y0 + len(self.rows) * self.cell_h


@dataclass(frozen=True)
class _At:
    """An item placed at one point: its centre (box, node, dot) or anchor (label)."""

    id: str
    part: str
    x: float
    y: float


@dataclass(frozen=True)
class Box(_At):
    w: float
    h: float
    label: tuple[Run, ...]
    outline: str = "rect"  # "rect" | "ellipse"
    fill: str = "layer"  # "layer" | "junction" | "node"
    gate: str = ""
    title: str = ""
    note: str = ""
    shape: str = ""
    vector: str = ""


@dataclass(frozen=True)
class Node(_At):
    symbol: str  # "×" | "+"
    title: str
    note: str
    shape: str
    vector: str
    r: float = R


@dataclass(frozen=True)
class Dot(_At):
    pass


@dataclass(frozen=True)
class Label(_At):
    runs: tuple[Run, ...]
    size: str = "label"  # "label" | "small" | "symbol"
    xanchor: str = "center"
    yanchor: str = "middle"
    angle: float = 0.0
    boxed: bool = False
    color: str = "ink"  # "ink" | "peephole"


Item = Wire | Slot | Box | Node | Dot | Label


@dataclass(frozen=True)
class Canvas:
    D: int
    H: int
    use_peepholes: bool
    items: tuple[Item, ...]
    width: float = W
    height: float = HT
    parts: tuple[str, ...] = field(default=PARTS)
    cell: str = "lstm"  # "lstm" | "gru" (gru_canvas)
    reset_after: bool = True  # the GRU's reset placement (the LSTM has none)

    def __post_init__(self):
        ids = [item.id for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("canvas item ids must be unique")

    def get(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def of(self, kind: type) -> tuple[Item, ...]:
        return tuple(item for item in self.items if isinstance(item, kind))

    def to_dict(self) -> dict:
        """JSON-serialisable: plain dicts, lists, strings, numbers, booleans and None."""
        return {"width": self.width, "height": self.height, "D": self.D, "H": self.H,
                "use_peepholes": self.use_peepholes, "parts": list(self.parts),
                "cell": self.cell, "reset_after": self.reset_after,
                "items": [_item_dict(item) for item in self.items]}


def _item_dict(item: Item) -> dict:
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return {"type": type(item).__name__.lower(), **plain(asdict(item))}


# -- text helpers ----------------------------------------------------------------------------
def sym(name: str, t: str = "t") -> tuple[Run, ...]:
    """A vector's name as the book typesets it: bold letter, time step as a subscript."""
    return Run(name, "b"), Run(f"({t.replace('-', '−')})", "sub")


def row_lengths(n: int) -> tuple[int, ...]:
    """One row, or two when the vector is longer than MAX_ROW (the first one longer)."""
    if n <= MAX_ROW:
        return (n,)
    half = -(-n // 2)
    return half, n - half


def gate_formula(name: str, activation: str, peephole_from: str | None,
                 offset: float = 0.0) -> str:
    """"f(t) = σ(W_xfᵀ·x(t) + W_hfᵀ·h(t-1) + b_f [+ w_cf ⊗ c(t-1)] [+ 1 (forget bias)])"."""
    terms = [f"W_x{name}ᵀ·x(t)", f"W_h{name}ᵀ·h(t-1)", f"b_{name}"]
    if peephole_from:
        terms.append(f"w_c{name} ⊗ {'c(t-1)' if peephole_from == 'c_prev' else 'c(t)'}")
    if offset:
        terms.append(f"{offset:g} (forget bias)")
    return f"{name}(t) = {ACTIVATION_SYMBOL[activation]}({' + '.join(terms)})"


class _Builder:
    """Collects items in drawing order."""

    def __init__(self):
        self.items: list[Item] = []

    def add(self, item: Item) -> Item:
        self.items.append(item)
        return item

    def slot(self, vector: str, part: str, rows: tuple[int, ...], title: str, note: str,
             shape: str, *, cy: float, cx: float | None = None, left: float | None = None,
             kind: str = "value", seam: int | None = None, key_values=()) -> Slot:
        width, height = max(rows) * CW, len(rows) * CH
        x0 = cx - width / 2 if left is None else left
        return self.add(Slot(f"slot.{vector}", part, vector, kind, x0, cy - height / 2, rows,
                             title, note, shape, seam, tuple(key_values)))

    def label(self, name: str, part: str, x: float, y: float, runs, **extra) -> Label:
        return self.add(Label(f"label.{name}", part, x, y, tuple(runs), **extra))

    def caption(self, slot: Slot, runs, **extra) -> Label:
        """The slot's label, just above its top-left corner."""
        return self.label(slot.vector, slot.part, slot.x0, slot.y1 + 2, runs, xanchor="left",
                          yanchor="bottom", **extra)

    def layer_box(self, name: str, part: str, x: float, y: float, title: str,
                  activation: str, note: str) -> Box:
        """A fully connected layer: its activation's symbol over "<name>: <title>"."""
        return self.add(Box(f"box.{name}", part, x, y, BOX_W, BOX_H,
                            (Run(ACTIVATION_SYMBOL[activation], "b"), Run("", "br"),
                             Run(f"{name}: {title}", "small")),
                            gate=name, title=f"{title}: fully connected layer ({activation})",
                            note=note, vector=name))


def _previous_state(b: _Builder, name: str, H: int, y: float, title: str, caption) -> None:
    """A state from the previous time step, drawn on the left at height y, captioned."""
    s = b.slot(name, "inputs", row_lengths(H), title, "from the previous time step",
               f"(H,) = ({H},)", cx=X_IN, cy=y)
    b.caption(s, (*sym(name[0], "t-1"), Run(caption)))


def _x_input(b: _Builder, D: int) -> None:
    """x(t), coming up from below into the ‖ junction (both cells)."""
    b.add(Wire("wire.x", "inputs", ((X_J, 0), (X_J, Y_HX - 36))))
    b.slot("x", "inputs", row_lengths(D), "x(t): input at this time step", "given",
           f"(D,) = ({D},)", left=X_J + 12, cy=Y_X)
    b.label("x", "inputs", X_J - 8, Y_X, sym("x"), xanchor="right")


def _inputs(b: _Builder, D: int, H: int) -> None:
    b.add(Wire("wire.c_prev", "inputs", ((0, Y_C), (X_F - R, Y_C)), role="state"))
    _previous_state(b, "c_prev", H, Y_C, "c(t-1): previous long-term state",
                    "  long-term state")
    b.add(Wire("wire.h_prev", "inputs", ((0, Y_HX), (X_J - 11, Y_HX))))
    _previous_state(b, "h_prev", H, Y_HX, "h(t-1): previous short-term state",
                    "  short-term state")
    _x_input(b, D)


def _junction(b: _Builder, D: int, H: int) -> float:
    """The ‖ junction and the stacked [h(t-1); x(t)] (both cells); returns the x of the riser
    that takes the stack up to the bus."""
    part, n = "concat", H + D
    b.add(Box("box.concat", part, X_J, Y_HX, 22, 72, (Run("‖", "b"),), fill="junction",
              title="‖ concatenation [h(t-1); x(t)]",
              note=(f"stack h(t-1) (H,) on top of x(t) (D,)\n→ one vector of shape (H+D,) = "
                    f"({n},)\nnot an addition: nothing is summed"), vector="xh"))
    rows, seam = ((n,), H) if n <= 6 else ((H, D), None)
    left = X_J + 30
    riser = max(474.0, left + max(rows) * CW + 25)
    b.add(Wire("wire.concat", part, ((X_J + 11, Y_HX), (riser, Y_HX), (riser, Y_BUS)),
               arrow=False))
    s = b.slot("xh", part, rows, "[h(t-1); x(t)]: h(t-1) and x(t) stacked",
               "concatenation (‖), not addition", f"(H+D,) = ({n},)", left=left, cy=Y_HX,
               seam=seam)
    b.label("xh", part, s.x0, s.y1 + 3,
            (Run("[h"), Run("(t−1)", "sub"), Run("; x"), Run("(t)", "sub"),
             Run(f"]  (H+D,) = ({n},)")), size="small", xanchor="left", yanchor="bottom")
    return riser


def _concat(b: _Builder, D: int, H: int) -> None:
    part = "concat"
    riser = _junction(b, D, H)
    b.add(Wire("wire.bus", part, ((X_F, Y_BUS), (X_OUT, Y_BUS)), arrow=False))
    b.add(Dot("dot.bus", part, riser, Y_BUS))
    for spec in GATES:
        x = GATE_PLACES[spec.name]["x"]
        b.add(Wire(f"wire.bus_{spec.name}", part, ((x, Y_BUS), (x, Y_BOX - BOX_H / 2))))


def _gates(b: _Builder, D: int, H: int, peepholes: bool) -> None:
    for spec in GATES:
        n, place, part = spec.name, GATE_PLACES[spec.name], GATE_PART[spec.name]
        x = place["x"]
        formula = gate_formula(n, spec.activation, peepholes and spec.peephole_from)
        symbol = ACTIVATION_SYMBOL[spec.activation]
        b.layer_box(n, part, x, Y_BOX, spec.title, spec.activation,
                    f"{formula}\n= {symbol}(W_{n}ᵀ·[h(t-1); x(t)] + b_{n}) with W_{n} = "
                    f"[W_h{n}; W_x{n}]\nW_x{n} (D, H) = ({D}, {H}), W_h{n} (H, H) = "
                    f"({H}, {H}), b_{n} (H,)")
        b.add(Wire(f"wire.{n}", part, ((x, BOX_TOP), *place["path"])))
        rows = row_lengths(H)
        width = max(rows) * CW
        left = x + 12 if place["side"] == "right" else x - 12 - width
        b.slot(n, part, rows, f"{n}(t): {spec.title}", formula, f"(H,) = ({H},)",
               left=left, cy=place["y"], kind="gate" if spec.activation == "sigmoid" else "value")
        # the name goes on the other side of the wire, clear of the neighbouring wires
        right = place["side"] == "left"
        b.label(n, part, x + (6 if right else -6), place["y"], sym(n),
                xanchor="left" if right else "right")
    if peepholes:
        _peepholes(b)


def _peepholes(b: _Builder) -> None:
    i_x = GATE_PLACES["i"]["x"] - BOX_W / 2 + 14
    routes = {
        "f": ((X_PEEP_IN, Y_C), (X_PEEP_IN, BOX_TOP)),
        "i": ((X_PEEP_IN, Y_PEEP), (i_x, Y_PEEP), (i_x, BOX_TOP)),
        "o": ((X_PEEP_OUT, Y_C), (X_PEEP_OUT, BOX_TOP)),
    }
    titles = {spec.name: spec.title for spec in GATES}
    for name, points in routes.items():
        source = "c(t)" if name == "o" else "c(t-1)"
        b.add(Wire(f"wire.peep_{name}", GATE_PART[name], points, role="peephole",
                   title=f"peephole: {source} → {titles[name]}",
                   note=f"adds w_c{name} ⊗ {source} inside the {name} layer", shape="(H,)",
                   vector=f"peephole_{name}"))
    b.add(Dot("dot.peep_f", "forget", X_PEEP_IN, Y_C))
    b.add(Dot("dot.peep_i", "input", X_PEEP_IN, Y_PEEP))
    b.add(Dot("dot.peep_o", "output", X_PEEP_OUT, Y_C))
    b.label("peephole", "forget", X_PEEP_IN - 4, (Y_C + Y_PEEP) / 2 + 60,
            (Run("peephole"),), size="small", xanchor="right", angle=-90.0, color="peephole")


def _cell_update(b: _Builder, H: int) -> None:
    part, shape = "cell_update", f"(H,) = ({H},)"
    c_formula = "c(t) = f(t) ⊗ c(t-1) + i(t) ⊗ g(t)"
    b.add(Node("node.forget_mul", part, X_F, Y_C, "×", "⊗ forget: f(t) ⊗ c(t-1)",
               "multiply element-wise: keep what the forget gate lets through", shape,
               "f_c_prev"))
    b.add(Wire("wire.kept", part, ((X_F + R, Y_C), (X_ADD - R, Y_C)), role="state"))
    s = b.slot("f_c_prev", part, row_lengths(H), "f(t) ⊗ c(t-1): what is kept",
               "multiply element-wise", shape, cx=(X_F + X_ADD) / 2, cy=Y_C)
    b.caption(s, (*sym("f"), Run(" ⊗ "), *sym("c", "t-1")), size="small")
    b.add(Node("node.input_mul", part, X_ADD, Y_IG, "×", "⊗ input: i(t) ⊗ g(t)",
               "multiply element-wise: the part of g the input gate lets in", shape, "i_g"))
    b.add(Wire("wire.written", part, ((X_ADD, Y_IG + R), (X_ADD, Y_C - R))))
    s = b.slot("i_g", part, row_lengths(H), "i(t) ⊗ g(t): what is written",
               "multiply element-wise", shape, left=X_ADD + 12, cy=(Y_IG + Y_C) / 2)
    b.label("i_g", part, s.x1 + 4, (s.y0 + s.y1) / 2, (*sym("i"), Run(" ⊗ "), *sym("g")),
            xanchor="left", size="small")
    b.add(Node("node.add", part, X_ADD, Y_C, "+", "⊕ add element-wise: c(t)", c_formula,
               shape, "c"))
    b.add(Wire("wire.c", part, ((X_ADD + R, Y_C), (W, Y_C)), role="state"))
    s = b.slot("c", part, row_lengths(H), "c(t): new long-term state", c_formula, shape,
               cx=(X_ADD + R + X_PEEP_OUT) / 2, cy=Y_C)
    b.caption(s, (*sym("c"), Run("  new long-term state")))
    b.label("c_exit", part, W - 2, Y_C - 5, sym("c"), xanchor="right", yanchor="top")


def _h_out(b: _Builder, H: int) -> None:
    part, shape = "h_out", f"(H,) = ({H},)"
    squash = "squash a copy of c(t) into (-1, 1)"
    b.add(Dot("dot.c_copy", part, X_OUT, Y_C))
    b.add(Wire("wire.c_copy", part, ((X_OUT, Y_C), (X_OUT, Y_TANH + 13))))
    b.add(Box("box.tanh", part, X_OUT, Y_TANH, 46, 26, (Run("tanh"),), outline="ellipse",
              fill="node", title="tanh(c(t))", note=squash, shape=shape, vector="tanh_c"))
    b.add(Wire("wire.tanh", part, ((X_OUT, Y_TANH - 13), (X_OUT, Y_OUT + R))))
    b.slot("tanh_c", part, row_lengths(H), "tanh(c(t))", squash, shape, left=X_OUT + 12,
           cy=(Y_TANH - 13 + Y_OUT + R) / 2)
    b.label("tanh_c", part, X_OUT + 30, Y_TANH, (Run("tanh("), *sym("c"), Run(")")),
            xanchor="left", size="small")
    formula = "h(t) = y(t) = o(t) ⊗ tanh(c(t))"
    b.add(Node("node.output_mul", part, X_OUT, Y_OUT, "×", "⊗ output: o(t) ⊗ tanh(c(t))",
               formula, shape, "h"))
    b.add(Wire("wire.h", part, ((X_OUT + R, Y_OUT), (W, Y_OUT))))
    b.add(Wire("wire.y", part, ((X_SPLIT, Y_OUT), (X_SPLIT, HT))))
    b.add(Dot("dot.h_split", part, X_SPLIT, Y_OUT))
    s = b.slot("h", part, row_lengths(H), "h(t) = y(t): new short-term state and output",
               formula, shape, cx=(X_OUT + R + X_SPLIT) / 2, cy=Y_OUT)
    if len(s.rows) == 1:  # two rows leave no room above the o(t) strip; the exits are labelled
        b.label("h_y", part, (s.x0 + s.x1) / 2, s.y0 - 2, (*sym("h"), Run(" = "), *sym("y")),
                yanchor="top", size="small")
    b.label("h_exit", part, W - 2, Y_OUT - 4, sym("h"), xanchor="right", yanchor="top")
    b.label("y_exit", part, X_SPLIT - 6, HT - 2, sym("y"), xanchor="right", yanchor="top")


def _colour_keys(b: _Builder, left: float) -> None:
    """The two colour keys (values, gates), bottom middle."""
    for kind, values, cy, caption in (
            ("value", KEY_RAMP, 96, "values: −1 … 0 … +1 (clipped)"),
            ("gate", tuple((v + 1) / 2 for v in KEY_RAMP), 30, "gates: 0 closed … 1 open")):
        s = b.slot(f"key_{kind}", KEY, (len(values),), f"colour key for {kind}s", "", "",
                   left=left, cy=cy, kind=kind, key_values=values)
        b.caption(s, (Run(caption),), size="small")


LEGEND_OPS = ((Run("‖", "b"), Run("  concatenate (stack)")),
              (Run("⊕", "b"), Run("  add element-wise")),
              (Run("⊗", "b"), Run("  multiply element-wise")))
LEGEND_LAYER = (Run("σ", "b"), Run(" / "), Run("tanh", "b"), Run("  fully connected layer"))


def _legend(b: _Builder, *entries: tuple[Run, ...]) -> None:
    """The symbol legend, bottom right: one line per entry (a symbol and what it means)."""
    runs = list(entries[0])
    for entry in entries[1:]:
        runs += [Run("", "br"), *entry]
    b.label("legend", KEY, W - 4, 6, tuple(runs), size="small", xanchor="right",
            yanchor="bottom", boxed=True)


def _key(b: _Builder) -> None:
    """Colour keys and the symbol legend (bottom right)."""
    _colour_keys(b, 600)
    _legend(b, *LEGEND_OPS, LEGEND_LAYER,
            (Run("- - -", "peephole"), Run("  peephole (when on)")))


def lstm_canvas(D: int, H: int, use_peepholes: bool = False) -> Canvas:
    """Where everything of one time step sits, for D inputs and H units (any sizes ≥ 1; the
    layout is made for up to 8 of each)."""
    if D < 1 or H < 1:
        raise ValueError(f"D and H must be at least 1, got D={D}, H={H}")
    b = _Builder()
    _inputs(b, D, H)
    _concat(b, D, H)
    _gates(b, D, H, use_peepholes)
    _cell_update(b, H)
    _h_out(b, H)
    _key(b)
    return Canvas(D, H, bool(use_peepholes), tuple(b.items))


# -- the GRU (issue 16) ---------------------------------------------------------------------
# The GRU has one state, h, on the top line: h(t-1) → ⊗ z → ⊕ → h(t). A copy of h(t-1) drops
# into the ‖ junction with x(t); the stack feeds the update gate z and the reset gate r. The
# candidate is drawn as a column of two stages, the reset ⊗ and the recurrent product
# W_hgᵀ·(·) + b_hg, whose order is the reset placement: product then ⊗ (reset_after, PyTorch and
# Keras' default) or ⊗ then product (before: the original cell and the book); the column's
# result enters the candidate's tanh layer, which adds W_xgᵀ·x(t) + b_xg. z goes up to the
# keep ⊗ and through the 1− node to the write ⊗: h(t) = z ⊗ h(t-1) + (1 − z) ⊗ g.
#
# GRU ids: parts inputs, concat, update, reset, candidate, h_update, key;
#   slot.<v> for v in h_prev, x, xh, z, r, g, z_h_prev, one_minus_z, one_minus_z_g, h
#   box.concat, box.z, box.r, box.g (layers; gate = the letter), box.gh (the recurrent product
#   of the candidate, fill "node"); node.keep, node.one_minus (symbol "1−"), node.write,
#   node.add, node.reset_mul; wire.h_prev, h_down, x, concat, bus, bus_z, bus_r, bus_col
#   (h(t-1) to the candidate column), bus_g (x(t) to the candidate's layer), z, z_branch,
#   one_minus, r, col_mid (between the column's two stages), rec (the recurrent term into g),
#   g, kept, written, h, y; dot.h_down, bus, z_split, h_split; labels as in the LSTM.
GRU_PARTS = ("inputs", "concat", "update", "reset", "candidate", "h_update")
GY_WRITE, GY_HI, GY_LO = 410, 322, 262  # the 1 − z line; the candidate column's two stages
GX_Z, GX_OM, GX_R, GX_COL, GX_G, GX_SPLIT = 330, 500, 575, 690, 810, 1015
GRU_PLACES = {"z": GX_Z, "r": GX_R, "g": GX_G}
GRU_PART = {"z": "update", "r": "reset", "g": "candidate"}


def gru_formula(name: str, reset_after: bool) -> str:
    """"z(t) = σ(W_xzᵀ·x(t) + b_xz + W_hzᵀ·h(t-1) + b_hz)" and the candidate's two forms."""
    if name != "g":
        return (f"{name}(t) = σ(W_x{name}ᵀ·x(t) + b_x{name} + W_h{name}ᵀ·h(t-1) "
                f"+ b_h{name})")
    if reset_after:
        return "g(t) = tanh(W_xgᵀ·x(t) + b_xg + r(t) ⊗ (W_hgᵀ·h(t-1) + b_hg))"
    return "g(t) = tanh(W_xgᵀ·x(t) + b_xg + W_hgᵀ·(r(t) ⊗ h(t-1)) + b_hg)"


def _gru_inputs(b: _Builder, D: int, H: int) -> None:
    part = "inputs"
    b.add(Wire("wire.h_prev", part, ((0, Y_C), (GX_Z - R, Y_C)), role="state"))
    _previous_state(b, "h_prev", H, Y_C, "h(t-1): previous state (the GRU's only one)",
                    "  state")
    b.add(Dot("dot.h_down", part, X_J, Y_C))
    b.add(Wire("wire.h_down", part, ((X_J, Y_C), (X_J, Y_HX + 36))))
    _x_input(b, D)


def _gru_concat(b: _Builder, D: int, H: int, column_bottom: float) -> None:
    part = "concat"
    riser = _junction(b, D, H)
    b.add(Wire("wire.bus", part, ((GX_Z, Y_BUS), (GX_G, Y_BUS)), arrow=False))
    b.add(Dot("dot.bus", part, riser, Y_BUS))
    for name in ("z", "r"):
        x = GRU_PLACES[name]
        b.add(Wire(f"wire.bus_{name}", part, ((x, Y_BUS), (x, Y_BOX - BOX_H / 2))))
    b.add(Wire("wire.bus_col", "candidate", ((GX_COL, Y_BUS), (GX_COL, column_bottom)),
               title="h(t-1): the state half of the stack", shape=f"(H,) = ({H},)",
               note="the candidate's recurrent path reads h(t-1) alone", vector="h_prev"))
    b.add(Wire("wire.bus_g", "candidate", ((GX_G, Y_BUS), (GX_G, GY_HI - BOX_H / 2)),
               title="x(t): the input half of the stack", shape=f"(D,) = ({D},)",
               note="the candidate's layer adds W_xgᵀ·x(t) + b_xg", vector="x"))


def _gru_gate(b: _Builder, name: str, D: int, H: int, reset_after: bool) -> None:
    """A layer box (z, r or the candidate's tanh) and its slot."""
    spec_title = {"z": "update gate", "r": "reset gate", "g": "candidate"}[name]
    act = "tanh" if name == "g" else "sigmoid"
    y = GY_HI if name == "g" else Y_BOX
    formula = gru_formula(name, reset_after)
    reads = ("adds the reset-scaled recurrent term from the left" if name == "g" else
             f"= σ(W_{name}ᵀ·[h(t-1); x(t)] + b_{name}) with W_{name} = [W_h{name}; W_x{name}]")
    b.layer_box(name, GRU_PART[name], GRU_PLACES[name], y, spec_title, act,
                f"{formula}\n{reads}\nW_x{name} (D, H) = ({D}, {H}), W_h{name} (H, H) = "
                f"({H}, {H}), b_x{name}, b_h{name} (H,)")


def _gru_layers(b: _Builder, D: int, H: int, reset_after: bool) -> None:
    shape = f"(H,) = ({H},)"
    rows = row_lengths(H)
    width = max(rows) * CW
    # update gate: up to the keep ⊗, and through 1− to the write ⊗
    _gru_gate(b, "z", D, H, reset_after)
    b.add(Wire("wire.z", "update", ((GX_Z, Y_BOX + BOX_H / 2), (GX_Z, Y_C - R))))
    b.slot("z", "update", rows, "z(t): update gate", gru_formula("z", reset_after), shape,
           left=GX_Z + R + 2, cy=GY_WRITE + R + 2 + len(rows) * CH / 2, kind="gate")
    b.label("z", "update", GX_Z - 6, (GY_WRITE + Y_C) / 2, sym("z"), xanchor="right")
    b.add(Dot("dot.z_split", "update", GX_Z, GY_WRITE))
    b.add(Wire("wire.z_branch", "update", ((GX_Z, GY_WRITE), (GX_OM - R, GY_WRITE))))
    # reset gate: into the ⊗ of the candidate column
    _gru_gate(b, "r", D, H, reset_after)
    y_mul = GY_HI if reset_after else GY_LO
    b.add(Wire("wire.r", "reset", ((GX_R, Y_BOX + BOX_H / 2), (GX_R, y_mul),
                                   (GX_COL - R, y_mul))))
    s = b.slot("r", "reset", rows, "r(t): reset gate", gru_formula("r", reset_after), shape,
               left=GX_R - 12 - width, cy=290, kind="gate")
    b.caption(s, sym("r"))
    # the candidate column: product then ⊗ (reset_after), or ⊗ then product (before)
    part = "candidate"
    box_y, mul_y = (GY_LO, GY_HI) if reset_after else (GY_HI, GY_LO)
    product = ("W_hgᵀ·h(t-1) + b_hg: the recurrent product, before r" if reset_after
               else "W_hgᵀ·(r(t) ⊗ h(t-1)) + b_hg: the product of the reset state")
    b.add(Box("box.gh", part, GX_COL, box_y, BOX_W, BOX_H,
              (Run("W", "b"), Run("hg", "sub"), Run("ᵀ·(·)+b"), Run("hg", "sub")),
              fill="node", title="the candidate's recurrent product (linear, no activation)",
              note=product, shape=shape, vector="Wh_h_b"))
    mul_note = ("r(t) ⊗ (W_hgᵀ·h(t-1) + b_hg): the reset gate scales the product, its bias "
                "included (reset_after)" if reset_after else
                "r(t) ⊗ h(t-1): the reset gate scales the old state before the product "
                "(reset before)")
    b.add(Node("node.reset_mul", part, GX_COL, mul_y, "×", "⊗ reset", mul_note, shape,
               "rec" if reset_after else "h_in"))
    if reset_after:
        b.add(Wire("wire.col_mid", part, ((GX_COL, box_y + BOX_H / 2), (GX_COL, mul_y - R)),
                   title="W_hgᵀ·h(t-1) + b_hg", shape=shape, vector="Wh_h_b"))
        start = GX_COL + R
    else:
        b.add(Wire("wire.col_mid", part, ((GX_COL, mul_y + R), (GX_COL, box_y - BOX_H / 2)),
                   title="r(t) ⊗ h(t-1)", shape=shape, vector="h_in"))
        start = GX_COL + BOX_W / 2
    b.add(Wire("wire.rec", part, ((start, GY_HI), (GX_G - BOX_W / 2, GY_HI)),
               title="the recurrent term of the candidate", shape=shape, vector="rec",
               note="r(t) ⊗ (W_hgᵀ·h(t-1) + b_hg)" if reset_after
               else "W_hgᵀ·(r(t) ⊗ h(t-1)) + b_hg"))
    _gru_gate(b, "g", D, H, reset_after)
    b.add(Wire("wire.g", part, ((GX_G, GY_HI + BOX_H / 2), (GX_G, GY_WRITE - R))))
    b.slot("g", part, rows, "g(t): candidate", gru_formula("g", reset_after), shape,
           left=GX_G + 12, cy=(GY_HI + BOX_H / 2 + GY_WRITE - R) / 2)
    b.label("g", part, GX_G - 6, (GY_HI + BOX_H / 2 + GY_WRITE - R) / 2, sym("g"),
            xanchor="right")


def _gru_update(b: _Builder, H: int) -> None:
    part, shape = "h_update", f"(H,) = ({H},)"
    h_formula = "h(t) = z(t) ⊗ h(t-1) + (1 − z(t)) ⊗ g(t)"
    b.add(Node("node.keep", part, GX_Z, Y_C, "×", "⊗ keep: z(t) ⊗ h(t-1)",
               "multiply element-wise: the part of the old state the update gate keeps",
               shape, "z_h_prev"))
    b.add(Wire("wire.kept", part, ((GX_Z + R, Y_C), (GX_G - R, Y_C)), role="state"))
    s = b.slot("z_h_prev", part, row_lengths(H), "z(t) ⊗ h(t-1): what is kept",
               "multiply element-wise", shape, cx=560, cy=Y_C)
    b.caption(s, (*sym("z"), Run(" ⊗ "), *sym("h", "t-1")), size="small")
    b.add(Node("node.one_minus", part, GX_OM, GY_WRITE, "1−", "1 − z(t)",
               "subtract from one, element-wise: what the update gate does not keep, "
               "it writes", shape, "one_minus_z"))
    b.add(Wire("wire.one_minus", part, ((GX_OM + R, GY_WRITE), (GX_G - R, GY_WRITE))))
    s = b.slot("one_minus_z", part, row_lengths(H), "1 − z(t)", "subtract from one", shape,
               left=GX_OM + R + 2, cy=GY_WRITE)
    b.caption(s, (Run("1 − "), *sym("z")), size="small")
    b.add(Node("node.write", part, GX_G, GY_WRITE, "×", "⊗ write: (1 − z(t)) ⊗ g(t)",
               "multiply element-wise: the part of the candidate written", shape,
               "one_minus_z_g"))
    b.add(Wire("wire.written", part, ((GX_G, GY_WRITE + R), (GX_G, Y_C - R))))
    width = max(row_lengths(H)) * CW
    s = b.slot("one_minus_z_g", part, row_lengths(H), "(1 − z(t)) ⊗ g(t): what is written",
               "multiply element-wise", shape, left=GX_G - R - 2 - width,
               cy=GY_WRITE + R + 2 + len(row_lengths(H)) * CH / 2)
    b.label("one_minus_z_g", part, GX_G + R + 2, (s.y0 + s.y1) / 2,
            (Run("(1−"), *sym("z"), Run(")⊗"), *sym("g")), xanchor="left", size="small")
    b.add(Node("node.add", part, GX_G, Y_C, "+", "⊕ add element-wise: h(t)", h_formula,
               shape, "h"))
    b.add(Wire("wire.h", part, ((GX_G + R, Y_C), (W, Y_C)), role="state"))
    b.add(Wire("wire.y", part, ((GX_SPLIT, Y_C), (GX_SPLIT, HT))))
    b.add(Dot("dot.h_split", part, GX_SPLIT, Y_C))
    s = b.slot("h", part, row_lengths(H), "h(t) = y(t): new state and output", h_formula,
               shape, left=GX_G + R + 8, cy=Y_C)
    b.caption(s, (*sym("h"), Run(" = "), *sym("y")), size="small")
    b.label("h_exit", part, W - 2, Y_C - 5, sym("h"), xanchor="right", yanchor="top")
    b.label("y_exit", part, GX_SPLIT - 6, HT - 2, sym("y"), xanchor="right", yanchor="top")


def _gru_key(b: _Builder) -> None:
    _colour_keys(b, 560)
    _legend(b, *LEGEND_OPS, (Run("1−", "b"), Run("  subtract from one")), LEGEND_LAYER)


def gru_canvas(D: int, H: int, reset_after: bool = True) -> Canvas:
    """Where everything of one GRU time step sits (same visual language as `lstm_canvas`); the
    candidate column's order follows the reset placement."""
    if D < 1 or H < 1:
        raise ValueError(f"D and H must be at least 1, got D={D}, H={H}")
    b = _Builder()
    _gru_inputs(b, D, H)
    column_bottom = (GY_LO - BOX_H / 2) if reset_after else (GY_LO - R)
    _gru_concat(b, D, H, column_bottom)
    _gru_layers(b, D, H, reset_after)
    _gru_update(b, H)
    _gru_key(b)
    return Canvas(D, H, False, tuple(b.items), parts=GRU_PARTS, cell="gru",
                  reset_after=bool(reset_after))
