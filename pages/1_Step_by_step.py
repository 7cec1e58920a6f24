"""F6: one time step, one operation at a time. The step is in the link (?step=3). Previous/Next
and the keys ← / → and PageUp / PageDown (what most clickers send) move one step each, from
where the page is now: two quick presses are two steps."""

import streamlit as st

from explainer.walkthrough import MAX_STEP, STEPS, prediction
from ui import page, state
from ui.live_cell import live_cell
from ui.stepper import stepper
from viz.curves import activation_curve
from viz.latex import walkthrough_latex

LAST = MAX_STEP
LABELS = tuple(w.short for w in STEPS)
PLOT_CONFIG = {"displaylogo": False, "scrollZoom": False}


scenario = page.start("Step by step")
view, step = scenario.view, scenario.step()
walk = view.walk
k = walk.index
stepper(walk, STEPS, presenter=view.presenter)
if not view.presenter:  # the presenter sees the counter; the picker and the quiz are extras
    st.segmented_control("Jump to a step", LABELS, width="stretch", **state.bound(
        "walk_step", LABELS[k], lambda s, v: s if v is None else s.with_view(
            step=LABELS.index(v))))
    st.toggle("Predict, then reveal: guess before the numbers appear",
              **state.bound("walk_predict", view.predict, lambda s, v: s.with_view(predict=v)))

quiz = prediction(step, walk) if view.predict else None
setup, result = walkthrough_latex(step, walk)
diagram_first = view.presenter and quiz is None  # projected: the diagram under the counter
if diagram_first:
    live_cell(scenario, key="walk_cell", highlight=walk.highlights, controls=False,
              gate=walk.gate)
words, side = st.columns([3, 2], gap="medium")
with words:
    st.subheader(f"{k + 1}. {walk.title}")
    st.markdown(walk.explanation)
    guess = None
    if quiz:
        guess = st.radio(f"Your guess: {quiz.question}", quiz.options, index=None,
                         horizontal=True, key=f"walk_guess_{k}")
        if guess is not None:
            verdict = st.success if guess == quiz.answer else st.error
            verdict(f"You said **{guess}**; the numbers say **{quiz.answer}**: {quiz.evidence}")
revealed = quiz is None or guess is not None
if revealed and walk.gate:
    gate = step.gate(walk.gate)
    side.plotly_chart(activation_curve(walk.gate, gate.spec.activation, gate.z,
                                       presenter=view.presenter),
                      key="walk_curve", config=PLOT_CONFIG)
if revealed and not diagram_first:
    live_cell(scenario, key="walk_cell", highlight=walk.highlights, controls=False,
              gate=walk.gate)
elif not revealed:
    st.info("Make your guess first: the diagram and this step's numbers appear after it.")
for line in setup + (result if revealed else ()):
    st.latex(line)
page.finish()
