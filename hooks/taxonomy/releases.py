"""Releases (changelog.yaml): which version added, changed, renamed or retired each entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import checks
from .formats import is_commit, is_date, is_semver, semver_key
from .model import Change, Release
from .problems import Checked, Problem, collect
from .yamlsrc import Node, parse_yaml, type_name

CHANGELOG = "changelog.yaml"
VERSIONING = (
    ("major", "a change that can make a citation or a data set labelled with the taxonomy's ids wrong: a kind "
              "retired, split into several or merged with another, an id removed, or an entry moved to another "
              "category"),
    ("minor", "something added, or an address moved with a redirect: an entry, case, crosswalk row, comparison "
              "dimension or decision-tree question added; a tree question retired; an entry or section anchor "
              "renamed (the old address and the migration map lead to the new one)"),
    ("patch", "wording and corrections that leave what each entry covers as it was: clearer text, a corrected "
              "fact, attribution or reference, a fixed link"),
)
"""Which part of the version a release raises, by the largest change it holds (CONTRIBUTING.md says the same).
Until 1.0.0, a release with a major change raises the minor part and says so in its summary."""
RELEASE_FIELDS = ("version", "date", "summary", "added", "changed", "renamed", "retired", "commit", "rebuilt")
CHANGE_FIELDS = ("id", "note", "correction")
"""A `changed` item is an entry id, or a mapping of these: `{id: …, note: "…", correction: true}`."""


def load_releases(src: Path, root: Path, entries: dict[str, dict[str, Any]], current: str | None,
                  problems: list[Problem], cases: frozenset[str] = frozenset()) -> tuple[Release, ...]:
    """Load and validate the changelog against entry facts (id -> {status, former_ids}) and the worked cases' ids
    (which 'added' may name too)."""
    return collect(checks.shown(src, CHANGELOG, root), _releases(src, root, entries, current, cases), problems)


def _releases(src: Path, root: Path, entries: dict[str, dict[str, Any]],
              current: str | None, cases: frozenset[str]) -> Checked[tuple[Release, ...]]:
    node = yield from checks.yaml_file(src, CHANGELOG, root, "create it with a 'releases:' list.")
    if node is None:
        return ()
    listed = node.value.get("releases") if node is not None and isinstance(node.value, dict) else None
    if listed is None or not isinstance(listed.value, list):
        yield (listed.line if listed else 1, f"the changelog needs a 'releases:' list (got "
                                             f"{type_name(listed.value) if listed else 'none'}). "
                                             "Fix: start it with 'releases:'.")
        return ()
    former = {old: new for new, facts in entries.items() for old in facts["former_ids"]}
    releases: list[Release] = []
    version_lines: dict[str, int] = {}
    complete = True
    for item in listed.value:
        release = yield from _release(item, entries, former, cases)
        if release is None:
            complete = False
            continue
        version_lines[release.version] = item.key_line("version")
        if releases and semver_key(release.version) <= semver_key(releases[-1].version):
            yield (item.line, f"versions must increase (got {release.version} after {releases[-1].version}). "
                              "Fix: list releases oldest first.")
        if releases and not releases[-1].released:
            yield (item.line, f"only the last release may be unreleased (got {release.version} after an undated "
                              f"{releases[-1].version}). Fix: date the earlier release.")
        releases.append(release)
    published = sorted((r.version for r in releases if r.released), key=semver_key)
    if current is not None and published and published[-1] != current:
        yield (version_lines[published[-1]],
               f"the latest released version must equal the taxonomy version (got {published[-1]}, "
               f"taxonomy.yaml says {current}). Fix: make them the same.")
    if not complete:
        return tuple(releases)  # what a dropped release records is unknown: checking coverage would only mislead
    renamed = {old for r in releases for old, _ in r.renamed}
    for old, new in former.items():
        if old not in renamed:
            line, place = upcoming_place(listed, "renamed")
            yield (line, f"entry '{new}' lists former id '{old}', but no release records the rename (got none). "
                         f"Fix: add '- {{from: {old}, to: {new}}}' under 'renamed' of {place}.")
    retired = {entry_id for r in releases for entry_id in r.retired}
    added = {entry_id for r in releases for entry_id in r.added}
    for entry_id, facts in entries.items():
        if not facts.get("readable", True):
            continue  # its own file is broken and reported; its status and former ids are unknown
        if facts["status"] == "deprecated" and entry_id not in retired:
            line, place = upcoming_place(listed, "retired")
            yield (line, f"entry '{entry_id}' is deprecated, but no release records its retirement (got none). "
                         f"Fix: add '{entry_id}' under 'retired' of {place}.")
        if not ({entry_id, *facts["former_ids"]} & added):
            line, place = upcoming_place(listed, "added")
            yield (line, f"entry '{entry_id}' is in no release (got no 'added' listing it). "
                         f"Fix: add '{entry_id}' under 'added' of {place}; `make new-entry` does this.")
    return tuple(releases)


def upcoming_place(listed: Node, field: str) -> tuple[int, str]:
    """Where a record no release holds goes, as a line and in words: under `field` of the upcoming release (the
    last one, undated), or in a new upcoming release after the last one."""
    assert isinstance(listed.value, list)
    last = listed.value[-1] if listed.value else None
    if last is None or not isinstance(last.value, dict):
        return listed.line, "a new upcoming release ('- version: …' with 'date: null')"
    date = last.value.get("date")
    if date is None or date.value is None:
        return last.key_line(field), "the upcoming release (the last one, with 'date: null')"
    return last.line, "a new upcoming release after this one ('- version: …' with 'date: null')"


def _release(item: Node, entries: dict[str, dict[str, Any]], former: dict[str, str],
             cases: frozenset[str]) -> Checked[Release | None]:
    if not isinstance(item.value, dict):
        yield item.line, f"a release must be a mapping (got {type_name(item.value)}). Fix: start it with '- version:'."
        return None
    fields = item.value
    for key in fields.keys() - set(RELEASE_FIELDS):
        yield item.key_line(key), (f"unknown release field '{key}' (got '{key}'). "
                                   f"Fix: use {', '.join(RELEASE_FIELDS)}.")
    version = fields.get("version")
    if version is None or not isinstance(version.value, str) or not is_semver(version.value):
        yield (item.line, f"a release needs a semantic 'version' such as '0.2.0' (got "
                          f"{repr(version.value) if version else 'none'}). Fix: quote it: version: \"0.2.0\".")
        return None
    date = fields.get("date")
    date_value = date.value if date else None
    if date_value is not None and (not isinstance(date_value, str) or not is_date(date_value)):
        yield (date.line if date else item.line, f"'date' must be a real date written YYYY-MM-DD, or null for the "
                                                 "upcoming release "
                                                 f"(got {date_value!r}). Fix: write date: \"2026-11-26\".")
    summary = fields.get("summary")
    if summary is None or not isinstance(summary.value, str):
        yield (item.line, f"release {version.value} needs a 'summary' (got none). Fix: add one line on what changed.")
    else:
        yield from ((summary.line, m) for m in checks.plain_problems(summary.value, "summary"))
    ids: dict[str, tuple[str, ...]] = {}
    notes: list[Change] = []
    added_cases: list[str] = []
    for name in ("added", "changed", "retired"):
        clean = []
        for item_node in (yield from _items(fields.get(name), name)):
            value = item_node
            if name == "changed" and isinstance(item_node.value, dict):
                change = yield from _change(item_node)
                if change is None:
                    continue
                value = item_node.value["id"]
                notes.append(change)
            entry_id = str(value.value)
            if name == "added" and entry_id in cases:
                added_cases.append(entry_id)  # a worked case: its first version is the release that adds it
            elif entry_id not in entries and entry_id not in former:
                yield (value.line, f"'{name}' names an unknown entry (got '{entry_id}'). Fix: use an entry id.")
            elif not entries.get(entry_id, {}).get("readable", True):
                clean.append(entry_id)
            elif name == "retired" and entries.get(entry_id, {}).get("status") != "deprecated":
                yield (value.line, f"retired entry '{entry_id}' is not deprecated (got status "
                                   f"{entries.get(entry_id, {}).get('status')!r}). Fix: set 'status: deprecated' "
                                   "and a 'status_note' in the entry; it stays published as a tombstone.")
            else:
                clean.append(entry_id)
        ids[name] = tuple(clean)
    renamed: list[tuple[str, str]] = []
    for value in (yield from _items(fields.get("renamed"), "renamed")):
        pair = value.value if isinstance(value.value, dict) else {}
        old, new = pair.get("from"), pair.get("to")
        if new is not None and not entries.get(str(new.value), {}).get("readable", True):
            continue  # the new entry's file is broken and reported; its former ids are unknown
        current = former.get(str(old.value)) if old is not None else None
        # A rename names the entry's id at the time: today's id, or a later former id when it was renamed again.
        if old is None or new is None or current is None or new.value not in (current, *(
                o for o, n in former.items() if n == current)):
            yield (value.line, f"a rename must name an entry and one of its former ids (got {value.plain()!r}). "
                               "Fix: write '- {from: old-id, to: new-id}' and list old-id in the entry's 'former_ids'.")
            continue
        renamed.append((str(old.value), str(new.value)))
    commit, rebuilt = yield from _edition(item, date_value)
    return Release(version.value, date_value if isinstance(date_value, str) else None,
                   str(summary.value) if summary else "", ids["added"], ids["changed"], tuple(renamed), ids["retired"],
                   commit, rebuilt, tuple(notes), tuple(added_cases))


def _change(item: Node) -> Checked[Change | None]:
    """A `changed` item written as a mapping: the entry's id, a one-line note of what changed, and whether it
    corrects a fact or an attribution."""
    assert isinstance(item.value, dict)
    fields = item.value
    for key in fields.keys() - set(CHANGE_FIELDS):
        yield item.key_line(key), (f"unknown field of a change '{key}' (got '{key}'). "
                                   f"Fix: use {', '.join(CHANGE_FIELDS)}.")
    entry_id, note, correction = fields.get("id"), fields.get("note"), fields.get("correction")
    if entry_id is None or not isinstance(entry_id.value, str):
        yield (item.line, f"a change needs the 'id' of the entry it changed (got {item.plain()!r}). "
                          "Fix: write '- {id: entry-id, note: \"What changed.\"}'.")
        return None
    if note is None or not isinstance(note.value, str) or not note.value.strip() or "\n" in note.value.strip():
        yield (note.line if note else item.line, f"the change of '{entry_id.value}' needs a one-line 'note' of what "
                                                 f"changed (got {note.value if note else None!r}). "
                                                 "Fix: add note: \"…\" in one line.")
        return None
    yield from ((note.line, m) for m in checks.plain_problems(note.value, "note"))
    if correction is not None and not isinstance(correction.value, bool):
        yield (correction.line, f"'correction' must be true or false (got {correction.value!r}). "
                                "Fix: write correction: true for a corrected fact or attribution, else omit it.")
    return Change(entry_id.value, note.value.strip(), correction is not None and correction.value is True)


def _edition(item: Node, date: object) -> Checked[tuple[str | None, str | None]]:
    """A release's frozen edition: the commit it was built from and, for a rebuilt one, the date of the rebuild."""
    assert isinstance(item.value, dict)
    commit, rebuilt = item.value.get("commit"), item.value.get("rebuilt")
    if commit is not None and (not isinstance(commit.value, str) or not is_commit(commit.value)):
        yield (commit.line, f"'commit' must be the full 40-character id of the commit the edition was built from "
                            f"(got {commit.value!r}). Fix: leave it to `make freeze`, which writes it.")
        commit = None
    elif commit is not None and date is None:
        yield (commit.line, f"only a released version has a frozen edition (got commit {commit.value} on the "
                            "upcoming release). Fix: remove it; `make freeze` writes it after `make release`.")
        commit = None
    if rebuilt is not None and (not isinstance(rebuilt.value, str) or not is_date(rebuilt.value)):
        yield (rebuilt.line, f"'rebuilt' must be the date the edition was rebuilt, written YYYY-MM-DD "
                             f"(got {rebuilt.value!r}). Fix: leave it to `make freeze`, which writes it.")
        rebuilt = None
    elif rebuilt is not None and commit is None:
        yield (rebuilt.line, f"'rebuilt' needs the 'commit' the edition was rebuilt from (got rebuilt "
                             f"{rebuilt.value} and no commit). Fix: add the commit, or remove both.")
        rebuilt = None
    return (str(commit.value) if commit else None, str(rebuilt.value) if rebuilt else None)


def _items(node: Node | None, name: str) -> Checked[list[Node]]:
    """The items of an optional list field, reporting a field that is not a list."""
    if node is None:
        return []
    if not isinstance(node.value, list):
        yield (node.line, f"'{name}' must be a list (got {type_name(node.value)}). Fix: write '{name}: []'.")
        return []
    return node.value


# --- editing changelog.yaml in place (comments and layout are kept) ---

class ChangelogEditError(Exception):
    """changelog.yaml cannot be edited automatically; the message says what to do by hand."""


def next_minor(version: str) -> str:
    """The next minor version: 0.1.3 -> 0.2.0."""
    major, minor, _ = semver_key(version)
    return f"{major}.{minor + 1}.0"


def _releases_node(text: str) -> list[Node]:
    node = parse_yaml(text)
    if node is None or not isinstance(node.value, dict) or "releases" not in node.value \
            or not isinstance(node.value["releases"].value, list):
        raise ChangelogEditError("the changelog needs a 'releases:' list (got none). Fix: start it with 'releases:'.")
    return node.value["releases"].value


def _key_column(line: str, key: str) -> int:
    return line.index(f"{key}:")


def _last_line(node: Node) -> int:
    """The last line a YAML node (and everything in it) is on."""
    children = node.value.values() if isinstance(node.value, dict) else node.value if isinstance(node.value, list) \
        else ()
    return max([node.line, *(line for _, line in node.key_lines), *(_last_line(child) for child in children)])


def add_to_upcoming(src: Path, field_name: str, item: str) -> None:
    """Append `item` to a list field of the upcoming release, adding the release (date: null) if there is none."""
    path = src / CHANGELOG
    text = path.read_text("utf-8")
    lines = text.split("\n")
    items = _releases_node(text)
    last = items[-1] if items else None
    fields = last.value if last is not None and isinstance(last.value, dict) else None
    if fields is None or fields.get("date") is None or fields["date"].value is not None:
        version = next_minor(str(fields["version"].value)) if fields and "version" in fields else "0.1.0"
        dash = " " * (lines[last.line - 1].index("-") if last is not None else 2)
        block = [f'{dash}- version: "{version}"', f"{dash}  date: null",
                 f"{dash}  summary: Changes since the last release.", f"{dash}  {field_name}: [{item}]"]
        path.write_text(text.rstrip("\n") + "\n" + "\n".join(block) + "\n", "utf-8")
        return
    assert last is not None
    column = _key_column(lines[last.key_line("version") - 1], "version")
    node = fields.get(field_name)
    if node is None:
        end = _last_line(last)
        while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > column:
            end += 1  # the continuation lines of a folded value
        lines.insert(end, f"{' ' * column}{field_name}: [{item}]")
    elif isinstance(node.value, list) and lines[last.key_line(field_name) - 1].rstrip().endswith("]") \
            and all(child.line == last.key_line(field_name) for child in node.value):
        index = last.key_line(field_name) - 1
        head = lines[index].rstrip()[:-1].rstrip()
        lines[index] = f"{head}{', ' if node.value else ''}{item}]"
    elif isinstance(node.value, list) and node.value:
        index = node.value[-1].line - 1
        indent = lines[index].index("-")
        lines.insert(index + 1, f"{' ' * indent}- {item}")
    else:
        raise ChangelogEditError(f"cannot add {item!r} to '{field_name}' of the upcoming release automatically "
                                 f"(got {type_name(node.value)}). Fix: add it by hand in {path}.")
    path.write_text("\n".join(lines), "utf-8")


def date_upcoming(text: str, version: str, date: str) -> str:
    """changelog.yaml text with its upcoming release given a version and a date."""
    lines = text.split("\n")
    items = _releases_node(text)
    last = items[-1] if items else None
    fields = last.value if last is not None and isinstance(last.value, dict) else None
    if fields is None or "version" not in fields or (fields.get("date") is not None and fields["date"].value):
        raise ChangelogEditError("nothing to release (got no upcoming release with 'date: null'). Fix: list the "
                                 "changes under a new last release with 'date: null' first.")
    assert last is not None
    version_line = last.key_line("version") - 1
    column = _key_column(lines[version_line], "version")
    lines[version_line] = f'{lines[version_line][:column]}version: "{version}"'
    if "date" in fields:
        date_line = last.key_line("date") - 1
        lines[date_line] = f'{lines[date_line][:_key_column(lines[date_line], "date")]}date: "{date}"'
    else:
        lines.insert(version_line + 1, f'{" " * column}date: "{date}"')
    return "\n".join(lines)



def _release_item(text: str, version: str) -> Node:
    """The release `version` of changelog.yaml text, as a node."""
    for item in _releases_node(text):
        if isinstance(item.value, dict) and "version" in item.value and str(item.value["version"].value) == version:
            return item
    raise ChangelogEditError(f"no release {version} to record it on (got none in the changelog). "
                             f"Fix: add the release with `make release VERSION={version}` first.")


def set_release_fields(text: str, version: str, fields: dict[str, str]) -> str:
    """changelog.yaml text with quoted string `fields` set on the release `version` (added after its last line)."""
    for key, value in fields.items():
        lines = text.split("\n")
        item = _release_item(text, version)
        assert isinstance(item.value, dict)
        column = _key_column(lines[item.key_line("version") - 1], "version")
        if key in item.value:
            index = item.key_line(key) - 1
            lines[index] = f'{lines[index][:_key_column(lines[index], key)]}{key}: "{value}"'
        else:
            end = _last_line(item)
            while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > column:
                end += 1  # the continuation lines of a folded value
            lines.insert(end, f'{" " * column}{key}: "{value}"')
        text = "\n".join(lines)
    return text
