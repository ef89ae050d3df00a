"""The taxonomy's data model: frozen dataclasses built by the loader, read by the renderer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .claims import Claim

KINDS = ("failure-mode", "category", "concept")
CLASSIFIABLE = ("failure-mode", "category")
"""The kinds a classification can end at: the decision tree's results, worked cases and crosswalk rows."""
STATUSES = ("active", "deprecated")
EVIDENCE = ("confirmed", "partial", "secondary")
RELATION_TYPES = ("distinct-from", "can-co-occur-with", "often-confused-with")
NOT_STATED = "not-stated"
CASE_EVIDENCE = ("thought-experiment", "lab-demonstration", "observed-in-deployment")
SKOS_RELATIONS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
NO_MATCH = "noMatch"
WORK_TYPES = ("post", "report", "paper", "article", "book", "webpage")
ET_AL = "others"
"""The last item of an author list that is incomplete (BibTeX's "and others"); shown as "et al." everywhere."""


def step_name(question_id: str) -> str:
    """How a decision-tree step is printed everywhere (the tree page, the flowchart, case pages): `q2a` is Q2a."""
    return question_id[:1].upper() + question_id[1:]


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
    def named(self) -> tuple[str, ...]:
        """The authors the bibliography names (without a closing ET_AL)."""
        return tuple(a for a in self.authors if a != ET_AL)

    @property
    def complete(self) -> bool:
        """Whether the author list names every author (it does not end with ET_AL)."""
        return ET_AL not in self.authors

    @property
    def label(self) -> str:
        """Author-year label used for in-text citations: 'A', 'A and B', or 'A et al.' for more or unnamed ones."""
        families = [a.split(",")[0].strip() for a in self.named]
        if not families:
            who = self.container
        elif not self.complete:
            who = f"{families[0]} et al."
        elif len(families) == 1:
            who = families[0]
        elif len(families) == 2:
            who = f"{families[0]} and {families[1]}"
        else:
            who = f"{families[0]} et al."
        return f"{who} {self.year if self.year else 'n.d.'}"

    @property
    def sort_key(self) -> tuple[tuple[str, ...], bool, int, str, str]:
        """Place in a reference list: by authors' names as listed (else the container), then year, then title."""
        names = tuple(a.casefold() for a in self.authors) or (self.container.casefold(),)
        return names, self.year is None, self.year or 0, self.title.casefold(), self.key


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
class Difference:
    """How a failure mode differs from one neighbour (`tell_apart`): one or two cited sentences, inline Markdown."""

    other: str
    text: str
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
    has_footnotes: bool = False
    claims: tuple[Claim, ...] = ()
    tell_apart: tuple[Difference, ...] = ()

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
    """An answer to a decision-tree question: leads to another question, to an entry or to an outcome."""

    label: str
    next: str | None = None
    entry: str | None = None
    line: int = 0
    outcome: str | None = None

    @property
    def key(self) -> str:
        """How a case's path names this answer: the label up to its first colon ("No: ..." is "No")."""
        return self.label.split(":")[0].strip()

    @property
    def result(self) -> str | None:
        """The entry or outcome this answer ends at (None when it leads to another question)."""
        return self.entry or self.outcome


@dataclass(frozen=True)
class Outcome:
    """A result of the tree that names several candidate kinds the surviving text cannot tell apart."""

    id: str
    title: str
    candidates: tuple[str, ...]
    help: str
    line: int


@dataclass(frozen=True)
class RetiredQuestion:
    """A question that has left the tree; its anchor stays published and says what replaced it."""

    id: str
    question: str
    note: str
    line: int


@dataclass(frozen=True)
class DecisionNode:
    """A question in the "which failure mode is this?" tree."""

    id: str
    question: str
    help: str
    answers: tuple[Answer, ...]
    line: int


@dataclass(frozen=True)
class Illustration:
    """A kind a case illustrates, with why; one per case is its primary kind."""

    kind: str
    why: str
    primary: bool
    line: int
    why_line: int = 0
    """The line of its `why` (claim markers there are reported at it)."""


@dataclass(frozen=True)
class PathStep:
    """One answer a reader gives in the decision tree for a case."""

    question: str
    answer: str
    line: int


@dataclass(frozen=True)
class Case:
    """A worked case: a scenario, the kinds it illustrates and its walk through the decision tree."""

    id: str
    title: str
    summary: str
    illustrates: tuple[Illustration, ...]
    evidence: str
    from_post: bool
    path: tuple[PathStep, ...]
    result: str
    body: str
    path_file: str
    body_line: int
    sections: tuple[Section, ...] = ()
    cited: tuple[str, ...] = ()
    citations: tuple[tuple[str, str | None], ...] = ()
    """Each distinct (key, locator) the case cites, in order (the `why` of its kinds first)."""
    claims: tuple[Claim, ...] = ()

    @property
    def primary(self) -> str:
        """The kind the case is chiefly an example of."""
        return next(i.kind for i in self.illustrates if i.primary)


@dataclass(frozen=True)
class CrosswalkRow:
    """One mapping from an established term to a kind of this taxonomy (kind None for noMatch)."""

    term_id: str
    term: str
    source: str
    locator: str | None
    kind: str | None
    relation: str
    justification: str
    confidence: float
    line: int


@dataclass(frozen=True)
class Change:
    """What a release changed in one entry's text, in one line, and whether it corrects a fact or an attribution."""

    id: str
    note: str
    correction: bool = False


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
    commit: str | None = None
    """The commit its frozen edition (editions/<version>.tar.gz) was built from; written by `make freeze`."""
    rebuilt: str | None = None
    """The date its edition was rebuilt from `commit`, for a release older than the editions mechanism."""
    notes: tuple[Change, ...] = ()
    """The one-line notes of the `changed` entries that carry one (written as `{id: …, note: …}` items)."""

    added_cases: tuple[str, ...] = ()
    """The worked cases first published in this release (listed under 'added' beside the entries)."""

    def note(self, entry_id: str) -> Change | None:
        """The note this release records on changing `entry_id`, if any."""
        return next((c for c in self.notes if c.id == entry_id), None)

    @property
    def released(self) -> bool:
        """Whether this version has been published (an upcoming one has no date)."""
        return self.date is not None


@dataclass(frozen=True)
class SourceCopy:
    """A copy, summary or thread we rely on for the post: what it holds, where it stops, how we came by it."""

    key: str
    name: str
    kind: str
    contains: str
    breaks_off: str
    obtained: str
    line: int = 0


@dataclass(frozen=True)
class Meta:
    """Facts about the taxonomy as a whole."""

    title: str
    version: str
    source: str
    site_url: str
    source_line: int = 1
    """The line of 'source' in taxonomy.yaml (checked against the bibliography, which is read later)."""
    cases_per_failure_mode: int = 0
    """How many worked cases each failure mode in a released version needs as its primary kind."""


@dataclass(frozen=True)
class _Indexes:
    """Lookups built once per taxonomy, so that no question about one entry scans all of them."""

    related: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=lambda: MappingProxyType({}))
    referred_by: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    cited_by: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    added_in: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    touched_in: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    renamed_in: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    siblings: Mapping[str | None, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    cases_for: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    cases_reaching: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    cases_ending: Mapping[tuple[str, str], tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    terms_for: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    former: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    case_at: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def build(cls, ordered: list[Entry], releases: tuple[Release, ...], cases: tuple[Case, ...] = (),
              crosswalk: tuple[CrosswalkRow, ...] = ()) -> _Indexes:
        """Index relations (both ends), links, citations, releases, failure modes by parent, former ids, and the
        cases and crosswalk rows of each kind (by position in the taxonomy's own tuples, in their order)."""
        by_id = {e.id: e for e in ordered}
        related: dict[str, dict[str, dict[str, None]]] = {}
        referred_by: dict[str, list[str]] = {}
        cited_by: dict[str, list[str]] = {}
        siblings: dict[str | None, list[str]] = {}
        for entry in ordered:
            for rel in entry.relations:
                related.setdefault(rel.source, {}).setdefault(rel.type, {})[rel.target] = None
                related.setdefault(rel.target, {}).setdefault(rel.type, {})[rel.source] = None
            for target in entry.links:
                if target != entry.id:
                    referred_by.setdefault(target, []).append(entry.id)
            for key in entry.all_references:
                cited_by.setdefault(key, []).append(entry.id)
            if entry.kind == "failure-mode":
                siblings.setdefault(entry.parent, []).append(entry.id)
        added_in: dict[str, list[int]] = {}
        touched_in: dict[str, list[int]] = {}
        renamed_in: dict[str, list[int]] = {}
        for index, release in enumerate(releases):
            if not release.released:
                continue
            for entry_id in release.added:
                added_in.setdefault(entry_id, []).append(index)
            for entry_id in {*release.added, *release.changed, *release.retired}:
                touched_in.setdefault(entry_id, []).append(index)
            for _, new in release.renamed:
                renamed_in.setdefault(new, []).append(index)
        cases_for: dict[str, list[int]] = {}
        cases_reaching: dict[str, list[int]] = {}
        cases_ending: dict[tuple[str, str], list[int]] = {}
        for index, case in enumerate(cases):
            for kind in dict.fromkeys(i.kind for i in case.illustrates):
                cases_for.setdefault(kind, []).append(index)
            cases_reaching.setdefault(case.result, []).append(index)
            if case.path:
                cases_ending.setdefault((case.path[-1].question, case.path[-1].answer), []).append(index)
        terms_for: dict[str, list[int]] = {}
        for index, row in enumerate(crosswalk):
            if row.kind is not None:
                terms_for.setdefault(row.kind, []).append(index)
        former: dict[str, str] = {}
        for entry in ordered:
            for old in entry.former_ids:
                former.setdefault(old, entry.id)
        title = lambda entry_id: by_id[entry_id].title.lower()  # noqa: E731
        return cls(
            related=MappingProxyType({entry_id: MappingProxyType({t: tuple(sorted(ids, key=title))
                                                                  for t, ids in types.items()})
                                      for entry_id, types in related.items()}),
            referred_by=MappingProxyType({k: tuple(v) for k, v in referred_by.items()}),
            cited_by=MappingProxyType({k: tuple(v) for k, v in cited_by.items()}),
            added_in=MappingProxyType({k: tuple(v) for k, v in added_in.items()}),
            touched_in=MappingProxyType({k: tuple(v) for k, v in touched_in.items()}),
            renamed_in=MappingProxyType({k: tuple(v) for k, v in renamed_in.items()}),
            siblings=MappingProxyType({k: tuple(v) for k, v in siblings.items()}),
            cases_for=MappingProxyType({k: tuple(v) for k, v in cases_for.items()}),
            case_at=MappingProxyType({case.id: i for i, case in enumerate(cases)}),
            cases_reaching=MappingProxyType({k: tuple(v) for k, v in cases_reaching.items()}),
            cases_ending=MappingProxyType({k: tuple(v) for k, v in cases_ending.items()}),
            terms_for=MappingProxyType({k: tuple(v) for k, v in terms_for.items()}),
            former=MappingProxyType(former),
        )


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
    sources: tuple[SourceCopy, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    retired_questions: tuple[RetiredQuestion, ...] = ()
    cases: tuple[Case, ...] = ()
    crosswalk: tuple[CrosswalkRow, ...] = ()
    _index: _Indexes = field(default_factory=_Indexes)

    @classmethod
    def build(cls, meta: Meta, entries: list[Entry], works: Mapping[str, Work],
              dimensions: tuple[Dimension, ...] = (), decision_tree: tuple[DecisionNode, ...] = (),
              releases: tuple[Release, ...] = (), sources: tuple[SourceCopy, ...] = (),
              outcomes: tuple[Outcome, ...] = (), retired_questions: tuple[RetiredQuestion, ...] = (),
              cases: tuple[Case, ...] = (), crosswalk: tuple[CrosswalkRow, ...] = ()) -> Taxonomy:
        """Index validated entries in the taxonomy's own reading order (depth first), works by author and year.

        Siblings go by position, then title; each entry comes right after its parent and before its parent's
        next sibling, so inner kinds come before outer ones, and both before human misalignment.
        """
        by_id = {e.id: e for e in entries}

        def place(entry: Entry) -> tuple[tuple[int, str, str], ...]:
            chain: list[tuple[int, str, str]] = []
            seen: set[str] = set()
            current: Entry | None = entry
            while current is not None and current.id not in seen:  # loops are reported by the loader
                seen.add(current.id)
                chain.append((current.order, current.title.lower(), current.id))
                current = by_id.get(current.parent) if current.parent else None
            return tuple(reversed(chain))

        ordered = sorted(entries, key=place)
        sorted_cases = tuple(sorted(cases, key=lambda c: (c.title.lower(), c.id)))
        children: dict[str, list[str]] = {}
        for entry in ordered:
            if entry.parent:
                children.setdefault(entry.parent, []).append(entry.id)
        return cls(
            meta=meta,
            entries=MappingProxyType({e.id: e for e in ordered}),
            works=MappingProxyType({w.key: w for w in sorted(works.values(), key=lambda w: w.sort_key)}),
            dimensions=dimensions,
            decision_tree=decision_tree,
            releases=releases,
            _children=MappingProxyType({k: tuple(v) for k, v in children.items()}),
            sources=sources,
            outcomes=outcomes,
            retired_questions=retired_questions,
            cases=sorted_cases,
            crosswalk=crosswalk,
            _index=_Indexes.build(ordered, releases, sorted_cases, crosswalk),
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
        pairs = []
        for a in self.of_kind("failure-mode"):
            siblings = self._index.siblings[a.parent]
            pairs += [(a, self.entries[b]) for b in siblings[siblings.index(a.id) + 1:]
                      if self.entries[b].kind == "failure-mode"]
        return tuple(pairs)

    @staticmethod
    def difference(a: Entry, b: Entry) -> Difference | None:
        """How two neighbours differ, in the words of whichever of the two files says it (`tell_apart`)."""
        return next((d for first, second in ((a, b), (b, a)) for d in first.tell_apart if d.other == second.id),
                    None)

    @staticmethod
    def pair_anchor(a: Entry, b: Entry) -> str:
        """Anchor of the "how to tell them apart" section for two kinds."""
        return f"{a.id}-vs-{b.id}"

    @staticmethod
    def former_pair_anchors(a: Entry, b: Entry) -> tuple[str, ...]:
        """Anchors the pair's section had under the kinds' former ids, or with the two kinds in the other order
        (the order follows the reading order, which a contributor may change)."""
        return tuple(dict.fromkeys(f"{x}-vs-{y}" for first, second in ((a, b), (b, a))
                                   for x in (first.id, *first.former_ids) for y in (second.id, *second.former_ids)
                                   if (x, y) != (a.id, b.id)))

    def related(self, entry_id: str) -> dict[str, tuple[Entry, ...]]:
        """Related entries by relation type, from declarations on either end."""
        found = self._index.related.get(entry_id, {})
        return {t: tuple(self.entries[i] for i in found[t]) for t in RELATION_TYPES if t in found}

    def current(self, entry_id: str) -> Entry | None:
        """The entry that has this id now, or had it before a rename."""
        if entry_id in self.entries:
            return self.entries[entry_id]
        current = self._index.former.get(entry_id)
        return self.entries[current] if current is not None else None

    def referred_by(self, entry_id: str) -> tuple[Entry, ...]:
        """Entries whose text links to this one."""
        return tuple(self.entries[i] for i in self._index.referred_by.get(entry_id, ()))

    def history(self, entry_id: str) -> tuple[str | None, str | None]:
        """Versions in which an entry first appeared and last changed (None: not yet released)."""
        ids = (entry_id, *self.entries[entry_id].former_ids)
        added = [i for old in ids for i in self._index.added_in.get(old, ())]
        touched = [i for old in ids for i in self._index.touched_in.get(old, ())]
        touched += self._index.renamed_in.get(entry_id, ())
        return (self.releases[min(added)].version if added else None,
                self.releases[max(touched)].version if touched else None)

    def cited_by(self, key: str) -> tuple[Entry, ...]:
        """Entries that list or cite a work."""
        return tuple(self.entries[i] for i in self._index.cited_by.get(key, ()))

    def case(self, case_id: str) -> Case:
        """The worked case with this id."""
        return self.cases[self._index.case_at[case_id]]

    def cases_for(self, entry_id: str) -> tuple[Case, ...]:
        """Cases that illustrate an entry: the post's own first, then those where it is primary, then by title."""
        found = [self.cases[i] for i in self._index.cases_for.get(entry_id, ())]
        return tuple(sorted(found, key=lambda c: (not c.from_post, c.primary != entry_id, c.title.lower())))

    def cases_reaching(self, result: str) -> tuple[Case, ...]:
        """Cases whose path through the tree ends at an entry or outcome."""
        return tuple(self.cases[i] for i in self._index.cases_reaching.get(result, ()))

    def cases_ending_at(self, question_id: str, answer_key: str) -> tuple[Case, ...]:
        """Cases whose path through the tree ends with this answer to this question."""
        return tuple(self.cases[i] for i in self._index.cases_ending.get((question_id, answer_key), ()))

    def outcome(self, outcome_id: str) -> Outcome | None:
        """The tree outcome with this id, if any."""
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def related_terms(self, entry_id: str) -> tuple[CrosswalkRow, ...]:
        """Crosswalk rows that map an established term to this entry."""
        return tuple(self.crosswalk[i] for i in self._index.terms_for.get(entry_id, ()))
