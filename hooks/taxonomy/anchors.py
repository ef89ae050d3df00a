"""The anchor registry: every published URL and fragment, which must never silently disappear."""

from __future__ import annotations

from pathlib import Path

from . import claims, markup, sources
from .model import Taxonomy
from .problems import Problem, display_path
from .urls import FIXED_ANCHORS, NAMES_DIR, name_slug
from .yamlsrc import read_source

REGISTRY = "anchors.txt"
REGISTRY_MAX_BYTES = 16 * 1024 * 1024  # it grows with the site: about 0.9 MB at 1000 entries and 1200 cases
HEADER = """\
# Every published URL and #fragment of the site, relative to the site root. This file is a public promise:
# an address listed here must keep resolving. `make anchors` appends new ones; nothing removes one.
# To rename or retire something, declare the old address instead (`former_ids`, `former_anchors`).
"""


def entry_anchors(taxonomy: Taxonomy, entry_id: str) -> list[str]:
    """Fragments published on an entry page: its sections and the template's own anchors."""
    entry = taxonomy.entries[entry_id]
    anchors = [s.id for s in entry.sections]
    anchors += sorted(markup.generated_anchors(entry.kind, entry.has_footnotes))
    anchors += [f"dim-{d.dimension}" for d in entry.dimensions]
    anchors += [f"ref-{key}" for key in entry.all_references]
    anchors += [c.anchor for c in entry.claims if c.anchor]
    return anchors


def published(taxonomy: Taxonomy) -> list[str]:
    """Every citable address the current sources publish, sorted."""
    found = {"", "taxonomy/", "concepts/", "compare/", "decision-tree/", "bibliography/", "cite/", "changes/",
             "schema/"}
    for entry in taxonomy.entries.values():
        page = f"taxonomy/{entry.id}/"
        found.add(page)
        found.update(f"{page}#{anchor}" for anchor in entry_anchors(taxonomy, entry.id))
    found.update(f"decision-tree/#{q.id}" for q in taxonomy.decision_tree)
    found.update(f"compare/#dim-{d.id}" for d in taxonomy.dimensions)
    found.update(f"{page}#{anchor}" for page, anchors in FIXED_ANCHORS.items() for anchor in anchors)
    found.update(f"{NAMES_DIR}/{name_slug(alias)}/" for entry in taxonomy.entries.values() for alias in entry.aliases)
    found.update(f"compare/#{taxonomy.pair_anchor(a, b)}" for a, b in taxonomy.neighbour_pairs())
    found.update(f"bibliography/#{key}" for key in taxonomy.works)
    # An upcoming release's number is provisional until `make release`, so only released versions are promised.
    found.update(f"changes/#v{r.version.replace('.', '-')}" for r in taxonomy.releases if r.released)
    found.update({"names/", "taxonomy.json", "taxonomy.schema.json"})
    sources_page, questions_page = (p.removesuffix(".md") + "/" for p in (claims.SOURCES_PAGE,
                                                                          claims.OPEN_QUESTIONS_PAGE))
    found.update({sources_page, questions_page})
    found.update(f"{sources_page}#{anchor}" for anchor in [*sources.PAGE_ANCHORS, *claims.NAMES,
                                                           *(s.key for s in taxonomy.sources)])
    found.update(f"{questions_page}#{k.id}" for k in claims.KINDS if k.open_question)
    found.update(case_addresses(taxonomy))
    return sorted(f"/{address}" for address in found)


CASE_PAGE_ANCHORS = ("illustrates", "path", "references")
CROSSWALK_PAGE_ANCHORS = ("how-to-read", "terms", "export")


def case_addresses(taxonomy: Taxonomy) -> set[str]:
    """Addresses of worked cases, the crosswalk, and the tree's outcomes and retired questions."""
    found: set[str] = set()
    if taxonomy.cases:
        found.add("cases/")
    for case in taxonomy.cases:
        page = f"cases/{case.id}/"
        found.add(page)
        found.update(f"{page}#{anchor}" for anchor in [*(s.id for s in case.sections), *CASE_PAGE_ANCHORS])
    if taxonomy.crosswalk:
        found.update({"crosswalk/", "crosswalk.sssom.tsv"})
        found.update(f"crosswalk/#{anchor}" for anchor in CROSSWALK_PAGE_ANCHORS)
        found.update(f"crosswalk/#{row.term_id}" for row in taxonomy.crosswalk)
    found.update(f"decision-tree/#{item}" for item in [*(o.id for o in taxonomy.outcomes),
                                                         *(r.id for r in taxonomy.retired_questions)])
    if taxonomy.outcomes:
        found.add("decision-tree/#outcomes")
    if taxonomy.retired_questions:
        found.add("decision-tree/#retired")
    return found


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


def registry_lines(path: Path, root: Path) -> tuple[list[tuple[int, str]], list[Problem]]:
    """Registered addresses with their line numbers, and the problems that kept the file from being read."""
    if not path.exists() and not path.is_symlink():
        return [], []
    source = read_source(path, root, REGISTRY_MAX_BYTES)
    if source.text is None:
        return [], source.problems
    return [(number, line.strip()) for number, line in enumerate(source.text.splitlines(), 1)
            if line.strip() and not line.startswith("#")], []


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
            elif page.startswith(("/cases/", "/crosswalk/")):
                hint = "case ids and crosswalk term ids are permanent: keep the file or the term"
            elif not fragment:
                hint = "add the old id to 'former_ids' of the entry that replaces it"
            elif page.startswith("/taxonomy/"):
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
