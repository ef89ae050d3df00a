"""Entry files: every field, lifecycle and body rule that test_loader.py does not table, with its exact message.

Each case changes the minimal fixture (tests/fixtures/minimal) and expects exactly the listed problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import change, grown_sources
from taxonomy.loader import check, load

E = "taxonomy_src/entries/"
A, B, G, R = "entries/alpha.md", "entries/beta.md", "entries/gamma.md", "entries/group.md"
RETIRE_GAMMA = ("changelog.yaml", "retired: []", "retired: [gamma]")
DIMENSIONS = 'dimensions:\n  layer: {value: inner, why: "The post says so [@post]."}'
LONG = "A " + "very " * 80 + "long summary."
ALPHA_ANCHORS = ("cite, definition, dimensions, example, footnotes, how-it-arises, neighbours, place, references, "
                 "referred-by, related, related-terms, uncertain")
RENAME = ("renamed: []", "renamed: [{from: %s, to: %s}]")

# (case id, [(file under taxonomy_src/, text to replace or None, replacement)], expected problems)
CASES: list[tuple[str, list[tuple[str, str | None, str | None]], list[str]]] = [
    # --- field types ---
    ("empty text", [(A, "title: Alpha failure", 'title: ""')],
     [f"{E}alpha.md:3: 'title' must be non-empty text (got text ''). Fix: write 'title: <text>'."]),
    ("slug with capitals", [(A, "parent: group", "parent: Group")],
     [f"{E}alpha.md:5: 'parent' must be a lowercase slug such as 'inner-misalignment' (got 'Group'). "
      "Fix: use lowercase letters, digits and hyphens."]),
    ("slug with a trailing line break", [(A, "parent: group", 'parent: "group\\n"')],
     [f"{E}alpha.md:5: 'parent' must be a lowercase slug such as 'inner-misalignment' (got 'group\\n'). "
      "Fix: use lowercase letters, digits and hyphens."]),
    ("slug in Arabic-Indic digits", [(A, "parent: group", "parent: group-\u0661")],
     [f"{E}alpha.md:5: 'parent' must be a lowercase slug such as 'inner-misalignment' (got 'group-\u0661'). "
      "Fix: use lowercase letters, digits and hyphens."]),
    ("summary too long", [(G, "summary: A related concept.", f"summary: {LONG}")],
     [f"{E}gamma.md:6: 'summary' is too long (got {len(LONG)} characters, at most 300). "
      "Fix: shorten it to one sentence."]),
    ("order that is not a number", [(A, "status: active", "status: active\norder: first")],
     [f"{E}alpha.md:12: 'order' must be a whole number (got 'first'). Fix: write e.g. 'order: 1'."]),
    ("relations as a list", [(B, "relations: {}", "relations: [alpha]")],
     [f"{E}beta.md:8: 'relations' must be a mapping of relation type to ids (got list). "
      "Fix: write 'relations: {distinct-from: [other-id]}' or 'relations: {}'."]),
    ("relation targets not a list", [(A, "distinct-from: [beta]", "distinct-from: beta")],
     [f"{E}alpha.md:9: relation 'distinct-from' must be a list of entry ids (got text). "
      "Fix: write 'distinct-from: [other-id]'."]),
    ("front matter that is a list", [(G, None, "---\n- id: gamma\n---\n\n## Definition {#definition}\n\nGamma.\n")],
     [f"{E}gamma.md:2: front matter must be a mapping of fields (got list). Fix: write one 'field: value' per line."]),
    ("empty front matter", [(G, None, "---\n---\n\n## Definition {#definition}\n\nGamma.\n")],
     [f"{E}gamma.md:2: the front matter is empty (got nothing between the '---' lines). Fix: write the fields "
      "there, one 'field: value' per line."]),
    ("reference that is not a key", [(A, "references: [post]", 'references: [post, "Other Work"]')],
     [f"{E}alpha.md:10: 'references' items must be citation keys such as 'hubinger2019' (got 'Other Work'). "
      "Fix: use a key from taxonomy_src/bibliography.yaml."]),
    ("dimensions as a list", [(A, DIMENSIONS, "dimensions: [inner]")],
     [f"{E}alpha.md:13: 'dimensions' must be a mapping of dimension id to value (got list). "
      "Fix: write 'dimensions: {layer: {value: ..., why: ...}}'."]),
    ("unknown field in a dimension value", [(A, 'why: "The post says so [@post]."', 'why: "So [@post].", note: x')],
     [f"{E}alpha.md:14: unknown field 'note' (got 'note'). Fix: remove it or use one of value, why."]),
    # --- the tree and relations ---
    ("relation to itself", [(A, "distinct-from: [beta]", "distinct-from: [alpha]")],
     [f"{E}alpha.md:9: an entry cannot be related to itself (got 'alpha'). Fix: remove it."]),
    ("parent named by its former id",
     [(R, "aliases: []", "aliases: []\nformer_ids: [team]"), (B, "parent: group", "parent: team"),
      ("changelog.yaml", "renamed: []", "renamed: [{from: team, to: group}]")],
     [f"{E}beta.md:5: parent is not an existing entry (got 'team'). Fix: 'team' is a former id of group; "
      "use 'group'."]),
    ("failure mode without a parent", [(B, "parent: group", "parent: null")],
     [f"{E}beta.md:5: a failure mode needs a parent category (got null). "
      "Fix: set 'parent: inner-misalignment' or another category id."]),
    ("concept with a parent", [(G, "parent: null", "parent: group")],
     [f"{E}gamma.md:5: concepts sit outside the tree (got parent 'group'). "
      "Fix: set 'parent: null' and use 'relations' to connect it."]),
    ("category that is its own parent", [(R, "parent: null", "parent: group")],
     [f"{E}group.md:5: parent chain loops back to 'group' (got group -> group). Fix: make the tree acyclic; "
      "change the 'parent' of one entry on the loop."]),
    # --- lifecycle: former ids and anchors, replacement, status note, deprecation ---
    ("replaced_by on an active entry", [(G, "status: active", "status: active\nreplaced_by: alpha")],
     [f"{E}gamma.md:12: 'replaced_by' is only for deprecated entries (got status 'active'). "
      "Fix: remove it, or set 'status: deprecated'."]),
    ("status_note on an active entry", [(G, "status: active", "status: active\nstatus_note: Old.")],
     [f"{E}gamma.md:12: 'status_note' is only for deprecated entries (got status 'active'). "
      "Fix: remove it, or set 'status: deprecated'."]),
    ("deprecated without a status note", [(G, "status: active", "status: deprecated"), RETIRE_GAMMA],
     [f"{E}gamma.md:11: a deprecated entry needs a 'status_note' saying why (got none). "
      "Fix: add 'status_note: <why it was retired or merged>'."]),
    ("replaced_by an unknown entry",
     [(G, "status: active", "status: deprecated\nstatus_note: Merged.\nreplaced_by: alpah"), RETIRE_GAMMA],
     [f"{E}gamma.md:13: 'replaced_by' is not an existing entry (got 'alpah'). "
      "Fix: use an existing id (did you mean 'alpha'?)."]),
    ("former id that is a current id",
     [(G, "status: active", "status: active\nformer_ids: [beta]"),
      ("changelog.yaml", RENAME[0], RENAME[1] % ("beta", "gamma"))],
     [f"{E}gamma.md:12: former id 'beta' is the id of a current entry (got 'beta'). "
      "Fix: ids are never reused; remove it from 'former_ids'."]),
    ("former id claimed by two entries",
     [(A, "status: active", "status: active\nformer_ids: [old]"),
      (B, "status: active", "status: active\nformer_ids: [old]"),
      ("changelog.yaml", RENAME[0], RENAME[1] % ("old", "beta"))],
     [f"{E}beta.md:11: former id 'old' is also claimed by {E}alpha.md (got it twice). "
      "Fix: an old id redirects to one entry only; keep it in one file."]),
    ("former anchors as a list", [(A, "status: active", "status: active\nformer_anchors: [limits]")],
     [f"{E}alpha.md:12: 'former_anchors' must map old anchor ids to current ones (got list). "
      "Fix: write 'former_anchors: {old-id: current-id}'."]),
    ("former anchor that is not a slug",
     [(A, "status: active", "status: active\nformer_anchors: {Old_Part: definition}")],
     [f"{E}alpha.md:12: old anchor must be a lowercase slug (got 'Old_Part'). "
      "Fix: write it as it appeared in the URL, without '#'."]),
    ("former anchor pointing nowhere", [(A, "status: active", "status: active\nformer_anchors: {limits: limitations}")],
     [f"{E}alpha.md:12: former anchor 'limits' points to a missing section (got 'limitations'). "
      f"Fix: use one of {ALPHA_ANCHORS}."]),
    # --- addresses: every alternative name gets /names/<slug>/ of its own ---
    ("alias without a letter or digit", [(A, "aliases: [first failure]", 'aliases: [first failure, "—"]')],
     [f"{E}alpha.md:7: alias '—' has no letter or digit to make its address /names/<name>/ from (got '—'). "
      "Fix: write the name in words, or remove it."]),
    ("two spellings of one name on two entries", [(B, "aliases: []", "aliases: [First-Failure]")],
     [f"{E}alpha.md:7: alias 'first failure' would share the address /names/first-failure/ with 'First-Failure' of "
      f"{E}beta.md (got two spellings of one name). Fix: write it as 'First-Failure', so that the name's page lists "
      "both entries, or reword it.",
      f"{E}beta.md:7: alias 'First-Failure' would share the address /names/first-failure/ with 'first failure' of "
      f"{E}alpha.md (got two spellings of one name). Fix: write it as 'first failure', so that the name's page lists "
      "both entries, or reword it."]),
    # --- the body ---
    ("link to a missing section of the same page", [(G, "Gamma [@other].", "Gamma [@other], see [below](#details).")],
     [f"{E}gamma.md:16: link to a missing section of this page (got '#details'). "
      "Fix: use one of the heading ids: definition, in-this-taxonomy."]),
    ("footnote defined twice", [(A, "[^1]: A note citing [@other].", "[^1]: A note citing [@other].\n[^1]: Again.")],
     [f"{E}alpha.md:38: footnote '[^1]' is defined twice (first on line 37). Fix: remove or rename one definition."]),
    ("level-1 heading", [(G, "## Definition {#definition}", "# Gamma {#gamma}\n\n## Definition {#definition}")],
     [f"{E}gamma.md:14: level-1 heading in the body (got '# Gamma'). "
      "Fix: remove it; the page title comes from `title`, start sections with '##'."]),
    ("heading anchor that is not a slug", [(G, "Gamma [@other].", "Gamma [@other].\n\n### Notes {#Notes_1}")],
     [f"{E}gamma.md:18: heading anchor is not a lowercase slug (got 'Notes_1'). "
      "Fix: use letters, digits and hyphens, e.g. '{#notes}'."]),
    ("heading anchor used twice", [(G, "Gamma [@other].", "Gamma [@other].\n\n### Again {#definition}")],
     [f"{E}gamma.md:18: duplicate heading anchor 'definition' (first on line 14). "
      "Fix: give each heading its own id."]),
    ("event handler outside a tag", [(G, "Gamma [@other].", "Gamma [@other] if 1 < 2 onclick=alert(1).")],
     [f"{E}gamma.md:16: event-handler attributes are not allowed (got 'onclick='). Fix: remove them."]),
    ("too many claim markers on a line", [(G, "Gamma [@other].", "Gamma [@other]" + " [?summary]" * 13 + ".")],
     [f"{E}gamma.md:16: too many claim markers on one line (got more than 12). "
      "Fix: mark each claim once, or split the paragraph."]),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_entry_is_reported_exactly(sources: Path, changes: list[tuple[str, str | None, str | None]],
                                       expected: list[str]) -> None:
    """Each mistake yields exactly its messages, with file, line and fix."""
    for name, old, new in changes:
        change(sources, name, old, new)
    assert sorted(str(p) for p in check(sources, sources.parent)) == sorted(expected)


def test_a_tombstone_with_its_rename_and_retirement_is_valid(sources: Path) -> None:
    """The lifecycle fields used together as documented load cleanly: the rules above reject only misuse."""
    change(sources, G, "status: active", "status: deprecated\nstatus_note: Merged into alpha.\nreplaced_by: alpha\n"
                                         "former_ids: [delta]\nformer_anchors: {meaning: definition}")
    change(sources, "changelog.yaml", "renamed: []\n    retired: []",
           "renamed: [{from: delta, to: gamma}]\n    retired: [gamma]")
    gamma = load(sources, sources.parent).entries["gamma"]
    assert (gamma.status, gamma.replaced_by, gamma.former_ids, gamma.former_anchors) == (
        "deprecated", "alpha", ("delta",), (("meaning", "definition"),))


def test_a_loop_of_parents_is_reported_on_each_entry_on_it(tmp_path: Path) -> None:
    """Each entry on a loop is reported at its 'parent' line with the loop read from it; an entry that only leads
    into the loop is not."""
    src = grown_sources(tmp_path / "taxonomy_src", 2)
    change(src, R, "parent: null", "parent: sub-01")
    assert sorted(str(p) for p in check(src, tmp_path)) == [
        f"{E}group.md:5: parent chain loops back to 'group' (got group -> sub-01 -> group). Fix: make the tree "
        "acyclic; change the 'parent' of one entry on the loop.",
        f"{E}sub-01.md:5: parent chain loops back to 'sub-01' (got sub-01 -> group -> sub-01). Fix: make the tree "
        "acyclic; change the 'parent' of one entry on the loop.",
    ]
