"""Citation locators: one vocabulary for every citation, required in cases for works other than the post and its
copies, exported as CSL-JSON citation items (minimal fixture, plus the cases overlay)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import change
from taxonomy import locators
from taxonomy.export import export_json
from taxonomy.loader import check, load
from taxonomy.model import Work
from taxonomy.render import authors_text

C = "taxonomy_src/cases/"
BC = "cases/beta-case.md"
LABELS = ", ".join(locators.NAMES)

Change = tuple[str, str | None, str | None]

LOCATOR_CASES: list[tuple[str, list[Change], list[str]]] = [
    ("case citation without a locator", [(BC, "Beta happens [@other, p. 4].", "Beta happens [@other].")],
     [f"{C}beta-case.md:20: a case must say where in 'other' its claim is found (got '[@other]' without a "
      f"locator). Fix: add one after a comma, e.g. '[@other, sec. 4.2]', using one of {LABELS}."]),
    ("why of a kind without a locator", [(BC, "Our reading [@other, sec. 2].", "Our reading [@other].")],
     [f"{C}beta-case.md:8: a case must say where in 'other' its claim is found (got '[@other]' without a "
      f"locator). Fix: add one after a comma, e.g. '[@other, sec. 4.2]', using one of {LABELS}."]),
    ("label outside the vocabulary", [(BC, "[@other, p. 4]", "[@other, sect. 4]")],
     [f"{C}beta-case.md:20: unknown locator label (got '[@other, sect. 4]'). Fix: start the locator with one of "
      f"{LABELS}, e.g. 'sec. 4.2' (did you mean 'sec.'?)."]),
    ("label outside the vocabulary in a why", [(BC, "[@other, sec. 2]", "[@other, chapter 2]")],
     [f"{C}beta-case.md:8: unknown locator label (got '[@other, chapter 2]'). Fix: start the locator with one of "
      f"{LABELS}, e.g. 'sec. 4.2'."]),
    ("label without a place", [(BC, "[@other, p. 4]", "[@other, p.]")],
     [f"{C}beta-case.md:20: locator 'p.' needs a place after it (got '[@other, p.]'). Fix: write e.g. 'p. 3'."]),
    ("abstract with a place", [(BC, "[@other, p. 4]", "[@other, abstract 4]")],
     [f"{C}beta-case.md:20: locator 'abstract' takes nothing after it (got '[@other, abstract 4]'). Fix: write "
      "just 'abstract'."]),
    ("an entry's locator uses the same vocabulary", [("entries/alpha.md", "[@post, sec. 1]", "[@post, sect. 1]")],
     ["taxonomy_src/entries/alpha.md:19: unknown locator label (got '[@post, sect. 1]'). Fix: start the locator "
      f"with one of {LABELS}, e.g. 'sec. 4.2' (did you mean 'sec.'?)."]),
    ("a crosswalk locator uses the same vocabulary", [("crosswalk.yaml", "locator: p. 2", "locator: page 2")],
     ["taxonomy_src/crosswalk.yaml:13: unknown locator label (got 'locator: page 2'). Fix: start the locator "
      f"with one of {LABELS}, e.g. 'sec. 4.2'."]),
]


def _check(src: Path, changes: list[Change]) -> list[str]:
    for name, old, new in changes:
        change(src, name, old, new)
    return sorted(str(p) for p in check(src, src.parent))


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in LOCATOR_CASES], ids=[c[0] for c in LOCATOR_CASES])
def test_bad_locator_is_reported_exactly(case_sources: Path, changes: list[Change], expected: list[str]) -> None:
    """A missing locator in a case, or a label outside the vocabulary anywhere, is one message with its fix."""
    assert _check(case_sources, changes) == sorted(expected)


def test_the_post_and_its_copies_need_no_locator(case_sources: Path) -> None:
    """Works described in sources.yaml (the post, its copies, summaries, thread) may be cited bare in a case."""
    change(case_sources, "sources.yaml", None,
           "sources:\n  - key: other\n    name: A copy\n    kind: copy\n    contains: The text.\n"
           "    breaks_off: Nowhere.\n    obtained: Read it.\n")
    change(case_sources, BC, "[@other, sec. 2]", "[@other]")
    change(case_sources, BC, "[@other, p. 4]", "[@other]")
    assert "[@post]" in (case_sources / "cases" / "alpha-case.md").read_text("utf-8")  # the post, cited bare
    assert _check(case_sources, []) == []


@pytest.mark.parametrize("label", locators.LABELS, ids=[label.written for label in locators.LABELS])
def test_every_label_is_exported_as_its_csl_locator_type(label: locators.Label) -> None:
    """Each label of the vocabulary reads back as a CSL citation item naming its locator type."""
    written = f"{label.written} 3" if label.takes_value else label.written
    assert locators.csl_item("key", written) == {"id": "key", "label": label.csl,
                                                 "locator": "3" if label.takes_value else label.written}


def test_case_citations_are_exported_with_their_locators(case_sources: Path) -> None:
    """The JSON export lists each place a case cites as a CSL citation item, in order, once each."""
    exported = json.loads(export_json(load(case_sources, case_sources.parent)))
    cited = {c["id"]: c["citations"] for c in exported["cases"]}
    assert cited["beta-case"] == [{"id": "other", "label": "section", "locator": "2"},
                                  {"id": "other", "label": "page", "locator": "4"}]
    assert cited["alpha-case"] == [{"id": "post"}]


@pytest.mark.parametrize(("authors", "label", "listed"), [
    (("Writer, Will",), "Writer 2020", "Writer, Will"),
    (("Writer, Will", "Scribe, Sam"), "Writer and Scribe 2020", "Writer, Will and Scribe, Sam"),
    (("Writer, Will", "Scribe, Sam", "Pen, Pat"), "Writer et al. 2020", "Writer, Will, Scribe, Sam and Pen, Pat"),
    (("Writer, Will", "others"), "Writer et al. 2020", "Writer, Will et al."),
    (("Writer, Will", "Scribe, Sam", "others"), "Writer et al. 2020", "Writer, Will, Scribe, Sam et al."),
])
def test_an_incomplete_author_list_reads_et_al_everywhere(authors: tuple[str, ...], label: str, listed: str) -> None:
    """A list closed by 'others' is never shown as complete: 'et al.' in the citation and in the reference list."""
    work = Work(key="w", type="paper", authors=authors, title="T", container="C", year=2020)
    assert (work.label, authors_text(work)) == (label, listed)
