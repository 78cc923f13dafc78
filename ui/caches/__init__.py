"""Caches: what the server keeps once per process, shared read-only by every session.

A cache bounded by entries and bytes (``cache``), results and chart specs memoized by exactly
their function and arguments (``memo``), and the data sets read once (``data``). Kept in
modules rather than ``st.cache_resource``, which any client can empty. No Streamlit import:
``memo.chart`` draws into whatever it is handed.

May import: core (and third-party packages).
"""
