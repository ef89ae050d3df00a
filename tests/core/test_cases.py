"""Worked cases, the tree they test, and the crosswalk: strict loading with exact messages, on fixture sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit
from lifecycle import fill_in
from taxonomy.loader import check, load
from taxonomy.scaffold import ScaffoldError, new_case
from taxonomy.schema import SCAFFOLD_PROMPTS

C = "taxonomy_src/cases/"
T = "taxonomy_src/decision-tree.yaml"
X = "taxonomy_src/crosswalk.yaml"
FIX = "Fix: update the case's path, or the tree."


def test_fixture_loads_with_cases_outcome_and_crosswalk(case_sources: Path) -> None:
    """The overlay is valid: every case walks to its primary kind, or to an outcome listing it."""
    taxonomy = load(case_sources, case_sources.parent)
    results = {c.id: c.result for c in taxonomy.cases}
    assert results == {"alpha-case": "alpha", "beta-case": "beta", "group-case": "group", "unsure-case": "either"}
    assert [o.candidates for o in taxonomy.outcomes] == [("alpha", "beta")]
    assert [r.id for r in taxonomy.retired_questions] == ["first"]
    assert [(r.term_id, r.kind, r.relation) for r in taxonomy.crosswalk] == [("wobble", "alpha", "closeMatch"),
                                                                           ("nothing", None, "noMatch")]
    assert [c.id for c in taxonomy.cases_for("alpha")] == ["alpha-case", "beta-case"]  # the post's own first


# (case id, [(file, text to replace, replacement)], expected problems)
CASES = [
    ("tree edit re-routes cases",
     [(T, '{label: "Yes", entry: beta}', '{label: "Yes", entry: group}'),
      (T, '{label: "No: some other way", entry: group}', '{label: "No: some other way", entry: beta}')],
     [f"{C}beta-case.md:13: the decision tree now sends this case to group (path start→second), but the case's "
      f"primary kind is beta. {FIX}",
      f"{C}group-case.md:11: the decision tree now sends this case to beta (path start→second), but the case's "
      f"primary kind is group. {FIX}"]),
    ("path names another question", [(f"{C}beta-case.md", "{question: second,", "{question: third,")],
     [f"{C}beta-case.md:13: the decision tree now asks second at step 2 (got 'third', path start). {FIX}"]),
    ("answer that does not exist", [(f"{C}beta-case.md", 'second, answer: "Yes"', 'second, answer: "Yse"')],
     [f"{C}beta-case.md:13: question second has no answer 'Yse' (got 'Yse', path start→second; its answers are "
      f"Yes, No, Unsure; did you mean 'Yes'?). {FIX}"]),
    ("path stops before a result", [(f"{C}group-case.md", '  - {question: second, answer: "No"}\n', "")],
     [f"{C}group-case.md:11: the path stops at question second before reaching a result (got 1 step(s), path "
      f"start). {FIX}"]),
    ("path goes on after a result",
     [(f"{C}alpha-case.md", '  - {question: start, answer: "Yes"}\n',
       '  - {question: start, answer: "Yes"}\n  - {question: second, answer: "Yes"}\n')],
     [f"{C}alpha-case.md:11: the path goes on after the tree reached alpha at step 1 (got 1 more step(s), path "
      f"start). {FIX}"]),
    ("bare Yes read as true", [(f"{C}beta-case.md", 'second, answer: "Yes"', "second, answer: Yes")],
     [f"{C}beta-case.md:15: 'answer' must be text (got true/false True). Fix: quote it, e.g. 'answer: \"Yes\"' "
      "(YAML reads a bare Yes or No as true or false)."]),
    ("evidence outside vocabulary", [(f"{C}group-case.md", "observed-in-deployment", "observed-in-deploy")],
     [f"{C}group-case.md:9: 'evidence' must be one of thought-experiment, lab-demonstration, "
      "observed-in-deployment (got 'observed-in-deploy'). Fix: pick one (did you mean 'observed-in-deployment'?)."]),
    ("unknown field", [(f"{C}group-case.md", "illustrates:", "summry: x\nillustrates:")],
     [f"{C}group-case.md:5: unknown field 'summry' (got 'summry'). Fix: remove it or use one of id, title, "
      "summary, illustrates, evidence, from_post, path (did you mean 'summary'?)."]),
    ("two primary kinds", [(f"{C}beta-case.md", "  - kind: alpha\n", "  - kind: alpha\n    primary: true\n")],
     [f"{C}beta-case.md:5: exactly one kind must be 'primary: true' (got 2). Fix: mark the kind this case is "
      "chiefly an example of; the others say what else it illustrates."]),
    ("illustrates a concept", [(f"{C}beta-case.md", "  - kind: alpha", "  - kind: gamma")],
     [f"{C}beta-case.md:9: 'kind' must be a failure mode or category (got 'gamma', a concept). Fix: use one of "
      "alpha, beta, group."]),
    ("unknown citation in why", [(f"{C}beta-case.md", "[@other, sec. 2].\n  - kind", "[@otter, sec. 2].\n  - kind")],
     [f"{C}beta-case.md:8: unknown citation key 'otter' (got '[@otter]'). Fix: use a key from "
      "taxonomy_src/bibliography.yaml (did you mean 'other'?) or add the work there."]),
    ("raw HTML in the body", [(f"{C}group-case.md", "Something else happens.", "Something <script>x</script>.")],
     [f"{C}group-case.md:18: raw HTML is not allowed in entries (got '<script'). Fix: use Markdown; write '&lt;' "
      "for a literal '<'."]),
    ("missing required section", [(f"{C}group-case.md", "## Classification {#classification}", "## Why {#why}")],
     [f"{C}group-case.md:15: a case needs a section with id 'classification' (got sections: case, why). "
      "Fix: add '## <Title> {#classification}'."]),
    ("reserved heading anchor", [(f"{C}group-case.md", "## The case {#case}", "## The case {#case}\n\n### P {#path}")],
     [f"{C}group-case.md:18: heading anchor 'path' is reserved for a generated section of case pages. "
      "Fix: choose another id."]),
    ("post's own example that does not cite the post", [(f"{C}alpha-case.md", "Alpha happens [@post].",
                                                         "Alpha happens [@other, p. 1].")],
     [f"{C}alpha-case.md:10: a case marked 'from_post: true' must cite the post in its body (got no [@post]). "
      "Fix: cite where the post gives this example, or set 'from_post: false'."]),
    ("id differs from file name", [(f"{C}group-case.md", "id: group-case", "id: group-kase")],
     [f"{C}group-case.md:2: id must equal the file name (got id 'group-kase' in 'group-case.md'). Fix: rename the "
      "file to 'group-kase.md' or set 'id: group-case'."]),
    ("retired id reused", [(T, "  - id: first", "  - id: second")],
     [f"{T}:22: id 'second' is already used by a question (got it again for a retired question). Fix: ids on the "
      "tree page are unique; a retired id is never reused."]),
    ("outcome with one candidate", [(T, "candidates: [alpha, beta]", "candidates: [alpha]")],
     [f"{T}:19: an outcome lists at least two candidate kinds (got ['alpha']). Fix: write 'candidates: [a, b]'."]),
    ("answers sharing a key", [(T, '{label: "Unsure", outcome: either}', '{label: "Yes: unsure", outcome: either}')],
     [f"{T}:15: two answers of question 'second' share the key 'Yes' (got 'Yes' and 'Yes: unsure'). Fix: start "
      "each label with different words before its colon; case paths name answers by those words."]),
    ("relation outside SKOS", [(X, "relation: closeMatch", "relation: closeMach")],
     [f"{X}:7: 'relation' must be one of exactMatch, closeMatch, broadMatch, narrowMatch, relatedMatch, noMatch "
      "(got 'closeMach'). Fix: pick one (did you mean 'closeMatch'?)."]),
    ("noMatch that names a kind", [(X, "      - relation: noMatch", "      - kind: beta\n        relation: noMatch")],
     [f"{X}:15: a 'noMatch' row names no kind (got kind 'beta'). Fix: remove 'kind', or use another relation."]),
    ("mapping to a concept", [(X, "- kind: alpha", "- kind: gamma")],
     [f"{X}:6: 'kind' must be a failure mode or category of this taxonomy (got 'gamma', a concept). Fix: use one "
      "of alpha, beta, group, or 'relation: noMatch'."]),
    ("confidence above one", [(X, "confidence: 0.8", "confidence: 1.5")],
     [f"{X}:9: 'confidence' must be a number above 0 and at most 1 (got 1.5). Fix: write e.g. 'confidence: 0.7'."]),
    ("justification with a citation", [(X, "the same test failure.", "the same test failure [@other].")],
     [f"{X}:8: 'justification' must be plain text without links or citations (got 'Both name the same test "
      "failure [@other].'). Fix: move links and citations into the body."]),
    ("unknown source", [(X, "source: other\n    mappings", "source: othr\n    mappings")],
     [f"{X}:4: 'source' must be a citation key of the work that defines the term (got 'othr'). Fix: use a key "
      "from taxonomy_src/bibliography.yaml (did you mean 'other'?) or add the work there."]),
    ("duplicate term id", [(X, "  - id: nothing", "  - id: wobble")],
     [f"{X}:10: duplicate term id 'wobble' (first on line 2). Fix: ids are anchors of the crosswalk page; give "
      "each term its own."]),
]


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_cases_tree_and_crosswalk_are_reported_exactly(case_sources: Path, edits: list[tuple[str, str, str]],
                                                           expected: list[str]) -> None:
    """Each mistake yields exactly its messages, in the path:line form, with the fix."""
    for name, old, new in edits:
        edit(case_sources.parent / name, old, new)
    assert sorted(str(p) for p in check(case_sources, case_sources.parent)) == sorted(expected)


def test_a_leaf_no_case_reaches_is_reported(case_sources: Path) -> None:
    """The cases are the tree's tests: every answer that ends the walk needs a case whose path ends there."""
    (case_sources / "cases/unsure-case.md").unlink()
    assert [str(p) for p in check(case_sources, case_sources.parent)] == [
        f"{T}:15: no case reaches this result (got no case whose path ends with second: 'Unsure' → either). Fix: add "
        "a case whose path ends here ('make new-case'), or change the tree; the cases are its tests."]


def test_without_a_cases_folder_there_are_no_case_rules(sources: Path) -> None:
    """Cases and the crosswalk are optional: the minimal fixture, which has neither, stays valid."""
    taxonomy = load(sources, sources.parent)
    assert taxonomy.cases == () and taxonomy.crosswalk == ()


def test_scaffold_writes_a_valid_case_and_refuses_used_ids(case_sources: Path) -> None:
    """`make new-case` writes a file whose path already reaches the kind; a used or registered id is refused."""
    path = new_case(case_sources, case_sources.parent, "new-beta", "beta", None)
    prompts = [n for n, line in enumerate(path.read_text("utf-8").split("\n"), 1)
               if any(p in line for p in SCAFFOLD_PROMPTS.values())]
    assert [(p.path, p.line) for p in check(case_sources, case_sources.parent)] == [
        ("taxonomy_src/cases/new-beta.md", n) for n in prompts] and len(prompts) == 4
    fill_in(path, "post")
    assert check(case_sources, case_sources.parent) == []
    assert "new-beta" in {c.id for c in load(case_sources, case_sources.parent).cases}
    assert path.name == "new-beta.md"
    with pytest.raises(ScaffoldError, match="exists or existed before"):
        new_case(case_sources, case_sources.parent, "beta-case", "beta", None)
    with pytest.raises(ScaffoldError, match="must be a failure mode or category"):
        new_case(case_sources, case_sources.parent, "conceptual", "gamma", None)
    registry = case_sources / "anchors.txt"
    registry.write_text(registry.read_text("utf-8") + "/cases/retired-case/\n", "utf-8")
    with pytest.raises(ScaffoldError, match="exists or existed before"):
        new_case(case_sources, case_sources.parent, "retired-case", "beta", None)


