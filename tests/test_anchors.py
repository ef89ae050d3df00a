"""Published addresses never break: the registry, renames with redirects, former anchors, retirements."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Site, copy_project, edit, run_mkdocs
from taxonomy.anchors import REGISTRY, published, read_registry, unregistered
from taxonomy.loader import load

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)


def _page(root: Path, address: str) -> Path:
    path = address.lstrip("/").partition("#")[0]
    return root / (path + "index.html" if path == "" or path.endswith("/") else path)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_registry_lists_every_published_address() -> None:
    """The committed registry is complete: run `make anchors` when adding entries or sections."""
    assert unregistered(TAXONOMY, ROOT / "taxonomy_src") == []


def test_every_registered_address_resolves_in_the_built_site(site: Site) -> None:
    """Each registered URL is a built file, and each registered #fragment is an id on that page (looked up in the
    pages the session build already parsed)."""
    registered = read_registry(ROOT / "taxonomy_src" / REGISTRY)
    assert len(registered) >= len(published(TAXONOMY))
    ids: dict[str, set[str]] = {}
    for line, address in registered:
        path = _page(site.root, address)
        assert path.exists(), f"anchors.txt:{line}: {address}"
        fragment = address.partition("#")[2]
        if fragment:
            page = path.relative_to(site.root).as_posix()
            if page not in ids:
                ids[page] = {str(tag["id"]) for tag in site.pages[page].find_all(id=True)}
            assert fragment in ids[page], f"anchors.txt:{line}: {address}"


@pytest.mark.slow
def test_rewording_a_heading_keeps_its_anchor(tmp_path: Path) -> None:
    """Changing a heading's words, but not its {#id}, changes nothing a citation depends on."""
    project = copy_project(tmp_path)
    edit(project / "taxonomy_src/entries/precocious.md", "## How it arises {#how-it-arises}",
          "## Where it comes from {#how-it-arises}")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    heading = _soup(project / "out/taxonomy/precocious/index.html").find(id="how-it-arises")
    assert heading.get_text().startswith("Where it comes from")


@pytest.mark.slow
def test_removing_a_registered_anchor_fails_with_its_fix(tmp_path: Path) -> None:
    """Renaming a section id without declaring the old one stops the build, naming the address and the fix."""
    project = copy_project(tmp_path)
    edit(project / "taxonomy_src/entries/scheming.md", "{#in-this-taxonomy}", "{#role}")
    registry = project / "taxonomy_src" / REGISTRY
    line = next(n for n, a in read_registry(registry) if a == "/taxonomy/scheming/#in-this-taxonomy")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 1
    assert (f"taxonomy_src/anchors.txt:{line}: registered address '/taxonomy/scheming/#in-this-taxonomy' is no "
            "longer published (got no section there). Fix: restore it, or add 'in-this-taxonomy: <current section "
            "id>' to 'former_anchors' of that entry; a deprecated entry keeps its page.") in build.stderr


@pytest.mark.slow
def test_removing_an_entry_fails_with_its_fix(tmp_path: Path) -> None:
    """Deleting an entry file stops the build: its registered page address would break."""
    project = copy_project(tmp_path)
    (project / "taxonomy_src/entries/optimal-kludge.md").unlink()
    for path in (project / "taxonomy_src/entries").glob("*.md"):
        path.write_text(re.sub(r"\[\[optimal-kludge(\|([^\]]*))?\]\]", lambda m: m.group(2) or "optimal kludge",
                               path.read_text("utf-8")), "utf-8")
    edit(project / "taxonomy_src/changelog.yaml", "optimal-kludge, ", "")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 1
    assert ("registered address '/taxonomy/optimal-kludge/' is no longer published (got no page there). Fix: "
            "restore it, or add the old id to 'former_ids' of the entry that replaces it") in build.stderr


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project where 'overfit' became 'overfit-misalignment' and a section id changed, declared properly."""
    project = copy_project(tmp_path_factory.mktemp("renamed"))
    entries = project / "taxonomy_src/entries"
    cases = list((project / "taxonomy_src/cases").glob("*.md"))
    for other in [*entries.glob("*.md"), *cases, project / "taxonomy_src/decision-tree.yaml"]:
        text = re.sub(r"\[\[overfit([#|\]])", r"[[overfit-misalignment\1", other.read_text("utf-8"))
        text = re.sub(r"(?<=[\[ ])overfit(?=[,\]])", "overfit-misalignment", text)
        text = text.replace("kind: overfit\n", "kind: overfit-misalignment\n")
        other.write_text(text.replace("entry: overfit\n", "entry: overfit-misalignment\n"), "utf-8")
    (entries / "overfit.md").rename(entries / "overfit-misalignment.md")
    edit(entries / "overfit-misalignment.md", "id: overfit\n",
          "id: overfit-misalignment\nformer_ids: [overfit]\nformer_anchors: {limits: uncertain}\n")
    edit(project / "taxonomy_src/changelog.yaml", "    retired: []\n",
          "    retired: []\n  - version: \"0.2.0\"\n    date: null\n    summary: Rename.\n"
          "    renamed: [{from: overfit, to: overfit-misalignment}]\n")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    return project / "out"


@pytest.mark.slow
def test_rename_leaves_a_redirect_that_keeps_the_fragment(renamed: Path) -> None:
    """The old URL is a redirect stub: canonical link, meta refresh, and a script that maps old fragments."""
    stub = _soup(renamed / "taxonomy/overfit/index.html")
    assert stub.find("link", rel="canonical")["href"].endswith("/taxonomy/overfit-misalignment/")
    refresh = stub.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == "0; url=../overfit-misalignment/"
    script = stub.find("script").string
    assert '"limits": "uncertain"' in script and "location.hash" in script
    target = _soup(renamed / "taxonomy/overfit-misalignment/index.html")
    alias = target.find(id="limits")
    assert alias is not None and alias.find_next("h2")["id"] == "uncertain"
    compare = _soup(renamed / "compare/index.html")
    old_pair = compare.find(id="overfit-vs-underfit")
    assert old_pair is not None and old_pair.find_next("h3")["id"] == "overfit-misalignment-vs-underfit"


@pytest.mark.slow
def test_every_redirect_lands_on_an_existing_page_and_fragment(renamed: Path) -> None:
    """Every redirect stub in the build points at a built page; every old fragment it maps exists there."""
    stubs = [p for p in renamed.rglob("index.html")
             if _soup(p).find("meta", attrs={"http-equiv": "refresh"}) is not None]
    assert any("names" in p.parts for p in stubs) and any(p.parent.name == "overfit" for p in stubs)
    for stub in stubs:
        soup = _soup(stub)
        url = soup.find("meta", attrs={"http-equiv": "refresh"})["content"].partition("url=")[2]
        page = (stub.parent / url / "index.html").resolve()
        assert page.exists(), stub
        mapped = re.search(r"var anchors = (\{.*?\});", soup.find("script").string).group(1)
        for new in re.findall(r'": "([^"]+)"', mapped):
            assert _soup(page).find(id=new) is not None


@pytest.mark.slow
def test_renamed_page_says_what_it_was_and_history_records_it(renamed: Path) -> None:
    """The new page shows its former id; the what-changed page lists the rename."""
    page = _soup(renamed / "taxonomy/overfit-misalignment/index.html")
    assert "Formerly:" in page.get_text() and "overfit" in page.select_one(".tx-facts").get_text()
    changes = " ".join(_soup(renamed / "changes/index.html").select_one("article").get_text(" ").split())
    assert "Version 0.2.0 (in preparation)" in changes and "overfit → Overfit misalignment" in changes


@pytest.mark.slow
def test_retired_entry_keeps_a_tombstone(tmp_path: Path) -> None:
    """A deprecated entry stays published, says why and links to its replacement."""
    project = copy_project(tmp_path)
    edit(project / "taxonomy_src/entries/optimal-kludge.md", "status: active",
          "status: deprecated\nreplaced_by: fitness-seekers\nstatus_note: Folded into a broader entry for this test.")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    page = _soup(project / "out/taxonomy/optimal-kludge/index.html")
    box = page.select_one(".admonition.warning")
    assert "Folded into a broader entry for this test." in box.get_text()
    assert box.find("a")["href"] == "../fitness-seekers/"


def test_alternative_names_have_their_own_addresses(site: Site) -> None:
    """Every alias has /names/<slug>/: a redirect to its entry, or a page listing the entries it may mean."""
    names = _soup(site.root / "names/index.html")
    for entry in TAXONOMY.entries.values():
        for alias in entry.aliases:
            slug = re.sub(r"[^a-z0-9]+", "-", alias.lower()).strip("-")
            assert f"/names/{slug}/" in names.get_text()
            page = site.root / "names" / slug / "index.html"
            soup = _soup(page)
            refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
            hrefs = {urljoin(f"/names/{slug}/", a["href"]) for a in soup.find_all("a", href=True)}
            if refresh is not None:
                assert refresh["content"].endswith(f"url=../../taxonomy/{entry.id}/")
            else:
                assert f"/taxonomy/{entry.id}/" in hrefs
