"""The migration map: every id of every release leads to today's id, or to an explicit retirement, exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxonomy import migration
from taxonomy.loader import load
from taxonomy.model import Release

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


@dataclass
class Thing:
    """One entry through its history, as the synthetic history tracks it (the oracle)."""

    id: str
    retired: bool = False
    replacement: Thing | None = None
    names: list[str] = field(default_factory=list)


# One step of a history: ("add",), ("rename", which), ("retire", which, replacement or -1), ("release",).
STEPS = st.lists(st.one_of(st.tuples(st.just("add")), st.tuples(st.just("rename"), st.integers(0, 50)),
                           st.tuples(st.just("retire"), st.integers(0, 50), st.integers(-1, 50)),
                           st.tuples(st.just("release"))), max_size=40)


def _history(steps: list[tuple[int | str, ...]], upcoming: bool) -> tuple[list[Release], list[Thing]]:
    """Releases made by the steps (each 'release' closes one), with every entry's story for the oracle."""
    things: list[Thing] = []
    releases: list[Release] = []
    added: list[str] = []
    renamed: list[tuple[str, str]] = []
    retired: list[str] = []
    counter = 0

    def fresh() -> str:
        nonlocal counter
        counter += 1
        return f"id-{counter}"

    def close(date: str | None) -> None:
        releases.append(Release(f"{len(releases) + 1}.0.0", date, "synthetic", tuple(added), (), tuple(renamed),
                                tuple(retired)))
        added.clear(), renamed.clear(), retired.clear()

    for step in [("add",), *steps]:
        live = [t for t in things if not t.retired]
        if step[0] == "add":
            things.append(Thing(fresh()))
            things[-1].names.append(things[-1].id)
            added.append(things[-1].id)
        elif step[0] == "rename" and live:
            thing = live[int(step[1]) % len(live)]
            new = fresh()
            renamed.append((thing.id, new))
            thing.id = new
            thing.names.append(new)
        elif step[0] == "retire" and live:
            thing = live[int(step[1]) % len(live)]
            others = [t for t in live if t is not thing]
            thing.retired = True
            thing.replacement = others[int(step[2]) % len(others)] if others and int(step[2]) >= 0 else None
            retired.append(thing.id)
        elif step[0] == "release":
            close("2026-01-01")
    close(None if upcoming else "2026-01-01")
    return releases, things


def _expected(thing: Thing) -> migration.Fate:
    """What the oracle says an id of this thing is now."""
    if not thing.retired:
        return migration.Fate(migration.UNCHANGED, thing.id)
    replacement, seen = thing.replacement, {id(thing)}
    while replacement is not None and replacement.retired and id(replacement) not in seen:
        seen.add(id(replacement))
        replacement = replacement.replacement
    return migration.Fate(migration.RETIRED, thing.id,
                          replacement.id if replacement is not None and not replacement.retired else None)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(STEPS, st.booleans())
def test_every_historical_id_leads_to_a_current_id_or_a_retirement(steps: list[tuple[int | str, ...]],
                                                                    upcoming: bool) -> None:
    """Following renames and retirements from any id of any release ends at today's id of the same entry (live, or
    retired with its live replacement or none), exactly as the history happened."""
    releases, things = _history(steps, upcoming)
    renamed = [pair for release in releases for pair in release.renamed]
    retired = {t.id: t.replacement.id if t.replacement else None for t in things if t.retired}
    live = frozenset(t.id for t in things if not t.retired)
    owner = {name: thing for thing in things for name in thing.names}
    published = migration.release_ids(releases)
    assert [r.version for r, _ in published] == [r.version for r in releases if r.released]
    for _, ids in published:
        fates = migration.fates(ids, renamed, retired, live)
        assert fates.keys() == set(ids)
        for old, fate in fates.items():
            expected = _expected(owner[old])
            if expected.status == migration.UNCHANGED and old != expected.current:
                expected = migration.Fate(migration.RENAMED, expected.current)
            assert fate == expected
            assert (fate.current in live) == (fate.status != migration.RETIRED)
            assert fate.replaced_by is None or fate.replaced_by in live


def test_release_ids_are_the_ids_each_release_published() -> None:
    """A release publishes what was added up to it, under the ids it had then; retired ids stay (tombstones);
    the upcoming release publishes nothing yet."""
    releases = [Release("1.0.0", "2026-01-01", "s", ("a", "b")),
                Release("1.1.0", "2026-02-01", "s", ("c",), renamed=(("a", "a2"),), retired=("b",)),
                Release("2.0.0", None, "s", ("d",), renamed=(("a2", "a3"),))]
    assert [(r.version, ids) for r, ids in migration.release_ids(releases)] == [
        ("1.0.0", ("a", "b")), ("1.1.0", ("a2", "b", "c"))]
    fates = migration.fates(["a", "a2", "b", "c"], [("a", "a2"), ("a2", "a3")], {"b": "c"}, frozenset({"a3", "c"}))
    assert fates == {"a": migration.Fate("renamed", "a3"), "a2": migration.Fate("renamed", "a3"),
                     "b": migration.Fate("retired", "b", "c"), "c": migration.Fate("unchanged", "c")}


@pytest.mark.parametrize(("renamed", "retired", "live", "message"), [
    ([("a", "b"), ("b", "a")], {}, frozenset(), "go round in a circle"),
    ([], {}, frozenset({"b"}), "neither a live nor a retired entry"),
])
def test_an_id_that_leads_nowhere_is_refused(renamed: list[tuple[str, str]], retired: dict[str, str | None],
                                             live: frozenset[str], message: str) -> None:
    """Inconsistent histories raise instead of printing a map that leads nowhere."""
    with pytest.raises(ValueError, match=message):
        migration.fates(["a"], renamed, retired, live)


def test_the_map_of_the_fixture_validates_against_its_schema() -> None:
    """The published map and schema: valid, one item per id of each release, each naming a page of today."""
    taxonomy = load(FIXTURE, FIXTURE.parent)
    data = migration.migration(taxonomy)
    schema = migration.schema(taxonomy)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    released = [r for r in taxonomy.releases if r.released]
    assert [r["version"] for r in data["releases"]] == [r.version for r in released]
    for item, (_, ids) in zip(data["releases"], migration.release_ids(taxonomy.releases), strict=True):
        assert sorted(item["ids"]) == list(ids)
        assert all(fate["current"] in taxonomy.entries for fate in item["ids"].values())
    broken = {**data, "releases": [{**data["releases"][0], "ids": {"x": {"status": "moved", "current": "x",
                                                                           "url": "https://example.org/"}}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
