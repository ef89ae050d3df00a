"""The built site is lean without a reader noticing: theme files no page loads are left out, and the theme's inline
scripts that every page repeated are files that do what they did."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlparse

import jinja2
import material
import pytest
from playwright.sync_api import Page
from taxonomy_lean import THEME_SCRIPTS

from conftest import ROOT, Site
from taxonomy.lean.output import compact_page, inline_scripts, unused_theme_files
from taxonomy.loader import load

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
