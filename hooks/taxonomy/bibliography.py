"""`taxonomy_src/bibliography.yaml`: the works the taxonomy cites, by citation key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import checks
from .formats import is_date, is_https_url, is_year
from .model import ET_AL, WORK_TYPES, Work
from .problems import Checked, Problem, collect, display_path
from .yamlsrc import Node, type_name

BIBLIOGRAPHY = "bibliography.yaml"
WORK_FIELDS = {"type": True, "title": True, "container": True, "year": False, "date": False, "publisher": False,
               "url": False, "note": False, "caveat": False}
"""The text fields of a work, and whether each is required (`authors`, a list, is checked on its own)."""


@dataclass(frozen=True)
class Bibliography:
    """The valid works by key, and every key the file declares (None when the file could not be read at all)."""

    works: dict[str, Work]
    keys: frozenset[str] | None


def load_bibliography(src: Path, root: Path, problems: list[Problem]) -> Bibliography:
    """The bibliography, with every problem of the file added to `problems`."""
    return collect(checks.shown(src, BIBLIOGRAPHY, root), _bibliography(src, root), problems)


def _bibliography(src: Path, root: Path) -> Checked[Bibliography]:
    node = yield from checks.yaml_file(src, BIBLIOGRAPHY, root, f"create {display_path(src / BIBLIOGRAPHY, root)}.")
    if node is None:
        return Bibliography({}, None)
    if not isinstance(node.value, dict):
        yield node.line, (f"the bibliography must map citation keys to works (got {type_name(node.value)}). "
                          "Fix: write 'key:' lines with the fields indented under each.")
        return Bibliography({}, None)
    works: dict[str, Work] = {}
    for key, entry in node.value.items():
        work = yield from _work(key, entry, node.key_line(key))
        if work is not None:
            works[key] = work
    return Bibliography(works, frozenset(node.value))


def _work(key: str, entry: Node, line: int) -> Checked[Work | None]:
    if not checks.KEY.fullmatch(key):
        yield line, f"citation key must be lowercase letters, digits and hyphens (got {key!r}). Fix: rename the key."
        return None
    if not isinstance(entry.value, dict):
        yield line, (f"work '{key}' must be a mapping of fields (got {type_name(entry.value)}). "
                     "Fix: indent its fields under the key.")
        return None
    authors_node = entry.value.get("authors")
    fields = {k: v for k, v in entry.value.items() if k != "authors"}
    values = (yield from checks.mapping(Node(fields, entry.line, entry.key_lines), WORK_FIELDS)) or {}
    authors: tuple[str, ...] = ()
    if authors_node is None:
        yield entry.line, (f"work '{key}' has no 'authors' (got none). Fix: add 'authors: [\"Family, Given\"]' "
                           "or 'authors: []' for an anonymous page.")
    else:
        authors = yield from checks.texts(authors_node, "authors")
    for index, author in enumerate(authors):
        if author == ET_AL:
            if index != len(authors) - 1 or index == 0:
                yield (authors_node.line if authors_node else entry.line), (
                    f"'{ET_AL}' may only close a list that names at least one author (got it at position "
                    f"{index + 1} of {len(authors)}). Fix: name the authors you know, then end the list with "
                    f"'{ET_AL}'; it is shown as 'et al.'.")
            continue
        if "," not in author:
            yield (authors_node.line if authors_node else entry.line), (
                f"author must be written 'Family, Given' (got {author!r}). "
                f"Fix: put the family name first, then a comma; end an incomplete list with '{ET_AL}'.")
    if "type" in values and values["type"] not in WORK_TYPES:
        yield entry.key_line("type"), (f"work type must be one of {checks.choices(WORK_TYPES)} "
                                       f"(got {values['type']!r}). Fix: pick one.")
    if "url" in values and not is_https_url(values["url"]):
        yield entry.key_line("url"), (f"url must be an https address without spaces, quotes or brackets "
                                      f"(got {values['url']!r}). Fix: use the https address, percent-encoding "
                                      "such characters.")
    if "date" in values and not is_date(values["date"]):
        yield entry.key_line("date"), (f"date must be a real date written YYYY-MM-DD (got {values['date']!r}). "
                                       "Fix: write e.g. '2026-06-21' in quotes.")
    year = values.get("year")
    if year is not None and not is_year(year):
        yield entry.key_line("year"), (f"year must be four digits 0-9 (got {year!r}). "
                                       "Fix: write e.g. 'year: 2024'.")
        year = None
    if not {"type", "title", "container"} <= values.keys():
        return None
    return Work(key=key, type=values["type"], authors=authors, title=values["title"], container=values["container"],
                year=int(year) if year else None, date=values.get("date"), publisher=values.get("publisher"),
                url=values.get("url"), note=values.get("note"), caveat=values.get("caveat"))
