"""Building blocks of the generated code: templates, top-level blocks joined as PEP 8 spaces
them, and engine functions lifted by their source.

Every module of :mod:`core.export` writes its code with these, so that a script reads the same
whichever module wrote a part of it.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from string import Template

from .. import activations
from ..network import ModelConfig


def code(text: str, **values) -> str:
    """A template block, dedented, with ``$name`` filled in (every name must be given)."""
    return Template(textwrap.dedent(text).strip("\n")).substitute(values) + "\n"


#: A section heading in the generated code: ``# --- Title ---...``, drawn 79 characters wide.
_HEADING = re.compile(r"^# --- (.+?)(?: -+)?$", re.MULTILINE)


def join(*blocks: str) -> str:
    """Top-level blocks of code, two blank lines apart (PEP 8); empty blocks are left out."""
    text = "\n\n\n".join(b.strip("\n") for b in blocks if b.strip()) + "\n"
    return _HEADING.sub(lambda m: f"# --- {m[1]} ".ljust(79, "-"), text)


def lift(function) -> str:
    """The engine's own source of ``function``, to paste into a script as it is: the script then
    runs the engine's code, and the two cannot drift apart."""
    return inspect.getsource(function)


def activation(model: ModelConfig, table: dict[str, str]) -> str:
    """The framework's activation layer for ``model`` from ``table`` (name -> code, with
    ``{alpha}`` where the activation takes a slope), its alpha the engine's."""
    alpha = activations.get(model.activation, model.alpha).alpha
    return table[model.activation].format(alpha=alpha)
