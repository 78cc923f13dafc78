"""Text: the words the interface shows, in the visitor's language.

The catalogues (``locales/en.py``, ``locales/ko.py``) and their lookup (``i18n.Text``), Korean
particles that agree with the word before them (``korean``), display names of activations and
initializers (``labels``), and number formats, Markdown tables and outside text made safe to
show (``format``). Pure: no Streamlit, no state.

May import: core (and third-party packages).
No other room of ``ui`` is imported here: every other room reads its words through this one.
"""
