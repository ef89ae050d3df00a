"""changelog.yaml: every release rule with its exact message, on changed copies of the minimal fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import change
from taxonomy.loader import check, load
from taxonomy.problems import TaxonomyError
from taxonomy.publish import cut

C = "taxonomy_src/changelog.yaml"
G = "entries/gamma.md"
SUMMARY = ("    summary: >-\n      First public release: the seven technical failure modes, human misalignment, "
           "the three groupings and\n      eleven related concepts, with comparison dimensions and a decision tree.\n")
LATER = '    retired: []\n  - version: "{version}"\n    date: {date}\n    summary: Later.'

# (case id, [(file under taxonomy_src/, text to replace or None, replacement)], expected problems)
CASES: list[tuple[str, list[tuple[str, str | None, str | None]], list[str]]] = [
    ("missing changelog", [("changelog.yaml", None, None)],
     [f"{C}:1: required file is missing (got no changelog.yaml). Fix: create it with a 'releases:' list."]),
    ("no releases list", [("changelog.yaml", "releases:", "release:")],
     [f"{C}:1: the changelog needs a 'releases:' list (got none). Fix: start it with 'releases:'."]),
    ("releases as a mapping", [("changelog.yaml", None, "releases: {version: 1}\n")],
     [f"{C}:1: the changelog needs a 'releases:' list (got mapping). Fix: start it with 'releases:'."]),
    ("release that is not a mapping", [("changelog.yaml", "    retired: []", "    retired: []\n  - 1.3.0")],
     [f"{C}:14: a release must be a mapping (got text). Fix: start it with '- version:'."]),
    ("unknown release field", [("changelog.yaml", "    retired: []", "    retired: []\n    removed: []")],
     [f"{C}:14: unknown release field 'removed' (got 'removed'). "
      "Fix: use version, date, summary, added, changed, renamed, retired, commit, rebuilt."]),
    ("edition commit that is not a full commit id",
     [("changelog.yaml", "    retired: []", "    retired: []\n    commit: abc123")],
     [f"{C}:14: 'commit' must be the full 40-character id of the commit the edition was built from (got 'abc123'). "
      "Fix: leave it to `make freeze`, which writes it."]),
    ("edition commit on the upcoming release",
     [("changelog.yaml", '"2026-11-26"', "null"), ("taxonomy.yaml", "version: 1.2.3", "version: 1.2.4"),
      ("changelog.yaml", "    retired: []", f"    retired: []\n    commit: {'a' * 40}")],
     [f"{C}:14: only a released version has a frozen edition (got commit {'a' * 40} on the upcoming release). "
      "Fix: remove it; `make freeze` writes it after `make release`."]),
    ("rebuilt date that is not a date",
     [("changelog.yaml", "    retired: []", f"    retired: []\n    commit: {'a' * 40}\n    rebuilt: soon")],
     [f"{C}:15: 'rebuilt' must be the date the edition was rebuilt, written YYYY-MM-DD (got 'soon'). "
      "Fix: leave it to `make freeze`, which writes it."]),
    ("rebuilt without a commit", [("changelog.yaml", "    retired: []", '    retired: []\n    rebuilt: "2026-12-08"')],
     [f"{C}:14: 'rebuilt' needs the 'commit' the edition was rebuilt from (got rebuilt 2026-12-08 and no commit). "
      "Fix: add the commit, or remove both."]),
    ("version YAML reads as a number", [("changelog.yaml", 'version: "1.2.3"', "version: 1.2")],
     [f"{C}:5: a release needs a semantic 'version' such as '0.2.0' (got 1.2). Fix: quote it: version: \"0.2.0\"."]),
    ("no version", [("changelog.yaml", '  - version: "1.2.3"\n    date', "  - date")],
     [f"{C}:5: a release needs a semantic 'version' such as '0.2.0' (got none). Fix: quote it: version: \"0.2.0\"."]),
    ("no summary", [("changelog.yaml", SUMMARY, "")],
     [f"{C}:5: release 1.2.3 needs a 'summary' (got none). Fix: add one line on what changed."]),
    ("versions out of order",
     [("changelog.yaml", "    retired: []", LATER.format(version="1.0.0", date='"2026-12-01"'))],
     [f"{C}:14: versions must increase (got 1.0.0 after 1.2.3). Fix: list releases oldest first."]),
    ("undated release before a dated one",
     [("changelog.yaml", '"2026-11-26"', "null"), ("taxonomy.yaml", "version: 1.2.3", "version: 1.3.0"),
      ("changelog.yaml", "    retired: []", LATER.format(version="1.3.0", date='"2026-12-01"'))],
     [f"{C}:14: only the last release may be unreleased (got 1.3.0 after an undated 1.2.3). "
      "Fix: date the earlier release."]),
    ("released version differs from the taxonomy's", [("taxonomy.yaml", "version: 1.2.3", "version: 1.2.4")],
     [f"{C}:5: the latest released version must equal the taxonomy version (got 1.2.3, taxonomy.yaml says 1.2.4). "
      "Fix: make them the same."]),
    ("list field that is not a list", [("changelog.yaml", "changed: []", "changed: alpha")],
     [f"{C}:11: 'changed' must be a list (got text). Fix: write 'changed: []'."]),
    ("unknown entry", [("changelog.yaml", "changed: []", "changed: [alpah]")],
     [f"{C}:11: 'changed' names an unknown entry (got 'alpah'). Fix: use an entry id."]),
    ("change without an id", [("changelog.yaml", "changed: []", 'changed: [{note: "Reworded."}]')],
     [f"{C}:11: a change needs the 'id' of the entry it changed (got {{'note': 'Reworded.'}}). "
      "Fix: write '- {id: entry-id, note: \"What changed.\"}'."]),
    ("change without a note", [("changelog.yaml", "changed: []", "changed: [{id: alpha}]")],
     [f"{C}:11: the change of 'alpha' needs a one-line 'note' of what changed (got None). "
      'Fix: add note: "…" in one line.']),
    ("change with an unknown field", [("changelog.yaml", "changed: []", 'changed: [{id: alpha, note: "A.", why: x}]')],
     [f"{C}:11: unknown field of a change 'why' (got 'why'). Fix: use id, note, correction."]),
    ("change whose correction is not a boolean",
     [("changelog.yaml", "changed: []", 'changed: [{id: alpha, note: "A.", correction: maybe}]')],
     [f"{C}:11: 'correction' must be true or false (got 'maybe'). "
      "Fix: write correction: true for a corrected fact or attribution, else omit it."]),
    ("change of an unknown entry", [("changelog.yaml", "changed: []", 'changed: [{id: alpah, note: "A."}]')],
     [f"{C}:11: 'changed' names an unknown entry (got 'alpah'). Fix: use an entry id."]),
    ("note with markup", [("changelog.yaml", "changed: []", 'changed: [{id: alpha, note: "<b>A</b>."}]')],
     [f"{C}:11: 'note' is plain text, so markup would show literally (got '<b>A</b>.'). Fix: remove the markup."]),
    ("retired entry that is still active", [("changelog.yaml", "retired: []", "retired: [gamma]")],
     [f"{C}:13: retired entry 'gamma' is not deprecated (got status 'active'). Fix: set 'status: deprecated' and "
      "a 'status_note' in the entry; it stays published as a tombstone."]),
    ("rename that no entry declares", [("changelog.yaml", "renamed: []", "renamed: [{from: gamma, to: alpha}]")],
     [f"{C}:12: a rename must name an entry and one of its former ids (got {{'from': 'gamma', 'to': 'alpha'}}). "
      "Fix: write '- {from: old-id, to: new-id}' and list old-id in the entry's 'former_ids'."]),
    ("former id without a recorded rename", [(G, "status: active", "status: active\nformer_ids: [delta]")],
     [f"{C}:5: entry 'gamma' lists former id 'delta', but no release records the rename (got none). "
      "Fix: add '- {from: delta, to: gamma}' under 'renamed' of a new upcoming release after this one "
      "('- version: …' with 'date: null')."]),
    ("entry in no release, with an upcoming release listing others",
     [("changelog.yaml", "added: [alpha, beta, gamma, group]", "added: [alpha, beta, group]"),
      ("changelog.yaml", "    retired: []", LATER.format(version="1.3.0", date="null") + "\n    added: []")],
     [f"{C}:17: entry 'gamma' is in no release (got no 'added' listing it). Fix: add 'gamma' under 'added' of the "
      "upcoming release (the last one, with 'date: null'); `make new-entry` does this."]),
    ("retirement unrecorded, with an upcoming release that has no 'retired'",
     [(G, "status: active", "status: deprecated\nstatus_note: Merged."),
      ("changelog.yaml", "    retired: []", LATER.format(version="1.3.0", date="null"))],
     [f"{C}:14: entry 'gamma' is deprecated, but no release records its retirement (got none). Fix: add 'gamma' "
      "under 'retired' of the upcoming release (the last one, with 'date: null')."]),
    ("no release at all", [("changelog.yaml", None, "releases: []\n")],
     [f"{C}:1: entry '{entry}' is in no release (got no 'added' listing it). Fix: add '{entry}' under 'added' of a "
      "new upcoming release ('- version: …' with 'date: null'); `make new-entry` does this."
      for entry in ("alpha", "beta", "gamma", "group")]),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_changelog_is_reported_exactly(sources: Path, changes: list[tuple[str, str | None, str | None]],
                                           expected: list[str]) -> None:
    """Each mistake yields exactly its messages, with file, line and fix."""
    for name, old, new in changes:
        change(sources, name, old, new)
    assert sorted(str(p) for p in check(sources, sources.parent)) == sorted(expected)


def test_an_upcoming_release_with_a_rename_and_a_retirement_is_valid(sources: Path) -> None:
    """The documented way to cut a release: an undated last release recording a rename and a retirement."""
    change(sources, G, "status: active", "status: deprecated\nstatus_note: Merged.\nformer_ids: [delta]")
    change(sources, "changelog.yaml", "    retired: []", '    retired: []\n  - version: "1.3.0"\n    date: null\n'
                                                       "    summary: Later.\n    renamed: [{from: delta, to: gamma}]\n"
                                                       "    retired: [gamma]")
    releases = load(sources, sources.parent).releases
    assert [(r.version, r.released, r.renamed, r.retired) for r in releases] == [
        ("1.2.3", True, (), ()), ("1.3.0", False, (("delta", "gamma"),), ("gamma",))]


def test_release_refuses_to_date_a_failure_mode_with_too_few_cases(case_sources: Path) -> None:
    """A failure mode of the upcoming release passes `check` without cases; dating that release is refused, with
    the rule's message, and leaves every file as it was."""
    change(case_sources, "taxonomy.yaml", "source: post", "source: post\ncases_per_failure_mode: 2")
    change(case_sources, "changelog.yaml", "added: [alpha, beta", "added: [beta")
    change(case_sources, "changelog.yaml", "    retired: []", '    retired: []\n  - version: "1.3.0"\n    date: null\n'
                                                           "    summary: Later.\n    added: [alpha]")
    assert check(case_sources, case_sources.parent) == []
    repo = case_sources.parent
    for name, text in {"pyproject.toml": 'version = "1.2.3"\n', "CITATION.cff": "version: 1.2.3\n",
                       "CHANGELOG.md": "## 1.2.3\n"}.items():
        (repo / name).write_text(text, "utf-8")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    with pytest.raises(TaxonomyError) as refused:
        cut(case_sources, repo, "1.3.0", "2026-12-01")
    assert [p.message for p in refused.value.problems] == [
        "failure mode 'alpha' is in released version 1.3.0 but has 1 worked case(s) with it as their primary kind "
        "(got alpha-case). Fix: add cases whose primary kind is alpha ('make new-case ID=... KIND=alpha') until "
        "there are 2, the minimum that 'cases_per_failure_mode' in taxonomy.yaml sets."]
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_changed_items_carry_notes_and_corrections(sources: Path) -> None:
    """A `changed` item is an id, or an id with a one-line note and whether it corrects a fact or attribution."""
    change(sources, "changelog.yaml", "changed: []",
           'changed:\n      - beta\n      - {id: alpha, note: "Attribution fixed.", correction: true}\n'
           '      - {id: gamma, note: "Reworded."}')
    release = load(sources, sources.parent).releases[0]
    assert release.changed == ("beta", "alpha", "gamma")
    assert [(c.id, c.note, c.correction) for c in release.notes] == [
        ("alpha", "Attribution fixed.", True), ("gamma", "Reworded.", False)]
    assert release.note("beta") is None and release.note("alpha") == release.notes[0]


def test_added_may_name_worked_cases(case_sources: Path) -> None:
    """Case ids under 'added' are accepted and give the cases a first version; entry ids stay apart from them."""
    case_ids = sorted(p.stem for p in (case_sources / "cases").glob("*.md"))
    assert case_ids, "the case fixture has cases"
    change(case_sources, "changelog.yaml", "added: [alpha,", f"added: [{', '.join(case_ids)}, alpha,")
    release = load(case_sources, case_sources.parent).releases[0]
    assert release.added_cases == tuple(case_ids) and not set(case_ids) & set(release.added)
