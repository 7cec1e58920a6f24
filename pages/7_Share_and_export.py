"""Share the scenario (link, JSON file), open a scenario file, and export it as code."""

import streamlit as st

from explainer.export import keras_script, numpy_script, torch_script
from explainer.scenario_file import MAX_FILE_BYTES, dumps, loads
from ui import page, state

FILE_MESSAGES = "scenario_file_messages"


def open_file() -> None:
    upload = st.session_state.get("upload_scenario")
    if upload is None:
        return
    loaded = loads(upload.getvalue())
    if loaded.scenario is not None:
        state.set_scenario(loaded.scenario)
    st.session_state[FILE_MESSAGES] = (loaded.scenario is not None, loaded.messages)


scenario = page.start("Share and export")
st.header("Link")
st.caption("Opens the cell explorer with this exact scenario, on any server running LSTM "
           "Explainer.")
st.code(page.share_link(explorer=True), language=None, wrap_lines=True)

st.header("Scenario file")
left, right = st.columns(2)
left.download_button("Download scenario (.json)", dumps(scenario), icon=":material/download:",
                     file_name=f"lstm-scenario-{scenario.preset}.json",
                     mime="application/json", key="download_scenario")
right.file_uploader(f"Open a scenario file (JSON, at most {MAX_FILE_BYTES // 1024} kB)",
                    type=["json"], key="upload_scenario", on_change=open_file,
                    help="A file downloaded from this page")
if FILE_MESSAGES in st.session_state:
    opened, messages = st.session_state.pop(FILE_MESSAGES)
    if opened:
        st.success("Scenario opened." + (" Some values were replaced:" if messages else ""))
    else:
        st.error("Nothing was changed: the file could not be used.")
    for message in messages:
        st.warning(state.plain(message), icon="⚠️")

st.header("As code")
st.caption("Each script sets the same weights and prints the same h(t) and c(t) as this page.")
numpy_tab, torch_tab, keras_tab = st.tabs(["NumPy", "PyTorch nn.LSTMCell", "Keras LSTMCell"])
for tab, make, name in ((numpy_tab, numpy_script, "numpy"), (torch_tab, torch_script, "torch"),
                        (keras_tab, keras_script, "keras")):
    with tab:
        code = make(scenario)
        st.download_button(f"Download lstm_step_{name}.py", code, file_name=f"lstm_step_{name}.py",
                           mime="text/x-python", key=f"download_{name}",
                           icon=":material/download:")
        st.code(code, language="python", line_numbers=True)
page.finish()
