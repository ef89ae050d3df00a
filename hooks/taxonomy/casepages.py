"""Pages for worked cases and the crosswalk: `/cases/`, `/cases/<id>/`, `/crosswalk/`, the SSSOM export, and the
case lists that entry pages and the decision tree show. Untrusted text is escaped for the Markdown it lands in."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import citation, crosswalk, export, pages
from .escaping import md_text
from .model import CASE_EVIDENCE, NO_MATCH, Case, DecisionNode, Entry, Taxonomy
from .urls import built_url, case_path

if TYPE_CHECKING:
    from .render import Renderer

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
_HEADING = re.compile(r"^#{1,2}\s.*\{#([a-z0-9-]+)\}\s*$")
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:")

assert set(EVIDENCE_LABELS) == set(CASE_EVIDENCE) == set(EVIDENCE_MEANINGS)


def with_cases(body: str, entry: Entry, block: str) -> str:
    """An entry body with the block of its worked cases added at the end of its Example section."""
    if not block:
        return body
    lines = body.split("\n")
    start = next((i for i, line in enumerate(lines) if (m := _HEADING.match(line)) and m.group(1) == "example"), None)
    if start is None:
        return body
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("## ") or _FOOTNOTE_DEFINITION.match(lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[:end] + ["", block.rstrip(), ""] + lines[end:])


class CasePages:
    """Renders the case and crosswalk pages with a Renderer's templates, links and citations."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.taxonomy: Taxonomy = renderer.taxonomy
        self._questions: dict[str, DecisionNode] | None = None
        renderer.env.filters["md"] = md_text
        renderer.env.globals.update(evidence_labels=EVIDENCE_LABELS, evidence_meanings=EVIDENCE_MEANINGS,
                                    relation_text=RELATION_TEXT, case_path=case_path, no_match=NO_MATCH)

    def builders(self) -> dict[str, Callable[[str], str]]:
        """What writes each page type of this module: the case index and pages, the crosswalk and its SSSOM export."""
        by_id = {case.id: case for case in self.taxonomy.cases}
        return {
            "cases": lambda _: self.index(),
            "case": lambda case_id: self.case_page(by_id[case_id]),
            "crosswalk": lambda _: self.renderer._render("crosswalk.md.j2", page=pages.CROSSWALK.path,
                                                         terms=self.terms(), sssom=pages.SSSOM.path),
            "sssom": lambda _: crosswalk.sssom_tsv(self.taxonomy),
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
        return self.renderer._render(
            "case.md.j2", page=page, case=case, steps=steps, outcome=outcome,
            body=self.renderer.markdown(case.body, page).strip(), works=works,
            jsonld=export.case_json_ld(self.taxonomy, case),
            citation_meta=citation.meta_tags(citation.case_record(self.taxonomy, case)),
            result_entry=self.taxonomy.entries.get(case.result),
            tree_url=built_url(page, pages.DECISION_TREE.path, self.renderer.directory_urls))

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
        return self.renderer._render("cases.md.j2", page=page, kinds=kinds, grades=grades)

    def example_block(self, entry: Entry, page: str) -> str:
        """Markdown listing an entry's worked cases, the post's own first, each with its evidence grade."""
        cases = self.taxonomy.cases_for(entry.id)
        if not cases:
            return ""
        return self.renderer._render("case-list.md.j2", page=page, entry=entry, cases=cases).strip()

    def terms(self) -> list[tuple[str, str, list[object]]]:
        """Crosswalk rows grouped by term, in file order: (term id, term, rows)."""
        grouped: dict[str, tuple[str, str, list[object]]] = {}
        for row in self.taxonomy.crosswalk:
            grouped.setdefault(row.term_id, (row.term_id, row.term, []))[2].append(row)
        return list(grouped.values())
