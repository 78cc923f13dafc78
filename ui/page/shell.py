"""The shared sidebar (built in app.py around the navigation) and the settings it holds.

The shared settings are folded into one line that sums up the experiment ("digits · 10 × 100 ·
SGD 0.01 · batch 32 · 5 epochs · seed 0"); a click opens their controls. A page shows only the
settings that can change what it shows (:data:`USED`): the overview measures networks at
initialization, so training settings would change nothing there, and the Lab sets the
optimizer and learning rate per variant. Every setting stays bound to the link on every page.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core import ModelConfig, TrainConfig, datasets, initializers

from ..text.format import decimal
from ..text.i18n import Text
from . import lasting, params, url_state

LANG_NAMES = {"en": "English", "ko": "한국어"}
BATCH_STEPS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
#: The shared settings that can change a page (by its url_path, "" for the overview); a page not
#: named uses them all.
TRAINING = (params.OPTIMIZER, params.LR, params.BATCH_SIZE, params.EPOCHS)
EVERY = tuple(p for p in params.SHARED if p is not params.LANG)
USED = {
    "": tuple(p for p in EVERY if p not in TRAINING),
    "lab": tuple(p for p in EVERY if p not in (params.OPTIMIZER, params.LR)),
    "lessons": (),
}
NBSP = "\u00a0"
#: Session key of the settings section (open or folded).
SECTION = "_settings"


@dataclass(frozen=True)
class Settings:
    """The shared settings of the sidebar."""

    lang: str
    dataset: str
    depth: int
    width: int
    optimizer: str
    lr: float
    batch_size: int
    epochs: int
    seed: int
    seeds: int

    @property
    def tr(self) -> Text:
        return Text(self.lang)

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        return (self.width,) * self.depth

    @property
    def seed_list(self) -> tuple[int, ...]:
        return tuple(range(self.seed, self.seed + self.seeds))

    def model(self, activation="relu", init=None, **kwargs) -> ModelConfig:
        """A model of the shared size; the initializer defaults to the activation's match."""
        init = init or initializers.matching(activation)
        return ModelConfig(hidden=self.hidden_sizes, activation=activation, init=init, **kwargs)

    def train(self, **overrides) -> TrainConfig:
        base = dict(
            optimizer=self.optimizer,
            lr=self.lr,
            batch_size=self.batch_size,
            epochs=self.epochs,
            seed=self.seed,
        )
        return TrainConfig(**{**base, **overrides})


def used(page: str) -> tuple[params.Param, ...]:
    """The shared settings (language aside) that can change what ``page`` shows."""
    return USED.get(page, EVERY)


def summary(values: dict, shown: tuple[params.Param, ...], tr: Text) -> str:
    """One line naming the settings ``shown`` with their ``values`` (name -> value), e.g.
    ``digits · 10 layers × 100 units · SGD 0.01 · batch 32 · 5 epochs · seed 0``. Each item's
    spaces do not break, so a narrow sidebar wraps the line only between items."""
    names = {p.name for p in shown}
    parts = []
    if "dataset" in names:
        parts.append(tr(f"dss_{values['dataset']}"))
    if names & {"depth", "width"}:
        parts.append(tr("sum_size", depth=values["depth"], width=values["width"]))
    if "optimizer" in names:
        lr = f" {values['lr']:g}" if "lr" in names else ""
        parts.append(tr(f"opt_{values['optimizer']}") + lr)
    if "batch_size" in names:
        parts.append(tr("sum_batch_size", n=values["batch_size"]))
    if "epochs" in names:
        n = values["epochs"]
        parts.append(tr("sum_epoch") if n == 1 else tr("sum_epochs", n=n))
    if "seed" in names:
        first, n = values["seed"], values.get("seeds", 1) if "seeds" in names else 1
        parts.append(
            tr("sum_seed", n=first) if n == 1 else tr("sum_seeds", a=first, b=first + n - 1)
        )
    return " · ".join(part.replace(" ", NBSP) for part in parts)


def with_value(options: tuple, value) -> list:
    """The slider's options, plus the value when a link names one between the steps."""
    return sorted(set(options) | {value})


#: Korean wraps between words (spaces), not inside them: browsers break Hangul anywhere by default.
KOREAN_WRAPPING = (
    "<style>.stApp * { word-break: keep-all !important; overflow-wrap: anywhere; }</style>"
)


def language() -> Text:
    """The language switch, at the top of the sidebar; returns the interface text."""
    with st.sidebar:
        url_state.widget(
            params.LANG,
            st.radio,
            LANG_NAMES["en"] + " / " + LANG_NAMES["ko"],
            params.LANG.choices,
            format_func=LANG_NAMES.get,
            horizontal=True,
            label_visibility="collapsed",
        )
    if st.session_state["lang"] == "ko":
        st.html(KOREAN_WRAPPING)
    return Text(st.session_state["lang"])


def settings(box, page: str, tr: Text) -> None:
    """The shared settings ``page`` uses, folded into their one-line summary in ``box`` (in the
    sidebar, under the link to share and the language); their controls are drawn only once
    the visitor opens it. Every shared setting is bound to the link whether shown or not."""
    for param in EVERY:
        url_state.bind(param)
    status = {name: datasets.status(name) for name in params.DATASET.choices}
    if status[st.session_state["dataset"]] != "ok":  # not downloaded, or fails its SHA-256
        url_state.unavailable(params.DATASET, status[st.session_state["dataset"]])
    shown = used(page)
    if not shown:
        return
    values = {p.name: url_state.value(p) for p in EVERY}
    with box:
        section = lasting.expander(summary(values, shown, tr), key=SECTION, icon=":material/tune:")
    if section.open:
        with section:
            st.caption(tr("sidebar_caption"))
            _controls(shown, [n for n, state in status.items() if state == "ok"], tr)


def _controls(shown: tuple[params.Param, ...], datasets_here: list[str], tr: Text) -> None:
    """The controls of the settings ``shown``, in the sidebar's order."""
    draw = {
        params.DATASET: lambda: url_state.widget(
            params.DATASET,
            st.selectbox,
            tr("dataset"),
            datasets_here,
            format_func=lambda name: tr(f"ds_{name}"),
        ),
        params.DEPTH: lambda: url_state.widget(
            params.DEPTH, st.slider, tr("depth"), params.DEPTH.lo, params.DEPTH.hi
        ),
        params.WIDTH: lambda: url_state.widget(
            params.WIDTH, st.slider, tr("width"), params.WIDTH.lo, params.WIDTH.hi
        ),
        params.OPTIMIZER: lambda: url_state.widget(
            params.OPTIMIZER,
            st.selectbox,
            tr("optimizer"),
            params.OPTIMIZER.choices,
            format_func=lambda o: tr(f"opt_{o}"),
        ),
        params.LR: lambda: url_state.widget(
            params.LR,
            st.select_slider,
            tr("lr"),
            with_value(params.LR_STEPS, st.session_state["lr"]),
            format_func=decimal,
        ),
        params.BATCH_SIZE: lambda: url_state.widget(
            params.BATCH_SIZE,
            st.select_slider,
            tr("batch_size"),
            with_value(BATCH_STEPS, st.session_state["batch_size"]),
        ),
        params.EPOCHS: lambda: url_state.widget(
            params.EPOCHS, st.slider, tr("epochs"), params.EPOCHS.lo, params.EPOCHS.hi
        ),
        params.SEED: lambda: url_state.widget(
            params.SEED, st.number_input, tr("seed"), params.SEED.lo, params.SEED.hi, step=1
        ),
        params.SEEDS: lambda: url_state.widget(
            params.SEEDS,
            st.slider,
            tr("seeds"),
            params.SEEDS.lo,
            params.SEEDS.hi,
            help=tr("seeds_help"),
        ),
    }
    for param in EVERY:
        if param in shown:
            draw[param]()


def current() -> Settings:
    """The shared settings as the sidebar holds them in this run."""
    return Settings(**{p.name: url_state.value(p) for p in params.SHARED})
