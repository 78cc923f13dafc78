"""The URL parameters: names, types, ranges, defaults, and how a raw URL value is read.

Pure Python (no Streamlit), so that every rule here is unit-tested. A raw value from the query
string is never trusted: :func:`read` turns it into a valid value and, when it had to change it,
a note saying what it did (clamped into range, or ignored for the default).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from core import activations, clipping, datasets, initializers, optimizers
from core.network import BATCHNORM_PLACEMENTS

from ..story import lessons

#: Learning rates offered on the slider (a link may name any other value in range).
LR_STEPS = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: Mini-batch sizes offered on the slider, powers of two (a link may name any other).
BATCH_STEPS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
#: A single value (a number or a name) longer than this is ignored unread.
MAX_RAW_LENGTH = 64
#: The most items of a list value that are read (``hide=`` names every control at most once).
MAX_LIST_ITEMS = 100
#: The most characters of a raw value a note keeps (the page shows fewer, see format.literal).
NOTE_RAW_LENGTH = 200
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Param:
    """One URL parameter.

    Attributes:
        name: the query-string key (also the widget key).
        kind: ``"int" | "float" | "bool" | "choice" | "choices"`` (the last is a comma-separated
            list; a bool is written 1 or 0, and reads true/false, yes/no, on/off too).
        default: value when absent or unusable.
        lo, hi: inclusive range for numbers (clamped into it).
        choices: valid values for choice parameters.
        max_items: most items a ``choices`` list may hold.
        step: a slider's step for numbers (None: its control's own, 1 for whole numbers).
        steps: the values a slider offers, when they are not evenly spaced (learning rates).

    ``step`` and ``steps`` are what a control offers; a link may name any value in range.
    """

    name: str
    kind: str
    default: object
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()
    max_items: int = 4
    step: float | None = None
    steps: tuple = ()

    @property
    def order(self) -> tuple:
        """A list parameter's choices in the order a page shows them: its default items first,
        then the others (a variant keeps its colour whichever of them a link shows)."""
        return tuple(dict.fromkeys([*self.default, *self.choices]))


@dataclass(frozen=True)
class Note:
    """What happened to one raw value from outside (a link or an uploaded configuration).

    ``action`` is ``"clamped"`` (out of range, or a list with too many items), ``"ignored"``
    (unusable: ``used`` is the default), ``"dropped"`` (a list with items that are not valid
    choices: ``raw`` holds those items, ``used`` the valid ones kept), ``"missing"`` or
    ``"corrupt"`` (a valid data set that cannot be had on this server: not downloaded, or its
    files fail their checksum), ``"kept"`` or ``"wrong_type"`` (an uploaded value invalid or of
    the wrong JSON type, so the current value ``used`` stays) or ``"unknown"`` (an uploaded
    name that is no setting; ``raw`` holds it, ``name`` is empty). ``raw`` is the text as it
    came, cut to :data:`NOTE_RAW_LENGTH` characters.
    """

    name: str
    raw: str
    action: str
    used: object


def _number(param: Param, raw: str) -> tuple[object, str | None]:
    try:
        x = float(raw)
    except ValueError:
        return param.default, "ignored"
    if not math.isfinite(x):
        return param.default, "ignored"
    if param.kind == "int":
        if x != int(x):
            return param.default, "ignored"
        x = int(x)
    clamped = min(max(x, param.lo), param.hi)
    if param.kind == "int":
        clamped = int(clamped)
    return clamped, ("clamped" if clamped != x else None)


def _items(param: Param, text: str) -> tuple[object, str | None, str]:
    """A list value read item by item: the valid ones kept in order (each once, at most
    ``max_items``), the invalid ones named. Returns (value, action, raw text for the note)."""
    items = [s.strip() for s in text.split(",", MAX_LIST_ITEMS)[:MAX_LIST_ITEMS] if s.strip()]
    valid = list(dict.fromkeys(s for s in items if s in param.choices))
    invalid = [s for s in items if s not in param.choices]
    if not valid:
        return param.default, "ignored", text
    if invalid:
        return tuple(valid[: param.max_items]), "dropped", ",".join(invalid)
    if len(valid) > param.max_items or text.count(",") >= MAX_LIST_ITEMS:
        return tuple(valid[: param.max_items]), "clamped", text
    return tuple(valid), None, text


def read(param: Param, raw: str | None) -> tuple[object, Note | None]:
    """The value to use for ``param`` given the raw text (None when absent).

    An empty value counts as absent. A single value longer than :data:`MAX_RAW_LENGTH` is
    ignored; a list is read item by item (:data:`MAX_LIST_ITEMS` at most), so one bad name
    in ``hide=`` loses only that name.
    """
    text = "" if raw is None else str(raw).strip()
    if not text:
        return param.default, None
    if param.kind == "choices":
        value, action, shown = _items(param, text)
        note = Note(param.name, shown[:NOTE_RAW_LENGTH], action, value) if action else None
        return value, note
    if len(text) > MAX_RAW_LENGTH:
        return param.default, Note(param.name, text[:NOTE_RAW_LENGTH], "ignored", param.default)
    if param.kind in ("int", "float"):
        value, action = _number(param, text)
    elif param.kind == "bool":
        word = text.lower()
        value, action = (
            (True, None)
            if word in TRUE
            else (False, None)
            if word in FALSE
            else (param.default, "ignored")
        )
    else:  # choice
        value, action = (text, None) if text in param.choices else (param.default, "ignored")
    return value, (Note(param.name, text, action, value) if action else None)


def _loaded_text(param: Param, raw: object) -> str | None:
    """A value from a JSON configuration as the text a link would hold; None when its JSON
    type cannot hold this parameter (a list for a number, an object, null, ...)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):  # before int: True is an int too
        return ("1" if raw else "0") if param.kind == "bool" else None
    if isinstance(raw, int | float):
        return repr(raw) if param.kind in ("int", "float", "bool") else None
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return ",".join(raw) if param.kind == "choices" else None
    return None


def read_loaded(param: Param, raw: object, current: object) -> tuple[object, Note | None]:
    """The value to use for ``param`` given ``raw`` from an uploaded configuration (any JSON
    value) and the ``current`` value.

    As :func:`read`, except that a value of the wrong JSON type (note ``"wrong_type"``) or an
    invalid one (note ``"kept"``) keeps the current value instead of the default: a file that gets one field wrong
    loses nothing else. An empty string keeps the current value without a note, except for a
    list whose default is empty (``"hide": ""`` hides nothing).
    """
    text = _loaded_text(param, raw)
    if text is None:
        shown = json.dumps(raw, ensure_ascii=False, default=str)[:NOTE_RAW_LENGTH]
        return current, Note(param.name, shown, "wrong_type", current)
    if not text.strip():
        return (() if param.kind == "choices" and param.default == () else current), None
    value, note = read(param, text)
    if note is not None and note.action == "ignored":
        return current, Note(param.name, note.raw, "kept", current)
    return value, note


def read_all(params: list[Param], query: dict) -> tuple[dict, list[Note]]:
    """Read every parameter of ``params`` from ``query`` (a str -> str mapping)."""
    values, notes = {}, []
    for p in params:
        values[p.name], note = read(p, query.get(p.name))
        if note:
            notes.append(note)
    return values, notes


def choice(name, choices, default=None) -> Param:
    choices = tuple(choices)
    return Param(name, "choice", choices[0] if default is None else default, choices=choices)


LANG = choice("lang", ("en", "ko"))
DATASET = choice("dataset", datasets.NAMES)
DEPTH = Param("depth", "int", 10, 1, 100)
WIDTH = Param("width", "int", 100, 2, 512)
OPTIMIZER = choice("optimizer", optimizers.NAMES)
LR = Param("lr", "float", 0.01, 1e-5, 10.0, steps=LR_STEPS)
BATCH_SIZE = Param("batch_size", "int", 32, 1, 1024, steps=BATCH_STEPS)
EPOCHS = Param("epochs", "int", 5, 1, 200)
SEED = Param("seed", "int", 0, 0, 2**31 - 1)
SEEDS = Param("seeds", "int", 1, 1, 5)

#: Settings shared by every page (the sidebar), in the order they are shown.
SHARED = [LANG, DATASET, DEPTH, WIDTH, OPTIMIZER, LR, BATCH_SIZE, EPOCHS, SEED, SEEDS]

# --- page-specific ------------------------------------------------------------------------
ACTIVATION = choice("activation", activations.NAMES, "relu")
INIT_STD = Param("init_std", "float", 1.0, 1e-4, 10.0)
INIT_VALUE = Param("init_value", "float", initializers.DEFAULT_VALUE, -10.0, 10.0)
CLIP_THRESHOLD = Param("clip_threshold", "float", 1.0, 1e-4, 1e4)
INITS = Param(
    "inits",
    "choices",
    ("random_normal", "glorot_uniform", "he_normal", "lecun_normal"),
    choices=initializers.NAMES,
    max_items=4,
)
NORMAL = choice("normal", ("truncated", "untruncated"))
ACTS = Param(
    "acts",
    "choices",
    ("sigmoid", "tanh", "relu", "elu", "selu"),
    choices=activations.NAMES,
    max_items=6,
)
ACT_INIT = choice("act_init", ("matching", *initializers.NAMES))
LEAKY_ALPHA = Param("leaky_alpha", "float", 0.2, 0.0, 1.0, step=0.01)
ELU_ALPHA = Param("elu_alpha", "float", 1.0, 0.01, 5.0, step=0.01)
BNS = Param("bns", "choices", BATCHNORM_PLACEMENTS, choices=BATCHNORM_PLACEMENTS, max_items=3)
BN_ACTIVATION = choice("bn_activation", activations.NAMES, "tanh")
BN_INIT = choice("bn_init", initializers.NAMES, "random_normal")
BN_CONVENTION = choice("bn_convention", ("keras", "torch"))
BN_GRID = Param("grid", "bool", False)
BN_SWEEP = Param("sweep", "bool", False)
CLIPS = Param("clips", "choices", clipping.METHODS, choices=clipping.METHODS, max_items=4)
CLIP_ACTIVATION = choice("clip_activation", activations.NAMES, "relu")
CLIP_INIT = choice("clip_init", initializers.NAMES, "random_normal")
CLIP_INIT_STD = Param("clip_init_std", "float", 0.25, 1e-4, 10.0)
GX = Param("gx", "float", 0.9, -100.0, 100.0, step=0.1)
GY = Param("gy", "float", 100.0, -100.0, 100.0, step=0.1)
SELU_RUN = Param("selu", "bool", False)
CLIP_SWEEP = Param("clip_sweep", "bool", False)
BN_FOLD = Param("fold", "bool", False)
#: Run the batch-normalization page's study of a BN layer on raw inputs (breast_cancer).
BN_INPUTS = Param("bn_inputs", "bool", False)
LESSON = choice("lesson", ("none", *lessons.NAMES))
#: The epoch the played per-layer charts and histograms open at (technique pages and the lab);
#: clamped to the run's last epoch once the run is known (:func:`ui.page.url_state.clamp`).
EPOCH = Param("epoch", "int", 0, 0, EPOCHS.hi)
#: Ask a lesson's questions before its results (on its own page; ``ask=0`` shows them at once).
ASK = Param("ask", "bool", True)

#: The lab: how many variants, and each variant's settings (v1_activation, v2_lr, ...).
VARIANTS = Param("variants", "int", 2, 2, 4)
LAB_DEFAULTS = (
    ("relu", "he_normal", "none", "sgd", 0.01, "none"),
    ("sigmoid", "random_normal", "none", "sgd", 0.01, "none"),
    ("relu", "he_normal", "before", "adam", 0.001, "none"),
    ("tanh", "glorot_uniform", "none", "momentum", 0.01, "global_norm"),
)


def lab_params(i: int) -> dict[str, Param]:
    """The URL parameters of lab variant ``i`` (1-based), keyed by field."""
    act, init, bn, opt, lr, clip = LAB_DEFAULTS[i - 1]
    p = f"v{i}_"
    return {
        "activation": choice(p + "activation", activations.NAMES, act),
        "init": choice(p + "init", initializers.NAMES, init),
        "batchnorm": choice(p + "batchnorm", BATCHNORM_PLACEMENTS, bn),
        "optimizer": choice(p + "optimizer", optimizers.NAMES, opt),
        "lr": Param(p + "lr", "float", lr, LR.lo, LR.hi, steps=LR_STEPS),
        "clip": choice(p + "clip", clipping.METHODS, clip),
        "clip_threshold": Param(p + "clip_threshold", "float", 1.0, 1e-4, 1e4),
    }


LAB = [lab_params(i) for i in range(1, 5)]

#: Every page's own parameters (the shared ones are :data:`SHARED`).
PAGE = [
    ACTIVATION,
    INITS,
    INIT_STD,
    INIT_VALUE,
    NORMAL,
    ACTS,
    ACT_INIT,
    LEAKY_ALPHA,
    ELU_ALPHA,
    SELU_RUN,
    BNS,
    BN_ACTIVATION,
    BN_INIT,
    BN_CONVENTION,
    BN_GRID,
    BN_SWEEP,
    BN_FOLD,
    BN_INPUTS,
    CLIPS,
    CLIP_THRESHOLD,
    CLIP_ACTIVATION,
    CLIP_INIT,
    CLIP_INIT_STD,
    GX,
    GY,
    CLIP_SWEEP,
    VARIANTS,
    *(p for fields in LAB for p in fields.values()),
    EPOCH,
]
#: Every parameter a link may set.
NAMED = [*SHARED, *PAGE, LESSON, ASK]
#: Controls a link hides, e.g. ``hide=depth,width,lr`` (TensorFlow Playground's ``*_hide``).
HIDE = Param("hide", "choices", (), max_items=len(NAMED), choices=tuple(p.name for p in NAMED))
