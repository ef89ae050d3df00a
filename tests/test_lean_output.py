"""The built site is lean without a reader noticing: theme files no page loads are left out, and the theme's inline
scripts that every page repeated are files that do what they did."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlparse

import jinja2
import material
import pytest
import yaml
from playwright.sync_api import Page
from taxonomy_hooks import THEME_SCRIPTS, _nav_paths

from conftest import ROOT, Site, fixture_project, grown_sources, run_mkdocs
from taxonomy.lean import compact_page, inline_scripts, unused_theme_files
from taxonomy.loader import load
from taxonomy.render import NAV_LIMIT, Renderer
from taxonomy.urls import entry_path

MATERIAL = Path(material.__file__).parent / "templates"


def _search_languages(site: Site) -> list[str]:
    return list(json.loads((site.root / "search" / "search_index.json").read_text("utf-8"))["config"]["lang"])


def test_no_theme_file_that_no_page_loads(site: Site) -> None:
    """No source maps, no pointer to one, and no search language support the configured languages do not use; every
    script and stylesheet a page loads is there."""
    material_files = [p.relative_to(MATERIAL).as_posix() for p in MATERIAL.joinpath("assets").rglob("*") if p.is_file()]
    dropped = unused_theme_files(material_files, _search_languages(site))
    assert dropped, "Material ships source maps; none is expected to be kept"
    shipped = {p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.is_file()}
    assert not dropped & shipped
    assert not [p for p in shipped if p.endswith(".map")]
    for path in shipped:
        if path.endswith((".js", ".css")):
            assert "sourceMappingURL" not in (site.root / path).read_text("utf-8")[-300:], path
    base = urlparse(site.page("").select_one("link[rel=canonical]")["href"]).path  # served under it
    for name, page in site.pages.items():
        for tag, attribute in (("script", "src"), ("link", "href")):
            for element in page.find_all(tag, attrs={attribute: True}):
                if tag == "link" and "stylesheet" not in element.get("rel", []):
                    continue
                target = urlparse(urljoin(f"http://site{base}{name}", element[attribute]))
                if target.netloc == "site":
                    assert target.path.startswith(base) and target.path.removeprefix(base) in shipped, \
                        f"{name}: {element}"


def test_theme_scripts_are_files_not_repeated_inline(site: Site) -> None:
    """Each theme partial of inline scripts is served as a file holding exactly Material's code, and each page loads
    that file instead of repeating the code."""
    config = site.page("")  # the theme's settings, as Material writes them into every page
    features = json.loads(config.find("script", id="__config").get_text())["features"]
    context = {"config": {"extra": {}}, "base_url": ".", "features": features}
    for partial, path in THEME_SCRIPTS.items():
        code = inline_scripts(jinja2.Template((MATERIAL / partial).read_text("utf-8")).render(context))
        assert (site.root / path).read_text("utf-8") == code, path
        statements = [s.strip().rstrip(";") for s in code.split(";\n") if s.strip()]
        for name, page in site.pages.items():
            if page.find("meta", attrs={"http-equiv": "refresh"}) or not page.find("header"):
                continue  # redirect stubs use no theme
            loads = [s for s in page.find_all("script", src=True) if s["src"].endswith(path)]
            assert len(loads) == 1, f"{name}: loads {path} {len(loads)} times"
            for script in page.find_all("script", src=False):
                assert not [s for s in statements if s[:60] in script.get_text()], f"{name}: {partial} inline"


def test_every_page_is_compacted(site: Site) -> None:
    """The compaction reached every page the theme renders (compacting again changes nothing), and no JSON
    attribute spends six bytes on each quote."""
    for name, page in site.pages.items():
        text = (site.root / name).read_text("utf-8")
        if page.find("header"):
            assert compact_page(text) == text, name
        assert not re.search(r'="[\[{]&quot;', text), name


@pytest.mark.browser
def test_theme_scripts_as_files_do_what_the_inline_ones_did(new_tab: Callable[..., Page], base_url: str) -> None:
    """The scope is the site's root on pages at any depth; a colour scheme chosen on one page opens the next; a
    content tab chosen on one entry opens on the next (linked tabs); a tab named in the URL opens."""
    taxonomy = load(ROOT / "taxonomy_src", ROOT)
    first, second = list(taxonomy.entries)[:2]
    tab = new_tab()
    for path in ("", "compare/", f"taxonomy/{first}/"):
        tab.goto(base_url + path)
        assert tab.evaluate("() => __md_scope.href") == base_url, path
    tab.evaluate("() => document.querySelector('[data-md-component=palette] input[data-md-color-scheme=slate]')"
                 ".click()")
    tab.goto(f"{base_url}taxonomy/{second}/")
    assert tab.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    label = "#cite ~ .tabbed-set label"
    tab.locator(label, has_text="BibTeX").first.click()
    tab.goto(f"{base_url}taxonomy/{first}/")
    chosen = tab.locator(label, has_text="BibTeX").first.get_attribute("for")
    assert tab.evaluate("id => document.getElementById(id).checked", chosen)
    named = tab.locator(label, has_text="CSL-JSON").first.get_attribute("for")
    tab.goto(f"{base_url}taxonomy/{second}/#{named}")
    assert tab.evaluate("id => document.getElementById(id).checked", named)


@pytest.mark.slow  # builds a fixture site twice
def test_shortcuts_change_no_byte_of_the_site(tmp_path: Path) -> None:
    """Two shortcuts leave the site, search index included, byte for byte as it is without them: entry and case pages
    reach the search plugin without their unsearched sections (lean.searchable), and pages the nav does not list share
    one rendering of the nav per folder and place (overrides/partials/nav.html). The taxonomy has more kinds under one
    category than the nav lists, so unlisted pages in one folder stand in different places."""
    sites: dict[str, dict[str, bytes]] = {}
    for name in ("shortcuts", "whole"):
        project = fixture_project(tmp_path / name)
        shutil.rmtree(project / "taxonomy_src")
        grown_sources(project / "taxonomy_src", NAV_LIMIT + 1, "group", "cases")
        if name == "whole":
            (project / "overrides" / "partials" / "nav.html").unlink()
            lean = project / "hooks" / "taxonomy" / "lean.py"
            lean.write_text(lean.read_text("utf-8") + "\n\ndef searchable(html, skipped):\n    return None\n", "utf-8")
        result = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
        assert result.returncode == 0, result.stderr
        sites[name] = {p.relative_to(project / "out").as_posix(): gzip.decompress(p.read_bytes())
                       if p.suffix == ".gz" else p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    renderer = Renderer(load(project / "taxonomy_src", project))
    listed = set(_nav_paths(renderer.nav(yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))["nav"])))
    unlisted = [entry_path(e) for e in renderer.taxonomy.entries if entry_path(e) not in listed]
    assert len({renderer.stand_in(path, listed) for path in unlisted}) > 1, "unlisted entries stand in one place"
    assert sorted(sites["shortcuts"]) == sorted(sites["whole"])
    assert [path for path in sites["whole"] if sites["shortcuts"][path] != sites["whole"][path]] == []
