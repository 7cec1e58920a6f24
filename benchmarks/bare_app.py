"""The baseline for benchmarks/run.py: one slider and one Plotly chart whose data (and the
numbers drawn on it) depend on the slider. Nothing else."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Bare app")
v = st.slider("value", -1.0, 1.0, 0.0, 0.05)
x = np.arange(8)
y = np.round(np.sin(x * (1 + v)) + v, 4)
st.plotly_chart(go.Figure(go.Bar(x=x, y=y, text=y, textposition="outside"),
                          layout=dict(title=f"value = {v:.2f}", height=360)))
