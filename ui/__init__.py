"""Streamlit glue: session state, URL sync, shared controls. The only package besides pages/
and app.py that imports Streamlit."""
