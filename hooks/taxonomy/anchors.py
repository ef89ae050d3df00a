"""The anchor registry: every published URL and fragment, which must never silently disappear."""

from __future__ import annotations

import weakref
from pathlib import Path

from . import pages
from .model import Taxonomy
from .problems import Problem, display_path
from .urls import CASE_DIR, ENTRY_DIR, NAMES_DIR, release_anchor
from .yamlsrc import read_source

REGISTRY = "anchors.txt"
REGISTRY_MAX_BYTES = 16 * 1024 * 1024  # it grows with the site: about 0.9 MB at 1000 entries and 1200 cases
HEADER = """\
# Every published URL and #fragment of the site, relative to the site root. This file is a public promise:
# an address listed here must keep resolving. `make anchors` appends new ones; nothing removes one.
# To rename or retire something, declare the old address instead (`former_ids`, `former_anchors`).
"""


def entry_anchors(taxonomy: Taxonomy, entry_id: str) -> tuple[str, ...]:
    """Fragments published on an entry page: the template's own anchors and those its source names."""
    return pages.ENTRY.anchors_of(taxonomy, entry_id)


def published(taxonomy: Taxonomy) -> list[str]:
    """Every citable address the current sources publish, sorted: each published page of the page registry, with
    its template's anchors and those its sources name.

    Worked out once per taxonomy (a load checks the registry with them, `make check` then looks for new ones).
    """
    if _published and _published[0][0]() is taxonomy:
        return list(_published[0][1])
    found: set[str] = set()
    for page, key in pages.instances(taxonomy):
        if page.published:
            address = page.address(key)
            found.add(address)
            found.update(f"{address}#{anchor}" for anchor in page.anchors_of(taxonomy, key))
    addresses = sorted(f"/{address}" for address in found)
    _published[:] = [(weakref.ref(taxonomy), tuple(addresses))]
    return addresses


_published: list[tuple[weakref.ReferenceType[Taxonomy], tuple[str, ...]]] = []
"""The last taxonomy's published addresses (a taxonomy is never changed once built)."""


def resolvable(taxonomy: Taxonomy) -> set[str]:
    """Addresses that still work: published ones, plus redirects from former ids and former anchors."""
    found = set(published(taxonomy))
    changes = pages.CHANGES.address()
    found.update(f"/{changes}#{release_anchor(r.version)}" for r in taxonomy.releases)
    for entry in taxonomy.entries.values():
        old_anchors = [f"#{old}" for old, _ in entry.former_anchors]
        found.update(f"/{pages.ENTRY.address(entry.id)}{a}" for a in old_anchors)
        if entry.former_ids:  # the current anchors are asked for only where a former id redirects to them
            current = [f"#{a}" for a in entry_anchors(taxonomy, entry.id)]
            for old in entry.former_ids:
                found.update(f"/{pages.FORMER_ID.address(old)}{a}" for a in ["", *current, *old_anchors])
    compare = pages.COMPARE.address()
    for a, b in taxonomy.neighbour_pairs():
        found.update(f"/{compare}#{anchor}" for anchor in taxonomy.former_pair_anchors(a, b))
    return found


def registry_lines(path: Path, root: Path) -> tuple[list[tuple[int, str]], list[Problem]]:
    """Registered addresses with their line numbers, and the problems that kept the file from being read."""
    if not path.exists() and not path.is_symlink():
        return [], []
    source = read_source(path, root, REGISTRY_MAX_BYTES)
    if source.text is None:
        return [], source.problems
    return [(number, address) for number, line in enumerate(source.text.splitlines(), 1)
            if (address := line.strip()) and not line.startswith("#")], []


def read_registry(path: Path) -> list[tuple[int, str]]:
    """Registered addresses with their line numbers (comments and blank lines skipped; nothing if unreadable)."""
    return registry_lines(path, path.parent)[0]


def check_registry(taxonomy: Taxonomy, src: Path, root: Path) -> list[Problem]:
    """Registered addresses that no longer resolve (each an error naming how to fix it)."""
    path = src / REGISTRY
    shown = display_path(path, root)
    works = resolvable(taxonomy)
    lines, problems = registry_lines(path, root)
    for line, address in lines:
        if address not in works:
            page, _, fragment = address.partition("#")
            if page.startswith(f"/{NAMES_DIR}/"):
                hint = "keep the alternative name in some entry's 'aliases' (it may move to another entry)"
            elif page.startswith((f"/{CASE_DIR}/", f"/{pages.CROSSWALK.address()}")):
                hint = "case ids and crosswalk term ids are permanent: keep the file or the term"
            elif not fragment:
                hint = "add the old id to 'former_ids' of the entry that replaces it"
            elif page.startswith(f"/{ENTRY_DIR}/"):
                hint = f"add '{fragment}: <current section id>' to 'former_anchors' of that entry"
            else:
                hint = ("restore the dimension, question, outcome or work it names (their ids are permanent too; a "
                        "question that leaves the tree goes under 'retired' in decision-tree.yaml)")
            problems.append(Problem(shown, line, f"registered address '{address}' is no longer published "
                                                 f"(got no {'section' if fragment else 'page'} there). Fix: restore "
                                                 f"it, or {hint}; a deprecated entry keeps its page."))
    return problems


def unregistered(taxonomy: Taxonomy, src: Path) -> list[str]:
    """Published addresses missing from the registry."""
    registered = {address for _, address in read_registry(src / REGISTRY)}
    return [address for address in published(taxonomy) if address not in registered]


def register_new(taxonomy: Taxonomy, src: Path) -> list[str]:
    """Append newly published addresses to the registry (never removes any); return what was added."""
    path = src / REGISTRY
    new = unregistered(taxonomy, src)
    text = path.read_text("utf-8") if path.exists() else HEADER
    if new:
        path.write_text(text.rstrip("\n") + "\n" + "\n".join(new) + "\n", "utf-8")
    return new
