"""The pull-request preview: a build that a reviewer opens from the file system (unzipped), with no server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from conftest import fixture_project, run_mkdocs
from taxonomy.releases import add_to_upcoming
from taxonomy.sitecheck import ERROR, check_site, load_sources

LOCAL = {"a": "href", "link": "href", "script": "src", "img": "src"}


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make preview` of a fixture project with a renamed entry (so redirect stubs are in it too)."""
    project = fixture_project(tmp_path_factory.mktemp("preview"))
    src = project / "taxonomy_src"
    (src / "entries/gamma.md").rename(src / "entries/gamma-renamed.md")
    renamed = src / "entries/gamma-renamed.md"
    renamed.write_text(renamed.read_text("utf-8").replace("id: gamma\n", "id: gamma-renamed\nformer_ids: [gamma]\n"),
                       "utf-8")
    add_to_upcoming(src, "renamed", "{from: gamma, to: gamma-renamed}")
    build = run_mkdocs(project, "build", "--strict", "--no-directory-urls", "--site-dir", str(project / "preview"))
    assert build.returncode == 0, build.stderr
    return project


def _local_targets(page: Path, root: Path) -> Iterator[tuple[str, Path]]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    for tag, attr in LOCAL.items():
        for element in soup.find_all(tag):
            url = element.get(attr)
            parts = urlsplit(url or "")
            if not url or parts.scheme or parts.netloc or not parts.path:
                continue
            yield url, (page.parent / unquote(parts.path)).resolve()
    for stub in soup.find_all("meta", attrs={"http-equiv": "refresh"}):
        url = stub["content"].partition("url=")[2]
        yield url, (page.parent / url).resolve()


def test_every_local_link_names_a_file(preview: Path) -> None:
    """From the file system a folder URL does not open its index.html: every local link must name a file."""
    out = preview / "preview"
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue  # only a web server shows it, for addresses that do not exist
        for url, target in _local_targets(page, out):
            assert target.is_file(), f"{page.relative_to(out)}: {url}"
    walk = BeautifulSoup((out / "decision-tree.html").read_text("utf-8"), "html.parser").find(id="tx-walk")
    urls = [e["url"] for e in json.loads(walk["data-tree"])["entries"].values()]
    assert urls and all(url.endswith(".html") and (out / url).is_file() for url in urls)


def test_preview_passes_the_site_checker(preview: Path) -> None:
    """The preview is checked like the site: every link, anchor, footnote and citation resolves."""
    sources, note = load_sources(preview / "taxonomy_src", preview)
    assert note is None
    problems = [str(f) for f in check_site(preview / "preview", sources).findings if f.severity == ERROR]
    assert problems == []


@pytest.mark.browser
def test_reviewer_opens_the_preview_from_disk(preview: Path, browser: Browser) -> None:
    """Opened as file://…/index.html, the home page links through to an entry, and a redirect stub still lands."""
    out = preview / "preview"
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((out / "index.html").as_uri())
        page.locator("article a[href$='taxonomy/alpha.html']").first.click()
        page.wait_for_url("**/taxonomy/alpha.html")
        assert page.locator("article h1").inner_text().startswith("Alpha failure")
        page.goto((out / "taxonomy" / "gamma" / "index.html").as_uri())
        page.wait_for_url("**/taxonomy/gamma-renamed.html*")
        assert page.locator("article h1").inner_text().startswith("Gamma concept")
        assert errors == []
    finally:
        context.close()
