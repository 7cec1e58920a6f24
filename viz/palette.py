"""Colour-blind-safe colours (Okabe & Ito 2008). Numbers are always printed beside a colour."""

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
DIVERGING = "RdBu"  # heatmaps: blue-red is readable with red-green colour blindness
