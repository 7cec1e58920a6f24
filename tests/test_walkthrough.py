"""explainer.walkthrough: one registry of the steps through the cell, used by every page."""

from __future__ import annotations

import pytest

from explainer import walkthrough
from explainer.codec import decode, encode
from explainer.presets import build
from explainer.walkthrough import MAX_STEP, STEPS, WalkStep, prediction


def test_eight_steps_in_the_order_the_cell_computes():
    assert [w.id for w in STEPS] == ["inputs", "concat", "forget", "input", "candidate",
                                     "cell_update", "output", "h_out"]
    assert [w.index for w in STEPS] == list(range(8)) and MAX_STEP == 7
    assert [w.gate for w in STEPS if w.gate] == ["f", "i", "g", "o"]


def test_each_step_is_a_frozen_record_with_text_and_highlights():
    for w in STEPS:
        assert isinstance(w, WalkStep) and w.title and w.short and w.highlights
        assert len(w.explanation) > 100 and "<" not in w.explanation
    with pytest.raises(AttributeError):
        STEPS[0].title = "changed"  # type: ignore[misc]


def test_at_clamps_and_by_id_finds():
    assert walkthrough.at(-3) is STEPS[0] and walkthrough.at(99) is STEPS[-1]
    assert walkthrough.by_id("candidate").index == 4
    with pytest.raises(ValueError, match="unknown walkthrough step"):
        walkthrough.by_id("nope")


def test_the_link_step_is_the_registry_position():
    for w in STEPS:
        s = build("default").with_view(step=w.index)
        assert decode(encode(s)).scenario.view.walk is w
    assert "step" in decode({"step": str(MAX_STEP + 1)}).warnings[0]


@pytest.mark.parametrize("preset", ["default", "stackoverflow", "remember", "saturated"])
def test_predictions_agree_with_numbers(preset):
    s = build(preset)
    step = s.step()
    by_id = walkthrough.by_id
    assert prediction(step, by_id("inputs")) is None
    assert prediction(step, by_id("concat")).answer == str(s.H + s.D)
    for id_, name in (("forget", "f"), ("input", "i"), ("output", "o")):
        expected = "yes" if step.gate(name).a[0] > 0.5 else "no"
        assert prediction(step, by_id(id_)).answer == expected
    assert prediction(step, by_id("candidate")).answer == (
        "positive" if step.g[0] >= 0 else "negative")
    grows = abs(step.c[0]) > abs(step.c_prev[0])
    assert prediction(step, by_id("cell_update")).answer == ("grow" if grows else "shrink")
    assert prediction(step, by_id("h_out")).answer == "yes"  # o > 0: h has the sign of c
    for w in STEPS[1:]:
        p = prediction(step, w)
        assert p.answer in p.options
