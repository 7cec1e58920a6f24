"""Share the scenario (link, JSON file), open a scenario file, and export it as code."""

import streamlit as st

from explainer.gru_export import exports
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
cell = "GRU" if scenario.cell == "gru" else "LSTM"
st.caption(f"Each script sets the same weights of this scenario's {cell} and prints the same "
           f"{'h(t)' if cell == 'GRU' else 'h(t) and c(t)'} as this app (the GRU page switches "
           "the scenario's cell).")
scripts = exports(scenario)
for tab, (_, file_name, code) in zip(st.tabs([label for label, _, _ in scripts]), scripts):
    with tab:
        name = file_name.split("_")[-1].removesuffix(".py")
        st.download_button(f"Download {file_name}", code, file_name=file_name,
                           mime="text/x-python", key=f"download_{name}",
                           icon=":material/download:")
        st.code(code, language="python", line_numbers=True)
page.finish()
