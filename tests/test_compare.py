"""The comparison page: every matrix cell links to the justification it summarises, and silence is explicit."""

from __future__ import annotations

from urllib.parse import urljoin

from conftest import ROOT, Site
from taxonomy.loader import load

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)


def test_matrix_cells_link_to_justifications(site: Site) -> None:
    """Every matrix cell links to the row of the entry's own table that justifies it, and that anchor exists."""
    page = site.page("compare/")
    matrix = page.find(id="matrix").find_next("table")
    rows = matrix.select("tbody tr")
    assert len(rows) == len(TAXONOMY.of_kind("failure-mode"))
    for row in rows:
        for cell in row.find_all("td")[1:]:
            href = cell.a["href"]
            path, fragment = href.split("#")
            target = site.page(urljoin("compare/", path).lstrip("/"))
            anchor = target.find(id=fragment)
            assert anchor is not None, href
            assert anchor.find_parent("tr").find_all("td")[1].get_text(strip=True) == cell.get_text(strip=True)
    for dimension in TAXONOMY.dimensions:
        assert matrix.find(id=f"dim-{dimension.id}") is not None


def test_not_stated_is_explicit(site: Site) -> None:
    """Where the source is silent, the matrix says "not stated" rather than leaving a blank."""
    page = site.page("compare/")
    cells = [td.get_text(strip=True) for td in page.find(id="matrix").find_next("table").select("tbody td")]
    assert all(cells) and "not stated" in cells
