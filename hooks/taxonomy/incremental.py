"""Incremental rebuilds (`mkdocs serve --dirty`): which pages changed since the last successful build, and which
generated pages must be rendered again at all."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from . import pages
from .export import export_json
from .model import Taxonomy
from .render import Renderer


@dataclass(frozen=True)
class Plan:
    """What a rebuild must redo: everything (the site's structure changed), or the pages whose text changed."""

    full: bool
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()


@dataclass
class BuildState:
    """The last successful build of this process: its structure and the text of every page it rendered.

    The structure is everything that appears on every page (the nav, the set of pages, the configuration and the
    theme); when it changes, every page is stale. Otherwise a page is stale exactly when its own text changed: the
    text of a generated page already contains everything it shows about other entries (titles, summaries,
    backlinks, relations), so comparing texts catches every dependent page.
    """

    structure: str | None = None
    pages: dict[str, str] = field(default_factory=dict)
    pending: tuple[str, dict[str, str]] | None = None

    def plan(self, structure: str, pages: dict[str, str]) -> Plan:
        """Compare this build's structure and page texts with the last successful build's."""
        self.pending = (structure, pages)
        if structure != self.structure:
            return Plan(full=True)
        return Plan(full=False, changed=frozenset(p for p, text in pages.items() if self.pages.get(p) != text),
                    removed=frozenset(self.pages.keys() - pages.keys()))

    def commit(self) -> None:
        """Record the planned build as done (call when it succeeded)."""
        if self.pending is not None:
            self.structure, self.pages = self.pending
            self.pending = None

    def forget(self) -> None:
        """After a failed build nothing on disk can be trusted: the next build is a full one."""
        self.structure, self.pages, self.pending = None, {}, None


@dataclass(frozen=True)
class BodyEdits:
    """Entries and cases whose own text changed while nothing else about them, or about the taxonomy, did."""

    entries: frozenset[str]
    cases: frozenset[str]


def body_edits(old: Taxonomy, new: Taxonomy) -> BodyEdits | None:
    """What changed between two loads when only entry and case texts did (None: anything else changed).

    The text of an entry or case reaches three generated files only: its own page and the JSON export (every
    other page shows titles, summaries, relations, sections, citations, links and claims, which are compared
    here). A text edit that moves a section, a claim or the end of the front matter to another line is reported
    as None as well, since lines are compared too.
    """
    for name in (f.name for f in fields(Taxonomy) if f.name not in ("entries", "cases", "_index")):
        if getattr(old, name) != getattr(new, name):
            return None
    if list(old.entries) != list(new.entries) or len(old.cases) != len(new.cases):
        return None
    entries = {i for i, entry in new.entries.items() if entry != old.entries[i]}
    cases = {c.id for c, before in zip(new.cases, old.cases, strict=True) if c != before}
    if any(replace(new.entries[i], body="") != replace(old.entries[i], body="") for i in entries):
        return None
    changed = [(c, before) for c, before in zip(new.cases, old.cases, strict=True) if c.id in cases]
    if any(replace(c, body="") != replace(before, body="") for c, before in changed):
        return None
    return BodyEdits(frozenset(entries), frozenset(cases))


def refresh(renderer: Renderer, before: tuple[Taxonomy, dict[str, str]] | None) -> dict[str, str]:
    """Every generated page for the renderer's taxonomy, given the taxonomy and pages of the last render (None:
    render all). An edit that changes only the text of entries or cases renders just their pages and the JSON
    export again (`body_edits` says why nothing else can change); any other change renders everything."""
    edits = body_edits(before[0], renderer.taxonomy) if before is not None else None
    if before is None or edits is None:
        return renderer.files()
    taxonomy, files = renderer.taxonomy, dict(before[1])
    for entry_id in edits.entries:
        files[pages.ENTRY.path_of(entry_id)] = renderer.entry_page(taxonomy.entries[entry_id])
    for case in (c for c in taxonomy.cases if c.id in edits.cases):
        files[pages.CASE.path_of(case.id)] = renderer.cases.case_page(case)
    if edits.entries or edits.cases:
        files[pages.EXPORT.path] = export_json(taxonomy)
    return files
