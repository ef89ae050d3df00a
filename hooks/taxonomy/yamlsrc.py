"""Reading source files: the one place where bytes become text and text becomes YAML nodes with line numbers.

Every file in `taxonomy_src/` is read here, so one set of rules holds everywhere: regular files only (no
symlinks), a size limit, UTF-8 (a byte-order mark is accepted), CRLF line ends accepted, no control characters,
and safe YAML without tags, anchors, aliases, merge keys, huge numbers or deep nesting.
"""

from __future__ import annotations

import functools
import os
import stat
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
        for name, line in self.key_lines:
            if name == key:
                return line
        return self.line

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


def read_source(path: Path, root: Path, limit: int = MAX_BYTES) -> Source:
    """Read one source file under the shared rules (at most `limit` bytes); never raises for a bad file and never
    echoes a refused one."""
    shown = display_path(path, root)
    reading(shown)

    def refused(line: int, message: str) -> Source:
        return Source(path, shown, None, [Problem(shown, line, message)])

    try:
        status = os.lstat(path)  # one call tells links, regular files and sizes apart
    except (OSError, ValueError):
        status = None
    if status is not None and stat.S_ISLNK(status.st_mode):
        return refused(1, "symbolic links are not allowed in taxonomy_src/ (got a link). "
                          "Fix: replace the link with a regular file.")
    if status is None or not stat.S_ISREG(status.st_mode):
        return refused(1, "not a regular file (got a folder or special file). Fix: remove it or make it a file.")
    size = status.st_size
    if size > limit:
        return refused(1, f"file is too large (got {size} bytes, at most {limit}). "
                          "Fix: split it or shorten it.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return refused(line, f"file is not valid UTF-8 (got byte 0x{raw[exc.start]:02x}). "
                             "Fix: save the file with UTF-8 encoding.")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    control = CONTROL.search(text) if _may_hold_control(raw) else None
    if control:
        line = text.count("\n", 0, control.start()) + 1
        return refused(line, f"control character in the file (got U+{ord(control.group(0)):04X}). "
                             "Fix: delete it; use plain spaces and line breaks.")
    return Source(path, shown, text)


_ASCII_CONTROL = bytes(c for c in range(128) if CONTROL.match(chr(c)))
_OTHER_CONTROL = (b"\xc2", "\u2028".encode(), "\u2029".encode(), b"\xef\xbf")
"""How the UTF-8 of each other character CONTROL matches begins (U+0080-U+009F, U+2028, U+2029, U+FFFE, U+FFFF)."""


def _may_hold_control(raw: bytes) -> bool:
    """Whether UTF-8 bytes could hold a CONTROL character, told by byte searches (far faster than the pattern)."""
    return len(raw.translate(None, _ASCII_CONTROL)) != len(raw) \
        or (not raw.isascii() and any(lead in raw for lead in _OTHER_CONTROL))


def listing(folder: Path) -> list[tuple[Path, os.DirEntry[str]]]:
    """A folder's paths in name order, each with what the listing itself tells of it (no status call per file)."""
    with os.scandir(folder) as found:
        return sorted(((folder / entry.name, entry) for entry in found), key=lambda item: item[1].name)


def parse_yaml(text: str, first_line: int = 1) -> Node | None:
    """Parse one YAML document safely; raise YamlProblem with a line number on any problem.

    `first_line` is the line of the file the text starts on (front matter starts on line 2): every line in nodes
    and problems is a line of the file.
    """
    text = "\n" * (first_line - 1) + text  # blank lines: the parser counts file lines, and advice reads them
    parsed = _PARSED.get(text)
    if parsed is not None:
        return parsed[0]
    node = _parse_events(text)
    global _parsed_chars
    if not _remembering:
        return node
    if _parsed_chars + len(text) > _PARSED_MAX_CHARS:
        _PARSED.clear()
        _parsed_chars = 0
    _PARSED[text] = (node,)
    _parsed_chars += len(text)
    return node


_PARSED: dict[str, tuple[Node | None]] = {}
"""Documents parsed before in this process, by text: under `mkdocs serve` every rebuild reads every file again,
and most have not changed. Nodes are never modified after parsing, so a tree can be shared between loads."""
_PARSED_MAX_CHARS = 64 * 1024 * 1024  # then start afresh: a bound on memory, far above a 1000-entry taxonomy
_parsed_chars = 0
_remembering = True


def forget_parses() -> None:
    """Drop the remembered parses (for measuring a cold load, or freeing memory)."""
    global _parsed_chars
    _PARSED.clear()
    _parsed_chars = 0


def remember_parses(remember: bool) -> None:
    """Whether to remember parses from now on; a one-off build does not, since remembered trees only cost it (the
    garbage collector walks every node of them again in each full collection); not remembering forgets them."""
    global _remembering
    _remembering = remember
    if not remember:
        forget_parses()


_new = object.__new__


def _node(value: Scalar | list[Node] | dict[str, Node], line: int, key_lines: tuple[tuple[str, int], ...] = ()) -> Node:
    """Node(value, line, key_lines) for the hot path: the same frozen object, without the per-field checks of a
    frozen dataclass's __init__ (half the cost of building a node)."""
    node = _new(Node)
    fields = node.__dict__
    fields["value"], fields["line"], fields["key_lines"] = value, line, key_lines
    return node


def _parse_events(text: str) -> Node | None:
    """parse_yaml, event by event, which words every problem."""
    parser = _EVENTS_LOADER(text)
    stack: list[tuple[list[Node] | dict[str, Node], int, list[tuple[str, int]]]] = []
    pending: list[tuple[str, int] | None] = []
    result: list[Node] = []
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    raise YamlProblem(_line(event), ANCHORS)
                node = _scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise YamlProblem(_line(event), ANCHORS)
                _check_collection_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(_line(event), f"nesting is too deep (got more than {MAX_DEPTH} "
                                                    "levels). Fix: flatten the structure.")
                stack.append(({} if kind is yaml.MappingStartEvent else [], _line(event), []))
                pending.append(None)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value, line, key_lines = stack.pop()
                pending.pop()
                node = Node(value, line, tuple(key_lines))
            elif kind is yaml.AliasEvent:
                raise YamlProblem(_line(event), ANCHORS)
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.DocumentStartEvent and result:
                raise YamlProblem(_line(event), "a second YAML document starts here (got a '---' line after the "
                                                "first). Fix: remove the '---' line; a file holds one document.")
            else:
                continue  # stream and document boundaries
            if not stack:
                result.append(node)
                continue
            parent = stack[-1][0]
            if type(parent) is list:
                parent.append(node)
                continue
            key = pending[-1]
            if key is None:
                _new_key(node, parent, stack[-1][2])  # type: ignore[arg-type]
                pending[-1] = (node.value, node.line)  # type: ignore[assignment]
                continue
            parent[key[0]] = node  # type: ignore[call-overload]
            stack[-1][2].append(key)
            pending[-1] = None
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(*advice(text, exc)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"invalid YAML ({type(exc).__name__}). Fix: check the file's syntax.") from None
    finally:
        parser.dispose()
    return result[0] if result else None


ANCHORS = "YAML anchors and aliases ('&', '*') are not allowed. Fix: write the value out."


def _new_key(node: Node, mapping: dict[str, Node], key_lines: list[tuple[str, int]]) -> None:
    """Check a mapping key: text, and not a duplicate."""
    if not isinstance(node.value, str):
        raise YamlProblem(node.line, f"keys must be text (got {type_name(node.value)} {node.value!r}). "
                                     "Fix: quote the key.")
    if node.value in mapping:
        first = dict(key_lines)[node.value]
        raise YamlProblem(node.line, f"duplicate key '{node.value}' (first defined on line {first}). "
                                     f"Fix: keep one '{node.value}:' line.")


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def _check_collection_tag(event: yaml.CollectionStartEvent) -> None:
    if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise YamlProblem(_line(event), f"YAML tags are not allowed (got {event.tag}). "
                                                     "Fix: remove the tag.")


@functools.lru_cache(maxsize=4096)
def _resolve(value: str) -> str:
    """The tag a plain scalar resolves to (ids and keys repeat across files: cached)."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)))


def _scalar(event: yaml.ScalarEvent) -> Node:
    line = event.start_mark.line + 1 if event.start_mark else 1
    implicit = _resolve(event.value) if event.implicit[0] else "tag:yaml.org,2002:str"
    if event.tag not in (None, "!") and event.tag != implicit:
        raise YamlProblem(line, f"YAML tags are not allowed (got {event.tag}). Fix: remove the tag.")
    return _typed(event.value, implicit, line)


def _typed(text: str, implicit: str, line: int) -> Node:
    """A scalar's value as the tag it resolved to, within the safe types and sizes."""
    if implicit == "tag:yaml.org,2002:str" or implicit == "tag:yaml.org,2002:timestamp":
        return Node(text, line)
    if implicit == "tag:yaml.org,2002:merge":
        raise YamlProblem(line, "YAML merge keys ('<<') are not allowed. Fix: write the fields out.")
    if implicit not in _IMPLICIT:
        raise YamlProblem(line, f"unsupported YAML value (got {text!r}). Fix: quote it.")
    if implicit == "tag:yaml.org,2002:int" and len(text.lstrip("+-").replace("_", "")) > MAX_INT_DIGITS:
        raise YamlProblem(line, f"number is too large (got {len(text)} digits, at most {MAX_INT_DIGITS}). "
                                "Fix: use a smaller number, or quote it to make it text.")
    try:
        value = _construct(implicit, text)
    except (ValueError, yaml.YAMLError):
        raise YamlProblem(line, f"unreadable value (got {text!r}). Fix: quote it to make it text.") from None
    return Node(value, line)


@functools.lru_cache(maxsize=4096)
def _construct(tag: str, text: str) -> Scalar:
    """A number, true/false or null from its text (immutable values; the same few texts recur: cached)."""
    return _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, text))
