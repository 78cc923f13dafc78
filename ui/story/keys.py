"""Catalogue keys named after a lesson, question or claim: one place that spells them.

A text of the catalogues (:mod:`ui.text.locales`) that belongs to one lesson, question or claim
is keyed by that object's id: ``ls_<lesson>``, ``q_<question>``, ``claim_<claim>_measured``...
The objects carry their keys as attributes (``lesson.title_key``, ``claim.said_key``), so that
no caller builds a key from strings.
"""

from __future__ import annotations


class TextKey:
    """A read-only attribute: the catalogue key ``pattern`` filled with the object's id (its
    attribute ``of``). ``title_key = TextKey("ls_{}")`` on a lesson named ``vanishing`` reads
    ``"ls_vanishing"``."""

    def __init__(self, pattern: str, of: str = "name") -> None:
        self.pattern, self.of = pattern, of

    def __get__(self, obj, owner=None):
        return self if obj is None else self.pattern.format(getattr(obj, self.of))
