"""The PyTorch half of a script: the network (with a Keras-convention batch norm when the run
uses one), the optimizer (with Keras' Adam), and what training needs around the shared ``run()``
of :mod:`.run` (evaluation, the divergence check, one epoch with the run's clipping)."""

from __future__ import annotations

import textwrap

from .. import initializers
from ..network import ModelConfig
from ..training import TrainConfig
from .blocks import activation, code, join
from .run import run_function

IMPORTS = ("import torch", "import torch.nn.functional as F", "from torch import nn")
NEEDS = "PyTorch"

_ACTIVATIONS = {
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
_INITS = {
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

_KERAS_BATCH_NORM = code(
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
_TORCH_BATCH_NORM = (
    "# Batch norm with PyTorch's conventions (momentum 0.1, eps 1e-5, unbiased running\n"
    "# variance): nn.BatchNorm1d as it comes. It refuses a training batch of one sample,\n"
    "# which the app normalises to beta.\n"
)


def _network(model: ModelConfig) -> str:
    act = activation(model, _ACTIVATIONS)
    keras_bn = model.bn_convention == "keras"
    bn_class_name = "KerasBatchNorm" if keras_bn else "nn.BatchNorm1d"
    bn = f"{bn_class_name}(fan_out)"
    input_bn = ""
    if model.input_batchnorm:
        input_bn = (
            "# batch norm on the inputs, before the first Linear: it standardises each feature\n"
            f"layers = [{bn_class_name}(sizes[0])]"
        )
    block = {
        "none": f"layers += [nn.Linear(fan_in, fan_out), {act}]",
        "before": (
            "# no bias before BN: its shift (beta) takes that role\n"
            f"layers += [\n    nn.Linear(fan_in, fan_out, bias=False),\n    {bn},\n    {act},\n]"
        ),
        "after": f"layers += [nn.Linear(fan_in, fan_out), {act}, {bn}]",
    }[model.batchnorm]
    bn_class = ""
    if model.uses_batchnorm:
        bn_class = _KERAS_BATCH_NORM if keras_bn else _TORCH_BATCH_NORM
    network = code(
        '''
        # --- The network (PyTorch) -----------------------------------------------------------
        def build_model(sizes):
            """sizes = (inputs, hidden..., classes); the output layer gives logits."""
        $input_bn
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
        input_bn=textwrap.indent(input_bn or "layers = []", " " * 4),
        torch_init=_INITS[model.init],
        truncation=(
            " (untruncated; Keras\n    # and the app truncate at ±2σ)"
            if model.init in initializers.PRESETS
            and model.init.endswith("_normal")
            and model.truncated
            else ""
        ),
    )
    return join(bn_class, network)


_SGD = code(
    '''
    def make_optimizer(model):
        """Plain SGD: w <- w - lr g."""
        return torch.optim.SGD(model.parameters(), lr=LR)
    '''
)
_MOMENTUM = code(
    '''
    def make_optimizer(model):
        """SGD with momentum. PyTorch keeps b = m b + g and steps w <- w - lr b; Keras (and the
        app) keep v = m v - lr g and step w <- w + v: v = -lr b, the same steps."""
        return torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, nesterov=NESTEROV)
    '''
)
_ADAM = code(
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
_OPTIMIZERS = {"sgd": _SGD, "momentum": _MOMENTUM, "adam": _ADAM}

_CLIP = {
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

_HELPERS = code(
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
    '''
)
_SETUP = """
optimizer = make_optimizer(model)
loss_fn = nn.CrossEntropyLoss()  # softmax cross-entropy of the logits, batch mean
X_train, y_train, X_val, y_val = map(torch.from_numpy, (X_train, y_train, X_val, y_val))
"""


def _epoch(train: TrainConfig) -> str:
    """One epoch's mini-batches in the app's order, with the run's clipping."""
    clip = _CLIP[train.clip]
    if train.clip in ("norm", "global_norm"):
        clip += "# (clip_grad_norm_ divides by the norm + 1e-6: a negligible difference)\n"
    return code(
        """
        model.train()
        loss_sum = correct = 0.0
        for start in range(0, n, BATCH_SIZE):
            idx = torch.from_numpy(order[start : start + BATCH_SIZE])
            logits = model(X_train[idx])
            loss = loss_fn(logits, y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            if not all_finite(loss, model):
                print(f"Diverged in epoch {epoch}: loss or gradients inf or NaN.", file=sys.stderr)
                return curves
        $clip    optimizer.step()
            loss_sum += loss.item() * len(idx)  # Keras' fit reports the mean over the epoch
            correct += (logits.argmax(dim=1) == y_train[idx]).sum().item()
        if not all(bool(torch.isfinite(p).all()) for p in model.parameters()):
            print(f"Diverged in epoch {epoch}: weights inf or NaN.", file=sys.stderr)
            return curves
        record(epoch, loss_sum / n, correct / n)
        """,
        clip=textwrap.indent(clip, " " * 4),
    )


def sections(model: ModelConfig, train: TrainConfig) -> tuple[str, str]:
    """The script's PyTorch parts: (the network and its optimizer, the training)."""
    network = join(_network(model), _OPTIMIZERS[train.optimizer])
    return network, join(_HELPERS, run_function(_SETUP, _epoch(train)))
