"""Load and validate `taxonomy_src/`: every source file is read once, checked on its own, then against the others.

The checks live with their source: `meta`, `bibliography`, `dimensions`, `entries` (each file on its own) and
`crosscheck` (entries against each other), `sources`, `decision`, `releases`, `cases`, `crosswalk`, and the
anchor registry (`anchors`). This module only runs them in order; every problem is reported as `path:line: …`.
"""

from __future__ import annotations

from pathlib import Path

from .anchors import check_registry
from .bibliography import load_bibliography
from .cases import CASES_DIR, check_case_counts, load_cases
from .crosscheck import Known, by_id, check_entries, copies, former_ids, tell_apart_pairs
from .crosswalk import load_crosswalk
from .decision import DecisionTree, load_decision_tree
from .dimensions import load_dimensions
from .entries import SourceCache, read_entries
from .lean.memory import collection_paused
from .meta import META, load_meta
from .model import Taxonomy
from .problems import Problem, TaxonomyError, display_path, internal_error
from .published import unrecorded_changes
from .releases import load_releases
from .sources import load_sources

__all__ = ["SourceCache", "check", "load"]

SOURCE_NEEDS = ("url", "year")
"""The fields of a work that the source post needs beyond any work's (every entry page shows them)."""


def load(src: Path, root: Path | None = None, cache: SourceCache | None = None, *,
         case_coverage: bool = True) -> Taxonomy:
    """Load and validate everything under `src`; raise TaxonomyError listing every problem (never another error).

    Each file is read and parsed once; with a `cache`, entry files unchanged since an earlier load are not parsed
    again (their cross-file checks always run). `case_coverage=False` skips only the rule that every leaf of the
    tree is reached by a case (for scaffolding one).
    """
    try:
        with collection_paused():
            return _load(src, root or src.parent, cache or SourceCache(), case_coverage)
    except TaxonomyError:
        raise
    except Exception as exc:  # reported as a problem naming the file, never as a stack trace
        raise TaxonomyError([internal_error(exc)]) from None


def _load(src: Path, root: Path, cache: SourceCache, case_coverage: bool) -> Taxonomy:
    problems: list[Problem] = []
    meta = load_meta(src, root, problems)
    bibliography = load_bibliography(src, root, problems)
    works = bibliography.works
    dimensions = load_dimensions(src, root, problems)
    documents = read_entries(src, root, problems, cache)
    known = Known(bibliography, dimensions, former_ids(documents), by_id(documents))
    entries = check_entries(documents, known, problems)
    duplicated = copies(documents)  # reported once, as duplicates; like broken files, reachable but not checked
    sources = load_sources(src, root, known, problems) if bibliography.keys is not None else ()
    if meta and known.unknown_key(meta.source):
        problems.append(Problem(display_path(src / META, root), meta.source_line, f"'source' must be a bibliography "
                                f"key (got {meta.source!r}). Fix: use the post's key."))
    elif meta and meta.source in works:
        missing = [name for name in SOURCE_NEEDS if getattr(works[meta.source], name) is None]
        if missing:
            problems.append(Problem(display_path(src / META, root), meta.source_line, (
                f"the source work '{meta.source}' lacks {' and '.join(repr(n) for n in missing)}, which every entry "
                f"page shows (got a work without {'them' if len(missing) > 1 else 'it'}). Fix: add "
                f"{' and '.join(repr(n) for n in missing)} to '{meta.source}' in bibliography.yaml.")))
    kinds = {d.path.stem: str(None if d.path in duplicated else d.values.get("kind"))  # by file name: no cascades
             for d in documents}
    before = len(problems)
    tree = load_decision_tree(src, root, kinds, known, problems)
    walkable = tree if len(problems) == before else DecisionTree()  # cases walk a tree only once it is valid
    facts = {d.path.stem: {"status": d.values.get("status"), "former_ids": d.values.get("former_ids", ()),
                           "readable": "id" in d.values and "status" in d.values and d.path not in duplicated}
             for d in documents}
    case_ids = frozenset(p.stem for p in (src / CASES_DIR).glob("*.md"))  # none when the folder is missing
    releases = load_releases(src, root, facts, meta.version if meta else None, problems, case_ids)
    cases, crosswalk = [], []
    if bibliography.keys is not None:  # both cite works: with an unreadable bibliography they would only repeat it
        before = len(problems)
        by_stem = {d.path.stem: d for d in documents}
        cases = load_cases(src, root, by_stem, known, walkable, problems, meta.source if meta else None,
                           coverage=case_coverage, unlocated=frozenset(s.key for s in sources))
        if meta and meta.cases_per_failure_mode and case_coverage and len(problems) == before:
            problems.extend(check_case_counts(by_stem, releases, cases, meta.cases_per_failure_mode))
        crosswalk = load_crosswalk(src, root, kinds, works, problems)
    if problems or meta is None:
        raise TaxonomyError(problems)
    taxonomy = Taxonomy.build(meta, entries, works, dimensions.dimensions, tree.questions, releases, sources,
                              tree.outcomes, tree.retired, tuple(cases), tuple(crosswalk))
    problems.extend(tell_apart_pairs(taxonomy, {str(d.values.get("id")): d.lines for d in documents}))
    problems.extend(check_registry(taxonomy, src, root))
    problems.extend(unrecorded_changes(taxonomy, src, root))
    if problems:
        raise TaxonomyError(problems)
    return taxonomy


def check(src: Path, root: Path | None = None) -> list[Problem]:
    """All problems in the sources (empty when valid)."""
    try:
        load(src, root)
    except TaxonomyError as exc:
        return exc.problems
    return []
