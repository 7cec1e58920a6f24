"""Scenario <-> URL query parameters. (Minimal first version: `preset` only; grows in issue 5.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .presets import PRESETS, build
from .scenario import Scenario

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Decoded:
    scenario: Scenario
    warnings: tuple[str, ...]  # one plain-text sentence per rejected parameter


def decode(query: Mapping[str, str | list[str]]) -> Decoded:
    """Never raises: bad parameters become warnings and fall back on their own."""
    name = query.get("preset", "default")
    if isinstance(name, list):
        name = name[-1] if name else "default"
    if name not in PRESETS:
        expected = ", ".join(PRESETS)
        return Decoded(build("default"), (f"preset: unknown name; expected one of {expected}",))
    return Decoded(build(name), ())


def encode(scenario: Scenario) -> dict[str, str]:
    return {"v": str(FORMAT_VERSION), "preset": scenario.preset}
