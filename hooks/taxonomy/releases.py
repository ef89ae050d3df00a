"""Releases (changelog.yaml): which version added, changed, renamed or retired each entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .formats import is_date, is_semver, semver_key
from .model import Release
from .problems import Problem, display_path
from .yamlsrc import Node, read_yaml_file, type_name

CHANGELOG = "changelog.yaml"
RELEASE_FIELDS = ("version", "date", "summary", "added", "changed", "renamed", "retired")


def load_releases(src: Path, root: Path, entries: dict[str, dict[str, Any]], current: str | None,
                  problems: list[Problem]) -> tuple[Release, ...]:
    """Load and validate the changelog against entry facts (id -> {status, former_ids})."""
    path = src / CHANGELOG
    shown = display_path(path, root)

    def add(line: int, message: str) -> None:
        problems.append(Problem(shown, line, message))

    if not path.exists() and not path.is_symlink():
        add(1, f"required file is missing (got no {CHANGELOG}). Fix: create it with a 'releases:' list.")
        return ()
    source, node = read_yaml_file(path, root)
    if source.problems:
        problems.extend(source.problems)
        return ()
    listed = node.value.get("releases") if node is not None and isinstance(node.value, dict) else None
    if listed is None or not isinstance(listed.value, list):
        add(listed.line if listed else 1, f"the changelog needs a 'releases:' list (got "
                                          f"{type_name(listed.value) if listed else 'none'}). "
                                          "Fix: start it with 'releases:'.")
        return ()
    former = {old: new for new, facts in entries.items() for old in facts["former_ids"]}
    releases: list[Release] = []
    for item in listed.value:
        release = _release(item, add, entries, former)
        if release is None:
            continue
        if releases and semver_key(release.version) <= semver_key(releases[-1].version):
            add(item.line, f"versions must increase (got {release.version} after {releases[-1].version}). "
                           "Fix: list releases oldest first.")
        if releases and not releases[-1].released:
            add(item.line, f"only the last release may be unreleased (got {release.version} after an undated "
                           f"{releases[-1].version}). Fix: date the earlier release.")
        releases.append(release)
    published = sorted((r.version for r in releases if r.released), key=semver_key)
    if current is not None and published and published[-1] != current:
        add(1, f"the latest released version must equal the taxonomy version (got {published[-1]}, "
               f"taxonomy.yaml says {current}). Fix: make them the same.")
    renamed = {old for r in releases for old, _ in r.renamed}
    for old, new in former.items():
        if old not in renamed:
            add(1, f"entry '{new}' lists former id '{old}', but no release records the rename (got none). "
                   f"Fix: add '- {{from: {old}, to: {new}}}' under 'renamed' of the upcoming release.")
    return tuple(releases)


def _release(item: Node, add: Callable[[int, str], None], entries: dict[str, dict[str, Any]],
             former: dict[str, str]) -> Release | None:
    if not isinstance(item.value, dict):
        add(item.line, f"a release must be a mapping (got {type_name(item.value)}). Fix: start it with '- version:'.")
        return None
    fields = item.value
    for key in fields.keys() - set(RELEASE_FIELDS):
        add(item.key_line(key), f"unknown release field '{key}' (got '{key}'). Fix: use {', '.join(RELEASE_FIELDS)}.")
    version = fields.get("version")
    if version is None or not isinstance(version.value, str) or not is_semver(version.value):
        add(item.line, f"a release needs a semantic 'version' such as '0.2.0' (got "
                       f"{repr(version.value) if version else 'none'}). Fix: quote it: version: \"0.2.0\".")
        return None
    date = fields.get("date")
    date_value = date.value if date else None
    if date_value is not None and (not isinstance(date_value, str) or not is_date(date_value)):
        add(date.line if date else item.line, f"'date' must be a real date written YYYY-MM-DD, or null for the "
                                              "upcoming release "
                                              f"(got {date_value!r}). Fix: write date: \"2026-11-26\".")
    summary = fields.get("summary")
    if summary is None or not isinstance(summary.value, str):
        add(item.line, f"release {version.value} needs a 'summary' (got none). Fix: add one line on what changed.")
    ids: dict[str, tuple[str, ...]] = {}
    for name in ("added", "changed", "retired"):
        clean = []
        for value in _items(fields.get(name), name, add):
            entry_id = str(value.value)
            if entry_id not in entries and entry_id not in former:
                add(value.line, f"'{name}' names an unknown entry (got '{entry_id}'). Fix: use an entry id.")
            elif name == "retired" and entries.get(entry_id, {}).get("status") != "deprecated":
                add(value.line, f"retired entry '{entry_id}' is not deprecated (got status "
                                f"{entries.get(entry_id, {}).get('status')!r}). Fix: set 'status: deprecated' "
                                "and a 'status_note' in the entry; it stays published as a tombstone.")
            else:
                clean.append(entry_id)
        ids[name] = tuple(clean)
    renamed: list[tuple[str, str]] = []
    for value in _items(fields.get("renamed"), "renamed", add):
        pair = value.value if isinstance(value.value, dict) else {}
        old, new = pair.get("from"), pair.get("to")
        if old is None or new is None or former.get(str(old.value)) != new.value:
            add(value.line, f"a rename must name an entry and one of its former ids (got {value.plain()!r}). "
                            "Fix: write '- {from: old-id, to: new-id}' and list old-id in the entry's 'former_ids'.")
            continue
        renamed.append((str(old.value), str(new.value)))
    return Release(version.value, date_value if isinstance(date_value, str) else None,
                   str(summary.value) if summary else "", ids["added"], ids["changed"], tuple(renamed), ids["retired"])


def _items(node: Node | None, name: str, add: Callable[[int, str], None]) -> list[Node]:
    """The items of an optional list field, reporting a field that is not a list."""
    if node is None:
        return []
    if not isinstance(node.value, list):
        add(node.line, f"'{name}' must be a list (got {type_name(node.value)}). Fix: write '{name}: []'.")
        return []
    return node.value
