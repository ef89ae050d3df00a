"""Load and validate `taxonomy_src/`: every problem is collected and reported as `path:line: message`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import claims, markup, pages
from .anchors import check_registry
from .escaping import one_line
from .formats import is_date, is_https_url, is_semver
from .model import (
    NOT_STATED,
    RELATION_TYPES,
    WORK_TYPES,
    Dimension,
    DimensionOption,
    DimensionValue,
    Entry,
    Meta,
    Relation,
    Taxonomy,
    Work,
)
from .problems import Problem, TaxonomyError, display_path, internal_error
from .releases import load_releases
from .schema import FIELDS, FIELDS_BY_NAME, REQUIRED_SECTIONS, SCAFFOLD_PROMPTS, SUMMARY_MAX
from .sources import load_sources
from .urls import ENTRY_DIR, NAMES_DIR, name_slug
from .yamlsrc import Node, Source, YamlProblem, parse_yaml, read_source, type_name

ENTRIES_DIR = "entries"
BIBLIOGRAPHY = "bibliography.yaml"
DIMENSIONS = "dimensions.yaml"
DECISION_TREE = "decision-tree.yaml"
META = "taxonomy.yaml"
KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@dataclass
class Report:
    """Collects problems for one source file, translating YAML-relative lines to file lines."""

    path: str
    offset: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        """Record a problem at a line relative to the YAML start."""
        self.problems.append(Problem(self.path, line + self.offset, message))

    def at(self, line: int, message: str) -> None:
        """Record a problem at an absolute file line."""
        self.problems.append(Problem(self.path, line, message))


def _did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _choices(options: list[str] | tuple[str, ...]) -> str:
    return ", ".join(options) if options else "(none are defined)"


@dataclass
class _Source:
    """A file read from disk: its display path and text, or a report of why it could not be read."""

    path: Path
    shown: str
    text: str | None
    report: Report


def _read(path: Path, root: Path, source: Source | None = None) -> _Source:
    source = source or read_source(path, root)
    report = Report(source.shown, problems=list(source.problems))
    return _Source(path, source.shown, source.text, report)


def _yaml(source: _Source, text: str, offset: int) -> Node | None:
    source.report.offset = offset
    try:
        return parse_yaml(text, offset)
    except YamlProblem as exc:
        source.report.add(exc.line, exc.message)
        return None


# --- field validators: each checks a Node and records problems; returns the clean value or None ---

NOT_PLAIN = frozenset({"url", "site_url", "date", "why"})
"""Text fields checked by their own rules instead: a format (addresses, dates) or inline Markdown (`why`)."""


def _text(node: Node, name: str, report: Report) -> str | None:
    if not isinstance(node.value, str) or not node.value.strip():
        report.add(node.line, f"'{name}' must be non-empty text (got {type_name(node.value)} {node.value!r}). "
                              f"Fix: write '{name}: <text>'.")
        return None
    if name not in NOT_PLAIN and (markup.RAW_HTML.search(node.value) or markup.has_attribute_list(node.value)):
        report.add(node.line, f"'{name}' is plain text, so markup would show literally (got {node.value!r}). "
                              "Fix: remove the markup.")
        return None
    return one_line(node.value).strip()


def _slug(node: Node, name: str, report: Report) -> str | None:
    if not isinstance(node.value, str) or not markup.SLUG.match(node.value):
        report.add(node.line, f"'{name}' must be a lowercase slug such as 'inner-misalignment' "
                              f"(got {node.value!r}). Fix: use lowercase letters, digits and hyphens.")
        return None
    return node.value


def _list(node: Node, name: str, report: Report, item: Callable[[Node, str, Report], str | None]) -> list[str]:
    if not isinstance(node.value, list):
        report.add(node.line, f"'{name}' must be a list (got {type_name(node.value)} {node.value!r}). "
                              f"Fix: write '{name}: [a, b]' or '{name}: []'.")
        return []
    values = [item(child, name, report) for child in node.value]
    return [v for v in values if v is not None]


def _choice(node: Node, name: str, report: Report) -> str | None:
    vocabulary = FIELDS_BY_NAME[name].vocabulary
    if node.value not in vocabulary:
        report.add(node.line, f"'{name}' must be one of {_choices(vocabulary)} (got {node.value!r}). "
                              f"Fix: pick one{_did_you_mean(str(node.value), vocabulary)}.")
        return None
    return str(node.value)


def _sentence(node: Node, name: str, report: Report) -> str | None:
    text = _text(node, name, report)
    if text is None:
        return None
    text = " ".join(text.split())
    if len(text) > SUMMARY_MAX:
        report.add(node.line, f"'{name}' is too long (got {len(text)} characters, at most {SUMMARY_MAX}). "
                              "Fix: shorten it to one sentence.")
    elif not text.endswith("."):
        report.add(node.line, f"'{name}' must be one sentence ending with a period (got {text[-20:]!r} at the end). "
                              "Fix: end it with '.'.")
    elif markup.WIKI_LINK.search(text) or markup.CITATION.search(text) or "](" in text or claims.MARKER.search(text):
        report.add(node.line, f"'{name}' must be plain text without links or citations (got {text!r}). "
                              "Fix: move links and citations into the body.")
    return text


def _integer(node: Node, name: str, report: Report) -> int | None:
    if not isinstance(node.value, int) or isinstance(node.value, bool):
        report.add(node.line, f"'{name}' must be a whole number (got {node.value!r}). Fix: write e.g. '{name}: 1'.")
        return None
    return node.value


def _relations(node: Node, entry_id: str, report: Report) -> list[Relation]:
    if not isinstance(node.value, dict):
        report.add(node.line, f"'relations' must be a mapping of relation type to ids (got {type_name(node.value)}). "
                              "Fix: write 'relations: {distinct-from: [other-id]}' or 'relations: {}'.")
        return []
    found: list[Relation] = []
    for rel_type, targets in node.value.items():
        line = node.key_line(rel_type)
        if rel_type not in RELATION_TYPES:
            report.add(line, f"unknown relation type '{rel_type}' (got '{rel_type}'). Fix: use one of "
                             f"{_choices(RELATION_TYPES)}{_did_you_mean(rel_type, RELATION_TYPES)}.")
            continue
        if not isinstance(targets.value, list):
            report.add(line, f"relation '{rel_type}' must be a list of entry ids (got {type_name(targets.value)}). "
                             f"Fix: write '{rel_type}: [other-id]'.")
            continue
        for target in targets.value:
            slug = _slug(target, rel_type, report)
            if slug:
                found.append(Relation(rel_type, entry_id, slug, target.line + report.offset))
    return found


@dataclass
class _EntryDraft:
    """An entry file as parsed, before cross-file validation."""

    source: _Source
    values: dict[str, Any]  # validated field values, keyed by field name
    lines: dict[str, int]
    body: str
    body_line: int
    scan: markup.BodyScan
    dimension_nodes: Node | None


def _front_matter(path: Path, root: Path, read: Source | None = None) -> tuple[_EntryDraft, Node | None]:
    """Read a Markdown file with YAML front matter: its draft (body scanned for safety) and its YAML node."""
    source = _read(path, root, read)
    report = source.report
    if source.text is None:
        return _EntryDraft(source, {}, {}, "", 1, markup.BodyScan(), None), None
    lines = source.text.split("\n")
    if lines[0].rstrip() != "---":
        report.at(1, f"missing front matter (got {lines[0][:40]!r} on the first line). "
                     "Fix: start the file with a '---' line, the YAML fields, then another '---' line.")
        return _EntryDraft(source, {}, {}, "", 1, markup.BodyScan(), None), None
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if close is None:
        report.at(1, "front matter is not closed (got no second '---' line). "
                     "Fix: end the YAML fields with a line containing only '---'.")
        return _EntryDraft(source, {}, {}, "", 1, markup.BodyScan(), None), None
    node = _yaml(source, "\n".join(lines[1:close]), offset=1)
    body_line = close + 2
    body = "\n".join(lines[close + 1:])
    scan = markup.scan_body(body, body_line)
    for line, message in scan.problems:
        report.at(line, message)
    return _EntryDraft(source, {}, {}, body, body_line, scan, None), node


def _read_entry(path: Path, root: Path, read: Source | None = None) -> _EntryDraft | None:
    draft, node = _front_matter(path, root, read)
    report = draft.source.report
    if node is None:
        return draft
    if not isinstance(node.value, dict):
        report.add(node.line, f"front matter must be a mapping of fields (got {type_name(node.value)}). "
                              "Fix: write one 'field: value' per line.")
        return draft
    _validate_fields(node, draft)
    return draft


@dataclass
class SourceCache:
    """Entry files parsed earlier in this process (`mkdocs serve`), reused while their text stays the same.

    Every load still reads each file through the shared reader (so its rules hold on every build); only the
    parsing and field validation of an unchanged text is skipped.
    """

    entries: dict[tuple[Path, Path], tuple[str | None, _EntryDraft | None]] = field(default_factory=dict)

    def entry(self, path: Path, root: Path) -> _EntryDraft | None:
        """The parsed and field-validated entry file, with a fresh problem list for this build's cross-checks."""
        read = read_source(path, root)
        cached = self.entries.get((path, root))
        if cached is None or read.text is None or cached[0] != read.text:
            cached = (read.text, _read_entry(path, root, read))
            self.entries[(path, root)] = cached
        draft = cached[1]
        if draft is None:
            return None
        report = replace(draft.source.report, problems=list(draft.source.report.problems))
        return replace(draft, source=replace(draft.source, report=report))


def _validate_fields(node: Node, draft: _EntryDraft) -> None:
    report = draft.source.report
    assert isinstance(node.value, dict)
    fields = node.value
    for name in fields:
        if name in RELATION_TYPES:
            report.add(node.key_line(name), f"relation '{name}' is not indented under 'relations:' (got "
                                            f"'{name}:' at the start of the line). Fix: indent it two spaces "
                                            "under 'relations:', like the other relations.")
        elif name not in FIELDS_BY_NAME:
            report.add(node.key_line(name), f"unknown field '{name}' (got '{name}'). Fix: remove it or use one of "
                                            f"{_choices([f.name for f in FIELDS])}"
                                            f"{_did_you_mean(name, list(FIELDS_BY_NAME))}.")
    kind_node = fields.get("kind")
    kind = _choice(kind_node, "kind", report) if kind_node else None
    for spec in FIELDS:
        value = fields.get(spec.name)
        if value is None:
            if kind in spec.required_for or (kind is None and spec.required_for == FIELDS[0].required_for):
                report.add(1, f"missing required field '{spec.name}' (got no '{spec.name}:' line). "
                              f"Fix: add '{spec.name}: {spec.example}'.")
            continue
        draft.lines[spec.name] = node.key_line(spec.name) + report.offset
        if kind and kind not in spec.allowed_for:
            report.add(node.key_line(spec.name), f"field '{spec.name}' is not allowed on a {kind} entry "
                                                 f"(got '{spec.name}:'). Fix: remove it; it is only for "
                                                 f"{_choices(spec.allowed_for)} entries.")
            continue
        if spec.name == "kind":
            draft.values["kind"] = kind
        elif spec.name == "dimensions":
            draft.dimension_nodes = value
        elif spec.name == "relations":
            entry_id = fields["id"].value if "id" in fields else ""
            draft.values["relations"] = _relations(value, str(entry_id), report)
        elif value.value is None and spec.nullable:
            draft.values[spec.name] = None
        else:
            result: Any
            checker = {"slug": _slug, "text": _text, "choice": _choice, "sentence": _sentence,
                       "integer": _integer, "anchor-map": _anchor_map}.get(spec.type)
            if checker:
                result = checker(value, spec.name, report)
            else:
                item = {"texts": _text, "slugs": _slug}.get(spec.type, _key)
                result = _list(value, spec.name, report, item)
            if result is not None:
                draft.values[spec.name] = result


def _anchor_map(node: Node, name: str, report: Report) -> dict[str, tuple[str, int]] | None:
    if not isinstance(node.value, dict):
        report.add(node.line, f"'{name}' must map old anchor ids to current ones (got {type_name(node.value)}). "
                              f"Fix: write '{name}: {{old-id: current-id}}'.")
        return None
    found: dict[str, tuple[str, int]] = {}
    for old, new in node.value.items():
        if not markup.SLUG.match(old):
            report.add(node.key_line(old), f"old anchor must be a lowercase slug (got {old!r}). Fix: write it as it "
                                           "appeared in the URL, without '#'.")
            continue
        current = _slug(new, name, report)
        if current:
            found[old] = (current, node.key_line(old) + report.offset)
    return found


def _key(node: Node, name: str, report: Report) -> str | None:
    if not isinstance(node.value, str) or not KEY.match(node.value):
        report.add(node.line, f"'{name}' items must be citation keys such as 'hubinger2019' (got {node.value!r}). "
                              "Fix: use a key from taxonomy_src/bibliography.yaml.")
        return None
    return node.value


# --- supporting files ---

def _mapping_file(src: Path, name: str, root: Path, problems: list[Problem]) -> tuple[Node | None, Report]:
    path = src / name
    if not path.exists() and not path.is_symlink():
        report = Report(display_path(path, root))
        report.at(1, f"required file is missing (got no {name}). Fix: create {display_path(path, root)}.")
        problems.extend(report.problems)
        return None, report
    source = _read(path, root)
    node = _yaml(source, source.text, 0) if source.text is not None else None
    if source.text is not None and node is None and not source.report.problems:
        source.report.at(1, f"the file is empty (got no YAML in it). Fix: write the contents of {name}; "
                            "CONTRIBUTING.md describes each file.")
    problems.extend(source.report.problems)
    source.report.problems = problems
    return node, source.report


def _load_meta(src: Path, root: Path, problems: list[Problem]) -> Meta | None:
    node, report = _mapping_file(src, META, root, problems)
    if node is None:
        return None
    values = _strict_mapping(node, report, {"title": True, "version": True, "source": True, "site_url": True})
    if values is None:
        return None
    if "version" in values and not is_semver(values["version"]):
        report.add(node.key_line("version"), f"'version' must be semantic (MAJOR.MINOR.PATCH) "
                                             f"(got {values['version']!r}). Fix: write e.g. '0.1.0'.")
        return None
    if not set(("title", "version", "source", "site_url")) <= values.keys():
        return None
    if not is_https_url(values["site_url"]):
        report.add(node.key_line("site_url"), f"'site_url' must be an https address (got {values['site_url']!r}). "
                                              "Fix: write e.g. 'https://example.org/'.")
        return None
    return Meta(values["title"], values["version"], values["source"], values["site_url"].rstrip("/") + "/")


def _strict_mapping(node: Node, report: Report, fields: dict[str, bool]) -> dict[str, str] | None:
    """Validate a flat mapping of text fields; `fields` maps name -> required."""
    if not isinstance(node.value, dict):
        report.add(node.line, f"expected a mapping of fields (got {type_name(node.value)}). "
                              "Fix: write one 'field: value' per line.")
        return None
    values: dict[str, str] = {}
    for name, value in node.value.items():
        if name not in fields:
            report.add(node.key_line(name), f"unknown field '{name}' (got '{name}'). Fix: remove it or use one of "
                                            f"{_choices(list(fields))}{_did_you_mean(name, list(fields))}.")
            continue
        if isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
            values[name] = str(value.value)
            continue
        text = _text(value, name, report)
        if text is not None:
            values[name] = text
    for name, required in fields.items():
        if required and name not in node.value:
            report.add(node.line, f"missing required field '{name}' (got no '{name}:' line). Fix: add '{name}: ...'.")
    return values


def _load_bibliography(src: Path, root: Path, problems: list[Problem]) -> tuple[dict[str, Work], frozenset[str] | None]:
    """Valid works by key, and every key the file declares (None when the file could not be read at all)."""
    node, report = _mapping_file(src, BIBLIOGRAPHY, root, problems)
    works: dict[str, Work] = {}
    if node is None:
        return works, None
    if not isinstance(node.value, dict):
        report.add(node.line, f"the bibliography must map citation keys to works (got {type_name(node.value)}). "
                              "Fix: write 'key:' lines with the fields indented under each.")
        return works, None
    text_fields = {"type": True, "title": True, "container": True, "year": False, "date": False,
                   "publisher": False, "url": False, "note": False, "caveat": False}
    for key, entry in node.value.items():
        line = node.key_line(key)
        if not KEY.match(key):
            report.add(line, f"citation key must be lowercase letters, digits and hyphens (got {key!r}). "
                             "Fix: rename the key.")
            continue
        if not isinstance(entry.value, dict):
            report.add(line, f"work '{key}' must be a mapping of fields (got {type_name(entry.value)}). "
                             "Fix: indent its fields under the key.")
            continue
        authors_node = entry.value.get("authors")
        fields = {k: v for k, v in entry.value.items() if k != "authors"}
        values = _strict_mapping(Node(fields, entry.line, entry.key_lines), report, text_fields) or {}
        authors = _list(authors_node, "authors", report, _text) if authors_node else []
        if authors_node is None:
            report.add(entry.line, f"work '{key}' has no 'authors' (got none). Fix: add 'authors: [\"Family, Given\"]' "
                                   "or 'authors: []' for an anonymous page.")
        for author in authors:
            if "," not in author:
                line = authors_node.line if authors_node else entry.line
                report.add(line, f"author must be written 'Family, Given' (got {author!r}). "
                                 "Fix: put the family name first, then a comma.")
        if "type" in values and values["type"] not in WORK_TYPES:
            report.add(entry.key_line("type"), f"work type must be one of {_choices(WORK_TYPES)} "
                                               f"(got {values['type']!r}). Fix: pick one.")
        if "url" in values and not is_https_url(values["url"]):
            report.add(entry.key_line("url"), f"url must be an https address without spaces, quotes or brackets "
                                              f"(got {values['url']!r}). Fix: use the https address, percent-encoding "
                                              "such characters.")
        if "date" in values and not is_date(values["date"]):
            report.add(entry.key_line("date"), f"date must be a real date written YYYY-MM-DD (got {values['date']!r}). "
                                               "Fix: write e.g. '2026-06-21' in quotes.")
        year = values.get("year")
        if year is not None and not year.isdigit():
            report.add(entry.key_line("year"), f"year must be a number (got {year!r}). Fix: write e.g. 'year: 2024'.")
            year = None
        if {"type", "title", "container"} <= values.keys():
            works[key] = Work(key=key, type=values["type"], authors=tuple(authors), title=values["title"],
                              container=values["container"], year=int(year) if year else None,
                              date=values.get("date"), publisher=values.get("publisher"), url=values.get("url"),
                              note=values.get("note"), caveat=values.get("caveat"))
    return works, frozenset(node.value)


def _load_dimensions(src: Path, root: Path,
                     problems: list[Problem]) -> tuple[tuple[Dimension, ...], frozenset[str] | None]:
    """Valid dimensions, and every dimension id the file declares (None when the file could not be read at all)."""
    node, report = _mapping_file(src, DIMENSIONS, root, problems)
    dimensions: list[Dimension] = []
    if node is None:
        return (), None
    if not isinstance(node.value, list):
        report.add(node.line, f"dimensions must be a list (got {type_name(node.value)}). Fix: start each with '- id:'.")
        return (), None
    declared = frozenset(str(item.value["id"].value) for item in node.value
                         if isinstance(item.value, dict) and "id" in item.value)
    for item in node.value:
        top = Node({k: v for k, v in item.value.items() if k != "values"}, item.line, item.key_lines) \
            if isinstance(item.value, dict) else item
        values = _strict_mapping(top, report, {"id": True, "title": True, "question": True})
        options_node = item.value.get("values") if isinstance(item.value, dict) else None
        if options_node is None or not isinstance(options_node.value, list) or not options_node.value:
            report.add(item.line, "a dimension needs a non-empty 'values' list (got "
                                  f"{type_name(options_node.value) if options_node else 'none'}). "
                                  "Fix: add '- {id: ..., label: ..., meaning: ...}' items.")
            continue
        options: list[DimensionOption] = []
        for option in options_node.value:
            ov = _strict_mapping(option, report, {"id": True, "label": True, "meaning": True})
            if ov and {"id", "label", "meaning"} <= ov.keys():
                if not markup.SLUG.match(ov["id"]):
                    report.add(option.key_line("id"), f"a value id must be a lowercase slug (got {ov['id']!r}). "
                                                      "Fix: use lowercase letters, digits and hyphens.")
                    continue
                if ov["id"] == NOT_STATED:
                    report.add(option.line, f"'{NOT_STATED}' is added to every dimension automatically "
                                            f"(got it listed). Fix: remove it.")
                    continue
                options.append(DimensionOption(ov["id"], ov["label"], ov["meaning"]))
        options.append(DimensionOption(NOT_STATED, "not stated", "The source does not say."))
        if values and {"id", "title", "question"} <= values.keys():
            if not markup.SLUG.match(values["id"]):
                report.add(top.key_line("id"), f"a dimension id must be a lowercase slug (got {values['id']!r}). "
                                               "Fix: use lowercase letters, digits and hyphens; it is part of URLs.")
                continue
            if any(d.id == values["id"] for d in dimensions):
                report.add(item.line, f"duplicate dimension id '{values['id']}' (got it twice). Fix: rename one.")
                continue
            dimensions.append(Dimension(values["id"], values["title"], values["question"], tuple(options)))
    return tuple(dimensions), declared


def _entry_dimensions(draft: _EntryDraft, known: _Known) -> list[DimensionValue]:
    report, node, dimensions = draft.source.report, draft.dimension_nodes, known.dimensions
    if node is None or known.dimension_ids is None:
        return []  # a missing 'dimensions' is a missing required field; an unreadable dimensions.yaml is reported
    report.offset = 1
    if not isinstance(node.value, dict):
        report.add(node.line, f"'dimensions' must be a mapping of dimension id to value (got {type_name(node.value)}). "
                              "Fix: write 'dimensions: {layer: {value: ..., why: ...}}'.")
        return []
    by_id = {d.id: d for d in dimensions}
    found: list[DimensionValue] = []
    for dim_id, spec in node.value.items():
        line = node.key_line(dim_id)
        dimension = by_id.get(dim_id)
        if dimension is None:
            if dim_id not in known.dimension_ids:  # a declared but broken dimension is reported in its own file
                report.add(line, f"unknown dimension '{dim_id}' (got '{dim_id}'). Fix: use one of "
                                 f"{_choices(list(by_id))}{_did_you_mean(dim_id, list(by_id))}.")
            continue
        values = _strict_mapping(spec, report, {"value": True, "why": True})
        if not values or not {"value", "why"} <= values.keys():
            continue
        allowed = [o.id for o in dimension.options]
        if values["value"] not in allowed:
            report.add(spec.key_line("value"), f"'{values['value']}' is not a value of dimension '{dim_id}' "
                                               f"(got {values['value']!r}). Fix: use one of {_choices(allowed)}"
                                               f"{_did_you_mean(values['value'], allowed)}.")
            continue
        inline_problems = markup.scan_inline(values["why"], spec.key_line("why")).problems
        for line, message in inline_problems:
            report.add(line, message)
        if inline_problems:
            continue
        if not markup.CITATION.search(values["why"]):
            report.add(spec.key_line("why"), f"the 'why' for dimension '{dim_id}' has no citation "
                                             f"(got {values['why']!r}). Fix: add the source as [@key].")
            continue
        found.append(DimensionValue(dim_id, values["value"], " ".join(values["why"].split()),
                                    spec.key_line("why") + report.offset))
    for dimension in dimensions:
        if dimension.id not in node.value:
            report.at(draft.lines["dimensions"], f"missing value for dimension '{dimension.id}' "
                                                 f"(got no '{dimension.id}:'). "
                                      f"Fix: add '{dimension.id}: {{value: ..., why: ...}}'; use '{NOT_STATED}' "
                                      "if the source is silent.")
    return found


# --- the whole taxonomy ---

def load(src: Path, root: Path | None = None, cache: SourceCache | None = None, *,
         case_coverage: bool = True) -> Taxonomy:
    """Load and validate everything under `src`; raise TaxonomyError listing every problem (never another error).

    Each file is read and parsed once; with a `cache`, entry files unchanged since an earlier load are not parsed
    again (their cross-file checks always run). `case_coverage=False` skips only the rule that every leaf of the
    tree is reached by a case (for scaffolding one).
    """
    try:
        return _load(src, root or src.parent, cache or SourceCache(), case_coverage)
    except TaxonomyError:
        raise
    except Exception as exc:  # reported as a problem naming the file, never as a stack trace
        raise TaxonomyError([internal_error(exc)]) from None


def _load(src: Path, root: Path, cache: SourceCache, case_coverage: bool) -> Taxonomy:
    problems: list[Problem] = []
    meta = _load_meta(src, root, problems)
    works, keys = _load_bibliography(src, root, problems)
    sources = load_sources(src, root, works, problems) if keys is not None else ()
    dimensions, dimension_ids = _load_dimensions(src, root, problems)
    drafts = _read_entries(src, root, problems, cache)
    known = _Known(works, keys, dimensions, dimension_ids, _former_ids(drafts))
    entries = _cross_check(drafts, known, problems)
    if meta and known.unknown_key(meta.source):
        problems.append(Problem(display_path(src / META, root), 1, f"'source' must be a bibliography key "
                                                                   f"(got {meta.source!r}). Fix: use the post's key."))
    from .decision import load_decision_tree
    kinds = {d.source.path.stem: str(d.values.get("kind")) for d in drafts}  # by file name: no cascades from bad ids
    tree = load_decision_tree(src, root, kinds, problems, known.former)
    facts = {d.source.path.stem: {"status": d.values.get("status"), "former_ids": d.values.get("former_ids", []),
                                  "readable": "id" in d.values and "status" in d.values} for d in drafts}
    releases = load_releases(src, root, facts, meta.version if meta else None, problems)
    # --- worked cases and the crosswalk (hooks/taxonomy/cases.py, crosswalk.py) ---
    from .cases import load_cases
    from .crosswalk import load_crosswalk
    cases, crosswalk = [], []
    if keys is not None:  # both cite works: with an unreadable bibliography they would only repeat its problem
        cases = load_cases(src, root, {d.source.path.stem: d for d in drafts}, works, tree, problems,
                           meta.source if meta else None, coverage=case_coverage)
        crosswalk = load_crosswalk(src, root, kinds, works, problems)
    # --- end of worked cases and crosswalk ---
    if problems or meta is None:
        raise TaxonomyError(problems)
    taxonomy = Taxonomy.build(meta, entries, works, dimensions, tree.questions, releases, sources,
                              tree.outcomes, tree.retired, tuple(cases), tuple(crosswalk))
    problems.extend(check_registry(taxonomy, src, root))
    if problems:
        raise TaxonomyError(problems)
    return taxonomy


def _read_entries(src: Path, root: Path, problems: list[Problem], cache: SourceCache) -> list[_EntryDraft]:
    folder = src / ENTRIES_DIR
    drafts: list[_EntryDraft] = []
    if folder.is_symlink() or src.is_symlink():
        problems.append(Problem(display_path(folder, root), 1, "symbolic links are not allowed in taxonomy_src/ "
                                                               "(got a link). Fix: replace it with a real folder."))
        return drafts
    if not folder.is_dir():
        problems.append(Problem(display_path(folder, root), 1, "entries folder is missing. Fix: create it."))
        return drafts
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") and not path.name.endswith(".md"):
            continue  # editor and system files (.DS_Store, .swp); a hidden '.md' file is reported below
        if path.name.startswith("."):
            problems.append(Problem(display_path(path, root), 1, f"hidden entry file would be ignored (got "
                                                                 f"{path.name!r}). Fix: rename it to "
                                                                 f"'{path.name.lstrip('.')}'."))
            continue
        if path.suffix != ".md" or not (path.is_file() or path.is_symlink()):
            message = f"not an entry file (got {path.name!r}). Fix: entries are '<id>.md' files; move or rename it."
            problems.append(Problem(display_path(path, root), 1, message))
            continue
        draft = cache.entry(path, root)
        if draft is not None:
            drafts.append(draft)
    return drafts


@dataclass(frozen=True)
class _Known:
    """What the supporting files define, for checking entries against them without cascades from broken files."""

    works: dict[str, Work]
    keys: frozenset[str] | None  # every key bibliography.yaml declares; None when it could not be read
    dimensions: tuple[Dimension, ...]
    dimension_ids: frozenset[str] | None  # every id dimensions.yaml declares; None when it could not be read
    former: dict[str, str]  # former id -> the entry that has it now

    def unknown_key(self, key: str) -> bool:
        """Whether a citation key is really missing (not merely in a broken or unreadable bibliography)."""
        return self.keys is not None and key not in self.keys


def _former_ids(drafts: list[_EntryDraft]) -> dict[str, str]:
    return {old: str(d.values.get("id", d.source.path.stem)) for d in drafts for old in d.values.get("former_ids", [])}


def _unknown_entry(target: str, known: _Known, by_id: dict[str, _EntryDraft]) -> str:
    """The fix for a reference to an id that is not an entry: the entry it was renamed to, or a near match."""
    if target in known.former:
        return f"'{target}' is a former id of {known.former[target]}; use '{known.former[target]}'"
    return f"use an existing id{_did_you_mean(target, list(by_id))}"


def _cross_check(drafts: list[_EntryDraft], known: _Known, problems: list[Problem]) -> list[Entry]:
    works = known.works
    by_id = _index_ids(drafts)
    kinds = {i: d.values.get("kind") for i, d in by_id.items()}
    claimed: dict[str, str] = {}
    for draft in drafts:
        for old in draft.values.get("former_ids", []):
            if old in claimed:
                draft.source.report.at(draft.lines["former_ids"], f"former id '{old}' is also claimed by "
                                                                  f"{claimed[old]} (got it twice). Fix: an old id "
                                                                  "redirects to one entry only; keep it in one file.")
            claimed.setdefault(old, draft.source.shown)
    declared: dict[tuple[str, frozenset[str]], str] = {}
    entries: list[Entry] = []
    spellings = _name_spellings(drafts)
    for draft in drafts:
        report = draft.source.report
        _check_parent(draft, kinds, known)
        for rel in draft.values.get("relations", []):
            pair = (rel.type, frozenset((rel.source, rel.target)))
            if rel.target == rel.source:
                report.at(rel.line, f"an entry cannot be related to itself (got '{rel.target}'). Fix: remove it.")
            elif rel.target not in kinds:
                report.at(rel.line, f"relation '{rel.type}' points to an unknown entry (got '{rel.target}'). "
                                    f"Fix: {_unknown_entry(rel.target, known, by_id)}.")
            elif pair in declared:
                report.at(rel.line, f"relation '{rel.type}' between '{rel.source}' and '{rel.target}' is declared "
                                    f"twice (also in {declared[pair]}). Fix: keep it in one file; both pages show it.")
            else:
                declared[pair] = draft.source.shown
        _check_references(draft, known, by_id)
        _check_lifecycle(draft, by_id, known)
        _check_addresses(draft, spellings)
        _check_scaffold_text(draft)
        values = _entry_dimensions(draft, known)
        if draft.values.get("kind") == "failure-mode" and draft.dimension_nodes is not None:
            for value in values:
                for m in markup.CITATION.finditer(value.why):
                    if known.unknown_key(m.group(1)):
                        report.at(value.line, f"unknown citation key '{m.group(1)}' (got '{m.group(0)}'). Fix: use "
                                              f"a key from taxonomy_src/bibliography.yaml"
                                              f"{_did_you_mean(m.group(1), list(works))} or add the work there.")
        _check_claims(draft, values)
        _check_sections(draft)
        required = {f.name for f in FIELDS if draft.values.get("kind") in f.required_for}
        if not report.problems and required <= draft.values.keys() | {"dimensions", "relations"}:
            entries.append(_entry(draft, values))
        problems.extend(report.problems)
    if not problems:
        _check_cycles(entries, problems)
    return entries


def _index_ids(drafts: list[_EntryDraft]) -> dict[str, _EntryDraft]:
    """Entries by id, reporting ids that differ from file names and ids used twice.

    A file whose id is unusable stays reachable under its file name, so one mistake does not cascade into
    "unknown entry" errors elsewhere. Of two files with the same id, the one named after it owns it.
    """
    by_id: dict[str, _EntryDraft] = {}
    owners = sorted(drafts, key=lambda d: d.values.get("id") != d.source.path.stem)
    for draft in owners:
        entry_id, stem, report = draft.values.get("id"), draft.source.path.stem, draft.source.report
        if not isinstance(entry_id, str):
            by_id.setdefault(stem, draft)
            continue
        if entry_id != stem:
            report.at(draft.lines["id"], f"id must equal the file name (got id '{entry_id}' in "
                                         f"'{draft.source.path.name}'). Fix: rename the file to "
                                         f"'{entry_id}.md' or set 'id: {stem}'.")
            by_id.setdefault(stem, draft)
        if entry_id in by_id and by_id[entry_id] is not draft:
            report.at(draft.lines["id"], f"duplicate id '{entry_id}' (also used by {by_id[entry_id].source.shown}). "
                                         "Fix: ids are unique and never reused; choose a new one.")
        else:
            by_id[entry_id] = draft
    return by_id


def _check_parent(draft: _EntryDraft, kinds: dict[str, object], known: _Known) -> None:
    report, kind = draft.source.report, draft.values.get("kind")
    if "parent" not in draft.values:
        return
    parent, line = draft.values["parent"], draft.lines.get("parent", 1)
    if parent is None:
        if kind == "failure-mode":
            report.at(line, "a failure mode needs a parent category (got null). "
                            "Fix: set 'parent: inner-misalignment' or another category id.")
        return
    if kind == "concept":
        report.at(line, f"concepts sit outside the tree (got parent '{parent}'). Fix: set 'parent: null' and "
                        "use 'relations' to connect it.")
    elif parent in known.former:
        report.at(line, f"parent is not an existing entry (got '{parent}'). "
                        f"Fix: '{parent}' is a former id of {known.former[parent]}; use '{known.former[parent]}'.")
    elif parent not in kinds:
        report.at(line, f"parent is not an existing entry (got '{parent}'). "
                        f"Fix: use a category id{_did_you_mean(str(parent), list(kinds))}.")
    elif kinds[parent] is None:
        return  # the parent's own file is broken and reported; its kind is unknown
    elif kinds[parent] != "category":
        report.at(line, f"parent must be a category (got '{parent}', a {kinds[parent]}). Fix: use a category id.")


def _check_references(draft: _EntryDraft, known: _Known, by_id: dict[str, _EntryDraft]) -> None:
    report, scan = draft.source.report, draft.scan
    keys = list(known.works)
    for key in draft.values.get("references", []):
        if known.unknown_key(key):
            report.at(draft.lines["references"], f"unknown citation key '{key}' in references (got '{key}'). "
                                                 f"Fix: use a key from taxonomy_src/bibliography.yaml"
                                                 f"{_did_you_mean(key, keys)} or add the work there.")
    for cite in scan.citations:
        if known.unknown_key(cite.target):
            report.at(cite.line, f"unknown citation key '{cite.target}' (got '[@{cite.target}]'). Fix: use a key "
                                 f"from taxonomy_src/bibliography.yaml{_did_you_mean(cite.target, keys)} "
                                 "or add the work there.")
    own = {s.id for s in scan.sections}
    for link in scan.links:
        if not link.target:
            if link.detail not in own:
                report.at(link.line, f"link to a missing section of this page (got '#{link.detail}'). "
                                     f"Fix: use one of the heading ids: {_choices(sorted(own))}.")
            continue
        target = by_id.get(link.target)
        if target is None and link.target in known.former:
            new = known.former[link.target]
            fragment = f"#{link.detail}" if link.detail else ""
            report.at(link.line, f"link to a renamed entry (got '[[{link.target}{fragment}]]'). Fix: "
                                 f"'{link.target}' is a former id of {new}; link [[{new}{fragment}]].")
        elif target is None:
            report.at(link.line, f"link to an unknown entry (got '[[{link.target}]]'). "
                                 f"Fix: use an existing id{_did_you_mean(link.target, list(by_id))}.")
        elif link.detail:
            anchors = {s.id for s in target.scan.sections} | markup.generated_anchors(
                target.values.get("kind"), bool(target.scan.footnote_defs))
            if link.detail not in anchors:
                report.at(link.line, f"link to a missing section of '{link.target}' (got '#{link.detail}'). "
                                     f"Fix: use one of {_choices(sorted(anchors))}.")
    for bare in scan.bare_links:
        target = by_id.get(bare.target)
        title = str(target.values.get("title", "")) if target else ""
        if title and bare.detail and title.split()[-1].lower() == bare.detail.lower():
            report.at(bare.line, f"link text repeats a word (got '[[{bare.target}]] {bare.detail}', shown as "
                                 f"'{title} {bare.detail}'). Fix: write '[[{bare.target}|{title.rsplit(' ', 1)[0]}]] "
                                 f"{bare.detail}' or drop '{bare.detail}'.")
    defined: dict[str, int] = {}
    for ref in scan.footnote_defs:
        if ref.target in defined:
            report.at(ref.line, f"footnote '[^{ref.target}]' is defined twice (first on line {defined[ref.target]}). "
                                "Fix: remove or rename one definition.")
        defined.setdefault(ref.target, ref.line)
    used = {ref.target for ref in scan.footnote_refs}
    for ref in scan.footnote_refs:
        if ref.target not in defined:
            report.at(ref.line, f"footnote '[^{ref.target}]' has no definition (got no '[^{ref.target}]:' line). "
                                "Fix: add the definition at the end of the body.")
    for name, line in defined.items():
        if name not in used:
            report.at(line, f"footnote '[^{name}]' is defined but never referenced. "
                            f"Fix: cite it with '[^{name}]' in the text or remove it.")


def _check_lifecycle(draft: _EntryDraft, by_id: dict[str, _EntryDraft], known: _Known) -> None:
    report, values = draft.source.report, draft.values
    status = values.get("status")
    for name in ("replaced_by", "status_note"):
        if name in values and status != "deprecated":
            report.at(draft.lines[name], f"'{name}' is only for deprecated entries (got status {status!r}). "
                                         "Fix: remove it, or set 'status: deprecated'.")
    if status == "deprecated" and "status_note" not in values:
        report.at(draft.lines.get("status", 1), "a deprecated entry needs a 'status_note' saying why (got none). "
                                                "Fix: add 'status_note: <why it was retired or merged>'.")
    replacement = values.get("replaced_by")
    if isinstance(replacement, str) and replacement not in by_id:
        report.at(draft.lines["replaced_by"], f"'replaced_by' is not an existing entry (got '{replacement}'). "
                                              f"Fix: {_unknown_entry(replacement, known, by_id)}.")
    for old in values.get("former_ids", []):
        if old in by_id:
            report.at(draft.lines["former_ids"], f"former id '{old}' is the id of a current entry (got '{old}'). "
                                                 "Fix: ids are never reused; remove it from 'former_ids'.")
    anchors = {s.id for s in draft.scan.sections} | markup.generated_anchors(
        values.get("kind"), bool(draft.scan.footnote_defs)) | {c.anchor for c in draft.scan.claims if c.anchor}
    for old, (new, line) in values.get("former_anchors", {}).items():
        if old in anchors:
            report.at(line, f"former anchor '{old}' is still a current anchor (got '{old}'). "
                            "Fix: remove it from 'former_anchors'.")
        elif new not in anchors:
            report.at(line, f"former anchor '{old}' points to a missing section (got '{new}'). "
                            f"Fix: use one of {_choices(sorted(anchors))}.")


def _name_spellings(drafts: list[_EntryDraft]) -> dict[str, list[tuple[str, str, str]]]:
    """The alternative names by the slug of their address: (name as written, entry id, file) for every use."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for draft in drafts:
        for alias in draft.values.get("aliases", []):
            uses = found.setdefault(name_slug(alias), [])
            uses.append((alias, str(draft.values.get("id", draft.source.path.stem)), draft.source.shown))
    return found


def _check_addresses(draft: _EntryDraft, spellings: dict[str, list[tuple[str, str, str]]]) -> None:
    """Ids and names must not land on a page the site has already (the page registry says which), and each name
    needs an address of its own, /names/<slug>/, which only the same name of another entry may share."""
    report, values = draft.source.report, draft.values
    for name in ("id", "former_ids"):
        ids = values.get(name)
        for entry_id in [ids] if isinstance(ids, str) else ids or []:
            if entry_id in pages.taken(ENTRY_DIR):
                report.at(draft.lines[name], f"'{entry_id}' is reserved for a page the site generates (got "
                                             f"'{name}: {entry_id}'). Fix: choose another id.")
    entry_id = str(values.get("id", draft.source.path.stem))
    for alias in values.get("aliases", []):
        slug = name_slug(alias)
        other = next(((spelling, path) for spelling, owner, path in spellings.get(slug, [])
                      if spelling != alias and owner != entry_id), None)
        if not slug:
            report.at(draft.lines["aliases"], f"alias {alias!r} has no letter or digit to make its address "
                                              f"/{NAMES_DIR}/<name>/ from (got {alias!r}). Fix: write the name in "
                                              "words, or remove it.")
        elif slug in pages.taken(NAMES_DIR):
            report.at(draft.lines["aliases"], f"alias {alias!r} would take the address /{NAMES_DIR}/{slug}/, "
                                              f"which the site uses itself (got {alias!r}). Fix: reword the alias.")
        elif other:
            report.at(draft.lines["aliases"], f"alias {alias!r} would share the address /{NAMES_DIR}/{slug}/ with "
                                              f"{other[0]!r} of {other[1]} (got two spellings of one name). Fix: "
                                              f"write it as {other[0]!r}, so that the name's page lists both "
                                              "entries, or reword it.")


def _check_claims(draft: _EntryDraft, values: list[DimensionValue]) -> None:
    """Claim markers in dimension reasons, and marker anchors that would clash with a section anchor."""
    found, report = draft.scan.claims, draft.source.report
    for value in values:
        for line, message in claims.scan_text(value.why, value.line, f"dim-{value.dimension}", found):
            report.at(line, message)
    sections = {s.id for s in draft.scan.sections}
    for claim in found:
        if claim.anchor in sections:
            report.at(claim.line, f"claim marker id '{claim.id}' gives the anchor '{claim.anchor}', which a heading "
                                  "already has (got both). Fix: rename the marker id.")


def _check_scaffold_text(draft: _EntryDraft) -> None:
    """Reject lines where `make new-entry` put instructions that were never replaced."""
    for number, line in enumerate((draft.source.text or "").split("\n"), 1):
        prompt = next((p for p in SCAFFOLD_PROMPTS.values() if p in line), None)
        if prompt:
            got = line.strip()
            shown = repr(got[:60]) + ("…" if len(got) > 60 else "")
            draft.source.report.at(number, f"scaffold text is still here (got {shown}). "
                                           "Fix: replace it with your own words, citing each claim with [@key].")


def _check_sections(draft: _EntryDraft) -> None:
    kind = draft.values.get("kind")
    if kind not in REQUIRED_SECTIONS:
        return
    present = [s.id for s in draft.scan.sections if s.level == 2]
    for section in REQUIRED_SECTIONS[str(kind)]:
        if section not in present:
            draft.source.report.at(draft.body_line, f"a {kind} entry needs a section with id '{section}' "
                                                    f"(got sections: {', '.join(present) or 'none'}). "
                                                    f"Fix: add '## <Title> {{#{section}}}'.")


def _check_cycles(entries: list[Entry], problems: list[Problem]) -> None:
    parents = {e.id: e.parent for e in entries}
    for entry in entries:
        seen, current = {entry.id}, entry.parent
        while current:
            if current in seen:
                if current != entry.id:
                    break  # it leads into a loop without being on it; the entries on the loop are reported
                problems.append(Problem(entry.path, 1, f"parent chain loops back to '{current}' (got a cycle). "
                                                       "Fix: make the tree acyclic."))
                break
            seen.add(current)
            current = parents.get(current)


def _entry(draft: _EntryDraft, dimensions: list[DimensionValue]) -> Entry:
    v = draft.values
    return Entry(
        id=str(v["id"]), title=str(v["title"]), kind=str(v["kind"]), parent=v.get("parent"),
        summary=str(v["summary"]), aliases=tuple(v.get("aliases", ())),
        relations=tuple(v.get("relations", ())), references=tuple(v.get("references", ())),
        status=str(v["status"]), body=draft.body, path=draft.source.shown, body_line=draft.body_line,
        order=int(v.get("order", 1000)), evidence=v.get("evidence"),
        dimensions=tuple(dimensions), sections=tuple(draft.scan.sections),
        cited=tuple(dict.fromkeys([c.target for c in draft.scan.citations]
                                  + [m.group(1) for d in dimensions for m in markup.CITATION.finditer(d.why)])),
        links=tuple(dict.fromkeys(link.target for link in draft.scan.links if link.target)),
        former_ids=tuple(v.get("former_ids", ())),
        former_anchors=tuple((old, new) for old, (new, _) in v.get("former_anchors", {}).items()),
        replaced_by=v.get("replaced_by"), status_note=v.get("status_note"),
        has_footnotes=bool(draft.scan.footnote_defs), claims=tuple(draft.scan.claims),
    )


def check(src: Path, root: Path | None = None) -> list[Problem]:
    """All problems in the sources (empty when valid)."""
    try:
        load(src, root)
    except TaxonomyError as exc:
        return exc.problems
    return []
