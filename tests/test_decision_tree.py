"""Broken decision trees are rejected with exact messages; the built page has every anchor and result."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import ROOT, Site, edit
from taxonomy.loader import check, load

T = "taxonomy_src/decision-tree.yaml"

CASES = [
    ("leaf is not an entry", "{label: \"Yes\", entry: beta}", "{label: \"Yes\", entry: bravo}",
     [f"{T}:13: question 'second' leads to an unknown entry (got entry: bravo). Fix: use an existing entry id.",
      f"{T}:1: failure mode 'beta' is not a result of any path (got no answer with 'entry: beta'). "
      "Fix: add an answer with 'entry: beta' to a question of the tree."]),
    ("next is not a question", "next: second", "next: secnd",
     [f"{T}:8: question 'start' leads to an unknown question (got next: secnd). Fix: use one of start, second.",
      f"{T}:9: question 'second' cannot be reached from the root 'start' (got no answer leading to it). "
      "Fix: link it from an answer or remove it.",
      f"{T}:1: failure mode 'beta' is not a result of any path (got no answer with 'entry: beta'). "
      "Fix: add an answer with 'entry: beta' to a question of the tree."]),
    ("cycle", "{label: \"No\", entry: group}", "{label: \"No\", next: start}",
     [f"{T}:3: the tree loops back to question 'start' (got the path start -> second -> start). "
      "Fix: every answer must lead further down the tree."]),
    ("unreachable question", "      - {label: \"No\", entry: group}",
     "      - {label: \"No\", entry: group}\n  - id: third\n    question: Orphan?\n    help: None.\n"
     "    answers:\n      - {label: \"Yes\", entry: alpha}\n      - {label: \"No\", entry: beta}",
     [f"{T}:15: question 'third' cannot be reached from the root 'start' (got no answer leading to it). "
      "Fix: link it from an answer or remove it."]),
    ("fewer than two answers", "      - {label: \"No\", entry: group}\n", "",
     [f"{T}:13: question 'second' needs at least two answers (got 1). Fix: add answers.",
      f"{T}:1: failure mode 'beta' is not a result of any path (got no answer with 'entry: beta'). "
      "Fix: add an answer with 'entry: beta' to a question of the tree."]),
    ("failure mode unreachable", "{label: \"Yes\", entry: alpha}", "{label: \"Yes\", entry: group}",
     [f"{T}:1: failure mode 'alpha' is not a result of any path (got no answer with 'entry: alpha'). "
      "Fix: add an answer with 'entry: alpha' to a question of the tree."]),
    ("answer with both targets", "{label: \"Yes\", entry: alpha}", "{label: \"Yes\", entry: alpha, next: second}",
     [f"{T}:7: an answer needs a 'label' and exactly one of 'next', 'entry' or 'outcome' (got label, entry, next). "
      "Fix: e.g. '- {label: Yes, next: q2}'.",
      f"{T}:1: failure mode 'alpha' is not a result of any path (got no answer with 'entry: alpha'). "
      "Fix: add an answer with 'entry: alpha' to a question of the tree."]),
    ("root is not a question", "root: start", "root: begin",
     [f"{T}:1: 'root' is not a question id (got 'begin'). Fix: use one of start, second."]),
    ("duplicate question id", "  - id: second", "  - id: start",
     [f"{T}:9: duplicate question id 'start' (got it twice). Fix: rename one.",
      f"{T}:8: question 'start' leads to an unknown question (got next: second). Fix: use one of start.",
      f"{T}:1: failure mode 'beta' is not a result of any path (got no answer with 'entry: beta'). "
      "Fix: add an answer with 'entry: beta' to a question of the tree."]),
    ("help links to an unknown entry", "help: See [[beta]].", "help: See [[bet]].",
     [f"{T}:11: link to an unknown entry (got '[[bet]]'). Fix: use an existing id (did you mean 'beta'?)."]),
]


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_tree_is_reported_exactly(sources: Path, old: str, new: str, expected: list[str]) -> None:
    """Each broken tree yields exactly its messages, in the path:line form."""
    edit(sources / "decision-tree.yaml", old, new)
    assert sorted(str(p) for p in check(sources, sources.parent)) == sorted(expected)


TAXONOMY = load(ROOT / "taxonomy_src", ROOT)


def test_every_question_has_its_anchor_and_answers(site: Site) -> None:
    """Each question is a heading with a stable #id, and each answer links to its next step or its entry."""
    page = site.page("decision-tree/")
    for question in TAXONOMY.decision_tree:
        heading = page.find(id=question.id)
        assert heading is not None and heading.name == "h3", question.id
        answers = heading.find_next_sibling("ul")
        targets = [a["href"] for li in answers.find_all("li", recursive=False) for a in li.find_all("a")[:1]]
        expected = [f"#{a.next or a.outcome}" if a.next or a.outcome else f"../taxonomy/{a.entry}/"
                    for a in question.answers]
        assert targets == expected


def test_every_leaf_links_to_an_existing_entry_page(site: Site) -> None:
    """Every result in the outline and in the flowchart is an entry page that was built."""
    page = site.page("decision-tree/")
    leaves = {a["href"] for a in page.select("article a[href^='../taxonomy/']")}
    leaves |= {a["xlink:href"] for a in page.select("svg.tx-flowchart a") if a["xlink:href"].startswith("../")}
    results = {f"../taxonomy/{a.entry}/" for q in TAXONOMY.decision_tree for a in q.answers if a.entry}
    assert results <= leaves
    for href in leaves:
        assert (site.root / urljoin("decision-tree/", href).lstrip("/") / "index.html").exists(), href


def test_flowchart_is_inline_svg_with_every_question(site: Site) -> None:
    """The flowchart is drawn at build time: one linked box per question and per result."""
    svg = site.page("decision-tree/").select_one("svg.tx-flowchart")
    assert svg is not None
    questions = {a["xlink:href"] for a in svg.select("a.tx-question")}
    assert questions == {f"#{q.id}" for q in TAXONOMY.decision_tree}
    results = len(svg.select("a.tx-result"))
    assert results == sum(1 for q in TAXONOMY.decision_tree for a in q.answers if a.next is None)


def test_walk_falls_back_to_outline_without_javascript(site: Site) -> None:
    """Without JavaScript the walk container stays hidden and the outline carries the whole tree."""
    walk = site.page("decision-tree/").find(id="tx-walk")
    assert walk.has_attr("hidden") and walk.get_text(strip=True) == ""
