"""The app's colours, defined once. Colour-blind-safe (Okabe & Ito 2008 hues); numbers are always
printed beside a colour, so colour is never the only cue.

One diverging scale colours every value in the app (the cell diagram, the live diagram, the
heatmaps): blue for negative, orange for positive, near-white at zero. Blue against orange stays
apart under every common colour-vision deficiency (they differ in lightness and on the blue-yellow
axis), and the two ends are dark enough for white text. A gate's value (0 … 1) uses the positive
half of the same scale: 0 is neutral, fully open is the positive hue.
"""

from __future__ import annotations

from types import MappingProxyType

BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"

GATE_COLOURS = MappingProxyType({"f": BLUE, "i": ORANGE, "g": GREEN, "o": PURPLE})
SERIES = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY)  # first = right/reference, second = other
PATTERNS = ("", "/", ".", "x", "-", "+")  # bar fill patterns: a second cue besides colour

# -- the value scale -----------------------------------------------------------------------------
NEGATIVE = "#0B4F86"  # Okabe-Ito blue, darkened: white text on it has contrast 8.6
NEGATIVE_LIGHT = "#6CA6D4"
NEUTRAL = "#F7F7F7"
POSITIVE_LIGHT = "#EFA46A"
POSITIVE = "#B34700"  # Okabe-Ito orange/vermillion, darkened: white text on it has contrast 5.4
DIVERGING_STOPS = ((0.0, NEGATIVE), (0.25, NEGATIVE_LIGHT), (0.5, NEUTRAL),
                   (0.75, POSITIVE_LIGHT), (1.0, POSITIVE))


def plotly_scale(stops=DIVERGING_STOPS) -> list[list]:
    """A Plotly colorscale (a fresh list of [position, colour] pairs) from (position, colour)."""
    return [[float(t), colour] for t, colour in stops]


def positive_half(stops=DIVERGING_STOPS) -> tuple[tuple[float, str], ...]:
    """The stops from the neutral middle to the positive end, rescaled to 0 … 1 (gates)."""
    return tuple((round(2 * t - 1, 6), colour) for t, colour in stops if t >= 0.5)


DIVERGING = plotly_scale()  # values, symmetric around 0 (zmin = -zmax)
GATE_SCALE = plotly_scale(positive_half())  # gate values 0 … 1: neutral to the positive hue


def key_sentence(low: str = "−1", high: str = "+1") -> str:
    """The words of the colour key: what each colour means, for screen readers and captions."""
    return f"Colour key: blue is negative (down to {low}), white is zero, orange is positive " \
           f"(up to {high})."


def css_gradient(stops=DIVERGING_STOPS) -> str:
    """The scale as a CSS linear-gradient (left = negative), for keys drawn in HTML."""
    return "linear-gradient(to right, " + ", ".join(
        f"{colour} {100 * t:g}%" for t, colour in stops) + ")"
