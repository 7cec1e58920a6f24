"""explainer.gru_lessons and viz.gru_equations: counts from the arrays, the two placements, the
convention table, and the equations carrying the step's numbers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from explainer.gru_lessons import CONVENTIONS, GATE_ROLES, parameter_counts, placements, swapped
from explainer.presets import build
from lstm_core import GRU_GATE_ORDER, GRUParams, LSTMParams
from viz.gru_equations import gru_equation_lines, gru_system


@pytest.mark.parametrize(("D", "H"), [(1, 1), (2, 3), (8, 8)])
def test_parameter_counts_match_the_formulas(D, H):
    counts = parameter_counts(LSTMParams.random(D, H), GRUParams.random(D, H))
    assert [c.total for c in counts] == [4 * (D * H + H * H + H), 4 * (D * H + H * H + 2 * H),
                                         3 * (D * H + H * H + 2 * H), 3 * (D * H + H * H + H)]
    assert [c.blocks for c in counts] == [4, 4, 3, 3]


def test_placements_agree_only_when_the_reset_has_nothing_to_act_on():
    gru = GRUParams.random(2, 3, seed=4, scale=1.5)
    x = np.array([0.7, -0.3])
    differ = placements(gru, x, np.array([0.5, -0.8, 0.2]))
    assert differ.h_diff > 1e-3 and differ.g_diff >= differ.h_diff - 1e-15
    same = placements(gru.with_gate("g", b_h=np.zeros(3)), x, np.zeros(3))  # h(t-1) = 0
    assert same.h_diff == 0.0 and same.g_diff == 0.0
    np.testing.assert_allclose(differ.before.h, replace(build("default"), gru=replace(
        gru, reset_after=False), x=x, h_prev=np.array([0.5, -0.8, 0.2]),
        c_prev=np.zeros(3), params=LSTMParams.random(2, 3)).gru_step().h)


def test_convention_table_and_roles():
    by_source = {c.source: c for c in CONVENTIONS}
    assert by_source["PyTorch nn.GRU / nn.GRUCell"].z_keeps
    assert by_source["PyTorch nn.GRU / nn.GRUCell"].reset == "after"
    assert not by_source["Chung et al. 2014"].z_keeps
    candidate = ("h̃", "ĥ", "H̃", "⊗ g", "⊙ n", "* hh")
    for c in CONVENTIONS:  # the written formula agrees with the flag
        terms = c.new_state.split("=", 1)[1].split("+")
        old = [t for t in terms if not any(sym in t for sym in candidate)]
        assert len(old) == 1, c.source
        assert ("1 −" not in old[0]) == c.z_keeps, c.source
    assert [r.gru[0] for r in GATE_ROLES[:3]] == list(GRU_GATE_ORDER)
    np.testing.assert_array_equal(swapped(np.array([0.25, 1.0])), [0.75, 0.0])


@pytest.mark.parametrize("reset_after", [True, False])
def test_equations_carry_the_steps_numbers(reset_after):
    s = build("gru-reset-before")
    step = replace(s, gru=replace(s.gru, reset_after=reset_after)).gru_step()
    lines = gru_equation_lines(step)
    assert [line.name for line in lines] == ["z", "r", "reset", "g", "h"]
    text = {line.name: line.numeric for line in lines}
    assert f"{step.z[0]:.4f}" in text["z"] and f"{step.h[1]:.4f}" in text["h"]
    assert f"{step.candidate.pre[0]:.3f}" in text["g"]
    inner = step.candidate.rec if reset_after else step.candidate.h_in
    assert f"{inner[1]:.4f}" in text["reset"]
    system = gru_system(lines)
    assert system.count(r"\\") == 3  # four typeset lines: z, r, g, h
    assert (r"\mathbf{r}_{(t)} \otimes \left(" in system) == reset_after
