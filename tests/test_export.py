"""Exported PyTorch / Keras scripts and notebooks reproduce the engine's runs.

Without any framework: the scripts and notebooks compile for a spread of settings, and their
NumPy part gives the engine's data and initial weights bit for bit. Where PyTorch (or Keras) is
installed, the generated scripts run -- all of them in one subprocess per framework, from the
project root, each as ``python script.py --json`` -- and must match the engine's epoch-0
validation loss to 1e-4 (relative) and its final validation accuracy to 2 percentage points.
"""

import functools
import importlib.util
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, background_started
from test_fashion_mnist import write_look_alikes

from core import ModelConfig, TrainConfig, build_network, datasets, export, initializers, train
from core.activations import NAMES as ACTIVATIONS
from ui.caches import data as ui_data

SMALL = (32, 32, 32)


def small(**model) -> ModelConfig:
    return ModelConfig(**{"hidden": SMALL, **model})


# --- the NumPy part: data and initial weights, bit for bit -------------------------------------


def numpy_namespace(model, train_cfg, dataset, standardize=True) -> dict:
    namespace = {"__name__": "exported_numpy_part"}
    source = export.numpy_part(model, train_cfg, dataset, standardize)
    exec(compile(source, "numpy_part", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("dataset", datasets.SHIPPED)
def test_the_data_is_the_engines_bit_for_bit(dataset, standardize, monkeypatch):
    monkeypatch.chdir(ROOT)  # the scripts read data/ from the project root
    ns = numpy_namespace(small(), TrainConfig(), dataset, standardize)
    X_train, y_train, X_val, y_val, n_classes = ns["load_data"]()
    engine = datasets.load(dataset, seed=ui_data.DATA_SEED, standardize=standardize)
    assert engine.standardized == standardize
    assert n_classes == engine.n_classes
    theirs = (engine.X_train, engine.y_train, engine.X_val, engine.y_val)
    for a, b in zip((X_train, y_train, X_val, y_val), theirs):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    code = export.numpy_part(small(), TrainConfig(), dataset, standardize)
    assert ("def standardise(" in code) == standardize  # raw data is exported as raw


def test_the_app_splits_with_the_seed_the_scripts_use():
    assert export.DATA_SEED == ui_data.DATA_SEED


def test_fashion_mnist_is_read_from_the_cache_as_the_engine_reads_it(tmp_path, monkeypatch):
    from core import fashion_mnist

    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    files, _ = write_look_alikes(folder, 40, 20)
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path))
    for standardize in (True, False):
        ns = numpy_namespace(small(), TrainConfig(), "fashion_mnist", standardize)
        ours = ns["load_data"]()
        engine = fashion_mnist.load(folder, files, standardize=standardize)
        for a, b in zip(ours[:4], (engine.X_train, engine.y_train, engine.X_val, engine.y_val)):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        assert ours[4] == engine.n_classes


def test_missing_data_gives_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="Run this from the Gradient Lab folder"):
        numpy_namespace(small(), TrainConfig(), "digits")["load_data"]()
    with pytest.raises(SystemExit, match="Run this from the Gradient Lab folder"):
        numpy_namespace(small(), TrainConfig(), "breast_cancer", False)["load_data"]()
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path))
    with pytest.raises(SystemExit, match="python -m core.fashion_mnist"):
        numpy_namespace(small(), TrainConfig(), "fashion_mnist")["load_data"]()


@pytest.mark.parametrize("truncated", [True, False])
@pytest.mark.parametrize("init", initializers.NAMES)
def test_initial_weights_are_the_engines_bit_for_bit(init, truncated):
    model = ModelConfig(hidden=(16, 8), init=init, init_std=0.3, truncated=truncated)
    ns = numpy_namespace(model, TrainConfig(seed=7), "moons")
    weight_rng = np.random.default_rng(7).spawn(3)[0]
    kernels = ns["initial_kernels"]((2, 16, 8, 2), weight_rng)
    engine_rng = np.random.default_rng(7).spawn(3)[0]  # what train() hands build_network
    net = build_network(2, 2, model, engine_rng)
    assert [k.dtype for k in kernels] == [np.float32] * 3
    assert all(np.array_equal(k, d.params["W"]) for k, d in zip(kernels, net.dense))


# --- every script and notebook compiles ----------------------------------------------------


def spread():
    """A spread of settings: every activation, initializer, BN placement and convention,
    optimizer, clipping method and data set appears at least once."""
    options = itertools.cycle(
        zip(
            itertools.cycle(initializers.NAMES),
            itertools.cycle(("none", "before", "after")),
            itertools.cycle(("sgd", "momentum", "adam", "sgd")),
            itertools.cycle(("none", "value", "norm", "global_norm", "none")),
            itertools.cycle(datasets.NAMES),
            itertools.cycle(("keras", "torch")),
        )
    )
    for activation, (init, bn, opt, clip, dataset, convention) in zip(ACTIVATIONS * 3, options):
        yield (
            small(activation=activation, init=init, batchnorm=bn, bn_convention=convention,
                  truncated=hash(init) % 2 == 0),
            TrainConfig(optimizer=opt, clip=clip, epochs=2, seed=3),
            dataset,
        )  # fmt: skip


SPREAD = list(spread())


@pytest.mark.parametrize("framework", export.FRAMEWORKS)
def test_scripts_compile_for_a_spread_of_settings(framework):
    make = export.pytorch_script if framework == "pytorch" else export.keras_script
    seen = set()
    for model, train_cfg, dataset in SPREAD:
        code = make(model, train_cfg, dataset)
        compile(code, export.file_name(model, train_cfg, framework), "exec")
        assert "gradient_lab" not in code and "from core" not in code  # standalone
        seen |= {model.activation, model.init, model.batchnorm, train_cfg.clip, dataset}
    for names in (ACTIVATIONS, initializers.NAMES, ("before", "after"), datasets.NAMES):
        assert set(names) <= seen


@pytest.mark.parametrize("framework", export.FRAMEWORKS)
def test_scripts_with_an_input_batchnorm_and_raw_inputs_compile(framework):
    """Every hidden placement and convention with a BN on the inputs, on raw and standardised
    data: the input BN is the framework's first layer, the data raw where the run's is."""
    make = export.pytorch_script if framework == "pytorch" else export.keras_script
    for placement, convention, standardize in itertools.product(
        ("none", "before", "after"), ("keras", "torch"), (True, False)
    ):
        model = small(batchnorm=placement, bn_convention=convention, input_batchnorm=True)
        code = make(model, TrainConfig(), "breast_cancer", standardize=standardize)
        compile(code, "script.py", "exec")
        first = {
            ("pytorch", "keras"): "layers = [KerasBatchNorm(sizes[0])]",
            ("pytorch", "torch"): "layers = [nn.BatchNorm1d(sizes[0])]",
            ("keras", "keras"): (
                "keras.Input(shape=(sizes[0],))])\n"
                "    # batch norm on the inputs, before the first Dense: it standardises each feature\n"
                "    model.add(layers.BatchNormalization(momentum=0.99, epsilon=0.001))"
            ),
            ("keras", "torch"): (
                "keras.Input(shape=(sizes[0],))])\n"
                "    # batch norm on the inputs, before the first Dense: it standardises each feature\n"
                "    model.add(layers.BatchNormalization(momentum=0.9, epsilon=1e-05))"
            ),
        }[framework, convention]
        assert first in code
        assert ("def standardise(" in code) == standardize
        assert ("raw inputs, not standardised" in code) != standardize  # the docstring says so
    plain = make(small(), TrainConfig(), "breast_cancer")
    assert "BatchNorm" not in plain and "on the inputs" not in plain


@pytest.mark.parametrize("framework", export.FRAMEWORKS)
def test_notebook_is_nbformat_4_with_a_story_and_code_that_compiles(framework):
    model, train_cfg, dataset = SPREAD[5]
    document = json.loads(export.notebook(model, train_cfg, dataset, framework))
    assert document["nbformat"] == 4 and document["nbformat_minor"] >= 5
    assert document["metadata"]["kernelspec"]["language"] == "python"
    cells = document["cells"]
    assert len({c["id"] for c in cells}) == len(cells)
    assert cells[0]["cell_type"] == "markdown"
    assert "reproduced in" in "".join(cells[0]["source"])
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(code) >= 5 and all(c["outputs"] == [] and "execution_count" in c for c in code)
    compile("\n".join("".join(c["source"]) for c in code), "notebook", "exec")
    assert all(isinstance(line, str) for c in cells for line in c["source"])


def test_notebook_takes_an_intro_in_the_readers_language():
    intro = "# 실험\n\n이 노트북은 ..."
    document = json.loads(export.notebook(small(), TrainConfig(), "moons", "keras", intro))
    assert "".join(document["cells"][0]["source"]) == intro


def test_file_names_say_what_they_hold():
    he = small(activation="relu", init="he_normal")
    assert export.file_name(he, TrainConfig()) == "gradient-lab_relu-he_normal_pytorch.py"
    busy = small(activation="tanh", init="random_normal", init_std=0.5, batchnorm="after")
    cfg = TrainConfig(optimizer="adam", clip="norm")
    assert (
        export.file_name(busy, cfg, "keras", notebook=True)
        == "gradient-lab_tanh-random_normal_std0.5-bn_after-clip_norm-adam_keras.ipynb"
    )
    untruncated = replace(he, truncated=False)
    assert "he_normal_untruncated" in export.file_name(untruncated, TrainConfig())
    input_bn = small(input_batchnorm=True, batchnorm="before")
    assert (
        export.file_name(input_bn, TrainConfig(), standardize=False)
        == "gradient-lab_relu-he_normal-raw-bn_input-bn_before_pytorch.py"
    )


def test_unknown_names_raise_naming_the_valid_choices():
    with pytest.raises(ValueError, match="valid data sets: digits"):
        export.pytorch_script(small(), TrainConfig(), "mnist")
    with pytest.raises(ValueError, match="valid frameworks: pytorch, keras"):
        export.notebook(small(), TrainConfig(), "digits", framework="jax")


def test_export_is_pure():
    code = (
        "import sys, core.export\n"
        "print(','.join(m for m in ('streamlit', 'altair', 'torch', 'keras') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "", out.stderr


# --- the scripts reproduce the engine's runs --------------------------------------------------

#: Small runs (3 x 32 units, 2 epochs) covering what the export translates: name -> (model,
#: training, data set). The activations beyond the required ones run on the small 2-D sets.
RUNS = {
    "relu_he": (small(), TrainConfig(epochs=2), "digits"),
    "sigmoid_glorot": (
        small(activation="sigmoid", init="glorot_uniform"),
        TrainConfig(epochs=2, lr=0.1),
        "digits",
    ),
    "bn_before_adam": (
        small(activation="tanh", init="random_normal", batchnorm="before"),
        TrainConfig(epochs=2, optimizer="adam", lr=0.001),
        "digits",
    ),
    "bn_after_torch_momentum": (
        small(activation="elu", init="he_uniform", batchnorm="after", bn_convention="torch"),
        TrainConfig(epochs=2, optimizer="momentum"),
        "digits",
    ),
    "clip_value": (small(init="random_normal"), TrainConfig(epochs=2, clip="value"), "digits"),
    "clip_norm": (small(init="random_normal"), TrainConfig(epochs=2, clip="norm"), "digits"),
    "clip_global_norm": (
        small(init="random_normal"),
        TrainConfig(epochs=2, clip="global_norm"),
        "digits",
    ),
    "selu_untruncated": (
        small(activation="selu", init="lecun_normal", truncated=False),
        TrainConfig(epochs=2, lr=0.05, seed=2),
        "moons",
    ),
    "gelu": (
        small(activation="gelu", init="glorot_normal"),
        TrainConfig(epochs=2, optimizer="adam", lr=0.01),
        "circles",
    ),
    "leaky_relu": (
        small(activation="leaky_relu", init="lecun_uniform"),
        TrainConfig(epochs=2, optimizer="adam", lr=0.01),
        "spirals",
    ),
    "swish": (
        small(activation="swish", init="he_normal"),
        TrainConfig(epochs=2, optimizer="adam", lr=0.01),
        "xor",
    ),
    # blows up in its first epoch: the script stops there too, and --json still prints JSON only
    "diverges": (small(init="random_normal"), TrainConfig(epochs=2, lr=3.0), "digits"),
    # raw inputs (pixel counts 0..16), which train well enough to compare
    "raw_digits": (small(), TrainConfig(epochs=2), "digits"),
    # a BN on the raw inputs, Keras' convention (its moving averages lag for many steps) ...
    "input_bn_raw": (small(input_batchnorm=True), TrainConfig(epochs=3), "breast_cancer"),
    # ... and PyTorch's, with BN in the hidden layers too
    "input_bn_raw_torch_before": (
        small(input_batchnorm=True, batchnorm="before", bn_convention="torch"),
        TrainConfig(epochs=3, optimizer="momentum"),
        "breast_cancer",
    ),
    # and on standardised inputs, where it has little to do
    "input_bn_digits": (
        small(activation="elu", input_batchnorm=True, batchnorm="after"),
        TrainConfig(epochs=2),
        "digits",
    ),
}
#: The runs on raw (unstandardised) inputs.
RAW = {"raw_digits", "input_bn_raw", "input_bn_raw_torch_before"}

#: Run every script given on the command line as `python script.py --json` would, in one
#: process (a framework is imported once: PyTorch's first optimizer alone takes seconds).
DRIVER = """
import contextlib, io, json, runpy, sys
results = {}
for path in sys.argv[1:]:
    sys.argv = [path, "--json"]
    out, err = io.StringIO(), io.StringIO()
    failed = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            runpy.run_path(path, run_name="__main__")
    except BaseException as error:  # a script's sys.exit or exception: reported, not fatal
        if not (isinstance(error, SystemExit) and error.code in (None, 0)):
            failed = repr(error)
    results[path] = {"stdout": out.getvalue(), "stderr": err.getvalue() + (failed or ""),
                     "failed": failed}
print("RESULTS" + json.dumps(results))
"""


@functools.cache
def engine_val(name):
    """The engine's run (its steps, to see clipping act) and validation loss and accuracy."""
    model, cfg, dataset = RUNS[name]
    data = datasets.load(dataset, standardize=name not in RAW)
    history = train(model, replace(cfg, diagnostics=False), data)
    val = history.metrics[history.metrics["split"] == "val"]
    return history, val["loss"].to_numpy(), val["accuracy"].to_numpy()


def start_exports(framework: str, folder: Path):
    """Write the scripts of ``framework`` (and its notebook's code) into ``folder`` and start
    the driver on them, its output going to files there: (the process, the path of each run's
    script); None without the framework."""
    module = "torch" if framework == "pytorch" else "keras"
    if importlib.util.find_spec(module) is None or importlib.util.find_spec("torch") is None:
        return None
    make = export.pytorch_script if framework == "pytorch" else export.keras_script
    paths = {}
    runs = RUNS | (SYMMETRIC if framework == "pytorch" else {})
    for name, (model, cfg, dataset) in runs.items():
        paths[name] = folder / export.file_name(model, cfg, framework).replace(".py", f"_{name}.py")
        code = make(model, cfg, dataset, standardize=name not in RAW)
        paths[name].write_text(code, encoding="utf-8")
    # the notebook's code cells, run top to bottom as Jupyter would (its last cells print a table)
    model, cfg, dataset = RUNS["relu_he"]
    cells = json.loads(export.notebook(model, cfg, dataset, framework))["cells"]
    paths["notebook"] = folder / "notebook_cells.py"
    paths["notebook"].write_text(
        "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"), encoding="utf-8"
    )
    env = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    with open(folder / "stdout", "w") as stdout, open(folder / "stderr", "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, *map(str, paths.values())],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
        )  # fmt: skip
    return process, paths


#: Runs started when the session starts (tests/conftest.py), by framework.
STARTED: dict[str, tuple | None] = {}


def start_early(folder: Path) -> Iterator[subprocess.Popen]:
    """Start the frameworks' runs (tens of seconds each) when the session starts (once the
    budget's calibration has finished), so that they go on beside the tests before this
    module's instead of holding the suite up. One framework at a time, each started once the
    one before has finished: together they would take a share of the core that runs the tests
    as well as the other one. Yields each process as it starts."""
    for framework in export.FRAMEWORKS:
        (folder / framework).mkdir()
        started = STARTED[framework] = start_exports(framework, folder / framework)
        if started is not None:
            yield started[0]
            started[0].wait()


def run_exports(framework, tmp_path_factory) -> dict[str, dict]:
    background_started()  # started when the session starts, after the budget's calibration
    # (one framework after the other: waiting for them to have started waits for the first)
    if framework not in STARTED:
        STARTED[framework] = start_exports(framework, tmp_path_factory.mktemp(framework))
    started = STARTED[framework]
    if started is None:
        module = "torch" if framework == "pytorch" else "keras"
        pytest.skip(f"{module} is not installed (the Keras check uses the PyTorch backend)")
    process, paths = started
    try:
        process.wait(timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    folder = next(iter(paths.values())).parent
    stdout, stderr = ((folder / name).read_text() for name in ("stdout", "stderr"))
    assert process.returncode == 0, stderr[-2000:]
    results = json.loads(stdout.split("RESULTS", 1)[1])
    return {name: results[str(path)] for name, path in paths.items()}


@pytest.fixture(scope="module")
def torch_runs(tmp_path_factory):
    return run_exports("pytorch", tmp_path_factory)


@pytest.fixture(scope="module")
def keras_runs(tmp_path_factory):
    return run_exports("keras", tmp_path_factory)


def check_reproduces(name, result):
    history, loss, accuracy = engine_val(name)
    assert result["stdout"].strip(), result["stderr"][-2000:]
    curves = json.loads(result["stdout"])
    assert set(curves) == {"val_accuracy", "val_loss"}
    assert len(curves["val_loss"]) == len(loss)  # every epoch the engine recorded, no more
    if name == "diverges":
        assert history.diverged_at == 1 and len(loss) == 1
    else:
        assert history.diverged_at is None and len(loss) == RUNS[name][1].epochs + 1
    assert abs(curves["val_loss"][0] - loss[0]) <= 1e-4 * abs(loss[0])
    assert abs(curves["val_accuracy"][-1] - accuracy[-1]) <= 0.02
    if name.startswith("clip_"):  # the clipping really acted in these runs
        assert history.steps["clipped"].mean() > 0.5


def check_notebook_table(result):
    """The notebook's table: a header, then epoch, train loss/acc, val loss/acc per row."""
    _, loss, accuracy = engine_val("relu_he")
    lines = result["stdout"].strip().splitlines()
    assert lines[0].split() == [
        "epoch",
        "train",
        "loss",
        "train",
        "acc",
        "val",
        "loss",
        "val",
        "acc",
    ]
    rows = [[float(x) for x in line.split()] for line in lines[1:]]
    assert [int(r[0]) for r in rows] == list(range(len(loss)))
    assert abs(rows[0][3] - loss[0]) <= 1e-4 and abs(rows[-1][4] - accuracy[-1]) <= 0.02


def test_pytorch_notebook_runs_and_prints_the_engines_curves(torch_runs):
    check_notebook_table(torch_runs["notebook"])


def test_keras_notebook_runs_and_prints_the_engines_curves(keras_runs):
    check_notebook_table(keras_runs["notebook"])


@pytest.mark.parametrize("name", list(RUNS))
def test_pytorch_script_reproduces_the_engine(torch_runs, name):
    check_reproduces(name, torch_runs[name])


@pytest.mark.parametrize("name", list(RUNS))
def test_keras_script_reproduces_the_engine(keras_runs, name):
    check_reproduces(name, keras_runs[name])


#: The runs with a BN on the inputs, whose curves are compared epoch by epoch.
INPUT_BN = [name for name, (model, _, _) in RUNS.items() if model.input_batchnorm]


def check_every_epoch(name, result, rtol):
    """The validation loss of every epoch, not only epoch 0's, within ``rtol`` of the engine's:
    the input BN's moving averages (the inference-mode loss depends on them, and on raw inputs
    they start far from the data's statistics) follow the engine's momentum convention."""
    _, loss, _ = engine_val(name)
    curves = json.loads(result["stdout"])
    assert np.allclose(curves["val_loss"], loss, rtol=rtol, atol=0), (curves["val_loss"], loss)


@pytest.mark.parametrize("name", INPUT_BN)
def test_a_pytorch_input_batchnorm_follows_the_engine_every_epoch(torch_runs, name):
    check_every_epoch(name, torch_runs[name], 1e-3)


@pytest.mark.parametrize("name", INPUT_BN)
def test_a_keras_input_batchnorm_follows_the_engine_every_epoch(keras_runs, name):
    """Keras keeps the biased batch variance in its moving variance, where the engine's
    'torch' convention keeps the unbiased one (the script says so): a few per cent there."""
    torch_convention = RUNS[name][0].bn_convention == "torch"
    check_every_epoch(name, keras_runs[name], 0.1 if torch_convention else 1e-3)


# --- the offer on the pages ------------------------------------------------------------------


def small_view(variants, lang="en", seeds=(0,)):
    """A ComparisonView of ``variants`` on moons, measured at initialization only (cheap)."""
    from core import compare
    from ui.story.view import ComparisonView
    from ui.text.i18n import Text

    comp = compare(variants, datasets.load("moons"), seeds)
    labels = tuple((v.name, v.name.upper()) for v in variants)
    return ComparisonView(comp, tuple(variants), "moons", seeds, labels, Text(lang), 2)


def test_offer_files_are_named_apart_and_built_on_demand():
    from core import Variant
    from ui.page import export_offer

    cfg = TrainConfig(epochs=0, seed=5)
    view = small_view(
        [
            Variant("v1", small(), cfg),
            Variant("v2", small(), replace(cfg, lr=0.1)),  # the same file name but for the lr
            Variant("v3", small(init="glorot_uniform"), cfg),
        ],
        lang="ko",
        seeds=(5, 6),
    )
    names = export_offer.file_names(view, "keras")
    assert names == {
        "v1": "gradient-lab_relu-he_normal-v1_keras.py",
        "v2": "gradient-lab_relu-he_normal-v2_keras.py",
        "v3": "gradient-lab_relu-glorot_uniform_keras.py",
    }
    files = export_offer.files(view, "v2", "pytorch")
    assert files.notebook_name == "gradient-lab_relu-he_normal-v2_pytorch.ipynb"
    script = files.script()
    assert "LR = 0.1" in script and "SEED = 5" in script  # the variant, with the first seed
    intro = json.loads(files.notebook())["cells"][0]["source"]
    assert "V2" in "".join(intro) and "PyTorch로" in "".join(intro)  # Korean, particle resolved
    note = export_offer.where_note(view)
    assert "반달 데이터" in note and "moons" not in note  # the data set's name, not its id


def test_a_page_offers_the_export_with_its_buttons():
    from apptest_helpers import open_page

    at = open_page(
        "initialization", depth="3", width="8", epochs="1", inits="he_normal,glorot_normal"
    )
    assert not at.exception
    assert [e.label for e in at.main.expander][
        -1
    ] == "Run this comparison yourself in PyTorch or Keras"
    assert not at.get("download_button")  # drawn once the expander is opened
    at.session_state["_ex"] = True
    at.run()
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Script (.py)", "Notebook (.ipynb)"]
    assert all(b.proto.deferred_file_id for b in buttons)  # generated only when clicked
    assert at.selectbox(key="_ex_variant").options == ["He normal", "Glorot normal"]
    at.selectbox(key="_ex_variant").set_value("glorot_normal")
    at.radio(key="_ex_framework").set_value("keras")
    at.toggle(key="_ex_show").set_value(True).run()
    assert any("python gradient-lab_relu-glorot_normal_keras.py" in c.value for c in at.caption)
    shown = next(c.value for c in at.code if c.language == "python")
    assert "keras.initializers.GlorotNormal()" in shown
    compile(shown, "shown", "exec")


#: Zero and constant weights (no random draw), run by the PyTorch batch above.
SYMMETRIC = {
    f"symmetric_{init}": (
        ModelConfig(hidden=(16,) * 2, activation="relu", init=init, init_value=0.05),
        TrainConfig(epochs=1),
        "digits",
    )
    for init in ("zeros", "constant")
}


@pytest.mark.parametrize("name", list(SYMMETRIC))
def test_symmetric_initializers_export_without_a_random_draw(name):
    """Zero and constant weights are written as np.full (no draw, as the engine does), and
    named for Keras and PyTorch."""
    model, cfg, dataset = SYMMETRIC[name]
    script = export.pytorch_script(model, cfg, dataset)
    assert "np.full((fan_in, fan_out)" in script
    keras = export.keras_script(model, cfg, dataset)
    assert ("Zeros()" if model.init == "zeros" else "Constant(INIT_VALUE)") in keras
    compile(keras, "keras.py", "exec")


@pytest.mark.parametrize("name", list(SYMMETRIC))
def test_a_symmetric_pytorch_script_starts_where_the_engine_starts(torch_runs, name):
    result = torch_runs[name]
    assert result["failed"] is None and result["stdout"].strip(), result["stderr"][-500:]
    got = json.loads(result["stdout"])["val_loss"][0]
    model, cfg, dataset = SYMMETRIC[name]
    metrics = train(model, cfg, datasets.load(dataset)).metrics
    want = float(metrics[metrics.split == "val"].loss.iloc[0])
    assert abs(got - want) <= 1e-4 * abs(want)
