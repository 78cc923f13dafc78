"""The Keras half of a script: the network (Keras' own layers and initializers, then the app's
kernels assigned), the optimizer with Keras' clipping arguments, and what training needs around
the shared ``run()`` of :mod:`.run` (evaluation, the divergence check, one epoch as one ``fit``)."""

from __future__ import annotations

import textwrap

from .. import initializers
from ..layers import BN_CONVENTIONS
from ..network import ModelConfig
from ..training import TrainConfig
from .blocks import activation, code, join
from .run import run_function

IMPORTS = ("import keras", "from keras import layers")
NEEDS = "Keras 3 (any backend: TensorFlow, JAX or PyTorch)"

_ACTIVATIONS = {
    "sigmoid": 'layers.Activation("sigmoid")',
    "tanh": 'layers.Activation("tanh")',
    "relu": 'layers.Activation("relu")',
    "leaky_relu": "layers.LeakyReLU(negative_slope={alpha!r})",
    "elu": "layers.ELU(alpha={alpha!r})",
    "selu": 'layers.Activation("selu")',
    "gelu": "layers.Activation(lambda z: keras.activations.gelu(z, approximate=True))",
    "swish": 'layers.Activation("swish")',
}
_INITS = {
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


def _initializer(model: ModelConfig) -> str:
    """Keras' own initializer for the run's (its draw is replaced by the app's kernels)."""
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
    return _INITS[model.init]


def _network(model: ModelConfig) -> str:
    act = activation(model, _ACTIVATIONS)
    momentum, eps, _ = BN_CONVENTIONS[model.bn_convention]
    keep = momentum if model.bn_convention == "keras" else 1.0 - momentum
    bn = f"layers.BatchNormalization(momentum={keep!r}, epsilon={eps!r})"
    input_bn = ""
    if model.input_batchnorm:
        input_bn = (
            "# batch norm on the inputs, before the first Dense: it standardises each feature\n"
            f"model.add({bn})"
        )
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
    if model.uses_batchnorm and model.bn_convention == "torch":
        note = (
            "# Batch norm with PyTorch's momentum and eps (the app's 'torch' convention). Keras keeps\n"
            "# the biased batch variance in its moving variance where PyTorch keeps the unbiased one\n"
            "# (N - 1): inference-mode figures after epoch 0 may differ a little from the app's.\n"
        )
    return note + code(
        '''
        # --- The network (Keras) -------------------------------------------------------------
        def build_model(sizes):
            """sizes = (inputs, hidden..., classes); the output layer gives logits."""
            init = $init
            model = keras.Sequential([keras.Input(shape=(sizes[0],))])$input_bn
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
        init=_initializer(model),
        input_bn="\n" + textwrap.indent(input_bn, " " * 4) if input_bn else "",
        block=textwrap.indent(block, " " * 8),
    )


def _optimizer(train: TrainConfig) -> str:
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
    return code(
        '''
        def make_optimizer():
            """$doc$note"""
            return $make
        ''',
        doc=doc,
        note=note,
        make=make,
    )


_HELPERS = code(
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


    def evaluate(model, X, y):
        """(mean loss, accuracy) in inference mode (BN uses its moving averages)."""
        return model.evaluate(X, y, batch_size=4096, verbose=0)
    '''
)
_SETUP = """
model.compile(
    optimizer=make_optimizer(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),  # batch mean
    metrics=["accuracy"],
)
"""
_EPOCH = """
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
"""


def sections(model: ModelConfig, train: TrainConfig) -> tuple[str, str]:
    """The script's Keras parts: (the network and its optimizer, the training)."""
    network = join(_network(model), _optimizer(train))
    return network, join(_HELPERS, run_function(_SETUP, _EPOCH))
