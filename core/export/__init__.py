"""Export a run as a standalone PyTorch or Keras script, or a Jupyter notebook, that reproduces it.

The generated code needs only NumPy (>= 1.25, for ``Generator.spawn``) and its framework; it never
imports this project. It sets up the very experiment :func:`core.training.train` runs:

- the same data: the shipped files (``data/digits.csv.gz``, ``data/breast_cancer.csv.gz``, read
  from the project folder), the synthetic sets regenerated with the same NumPy code and seed, or
  Fashion-MNIST from the project's user cache; the same stratified split (seed
  :data:`DATA_SEED`) and standardisation, or none for a run on raw inputs (``standardize=False``
  in every public function);
- the same initial weights: ``default_rng(seed).spawn(3)`` gives the weight, mini-batch and probe
  streams, the weight stream one child per Dense kernel, each drawn with the engine's method
  (Keras' truncated normal by redrawing beyond +-2, uniform, ...), so epoch 0 is identical;
- the same mini-batch order (``batch_rng.permutation(n)`` each epoch), optimizer (Keras' SGD,
  momentum and Adam formulas), clipping (value / per tensor / global norm), batch-norm convention
  (Keras: momentum 0.99, eps 1e-3, biased variance; or PyTorch's), the same places for BN (a
  BN on the inputs first when the run has one), zero biases and no bias in a Dense followed by
  BN, and the mean softmax cross-entropy.

Where the engine has a function for a step (a data generator, the stratified split, a file
reader, the truncated normal), the script carries that function's source, taken with
:func:`inspect.getsource`: the script runs the engine's code, not a copy that could drift.

Run as ``python script.py --json`` a script prints ``{"val_accuracy": [...], "val_loss": [...]}``
(epoch 0 first); without ``--json`` a table, one row per epoch. Generation is string templating
only (a few milliseconds).

Modules, one job each:

- :mod:`.names`: the frameworks and data sets accepted, file names, a one-line description;
- :mod:`.blocks`: templates, joining blocks, lifting an engine function's source;
- :mod:`.numpy_code`: the NumPy part every script shares (settings, data, initial weights);
- :mod:`.run`: ``run()``'s shared preamble around two framework slots, the table, ``main()``;
- :mod:`.pytorch`, :mod:`.keras`: each framework's network, optimizer and epoch;
- :mod:`.script`: a whole script from its parts; :mod:`.jupyter`: the notebook.

Public functions: :func:`pytorch_script`, :func:`keras_script`, :func:`notebook`,
:func:`file_name`, :func:`describe`, and :func:`numpy_part` (the framework-free part, which the
tests compare with the engine bit for bit).
"""

from .jupyter import notebook
from .names import FRAMEWORKS, describe, file_name
from .numpy_code import DATA_SEED, VAL_FRACTION, numpy_part
from .script import keras_script, pytorch_script

__all__ = [
    "DATA_SEED",
    "FRAMEWORKS",
    "VAL_FRACTION",
    "describe",
    "file_name",
    "keras_script",
    "notebook",
    "numpy_part",
    "pytorch_script",
]
