"""F17: a tiny LSTM and a basic RNN trained live on a memory task; the trained LSTM's gates and
the way into the explorer."""

import streamlit as st

from ui import page, text
from ui.training import live, settings_form, show_error, trained_lstm

scenario = page.start("Train it")
presenter = scenario.view.presenter
lead, tasks_help, lesson = text.load("train").split("\n---\n")
st.markdown(lead)
with st.expander("The tasks, and why the forget-bias initialisation matters"):
    st.markdown(tasks_help)
settings_form()
show_error()
live(presenter)
trained_lstm(presenter, lesson)
page.finish()
