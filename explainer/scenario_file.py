"""Scenario files: the same query parameters as a link, wrapped in a small JSON document, and
read back with exactly the same validation."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .codec import FORMAT_VERSION, decode, encode
from .scenario import Scenario

FORMAT = "lstm-explainer-scenario"
MAX_FILE_BYTES = 128 * 1024  # a full 8x8 scenario is about 20 kB


@dataclass(frozen=True)
class Loaded:
    scenario: Scenario | None  # None: the file was unusable and nothing should change
    messages: tuple[str, ...]  # plain text: what was wrong, parameter by parameter


def dumps(scenario: Scenario) -> str:
    return json.dumps({"format": FORMAT, "version": FORMAT_VERSION,
                       "query": encode(scenario)}, indent=2, ensure_ascii=False)


def loads(data: bytes) -> Loaded:
    """Never raises. A file that is not a scenario changes nothing; a scenario with some bad
    values keeps the good ones, like a link."""
    if len(data) > MAX_FILE_BYTES:
        return Loaded(None, (f"file: larger than {MAX_FILE_BYTES // 1024} kB",))
    try:
        doc = json.loads(data.decode("utf-8-sig"))  # a byte-order mark (some editors) is fine
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return Loaded(None, ("file: not a JSON document",))
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return Loaded(None, (f"file: expected a JSON object with \"format\": \"{FORMAT}\"",))
    query = doc.get("query")
    if not isinstance(query, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in query.items()):
        return Loaded(None, ("file: \"query\" must be an object of text values",))
    decoded = decode(query)
    return Loaded(decoded.scenario, decoded.warnings)
