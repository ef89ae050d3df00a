"""Text as published: each entry's summary and sections as the last stored edition holds them (its taxonomy.json),
so `make check` can ask for a 'changed' record for every entry whose text has changed since that release.

Only the stored edition counts, never git's history: it is what readers of that release read and cited."""

from __future__ import annotations

import functools
import gzip
import io
import json
import tarfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from .model import Entry, Taxonomy
from .problems import Problem, display_path
from .releases import CHANGELOG, upcoming_place
from .yamlsrc import parse_yaml

STORE = "editions"
"""The folder, at the repository's root, that holds every frozen edition."""
EXPORT = "taxonomy.json"
"""The export inside an edition that holds every entry's text as published."""
TEXT_PARTS = ("summary", "markdown")
"""What an entry's text is, by the export's field names: the summary, and the sections as Markdown."""


def archive_of(repo: Path, version: str) -> Path:
    """Where the edition `version` is (or would be) stored."""
    return repo / STORE / f"{version}.tar.gz"


def entry_text(entry: Entry) -> dict[str, str]:
    """An entry's text, by the export's field names (the export writes the same values)."""
    return {"summary": entry.summary, "markdown": entry.body.strip() + "\n"}


def stored_texts(archive: Path, version: str) -> Mapping[str, Mapping[str, str]]:
    """Each entry's text in a stored edition (id -> part -> text), read from its taxonomy.json alone; read once
    per process while the archive is unchanged (`make serve` checks on every edit)."""
    stat = archive.stat()
    return _read_texts(archive, version, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_texts(archive: Path, version: str, mtime_ns: int, size: int) -> Mapping[str, Mapping[str, str]]:
    """The texts of `stored_texts`, keyed also by the archive's time and size so that a replaced file is read."""
    with gzip.open(archive, "rb") as raw, tarfile.open(fileobj=io.BytesIO(raw.read()), mode="r") as tar:
        member = tar.extractfile(f"{version}/{EXPORT}")
        assert member is not None
        data = json.loads(member.read())
    return MappingProxyType({str(e["id"]): MappingProxyType({part: str(e.get(part, "")) for part in TEXT_PARTS})
                             for e in data["entries"]})


def changed_since(taxonomy: Taxonomy, texts: Mapping[str, Mapping[str, str]]) -> dict[str, tuple[str, ...]]:
    """Today's entries whose text differs from `texts` (found under today's id or a former one), with the parts
    that differ; entries the edition does not hold were added since and are left to the 'added' rule."""
    found: dict[str, tuple[str, ...]] = {}
    for entry in taxonomy.entries.values():
        old = next((texts[i] for i in (entry.id, *entry.former_ids) if i in texts), None)
        if old is None:
            continue
        parts = tuple(part for part, text in entry_text(entry).items() if old.get(part) != text)
        if parts:
            found[entry.id] = parts
    return found


def unrecorded_changes(taxonomy: Taxonomy, src: Path, root: Path) -> list[Problem]:
    """Every entry whose text changed since the last release with a stored edition, without a 'changed' record (or
    its rename or retirement) in a later release (nothing when no release has one, as in a fresh repository)."""
    repo = src.parent
    frozen = [i for i, r in enumerate(taxonomy.releases) if r.released and archive_of(repo, r.version).is_file()]
    if not frozen:
        return []
    last = taxonomy.releases[frozen[-1]]
    changed = changed_since(taxonomy, stored_texts(archive_of(repo, last.version), last.version))
    # A rename or a retirement is itself the record of what happened to that entry (its page says so).
    recorded = {i for r in taxonomy.releases[frozen[-1] + 1:]
                for i in (*r.changed, *r.retired, *(new for _, new in r.renamed))}
    missing = [(i, parts) for i, parts in changed.items() if i not in recorded]
    if not missing:
        return []
    node = parse_yaml((src / CHANGELOG).read_text("utf-8"))
    assert node is not None and isinstance(node.value, dict)  # the changelog loaded, so it has a releases list
    line, place = upcoming_place(node.value["releases"], "changed")
    shown = display_path(src / CHANGELOG, root)
    return [Problem(shown, line, (
        f"entry '{entry_id}' changed its {' and '.join('sections' if p == 'markdown' else p for p in parts)} since "
        f"release {last.version} (got text that differs from {STORE}/{last.version}.tar.gz), but no later release "
        f"records it under 'changed'. Fix: add '- {{id: {entry_id}, note: \"What changed, in one line.\"}}' under "
        f"'changed' of {place}, with 'correction: true' if it corrects a fact or an attribution."))
        for entry_id, parts in missing]
