"""F6: one time step, one operation at a time. The step is in the link (?step=3); Previous/Next
answer the arrow keys (PageUp/PageDown in presenter mode, what most clickers send)."""

import streamlit as st

from explainer.walkthrough import MAX_STEP, STEPS, prediction
from ui import page, state
from viz.curves import activation_curve
from viz.diagram import alt_text, cell_diagram
from viz.latex import walkthrough_latex

LAST = MAX_STEP
LABELS = tuple(w.short for w in STEPS)
PLOT_CONFIG = {"displaylogo": False, "scrollZoom": False}


def go_to(k: int) -> None:
    state.set_scenario(state.scenario().with_view(step=min(max(k, 0), LAST)))


scenario = page.start("Step by step")
view, step = scenario.view, scenario.step()
walk = view.walk
k = walk.index
keys = ("PageUp", "PageDown") if view.presenter else ("Left", "Right")

back, middle, ahead = st.columns([1.4, 4, 1.4], vertical_alignment="bottom")
back.button("Previous", key="walk_prev", type="primary", width="stretch", shortcut=keys[0],
            disabled=k == 0, on_click=go_to, args=(k - 1,))
ahead.button("Next", key="walk_next", type="primary", width="stretch", shortcut=keys[1],
             disabled=k == LAST, on_click=go_to, args=(k + 1,))
if view.presenter:
    middle.markdown(f"### Step {k + 1} of {LAST + 1} · {walk.title}")
else:
    middle.segmented_control(
        "Step", LABELS, width="stretch", **state.bound(
            "walk_step", LABELS[k], lambda s, v: s if v is None else
            s.with_view(step=LABELS.index(v))))
    st.toggle("Predict, then reveal: guess before the numbers appear",
              **state.bound("walk_predict", view.predict, lambda s, v: s.with_view(predict=v)))

quiz = prediction(step, walk) if view.predict else None
setup, result = walkthrough_latex(step, walk)
words, side = st.columns([3, 2], gap="medium")
with words:
    if not view.presenter:  # the presenter sees the step's title beside the buttons
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
if revealed:
    st.plotly_chart(cell_diagram(step, highlight=walk.highlights, presenter=view.presenter),
                    key="walk_diagram", config=PLOT_CONFIG, alt=alt_text(step))
else:
    st.info("Make your guess first: the diagram and this step's numbers appear after it.")
for line in setup + (result if revealed else ()):
    st.latex(line)
page.finish()
