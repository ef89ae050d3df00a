"""decision-tree.yaml, worked cases and crosswalk.yaml: the rules that tests/test_decision_tree.py and
tests/test_cases.py do not table, each with its exact message (minimal fixture, plus the cases overlay)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import change
from taxonomy.loader import check

T = "taxonomy_src/decision-tree.yaml"
C = "taxonomy_src/cases/"
X = "taxonomy_src/crosswalk.yaml"
TREE, GC, BC = "decision-tree.yaml", "cases/group-case.md", "cases/beta-case.md"
FIX_PATH = "Fix: update the case's path, or the tree."
BETA_UNREACHED = (f"{T}:1: failure mode 'beta' is not a result of any path (got no answer with 'entry: beta'). "
                  "Fix: add an answer with 'entry: beta' to a question of the tree.")
SECOND_UNKNOWN = f"{T}:8: question 'start' leads to an unknown question (got next: second). Fix: use one of start."
EITHER_DROPPED = [f"{T}:15: question 'second' leads to an unknown outcome (got outcome: either). Fix: use one of "
                  "(none) or add it under 'outcomes'.",
                  f"{C}unsure-case.md:11: the decision tree now sends this case to either (path start→second), but "
                  f"the case's primary kind is beta. {FIX_PATH}"]
MAPPING = ("      - kind: alpha\n        relation: closeMatch\n"
           "        justification: Both name the same test failure.\n        confidence: 0.8")

Change = tuple[str, str | None, str | None]

# The minimal fixture: (case id, [(file under taxonomy_src/, text to replace or None, replacement)], expected)
TREE_CASES: list[tuple[str, list[Change], list[str]]] = [
    ("missing tree", [(TREE, None, None)],
     [f"{T}:1: required file is missing (got no decision-tree.yaml). Fix: create it."]),
    ("no root", [(TREE, "root: start\n", "")],
     [f"{T}:1: the tree needs 'root' and 'questions' (got ['questions']). "
      "Fix: write 'root: <question id>' and a 'questions:' list."]),
    ("tree that is a list", [(TREE, None, "- start\n")],
     [f"{T}:1: the tree needs 'root' and 'questions' (got list). "
      "Fix: write 'root: <question id>' and a 'questions:' list."]),
    ("unknown top-level field", [(TREE, "root: start", "root: start\nintro: Hello.")],
     [f"{T}:2: unknown field 'intro' (got 'intro'). Fix: remove it or use one of root, questions, outcomes, retired."]),
    ("questions as a mapping", [(TREE, None, "root: start\nquestions: {start: x}\n")],
     [f"{T}:2: 'questions' must be a list (got mapping). Fix: start each with '- id:'.",
      f"{T}:1: 'root' is not a question id (got 'start'). Fix: use one of (no valid questions)."]),
    ("question that is not a mapping", [(TREE, "  - id: second", "  - second\n  - id: second")],
     ["taxonomy_src/decision-tree.yaml:9: a question must be a mapping of fields (got text 'second'). Fix: "
      "write it as '{id: ..., question: ..., help: ..., answers: ...}'."]),
    ("unknown question field", [(TREE, "    question: Is it beta?", "    question: Is it beta?\n    hint: x")],
     ["taxonomy_src/decision-tree.yaml:11: unknown field 'hint' in a question (got 'hint'). Fix: remove it or use "
      'one of id, question, help, answers.']),
    ("question without help", [(TREE, "    help: See [[beta]].\n", "")],
     ["taxonomy_src/decision-tree.yaml:1: failure mode 'beta' is not a result of any path (got no answer with "
      "'entry: beta'). Fix: add an answer with 'entry: beta' to a question of the tree.",
      "taxonomy_src/decision-tree.yaml:8: question 'start' leads to an unknown question (got next: second). "
      'Fix: use one of start.',
      'taxonomy_src/decision-tree.yaml:9: a question is missing help (got id, question, answers). Fix: add '
      "'help: ...'."]),
    ("question id with capitals", [(TREE, "  - id: second", "  - id: Second")],
     [f"{T}:9: question id must be a lowercase slug (got 'Second'). Fix: e.g. 'q7'.", SECOND_UNKNOWN, BETA_UNREACHED]),
    ("empty question", [(TREE, "question: Is it beta?", 'question: ""')],
     [f"{T}:10: 'question' must be non-empty text (got text ''). Fix: write 'question: <text>'."]),
    ("unknown answer field", [(TREE, '{label: "Yes", entry: beta}', '{label: "Yes", entry: beta, note: x}')],
     [f"{T}:13: unknown field 'note' in an answer (got 'note'). Fix: remove it or use one of label, next, entry, "
      "outcome."]),
    ("answer leading to an unknown outcome", [(TREE, '{label: "No", entry: group}', '{label: "No", outcome: neither}')],
     [f"{T}:14: question 'second' leads to an unknown outcome (got outcome: neither). Fix: use one of (none) or "
      "add it under 'outcomes'."]),
]

# The cases overlay (tree with an outcome and a retired question, four cases, a crosswalk)
CASE_CASES: list[tuple[str, list[Change], list[str]]] = [
    ("released failure mode with too few cases",
     [("taxonomy.yaml", "source: post", "source: post\ncases_per_failure_mode: 2")],
     ["taxonomy_src/entries/alpha.md:4: failure mode 'alpha' is in released version 1.2.3 but has 1 worked case(s) "
      "with it as their primary kind (got alpha-case). Fix: add cases whose primary kind is alpha ('make new-case "
      "ID=... KIND=alpha') until there are 2, the minimum that 'cases_per_failure_mode' in taxonomy.yaml sets."]),
    ("failure mode of the upcoming release without enough cases yet",
     [("taxonomy.yaml", "source: post", "source: post\ncases_per_failure_mode: 2"),
      ("changelog.yaml", "added: [alpha, beta", "added: [beta"),
      ("changelog.yaml", "    retired: []", '    retired: []\n  - version: "1.3.0"\n    date: null\n'
                                           "    summary: Later.\n    added: [alpha]")],
     []),
    ("question help citing an unknown work", [(TREE, "help: See [[alpha]] [@post].", "help: See [[alpha]] [@pots].")],
     [f"{T}:5: unknown citation key 'pots' (got '[@pots]'). Fix: use a key from taxonomy_src/bibliography.yaml "
      "(did you mean 'post'?) or add the work there."]),
    ("outcome help citing an unknown work", [(TREE, "[[beta]] [@other].", "[[beta]] [@othr].")],
     [f"{T}:20: unknown citation key 'othr' (got '[@othr]'). Fix: use a key from taxonomy_src/bibliography.yaml "
      "(did you mean 'other'?) or add the work there."]),
    ("retired note citing an unknown work", [(TREE, "see [[alpha]].", "see [[alpha]] [@zz9].")],
     [f"{T}:24: unknown citation key 'zz9' (got '[@zz9]'). Fix: use a key from "
      "taxonomy_src/bibliography.yaml or add the work there."]),
    # --- outcomes and retired questions of the tree ---
    ("outcomes as a mapping", [(TREE, "outcomes:\n  - id: either", "outcomes: {either: x}\nx:\n  - id: either")],
     ["taxonomy_src/decision-tree.yaml:15: question 'second' leads to an unknown outcome (got outcome: either)."
      " Fix: use one of (none) or add it under 'outcomes'.",
      "taxonomy_src/decision-tree.yaml:16: 'outcomes' must be a list (got mapping). Fix: start each with '- "
      "id:'.",
      "taxonomy_src/decision-tree.yaml:17: unknown field 'x' (got 'x'). Fix: remove it or use one of root, questions, "
      'outcomes, retired.']),
    ("outcome that is not a mapping", [(TREE, "outcomes:\n", "outcomes:\n  - either\n")],
     ["taxonomy_src/decision-tree.yaml:17: an item of 'outcomes' must be a mapping of fields (got text "
      "'either'). Fix: write it as '{id: ..., title: ..., candidates: ..., help: ...}'."]),
    ("unknown outcome field", [(TREE, "    title: Alpha or beta", "    title: Alpha or beta\n    note: x")],
     ["taxonomy_src/decision-tree.yaml:19: unknown field 'note' in an item of 'outcomes' (got 'note'). Fix: "
      'remove it or use one of id, title, candidates, help.']),
    ("outcome without help", [(TREE, "    help: Only a test tells [[alpha]] from [[beta]] [@other].\n", "")],
     ["taxonomy_src/decision-tree.yaml:15: question 'second' leads to an unknown outcome (got outcome: either)."
      " Fix: use one of (none) or add it under 'outcomes'.",
      "taxonomy_src/decision-tree.yaml:17: an item of 'outcomes' is missing help (got id, title, candidates). "
      "Fix: add 'help: ...'."]),
    ("outcome with an empty title", [(TREE, "title: Alpha or beta", 'title: ""')],
     ["taxonomy_src/decision-tree.yaml:15: question 'second' leads to an unknown outcome (got outcome: either)."
      " Fix: use one of (none) or add it under 'outcomes'.",
      "taxonomy_src/decision-tree.yaml:18: 'title' must be non-empty text (got text ''). Fix: write 'title: <text>'."]),
    ("outcome id with capitals", [(TREE, "  - id: either", "  - id: Either")],
     ["taxonomy_src/decision-tree.yaml:15: question 'second' leads to an unknown outcome (got outcome: either)."
      " Fix: use one of (none) or add it under 'outcomes'.",
      "taxonomy_src/decision-tree.yaml:17: id must be a lowercase slug (got 'Either'). Fix: e.g. 'cannot-tell'."]),
    ("candidate that is a concept", [(TREE, "candidates: [alpha, beta]", "candidates: [beta, gamma]")],
     [f"{T}:19: candidate is not a failure mode or category (got 'gamma', a concept). "
      "Fix: use one of alpha, beta, group."]),
    ("candidate that does not exist", [(TREE, "candidates: [alpha, beta]", "candidates: [beta, alpah]")],
     [f"{T}:19: candidate is not a failure mode or category (got 'alpah'). "
      "Fix: use one of alpha, beta, group (did you mean 'alpha'?)."]),
    ("candidate listed twice", [(TREE, "candidates: [alpha, beta]", "candidates: [alpha, beta, alpha]")],
     [f"{T}:19: candidate 'alpha' is listed twice (got it twice). Fix: keep one."]),
    ("outcome id that the tree page uses", [(TREE, "  - id: either", "  - id: flowchart"),
                                            (TREE, "outcome: either", "outcome: flowchart")],
     [f"{T}:17: 'flowchart' is reserved for a section of the tree page (got id 'flowchart'). Fix: choose another id."]),
    ("outcome no answer leads to", [(TREE, '      - {label: "Unsure", outcome: either}\n', "")],
     ["taxonomy_src/decision-tree.yaml:16: outcome 'either' is not a result of any path (got no answer with "
      "'outcome: either'). Fix: add such an answer, or remove the outcome."]),
    ("retired questions not a list",
     [(TREE, "retired:\n  - id: first\n    question: Was it alpha first?\n    note: Replaced by the start question; "
             "see [[alpha]].", "retired: first")],
     [f"{T}:21: 'retired' must be a list (got text). Fix: start each with '- id:'."]),
    ("unreadable tree: the cases do not repeat its problem", [(TREE, "root: start", "root: begin")],
     [f"{T}:1: 'root' is not a question id (got 'begin'). Fix: use one of start, second."]),
    # --- cases ---
    ("file that is not a case", [("cases/notes.txt", None, "x")],
     [f"{C}notes.txt:1: not a case file (got 'notes.txt'). Fix: cases are '<id>.md' files; move or rename it."]),
    ("case front matter that is a list",
     [(GC, None, "---\n- id\n---\n\n## The case {#case}\n\nX.\n\n## Classification {#classification}\n\nY.\n")],
     [f"{C}group-case.md:2: front matter must be a mapping of fields (got list). "
      "Fix: write one 'field: value' per line."]),
    ("case without a required field", [(GC, "evidence: observed-in-deployment\n", "")],
     [f"{C}group-case.md:2: missing required field 'evidence' (got no 'evidence:' line). Fix: add 'evidence: ...'; "
      "'make new-case' writes a complete file."]),
    ("from_post that is not true or false", [(GC, "from_post: false", "from_post: no way")],
     [f"{C}group-case.md:10: 'from_post' must be true or false (got text 'no way'). "
      "Fix: write 'from_post: false' unless the post itself gives this example."]),
    ("nothing illustrated",
     [(GC, "illustrates:\n  - kind: group\n    primary: true\n    why: Neither alpha nor beta.", "illustrates: []")],
     [f"{C}group-case.md:5: 'illustrates' must be a non-empty list (got empty list []). "
      "Fix: write one '- {kind: ..., why: ...}' per item."]),
    ("illustration that is not a mapping", [(GC, "  - kind: group\n    primary: true",
                                             "  - group\n  - kind: group\n    primary: true")],
     ["taxonomy_src/cases/group-case.md:6: an item of 'illustrates' must be a mapping of fields (got text "
      "'group'). Fix: write it as '{kind: ..., why: ..., primary: ...}'."]),
    ("unknown illustration field", [(GC, "    primary: true", "    primary: true\n    weight: 1")],
     ["taxonomy_src/cases/group-case.md:8: unknown field 'weight' in an item of 'illustrates' (got 'weight'). "
      'Fix: remove it or use one of kind, why, primary.']),
    ("illustration without why (its primary flag is not lost)", [(GC, "    why: Neither alpha nor beta.\n", "")],
     [f"{C}group-case.md:6: an item of 'illustrates' is missing why (got kind, primary). Fix: add 'why: ...'."]),
    ("kind illustrated twice", [(BC, "  - kind: alpha", "  - kind: beta")],
     [f"{C}beta-case.md:9: kind 'beta' is listed twice (got it twice). Fix: keep one item."]),
    ("empty path", [(GC, '  - {question: start, answer: "No"}\n  - {question: second, answer: "No"}\n', ""),
                    (GC, "path:", "path: []")],
     [f"{C}group-case.md:11: 'path' must be a non-empty list (got empty list []). "
      "Fix: write one '- {question: ..., answer: ...}' per item."]),
    ("path question that is not an id", [(GC, "{question: second,", "{question: Second,")],
     [f"{C}group-case.md:13: 'question' must be a question id such as 'q1' (got 'Second'). "
      "Fix: use an id from taxonomy_src/decision-tree.yaml."]),
    # --- crosswalk ---
    *[(f"{name} beginning with {got[0]!r}", [("crosswalk.yaml", old, new)],
       [f"{X}:{line}: '{name}' must not begin with =, +, -, @, a tab or a carriage return: a spreadsheet opening "
        f"crosswalk.sssom.tsv runs such a cell as a formula (got {got!r}). Fix: begin with a word; write the sign "
        "later or in words ('minus', 'at')."])
      for name, line, old, new, got in [
          ("term", 3, "    term: wobble", "    term: '=HYPERLINK(\"https://x.example\")'", '=HYPERLINK("https://x.example")'),
          ("term", 3, "    term: wobble", "    term: +1 wobble", "+1 wobble"),
          ("term", 3, "    term: wobble", '    term: "\\t-wobble"', "\t-wobble"),
          ("term", 3, "    term: wobble", '    term: "\\r=1"', "\r=1"),
          ("term", 3, "    term: wobble", "    term: '  @SUM(1)'", "  @SUM(1)"),
          ("locator", 13, "    locator: p. 2", "    locator: -p. 2", "-p. 2"),
          ("justification", 8, "justification: Both name the same test failure.",
           "justification: '=Both name the same test failure.'", "=Both name the same test failure."),
      ]],
    ("term that pandas reads as empty", [("crosswalk.yaml", "    term: wobble", "    term: 'null'")],
     [f"{X}:3: 'term' must not be a word that pandas and the sssom package read as an empty cell (got 'null'). "
      "Fix: write the term as its source does, with more words."]),
    ("crosswalk without terms", [("crosswalk.yaml", "terms:", "term:")],
     [f"{X}:1: the crosswalk needs a 'terms:' list (got ['term']). Fix: start the file with 'terms:'."]),
    ("unknown crosswalk field", [("crosswalk.yaml", "terms:", "version: 1\nterms:")],
     [f"{X}:1: unknown field 'version' (got 'version'). Fix: remove it or use one of terms."]),
    ("no terms", [("crosswalk.yaml", None, "terms: []\n")],
     [f"{X}:1: 'terms' must be a non-empty list (got empty list). Fix: start each term with '- id:'."]),
    ("term that is not a mapping", [("crosswalk.yaml", "terms:\n", "terms:\n  - wobble\n")],
     ["taxonomy_src/crosswalk.yaml:2: a term must be a mapping of fields (got text 'wobble'). Fix: write it as "
      "'{id: ..., term: ..., source: ..., locator: ..., mappings: ...}'."]),
    ("unknown term field", [("crosswalk.yaml", "    term: wobble", "    term: wobble\n    note: x")],
     ["taxonomy_src/crosswalk.yaml:4: unknown field 'note' in a term (got 'note'). Fix: remove it or use one of "
      'id, term, source, locator, mappings.']),
    ("term without its term", [("crosswalk.yaml", "    term: wobble\n", "")],
     [f"{X}:2: a term is missing term (got id, source, mappings). Fix: add 'term: ...'."]),
    ("term id that the crosswalk page uses", [("crosswalk.yaml", "  - id: wobble", "  - id: terms")],
     [f"{X}:2: 'terms' is reserved for a section of the crosswalk page (got id 'terms'). Fix: choose another id."]),
    ("no mappings", [("crosswalk.yaml", f"    mappings:\n{MAPPING}", "    mappings: []")],
     [f"{X}:5: 'mappings' must be a non-empty list (got empty list). "
      "Fix: add '- {kind: ..., relation: ..., justification: ..., confidence: ...}'."]),
    ("noMatch beside a match",
     [("crosswalk.yaml", "      - relation: noMatch", "      - kind: beta\n        relation: closeMatch\n"
                                                     "        justification: Somewhat.\n        confidence: 0.2\n"
                                                     "      - relation: noMatch")],
     [f"{X}:15: a 'noMatch' row must be the term's only mapping (got 2 mappings). "
      "Fix: keep the noMatch row, or remove it and keep the matches."]),
    ("kind mapped twice", [("crosswalk.yaml", "        confidence: 0.8",
                            "        confidence: 0.8\n      - kind: alpha\n        relation: broadMatch\n"
                            "        justification: Also.\n        confidence: 0.3")],
     [f"{X}:6: kind 'alpha' is mapped twice for 'wobble' (got it twice). Fix: keep one row per term and kind."]),
    ("mapping that is not a mapping", [("crosswalk.yaml", "    mappings:\n      - kind: alpha",
                                        "    mappings:\n      - alpha\n      - kind: alpha")],
     ["taxonomy_src/crosswalk.yaml:6: a row of 'mappings' must be a mapping of fields (got text 'alpha'). Fix: "
      "write it as '{kind: ..., relation: ..., justification: ..., confidence: ...}'."]),
    ("unknown mapping field",
     [("crosswalk.yaml", "        confidence: 0.8", "        confidence: 0.8\n        note: x")],
     ["taxonomy_src/crosswalk.yaml:10: unknown field 'note' in a row of 'mappings' (got 'note'). Fix: remove it "
      'or use one of kind, relation, justification, confidence.']),
    ("mapping without confidence", [("crosswalk.yaml", "        confidence: 0.8\n", "")],
     ["taxonomy_src/crosswalk.yaml:6: a row of 'mappings' is missing confidence (got kind, relation, "
      "justification). Fix: add 'confidence: ...'."]),
]


def _check(src: Path, changes: list[Change]) -> list[str]:
    for name, old, new in changes:
        change(src, name, old, new)
    return sorted(str(p) for p in check(src, src.parent))


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in TREE_CASES], ids=[c[0] for c in TREE_CASES])
def test_bad_tree_is_reported_exactly(sources: Path, changes: list[Change], expected: list[str]) -> None:
    """Each mistake in the tree yields exactly its messages, with file, line and fix."""
    assert _check(sources, changes) == sorted(expected)


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASE_CASES], ids=[c[0] for c in CASE_CASES])
def test_bad_outcome_case_or_crosswalk_is_reported_exactly(case_sources: Path, changes: list[Change],
                                                          expected: list[str]) -> None:
    """Each mistake in outcomes, cases or the crosswalk yields exactly its messages, with file, line and fix."""
    assert _check(case_sources, changes) == sorted(expected)


def test_a_case_may_not_take_the_address_of_the_case_index(case_sources: Path) -> None:
    """A case file named index.md would be published where the list of cases is; it is refused, not overwritten."""
    alpha = case_sources / "cases" / "alpha-case.md"
    (case_sources / "cases" / "index.md").write_text(alpha.read_text("utf-8").replace("id: alpha-case", "id: index"),
                                                     "utf-8")
    alpha.unlink()
    assert _check(case_sources, []) == [
        f"{C}index.md:2: 'index' is reserved for a page the site generates (got 'id: index'). Fix: choose another "
        "id, and name the file after it."]


def test_cases_are_walked_only_through_a_valid_tree(case_sources: Path) -> None:
    """A question refused by the tree's own rules is reported once, in the tree, not again in every case that
    passes it (it used to stop the check with an internal error)."""
    problems = _check(case_sources, [("decision-tree.yaml", "  - id: second", "  - id: outline"),
                                     ("decision-tree.yaml", "next: second}", "next: outline}")])
    assert (f"{T}:9: question id 'outline' is also an anchor the tree page makes itself (got 'id: outline'). Fix: "
            "choose another id, e.g. 'q2'.") in problems
    assert [p for p in problems if not p.startswith(f"{T}:")] == []
