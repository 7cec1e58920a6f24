"""Write tests/fixtures/links_v1.json: links and the scenario each one opens, as decoded by the
app at the commit this script runs in. Run once with the code from before the architecture split
(issue 11) so the test proves every such link still opens the same scenario:

    git archive 856186c | tar -x -C /tmp/old && cd /tmp/old && \
        python /work/main/scripts/make_link_fixtures.py /work/main/tests/fixtures/links_v1.json
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path.cwd()))
try:  # before the split
    from lstm_core.codec import PARAMETERS, decode, encode
    from lstm_core.presets import PRESETS, build
except ImportError:  # after it
    from explainer.codec import PARAMETERS, decode, encode
    from explainer.presets import PRESETS, build


def fields(scenario) -> dict[str, str]:
    """Every value a link carries, written exactly (repr of each float)."""
    out = {"preset": scenario.preset}
    for p in PARAMETERS:
        out[p.key] = p.kind.format(p.get(scenario))
    return out


def scenarios():
    rng = np.random.default_rng(2026)
    for name in PRESETS:
        base = build(name)
        yield base
        yield base.with_view(step=5, presenter=True, predict=True)
        for k in range(3):
            D, H = int(rng.integers(1, 9)), int(rng.integers(1, 9))
            s = base.resized(D, H, seed=k) if k else base
            params = s.params.with_gate("f", b=rng.uniform(-3, 3, s.H))
            params = replace(params, use_peepholes=bool(k % 2), forget_bias=float(k))
            params = params.with_gate("o", w_c=rng.uniform(-1, 1, s.H))
            s = replace(s.with_params(params), x=rng.uniform(-10, 10, s.D),
                        c_prev=rng.normal(size=s.H))
            seq = replace(s.view.sequence, kind=("pulse", "step", "noise", "custom")[k],
                          T=int(rng.integers(1, 400)), values=tuple(rng.uniform(-1, 1, 3)))
            yield s.with_view(step=int(rng.integers(0, 8)), sequence=seq)


HAND_WRITTEN = [  # links a person may have typed or kept, some with bad parameters
    {},
    {"preset": "stackoverflow"},
    {"preset": "remember", "x": "1,2", "Wxf": "0.1,0.2;0.3,0.4", "fb": "1", "step": "3"},
    {"v": "1", "preset": "forget", "D": "3", "H": "2", "x": "1,2,3"},
    {"preset": "overwrite", "step": "99", "x": "1e400,0", "peep": "yes", "T": "12"},
    {"preset": "nope", "seq": "custom", "vals": "1,-1,0.5", "presenter": "true"},
    {"v": "7", "preset": "saturated", "h": "0.1,  0.2", "bf": "-0.0,1"},
]


def main(target: str) -> None:
    links = [encode(s) for s in scenarios()] + HAND_WRITTEN
    cases = []
    for query in links:
        decoded = decode(query)
        cases.append({"query": query, "fields": fields(decoded.scenario),
                      "warnings": list(decoded.warnings)})
    Path(target).write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} links -> {target}")


if __name__ == "__main__":
    main(sys.argv[1])
