"""Export a run as a standalone PyTorch or Keras script, or a Jupyter notebook, that reproduces it.

The generated code needs only NumPy (>= 1.25, for ``Generator.spawn``) and its framework; it never
imports this project. It sets up the very experiment :func:`core.training.train` runs:

- the same data: the shipped digits file (``data/digits.csv.gz``, read from the project folder),
  the synthetic sets regenerated with the same NumPy code and seed, or Fashion-MNIST from the
  project's user cache; the same stratified split (seed :data:`DATA_SEED`) and standardisation;
- the same initial weights: ``default_rng(seed).spawn(3)`` gives the weight, mini-batch and probe
  streams, the weight stream one child per Dense kernel, each drawn with the engine's method
  (Keras' truncated normal by redrawing beyond +-2, uniform, ...), so epoch 0 is identical;
- the same mini-batch order (``batch_rng.permutation(n)`` each epoch), optimizer (Keras' SGD,
  momentum and Adam formulas), clipping (value / per tensor / global norm), batch-norm convention
  (Keras: momentum 0.99, eps 1e-3, biased variance; or PyTorch's), zero biases and no bias in a
  Dense followed by BN, and the mean softmax cross-entropy.

Run as ``python script.py --json`` a script prints ``{"val_accuracy": [...], "val_loss": [...]}``
(epoch 0 first); without ``--json`` a table, one row per epoch. Generation is string templating
only (about 2 ms for a script, 3 ms for a notebook, on a loaded 2-core machine).

Public functions: :func:`pytorch_script`, :func:`keras_script`, :func:`notebook`,
:func:`file_name`, :func:`describe`, and :func:`numpy_part` (the framework-free part, which the
tests compare with the engine bit for bit).
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import textwrap
from string import Template

from . import activations, datasets, initializers
from .layers import BN_CONVENTIONS
from .network import ModelConfig
from .training import TrainConfig

FRAMEWORKS = ("pytorch", "keras")
#: The app splits every data set with this seed (``ui.data.DATA_SEED``); the run's seed only
#: changes weights, mini-batches and probe.
DATA_SEED = 0
VAL_FRACTION = 0.2


def _check(dataset: str, framework: str | None = None) -> None:
    if dataset not in datasets.NAMES:
        raise ValueError(
            f"unknown data set {dataset!r}; valid data sets: {', '.join(datasets.NAMES)}"
        )
    if framework is not None and framework not in FRAMEWORKS:
        raise ValueError(
            f"unknown framework {framework!r}; valid frameworks: {', '.join(FRAMEWORKS)}"
        )


def _code(text: str, **values) -> str:
    """A template block, dedented, with ``$name`` filled in (every name must be given)."""
    return Template(textwrap.dedent(text).strip("\n")).substitute(values) + "\n"


#: A section heading in the generated code: ``# --- Title ---...``, drawn 79 characters wide.
_HEADING = re.compile(r"^# --- (.+?)(?: -+)?$", re.MULTILINE)


def _join(*blocks: str) -> str:
    """Top-level blocks of code, two blank lines apart (PEP 8); empty blocks are left out."""
    text = "\n\n\n".join(b.strip("\n") for b in blocks if b.strip()) + "\n"
    return _HEADING.sub(lambda m: f"# --- {m[1]} ".ljust(79, "-"), text)


# --- names ------------------------------------------------------------------------------------


def file_name(
    model: ModelConfig, train: TrainConfig, framework: str = "pytorch", notebook: bool = False
) -> str:
    """What the file holds, e.g. ``gradient-lab_relu-he_normal_pytorch.py`` or
    ``gradient-lab_tanh-random_normal_std0.5-bn_after-clip_norm-adam_keras.ipynb``: the activation
    and initializer, then batch norm, clipping and a non-SGD optimizer when used."""
    _check("digits", framework)
    init = model.init
    if init in initializers.FIXED_STD:
        init += f"_std{model.init_std:g}"
    elif init == "constant":
        init += f"{model.init_value:g}"
    elif not model.truncated and init.endswith("_normal"):
        init += "_untruncated"
    parts = [model.activation, init]
    if model.batchnorm != "none":
        parts.append(f"bn_{model.batchnorm}")
    if train.clip != "none":
        parts.append(f"clip_{train.clip}")
    if train.optimizer != "sgd":
        parts.append(train.optimizer)
    return f"gradient-lab_{'-'.join(parts)}_{framework}.{'ipynb' if notebook else 'py'}"


def describe(model: ModelConfig, train: TrainConfig, dataset: str) -> str:
    """One line in English: the network, its initialization and how it is trained."""
    depth, widths = len(model.hidden), sorted(set(model.hidden))
    width = str(widths[0]) if len(widths) == 1 else "/".join(map(str, model.hidden))
    init = model.init + (
        f" (std {model.init_std:g})" if model.init in initializers.FIXED_STD else ""
    )
    bn = {"none": "no batch norm", "before": "batch norm before the activation"}.get(
        model.batchnorm, "batch norm after the activation"
    )
    clip = (
        "no clipping"
        if train.clip == "none"
        else f"clipping by {train.clip} at {train.clip_threshold:g}"
    )
    return (
        f"{depth} hidden layers of {width} {model.activation} units, {init} initialization, {bn}; "
        f"{train.optimizer} (learning rate {train.lr:g}), batch {train.batch_size}, {clip}, "
        f"{train.epochs} epochs, seed {train.seed}, on {dataset}"
    )


# --- the parts shared by both frameworks (NumPy) ----------------------------------------------


def _settings(model: ModelConfig, train: TrainConfig, dataset: str) -> str:
    lines = [
        "# --- The experiment's settings, as in the app ----------------------------------------",
        f'DATASET = "{dataset}"',
        f"DATA_SEED = {DATA_SEED}  # the app splits the data with seed 0 whatever the run's seed",
        f"HIDDEN = {tuple(model.hidden)!r}  # units per hidden layer",
        f"LR = {train.lr!r}  # learning rate",
    ]
    if train.optimizer == "momentum":
        lines.append(f"MOMENTUM = {train.momentum!r}")
        lines.append(f"NESTEROV = {train.nesterov!r}")
    lines += [
        f"BATCH_SIZE = {int(train.batch_size)}",
        f"EPOCHS = {int(train.epochs)}",
        f"SEED = {int(train.seed)}  # initial weights and mini-batch order",
    ]
    if train.clip != "none":
        lines.append(f"CLIP_THRESHOLD = {train.clip_threshold!r}")
    if model.init in initializers.FIXED_STD:
        lines.append(f"INIT_STD = {model.init_std!r}  # standard deviation of the initial weights")
    if model.init == "constant":
        lines.append(f"INIT_VALUE = {model.init_value!r}  # every initial weight")
    return "\n".join(lines) + "\n"


def _digits_loader() -> str:
    return _code(
        '''
        # --- The data: the UCI handwritten digits shipped with Gradient Lab ------------------
        DATA_FILE = Path("data") / "digits.csv.gz"


        def load_raw():
            """X (1797, 64) pixel counts 0..16 (8x8 images, row-major) and y (1797,) labels 0..9."""
            if not DATA_FILE.is_file():
                sys.exit(
                    f"{DATA_FILE} not found. Run this from the Gradient Lab folder (the one holding "
                    "app.py and data/). The file is also scikit-learn's "
                    "sklearn/datasets/data/digits.csv.gz: copying it to data/ works too."
                )
            with gzip.open(DATA_FILE, "rt") as f:
                table = np.loadtxt(f, delimiter=",", dtype=np.float32)
            return table[:, :-1], table[:, -1].astype(np.int64)
        '''
    )


@functools.cache
def _synthetic_loader(name: str) -> str:
    """The engine's own generator (its source, so the two cannot drift apart) and its call."""
    source = inspect.getsource(datasets.GENERATORS[name])
    return _join(
        f"# --- The data: {name}, drawn with the app's NumPy code and seed\n" + source,
        _code(
            f'''
            def load_raw():
                """{datasets.SYNTHETIC_SIZE} points of {name}, drawn as the app draws them."""
                rng = np.random.default_rng([DATA_SEED, 1])
                return {name}({datasets.SYNTHETIC_SIZE}, rng)
            '''
        ),
    )


def _fashion_loader() -> str:
    return _code(
        '''
        # --- The data: Fashion-MNIST, from the cache Gradient Lab downloads it into -----------
        # Official split: 60,000 training images, 10,000 test images (the validation split here).
        FILES = {
            "train_images": "train-images-idx3-ubyte.gz",
            "train_labels": "train-labels-idx1-ubyte.gz",
            "val_images": "t10k-images-idx3-ubyte.gz",
            "val_labels": "t10k-labels-idx1-ubyte.gz",
        }


        def cache_dir():
            """$$GRADIENT_LAB_CACHE/fashion-mnist, else $$XDG_CACHE_HOME/gradient-lab/fashion-mnist,
            else ~/.cache/gradient-lab/fashion-mnist (where `python -m core.fashion_mnist` puts it)."""
            root = os.environ.get("GRADIENT_LAB_CACHE")
            if not root:
                root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gradient-lab"
            return Path(root) / "fashion-mnist"


        def read_idx(path):
            """A gzip IDX file of unsigned bytes -> uint8 array (header: 0, 0, 0x08, ndim, dims)."""
            with gzip.open(path, "rb") as f:
                data = f.read()
            ndim = data[3]
            shape = tuple(np.frombuffer(data, ">u4", count=ndim, offset=4).astype(int))
            return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


        def load_split():
            """X_train (60000, 784), y_train, X_val (10000, 784), y_val, as uint8 / int64."""
            folder = cache_dir()
            missing = [name for name in FILES.values() if not (folder / name).is_file()]
            if missing:
                sys.exit(
                    f"Fashion-MNIST is not in {folder} (missing: {', '.join(missing)}). Download it "
                    "once (about 30 MB) from the Gradient Lab folder with: python -m core.fashion_mnist"
                )
            a = {role: read_idx(folder / name) for role, name in FILES.items()}
            X_train = a["train_images"].reshape(len(a["train_images"]), -1)
            X_val = a["val_images"].reshape(len(a["val_images"]), -1)
            return X_train, a["train_labels"].astype(np.int64), X_val, a["val_labels"].astype(np.int64)
        '''
    )


def _split_and_standardise(dataset: str) -> str:
    standardise = _code(
        '''
        def standardise(X_train, X_val):
            """(x - mean) / std with the training split's statistics (float64), as float32; a
            constant feature (a blank pixel) is centred but not divided by its zero std."""
            X_train64 = X_train.astype(np.float64)
            mean = X_train64.mean(axis=0)
            std = X_train64.std(axis=0)
            scale = np.where(std > 1e-12, std, 1.0)
            return [((X.astype(np.float64) - mean) / scale).astype(np.float32) for X in (X_train, X_val)]
        '''
    )
    if dataset == "fashion_mnist":
        load = _code(
            '''
            def load_data():
                """X_train, y_train, X_val, y_val (standardised float32, int64) and the classes."""
                X_train, y_train, X_val, y_val = load_split()
                X_train, X_val = standardise(X_train, X_val)
                return X_train, y_train, X_val, y_val, 10
            '''
        )
        return _join(standardise, load)
    split = _code(
        '''
        def stratified_split(y, val_fraction, rng):
            """Indices (train, val): each class puts round(val_fraction * its count) in val."""
            train, val = [], []
            for c in np.unique(y):
                idx = rng.permutation(np.flatnonzero(y == c))
                n_val = int(round(val_fraction * len(idx)))
                val.append(idx[:n_val])
                train.append(idx[n_val:])
            return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))
        '''
    )
    load = _code(
        '''
        def load_data():
            """X_train, y_train, X_val, y_val (standardised float32, int64) and the classes."""
            X, y = load_raw()
            classes, y = np.unique(y, return_inverse=True)  # labels 0..C-1
            train, val = stratified_split(y, $fraction, np.random.default_rng(DATA_SEED))
            X_train, X_val = standardise(X[train], X[val])
            return X_train, y[train], X_val, y[val], len(classes)
        ''',
        fraction=repr(VAL_FRACTION),
    )
    return _join(split, standardise, load)


def _data(dataset: str) -> str:
    if dataset == "digits":
        loader = _digits_loader()
    elif dataset == "fashion_mnist":
        loader = _fashion_loader()
    else:
        loader = _synthetic_loader(dataset)
    return _join(loader, _split_and_standardise(dataset))


_FAN = {
    "fan_in": "fan_in",
    "fan_out": "fan_out",
    "fan_avg": "((fan_in + fan_out) / 2.0)",
}
_PRESET_NAMES = {
    "glorot": "Glorot (Xavier)",
    "he": "He",
    "lecun": "LeCun",
}


def _draw_kernel(model: ModelConfig) -> str:
    """``draw_kernel(fan_in, fan_out, rng)``: the engine's initializer, written out."""
    name = model.init
    shape = "(fan_in, fan_out)"
    std = "INIT_STD"
    if name in initializers.CONSTANT:
        std = "0.0  # every weight is the same number: no spread"
        value = "INIT_VALUE" if name == "constant" else "0.0"
        doc = f"Every weight {value} (no random draw): every unit of a layer starts the same."
        body = f"return np.full({shape}, {value}, dtype=np.float32)"
    elif name == "random_normal":
        doc = "N(0, INIT_STD²), untruncated."
        body = f"x = rng.standard_normal({shape}, dtype=np.float32)\nx *= std\nreturn x"
    elif name == "random_uniform":
        doc = "U(-r, r) with r = sqrt(3) * INIT_STD, so that the std is INIT_STD."
        body = (
            f"r = math.sqrt(3.0) * std\nreturn rng.uniform(-r, r, size={shape}).astype(np.float32)"
        )
    else:
        scale, mode, distribution = initializers.PRESETS[name]
        if distribution == "truncated_normal" and not model.truncated:
            distribution = "untruncated_normal"
        family = _PRESET_NAMES[name.split("_")[0]]
        std = f"math.sqrt({scale!r} / {_FAN[mode]})"
        if distribution == "uniform":
            doc = f"{family} uniform: U(-r, r), r = sqrt(3) * std, variance std²."
            body = (
                "r = math.sqrt(3.0) * std\n"
                f"return rng.uniform(-r, r, size={shape}).astype(np.float32)"
            )
        elif distribution == "truncated_normal":
            doc = (
                f"{family} normal as Keras draws it: a standard normal truncated at ±2\n"
                "(values beyond are redrawn), times std / 0.8796 so that the variance is std²."
            )
            body = (
                f"x = rng.standard_normal({shape}, dtype=np.float32)\n"
                "outside = np.abs(x) > 2.0\n"
                "while outside.any():  # redraw every value beyond ±2 until none is left\n"
                "    x[outside] = rng.standard_normal(int(outside.sum()), dtype=np.float32)\n"
                "    outside = np.abs(x) > 2.0\n"
                "x *= std / 0.87962566103423978  # N(0, 1) truncated at ±2 has std 0.8796\n"
                "return x"
            )
        else:
            doc = f"{family} normal, untruncated (PyTorch's choice): N(0, std²)."
            body = f"x = rng.standard_normal({shape}, dtype=np.float32)\nx *= std\nreturn x"
    return _code(
        '''
        # --- The initial weights, drawn with NumPy exactly as the app draws them ---
        def draw_kernel(fan_in, fan_out, rng):
            """One Dense kernel (fan_in, fan_out), float32:
            $doc"""
            std = $std
        $body
        ''',
        doc=textwrap.indent(doc, " " * 4).lstrip(),
        std=std,
        body=textwrap.indent(body, " " * 4),
    )


_KERNELS = _code(
    '''
    def initial_kernels(sizes, weight_rng):
        """One kernel per Dense layer, each from its own child stream of weight_rng (as the app
        does, so that two networks that differ elsewhere still start layer k alike)."""
        streams = weight_rng.spawn(len(sizes) - 1)
        return [draw_kernel(a, b, rng) for a, b, rng in zip(sizes[:-1], sizes[1:], streams)]
    '''
)


def _weights(model: ModelConfig) -> str:
    return _join(_draw_kernel(model), _KERNELS)


# --- PyTorch -----------------------------------------------------------------------------------

_TORCH_ACTIVATIONS = {
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "leaky_relu": "nn.LeakyReLU(negative_slope={alpha!r})",
    "elu": "nn.ELU(alpha={alpha!r})",
    "selu": "nn.SELU()",
    "gelu": 'nn.GELU(approximate="tanh")',  # the engine's tanh approximation
    "swish": "nn.SiLU()",
}
#: What a PyTorch user would write to draw the same distribution with PyTorch's own generator.
_TORCH_INITS = {
    "glorot_uniform": "nn.init.xavier_uniform_(layer.weight)",
    "glorot_normal": "nn.init.xavier_normal_(layer.weight)",
    "he_uniform": 'nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")',
    "he_normal": 'nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")',
    "lecun_uniform": 'nn.init.kaiming_uniform_(layer.weight, nonlinearity="linear")',
    "lecun_normal": 'nn.init.kaiming_normal_(layer.weight, nonlinearity="linear")',
    "random_normal": "nn.init.normal_(layer.weight, std=INIT_STD)",
    "zeros": "nn.init.zeros_(layer.weight)",
    "constant": "nn.init.constant_(layer.weight, INIT_VALUE)",
    "random_uniform": "nn.init.uniform_(layer.weight, -r, r), r = sqrt(3) * INIT_STD",
}


def _activation_fn(model: ModelConfig, table: dict[str, str]) -> str:
    alpha = activations.get(model.activation, model.alpha).alpha
    return table[model.activation].format(alpha=alpha)


def _torch_model(model: ModelConfig) -> str:
    act = _activation_fn(model, _TORCH_ACTIVATIONS)
    keras_bn = model.bn_convention == "keras"
    bn = "KerasBatchNorm(fan_out)" if keras_bn else "nn.BatchNorm1d(fan_out)"
    block = {
        "none": f"layers += [nn.Linear(fan_in, fan_out), {act}]",
        "before": (
            "# no bias before BN: its shift (beta) takes that role\n"
            f"layers += [\n    nn.Linear(fan_in, fan_out, bias=False),\n    {bn},\n    {act},\n]"
        ),
        "after": f"layers += [nn.Linear(fan_in, fan_out), {act}, {bn}]",
    }[model.batchnorm]
    bn_class = ""
    if model.batchnorm != "none" and keras_bn:
        bn_class = _code(
            '''
            class KerasBatchNorm(nn.BatchNorm1d):
                """Batch normalization with Keras' conventions, the app's default:
                moving = moving * 0.99 + batch * 0.01 (PyTorch's momentum=0.01), eps = 1e-3, and the
                moving variance takes the batch's *biased* variance (divided by N, where PyTorch's
                running_var takes the unbiased one, N - 1). Inference uses the moving averages."""

                def __init__(self, features):
                    super().__init__(features, momentum=0.01, eps=1e-3)

                def forward(self, x):
                    if not self.training:
                        return super().forward(x)
                    mean = x.mean(dim=0)
                    var = x.var(dim=0, unbiased=False)
                    with torch.no_grad():
                        self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                        self.running_var.mul_(1 - self.momentum).add_(self.momentum * var)
                    return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


            '''
        )
    elif model.batchnorm != "none":
        bn_class = (
            "# Batch norm with PyTorch's conventions (momentum 0.1, eps 1e-5, unbiased running\n"
            "# variance): nn.BatchNorm1d as it comes. It refuses a training batch of one sample,\n"
            "# which the app normalises to beta.\n"
        )
    network = _code(
        '''
        # --- The network (PyTorch) -----------------------------------------------------------
        def build_model(sizes):
            """sizes = (inputs, hidden..., classes); the output layer gives logits."""
            layers = []
            for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1]):  # the hidden layers
        $block
            layers.append(nn.Linear(sizes[-2], sizes[-1]))  # logits: no activation, no BN
            return nn.Sequential(*layers)


        def set_initial_weights(model, kernels):
            """Copy the NumPy kernels into the Linear layers; every bias starts at 0 (as in Keras)."""
            # PyTorch's own initializer for this, drawing other random numbers$truncation:
            # $torch_init
            linears = [m for m in model if isinstance(m, nn.Linear)]
            with torch.no_grad():
                for layer, W in zip(linears, kernels):
                    layer.weight.copy_(torch.from_numpy(W.T))  # PyTorch stores (fan_out, fan_in)
                    if layer.bias is not None:
                        layer.bias.zero_()  # PyTorch's default bias is random
        ''',
        block=textwrap.indent(block, " " * 8),
        torch_init=_TORCH_INITS[model.init],
        truncation=(
            " (untruncated; Keras\n    # and the app truncate at ±2σ)"
            if model.init in initializers.PRESETS
            and model.init.endswith("_normal")
            and model.truncated
            else ""
        ),
    )
    return _join(bn_class, network)


def _torch_optimizer(train: TrainConfig) -> str:
    if train.optimizer == "sgd":
        return _code(
            '''
            def make_optimizer(model):
                """Plain SGD: w <- w - lr g."""
                return torch.optim.SGD(model.parameters(), lr=LR)
            '''
        )
    if train.optimizer == "momentum":
        return _code(
            '''
            def make_optimizer(model):
                """SGD with momentum. PyTorch keeps b = m b + g and steps w <- w - lr b; Keras (and the
                app) keep v = m v - lr g and step w <- w + v: v = -lr b, the same steps."""
                return torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, nesterov=NESTEROV)
            '''
        )
    return _code(
        '''
        class KerasAdam(torch.optim.Optimizer):
            """Adam as Keras (and the app) computes it:
                m <- b1 m + (1 - b1) g,   s <- b2 s + (1 - b2) g^2,
                w <- w - lr_t m / (sqrt(s) + eps),   lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),  eps = 1e-7.
            torch.optim.Adam adds eps to the bias-corrected sqrt(s / (1 - b2^t)) instead, which differs
            exactly where gradients vanish (sqrt(s) near eps)."""

            def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-7):
                super().__init__(params, dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps))

            @torch.no_grad()
            def step(self):
                for group in self.param_groups:
                    b1, b2, eps = group["beta1"], group["beta2"], group["eps"]
                    for p in group["params"]:
                        state = self.state[p]
                        if not state:
                            state.update(t=0, m=torch.zeros_like(p), s=torch.zeros_like(p))
                        state["t"] += 1
                        t, m, s = state["t"], state["m"], state["s"]
                        lr_t = group["lr"] * math.sqrt(1 - b2**t) / (1 - b1**t)
                        m.mul_(b1).add_((1 - b1) * p.grad)
                        s.mul_(b2).add_((1 - b2) * (p.grad * p.grad))
                        p.sub_(lr_t * m / (torch.sqrt(s) + eps))


        def make_optimizer(model):
            return KerasAdam(model.parameters(), lr=LR)
        '''
    )


_TORCH_CLIP = {
    "none": "",
    "value": (
        "# clip every gradient element into [-c, c] (Keras clipvalue)\n"
        "nn.utils.clip_grad_value_(model.parameters(), clip_value=CLIP_THRESHOLD)\n"
    ),
    "norm": (
        "# rescale each tensor on its own to norm <= c (Keras clipnorm)\n"
        "for p in model.parameters():\n"
        "    nn.utils.clip_grad_norm_([p], max_norm=CLIP_THRESHOLD)\n"
    ),
    "global_norm": (
        "# rescale all gradients together to global norm <= c (Keras global_clipnorm)\n"
        "nn.utils.clip_grad_norm_(model.parameters(), max_norm=CLIP_THRESHOLD)\n"
    ),
}


def _torch_training(train: TrainConfig) -> str:
    clip = _TORCH_CLIP[train.clip]
    if train.clip in ("norm", "global_norm"):
        clip += "# (clip_grad_norm_ divides by the norm + 1e-6: a negligible difference)\n"
    return _code(
        '''
        # --- Training (PyTorch) --------------------------------------------------------------
        @torch.no_grad()
        def evaluate(model, X, y):
            """(mean loss, accuracy) in inference mode (BN uses its moving averages)."""
            model.eval()
            loss_sum = correct = 0.0
            for start in range(0, len(X), 4096):
                logits = model(X[start : start + 4096])
                target = y[start : start + 4096]
                loss_sum += F.cross_entropy(logits, target, reduction="sum").item()
                correct += (logits.argmax(dim=1) == target).sum().item()
            return loss_sum / len(X), correct / len(X)


        def all_finite(loss, model):
            return bool(torch.isfinite(loss)) and all(
                bool(torch.isfinite(p.grad).all()) for p in model.parameters()
            )


        def run(seed=SEED, on_epoch=None):
            """Train as the app does; return the curves, one value per epoch (epoch 0 first).
            on_epoch(epoch, curves) is called after each epoch."""
            X_train, y_train, X_val, y_val, n_classes = load_data()
            # one seed, three streams: initial weights, mini-batch order, the app's probe batch
            weight_rng, batch_rng, _probe_rng = np.random.default_rng(seed).spawn(3)
            sizes = (X_train.shape[1], *HIDDEN, n_classes)
            model = build_model(sizes)
            set_initial_weights(model, initial_kernels(sizes, weight_rng))
            optimizer = make_optimizer(model)
            loss_fn = nn.CrossEntropyLoss()  # softmax cross-entropy of the logits, batch mean
            X_train, y_train, X_val, y_val = map(torch.from_numpy, (X_train, y_train, X_val, y_val))
            curves = {"train_loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}

            def record(epoch, train_loss, train_accuracy):
                val_loss, val_accuracy = evaluate(model, X_val, y_val)
                for key, value in zip(curves, (train_loss, train_accuracy, val_loss, val_accuracy)):
                    curves[key].append(value)
                if on_epoch is not None:
                    on_epoch(epoch, curves)

            record(0, *evaluate(model, X_train, y_train))  # epoch 0: the network as initialized
            n = len(X_train)
            for epoch in range(1, EPOCHS + 1):
                order = torch.from_numpy(batch_rng.permutation(n))  # the app's mini-batch order
                model.train()
                loss_sum = correct = 0.0
                for start in range(0, n, BATCH_SIZE):
                    idx = order[start : start + BATCH_SIZE]
                    logits = model(X_train[idx])
                    loss = loss_fn(logits, y_train[idx])
                    optimizer.zero_grad()
                    loss.backward()
                    if not all_finite(loss, model):
                        print(f"Diverged in epoch {epoch}: loss or gradients inf or NaN.", file=sys.stderr)
                        return curves
        $clip            optimizer.step()
                    loss_sum += loss.item() * len(idx)  # Keras' fit reports the mean over the epoch
                    correct += (logits.argmax(dim=1) == y_train[idx]).sum().item()
                if not all(bool(torch.isfinite(p).all()) for p in model.parameters()):
                    print(f"Diverged in epoch {epoch}: weights inf or NaN.", file=sys.stderr)
                    return curves
                record(epoch, loss_sum / n, correct / n)
            return curves
        ''',
        clip=textwrap.indent(clip, " " * 12),
    )


# --- Keras -------------------------------------------------------------------------------------

_KERAS_ACTIVATIONS = {
    "sigmoid": 'layers.Activation("sigmoid")',
    "tanh": 'layers.Activation("tanh")',
    "relu": 'layers.Activation("relu")',
    "leaky_relu": "layers.LeakyReLU(negative_slope={alpha!r})",
    "elu": "layers.ELU(alpha={alpha!r})",
    "selu": 'layers.Activation("selu")',
    "gelu": "layers.Activation(lambda z: keras.activations.gelu(z, approximate=True))",
    "swish": 'layers.Activation("swish")',
}
_KERAS_INITS = {
    "glorot_uniform": "keras.initializers.GlorotUniform()",
    "glorot_normal": "keras.initializers.GlorotNormal()",
    "he_uniform": "keras.initializers.HeUniform()",
    "he_normal": "keras.initializers.HeNormal()",
    "lecun_uniform": "keras.initializers.LecunUniform()",
    "lecun_normal": "keras.initializers.LecunNormal()",
    "random_normal": "keras.initializers.RandomNormal(stddev=INIT_STD)",
    "zeros": "keras.initializers.Zeros()",
    "constant": "keras.initializers.Constant(INIT_VALUE)",
    "random_uniform": (
        "keras.initializers.RandomUniform(minval=-math.sqrt(3) * INIT_STD, "
        "maxval=math.sqrt(3) * INIT_STD)"
    ),
}


def _keras_initializer(model: ModelConfig) -> str:
    if (
        model.init.endswith("_normal")
        and model.init in initializers.PRESETS
        and not model.truncated
    ):
        scale, mode, _ = initializers.PRESETS[model.init]
        return (
            "keras.initializers.VarianceScaling(\n"
            f'        scale={scale!r}, mode="{mode}", distribution="untruncated_normal"\n'
            "    )"
        )
    return _KERAS_INITS[model.init]


def _keras_model(model: ModelConfig) -> str:
    act = _activation_fn(model, _KERAS_ACTIVATIONS)
    momentum, eps, _ = BN_CONVENTIONS[model.bn_convention]
    keep = momentum if model.bn_convention == "keras" else 1.0 - momentum
    bn = f"layers.BatchNormalization(momentum={keep!r}, epsilon={eps!r})"
    block = {
        "none": f"model.add(layers.Dense(units, kernel_initializer=init))\nmodel.add({act})",
        "before": (
            "# no bias before BN: its shift (beta) takes that role\n"
            "model.add(layers.Dense(units, use_bias=False, kernel_initializer=init))\n"
            f"model.add({bn})\nmodel.add({act})"
        ),
        "after": (
            f"model.add(layers.Dense(units, kernel_initializer=init))\nmodel.add({act})\n"
            f"model.add({bn})"
        ),
    }[model.batchnorm]
    note = ""
    if model.batchnorm != "none" and model.bn_convention == "torch":
        note = (
            "# Batch norm with PyTorch's momentum and eps (the app's 'torch' convention). Keras keeps\n"
            "# the biased batch variance in its moving variance where PyTorch keeps the unbiased one\n"
            "# (N - 1): inference-mode figures after epoch 0 may differ a little from the app's.\n"
        )
    return note + _code(
        '''
        # --- The network (Keras) -------------------------------------------------------------
        def build_model(sizes):
            """sizes = (inputs, hidden..., classes); the output layer gives logits."""
            init = $init
            model = keras.Sequential([keras.Input(shape=(sizes[0],))])
            for units in sizes[1:-1]:  # the hidden layers
        $block
            model.add(layers.Dense(sizes[-1], kernel_initializer=init))  # logits: no activation
            return model


        def set_initial_weights(model, kernels):
            """Replace the kernels Keras drew (the same distribution, but Keras' own random numbers)
            by the app's NumPy draw, so that epoch 0 matches exactly. Biases start at 0 in both."""
            dense = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
            for layer, W in zip(dense, kernels):
                layer.kernel.assign(W)  # Keras stores (fan_in, fan_out), as the app does
        ''',
        init=_keras_initializer(model),
        block=textwrap.indent(block, " " * 8),
    )


def _keras_optimizer(train: TrainConfig) -> str:
    clip = {
        "none": "",
        "value": ", clipvalue=CLIP_THRESHOLD",
        "norm": ", clipnorm=CLIP_THRESHOLD",
        "global_norm": ", global_clipnorm=CLIP_THRESHOLD",
    }[train.clip]
    make = {
        "sgd": f"keras.optimizers.SGD(learning_rate=LR{clip})",
        "momentum": (
            "keras.optimizers.SGD(\n"
            f"        learning_rate=LR, momentum=MOMENTUM, nesterov=NESTEROV{clip}\n"
            "    )"
        ),
        "adam": (
            "keras.optimizers.Adam(\n"
            f"        learning_rate=LR, beta_1=0.9, beta_2=0.999, epsilon=1e-7{clip}\n"
            "    )"
        ),
    }[train.optimizer]
    doc = {
        "sgd": "Plain SGD: w <- w - lr g.",
        "momentum": "SGD with momentum: v <- m v - lr g; w <- w + v (as the app).",
        "adam": "Adam with Keras' formulas and defaults (as the app).",
    }[train.optimizer]
    note = {
        "none": "",
        "value": "\n    clipvalue: every gradient element into [-c, c].",
        "norm": "\n    clipnorm: each tensor on its own to norm <= c.",
        "global_norm": "\n    global_clipnorm: all gradients together to global norm <= c.",
    }[train.clip]
    return _code(
        '''
        def make_optimizer():
            """$doc$note"""
            return $make
        ''',
        doc=doc,
        note=note,
        make=make,
    )


_KERAS_TRAINING = _code(
    '''
    # --- Training (Keras) ----------------------------------------------------------------
    class StopWhenNotFinite(keras.callbacks.Callback):
        """Stop training at the first inf or NaN loss, as the app does (keras.callbacks.
        TerminateOnNaN does the same but prints to stdout, which --json keeps for the curves)."""

        def on_train_batch_end(self, batch, logs=None):
            if not math.isfinite(logs["loss"]):
                self.model.stop_training = True


    def weights_finite(model):
        return all(np.isfinite(w).all() for w in model.get_weights())


    def run(seed=SEED, on_epoch=None):
        """Train as the app does; return the curves, one value per epoch (epoch 0 first).
        on_epoch(epoch, curves) is called after each epoch."""
        X_train, y_train, X_val, y_val, n_classes = load_data()
        # one seed, three streams: initial weights, mini-batch order, the app's probe batch
        weight_rng, batch_rng, _probe_rng = np.random.default_rng(seed).spawn(3)
        sizes = (X_train.shape[1], *HIDDEN, n_classes)
        model = build_model(sizes)
        set_initial_weights(model, initial_kernels(sizes, weight_rng))
        model.compile(
            optimizer=make_optimizer(),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),  # batch mean
            metrics=["accuracy"],
        )
        curves = {"train_loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}

        def record(epoch, train_loss, train_accuracy):
            val_loss, val_accuracy = model.evaluate(X_val, y_val, batch_size=4096, verbose=0)
            for key, value in zip(curves, (train_loss, train_accuracy, val_loss, val_accuracy)):
                curves[key].append(float(value))
            if on_epoch is not None:
                on_epoch(epoch, curves)

        # epoch 0: the network as initialized, in inference mode
        record(0, *model.evaluate(X_train, y_train, batch_size=4096, verbose=0))
        for epoch in range(1, EPOCHS + 1):
            order = batch_rng.permutation(len(X_train))  # the app's mini-batch order
            fit = model.fit(
                X_train[order],
                y_train[order],
                batch_size=BATCH_SIZE,
                epochs=1,
                shuffle=False,  # already shuffled, in the app's order
                verbose=0,
                callbacks=[StopWhenNotFinite()],
            )
            train_loss, train_accuracy = fit.history["loss"][-1], fit.history["accuracy"][-1]
            if not (math.isfinite(train_loss) and weights_finite(model)):
                print(f"Diverged in epoch {epoch}: loss or weights inf or NaN.", file=sys.stderr)
                return curves
            record(epoch, train_loss, train_accuracy)
        return curves
    '''
)


# --- assembling -------------------------------------------------------------------------------


def _header(model, train, dataset, framework) -> str:
    name = file_name(model, train, framework)
    needs = (
        "PyTorch" if framework == "pytorch" else "Keras 3 (any backend: TensorFlow, JAX or PyTorch)"
    )
    where = {
        "digits": "Run it from the Gradient Lab folder: it reads data/digits.csv.gz.",
        "fashion_mnist": (
            "It reads Fashion-MNIST from Gradient Lab's cache (python -m core.fashion_mnist)."
        ),
    }.get(dataset, f"It draws the {dataset} data itself, as the app does.")
    title = "PyTorch" if framework == "pytorch" else "Keras"
    return _code(
        '''
        """A Gradient Lab experiment, reproduced in $title.

        $what

        The script starts from the very weights the app drew (NumPy, same generator, same order),
        feeds the same mini-batches in the same order and trains with the same optimizer, clipping
        and batch-norm conventions: epoch 0 matches the app exactly, later epochs up to float32
        rounding. $where

            python $name

        prints the curves, one row per epoch; with --json, the validation curves as one JSON
        object; with --seed N, those of another seed (other initial weights and mini-batches).

        Needs NumPy >= 1.25 and $needs.
        """
        ''',
        title=title,
        what=textwrap.fill(describe(model, train, dataset) + ".", 92),
        where=where,
        name=name,
        needs=needs,
    )


def _imports(dataset: str, framework: str | None, uses_math: bool = True) -> str:
    """The import lines: the standard library, NumPy, then the framework (None: NumPy only)."""
    stdlib = ["argparse", "json", "sys"] + ["math"] * uses_math
    if dataset in ("digits", "fashion_mnist"):
        stdlib.append("gzip")
    if dataset == "fashion_mnist":
        stdlib.append("os")
    lines = [f"import {name}" for name in sorted(stdlib)]
    if dataset in ("digits", "fashion_mnist"):
        lines.append("from pathlib import Path")
    lines += ["", "import numpy as np"]
    if framework == "pytorch":
        lines += ["import torch", "import torch.nn.functional as F", "from torch import nn"]
    elif framework == "keras":
        lines += ["import keras", "from keras import layers"]
    return "\n".join(lines) + "\n"


_REPORT = _code(
    """
    # --- Reporting -----------------------------------------------------------------------
    def print_row(epoch, curves):
        if epoch == 0:
            print("epoch  train loss  train acc    val loss  val acc")
        print(
            f"{epoch:>5}  {curves['train_loss'][-1]:>10.4f}  {curves['train_accuracy'][-1]:>9.4f}"
            f"  {curves['val_loss'][-1]:>10.4f}  {curves['val_accuracy'][-1]:>7.4f}"
        )
    """
)

_MAIN = _code(
    """
    def main():
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--json", action="store_true", help="print the curves as JSON")
        parser.add_argument("--seed", type=int, default=SEED, help=f"run seed (the app's: {SEED})")
        args = parser.parse_args()
        curves = run(args.seed, on_epoch=None if args.json else print_row)
        if args.json:
            validation = {key: curves[key] for key in ("val_accuracy", "val_loss")}
            print(json.dumps(validation))


    if __name__ == "__main__":
        main()
    """
)


def _sections(model, train, dataset, framework) -> list[tuple[str, str]]:
    """The script's parts in order, each ``(title, code)``; a notebook makes one cell of each."""
    if framework == "pytorch":
        net, learn = _join(_torch_model(model), _torch_optimizer(train)), _torch_training(train)
    else:
        net, learn = _join(_keras_model(model), _keras_optimizer(train)), _KERAS_TRAINING
    parts = [
        ("The data", _data(dataset)),
        ("The initial weights", _weights(model)),
        ("The network", net),
        ("Training", _join(learn, _REPORT)),
    ]
    uses_math = any("math." in code for _, code in parts)
    imports = _imports(dataset, framework, uses_math)
    return [("Settings", _join(imports, _settings(model, train, dataset))), *parts]


def _script(model: ModelConfig, train: TrainConfig, dataset: str, framework: str) -> str:
    _check(dataset, framework)
    sections = [code for _, code in _sections(model, train, dataset, framework)]
    return _header(model, train, dataset, framework) + "\n" + _join(*sections, _MAIN)


def numpy_part(model: ModelConfig, train: TrainConfig, dataset: str) -> str:
    """The framework-independent part of every export, runnable on its own: the NumPy imports,
    the settings, ``load_data()`` and ``initial_kernels(sizes, weight_rng)``. Executed, it gives
    what a script trains on and starts from (the tests compare both with the engine's)."""
    _check(dataset)
    return _join(
        _imports(dataset, None), _settings(model, train, dataset), _data(dataset), _weights(model)
    )


def pytorch_script(model: ModelConfig, train: TrainConfig, dataset: str) -> str:
    """A standalone PyTorch script reproducing ``train(model, train, datasets.load(dataset))``
    as the app runs it (data split seed :data:`DATA_SEED`)."""
    return _script(model, train, dataset, "pytorch")


def keras_script(model: ModelConfig, train: TrainConfig, dataset: str) -> str:
    """A standalone Keras 3 script reproducing the run (see :func:`pytorch_script`)."""
    return _script(model, train, dataset, "keras")


def _cell(kind: str, source: str, index: int) -> dict:
    lines = source.rstrip("\n").splitlines(keepends=True)
    cell = {"cell_type": kind, "id": f"cell-{index}", "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


_RUN_CELL = "curves = run(SEED, on_epoch=print_row)\n"
_PLOT_CELL = _code(
    """
    try:  # a plot, if matplotlib is installed (the table above holds the same numbers)
        import matplotlib.pyplot as plt
    except ImportError:
        plt = None
    if plt is not None:
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
        for split in ("train", "val"):
            left.plot(curves[f"{split}_loss"], marker="o", label=split)
            right.plot(curves[f"{split}_accuracy"], marker="o", label=split)
        left.set(xlabel="epoch", ylabel="loss")
        right.set(xlabel="epoch", ylabel="accuracy")
        left.legend()
        plt.show()
    """
)


def notebook(
    model: ModelConfig,
    train: TrainConfig,
    dataset: str,
    framework: str = "pytorch",
    intro: str | None = None,
) -> str:
    """The same experiment as a Jupyter notebook (nbformat 4.5 JSON): a markdown cell saying what
    it shows (``intro``, Markdown, e.g. in the reader's language; English by default), then one
    code cell per part of the script, a cell that trains and prints the table, and a plot."""
    _check(dataset, framework)
    title = "PyTorch" if framework == "pytorch" else "Keras"
    if intro is None:
        intro = (
            f"# A Gradient Lab experiment, reproduced in {title}\n\n"
            f"{describe(model, train, dataset)}.\n\n"
            "The notebook starts from the very weights the app drew and feeds the same "
            "mini-batches in the same order, with the same optimizer, clipping and batch-norm "
            "conventions: epoch 0 matches the app exactly and later epochs match it up to float32 "
            "rounding. Change a setting in the first code cell and run all cells again to see what "
            "it does."
        )
    if dataset == "digits":
        intro += "\n\nPut the notebook in the Gradient Lab folder: it reads `data/digits.csv.gz`."
    cells = [_cell("markdown", intro, 0)]
    for title_, code in _sections(model, train, dataset, framework):
        cells.append(_cell("markdown", f"## {title_}", len(cells)))
        cells.append(_cell("code", code, len(cells)))
    cells.append(_cell("code", _RUN_CELL, len(cells)))
    cells.append(_cell("code", _PLOT_CELL, len(cells)))
    document = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
