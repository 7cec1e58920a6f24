"""F16: one step's backward pass, right to left, with the numbers; the loss is the user's. The
backward step is in the link (?bstep=2), the loss too (?loss=target&target=1,-1)."""

import streamlit as st

from explainer.backward import backward_pass
from ui import page, text
from ui.backward import back_counter, back_stepper, gradient_table, loss_controls
from ui.explorer import lazy_expander
from ui.live_cell import live_cell
from viz.backward import backward_lines, parameter_lines

scenario = page.start("Backward pass")
view = scenario.view
run = backward_pass(scenario)
lines = backward_lines(run.step, run.grad, run.target, run.loss)
walk = view.back_walk


def diagram() -> None:  # computed in the browser while a value moves
    live_cell(scenario, key="back_cell", highlight=walk.highlights,
              controls=not view.presenter, gradient=run)
    st.caption("Each wire carries ∂L/∂ of its vector, arrows pointing back. Move x(t), h(t-1), "
               "c(t-1) or a weight: the gradients follow as you drag.")


if view.presenter:  # projected: the counter, then the whole diagram; keys and clicker step
    back_counter(scenario)
    diagram()
else:
    st.markdown(text.load("lessons/backward"))

# presenter mode: the loss folded away under the diagram
with st.expander("Loss", expanded=False) if view.presenter else st.container():
    controls, summary = st.columns([3, 2], gap="medium")
    with controls:
        loss_controls(scenario)
    if run.loss is not None:
        summary.metric("Loss L = ½‖h(t) − target‖²", f"{run.loss:.6f}")
    summary.caption("Here dX means ∂L/∂X, and ⊗ multiplies element by element.")

if not view.presenter:
    back_stepper(scenario)
words, maths = st.columns([2, 3], gap="medium")
with words:
    st.subheader(f"{walk.index + 1}. {walk.title}")
    st.markdown(walk.explanation)
with maths:
    for line in lines[walk.id]:
        st.latex(line.symbolic)
        st.latex(line.numeric)
if not view.presenter:
    diagram()

with lazy_expander("Every backward equation, with your numbers", "back_all") as open_:
    for line in (line for group in lines.values() for line in group) if open_ else ():
        st.latex(line.numeric)
with lazy_expander("Parameter gradients", "back_params") as open_:
    for line in parameter_lines(run.step, run.grad) if open_ else ():
        st.latex(line)
with lazy_expander("Every gradient (table)", "back_table_box") as open_:
    if open_:
        st.dataframe(gradient_table(run), hide_index=True, key="back_table")
page.finish()
