"""The migration map (/migration.json): for every id of every release, what it is now (unchanged, renamed, or
retired with its replacement), so that data labelled with an old edition's ids can be moved to today's."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import pages
from .model import Release, Taxonomy
from .urls import absolute, entry_url

UNCHANGED, RENAMED, RETIRED = "unchanged", "renamed", "retired"
STATUSES = (UNCHANGED, RENAMED, RETIRED)


@dataclass(frozen=True)
class Fate:
    """What a historical id is now."""

    status: str
    """UNCHANGED (still today's id), RENAMED (today's id is `current`) or RETIRED (after any renames)."""
    current: str
    """Today's id of the entry the old id named; a retired entry keeps its page, a tombstone, at this id."""
    replaced_by: str | None = None
    """For a retired entry: today's live entry that replaces it, if any (followed through renames and through
    replacements that were retired in turn)."""


def release_ids(releases: Sequence[Release]) -> list[tuple[Release, tuple[str, ...]]]:
    """Each released release with every id it published: the ids added so far, with the renames so far applied.
    Retired entries keep their ids (their pages stay, as tombstones)."""
    ids: dict[str, None] = {}
    found = []
    for release in releases:
        renames = dict(release.renamed)
        ids = {renames.get(i, i): None for i in ids}
        ids.update(dict.fromkeys(renames.get(i, i) for i in release.added))
        if release.released:
            found.append((release, tuple(sorted(ids))))
    return found


def fates(ids: Iterable[str], renamed: Sequence[tuple[str, str]], retired: Mapping[str, str | None],
          live: frozenset[str]) -> dict[str, Fate]:
    """The fate of each id, given every rename in release order, today's retired entries (each with the id that
    replaces it, or None) and today's live ids. An id that leads nowhere known raises ValueError."""
    forward = dict(renamed)

    def now(old: str) -> str:
        seen = {old}
        while old in forward:
            old = forward[old]
            if old in seen:
                raise ValueError(f"the renames of {old!r} go round in a circle")
            seen.add(old)
        return old

    def fate(old: str) -> Fate:
        current = now(old)
        if current in live:
            return Fate(UNCHANGED if current == old else RENAMED, current)
        if current not in retired:
            raise ValueError(f"id {old!r} leads to {current!r}, which is neither a live nor a retired entry")
        replacement, seen = retired[current], {current}
        while replacement is not None:
            replacement = now(replacement)
            if replacement in live or replacement in seen or replacement not in retired:
                break
            seen.add(replacement)
            replacement = retired[replacement]
        return Fate(RETIRED, current, replacement if replacement in live else None)

    return {old: fate(old) for old in ids}


def migration(taxonomy: Taxonomy) -> dict[str, Any]:
    """The migration map as plain data (valid against `schema()`)."""
    renamed = [pair for release in taxonomy.releases for pair in release.renamed]
    retired = {e.id: e.replaced_by for e in taxonomy.entries.values() if e.status == "deprecated"}
    live = frozenset(e.id for e in taxonomy.entries.values() if e.status != "deprecated")
    site = taxonomy.meta.site_url

    def item(fate: Fate) -> dict[str, Any]:
        data: dict[str, Any] = {"status": fate.status, "current": fate.current, "url": entry_url(site, fate.current)}
        if fate.status == RETIRED:
            data["replaced_by"] = fate.replaced_by
        return data

    return {
        "$schema": absolute(site, pages.MIGRATION_SCHEMA.path),
        "title": taxonomy.meta.title,
        "version": taxonomy.meta.version,
        "releases": [{"version": release.version, "date": release.date,
                      "ids": {old: item(f) for old, f in fates(ids, renamed, retired, live).items()}}
                     for release, ids in release_ids(taxonomy.releases)],
    }


def migration_json(taxonomy: Taxonomy) -> str:
    """The migration map as published."""
    return json.dumps(migration(taxonomy), ensure_ascii=False, indent=1) + "\n"


ID_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$"


def schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON Schema of the migration map."""
    entry_id = {"type": "string", "pattern": ID_PATTERN}
    fate = {
        "type": "object",
        "required": ["status", "current", "url"],
        "additionalProperties": False,
        "properties": {
            "status": {"enum": list(STATUSES), "description": "unchanged: still today's id; renamed: today's id is "
                       "'current'; retired: the entry was retired (after any renames)."},
            "current": {**entry_id, "description": "Today's id of the entry; a retired entry's page stays there."},
            "url": {"type": "string", "format": "uri", "description": "Today's page of the entry."},
            "replaced_by": {"anyOf": [entry_id, {"type": "null"}],
                            "description": "For a retired entry: today's live entry that replaces it, if any."},
        },
        "if": {"properties": {"status": {"const": RETIRED}}},
        "then": {"required": ["replaced_by"]},
        "else": {"not": {"required": ["replaced_by"]}},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": absolute(taxonomy.meta.site_url, pages.MIGRATION_SCHEMA.path),
        "title": f"{taxonomy.meta.title}: migration map",
        "description": "For every id of every release, what it is now.",
        "type": "object",
        "required": ["$schema", "title", "version", "releases"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "version": {"type": "string", "description": "The current edition, whose ids the map leads to."},
            "releases": {"type": "array", "items": {
                "type": "object", "required": ["version", "date", "ids"], "additionalProperties": False,
                "properties": {
                    "version": {"type": "string"},
                    "date": {"type": "string", "format": "date"},
                    "ids": {"type": "object", "propertyNames": entry_id, "additionalProperties": fate},
                }}},
        },
    }


def schema_json(taxonomy: Taxonomy) -> str:
    """The JSON Schema of the migration map, as published."""
    return json.dumps(schema(taxonomy), ensure_ascii=False, indent=2) + "\n"
