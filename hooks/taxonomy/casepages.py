"""Pages for worked cases and the crosswalk: `/cases/`, `/cases/<id>/`, `/crosswalk/`, the SSSOM export, and the
case lists that entry pages and the decision tree show. Untrusted text is escaped for the Markdown it lands in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from markupsafe import Markup

from . import citation, crosswalk, export, pages
from .escaping import md_text
from .model import CASE_EVIDENCE, NO_MATCH, Case, DecisionNode, Entry, Section, Taxonomy
from .urls import built_url, case_path, name_slug

EVIDENCE_LABELS = {"thought-experiment": "Thought experiment", "lab-demonstration": "Lab demonstration",
                   "observed-in-deployment": "Observed in deployment"}
EVIDENCE_MEANINGS = {
    "thought-experiment": "a scenario constructed to make a point; nothing was run or observed",
    "lab-demonstration": "shown in experiments or training runs that researchers report",
    "observed-in-deployment": "seen in a system released to users",
}
RELATION_TEXT = {
    "exactMatch": "same meaning",
    "closeMatch": "nearly the same meaning",
    "broadMatch": "our kind is broader",
    "narrowMatch": "our kind is narrower",
    "relatedMatch": "related; neither contains the other",
    NO_MATCH: "no kind of this taxonomy corresponds",
}

assert set(EVIDENCE_LABELS) == set(CASE_EVIDENCE) == set(EVIDENCE_MEANINGS)
TEMPLATE_GLOBALS = {"evidence_labels": EVIDENCE_LABELS, "evidence_meanings": EVIDENCE_MEANINGS,
                    "relation_text": RELATION_TEXT, "case_path": case_path, "no_match": NO_MATCH}
"""What the templates of case and crosswalk pages use, beside what every page template has."""
TEMPLATE_FILTERS = {"md": md_text}


class Writer(Protocol):
    """What these pages need of a renderer: its taxonomy, its URL style, its templates and its Markdown."""

    taxonomy: Taxonomy
    directory_urls: bool

    def render(self, template: str, page: str, **context: object) -> str:
        """A template rendered for the page at a docs path."""
        ...  # pragma: no cover

    def markdown(self, body: str, page: str) -> Markup:
        """A Markdown body with wiki links, citations and claim markers converted."""
        ...  # pragma: no cover

    def lead_and_sections(self, body: str, sections: tuple[Section, ...], body_line: int, page: str
                          ) -> tuple[Markup, list[str], int]:
        """A body converted, split where its first section begins (see `Renderer.lead_and_sections`)."""
        ...  # pragma: no cover


def example_end(entry: Entry, lines: list[str]) -> int | None:
    """Where an entry body's worked cases go (a line offset into the body's lines): at the end of its Example
    section, before the blank lines that close it. The sections are those the loader's scan found, so a
    heading-like line inside a code block never ends the section."""
    sections = list(entry.sections)
    start = next((i for i, s in enumerate(sections) if s.id == "example"), None)
    if start is None:
        return None
    first = sections[start].line - entry.body_line
    end = next((s.line - entry.body_line for s in sections[start + 1:] if s.level <= sections[start].level),
               len(lines))
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    return end


class CasePages:
    """Renders the case and crosswalk pages with a Renderer's templates, links and citations."""

    def __init__(self, renderer: Writer) -> None:
        self.renderer = renderer
        self.taxonomy: Taxonomy = renderer.taxonomy
        self._questions: dict[str, DecisionNode] | None = None

    def builders(self) -> dict[pages.Page, Callable[[str], str]]:
        """What writes each page type of this module: the case index and pages, the crosswalk and its SSSOM export."""
        by_id = {case.id: case for case in self.taxonomy.cases}
        return {
            pages.CASES: lambda _: self.index(),
            pages.CASE: lambda case_id: self.case_page(by_id[case_id]),
            pages.CROSSWALK: lambda _: self.renderer.render("crosswalk.md.j2", page=pages.CROSSWALK.path,
                                                         terms=self.terms(), sssom=pages.SSSOM.path,
                                                         term_path=pages.TERM.path_of),
            pages.TERM: lambda term_id: self.term_page(term_id),
            pages.SSSOM: lambda _: crosswalk.sssom_tsv(self.taxonomy),
        }

    def nav(self) -> list[object]:
        """Nav items: the index of worked cases (cases are reached through it, as concepts are through theirs, so
        the nav stays the same size as cases are added) and the crosswalk."""
        sections: list[object] = []
        if self.taxonomy.cases:
            sections.append({"Worked cases": pages.CASES.path})
        if self.taxonomy.crosswalk:
            sections.append({"Crosswalk to established terms": pages.CROSSWALK.path})
        return sections

    def case_page(self, case: Case) -> str:
        """The page of one case: what it illustrates, its account, and its walk through the tree."""
        page = case_path(case.id)
        steps = []
        questions = self.questions()
        for step in case.path:
            answer = next(a for a in questions[step.question].answers if a.key == step.answer)
            steps.append((questions[step.question], answer))
        outcome = self.taxonomy.outcome(case.result)
        works = [self.taxonomy.works[k] for k in case.cited]
        return self.renderer.render(
            "case.md.j2", page=page, case=case, steps=steps, outcome=outcome,
            **self.body(case, page), works=works,
            jsonld=export.case_json_ld(self.taxonomy, case),
            citation_meta=citation.meta_tags(citation.case_record(self.taxonomy, case)),
            result_entry=self.taxonomy.entries.get(case.result),
            tree_url=built_url(page, pages.DECISION_TREE.path, self.renderer.directory_urls))

    def body(self, case: Case, page: str) -> dict[str, Markup]:
        """A case's body as `lead` (the text before its first section, shown at the top of the page) and `body`."""
        lead, lines, _ = self.renderer.lead_and_sections(case.body, case.sections, case.body_line, page)
        return {"lead": lead, "body": Markup("\n".join(lines).strip())}

    def questions(self) -> dict[str, DecisionNode]:
        """The tree's questions by id (built once for all the case pages)."""
        if self._questions is None:
            self._questions = {q.id: q for q in self.taxonomy.decision_tree}
        return self._questions

    def index(self) -> str:
        """The index of cases, grouped by the kinds they illustrate and by evidence grade."""
        page = pages.CASES.path
        kinds = [e for e in self.taxonomy.entries.values() if self.taxonomy.cases_for(e.id)]
        grades = [(g, [c for c in self.taxonomy.cases if c.evidence == g]) for g in CASE_EVIDENCE]
        return self.renderer.render("cases.md.j2", page=page, kinds=kinds, grades=grades)

    def example_block(self, entry: Entry, page: str) -> str:
        """Markdown listing an entry's worked cases, the post's own first, each with its evidence grade."""
        cases = self.taxonomy.cases_for(entry.id)
        if not cases:
            return ""
        return self.renderer.render("case-list.md.j2", page=page, entry=entry, cases=cases).strip()

    def term_page(self, term_id: str) -> str:
        """A crosswalk term's own page: searched for by its name, it comes first, unless an entry has that name (the
        entry is the site's own page on it, and links to the crosswalk)."""
        term = next(t for t in self.terms() if t[0] == term_id)
        named = {name_slug(n) for e in self.taxonomy.entries.values() for n in (e.title, *e.aliases)}
        return self.renderer.render("term.md.j2", page=pages.TERM.path_of(term_id), term=term,
                                     crosswalk=pages.CROSSWALK.path,
                                     boost=None if name_slug(term[1]) in named else pages.SEARCH_BOOST)

    def terms(self) -> list[tuple[str, str, list[object]]]:
        """Crosswalk rows grouped by term, in file order: (term id, term, rows)."""
        grouped: dict[str, tuple[str, str, list[object]]] = {}
        for row in self.taxonomy.crosswalk:
            grouped.setdefault(row.term_id, (row.term_id, row.term, []))[2].append(row)
        return list(grouped.values())
