"""What the live cells' conformance tests share: flattening a step (or gradient) dictionary
from the JavaScript or from viz.live*, and comparing the two key by key."""

from __future__ import annotations

import numpy as np


def flatten(data: dict, skip: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    """{"h": ..., "f.z": ...}: the top-level arrays (but `skip`), then each gate's fields as
    "<gate>.<field>" (a gate's "name" left out; None, a field a gate has not, becomes NaN)."""
    out = {k: np.asarray(v, dtype=np.float64) for k, v in data.items()
           if k != "gates" and k not in skip}
    for name, gate in data["gates"].items():
        for field, v in gate.items():
            if field != "name":
                out[f"{name}.{field}"] = np.asarray(np.nan if v is None else v,
                                                    dtype=np.float64)
    return out


def assert_matches(have: dict[str, np.ndarray], want: dict[str, np.ndarray], tol: float,
                   case: str, absent_is_nan: bool = False) -> None:
    """The JavaScript's values `have` equal NumPy's `want` to `tol`, key by key, all finite.
    With `absent_is_nan`, a key NumPy has as all NaN must be all NaN in the JavaScript too."""
    assert set(have) == set(want), f"{case}: keys differ"
    for name, ref in want.items():
        assert have[name].shape == ref.shape, f"{case} {name}: shape"
        if absent_is_nan and np.all(np.isnan(ref)):
            assert np.all(np.isnan(have[name])), f"{case} {name}"
            continue
        assert np.all(np.isfinite(have[name])), f"{case} {name}: not finite in JS"
        err = float(np.max(np.abs(have[name] - ref), initial=0.0))
        assert err <= tol, f"{case} {name}: JS differs from NumPy by {err:.3g} > {tol:.3g}"


def largest_error(have: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> float:
    """The largest absolute difference over every key NumPy has a value for (not all NaN)."""
    return max(float(np.max(np.abs(have[n] - want[n]), initial=0.0)) for n in want
               if not np.all(np.isnan(want[n])))
