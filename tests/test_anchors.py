"""Published addresses never break: the registry, renames with redirects, former anchors, retirements."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, Site, edit, fixture_project, run_mkdocs
from taxonomy.anchors import REGISTRY, published, read_registry, unregistered
from taxonomy.loader import load
from taxonomy.releases import add_to_upcoming

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)


def _page(root: Path, address: str) -> Path:
    path = address.lstrip("/").partition("#")[0]
    return root / (path + "index.html" if path == "" or path.endswith("/") else path)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def _landing(root: Path, address: str) -> tuple[Path, str]:
    """The page and fragment an address ends on, following redirect stubs (meta refresh and their anchor map)."""
    path, fragment = _page(root, address), address.partition("#")[2]
    soup = _soup(path)
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    if refresh is None:
        return path, fragment
    target = (path.parent / refresh["content"].partition("url=")[2] / "index.html").resolve()
    mapped = re.search(r"var anchors = (\{.*?\});", soup.find("script").string)
    anchors = dict(re.findall(r'"([^"]+)": "([^"]+)"', mapped.group(1))) if mapped else {}
    return target, anchors.get(fragment, fragment)


def assert_registry_resolves(root: Path, registry: Path) -> None:
    """Each registered URL is a built file, and each #fragment an id on the page it lands on (after redirects)."""
    ids: dict[Path, set[str]] = {}  # each page parsed once, however many fragments it publishes
    for line, address in read_registry(registry):
        assert _page(root, address).exists(), f"anchors.txt:{line}: {address}"
        page, fragment = _landing(root, address)
        assert page.exists(), f"anchors.txt:{line}: {address} redirects to a missing page"
        if fragment:
            if page not in ids:
                ids[page] = {str(tag["id"]) for tag in _soup(page).find_all(id=True)}
            assert fragment in ids[page], f"anchors.txt:{line}: {address}"


def test_registry_lists_every_published_address() -> None:
    """The committed registry is complete: run `make anchors` when adding entries or sections."""
    assert unregistered(TAXONOMY, ROOT / "taxonomy_src") == []


def test_every_registered_address_resolves_in_the_built_site(site: Site) -> None:
    """Each registered URL is a built file, and each registered #fragment is an id where it lands."""
    assert len(read_registry(ROOT / "taxonomy_src" / REGISTRY)) >= len(published(TAXONOMY))
    assert_registry_resolves(site.root, ROOT / "taxonomy_src" / REGISTRY)


@pytest.mark.slow
def test_rewording_a_heading_keeps_its_anchor(tmp_path: Path) -> None:
    """Changing a heading's words, but not its {#id}, changes nothing a citation depends on."""
    project = fixture_project(tmp_path)
    edit(project / "taxonomy_src/entries/alpha.md", "## How it arises {#how-it-arises}",
         "## Where it comes from {#how-it-arises}")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    heading = _soup(project / "out/taxonomy/alpha/index.html").find(id="how-it-arises")
    assert heading.get_text().startswith("Where it comes from")


@pytest.mark.slow
def test_removing_a_registered_anchor_fails_with_its_fix(tmp_path: Path) -> None:
    """Renaming a section id without declaring the old one stops the build, naming the address and the fix."""
    project = fixture_project(tmp_path)
    edit(project / "taxonomy_src/entries/gamma.md", "{#in-this-taxonomy}", "{#role}")
    registry = project / "taxonomy_src" / REGISTRY
    line = next(n for n, a in read_registry(registry) if a == "/taxonomy/gamma/#in-this-taxonomy")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 1
    assert (f"taxonomy_src/anchors.txt:{line}: registered address '/taxonomy/gamma/#in-this-taxonomy' is no "
            "longer published (got no section there). Fix: restore it, or add 'in-this-taxonomy: <current section "
            "id>' to 'former_anchors' of that entry; a deprecated entry keeps its page.") in build.stderr


@pytest.mark.slow
def test_removing_an_entry_fails_with_its_fix(tmp_path: Path) -> None:
    """Deleting an entry file stops the build: its registered page address would break."""
    project = fixture_project(tmp_path)
    (project / "taxonomy_src/entries/gamma.md").unlink()
    edit(project / "taxonomy_src/changelog.yaml", "gamma, ", "")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 1
    assert ("registered address '/taxonomy/gamma/' is no longer published (got no page there). Fix: "
            "restore it, or add the old id to 'former_ids' of the entry that replaces it") in build.stderr


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fixture project where 'beta' became 'beta-renamed' and a section id changed, declared properly."""
    project = fixture_project(tmp_path_factory.mktemp("renamed"))
    src = project / "taxonomy_src"
    for other in list((src / "entries").glob("*.md")) + [src / "decision-tree.yaml"]:
        text = re.sub(r"\[\[beta([#|\]])", r"[[beta-renamed\1", other.read_text("utf-8"))
        text = re.sub(r"(?<=[\[ ])beta(?=[,\]])", "beta-renamed", text)
        other.write_text(text.replace("entry: beta}", "entry: beta-renamed}"), "utf-8")
    (src / "entries/beta.md").rename(src / "entries/beta-renamed.md")
    edit(src / "entries/beta-renamed.md", "id: beta\n",
         "id: beta-renamed\nformer_ids: [beta]\nformer_anchors: {limits: uncertain}\n")
    add_to_upcoming(src, "renamed", "{from: beta, to: beta-renamed}")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    return project


def redirect_anchors(stub: str) -> dict[str, str]:
    """The old-to-new fragment map a redirect stub's script holds."""
    found = re.search(r"var anchors = (\{.*?\});", stub)
    assert found, "the redirect stub maps no fragments"
    return dict(json.loads(found[1]))


@pytest.mark.slow
def test_rename_leaves_a_redirect_that_keeps_the_fragment(renamed: Path) -> None:
    """The old URL is a redirect stub: canonical link, meta refresh, and a script that maps old fragments."""
    out = renamed / "out"
    stub = _soup(out / "taxonomy/beta/index.html")
    assert stub.find("link", rel="canonical")["href"].endswith("/taxonomy/beta-renamed/")
    refresh = stub.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == "0; url=../beta-renamed/"
    script = stub.find("script").string
    assert redirect_anchors(script) == {"limits": "uncertain"} and "location.hash" in script
    target = _soup(out / "taxonomy/beta-renamed/index.html")
    alias = target.find(id="limits")
    assert alias is not None and alias.find_next("h2")["id"] == "uncertain"
    compare = _soup(out / "compare/index.html")
    old_pair = compare.find(id="alpha-vs-beta")
    assert old_pair is not None and old_pair.find_next("h3")["id"] == "alpha-vs-beta-renamed"


def test_every_registered_address_still_resolves_after_a_rename(renamed: Path) -> None:
    """The rename keeps every address registered before it: old pages redirect, old fragments are mapped."""
    assert_registry_resolves(renamed / "out", renamed / "taxonomy_src" / REGISTRY)


@pytest.mark.slow
def test_every_redirect_lands_on_an_existing_page_and_fragment(renamed: Path) -> None:
    """Every redirect stub in the build points at a built page; every old fragment it maps exists there."""
    out = renamed / "out"
    stubs = [p for p in out.rglob("index.html")
             if _soup(p).find("meta", attrs={"http-equiv": "refresh"}) is not None]
    assert any("names" in p.parts for p in stubs) and any(p.parent.name == "beta" for p in stubs)
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
    """The new page shows its former id; the what-changed page lists the rename under the upcoming release."""
    out = renamed / "out"
    page = _soup(out / "taxonomy/beta-renamed/index.html")
    assert "Formerly:" in page.get_text() and "beta" in page.select_one(".tx-facts").get_text()
    upcoming = load(renamed / "taxonomy_src", renamed).releases[-1]
    changes = " ".join(_soup(out / "changes/index.html").select_one("article").get_text(" ").split())
    assert f"Version {upcoming.version} (in preparation)" in changes and "beta → Beta failure" in changes


@pytest.mark.slow
def test_retired_entry_keeps_a_tombstone(tmp_path: Path) -> None:
    """A deprecated entry stays published, says why and links to its replacement."""
    project = fixture_project(tmp_path)
    edit(project / "taxonomy_src/entries/gamma.md", "status: active",
         "status: deprecated\nreplaced_by: alpha\nstatus_note: Folded into a broader entry for this test.")
    add_to_upcoming(project / "taxonomy_src", "retired", "gamma")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    page = _soup(project / "out/taxonomy/gamma/index.html")
    box = page.select_one(".admonition.warning")
    assert "Folded into a broader entry for this test." in box.get_text()
    assert box.find("a")["href"] == "../alpha/"
    assert_registry_resolves(project / "out", project / "taxonomy_src" / REGISTRY)


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
