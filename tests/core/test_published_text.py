"""An entry whose text changed since the last stored edition needs a 'changed' record in a later release: every
case with its exact message, on the minimal fixture with a tiny stored edition made from its own export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import change
from taxonomy import published
from taxonomy.editions import pack
from taxonomy.export import export
from taxonomy.loader import check, load

C = "taxonomy_src/changelog.yaml"
A = "entries/alpha.md"
UPCOMING = '    retired: []\n  - version: "1.3.0"\n    date: null\n    summary: Later.\n    changed: {changed}'
RELEASED = '    retired: []\n  - version: "1.3.0"\n    date: "2026-12-01"\n    summary: Later.\n    changed: {changed}'


def fix(entry: str, parts: str, place: str) -> str:
    """The message for an unrecorded change of `entry`."""
    return (f"entry '{entry}' changed its {parts} since release 1.2.3 (got text that differs from "
            f"editions/1.2.3.tar.gz), but no later release records it under 'changed'. Fix: add "
            f"'- {{id: {entry}, note: \"What changed, in one line.\"}}' under 'changed' of {place}, with "
            "'correction: true' if it corrects a fact or an attribution.")


UPCOMING_PLACE = "the upcoming release (the last one, with 'date: null')"
NEW_PLACE = "a new upcoming release after this one ('- version: …' with 'date: null')"

# (case id, [(file under taxonomy_src/, text to replace, replacement)], expected problems)
CASES: list[tuple[str, list[tuple[str, str, str]], list[str]]] = [
    ("nothing changed", [], []),
    ("summary changed, no later release", [(A, "The first test failure mode.", "The first failure mode.")],
     [f"{C}:5: " + fix("alpha", "summary", NEW_PLACE)]),
    ("sections changed, upcoming release without it",
     [(A, "Somehow [@other].", "Somehow else [@other]."),
      ("changelog.yaml", "    retired: []", UPCOMING.format(changed="[beta]"))],
     [f"{C}:17: " + fix("alpha", "sections", UPCOMING_PLACE)]),
    ("summary and sections changed, none recorded",
     [(A, "The first test failure mode.", "The first failure mode."), (A, "Somehow [@other].", "Somehow else.")],
     [f"{C}:5: " + fix("alpha", "summary and sections", NEW_PLACE)]),
    ("recorded as an id in the upcoming release",
     [(A, "Somehow [@other].", "Somehow else [@other]."),
      ("changelog.yaml", "    retired: []", UPCOMING.format(changed="[alpha]"))], []),
    ("recorded with a note in the upcoming release",
     [(A, "Somehow [@other].", "Somehow else [@other]."),
      ("changelog.yaml", "    retired: []", UPCOMING.format(changed='[{id: alpha, note: "Reworded."}]'))], []),
    ("recorded in a later release not yet frozen",
     [(A, "Somehow [@other].", "Somehow else [@other]."), ("taxonomy.yaml", "version: 1.2.3", "version: 1.3.0"),
      ("changelog.yaml", "    retired: []", RELEASED.format(changed="[alpha]"))], []),
    ("recorded only in the stored release itself",
     [(A, "Somehow [@other].", "Somehow else [@other]."), ("changelog.yaml", "changed: []", "changed: [alpha]")],
     [f"{C}:5: " + fix("alpha", "sections", NEW_PLACE)]),
]


def store(src: Path, version: str = "1.2.3") -> None:
    """A stored edition of the sources as they are now: only its taxonomy.json, as `make freeze` would write it."""
    data = json.dumps(export(load(src, src.parent))).encode()
    archive = published.archive_of(src.parent, version)
    archive.parent.mkdir(exist_ok=True)
    archive.write_bytes(pack({published.EXPORT: data}, version))


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_changed_text_needs_a_changed_record(sources: Path, changes: list[tuple[str, str, str]],
                                             expected: list[str]) -> None:
    """Each case yields exactly its messages, at the line where the record belongs."""
    store(sources)
    for name, old, new in changes:
        change(sources, name, old, new)
    assert [str(p) for p in check(sources, sources.parent)] == expected


def test_without_a_stored_edition_nothing_is_compared(sources: Path) -> None:
    """A repository with no stored edition (a fresh one, or a fixture) is not asked for records."""
    change(sources, A, "The first test failure mode.", "The first failure mode.")
    assert check(sources, sources.parent) == []


def test_the_stored_text_is_the_exports(sources: Path) -> None:
    """What the check compares is exactly what the export publishes for each entry."""
    taxonomy = load(sources, sources.parent)
    exported = {e["id"]: e for e in export(taxonomy)["entries"]}
    for entry in taxonomy.entries.values():
        assert published.entry_text(entry) == {p: exported[entry.id][p] for p in published.TEXT_PARTS}
