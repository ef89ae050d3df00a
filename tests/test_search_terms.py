"""Search speaks the field's vocabulary: every crosswalk term, typed into Material's own search in a real browser,
lists first what maps it. Expectations are derived from crosswalk.yaml and the entries, so a new term is tested
by construction."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page
from test_reader import _search

from conftest import ROOT
from taxonomy import pages
from taxonomy.loader import load
from taxonomy.model import Taxonomy
from taxonomy.urls import address, entry_path, name_slug

pytestmark = pytest.mark.browser
TAXONOMY: Taxonomy = load(ROOT / "taxonomy_src", ROOT)


def _expected(term_id: str, base: str) -> str:
    """The entry the term is an exact match for, or an entry of that name, else the term's own crosswalk page (an
    address under the path the site is served from, `base`)."""
    rows = [r for r in TAXONOMY.crosswalk if r.term_id == term_id]
    exact = [r.kind for r in rows if r.relation == "exactMatch" and r.kind]
    named = [e.id for e in TAXONOMY.entries.values()
             if name_slug(rows[0].term) in {name_slug(n) for n in (e.title, *e.aliases)}]
    target = entry_path((exact or named)[0]) if exact or named else pages.TERM.path_of(term_id)
    return base + address(target)


def test_each_crosswalk_term_finds_what_maps_it_first(page: Page, base_url: str) -> None:
    """Searching for a crosswalk term lists first the entry it is an exact match for (or an entry of that name),
    otherwise the term's own page in the crosswalk."""
    terms = dict.fromkeys((r.term_id, r.term) for r in TAXONOMY.crosswalk)
    assert terms
    page.goto(base_url)
    base = urlparse(base_url).path
    wrong = [f"{term!r}: {found or 'no result'} (wanted {_expected(term_id, base)})"
             for term_id, term in terms if (found := _search(page, term)) != _expected(term_id, base)]
    assert wrong == []
