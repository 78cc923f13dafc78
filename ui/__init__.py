"""Streamlit and Altair glue: widgets, cached runs, chart builders and interface text."""
