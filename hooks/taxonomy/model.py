"""The taxonomy's data model: frozen dataclasses built by the loader, read by the renderer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

KINDS = ("failure-mode", "category", "concept")
STATUSES = ("active", "deprecated")
EVIDENCE = ("confirmed", "partial", "secondary")
RELATION_TYPES = ("distinct-from", "can-co-occur-with", "often-confused-with")
NOT_STATED = "not-stated"


@dataclass(frozen=True)
class Work:
    """A bibliography entry, cited as [@key]."""

    key: str
    type: str
    authors: tuple[str, ...]
    title: str
    container: str
    year: int | None = None
    date: str | None = None
    publisher: str | None = None
    url: str | None = None
    note: str | None = None
    caveat: str | None = None

    @property
    def label(self) -> str:
        """Author-year label used for in-text citations."""
        families = [a.split(",")[0].strip() for a in self.authors]
        if not families:
            who = self.container
        elif len(families) == 1:
            who = families[0]
        elif len(families) == 2:
            who = f"{families[0]} and {families[1]}"
        else:
            who = f"{families[0]} et al."
        return f"{who} {self.year if self.year else 'n.d.'}"


@dataclass(frozen=True)
class Section:
    """A heading in an entry body with its explicit, citable anchor."""

    id: str
    title: str
    level: int
    line: int


@dataclass(frozen=True)
class DimensionValue:
    """An entry's value on one comparison dimension, with its justification."""

    dimension: str
    value: str
    why: str
    line: int


@dataclass(frozen=True)
class Relation:
    """A typed, symmetric relation between two entries, as declared in `source`'s file."""

    type: str
    source: str
    target: str
    line: int


@dataclass(frozen=True)
class Entry:
    """One canonical taxonomy entry (failure mode, category or concept)."""

    id: str
    title: str
    kind: str
    parent: str | None
    summary: str
    aliases: tuple[str, ...]
    relations: tuple[Relation, ...]
    references: tuple[str, ...]
    status: str
    body: str
    path: str
    body_line: int
    order: int = 1000
    evidence: str | None = None
    dimensions: tuple[DimensionValue, ...] = ()
    sections: tuple[Section, ...] = ()
    cited: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    former_ids: tuple[str, ...] = ()
    former_anchors: tuple[tuple[str, str], ...] = ()
    replaced_by: str | None = None
    status_note: str | None = None

    @property
    def all_references(self) -> tuple[str, ...]:
        """Keys of works listed in front matter or cited in the body, without repeats."""
        return tuple(dict.fromkeys(self.references + self.cited))

    def dimension(self, dimension_id: str) -> DimensionValue | None:
        """This entry's value on a dimension, if it gives one."""
        return next((d for d in self.dimensions if d.dimension == dimension_id), None)


@dataclass(frozen=True)
class DimensionOption:
    """One allowed value of a comparison dimension."""

    id: str
    label: str
    meaning: str


@dataclass(frozen=True)
class Dimension:
    """A comparison dimension: a question every failure mode answers."""

    id: str
    title: str
    question: str
    options: tuple[DimensionOption, ...]

    def option(self, value: str) -> DimensionOption | None:
        """The option with this id, if allowed."""
        return next((o for o in self.options if o.id == value), None)


@dataclass(frozen=True)
class Answer:
    """An answer to a decision-tree question: leads to another question or to an entry."""

    label: str
    next: str | None = None
    entry: str | None = None
    line: int = 0


@dataclass(frozen=True)
class DecisionNode:
    """A question in the "which failure mode is this?" tree."""

    id: str
    question: str
    help: str
    answers: tuple[Answer, ...]
    line: int


@dataclass(frozen=True)
class Release:
    """One published version of the taxonomy and what it changed."""

    version: str
    date: str | None
    summary: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    retired: tuple[str, ...] = ()

    @property
    def released(self) -> bool:
        """Whether this version has been published (an upcoming one has no date)."""
        return self.date is not None


@dataclass(frozen=True)
class Meta:
    """Facts about the taxonomy as a whole."""

    title: str
    version: str
    source: str
    site_url: str


@dataclass(frozen=True)
class Taxonomy:
    """All entries, works, dimensions and the decision tree, validated and cross-linked."""

    meta: Meta
    entries: Mapping[str, Entry]
    works: Mapping[str, Work]
    dimensions: tuple[Dimension, ...] = ()
    decision_tree: tuple[DecisionNode, ...] = ()
    releases: tuple[Release, ...] = ()
    _children: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def build(cls, meta: Meta, entries: list[Entry], works: Mapping[str, Work],
              dimensions: tuple[Dimension, ...] = (), decision_tree: tuple[DecisionNode, ...] = (),
              releases: tuple[Release, ...] = ()) -> Taxonomy:
        """Index validated entries in reading order (position, then title)."""
        ordered = sorted(entries, key=lambda e: (e.order, e.title.lower(), e.id))
        children: dict[str, list[str]] = {}
        for entry in ordered:
            if entry.parent:
                children.setdefault(entry.parent, []).append(entry.id)
        return cls(
            meta=meta,
            entries=MappingProxyType({e.id: e for e in ordered}),
            works=MappingProxyType(dict(sorted(works.items()))),
            dimensions=dimensions,
            decision_tree=decision_tree,
            releases=releases,
            _children=MappingProxyType({k: tuple(v) for k, v in children.items()}),
        )

    def children(self, entry_id: str) -> tuple[Entry, ...]:
        """Direct children of an entry, in reading order."""
        return tuple(self.entries[c] for c in self._children.get(entry_id, ()))

    def ancestors(self, entry_id: str) -> tuple[Entry, ...]:
        """The chain of parents from the root down to (not including) the entry."""
        chain: list[Entry] = []
        parent = self.entries[entry_id].parent
        while parent:
            chain.append(self.entries[parent])
            parent = self.entries[parent].parent
        return tuple(reversed(chain))

    def roots(self, kind: str | None = None) -> tuple[Entry, ...]:
        """Entries with no parent, optionally of one kind."""
        return tuple(e for e in self.entries.values() if e.parent is None and kind in (None, e.kind))

    def of_kind(self, kind: str) -> tuple[Entry, ...]:
        """All entries of a kind, in reading order."""
        return tuple(e for e in self.entries.values() if e.kind == kind)

    def neighbour_pairs(self) -> tuple[tuple[Entry, Entry], ...]:
        """Pairs of failure modes under the same parent, in reading order."""
        modes = self.of_kind("failure-mode")
        return tuple((a, b) for i, a in enumerate(modes) for b in modes[i + 1:] if a.parent == b.parent)

    @staticmethod
    def pair_anchor(a: Entry, b: Entry) -> str:
        """Anchor of the "how to tell them apart" section for two kinds."""
        return f"{a.id}-vs-{b.id}"

    @staticmethod
    def former_pair_anchors(a: Entry, b: Entry) -> tuple[str, ...]:
        """Anchors the pair's section had under the kinds' former ids."""
        return tuple(f"{x}-vs-{y}" for x in (a.id, *a.former_ids) for y in (b.id, *b.former_ids)
                     if (x, y) != (a.id, b.id))

    def related(self, entry_id: str) -> dict[str, tuple[Entry, ...]]:
        """Related entries by relation type, from declarations on either end."""
        found: dict[str, dict[str, Entry]] = {t: {} for t in RELATION_TYPES}
        for entry in self.entries.values():
            for rel in entry.relations:
                if rel.source == entry_id:
                    found[rel.type][rel.target] = self.entries[rel.target]
                elif rel.target == entry_id:
                    found[rel.type][rel.source] = self.entries[rel.source]
        return {t: tuple(sorted(v.values(), key=lambda e: e.title.lower())) for t, v in found.items() if v}

    def current(self, entry_id: str) -> Entry | None:
        """The entry that has this id now, or had it before a rename."""
        return self.entries.get(entry_id) or next((e for e in self.entries.values() if entry_id in e.former_ids), None)

    def referred_by(self, entry_id: str) -> tuple[Entry, ...]:
        """Entries whose text links to this one."""
        return tuple(e for e in self.entries.values() if entry_id in e.links and e.id != entry_id)

    def history(self, entry_id: str) -> tuple[str | None, str | None]:
        """Versions in which an entry first appeared and last changed (None: not yet released)."""
        ids = {entry_id, *self.entries[entry_id].former_ids}
        touched = [r.version for r in self.releases if r.released and (
            ids & {*r.added, *r.changed, *r.retired} or any(new == entry_id for _, new in r.renamed))]
        first = next((r.version for r in self.releases if r.released and ids & set(r.added)), None)
        return first, (touched[-1] if touched else None)

    def cited_by(self, key: str) -> tuple[Entry, ...]:
        """Entries that list or cite a work."""
        return tuple(e for e in self.entries.values() if key in e.all_references)
