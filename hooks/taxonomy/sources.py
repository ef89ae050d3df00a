"""The copies, summaries and threads we rely on for the post (sources.yaml), shown on the Sources page."""

from __future__ import annotations

from pathlib import Path

from . import checks, claims, markup, pages
from .checks import did_you_mean
from .crosscheck import Known, inline_field
from .model import SourceCopy
from .problems import Checked, Problem, collect
from .schema import SOURCES_FILE, fields_of, markdown_of
from .yamlsrc import Node, type_name

SOURCES = SOURCES_FILE
SOURCE_KINDS = {"post": "the post itself", "copy": "public copy of the post", "local-copy": "our local copy",
                "summary": "secondary summary", "comment-thread": "comment thread"}
FIELDS = fields_of(SOURCES, "sources")
PAGE_ANCHORS = frozenset(pages.SOURCES.anchors)


def load_sources(src: Path, root: Path, known: Known, problems: list[Problem]) -> tuple[SourceCopy, ...]:
    """Load and validate `sources.yaml` (optional) against the bibliography and the entries; every problem as
    path:line."""
    return collect(checks.shown(src, SOURCES, root), _sources(src, root, known), problems)


def _sources(src: Path, root: Path, known: Known) -> Checked[tuple[SourceCopy, ...]]:
    node = yield from checks.yaml_file(src, SOURCES, root, None)
    if node is None:
        return ()
    items = node.value.get("sources") if isinstance(node.value, dict) else None
    if not isinstance(node.value, dict) or items is None or not isinstance(items.value, list):
        yield node.line, (f"the file needs a 'sources:' list (got {type_name(node.value)}). "
                          "Fix: start it with 'sources:' and one '- key: ...' item per source.")
        return ()
    for other in node.value.keys() - {"sources"}:
        yield node.key_line(other), checks.unknown_field(other, ["sources"])
    found: list[SourceCopy] = []
    for item in items.value:
        source = yield from _source(item, known)
        if source is None:
            continue
        first = next((s.line for s in found if s.key == source.key), None)
        if first is not None:
            yield (item.line, f"source '{source.key}' is described twice (first on line {first}). Fix: keep one item.")
            continue
        found.append(source)
    return tuple(found)


def _source(item: Node, known: Known) -> Checked[SourceCopy | None]:
    works = known.works
    fields = yield from checks.record(item, "a source", FIELDS)
    if fields is None:
        return None
    values: dict[str, str] = {}
    for name in FIELDS:
        value = fields[name]
        if not isinstance(value.value, str) or not value.value.strip():
            yield value.line, checks.empty_text(name, value.value)
            continue
        yield from ((value.line, m) for m in checks.plain_problems(value.value, name))
        values[name] = " ".join(value.value.split())
    if len(values) < len(FIELDS):
        return None
    key, kind, ok = values["key"], values["kind"], True
    if key not in works:
        yield (fields["key"].line, f"'key' must be a bibliography key (got '{key}'). Fix: use a key from "
                                   f"taxonomy_src/bibliography.yaml{did_you_mean(key, list(works))} or add the work "
                                   "there.")
        ok = False
    elif key in claims.BY_ID or key in PAGE_ANCHORS:
        yield (fields["key"].line, f"source key '{key}' would clash with an anchor of the Sources page (got '{key}'). "
                                   "Fix: use another bibliography key.")
        ok = False
    if kind not in SOURCE_KINDS:
        yield (fields["kind"].line, f"'kind' must be one of {', '.join(SOURCE_KINDS)} (got '{kind}'). "
                                    f"Fix: pick one{did_you_mean(kind, tuple(SOURCE_KINDS))}.")
        ok = False
    for name, _ in markdown_of(SOURCES, "sources"):
        ok = (yield from inline_field(values[name], fields[name].line, SOURCES, known)) and ok
    if not ok:
        return None
    if markup.RAW_HTML.search(values["name"]) or "[" in values["name"] or "](" in values["name"]:
        yield (fields["name"].line, f"'name' must be plain text (got {values['name']!r}). Fix: remove markup.")
        return None
    return SourceCopy(key, values["name"], kind, values["contains"], values["breaks_off"], values["obtained"],
                      item.line)
