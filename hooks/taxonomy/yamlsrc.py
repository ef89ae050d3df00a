"""Reading source files: the one place where bytes become text and text becomes YAML nodes with line numbers.

Every file in `taxonomy_src/` is read here, so one set of rules holds everywhere: regular files only (no
symlinks), a size limit, UTF-8 (a byte-order mark is accepted), CRLF line ends accepted, no control characters,
and safe YAML without tags, anchors, aliases, merge keys, huge numbers or deep nesting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .escaping import CONTROL
from .problems import Problem, display_path, reading
from .yamladvice import advice

MAX_BYTES = 512 * 1024
MAX_DEPTH = 16
MAX_INT_DIGITS = 15
Scalar = str | int | float | bool | None

_EVENTS_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.SafeLoader("")
_CONSTRUCTOR = yaml.SafeLoader("")
_IMPLICIT = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
             "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}


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
    """A YAML syntax or structure problem at a (1-based) line of the file."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


@dataclass
class Source:
    """A source file as read: its display path and text, or the problems that kept it from being read."""

    path: Path
    shown: str
    text: str | None
    problems: list[Problem] = field(default_factory=list)


def type_name(value: object) -> str:
    """How a YAML value's type is named in messages."""
    name = {dict: "mapping", list: "list", str: "text", bool: "true/false", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)
    return f"empty {name}" if isinstance(value, (dict, list)) and not value else name


def read_source(path: Path, root: Path) -> Source:
    """Read one source file under the shared rules; never raises for a bad file and never echoes a refused one."""
    shown = display_path(path, root)
    reading(shown)

    def refused(line: int, message: str) -> Source:
        return Source(path, shown, None, [Problem(shown, line, message)])

    if path.is_symlink():
        return refused(1, "symbolic links are not allowed in taxonomy_src/ (got a link). "
                          "Fix: replace the link with a regular file.")
    if not path.is_file():
        return refused(1, "not a regular file (got a folder or special file). Fix: remove it or make it a file.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        return refused(1, f"file is too large (got {size} bytes, at most {MAX_BYTES}). "
                          "Fix: split it or shorten it.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return refused(line, f"file is not valid UTF-8 (got byte 0x{raw[exc.start]:02x}). "
                             "Fix: save the file with UTF-8 encoding.")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    control = CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        return refused(line, f"control character in the file (got U+{ord(control.group(0)):04X}). "
                             "Fix: delete it; use plain spaces and line breaks.")
    return Source(path, shown, text)


def read_yaml_file(path: Path, root: Path) -> tuple[Source, Node | None]:
    """Read and parse one YAML source file; problems go into the returned Source."""
    source = read_source(path, root)
    if source.text is None:
        return source, None
    try:
        return source, parse_yaml(source.text)
    except YamlProblem as exc:
        source.problems.append(Problem(source.shown, exc.line, exc.message))
        return source, None


def parse_yaml(text: str, first_line: int = 1) -> Node | None:
    """Parse one YAML document safely; raise YamlProblem with a line number on any problem.

    `first_line` is the line of the file the text starts on (front matter starts on line 2): every line in nodes
    and problems is a line of the file.
    """
    text = "\n" * (first_line - 1) + text  # blank lines: the parser counts file lines, and advice reads them
    events = yaml.parse(text, Loader=_EVENTS_LOADER)
    stack: list[tuple[Node, list[tuple[str, int]], list[object]]] = []
    result: list[Node] = []
    pending_key: list[tuple[str, int] | None] = []
    try:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent) and result:
                raise YamlProblem(_line(event), "a second YAML document starts here (got a '---' line after the "
                                                "first). Fix: remove the '---' line; a file holds one document.")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlProblem(_line(event),
                                  "YAML anchors and aliases ('&', '*') are not allowed. Fix: write the value out.")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                _check_collection_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(_line(event), f"nesting is too deep (got more than {MAX_DEPTH} "
                                                                 "levels). Fix: flatten the structure.")
                container: list[object] = []
                stack.append((Node({} if isinstance(event, yaml.MappingStartEvent) else [],
                                   _line(event)), [], container))
                pending_key.append(None)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                built, key_lines, _ = stack.pop()
                pending_key.pop()
                node = Node(built.value, built.line, tuple(key_lines))
                _attach(node, stack, pending_key, result)
            elif isinstance(event, yaml.ScalarEvent):
                _attach(_scalar(event), stack, pending_key, result)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(*advice(text, exc)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"invalid YAML ({type(exc).__name__}). Fix: check the file's syntax.") from None
    return result[0] if result else None


def _attach(node: Node, stack: list[tuple[Node, list[tuple[str, int]], list[object]]],
            pending_key: list[tuple[str, int] | None], result: list[Node]) -> None:
    if not stack:
        result.append(node)
        return
    parent, key_lines, _ = stack[-1]
    if isinstance(parent.value, list):
        parent.value.append(node)
        return
    assert isinstance(parent.value, dict)
    key = pending_key[-1]
    if key is None:
        if not isinstance(node.value, str):
            raise YamlProblem(node.line, f"keys must be text (got {type_name(node.value)} {node.value!r}). "
                                         "Fix: quote the key.")
        if node.value in parent.value:
            first = dict(key_lines)[node.value]
            raise YamlProblem(node.line, f"duplicate key '{node.value}' (first defined on line {first}). "
                                         f"Fix: keep one '{node.value}:' line.")
        pending_key[-1] = (node.value, node.line)
        return
    parent.value[key[0]] = node
    key_lines.append(key)
    pending_key[-1] = None


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def _check_collection_tag(event: yaml.CollectionStartEvent) -> None:
    if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise YamlProblem(_line(event), f"YAML tags are not allowed (got {event.tag}). "
                                                     "Fix: remove the tag.")


def _scalar(event: yaml.ScalarEvent) -> Node:
    line = _line(event)
    plain = bool(event.implicit[0])
    implicit = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False)) if plain else "tag:yaml.org,2002:str"
    if event.tag not in (None, "!") and event.tag != implicit:
        raise YamlProblem(line, f"YAML tags are not allowed (got {event.tag}). Fix: remove the tag.")
    if implicit == "tag:yaml.org,2002:merge":
        raise YamlProblem(line, "YAML merge keys ('<<') are not allowed. Fix: write the fields out.")
    if implicit not in _IMPLICIT:
        raise YamlProblem(line, f"unsupported YAML value (got {event.value!r}). Fix: quote it.")
    if implicit in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        return Node(event.value, line)
    if implicit == "tag:yaml.org,2002:int" and len(event.value.lstrip("+-").replace("_", "")) > MAX_INT_DIGITS:
        raise YamlProblem(line, f"number is too large (got {len(event.value)} digits, at most {MAX_INT_DIGITS}). "
                                "Fix: use a smaller number, or quote it to make it text.")
    try:
        value = _CONSTRUCTOR.construct_object(yaml.ScalarNode(implicit, event.value))
    except (ValueError, yaml.YAMLError):
        raise YamlProblem(line, f"unreadable value (got {event.value!r}). Fix: quote it to make it text.") from None
    return Node(value, line)
