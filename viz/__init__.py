"""Plotly figure builders: pure functions from lstm_core records to `go.Figure` (no Streamlit)."""
