"""Scenario <-> URL query parameters (format version 1; see docs/url-format.md).

A link names a preset and then only what differs from it:

    ?v=1&preset=remember&x=1,2&Wxf=0.1,0.2;0.3,0.4&fb=1&step=3

Every parameter is described once, in `PARAMETERS`: its key, how its text is parsed and
checked (`Numbers`, `Integer`, `Flag`, `Choice`), and where its value lives in a `Scenario`.
`encode` and `decode` are loops over that table.

Links are untrusted input, so `decode` never raises. Each bad parameter gives one plain-text
warning naming the parameter and what was expected, and falls back alone to the preset's value;
the rest of the link is kept. Unknown keys are ignored silently (Streamlit adds its own, such
as `embed`). A repeated key uses its last value, with a warning when the values differ.
Warnings quote at most `QUOTE_CHARS` characters of the link, with every character but letters,
digits, space and . , ; + - escaped (`_quote`); still, render them as plain text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from lstm_core import (
    GATE_ORDER,
    GRU_GATE_ORDER,
    PEEPHOLE_GATES,
    VALUE_LIMIT,
    WEIGHT_LIMIT,
    GRUParams,
    LSTMParams,
)

from .presets import PRESETS, build, preset_gru
from .scenario import (
    CELL_KINDS,
    LOSS_KINDS,
    MAX_T,
    SEQUENCE_KINDS,
    UI_MAX_SIZE,
    LossSettings,
    Scenario,
    SequenceSettings,
    View,
)
from .walkthrough import MAX_BACK_STEP, MAX_STEP

FORMAT_VERSION = 1

# -- bounds (VALUE_LIMIT and WEIGHT_LIMIT are the core's; MAX_STEP the walkthrough's) ---------
MAX_SEED = 2**32 - 1
CHARS_PER_NUMBER = 32  # a repr float needs at most 24; room for spaces after the commas
MAX_TEXT_CHARS = 64  # one integer, flag or name
MAX_QUERY_CHARS = 64 * 1024  # the whole query; longer links fall back to their preset
QUOTE_CHARS = 40  # at most this much of a link's text is ever quoted in a warning


@dataclass(frozen=True)
class Decoded:
    scenario: Scenario
    warnings: tuple[str, ...]  # one plain-text sentence per rejected parameter


class _RejectedError(ValueError):
    """A parameter's text was rejected; the message says what was wrong with it."""


# -- number text ----------------------------------------------------------------------------
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[0-9]{1,12}")


def format_number(value: float) -> str:
    """Shortest text that parses back to the same float: repr, less '.0' and 'e+'/'e-0'."""
    mantissa, _, exponent = repr(float(value)).partition("e")
    mantissa = mantissa.removesuffix(".0")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


_PLAIN = frozenset(string.ascii_letters + string.digits + " .,;+-")


def _quote(text: str) -> str:
    """A short excerpt of untrusted text for a warning, in quotes. Any character but letters,
    digits, space and . , ; + - is written as a Python escape (<script> -> \\x3cscript\\x3e),
    so no excerpt can carry HTML or markdown markup, or control and direction characters."""
    shown = "".join(ch if ch in _PLAIN else _escape(ch) for ch in text[:QUOTE_CHARS])
    return f"'{shown}'" + ("…" if len(text) > QUOTE_CHARS else "")


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else (
        f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


def _parse_number(token: str, limit: float) -> float:
    token = token.strip(" ")
    if not _NUMBER.fullmatch(token):
        raise _RejectedError(f"{_quote(token)} is not a number")
    value = float(token)
    if not (np.isfinite(value) and abs(value) <= limit):
        raise _RejectedError(f"{_quote(token)} is out of range")
    return value


def _parse_numbers(text: str, count: int, limit: float) -> list[float]:
    tokens = text.split(",")
    if len(tokens) != count:
        raise _RejectedError(f"got {len(tokens)} number{'s' if len(tokens) != 1 else ''}")
    return [_parse_number(token, limit) for token in tokens]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"



def parse_values(text: str, max_count: int) -> tuple[float, ...]:
    """Numbers a user typed, separated by commas (or spaces, or semicolons), e.g.
    "1, 0, 0, -0.5": the same number syntax as a link (no `1_0`, `nan`, `inf` or `0x1`), each
    within ±VALUE_LIMIT. ValueError with a sentence naming what was wrong."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError("enter at least one number, e.g. 1, 0, 0, 0")
    if len(parts) > max_count:
        raise ValueError(f"{len(parts)} numbers is too many: at most {max_count}")
    values = []
    for n, part in enumerate(parts, start=1):
        token = part.strip()
        if not _NUMBER.fullmatch(token):
            raise ValueError(f"value {n} ({token[:20]!r}) is not a number")
        value = float(token)
        if not abs(value) <= VALUE_LIMIT:
            raise ValueError(f"value {n} ({token[:20]}) must be between "
                             f"−{VALUE_LIMIT:g} and {VALUE_LIMIT:g}")
        values.append(value)
    return tuple(values)

# -- kinds of parameter ---------------------------------------------------------------------
Shape = Callable[[int, int], tuple[int, ...]]  # (D, H) -> shape of the value


@dataclass(frozen=True)
class Numbers:
    """A number, vector or matrix (shape from D and H), or a list of up to `max_count`
    numbers when `shape` is None. Commas between numbers, semicolons between matrix rows."""

    limit: float
    shape: Shape | None = None
    max_count: int = 0  # for a list (shape None)

    @property
    def sized(self) -> bool:  # a vector or matrix, whose shape follows D and H
        return self.shape is not None and len(self.shape(1, 1)) > 0

    def max_chars(self) -> int:
        count = self.max_count if self.shape is None else int(
            np.prod(self.shape(UI_MAX_SIZE, UI_MAX_SIZE)))
        return max(MAX_TEXT_CHARS, count * CHARS_PER_NUMBER)

    def expected(self, D: int, H: int) -> str:
        within = f"between {format_number(-self.limit)} and {format_number(self.limit)}"
        if self.shape is None:
            return f"up to {self.max_count} numbers {within}, separated by commas"
        shape = self.shape(D, H)
        if len(shape) == 0:
            return f"a number {within}"
        if len(shape) == 1:
            return f"{_plural(shape[0], 'number')} {within}, separated by commas"
        rows, cols = shape
        return (f"{_plural(rows, 'row')} of {_plural(cols, 'number')} {within} "
                f"(commas between numbers, semicolons between rows)")

    def parse(self, text: str, D: int, H: int):
        if self.shape is None:
            if not text.strip(" "):
                return ()
            count = text.count(",") + 1
            if count > self.max_count:
                raise _RejectedError(f"got {count} numbers")
            return tuple(_parse_numbers(text, count, self.limit))
        if not text.strip(" "):
            raise _RejectedError("the value is empty")
        shape = self.shape(D, H)
        if len(shape) == 0:
            return _parse_number(text, self.limit)
        if len(shape) == 1:
            return np.array(_parse_numbers(text, shape[0], self.limit))
        rows, cols = shape
        lines = text.split(";")
        if len(lines) != rows:
            raise _RejectedError(f"got {_plural(len(lines), 'row')}")
        matrix = []
        for r, line in enumerate(lines, start=1):
            try:
                matrix.append(_parse_numbers(line, cols, self.limit))
            except _RejectedError as exc:
                raise _RejectedError(f"row {r}: {exc}") from None
        return np.array(matrix)

    def format(self, value) -> str:
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim == 2:
            return ";".join(",".join(map(format_number, row)) for row in arr)
        return ",".join(map(format_number, arr.reshape(-1)))

    def same(self, a, b) -> bool:
        """Bit-for-bit equal (so -0.0 differs from 0.0 and is written out)."""
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        return a.shape == b.shape and a.tobytes() == b.tobytes()


class _Scalar:
    """Shared by the one-value parameters: short text, no size, compared by value."""

    sized = False

    def max_chars(self) -> int:
        return MAX_TEXT_CHARS

    def same(self, a, b) -> bool:
        return a == b


@dataclass(frozen=True)
class Integer(_Scalar):
    low: int
    high: int

    def expected(self, D: int, H: int) -> str:
        return f"a whole number from {self.low} to {self.high}"

    def parse(self, text: str, D: int, H: int) -> int:
        token = text.strip(" ")
        if not _INTEGER.fullmatch(token):
            problem = f"{_quote(text)} is not a whole number" if text else "the value is empty"
            raise _RejectedError(problem)
        value = int(token)
        if not self.low <= value <= self.high:
            raise _RejectedError(f"{value} is out of range")
        return value

    def format(self, value) -> str:
        return str(int(value))


@dataclass(frozen=True)
class Flag(_Scalar):
    _WORDS = {"1": True, "0": False, "true": True, "false": False}

    def expected(self, D: int, H: int) -> str:
        return "1 (on) or 0 (off)"

    def parse(self, text: str, D: int, H: int) -> bool:
        word = text.strip(" ").lower()
        if word not in self._WORDS:
            raise _RejectedError(f"got {_quote(text)}")
        return self._WORDS[word]

    def format(self, value) -> str:
        return "1" if value else "0"

    def same(self, a, b) -> bool:
        return bool(a) == bool(b)


@dataclass(frozen=True)
class Choice(_Scalar):
    options: tuple[str, ...]

    def expected(self, D: int, H: int) -> str:
        return f"one of {', '.join(self.options)}"

    def parse(self, text: str, D: int, H: int) -> str:
        if text not in self.options:
            raise _RejectedError(f"got {_quote(text)}")
        return text

    def format(self, value) -> str:
        return str(value)


Kind = Numbers | Integer | Flag | Choice


@dataclass(frozen=True)
class Param:
    """One query parameter: its key, its kind, and where its value lives in a Scenario."""

    key: str
    kind: Kind
    get: Callable[[Scenario], object]
    gru_weight: bool = False  # a GRU weight: written as a difference from preset_gru (below)


def _vector(size: str) -> Shape:
    return lambda D, H: ((D if size == "D" else H),)


_SCALAR: Shape = lambda D, H: ()  # noqa: E731
_D_BY_H: Shape = lambda D, H: (D, H)  # noqa: E731
_H_BY_H: Shape = lambda D, H: (H, H)  # noqa: E731


def _gate_params() -> list[Param]:
    params = []
    for g in GATE_ORDER:
        params += [
            Param(f"Wx{g}", Numbers(WEIGHT_LIMIT, _D_BY_H), lambda s, g=g: s.params.W_x(g)),
            Param(f"Wh{g}", Numbers(WEIGHT_LIMIT, _H_BY_H), lambda s, g=g: s.params.W_h(g)),
            Param(f"b{g}", Numbers(WEIGHT_LIMIT, _vector("H")), lambda s, g=g: s.params.b(g)),
        ]
    params += [Param(f"p{g}", Numbers(WEIGHT_LIMIT, _vector("H")),
                     lambda s, g=g: s.params.gate(g).w_c) for g in PEEPHOLE_GATES]
    return params


def _gru_params() -> list[Param]:
    """gWxz, gWhz, gbxz, gbhz, then the same for r and g: the GRU's W_x, W_h, b_x, b_h."""
    fields = (("Wx", "W_x", _D_BY_H), ("Wh", "W_h", _H_BY_H), ("bx", "b_x", _vector("H")),
              ("bh", "b_h", _vector("H")))
    return [Param(f"g{key}{n}", Numbers(WEIGHT_LIMIT, shape),
                  lambda s, n=n, f=field: getattr(s.gru.gate(n), f), gru_weight=True)
            for n in GRU_GATE_ORDER for key, field, shape in fields]


PARAMETERS: tuple[Param, ...] = (
    Param("D", Integer(1, UI_MAX_SIZE), lambda s: s.D),  # sizes first: they shape the rest
    Param("H", Integer(1, UI_MAX_SIZE), lambda s: s.H),
    Param("x", Numbers(VALUE_LIMIT, _vector("D")), lambda s: s.x),
    Param("h", Numbers(VALUE_LIMIT, _vector("H")), lambda s: s.h_prev),
    Param("c", Numbers(VALUE_LIMIT, _vector("H")), lambda s: s.c_prev),
    *_gate_params(),
    Param("peep", Flag(), lambda s: s.params.use_peepholes),
    Param("fb", Numbers(WEIGHT_LIMIT, _SCALAR), lambda s: s.params.forget_bias),
    Param("step", Integer(0, MAX_STEP), lambda s: s.view.step),
    Param("presenter", Flag(), lambda s: s.view.presenter),
    Param("predict", Flag(), lambda s: s.view.predict),
    Param("seq", Choice(SEQUENCE_KINDS), lambda s: s.view.sequence.kind),
    Param("T", Integer(1, MAX_T), lambda s: s.view.sequence.T),
    Param("amp", Numbers(VALUE_LIMIT, _SCALAR), lambda s: s.view.sequence.amplitude),
    Param("seed", Integer(0, MAX_SEED), lambda s: s.view.sequence.seed),
    Param("vals", Numbers(VALUE_LIMIT, max_count=MAX_T), lambda s: s.view.sequence.values),
    *(Param(key, kind, get) for key, kind, get in (  # the backward pass (issue 14)
        ("loss", Choice(LOSS_KINDS), lambda s: s.view.loss.kind),
        ("target", Numbers(VALUE_LIMIT, _vector("H")), lambda s: s.view.loss.vector("target", s.H)),
        ("dh", Numbers(VALUE_LIMIT, _vector("H")), lambda s: s.view.loss.vector("dh", s.H)),
        ("dc", Numbers(VALUE_LIMIT, _vector("H")), lambda s: s.view.loss.vector("dc", s.H)),
        ("bstep", Integer(0, MAX_BACK_STEP), lambda s: s.view.back_step))),
    # the GRU (issue 16); its weights last: their defaults follow the LSTM weights read above
    Param("cell", Choice(CELL_KINDS), lambda s: s.cell),
    Param("gra", Flag(), lambda s: s.gru.reset_after),
    *_gru_params(),
)


def _flatten(scenario: Scenario, gru_only: bool = False) -> dict[str, object]:
    return {p.key: p.get(scenario) for p in PARAMETERS if p.gru_weight or not gru_only}


def _assemble(flat: Mapping[str, object], preset: str) -> Scenario:
    """The inverse of `_flatten`."""
    params = _lstm_params(flat)
    sequence = SequenceSettings(kind=flat["seq"], T=flat["T"], amplitude=float(flat["amp"]),
                                seed=flat["seed"], values=tuple(map(float, flat["vals"])))
    loss = LossSettings(kind=flat["loss"], **{k: tuple(map(float, flat[k]))
                                               for k in ("target", "dh", "dc")})
    view = View(step=flat["step"], presenter=flat["presenter"], predict=flat["predict"],
                sequence=sequence, loss=loss, back_step=flat["bstep"])
    return Scenario(params, flat["x"], flat["h"], flat["c"], preset=preset, view=view,
                    gru=_gru(flat), cell=flat["cell"])


def _lstm_params(flat: Mapping[str, object]) -> LSTMParams:
    return LSTMParams.from_blocks(
        W_x={g: flat[f"Wx{g}"] for g in GATE_ORDER},
        W_h={g: flat[f"Wh{g}"] for g in GATE_ORDER},
        b={g: flat[f"b{g}"] for g in GATE_ORDER},
        w_c={g: flat[f"p{g}"] for g in PEEPHOLE_GATES},
        forget_bias=flat["fb"], use_peepholes=flat["peep"])


def _gru(flat: Mapping[str, object]) -> GRUParams:
    return GRUParams.from_blocks(
        **{field: {n: flat[f"g{key}{n}"] for n in GRU_GATE_ORDER}
           for key, field in (("Wx", "W_x"), ("Wh", "W_h"), ("bx", "b_x"), ("bh", "b_h"))},
        reset_after=flat["gra"])


def _gru_reference(scenario: Scenario, reference: Scenario) -> Scenario:
    """What a link's GRU weights are written against: the preset's GRU; with other sizes than
    the preset's, the preset's GRU built on the link's own LSTM weights (`preset_gru`), so a
    link does not depend on how the app fills in new weights when resizing either."""
    if (scenario.D, scenario.H) == (reference.D, reference.H):
        return reference
    return replace(scenario, gru=preset_gru(reference.preset, scenario.params,
                                            scenario.gru.reset_after))


# -- encode ---------------------------------------------------------------------------------
@lru_cache(maxsize=len(PRESETS))
def _preset(name: str) -> Scenario:
    """A preset's scenario, built once: a Scenario is frozen and its arrays are read-only, so
    sharing it between sessions is safe (every encode compares against it)."""
    return build(name)


def encode(scenario: Scenario) -> dict[str, str]:
    """`v`, `preset`, then only the parameters whose values differ from the preset's.
    With other sizes than the preset's, every vector and matrix of the LSTM is written out; the
    GRU's weights are written where they differ from `_gru_reference`."""
    preset = scenario.preset if scenario.preset in PRESETS else "default"
    reference = _preset(preset)
    gru_reference = _gru_reference(scenario, reference)
    resized = (scenario.D, scenario.H) != (reference.D, reference.H)
    query = {"v": str(FORMAT_VERSION), "preset": preset}
    for param in PARAMETERS:
        value = param.get(scenario)
        if param.gru_weight:
            write = not param.kind.same(value, param.get(gru_reference))
        else:
            write = (resized and param.kind.sized) or not param.kind.same(
                value, param.get(reference))
        if write:
            query[param.key] = param.kind.format(value)
    return query


# -- decode ---------------------------------------------------------------------------------
def _texts(value) -> list[str | None]:
    """A query value as a list of texts (None for anything that is not text)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v if isinstance(v, str) else None for v in value]
    return [None]


def _query_chars(texts: Mapping[str, list[str | None]]) -> int:
    """Length of the query string "k=v&k=v..." (before percent-encoding)."""
    return sum(max(1, len(values)) * (len(key) + 2) + sum(len(v or "") for v in values)
               for key, values in texts.items())


class _Reader:
    """Reads one parameter at a time, collecting at most one warning per parameter."""

    def __init__(self, query: Mapping[str, str | list[str]]):
        self.texts: dict[str, list[str | None]] = {}
        for key, value in query.items() if isinstance(query, Mapping) else ():
            if isinstance(key, str):
                self.texts[key] = _texts(value)
        self.warnings: dict[str, str] = {}

    def text(self, key: str, max_chars: int, expected: str) -> str | None:
        """The parameter's last value, or None when absent or unusable (with a warning)."""
        values = self.texts.get(key)
        if not values:
            return None
        text = values[-1]
        if text is None:
            self.warn(key, expected, "the value is not text")
        elif len(text) > max_chars:
            self.warn(key, expected, f"the value is {len(text)} characters long "
                                     f"(at most {max_chars})")
        else:
            if len(set(values)) > 1:
                self.warnings[key] = f"{key}: given {len(values)} times; the last one was used"
            return text
        return None

    def read(self, param: Param, D: int, H: int, default):
        expected = param.kind.expected(D, H)
        text = self.text(param.key, param.kind.max_chars(), expected)
        if text is None:
            return default
        try:
            return param.kind.parse(text, D, H)
        except _RejectedError as problem:
            self.warn(param.key, expected, str(problem))
            return default

    def warn(self, key: str, expected: str, problem: str) -> None:
        self.warnings[key] = f"{key}: expected {expected}; {problem}"


_VERSION = Param("v", Integer(1, 10**12), lambda s: FORMAT_VERSION)
_PRESET = Param("preset", Choice(tuple(PRESETS)), lambda s: s.preset)


def _read_version(reader: _Reader) -> None:
    """A missing v means 1; a newer one is read best-effort, with a warning."""
    version = reader.read(_VERSION, 1, 1, FORMAT_VERSION)
    if "v" in reader.warnings:
        reader.warnings["v"] += f"; the link was read as version {FORMAT_VERSION}"
    elif version > FORMAT_VERSION:
        reader.warnings["v"] = (f"v: this link has format version {version}, newer than this "
                                f"app's {FORMAT_VERSION}; it was read as well as possible")


def _read_preset(reader: _Reader) -> str:
    return reader.read(_PRESET, 1, 1, "default")


def decode(query: Mapping[str, str | list[str]]) -> Decoded:
    """The scenario a link describes. Never raises: bad parameters become warnings and fall
    back on their own to the preset's values."""
    reader = _Reader(query)
    if _query_chars(reader.texts) > MAX_QUERY_CHARS:
        name = _read_preset(_Reader({"preset": (reader.texts.get("preset") or [None])[-1]}))
        return Decoded(build(name), (f"the link is longer than {MAX_QUERY_CHARS} characters; "
                                     f"only its preset ({name}) was used",))
    _read_version(reader)
    name = _read_preset(reader)
    base = build(name)
    flat = _flatten(base)
    sizes, others = PARAMETERS[:2], PARAMETERS[2:]  # D and H first: they shape the rest
    D, H = (reader.read(p, base.D, base.H, flat[p.key]) for p in sizes)
    if (D, H) != (base.D, base.H):
        flat = _flatten(base.resized(D, H))
    for param in others:
        if not param.gru_weight:
            flat[param.key] = reader.read(param, D, H, flat[param.key])
    if (D, H) != (base.D, base.H):  # the GRU's defaults: see _gru_reference
        try:
            flat |= _flatten(replace(base.resized(D, H), gru=preset_gru(
                name, _lstm_params(flat), flat["gra"])), gru_only=True)
        except (ValueError, TypeError):  # unreachable when every parser checks its bounds
            pass
    for param in others:
        if param.gru_weight:
            flat[param.key] = reader.read(param, D, H, flat[param.key])
    try:
        scenario = _assemble(flat, name)
    except (ValueError, TypeError):  # unreachable when every parser checks its bounds
        scenario = base
        reader.warnings["link"] = f"link: could not be read; showing the preset {name}"
    return Decoded(scenario, tuple(reader.warnings.values()))



# -- values edited in the live diagram ------------------------------------------------------
MAX_EDITED_KEYS = 32  # the live diagram sends at most x, h, c and one gate's four blocks


def _edit_text(value) -> str | None:
    """A JSON value from the browser (a number, a list of numbers, a list of rows) as the text
    a link would carry, or None when it is not numbers. Booleans are not numbers here."""
    def number(v) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return None
        return format_number(v) if isinstance(v, float) else str(v)

    if not isinstance(value, list):
        return number(value)
    rows = value if value and all(isinstance(r, list) for r in value) else [value]
    parts = [[number(v) for v in row] for row in rows]
    if any(p is None for row in parts for p in row):
        return None
    return ";".join(",".join(row) for row in parts)


def apply_values(scenario: Scenario, values: Mapping[str, object]) -> Decoded:
    """`scenario` with some vectors and matrices replaced (keys as in a link: x, h, c, Wxf,
    Whf, bf, pf, ...; values as JSON numbers, lists and lists of rows). Each value is checked
    exactly as the same parameter of a link is (shape, and |v| <= VALUE_LIMIT or
    WEIGHT_LIMIT); a bad one is ignored alone, with a warning naming it. Never raises."""
    editable = {p.key: p for p in PARAMETERS if isinstance(p.kind, Numbers) and p.kind.sized}
    warnings: dict[str, str] = {}
    flat = _flatten(scenario)
    items = list(values.items())[:MAX_EDITED_KEYS] if isinstance(values, Mapping) else []
    if not isinstance(values, Mapping):
        warnings["values"] = "values: expected a mapping of parameter names to numbers"
    for key, value in items:
        param = editable.get(key) if isinstance(key, str) else None
        if param is None:
            warnings[str(key)[:QUOTE_CHARS]] = f"{_quote(str(key))}: not a value of the cell"
            continue
        expected = param.kind.expected(scenario.D, scenario.H)
        text = _edit_text(value)
        if text is None:
            warnings[key] = f"{key}: expected {expected}; the value is not numbers"
            continue
        if len(text) > param.kind.max_chars():
            warnings[key] = f"{key}: expected {expected}; the value is too long"
            continue
        try:
            flat[key] = param.kind.parse(text, scenario.D, scenario.H)
        except _RejectedError as problem:
            warnings[key] = f"{key}: expected {expected}; {problem}"
    try:
        new = replace(_assemble(flat, scenario.preset), view=scenario.view)
    except (ValueError, TypeError):  # unreachable when every parser checks its bounds
        return Decoded(scenario, (*warnings.values(), "values: could not be applied"))
    return Decoded(new, tuple(warnings.values()))
