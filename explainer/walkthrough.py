"""The walkthrough registry: the ordered steps through one time step of the cell.

Every page that steps through the cell uses `STEPS`: its title, what it lights up on the
diagram and its explanation come from here, and the link stores its position (`?step=3`).
`highlights` are part ids of the cell canvas (`viz.canvas`: "inputs", "concat", "forget",
...), the groups of boxes, wires, nodes and labels that one operation of the cell consists of;
a test checks that each one names a part the canvas draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_core import LSTMStep


@dataclass(frozen=True)
class WalkStep:
    index: int  # position in STEPS: what a link stores (?step=index)
    id: str  # "forget": stable, for code and tests
    title: str  # "Forget gate"
    short: str  # a few characters, for a row of eight buttons
    gate: str | None  # the gate this step computes ("f"), or None
    highlights: frozenset[str]  # canvas part ids lit at this step; the rest is dimmed
    explanation: str  # markdown: what happens at this step, in plain words


def _steps(*rows: tuple[str, str, str, str | None, str]) -> tuple[WalkStep, ...]:
    return tuple(WalkStep(k, id_, title, short, gate, frozenset({id_}), text)
                 for k, (id_, title, short, gate, text) in enumerate(rows))


STEPS: tuple[WalkStep, ...] = _steps(
    ("inputs", "Inputs", "inputs", None,
     "Three vectors arrive at the cell. **x(t)** is what the network sees now, **h(t-1)** is "
     "the short-term state it produced one step ago, and **c(t-1)** is the long-term memory it "
     "has carried along.\nOnly x(t) and h(t-1) feed the four layers; c(t-1) travels along the "
     "top line and is touched by just two element-wise operations."),
    ("concat", "Concatenation", "[h; x]", None,
     "Where the h(t-1) wire and the x(t) wire meet in the figure, the two vectors are "
     "**stacked** into one longer vector, not added: its length is H + D.\nEach of the four "
     "layers multiplies this stacked vector by its own weight matrix, so every unit can weigh "
     "every input and every previous state differently."),
    ("forget", "Forget gate", "f", "f",
     "The forget gate is a fully connected layer with a logistic (σ) output, one number per "
     "memory unit, always strictly between 0 and 1.\nEach number says what fraction of the "
     "matching element of c(t-1) survives: near 1 keeps it, near 0 erases it."),
    ("input", "Input gate", "i", "i",
     "The input gate has the same form as the forget gate, with its own weights and bias.\n"
     "Its values decide how much of the new candidate g(t) gets written into the memory: it is "
     "a volume knob per unit, not an on/off switch."),
    ("candidate", "Candidate g", "g", "g",
     "The candidate g(t) comes from the cell's main layer, the only one with tanh, so its "
     "values lie between −1 and 1 and can be negative.\nOn its own this layer would be a basic "
     "RNN cell; in the LSTM its output is not sent out directly but offered to the memory."),
    ("cell_update", "Cell update", "c(t)", None,
     "The new long-term state is what is kept of the old one plus what is written: two "
     "element-wise products and one addition.\nNo weight matrix and no squashing function sit "
     "on this path, which is why a memory can travel many steps when the forget gate stays "
     "near 1."),
    ("output", "Output gate", "o", "o",
     "The output gate is the third σ layer. With peepholes it would also look at the new "
     "c(t); in the basic cell it sees only x(t) and h(t-1).\nIt chooses which parts of the "
     "memory are shown to the rest of the network at this step."),
    ("h_out", "New h(t)", "h(t)", None,
     "The memory is squashed with tanh into (−1, 1) and multiplied element by element by the "
     "output gate.\nThe result is both the new short-term state h(t), fed back at the next "
     "step, and the cell's output y(t)."),
)
MAX_STEP = len(STEPS) - 1
_BY_ID = {s.id: s for s in STEPS}


def at(index: int) -> WalkStep:
    """The step at a position, clamped into 0..MAX_STEP."""
    return STEPS[min(max(int(index), 0), MAX_STEP)]


def by_id(step_id: str) -> WalkStep:
    """The step with this id; ValueError for an unknown one."""
    if step_id not in _BY_ID:
        raise ValueError(f"unknown walkthrough step {step_id!r}; one of {', '.join(_BY_ID)}")
    return _BY_ID[step_id]


# -- predict, then reveal ---------------------------------------------------------------------
@dataclass(frozen=True)
class Prediction:
    question: str
    options: tuple[str, ...]
    answer: str  # one of options: what the numbers say
    evidence: str  # the numbers that decide it


_YES_NO = ("yes", "no")


def prediction(step: LSTMStep, walk: WalkStep) -> Prediction | None:
    """A question about element [0] whose answer the step's numbers decide (None for the
    inputs, where nothing is computed yet)."""
    if walk.id == "concat":
        H, D = len(step.h), len(step.x)
        opts = tuple(dict.fromkeys((str(H), str(D), str(H + D), str(max(H, D)))))
        return Prediction("How many numbers does [h(t-1); x(t)] hold?", opts, str(H + D),
                          f"H + D = {H} + {D} = {H + D}")
    if walk.gate == "g":
        z, g = float(step.z_g[0]), float(step.g[0])
        return Prediction("Will the candidate g[0] be positive or negative?",
                          ("positive", "negative"), "positive" if g >= 0 else "negative",
                          f"z = {z:.4f}, so g[0] = tanh(z) = {g:.4f}")
    if walk.gate:
        gate = step.gate(walk.gate)
        a, z = float(gate.a[0]), float(gate.z[0])
        return Prediction(f"Is the {gate.spec.title} more than half open at element [0] "
                          f"({gate.spec.name}[0] > 0.5)?", _YES_NO, _YES_NO[a <= 0.5],
                          f"z = {z:.4f}, so {gate.spec.name}[0] = σ(z) = {a:.4f}")
    if walk.id == "cell_update":
        before, after = abs(float(step.c_prev[0])), abs(float(step.c[0]))
        return Prediction("Will the memory |c[0]| grow or shrink in this step?",
                          ("grow", "shrink"), "grow" if after > before else "shrink",
                          f"|c(t-1)[0]| = {before:.4f} → |c(t)[0]| = {after:.4f}")
    if walk.id == "h_out":
        c, h = float(step.c[0]), float(step.h[0])
        same = (c >= 0) == (h >= 0)
        return Prediction("Will h[0] have the same sign as c[0]?", _YES_NO, _YES_NO[not same],
                          f"c[0] = {c:.4f}, o[0] = {float(step.o[0]):.4f} > 0, h[0] = {h:.4f}")
    return None


# -- the backward pass: the same cell, right to left ------------------------------------------
def _back(*rows: tuple[str, str, str, tuple[str, ...], str]) -> tuple[WalkStep, ...]:
    return tuple(WalkStep(k, id_, title, short, None, frozenset(lit), text)
                 for k, (id_, title, short, lit, text) in enumerate(rows))


BACKWARD_STEPS: tuple[WalkStep, ...] = _back(
    ("dh", "Gradient at h(t)", "∂L/∂h",
     ("h_out", "slot.h"),
     "Backpropagation starts where the loss looks at the cell: **∂L/∂h(t)**. With "
     "L = ½‖h(t) − target‖² it is simply h(t) − target, one number per unit: positive where "
     "h(t) is too large, negative where it is too small.\nFrom here every gradient is found "
     "by walking the forward wires backwards, right to left, multiplying by each operation's "
     "local slope."),
    ("do", "Output gate", "do",
     ("output", "node.output_mul", "slot.tanh_c"),
     "h(t) = o(t) ⊗ tanh(c(t)) is a product, so each factor receives the incoming gradient "
     "times the other factor: **do = ∂L/∂h ⊗ tanh(c(t))**.\nThe output gate's share then "
     "passes back through its sigmoid, whose slope o ⊗ (1 − o) is at most ¼ and nearly 0 "
     "when the gate is saturated."),
    ("dc_total", "Gradient at c(t)", "dc",
     ("cell_update", "h_out"),
     "The other factor of the product, tanh(c(t)), receives ∂L/∂h ⊗ o(t); through tanh it "
     "becomes dh ⊗ o ⊗ (1 − tanh²c) on the new memory.\nTo it is added **dc**, the gradient "
     "that later steps send back along the memory line. Their sum, **dc_total**, is all that "
     "c(t) is responsible for."),
    ("gates", "Forget, input, candidate", "df di dg",
     ("cell_update", "slot.f", "slot.i", "slot.g", "wire.f", "wire.i", "wire.g"),
     "c(t) = f ⊗ c(t−1) + i ⊗ g: the addition copies dc_total to both terms, and each "
     "product hands it to one factor times the other.\nSo **df = dc_total ⊗ c(t−1)**, "
     "**di = dc_total ⊗ g** and **dg = dc_total ⊗ i**: a gate only learns when its partner "
     "is non-zero."),
    ("dz", "Through the activations", "dz",
     ("forget", "input", "candidate", "output"),
     "Each layer's gradient passes back through its activation to the pre-activation z: "
     "times σ'(z) = a ⊗ (1 − a) for the three gates, times 1 − g² for the tanh candidate.\n"
     "These four vectors **dz_f, dz_i, dz_g, dz_o** are what the weights learn from: "
     "∂L/∂W_x = x(t) dzᵀ, ∂L/∂W_h = h(t−1) dzᵀ, ∂L/∂b = dz."),
    ("inputs", "Back to the inputs", "dx dh dc",
     ("concat", "inputs"),
     "The four layers all read [h(t−1); x(t)], so their gradients **add up** there: "
     "dx = Σ W_x dz and dh_prev = Σ W_h dz, one term per layer.\nThe memory line needs no "
     "weight: **dc_prev = dc_total ⊗ f**. With f near 1 the gradient passes to the previous "
     "step almost untouched; this is the LSTM's gradient highway."),
)
MAX_BACK_STEP = len(BACKWARD_STEPS) - 1


def back_at(index: int) -> WalkStep:
    """The backward step at a position, clamped into 0..MAX_BACK_STEP."""
    return BACKWARD_STEPS[min(max(int(index), 0), MAX_BACK_STEP)]
