"""Tables of a step's intermediates: the diagram's full text equivalent."""

from __future__ import annotations

import pandas as pd

from lstm_core import LSTMStep
from lstm_core.intermediates import intermediates


def intermediates_table(step: LSTMStep, decimals: int = 4) -> pd.DataFrame:
    """One row per intermediate, one column per vector element, as text with fixed decimals."""
    width = max(len(item.values) for item in intermediates(step))
    records = []
    for item in intermediates(step):
        rec = {"symbol": item.symbol, "meaning": item.meaning, "shape": f"({len(item.values)},)"}
        cells = [f"{v:+.{decimals}f}" for v in item.values] + [""] * (width - len(item.values))
        rec.update({f"[{k}]": cell for k, cell in enumerate(cells)})
        records.append(rec)
    return pd.DataFrame.from_records(records)
