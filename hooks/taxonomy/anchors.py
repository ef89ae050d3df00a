"""The anchor registry: every published URL and fragment, which must never silently disappear."""

from __future__ import annotations

from pathlib import Path

from . import markup
from .model import Taxonomy
from .problems import Problem, display_path

REGISTRY = "anchors.txt"
HEADER = """\
# Every published URL and #fragment of the site, relative to the site root. This file is a public promise:
# an address listed here must keep resolving. `make anchors` appends new ones; nothing removes one.
# To rename or retire something, declare the old address instead (`former_ids`, `former_anchors`).
"""


def entry_anchors(taxonomy: Taxonomy, entry_id: str) -> list[str]:
    """Fragments published on an entry page: its sections and the template's own anchors."""
    entry = taxonomy.entries[entry_id]
    anchors = [s.id for s in entry.sections]
    anchors += sorted(markup.generated_anchors(entry.kind, "[^" in entry.body))
    anchors += [f"dim-{d.dimension}" for d in entry.dimensions]
    anchors += [f"ref-{key}" for key in entry.all_references]
    return anchors


def published(taxonomy: Taxonomy) -> list[str]:
    """Every citable address the current sources publish, sorted."""
    found = {"", "taxonomy/", "compare/", "decision-tree/", "bibliography/", "cite/", "changes/"}
    for entry in taxonomy.entries.values():
        page = f"taxonomy/{entry.id}/"
        found.add(page)
        found.update(f"{page}#{anchor}" for anchor in entry_anchors(taxonomy, entry.id))
    found.update(f"decision-tree/#{q.id}" for q in taxonomy.decision_tree)
    found.update(f"compare/#dim-{d.id}" for d in taxonomy.dimensions)
    found.update({"compare/#matrix", "compare/#layers", "compare/#pairs", "decision-tree/#outline",
                  "decision-tree/#flowchart"})
    found.update(f"compare/#{taxonomy.pair_anchor(a, b)}" for a, b in taxonomy.neighbour_pairs())
    found.update(f"bibliography/#{key}" for key in taxonomy.works)
    # An upcoming release's number is provisional until `make release`, so only released versions are promised.
    found.update(f"changes/#v{r.version.replace('.', '-')}" for r in taxonomy.releases if r.released)
    found.update({"names/", "taxonomy.json", "taxonomy.schema.json"})
    return sorted(f"/{address}" for address in found)


def resolvable(taxonomy: Taxonomy) -> set[str]:
    """Addresses that still work: published ones, plus redirects from former ids and former anchors."""
    found = set(published(taxonomy))
    found.update(f"/changes/#v{r.version.replace('.', '-')}" for r in taxonomy.releases)
    for entry in taxonomy.entries.values():
        current = [f"#{a}" for a in entry_anchors(taxonomy, entry.id)]
        old_anchors = [f"#{old}" for old, _ in entry.former_anchors]
        found.update(f"/taxonomy/{entry.id}/{a}" for a in old_anchors)
        for old in entry.former_ids:
            found.update(f"/taxonomy/{old}/{a}" for a in ["", *current, *old_anchors])
    for a, b in taxonomy.neighbour_pairs():
        found.update(f"/compare/#{anchor}" for anchor in taxonomy.former_pair_anchors(a, b))
    return found


def read_registry(path: Path) -> list[tuple[int, str]]:
    """Registered addresses with their line numbers (comments and blank lines skipped)."""
    if not path.exists():
        return []
    return [(number, line.strip()) for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
            if line.strip() and not line.startswith("#")]


def check_registry(taxonomy: Taxonomy, src: Path, root: Path) -> list[Problem]:
    """Registered addresses that no longer resolve (each an error naming how to fix it)."""
    path = src / REGISTRY
    shown = display_path(path, root)
    works = resolvable(taxonomy)
    problems = []
    for line, address in read_registry(path):
        if address not in works:
            page, _, fragment = address.partition("#")
            if not fragment:
                hint = "add the old id to 'former_ids' of the entry that replaces it"
            elif page.startswith("/taxonomy/"):
                hint = f"add '{fragment}: <current section id>' to 'former_anchors' of that entry"
            else:
                hint = "restore the dimension, question or work it names (their ids are permanent too)"
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
