"""Korean particles that agree with the word before them, numbers included.

A Korean particle's form depends on how the preceding word is read: ``로`` after a vowel or
ㄹ and ``으로`` after another final consonant; ``가``/``이``, ``를``/``을``, ``는``/``은``,
``와``/``과`` after a vowel / any final consonant. The catalogue writes both forms, e.g.
``"{acc}(으)로"``, and :func:`attach` picks one from the text actually filled in. Numbers are
read as Korean readers say them: the last digit (1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠,
8 팔, 9 구), a round number by its unit (10 십, 100 백, 1000 천, 10000 만), a 0 after a decimal
point as 영, ``%`` as 퍼센트, a power of ten (``10⁻⁶``) as ...승.
"""

from __future__ import annotations

import re

#: Marker in the catalogue -> (form after a vowel, form after a final consonant, does ㄹ count
#: as a vowel). Only 로 treats ㄹ like a vowel.
PARTICLES = {
    "(으)로": ("로", "으로", True),
    "(이)가": ("가", "이", False),
    "(을)를": ("를", "을", False),
    "(은)는": ("는", "은", False),
    "(과)와": ("와", "과", False),
}
_MARKER = re.compile("|".join(re.escape(m) for m in PARTICLES))

NO_FINAL, RIEUL, OTHER_FINAL = "vowel", "ㄹ", "consonant"
_DIGIT_FINAL = {
    "0": OTHER_FINAL,  # 영
    "1": RIEUL,  # 일
    "2": NO_FINAL,  # 이
    "3": OTHER_FINAL,  # 삼
    "4": NO_FINAL,  # 사
    "5": NO_FINAL,  # 오
    "6": OTHER_FINAL,  # 육
    "7": RIEUL,  # 칠
    "8": RIEUL,  # 팔
    "9": NO_FINAL,  # 구
}
#: Units read aloud: % 퍼센트, 배, 층.
_UNIT_FINAL = {"%": NO_FINAL, "배": NO_FINAL, "층": OTHER_FINAL}
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
_LATIN_FINAL = {"l": RIEUL, "m": OTHER_FINAL, "n": OTHER_FINAL, "k": OTHER_FINAL}
_CLOSING = {")": "(", "]": "[", "’": "‘", "”": "“"}


def final_sound(text: str) -> str:
    """How ``text`` ends when read aloud: ``vowel``, ``ㄹ`` or ``consonant``."""
    text = text.rstrip().rstrip("*`_")  # markdown emphasis and code marks are not read
    while text and text[-1] in _CLOSING:  # a parenthesis: the word before it counts
        opening = text.rfind(_CLOSING[text[-1]])
        text = text[:opening].rstrip() if opening > 0 else text[:-1].rstrip()
        text = text.rstrip("*`_")
    if not text:
        return NO_FINAL
    last = text[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return NO_FINAL if final == 0 else RIEUL if final == 8 else OTHER_FINAL
    if last in _SUPERSCRIPTS:
        return OTHER_FINAL  # 10⁻⁶: "십의 마이너스 육 승"
    if last in _UNIT_FINAL:
        return _UNIT_FINAL[last]
    if last.isdigit():
        # the last digit's reading decides; a round number ends in 십, 백, 천 or 만, a
        # consonant other than ㄹ, just as 0 (영) does after a point or alone
        return _DIGIT_FINAL[last]
    if last.isascii() and last.isalpha():
        return _LATIN_FINAL.get(last.lower(), NO_FINAL)
    return NO_FINAL


def attach(text: str) -> str:
    """Replace every particle marker in ``text`` by the form that fits the word before it."""

    def choose(match: re.Match) -> str:
        after_vowel, after_consonant, rieul_as_vowel = PARTICLES[match.group(0)]
        sound = final_sound(text[: match.start()])
        if sound == NO_FINAL or (sound == RIEUL and rieul_as_vowel):
            return after_vowel
        return after_consonant

    return _MARKER.sub(choose, text)
