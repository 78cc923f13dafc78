"""Interface text lookup. Pure Python: the language is passed in, never read from a session."""

from __future__ import annotations

from . import korean
from .locales import en, ko

CATALOGUES = {"en": en.TEXT, "ko": ko.TEXT}
LANGUAGES = tuple(CATALOGUES)


class Text:
    """``tr = Text("ko"); tr("key", n=3)`` -> the Korean text for ``key`` with ``{n}`` filled.

    A key missing from the chosen language falls back to English; a key missing everywhere
    raises KeyError (a test checks both catalogues hold the same keys). Korean particles written
    with both forms, ``"{acc}(으)로"``, agree with the value filled in (:mod:`ui.text.korean`).
    """

    def __init__(self, lang: str):
        self.lang = lang if lang in CATALOGUES else "en"
        self.catalogue = CATALOGUES[self.lang]

    def __eq__(self, other) -> bool:
        return isinstance(other, Text) and other.lang == self.lang

    def __hash__(self) -> int:  # part of the memo keys of charts and read-outs
        return hash(("Text", self.lang))

    def __call__(self, key: str, **values) -> str:
        text = self.catalogue.get(key, en.TEXT[key])
        text = text.format(**values) if values else text
        return korean.attach(text) if self.lang == "ko" else text
