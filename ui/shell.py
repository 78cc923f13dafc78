"""The shared sidebar (built in app.py, before the page runs) and the settings it holds."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import ModelConfig, TrainConfig, datasets, initializers

from . import params, url_state
from .i18n import Text

LANG_NAMES = {"en": "English", "ko": "한국어"}
BATCH_STEPS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


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


def with_value(options: tuple, value) -> list:
    """The slider's options, plus the value when a link names one between the steps."""
    return sorted(set(options) | {value})


def sidebar() -> tuple[Text, DeltaGenerator]:
    """Draw the shared settings in the sidebar (all bound to the URL) and return the interface
    text and the box for :func:`training_controls`, drawn once the page is known."""
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
        tr = Text(st.session_state["lang"])
        st.header(tr("sidebar_header"))
        st.caption(tr("sidebar_caption"))
        status = {name: datasets.status(name) for name in params.DATASET.choices}
        here = [name for name, state in status.items() if state == "ok"]
        asked = st.session_state[url_state.bind(params.DATASET)]
        if asked not in here:  # not downloaded, or its files fail their SHA-256 check
            url_state.unavailable(params.DATASET, status[asked])
        url_state.widget(
            params.DATASET,
            st.selectbox,
            tr("dataset"),
            here,
            format_func=lambda name: tr(f"ds_{name}"),
        )
        url_state.widget(params.DEPTH, st.slider, tr("depth"), params.DEPTH.lo, params.DEPTH.hi)
        url_state.widget(params.WIDTH, st.slider, tr("width"), params.WIDTH.lo, params.WIDTH.hi)
        training_box = st.container()  # optimizer and learning rate, once the page is known
        batch_steps = with_value(BATCH_STEPS, st.session_state[url_state.bind(params.BATCH_SIZE)])
        url_state.widget(params.BATCH_SIZE, st.select_slider, tr("batch_size"), batch_steps)
        url_state.widget(params.EPOCHS, st.slider, tr("epochs"), params.EPOCHS.lo, params.EPOCHS.hi)
        url_state.widget(
            params.SEED, st.number_input, tr("seed"), params.SEED.lo, params.SEED.hi, step=1
        )
        url_state.widget(
            params.SEEDS,
            st.slider,
            tr("seeds"),
            params.SEEDS.lo,
            params.SEEDS.hi,
            help=tr("seeds_help"),
        )
    return tr, training_box


def training_controls(box: DeltaGenerator, tr: Text, shown: bool) -> None:
    """The shared optimizer and learning rate, in ``box``; bound to the URL but not shown on a
    page that sets them per variant (the Lab), so no control on screen is ignored."""
    if not shown:
        url_state.bind(params.OPTIMIZER)
        url_state.bind(params.LR)
        return
    with box:
        url_state.widget(
            params.OPTIMIZER,
            st.selectbox,
            tr("optimizer"),
            params.OPTIMIZER.choices,
            format_func=lambda o: tr(f"opt_{o}"),
        )
        lr_steps = with_value(params.LR_STEPS, st.session_state[url_state.bind(params.LR)])
        url_state.widget(
            params.LR, st.select_slider, tr("lr"), lr_steps, format_func=lambda x: f"{x:g}"
        )


def current() -> Settings:
    """The shared settings as the sidebar holds them in this run."""
    return Settings(**{p.name: url_state.value(p) for p in params.SHARED})
