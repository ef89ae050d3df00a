"""The comparison page: every matrix cell links to the justification it summarises, and silence is explicit."""

from __future__ import annotations

from urllib.parse import urljoin

from conftest import ROOT, Site
from taxonomy.loader import load
from taxonomy.model import NOT_STATED

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


def test_not_stated_cells_are_quiet_links(site: Site) -> None:
    """A "not stated" cell is a quiet link (it still leads to the reason); no stated value is quiet."""
    page = site.page("compare/")
    rows = page.find(id="matrix").find_next("table").select("tbody tr")
    for entry, row in zip(TAXONOMY.of_kind("failure-mode"), rows, strict=True):
        for dimension, cell in zip(TAXONOMY.dimensions, row.find_all("td")[1:], strict=True):
            value = entry.dimension(dimension.id)
            assert value is not None
            assert ("tx-quiet" in cell.a.get("class", [])) == (value.value == NOT_STATED), (entry.id, dimension.id)


def test_each_pair_says_what_tells_them_apart(site: Site) -> None:
    """Each pair's section opens with its `tell_apart` text, cited, and links to both entries' neighbours."""
    page = site.page("compare/")
    for a, b in TAXONOMY.neighbour_pairs():
        heading = page.find(id=TAXONOMY.pair_anchor(a, b))
        section = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h2", "h3"):
                break
            section.append(sibling)
        said = TAXONOMY.difference(a, b)
        assert said is not None, (a.id, b.id)
        assert "tx-key-difference" in section[0].get("class", []) and section[0].select("a.tx-cite")
        links = {urljoin("compare/", a_["href"]) for s in section for a_ in s.find_all("a", href=True)}
        assert {f"taxonomy/{a.id}/#neighbours", f"taxonomy/{b.id}/#neighbours"} <= links
