"""Gradient Lab: the router (set_page_config, shared sidebar, navigation)."""

import streamlit as st

st.set_page_config(page_title="Gradient Lab", layout="wide")
st.title("Gradient Lab")
st.write("The engine is being built; pages follow.")
