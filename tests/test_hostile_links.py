"""Hostile, mistyped and garbage links never break a page: 20+ per page under AppTest.

Values that cannot be used fall back to defaults or are clamped, and the page says which.
"""

import re

import pytest
from apptest_helpers import PAGES, open_page

#: (query, name of a parameter the page must report) — shared parameters, valid on every page.
SHARED_LINKS = [
    ({"depth": "-3"}, "depth"),
    ({"depth": "1e12"}, "depth"),
    ({"depth": "NaN"}, "depth"),
    ({"width": "0x40"}, "width"),
    ({"width": "9999999999999999999999"}, "width"),
    ({"lr": "inf"}, "lr"),
    ({"lr": "-1"}, "lr"),
    ({"lr": "1e-300"}, "lr"),
    ({"epochs": "2.5"}, "epochs"),
    ({"batch_size": "0"}, "batch_size"),
    ({"seed": "-7"}, "seed"),
    ({"seeds": "99"}, "seeds"),
    ({"dataset": "../../etc/passwd"}, "dataset"),
    ({"dataset": "mnist"}, "dataset"),
    ({"optimizer": "rmsprop"}, "optimizer"),
    ({"lang": "<script>alert(1)</script>"}, "lang"),
    ({"lang": "fr"}, "lang"),
    ({"lesson": "{{7*7}}"}, "lesson"),
    ({"hide": "__proto__"}, "hide"),
    ({"depth": "`rm -rf /`"}, "depth"),
    ({"width": "%00"}, "width"),
    ({"seed": "x" * 5000}, "seed"),
]

PAGE_LINKS = {
    "overview": [],
    "initialization": [
        ({"inits": "he_normal,DROP TABLE"}, "inits"),
        ({"inits": ",,,"}, "inits"),
        ({"init_std": "0"}, "init_std"),
        ({"activation": "relu6"}, "activation"),
        ({"normal": "maybe"}, "normal"),
        ({"init_value": "1e9"}, "init_value"),
        ({"lesson": "symmetry", "ask": "perhaps"}, "ask"),
    ],
    "activations": [
        ({"acts": "relu,relu,relu,softmax"}, "acts"),
        ({"leaky_alpha": "-0.5"}, "leaky_alpha"),
        ({"elu_alpha": "1e999"}, "elu_alpha"),
        ({"act_init": "he"}, "act_init"),
        ({"selu": "2"}, "selu"),
    ],
    "batch-normalization": [
        ({"bns": "middle"}, "bns"),
        ({"bn_convention": "caffe"}, "bn_convention"),
        ({"grid": "yes please"}, "grid"),
        ({"bn_init": "xavier"}, "bn_init"),
        ({"sweep": "-1"}, "sweep"),
    ],
    "lab": [
        ({"variants": "7"}, "variants"),
        ({"v1_activation": "softplus"}, "v1_activation"),
        ({"v2_lr": "1e99"}, "v2_lr"),
        ({"v1_batchnorm": "sideways"}, "v1_batchnorm"),
        ({"v2_clip": "global"}, "v2_clip"),
    ],
    "gradient-clipping": [
        ({"clips": "max"}, "clips"),
        ({"clip_threshold": "-1"}, "clip_threshold"),
        ({"gx": "1e9"}, "gx"),
        ({"gy": "nan"}, "gy"),
        ({"clip_init_std": "0"}, "clip_init_std"),
    ],
}
CASES = [(page, q, name) for page in PAGES for q, name in SHARED_LINKS + PAGE_LINKS[page]]


@pytest.mark.parametrize(
    "page,query,name", CASES, ids=[f"{p}-{n}-{i}" for i, (p, _, n) in enumerate(CASES)]
)
def test_hostile_link(page, query, name):
    small = {"depth": "3", "width": "8", "epochs": "1"}  # keep the runs quick
    at = open_page(page, **(small | query))
    assert not at.exception, [e.value for e in at.exception]
    notes = " ".join(w.value for w in at.warning)
    assert f"`{name}=" in notes, notes
    outside_code = re.sub(r"`[^`]*`", "", notes)
    assert "<" not in outside_code  # a raw value is shown only inside a code span, never as markup
