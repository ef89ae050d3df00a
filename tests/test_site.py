"""The real site, built once with --strict: every entry, relation, citation and credit is where readers expect it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import material
import pytest
from bs4 import BeautifulSoup, Tag

from conftest import ROOT, Site
from taxonomy.loader import load
from taxonomy.model import Taxonomy
from taxonomy.render import NAV_LIMIT, names_in_reading_order

TAXONOMY: Taxonomy = load(ROOT / "taxonomy_src", ROOT)
ENTRY_IDS = list(TAXONOMY.entries)
POST_URL = TAXONOMY.works[TAXONOMY.meta.source].url


def section(page: BeautifulSoup, anchor: str) -> list[Tag]:
    """The elements after heading #anchor up to the next heading of the same level."""
    heading = page.find(id=anchor)
    assert heading is not None, f"no #{anchor}"
    elements = []
    for sibling in heading.find_next_siblings():
        if sibling.name == heading.name:
            break
        elements.append(sibling)
    return elements


def hrefs(elements: list[Tag]) -> set[str]:
    """All link targets inside some elements."""
    return {a["href"] for el in elements for a in el.find_all("a", href=True)}


def test_every_entry_has_its_page(site: Site) -> None:
    """Each entry is at /taxonomy/<id>/ with its title as the only h1 and its summary under it."""
    for entry in TAXONOMY.entries.values():
        page = site.page(f"taxonomy/{entry.id}/")
        assert [h.get_text(strip=True).rstrip("¶") for h in page.select("article h1")] == [entry.title]
        assert page.select_one(".tx-summary").get_text(" ", strip=True) == entry.summary


def test_entry_count_matches_sources(site: Site) -> None:
    """No entry is silently dropped: one page per source file; every other folder is a former id's redirect."""
    files = sorted(p.stem for p in (ROOT / "taxonomy_src" / "entries").glob("*.md"))
    folders = {p.parent.name: p for p in (site.root / "taxonomy").glob("*/index.html")}
    redirects = {name for name, path in folders.items()
                 if BeautifulSoup(path.read_text("utf-8"), "html.parser").find("meta", attrs={"http-equiv": "refresh"})}
    assert sorted(folders.keys() - redirects) == files
    assert redirects == {old for entry in TAXONOMY.entries.values() for old in entry.former_ids}


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_source_credit_and_citation_block(site: Site, entry_id: str) -> None:
    """Every entry page credits the post (author marked unverified) and ends with a permalink citation."""
    page = site.page(f"taxonomy/{entry_id}/")
    credit = page.select_one("article .admonition.abstract")
    assert credit is not None and POST_URL in hrefs([credit])
    assert "unverified" in credit.get_text()
    permalink = f"{TAXONOMY.meta.site_url}taxonomy/{entry_id}/"
    cite = section(page, "cite")
    assert any(permalink in el.get_text() for el in cite)
    assert permalink in hrefs(cite)


def test_home_page_credits_source_and_shows_tree(site: Site) -> None:
    """The home page names the source and its (unverified) author and links every non-concept entry."""
    home = site.page("")
    text = " ".join(home.get_text(" ").split())
    author = names_in_reading_order(TAXONOMY.works[TAXONOMY.meta.source])
    assert POST_URL in hrefs([home]) and author in text and "unverified" in text
    tree = {urljoin("/", h) for h in hrefs(section(home, "tree"))}
    expected = {f"/taxonomy/{e.id}/" for e in TAXONOMY.entries.values() if e.kind != "concept"}
    assert expected <= tree


def test_relations_show_on_both_ends(site: Site) -> None:
    """A relation declared in one file appears in the Related section of both entries' pages."""
    declared = [rel for entry in TAXONOMY.entries.values() for rel in entry.relations]
    assert declared, "the taxonomy declares relations"
    for rel in declared:
        for here, there in ((rel.source, rel.target), (rel.target, rel.source)):
            related = section(site.page(f"taxonomy/{here}/"), "related")
            item = next((li for el in related for li in el.find_all("li")
                         if f"../{there}/" in hrefs([li])), None)
            assert item is not None, f"{here} does not show {rel.type} {there}"
            label = {"distinct-from": "Distinct from", "can-co-occur-with": "Can co-occur with",
                     "often-confused-with": "Often confused with"}[rel.type]
            assert item.get_text().startswith(label)


def test_backlinks_and_tree_position(site: Site) -> None:
    """Pages list the entries that link to them, their ancestors and their children."""
    for entry in TAXONOMY.entries.values():
        page = site.page(f"taxonomy/{entry.id}/")
        for target in entry.links:
            if target != entry.id:
                assert f"../{entry.id}/" in hrefs(section(site.page(f"taxonomy/{target}/"), "referred-by"))
        place = hrefs(section(page, "place"))
        if entry.parent:
            assert f"../{entry.parent}/" in place
        for child in TAXONOMY.children(entry.id):
            assert f"../{child.id}/" in place


def test_citations_link_to_reference_list(site: Site) -> None:
    """Every [@key] renders as a link to a reference item on the same page, naming the work."""
    for entry in TAXONOMY.entries.values():
        page = site.page(f"taxonomy/{entry.id}/")
        cited = {a["href"] for a in page.select("a.tx-cite")}
        assert cited == {f"#ref-{key}" for key in entry.cited}
        for key in entry.all_references:
            anchor = page.find(id=f"ref-{key}")
            assert anchor is not None and TAXONOMY.works[key].title in anchor.parent.get_text()


def test_footnotes_render_with_back_references(site: Site) -> None:
    """Each footnote in a source renders as a reference, a definition and a working back-reference."""
    total = 0
    for entry in TAXONOMY.entries.values():
        page = site.page(f"taxonomy/{entry.id}/")
        names = set(re.findall(r"^\[\^([^\]]+)\]:", entry.body, re.MULTILINE))
        definitions = page.select("div.footnote li[id^='fn:']")
        assert len(definitions) == len(names), entry.id
        for item in definitions:
            back = item.select_one("a.footnote-backref")
            assert back is not None and page.find(id=back["href"][1:]) is not None
            assert page.select(f"a.footnote-ref[href='#{item['id']}']")
        total += len(names)
    assert total > 0


def _nav_links(url: str, scope: Tag) -> list[str]:
    """The site paths an element's links to other pages lead to, as /a/b/."""
    return [urlparse(urljoin(f"https://site/{url}", a["href"])).path for a in scope.find_all("a", href=True)
            if not a["href"].startswith("#")]


def test_the_nav_shows_each_page_its_place_in_a_bounded_branch(site: Site) -> None:
    """On every entry and case page the primary nav marks one place: the page itself, or the listed page that leads
    to it (an ancestor or the overview, the index of concepts or of cases); each section it opens lists all the
    entries under it, and none lists more than NAV_LIMIT of them besides its own page."""
    pages = {f"taxonomy/{e.id}/": e for e in TAXONOMY.entries.values()}
    pages |= {f"cases/{c.id}/": None for c in TAXONOMY.cases}
    for url, entry in pages.items():
        nav = site.page(url).select_one("nav.md-nav--primary")
        places = nav.select("li.md-nav__item--active:not(.md-nav__item--nested) > a.md-nav__link")
        assert len(places) == 1, url
        place = _nav_links(url, places[0].parent)[0]
        if entry is None:
            allowed = {f"/{url}", "/cases/"}
        elif entry.kind == "concept":
            allowed = {f"/{url}", "/concepts/"}
        else:
            allowed = {f"/{url}", "/taxonomy/", *(f"/taxonomy/{a.id}/" for a in TAXONOMY.ancestors(entry.id))}
        assert place in allowed, (url, place)
        assert place == f"/{url}" or f"/{url}" not in _nav_links(url, nav), url  # listed pages are the place
        for section in nav.select("li.md-nav__item--active.md-nav__item--nested > nav > ul"):
            direct = [_nav_links(url, li)[0] for li in section.find_all("li", recursive=False)]
            opened = direct[0].strip("/").removeprefix("taxonomy/")  # a category's section opens with its page
            if direct[0] == f"/taxonomy/{opened}/" and opened in TAXONOMY.entries:
                assert direct[1:] == [f"/taxonomy/{c.id}/" for c in TAXONOMY.children(opened)], (url, opened)
                assert len(direct) <= NAV_LIMIT + 1, (url, opened)
    home = site.page("").select_one("nav.md-nav--primary")
    assert not [link for link in _nav_links("", home) if link.startswith("/taxonomy/") and link != "/taxonomy/"]


def test_concepts_are_reached_through_their_index(site: Site) -> None:
    """The nav's "Related concepts" page links every concept; no page's nav lists a concept one by one."""
    overview = site.page("taxonomy/").select_one("nav.md-nav--primary")
    assert [a.get_text(strip=True) for a in overview.find_all("a", href="../concepts/")] == ["Related concepts"]
    listed = {urljoin("concepts/", a["href"]) for a in site.page("concepts/").select("article a[href]")}
    assert {f"taxonomy/{e.id}/" for e in TAXONOMY.of_kind("concept")} <= listed
    for name, page in site.pages.items():
        nav = page.select_one("nav.md-nav--primary")
        for concept in TAXONOMY.of_kind("concept"):
            assert nav is None or not nav.find("a", href=re.compile(rf"(^|/){concept.id}/$")), (name, concept.id)


def test_no_third_party_requests(site: Site) -> None:
    """Nothing the browser loads comes from another host: scripts, styles, fonts, images, frames."""
    loaded = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "audio": "src",
              "video": "src", "embed": "src", "object": "data"}
    for name, page in site.pages.items():
        for tag, attr in loaded.items():
            for element in page.find_all(tag):
                url = element.get(attr)
                if not url or (tag == "link" and set(element.get("rel", [])) <= {"canonical", "alternate"}):
                    continue
                assert not urlparse(url).netloc, f"{name}: <{tag} {attr}={url}>"
    for css in site.root.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text("utf-8")), css
        assert "@import" not in css.read_text("utf-8").replace("@import url(", ""), css


def test_no_script_or_handlers_in_content(site: Site) -> None:
    """Article content has no scripts, inline event handlers or javascript: links."""
    for name, page in site.pages.items():
        for article in page.select("article"):
            assert not article.find("script"), name
            for element in article.find_all(True):
                assert not [a for a in element.attrs if a.lower().startswith("on")], name
                assert not str(element.get("href", "")).lower().startswith("javascript:"), name


def test_search_index_has_every_entry(site: Site) -> None:
    """Client-side search (built locally) finds every entry by title."""
    index = json.loads((site.root / "search" / "search_index.json").read_text("utf-8"))
    titles = {doc["title"] for doc in index["docs"]}
    assert {e.title for e in TAXONOMY.entries.values()} <= titles


def test_bibliography_lists_every_work(site: Site) -> None:
    """The bibliography has a stable anchor per citation key, with the work's URL where known."""
    page = site.page("bibliography/")
    for key, work in TAXONOMY.works.items():
        block = page.find(id=key)
        assert block is not None, key
        if work.url:
            assert work.url in hrefs([block])


ICONS = ROOT / "overrides" / ".icons"
MATERIAL_ICONS = Path(material.__file__).parent / "templates" / ".icons"
STYLESHEET = ROOT / "docs" / "assets" / "taxonomy.css"


def _icon_rule(css: str, name: str) -> str | None:
    """The drawing the stylesheet masks an icon class with, if it has a rule."""
    rule = re.search(rf"\.{re.escape(name)} \{{\s*--tx-icon: url\('data:image/svg\+xml;charset=utf-8,(.*?)'\);", css)
    return rule[1] if rule else None


def test_each_emptied_icon_is_drawn_as_material_draws_it() -> None:
    """Each Material icon that overrides/.icons/ empties is an svg.tx-icon whose stylesheet rule masks it with
    Material's own drawing of that icon, so it looks the same."""
    css = STYLESHEET.read_text("utf-8")
    overrides = sorted(ICONS.rglob("*.svg"))
    assert overrides
    for path in overrides:
        name = path.relative_to(ICONS).as_posix()
        markup = re.sub(r"\{#.*?#\}", "", path.read_text("utf-8"), flags=re.S).strip()
        empty = re.fullmatch(r'<svg class="tx-icon (tx-icon-[a-z0-9-]+)"></svg>', markup)
        assert empty, f"overrides/.icons/{name}: expected <svg class=\"tx-icon tx-icon-NAME\"></svg> (got {markup!r})"
        assert (MATERIAL_ICONS / name).is_file(), f"overrides/.icons/{name}: Material has no such icon"
        drawing = (MATERIAL_ICONS / name).read_text("utf-8").strip()
        assert _icon_rule(css, empty[1]) == drawing, f"taxonomy.css: .{empty[1]} must mask with Material's {name}"


def test_theme_icons_come_from_the_stylesheet(site: Site) -> None:
    """No page inlines a drawing in the theme's chrome (header, nav, search, buttons, footer): each icon there is
    an empty svg.tx-icon whose class the stylesheet draws. Drawings in the content (the flowchart) are content."""
    css = STYLESHEET.read_text("utf-8")
    for name, page in site.pages.items():
        for svg in page.find_all("svg"):
            if svg.find_parent("article") and not svg.find_parent(class_="md-content__button"):
                continue
            classes = svg.get("class", [])
            assert "tx-icon" in classes and not svg.contents, \
                f"{name}: an inline icon; add it to overrides/.icons/ and taxonomy.css (got {str(svg)[:120]})"
            icon = next((c for c in classes if c.startswith("tx-icon-")), "")
            assert _icon_rule(css, icon), f"{name}: taxonomy.css has no rule for .{icon or 'tx-icon-?'}"


def test_theme_features(site: Site) -> None:
    """Search, the light/dark toggle and heading permalinks are present; fonts are not fetched."""
    page = site.page(f"taxonomy/{ENTRY_IDS[0]}/")
    assert page.select("input[data-md-toggle='search']")
    assert len(page.select("form[data-md-component='palette'] input")) == 2
    assert page.select("article h2 a.headerlink")
    assert not page.find("link", href=re.compile("fonts.googleapis"))
