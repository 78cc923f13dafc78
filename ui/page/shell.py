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

from ..text.i18n import Text
from . import controls, lasting, params, url_state

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
#: The control of each shared setting.
DRAWN_WITH = {
    params.DATASET: controls.selectbox,
    params.DEPTH: controls.slider,
    params.WIDTH: controls.slider,
    params.OPTIMIZER: controls.selectbox,
    params.LR: controls.select_slider,
    params.BATCH_SIZE: controls.select_slider,
    params.EPOCHS: controls.slider,
    params.SEED: controls.number_input,
    params.SEEDS: controls.slider,
}


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


#: Korean wraps between words (spaces), not inside them: browsers break Hangul anywhere by default.
KOREAN_WRAPPING = (
    "<style>.stApp * { word-break: keep-all !important; overflow-wrap: anywhere; }</style>"
)


def language() -> Text:
    """The language switch, at the top of the sidebar; returns the interface text."""
    tr = Text(st.session_state[url_state.bind(params.LANG)])
    controls.radio(params.LANG, st.sidebar, tr, horizontal=True, label_visibility="collapsed")
    if tr.lang == "ko":
        st.html(KOREAN_WRAPPING)
    return tr


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
    extra = {params.DATASET: {"options": datasets_here}, params.SEEDS: {"help": tr("seeds_help")}}
    for param in EVERY:
        if param in shown:
            DRAWN_WITH[param](param, st, tr, **extra.get(param, {}))


def current() -> Settings:
    """The shared settings as the sidebar holds them in this run."""
    return Settings(**{p.name: url_state.value(p) for p in params.SHARED})


def page(title: str, *intro: str) -> tuple[Settings, Text]:
    """A page's opening: its title and introduction (catalogue keys, a paragraph each). Returns
    the shared settings and the interface text."""
    s = current()
    st.title(s.tr(title))
    st.markdown("\n\n".join(s.tr(key) for key in intro))
    return s, s.tr
