"""Safe YAML loading that keeps line numbers and rejects duplicate keys, anchors and tags."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .yamladvice import advice

Scalar = str | int | float | bool | None


@dataclass(frozen=True)
class Node:
    """A YAML value with the 1-based line it starts on."""

    value: Scalar | list[Node] | dict[str, Node]
    line: int
    key_lines: tuple[tuple[str, int], ...] = ()

    def key_line(self, key: str) -> int:
        """Line of `key` in this mapping, or the mapping's own line."""
        return dict(self.key_lines).get(key, self.line)

    def plain(self) -> object:
        """The value with line information stripped."""
        if isinstance(self.value, list):
            return [item.plain() for item in self.value]
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        return self.value


class YamlProblem(Exception):
    """A YAML syntax or structure problem at a (relative, 1-based) line."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def _type_name(value: object) -> str:
    return {dict: "mapping", list: "list", str: "text", bool: "true/false", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


_SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}


def _convert(node: yaml.Node, constructor: yaml.SafeLoader, offset: int = 0) -> Node:
    line = node.start_mark.line + 1
    if node.tag not in _SAFE_TAGS:
        raise YamlProblem(line, f"YAML tags are not allowed (got {node.tag}). Fix: remove the tag.")
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        key_lines: list[tuple[str, int]] = []
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(key_line, "YAML merge keys ('<<') are not allowed. Fix: write the fields out.")
            key = constructor.construct_object(key_node)
            if not isinstance(key, str):
                raise YamlProblem(key_line, f"keys must be text (got {key!r}). Fix: quote the key.")
            if key in items:
                first = dict(key_lines)[key] + offset
                raise YamlProblem(
                    key_line,
                    f"duplicate key '{key}' (first defined on line {first}). Fix: keep one '{key}:' line.",
                )
            items[key] = _convert(value_node, constructor, offset)
            key_lines.append((key, key_line))
        return Node(items, line, tuple(key_lines))
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, constructor, offset) for item in node.value], line)
    value = constructor.construct_object(node)
    if node.tag == "tag:yaml.org,2002:timestamp":
        value = str(node.value)
    return Node(value, line)


def parse_yaml(text: str, offset: int = 0) -> Node | None:
    """Parse one YAML document safely; raise YamlProblem with a line number on any problem.

    Lines in nodes and problems are relative to `text`; `offset` only shifts lines quoted inside messages.
    """
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _reject_aliases(root, loader)
        return _convert(root, loader, offset)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(*advice(text, exc, offset)) from None
    finally:
        loader.dispose()


def _reject_aliases(node: yaml.Node, loader: yaml.SafeLoader, seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:
        raise YamlProblem(node.start_mark.line + 1,
                          "YAML anchors and aliases ('&', '*') are not allowed. Fix: write the value out.")
    seen.add(id(node))
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        _reject_aliases(child, loader, seen)


type_name = _type_name
