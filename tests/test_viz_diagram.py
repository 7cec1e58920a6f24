"""The cell diagram (Figure 14-13): live values printed and on hover, concatenation drawn apart
from addition, peepholes only when on, highlighting, and any size up to the UI's bound."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from explainer.presets import build
from explainer.walkthrough import STEPS
from lstm_core import LSTMParams, lstm_step
from viz.diagram import (
    DIM,
    ELEMENTS,
    alt_text,
    cell_diagram,
)


@pytest.fixture(scope="module")
def so_step():
    return build("stackoverflow").step()


def random_step(D: int, H: int, peepholes: bool = False, seed: int = 3):
    params = LSTMParams.random(D, H, seed=seed, use_peepholes=peepholes)
    rng = np.random.default_rng(seed)
    for name in ("i", "f", "o"):
        params = params.with_gate(name, w_c=rng.uniform(-1, 1, H))
    return lstm_step(params, rng.uniform(-1, 1, D), rng.uniform(-1, 1, H), rng.uniform(-1, 1, H))


def strips(fig: go.Figure) -> list[dict]:
    return [t for t in fig.to_plotly_json()["data"] if t["type"] == "heatmap"]


def strip_named(fig: go.Figure, title: str) -> dict:
    """The heatmap whose hover starts with this title, e.g. "f(t): forget gate"."""
    found = [t for t in strips(fig) if t["hovertext"][0][0].startswith(f"<b>{title}")]
    assert len(found) == 1, f"expected one strip titled {title!r}, found {len(found)}"
    return found[0]


def texts(fig: go.Figure) -> list[dict]:
    """Every text drawn by a text trace: x, y, text, font size, colour, trace opacity."""
    out = []
    for t in fig.to_plotly_json()["data"]:
        if t["type"] == "scatter" and t.get("mode") == "text":
            font = t["textfont"]
            for k, (x, y, text) in enumerate(zip(t["x"], t["y"], t["text"])):
                color = font["color"][k] if isinstance(font["color"], (list, tuple)) else font[
                    "color"]
                out.append(dict(x=x, y=y, text=text, size=font["size"], color=color,
                                opacity=t.get("opacity", 1.0)))
    return out


def cell_texts(fig: go.Figure, strip: dict) -> list[dict]:
    """The texts printed in the strip's squares, reading order (top row first)."""
    rows, cols = len(strip["z"]), len(strip["z"][0])
    found = []
    for r in reversed(range(rows)):  # z[0] is the bottom row
        for c in range(cols):
            if strip["z"][r][c] is None or strip["z"][r][c] != strip["z"][r][c]:  # NaN: no square
                continue
            x, y = strip["x0"] + c * strip["dx"], strip["y0"] + r * strip["dy"]
            here = [t for t in texts(fig) if abs(t["x"] - x) < 0.5 and abs(t["y"] - y) < 0.5]
            assert len(here) == 1, f"expected one number in the square at ({x}, {y})"
            found.append(here[0])
    return found


def printed(fig: go.Figure, title: str) -> list[str]:
    """The numbers printed in the squares of the strip with this title, reading order."""
    return [t["text"] for t in cell_texts(fig, strip_named(fig, title))]


def polygons(fig: go.Figure) -> list[dict]:
    """Filled outlines (boxes, nodes, the grey under the squares): points, fill, opacity."""
    out = []
    for t in fig.to_plotly_json()["data"]:
        if t.get("fill") == "toself":
            points = []
            for x, y in zip([*t["x"], None], [*t["y"], None]):
                if x is None:
                    out.append(dict(points=points, fill=t["fillcolor"],
                                    opacity=t.get("opacity", 1.0)))
                    points = []
                else:
                    points.append((x, y))
    return out


def outline_under(fig: go.Figure, text: str) -> set[str]:
    """"rect" or "circle" for each box or node drawn under this text (not the strips' grey)."""
    t = next(t for t in texts(fig) if t["text"] == text)
    kinds = set()
    for p in polygons(fig):
        xs, ys = zip(*p["points"])
        if p["fill"] != "#8C8C8C" and min(xs) <= t["x"] <= max(xs) and min(ys) <= t["y"] <= max(
                ys):
            kinds.add("rect" if len(p["points"]) == 5 else "circle")
    return kinds


def test_forget_gate_values_are_printed_and_on_hover(so_step):
    fig = cell_diagram(so_step)
    assert printed(fig, "f(t): forget gate") == ["0.48", "0.69", "0.55", "0.49", "0.67"]
    hover = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    for value in ("0.4750", "0.6900", "0.5498", "0.4875", "0.6682"):
        assert value in hover
    assert "f(t) = σ(W_xfᵀ·x(t) + W_hfᵀ·h(t-1) + b_f)" in hover


def test_every_vector_of_the_step_is_drawn(so_step):
    fig = cell_diagram(so_step)
    s = so_step
    for title, values in {"c(t-1)": s.c_prev, "h(t-1)": s.h_prev, "x(t)": s.x,
                          "i(t): input gate": s.i, "g(t): candidate": s.g,
                          "o(t): output gate": s.o, "f(t) ⊗ c(t-1)": s.f_c_prev,
                          "i(t) ⊗ g(t): what": s.i_g, "c(t): new": s.c,
                          "tanh(c(t))": s.tanh_c, "h(t) = y(t)": s.h}.items():
        expected = [f"{v:.2f}".replace("-0.00", "0.00") for v in values]
        assert printed(fig, title) == expected, title


def test_concatenation_is_a_distinct_junction(so_step):
    fig = cell_diagram(so_step)
    drawn = [t["text"] for t in texts(fig)]
    assert "<b>‖</b>" in drawn  # the junction's symbol
    assert "×" in drawn and "+" in drawn  # ⊗ and ⊕ nodes
    assert any("[h<sub>(t−1)</sub>; x<sub>(t)</sub>]" in t and "(10,)" in t for t in drawn)
    # the junction is a rectangle, ⊗ and ⊕ are circles
    assert outline_under(fig, "<b>‖</b>") == {"rect"}
    assert outline_under(fig, "+") == {"circle"}
    assert outline_under(fig, "×") == {"circle"}
    legend = next(a["text"] for a in fig.to_plotly_json()["layout"]["annotations"]
                  if "concatenate" in a["text"])
    for entry in ("‖</b>  concatenate (stack)", "⊕</b>  add element-wise",
                  "⊗</b>  multiply element-wise", "fully connected layer"):
        assert entry in legend


def test_concatenated_strip_holds_h_then_x(so_step):
    fig = cell_diagram(so_step)
    expected = [f"{v:.2f}" for v in np.concatenate([so_step.h_prev, so_step.x])]
    assert printed(fig, "[h(t-1); x(t)]: h(t-1) and x(t) stacked") == expected


def dashed(fig: go.Figure) -> list[list]:
    """The dashed wires, one list of points each (a line trace separates them with None)."""
    wires = []
    for t in fig.to_plotly_json()["data"]:
        if t.get("mode") == "lines" and t.get("line", {}).get("dash") == "dash":
            wire = []
            for x, y in zip([*t["x"], None], [*t["y"], None]):
                if x is None:
                    wires.append(wire)
                    wire = []
                else:
                    wire.append((x, y))
    return wires


def test_peephole_wires_only_when_on():
    step = random_step(3, 2, peepholes=True)
    assert dashed(cell_diagram(step, peepholes=False)) == []
    assert dashed(cell_diagram(random_step(3, 2))) == []  # the step's own setting: off
    fig = cell_diagram(step)  # the step's own setting: on
    assert len(dashed(fig)) == 3  # c(t-1) → f, c(t-1) → i, c(t) → o
    hover = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    assert "peephole: c(t-1) → forget gate" in hover and "peephole: c(t) → output gate" in hover
    assert f"{step.forget.peephole[0]:.4f}" in hover


def opacity_of(fig: go.Figure, title: str) -> float:
    return strip_named(fig, title).get("opacity", 1.0)


def drawn_opacities(fig: go.Figure) -> set[float]:
    """The opacities of everything drawn except the squares: wires, outlines, text."""
    return {t.get("opacity", 1.0) for t in fig.to_plotly_json()["data"]
            if t["type"] == "scatter" and t.get("mode") in ("lines", "text")} | {
        a.get("opacity", 1.0) for a in fig.to_plotly_json()["layout"]["annotations"]}


def test_highlight_dims_everything_else(so_step):
    plain = cell_diagram(so_step)
    assert {opacity_of(plain, t) for t in ("f(t): forget", "c(t): new")} == {1.0}
    fig = cell_diagram(so_step, highlight=frozenset({"forget"}))
    assert opacity_of(fig, "f(t): forget") == 1.0
    assert opacity_of(fig, "c(t): new") == DIM
    assert opacity_of(fig, "x(t)") == DIM
    assert drawn_opacities(fig) == {1.0, DIM}  # wires, boxes and labels are dimmed too
    assert drawn_opacities(plain) == {1.0}
    f_box = next(t for t in texts(fig) if "f: forget gate" in t["text"])
    g_box = next(t for t in texts(fig) if "g: candidate" in t["text"])
    assert (f_box["opacity"], g_box["opacity"]) == (1.0, DIM)
    # the numbers on a dimmed strip stay readable: opaque, dark on the pale squares
    c_new = cell_texts(fig, strip_named(fig, "c(t): new"))
    assert {t["opacity"] for t in c_new} == {1.0}
    assert {t["color"] for t in c_new} == {"#000000"}


def test_walkthrough_highlights_cover_the_cell_in_order():
    assert len(STEPS) == 8
    assert [sorted(w.highlights) for w in STEPS] == [[e] for e in ELEMENTS]
    step = random_step(2, 2)
    lit = [sum(t.get("opacity", 1.0) == 1.0 for t in strips(cell_diagram(step, highlight=h)))
           for h in (w.highlights for w in STEPS)]
    assert all(n >= 3 for n in lit)  # every step lights something besides the colour keys


def test_unknown_highlight_is_rejected(so_step):
    with pytest.raises(ValueError, match="unknown diagram elements"):
        cell_diagram(so_step, highlight=frozenset({"forgot"}))


@pytest.mark.parametrize("D,H", [(3, 2), (2, 3), (8, 8), (1, 1), (8, 3)])
def test_any_size_up_to_eight(D, H):
    step = random_step(D, H, peepholes=True)
    fig = cell_diagram(step, peepholes=True, presenter=True)
    assert len(printed(fig, "x(t)")) == D
    assert len(printed(fig, "c(t): new")) == H
    assert len(printed(fig, "[h(t-1); x(t)]: h(t-1)")) == D + H
    go.Figure(fig.to_dict())  # every property valid (the builder skips validation for speed)


def test_presenter_is_larger(so_step):
    normal, big = cell_diagram(so_step), cell_diagram(so_step, presenter=True)
    assert big.layout.height > normal.layout.height
    def sizes(fig):
        return {t["size"] for t in cell_texts(fig, strip_named(fig, "c(t): new"))}
    assert min(sizes(big)) > max(sizes(normal))


def test_numbers_contrast_with_their_squares(so_step):
    fig = cell_diagram(so_step)
    strip = next(t for t in strips(fig) if t["hovertext"][0][0].startswith("colour key for value"))
    key = cell_texts(fig, strip)
    assert [t["color"] for t in key] == ["#FFFFFF", "#000000", "#000000", "#000000", "#FFFFFF"]


def test_figure_is_fixed_and_valid(so_step):
    fig = go.Figure(cell_diagram(so_step).to_dict())  # validates
    assert fig.layout.xaxis.fixedrange and fig.layout.yaxis.fixedrange
    assert fig.layout.yaxis.scaleanchor == "x"


def test_alt_text_names_the_key_values(so_step):
    text = alt_text(so_step)
    assert "concatenated, not added" in text
    assert "f(t) = [0.48, 0.69, 0.55, 0.49, 0.67]" in text
    assert f"h(t) = y(t) = [{', '.join(f'{v:.2f}' for v in so_step.h)}]" in text


@pytest.mark.parametrize("value, shown", [
    (0.5, ".50"), (-0.5, "\u2212.50"), (0.07, ".07"), (-0.004, ".00"), (-0.0, ".00"),
    (0.994, ".99"), (-0.996, "\u22121.0"), (1.234, "1.2"), (-9.94, "\u22129.9"),
    (-9.96, "\u221210"), (12.3, "12")])
def test_compact_numbers_fit_four_characters(value, shown):
    from viz.diagram import compact

    assert compact(value) == shown
    assert len(shown.lstrip("\u2212")) <= 3  # at most three characters after the sign


@pytest.mark.parametrize("value, shown", [
    (0.5, ".50"), (-0.07, "\u2212.07"), (0.0, ".00"), (0.0101, ".01"), (0.0099, "1e-2"),
    (-0.0051, "\u22125e-3"), (0.004, "4e-3"), (-0.004, "\u22124e-3"), (3.2e-4, "3e-4"),
    (-2.6e-7, "\u22123e-7"),
    (1.5, "1.5"), (-42.0, "\u221242")])
def test_compact_gradients_keep_a_small_one_apart_from_zero(value, shown):
    """Presenter gradients: compact, but one below .01 keeps its size (as _gnum does)."""
    from viz.diagram import compact_gradient

    assert compact_gradient(value) == shown


def test_text_on_every_colour_of_the_scales_has_contrast_4_5():
    from viz.diagram import (
        GATE_SCALE,
        VALUE_SCALE,
        _contrast,
        _luminance,
        _rgb,
        _text_color,
        scale_rgb,
    )

    for scale in (VALUE_SCALE, GATE_SCALE):
        for t in np.linspace(0, 1, 201):
            ink = _luminance(_rgb(_text_color(scale, t)))
            assert _contrast(ink, _luminance(scale_rgb(scale, t))) >= 4.5, (scale, t)
