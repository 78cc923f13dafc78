"""Vega-Lite specs in tests: the JSON schema, as shipped with Altair, checked directly on a spec
dict, and the marks a spec draws.

``alt.VConcatChart.from_dict(spec, validate=True)`` validates too, but first builds an Altair
object for every node of the spec: about 1.2 s for a played chart that jsonschema checks in
0.13 s.
"""

import functools

import jsonschema
from altair.vegalite.v6.schema.core import load_schema


@functools.cache
def _validator(definition: str) -> jsonschema.protocols.Validator:
    schema = {**load_schema(), "$ref": f"#/definitions/{definition}"}
    return jsonschema.validators.validator_for(schema)(schema)


def errors(spec: dict, definition: str) -> list[str]:
    """What makes ``spec`` invalid as Vega-Lite's ``definition`` (e.g. ``TopLevelLayerSpec``):
    one message per error, none for a valid spec."""
    return [
        f"{list(e.absolute_path)}: {e.message[:300]}"
        for e in _validator(definition).iter_errors(spec)
    ]


def assert_valid(spec: dict, definition: str) -> dict:
    """``spec``, after checking that it is a valid Vega-Lite ``definition``."""
    problems = errors(spec, definition)
    assert not problems, "\n".join(problems)
    return spec


#: A top-level spec's kind, read from the key that composes it (first match wins).
_KINDS = (
    ("hconcat", "TopLevelHConcatSpec"),
    ("vconcat", "TopLevelVConcatSpec"),
    ("concat", "TopLevelConcatSpec"),
    ("facet", "TopLevelFacetSpec"),
    ("layer", "TopLevelLayerSpec"),
    ("mark", "TopLevelUnitSpec"),
)


def definition(spec: dict) -> str:
    """The schema definition a top-level ``spec`` should satisfy (a layer, a facet, ...)."""
    return next(kind for key, kind in _KINDS if key in spec)


def assert_chart(spec: dict) -> dict:
    """``spec``, after checking that it is a valid top-level Vega-Lite spec of its kind."""
    return assert_valid(spec, definition(spec))


#: Channels a reader sees a field's name or values in.
SEEN = {"x", "y", "color", "shape", "strokeDash", "size", "opacity", "text", "row", "column",
        "facet", "tooltip"}  # fmt: skip


def seen_fields(spec, channel: str = "") -> list[tuple[str, dict]]:
    """``(channel, encoding)`` of every field encoding a reader sees (a legend drawn, a tooltip,
    an axis, a header)."""
    found = []
    if isinstance(spec, dict):
        if "field" in spec and channel:
            found.append((channel, spec))
        for key, value in spec.items():
            if key in ("encoding", "facet") and isinstance(value, dict) and "field" not in value:
                for ch, enc in value.items():
                    if ch in SEEN:
                        for e in enc if isinstance(enc, list) else [enc]:
                            found += seen_fields(e, ch)
            elif key == "facet" and isinstance(value, dict):
                found += seen_fields(value, "facet")
            elif key not in ("encoding", "facet"):
                found += seen_fields(value)
    elif isinstance(spec, list):
        for item in spec:
            found += seen_fields(item)
    return found


def marks_of(spec, passed: dict | None = None) -> list[tuple[dict, dict]]:
    """``(unit, encoding)`` of every mark of ``spec``: the encoding with what a parent layer
    hands down to it (a layer's children inherit its encoding; a concat's and a facet's do
    not)."""
    found = []
    if isinstance(spec, dict):
        own = spec.get("encoding") if isinstance(spec.get("encoding"), dict) else {}
        encoding = {**(passed or {}), **own}
        if "mark" in spec:
            found.append((spec, encoding))
        for child in spec.get("layer", []):
            found += marks_of(child, encoding)
        for key in ("hconcat", "vconcat", "concat"):
            for child in spec.get(key, []):
                found += marks_of(child)
        if isinstance(spec.get("spec"), dict):
            found += marks_of(spec["spec"])
    return found
