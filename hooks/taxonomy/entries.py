"""Entry files (`taxonomy_src/entries/<id>.md`): reading each file and checking its fields on their own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .checks import choices, unknown_field
from .documents import Document, Fields, read_document
from .model import RELATION_TYPES
from .problems import Checked, Problem, display_path
from .schema import ALL_KINDS, FIELDS, FIELDS_BY_NAME
from .yamlsrc import Node, Source, listing, read_source

ENTRIES_DIR = "entries"
KIND = FIELDS_BY_NAME["kind"]
LATER = frozenset({"dimensions"})
"""Fields checked against another file once every file is read (the dimensions against dimensions.yaml)."""


def entry_fields(node: Node) -> Checked[Fields]:
    """An entry's front matter: every field checked by its own rule, for the entry's kind."""
    assert isinstance(node.value, dict)
    written = node.value
    for name in written:
        if name in RELATION_TYPES:
            yield node.key_line(name), (f"relation '{name}' is not indented under 'relations:' (got '{name}:' at "
                                        "the start of the line). Fix: indent it two spaces under 'relations:', like "
                                        "the other relations.")
        elif name not in FIELDS_BY_NAME:
            yield node.key_line(name), unknown_field(name, (f.name for f in FIELDS))
    kind = (yield from KIND.validate(written["kind"])) if "kind" in written else None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    nodes: dict[str, Node] = {}
    for spec in FIELDS:
        value = written.get(spec.name)
        if value is None:
            if kind in spec.required_for or (kind is None and spec.required_for == ALL_KINDS):
                yield node.line, (f"missing required field '{spec.name}' (got no '{spec.name}:' line). "
                                  f"Fix: add '{spec.name}: {spec.example}'.")
            continue
        lines[spec.name] = node.key_line(spec.name)
        if kind and kind not in spec.allowed_for:
            yield node.key_line(spec.name), (f"field '{spec.name}' is not allowed on a {kind} entry (got "
                                             f"'{spec.name}:'). Fix: remove it; it is only for "
                                             f"{choices(spec.allowed_for)} entries.")
            continue
        nodes[spec.name] = value
        if spec.name in LATER:
            continue
        checked = kind if spec is KIND else (yield from spec.validate(value))
        if checked is not None or (spec.nullable and value.value is None):
            values[spec.name] = checked
    if "relations" in values:
        entry_id = str(values.get("id", ""))
        values["relations"] = tuple(replace(r, source=entry_id) for r in values["relations"])
    return values, lines, nodes


def read_entry(path: Path, root: Path, source: Source | None = None) -> Document:
    """An entry file, read and checked on its own."""
    return read_document(path, root, source, entry_fields)


def model_values(document: Document) -> dict[str, Any]:
    """The front-matter values as the model's Entry takes them (absent optional fields keep its defaults)."""
    return {spec.name: document.values[spec.name] for spec in FIELDS if spec.name in document.values}


def required(document: Document) -> set[str]:
    """The fields an entry of this document's kind must have."""
    return {f.name for f in FIELDS if document.values.get("kind") in f.required_for}


@dataclass
class SourceCache:
    """Entry files read earlier in this process (`mkdocs serve`), reused while their text stays the same.

    Every load still reads each file through the shared reader (so its rules hold on every build); only the
    parsing and the checks of an unchanged text on its own are skipped.
    """

    entries: dict[tuple[Path, Path], tuple[str | None, Document]] = field(default_factory=dict)

    def entry(self, path: Path, root: Path) -> Document:
        """The entry file, read and checked on its own."""
        read = read_source(path, root)
        cached = self.entries.get((path, root))
        if cached is None or read.text is None or cached[0] != read.text:
            cached = (read.text, read_entry(path, root, read))
            self.entries[(path, root)] = cached
        return cached[1]


def read_entries(src: Path, root: Path, problems: list[Problem], cache: SourceCache) -> list[Document]:
    """Every entry file in `src/entries/`, in file-name order; anything else in the folder is a problem."""
    folder = src / ENTRIES_DIR
    if folder.is_symlink() or src.is_symlink():
        problems.append(Problem(display_path(folder, root), 1, "symbolic links are not allowed in taxonomy_src/ "
                                                               "(got a link). Fix: replace it with a real folder."))
        return []
    if not folder.is_dir():
        problems.append(Problem(display_path(folder, root), 1, "entries folder is missing. Fix: create it."))
        return []
    documents: list[Document] = []
    for path, listed in listing(folder):
        if path.name.startswith(".") and not path.name.endswith(".md"):
            continue  # editor and system files (.DS_Store, .swp); a hidden '.md' file is reported below
        if path.name.startswith("."):
            problems.append(Problem(display_path(path, root), 1, f"hidden entry file would be ignored (got "
                                                                 f"{path.name!r}). Fix: rename it to "
                                                                 f"'{path.name.lstrip('.')}'."))
        elif path.suffix != ".md" or not (listed.is_file() or listed.is_symlink()):
            message = f"not an entry file (got {path.name!r}). Fix: entries are '<id>.md' files; move or rename it."
            problems.append(Problem(display_path(path, root), 1, message))
        else:
            documents.append(cache.entry(path, root))
    return documents

