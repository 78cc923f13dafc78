"""An uploaded configuration read safely: size and nesting are checked before JSON parses it.

Pure Python (no Streamlit). A configuration is what the Lab's download button saves: one JSON
object of settings, ``{"depth": "10", "v1_activation": "relu", ...}``. Whatever else arrives
(a huge file, a binary one, ``[`` repeated 100,000 times, which makes Python's JSON parser
raise ``RecursionError``) ends in :class:`Unreadable`, whose ``reason`` names the catalogue
sentence that says why.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

#: The largest file read (a saved configuration is about 1 kB).
MAX_BYTES = 64 * 1024
#: The deepest nesting of JSON arrays and objects read (a configuration has depth 1).
MAX_DEPTH = 8
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class Unreadable(ValueError):
    """The file is no configuration; ``reason`` is the catalogue key of the reason:
    ``upload_too_large``, ``upload_not_text``, ``upload_too_deep``, ``upload_not_json`` or
    ``upload_not_object``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def nesting_depth(text: str) -> int:
    """The deepest nesting of JSON arrays and objects in ``text``, brackets inside strings
    not counted: ``'{"a": [1, "]["]}'`` -> 2. Linear in ``len(text)``, no recursion (the
    running sum of +1 per opening and -1 per closing bracket, in C)."""
    brackets = _BRACKET.findall(_STRING.sub('""', text))
    return max(accumulate(map(_STEP.__getitem__, brackets), initial=0))


def parse(data: bytes) -> dict:
    """The settings object in ``data`` (UTF-8 JSON, a byte-order mark allowed).

    Raises :class:`Unreadable` when ``data`` is larger than :data:`MAX_BYTES`, not UTF-8,
    nested deeper than :data:`MAX_DEPTH`, not JSON, or JSON but not an object. The size is
    checked before decoding and the nesting before parsing, so neither can exhaust memory or
    the parser's recursion.
    """
    if len(data) > MAX_BYTES:
        raise Unreadable("upload_too_large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("upload_not_text") from None
    if nesting_depth(text) > MAX_DEPTH:
        raise Unreadable("upload_too_deep")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError, or an integer of > 4300 digits
        raise Unreadable("upload_not_json") from None
    if not isinstance(value, dict):
        raise Unreadable("upload_not_object")
    return value
