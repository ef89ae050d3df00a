"""Markdown source files with YAML front matter (entries and worked cases): reading one file on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import markup
from .checks import yaml_text
from .problems import Checked, Finding, findings_of
from .yamlsrc import Node, Source, read_source, type_name


@dataclass(frozen=True)
class Document:
    """A Markdown file with front matter, as read and checked on its own (before any cross-file check)."""

    path: Path
    shown: str
    text: str | None
    body: str = ""
    body_line: int = 1
    scan: markup.BodyScan = field(default_factory=markup.BodyScan)
    values: dict[str, Any] = field(default_factory=dict)
    """The fields that passed their own checks, by name."""
    lines: dict[str, int] = field(default_factory=dict)
    """The line of each field's key."""
    nodes: dict[str, Node] = field(default_factory=dict)
    """Each field as written (for checks against other files)."""
    findings: tuple[Finding, ...] = ()
    """What is wrong with the file on its own."""


def gather(checked: Checked[Any]) -> tuple[Any, list[Finding]]:
    """Run a validator, keeping its findings as they are (a file's findings, cached with the file)."""
    found: list[Finding] = []
    while True:
        try:
            found.append(next(checked))
        except StopIteration as done:
            return done.value, found


Fields = tuple[dict[str, Any], dict[str, int], dict[str, Node]]
FrontMatter = Callable[[Node], Checked[Fields]]


def read_document(path: Path, root: Path, source: Source | None, fields: FrontMatter) -> Document:
    """Read a Markdown file with front matter, checking its body, and its fields with `fields` (a validator of
    the front-matter mapping that returns the valid values, the key lines and the nodes, by field name)."""
    source = source or read_source(path, root)
    if source.text is None:
        return Document(path, source.shown, None, findings=tuple(gather(findings_of(source.problems))[1]))
    (node, body, body_line, scan), found = gather(_split(source.text))
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    nodes: dict[str, Node] = {}
    if node is None and not found:
        found.append((2, "the front matter is empty (got nothing between the '---' lines). Fix: write the "
                         "fields there, one 'field: value' per line."))
    elif node is not None:
        if isinstance(node.value, dict):
            (values, lines, nodes), more = gather(fields(node))
            found += more
        else:
            found.append((node.line, f"front matter must be a mapping of fields (got {type_name(node.value)}). "
                                     "Fix: write one 'field: value' per line."))
    return Document(path, source.shown, source.text, body, body_line, scan, values, lines, nodes, tuple(found))


def _split(text: str) -> Checked[tuple[Node | None, str, int, markup.BodyScan]]:
    """The front matter's YAML node, the body, the body's first line and its scan."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        yield 1, (f"missing front matter (got {lines[0][:40]!r} on the first line). "
                  "Fix: start the file with a '---' line, the YAML fields, then another '---' line.")
        return None, "", 1, markup.BodyScan()
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if close is None:
        yield 1, ("front matter is not closed (got no second '---' line). "
                  "Fix: end the YAML fields with a line containing only '---'.")
        return None, "", 1, markup.BodyScan()
    node = yield from yaml_text("\n".join(lines[1:close]), first_line=2)
    body_line = close + 2
    body = "\n".join(lines[close + 1:])
    scan = markup.scan_body(body, body_line)
    yield from scan.problems
    return node, body, body_line, scan
