"""Page: what the pages draw with.

The sidebar and shared settings (``shell``), the URL parameters (``params``) and their binding
to the widgets (``url_state``), the control each parameter draws (``controls``), tabs and
expanders that last (``lasting``), the frame every technique page shares (``technique``), a
lesson's questions as a form (``quiz``), the site's pages and navigation (``site``), the export
downloads (``export_offer``) and uploaded configurations (``config_file``).

May import: core, ui.runs, ui.story, ui.drawing, ui.caches, ui.text (and third-party packages).
Only ``app.py`` and ``app_pages/`` sit above it. Streamlit may be imported here.
"""
