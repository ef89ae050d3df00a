"""`taxonomy_src/dimensions.yaml` (the comparison dimensions), and each failure mode's values on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import checks, markup
from .documents import Document
from .model import NOT_STATED, Dimension, DimensionOption, DimensionValue
from .problems import Checked, Problem, collect, display_path
from .yamlsrc import Node, type_name

DIMENSIONS = "dimensions.yaml"


@dataclass(frozen=True)
class Dimensions:
    """The valid dimensions, and every id the file declares (None when the file could not be read at all)."""

    dimensions: tuple[Dimension, ...]
    ids: frozenset[str] | None


def load_dimensions(src: Path, root: Path, problems: list[Problem]) -> Dimensions:
    """The dimensions, with every problem of the file added to `problems`."""
    return collect(checks.shown(src, DIMENSIONS, root), _dimensions(src, root), problems)


def _dimensions(src: Path, root: Path) -> Checked[Dimensions]:
    node = yield from checks.yaml_file(src, DIMENSIONS, root, f"create {display_path(src / DIMENSIONS, root)}.")
    if node is None:
        return Dimensions((), None)
    if not isinstance(node.value, list):
        yield node.line, f"dimensions must be a list (got {type_name(node.value)}). Fix: start each with '- id:'."
        return Dimensions((), None)
    declared = frozenset(str(item.value["id"].value) for item in node.value
                         if isinstance(item.value, dict) and "id" in item.value)
    dimensions: list[Dimension] = []
    for item in node.value:
        dimension = yield from _dimension(item)
        if dimension is None:
            continue
        if any(d.id == dimension.id for d in dimensions):
            yield item.line, f"duplicate dimension id '{dimension.id}' (got it twice). Fix: rename one."
            continue
        dimensions.append(dimension)
    return Dimensions(tuple(dimensions), declared)


def _dimension(item: Node) -> Checked[Dimension | None]:
    top = Node({k: v for k, v in item.value.items() if k != "values"}, item.line, item.key_lines) \
        if isinstance(item.value, dict) else item
    values = yield from checks.mapping(top, {"id": True, "title": True, "question": True})
    options_node = item.value.get("values") if isinstance(item.value, dict) else None
    if options_node is None or not isinstance(options_node.value, list) or not options_node.value:
        yield item.line, ("a dimension needs a non-empty 'values' list (got "
                          f"{type_name(options_node.value) if options_node else 'none'}). "
                          "Fix: add '- {id: ..., label: ..., meaning: ...}' items.")
        return None
    options: list[DimensionOption] = []
    for option in options_node.value:
        ov = yield from checks.mapping(option, {"id": True, "label": True, "meaning": True})
        if not ov or not {"id", "label", "meaning"} <= ov.keys():
            continue
        if not markup.SLUG.fullmatch(ov["id"]):
            yield option.key_line("id"), (f"a value id must be a lowercase slug (got {ov['id']!r}). "
                                          "Fix: use lowercase letters, digits and hyphens.")
        elif ov["id"] == NOT_STATED:
            yield option.line, (f"'{NOT_STATED}' is added to every dimension automatically (got it listed). "
                                "Fix: remove it.")
        else:
            options.append(DimensionOption(ov["id"], ov["label"], ov["meaning"]))
    options.append(DimensionOption(NOT_STATED, "not stated", "The source does not say."))
    if not values or not {"id", "title", "question"} <= values.keys():
        return None
    if not markup.SLUG.fullmatch(values["id"]):
        yield top.key_line("id"), (f"a dimension id must be a lowercase slug (got {values['id']!r}). "
                                   "Fix: use lowercase letters, digits and hyphens; it is part of URLs.")
        return None
    return Dimension(values["id"], values["title"], values["question"], tuple(options))


def entry_values(document: Document, known: Dimensions) -> Checked[tuple[DimensionValue, ...]]:
    """A failure mode's value and reason on each dimension."""
    node = document.nodes.get("dimensions")
    if node is None or known.ids is None:
        return ()  # a missing 'dimensions' is a missing required field; an unreadable dimensions.yaml is reported
    if not isinstance(node.value, dict):
        yield node.line, (f"'dimensions' must be a mapping of dimension id to value (got {type_name(node.value)}). "
                          "Fix: write 'dimensions: {layer: {value: ..., why: ...}}'.")
        return ()
    by_id = {d.id: d for d in known.dimensions}
    found: list[DimensionValue] = []
    for dim_id, spec in node.value.items():
        dimension = by_id.get(dim_id)
        if dimension is None:
            if dim_id not in known.ids:  # a declared but broken dimension is reported in its own file
                yield node.key_line(dim_id), (f"unknown dimension '{dim_id}' (got '{dim_id}'). Fix: use one of "
                                              f"{checks.choices(by_id)}{checks.did_you_mean(dim_id, by_id)}.")
            continue
        value = yield from _value(dimension, spec)
        if value is not None:
            found.append(value)
    for dimension in known.dimensions:
        if dimension.id not in node.value:
            yield document.lines["dimensions"], (f"missing value for dimension '{dimension.id}' (got no "
                                                 f"'{dimension.id}:'). Fix: add '{dimension.id}: {{value: ..., why: "
                                                 f"...}}'; use '{NOT_STATED}' if the source is silent.")
    return tuple(found)


def _value(dimension: Dimension, spec: Node) -> Checked[DimensionValue | None]:
    values = yield from checks.mapping(spec, {"value": True, "why": True})
    if not values or not {"value", "why"} <= values.keys():
        return None
    allowed = [o.id for o in dimension.options]
    if values["value"] not in allowed:
        yield spec.key_line("value"), (f"'{values['value']}' is not a value of dimension '{dimension.id}' "
                                       f"(got {values['value']!r}). Fix: use one of {checks.choices(allowed)}"
                                       f"{checks.did_you_mean(values['value'], allowed)}.")
        return None
    if not markup.CITATION.search(values["why"]):
        yield spec.key_line("why"), (f"the 'why' for dimension '{dimension.id}' has no citation "
                                     f"(got {values['why']!r}). Fix: add the source as [@key].")
        return None
    return DimensionValue(dimension.id, values["value"], " ".join(values["why"].split()), spec.key_line("why"))
