"""The page registry (taxonomy/pages.py) is the whole site: every page the renderer writes is registered, every
anchor a page type promises is on its pages, and the anchor registry, permalinks and validators all follow it.

Expectations come from the fixture sources and the templates, never from a list written here.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markdown_site import render

from conftest import FIXTURES, ROOT
from taxonomy import export, pages, sources
from taxonomy.anchors import published, resolvable
from taxonomy.loader import check, load
from taxonomy.model import Taxonomy, step_name
from taxonomy.render import Renderer
from taxonomy.templating import TEMPLATES
from taxonomy.urls import address, entry_path, relative

HEADING_ANCHOR = re.compile(r"^#{1,6} .*\{#([a-z0-9-]+)\}\s*$", re.MULTILINE)
"""A heading with a literal anchor in a template (anchors built from data hold `{{` and do not match)."""


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def _ids(markdown_page: str) -> set[str]:
    parser = _Ids()
    parser.feed(render(markdown_page))
    return parser.ids


def _taxonomy(tmp_path: Path, *overlays: str) -> Taxonomy:
    src = tmp_path / "taxonomy_src"
    for overlay in overlays:
        shutil.copytree(FIXTURES / overlay, src, dirs_exist_ok=True)
    return load(src, tmp_path)


FIXTURE_SITES = {"minimal with cases": ("minimal", "cases"), "provenance": ("provenance",)}


@pytest.fixture(params=list(FIXTURE_SITES), scope="module")
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Taxonomy, dict[str, str]]:
    """A fixture taxonomy and every file the renderer writes for it."""
    taxonomy = _taxonomy(tmp_path_factory.mktemp("src"), *FIXTURE_SITES[request.param])
    return taxonomy, Renderer(taxonomy).files()


def test_every_generated_file_is_a_registered_page(site: tuple[Taxonomy, dict[str, str]]) -> None:
    """The renderer writes exactly the registry's generated pages: each file is one, and each one is written."""
    taxonomy, files = site
    for path in files:
        found = pages.page_at(path)
        assert found is not None, f"{path} is written but not in the page registry"
        page, key = found
        assert page.origin == pages.GENERATED and key in page.keys(taxonomy), path
    expected = {page.path_of(key) for page, key in pages.instances(taxonomy) if page.origin == pages.GENERATED}
    assert set(files) == expected


def test_every_promised_anchor_is_on_its_page(site: tuple[Taxonomy, dict[str, str]]) -> None:
    """Each anchor a page publishes (the template's own, and those the sources name) is an id in its HTML."""
    taxonomy, files = site
    checked = 0
    for page, key in pages.instances(taxonomy):
        anchors = page.anchors_of(taxonomy, key)
        if page.origin != pages.GENERATED or not anchors:
            continue
        ids = _ids(files[page.path_of(key)])
        missing = [anchor for anchor in anchors if anchor not in ids]
        assert missing == [], f"{page.path_of(key)} lacks the anchors {missing}"
        checked += len(anchors)
    assert checked > 0


def test_every_fixed_heading_anchor_of_a_template_is_registered() -> None:
    """A heading anchor written into a page template is a registered anchor of that page type (promised), or a
    transient one; adding a section to a template without registering it fails here."""
    for page in pages.generated():
        if page.template is None or not page.template.endswith(".md.j2"):
            continue
        written = set(HEADING_ANCHOR.findall((TEMPLATES / page.template).read_text("utf-8")))
        unregistered = written - set(page.anchors) - set(page.transient)
        assert not unregistered, f"{page.template} writes {sorted(unregistered)}; register them in pages.{page.name}"


def test_every_page_and_anchor_is_published_or_kept(site: tuple[Taxonomy, dict[str, str]]) -> None:
    """Every generated page's address is in the anchor registry's list (a redirect from a former id among the
    addresses that keep working), and so is every anchor of a published page."""
    taxonomy, files = site
    promised, kept = set(published(taxonomy)), resolvable(taxonomy)
    for path in files:
        page, key = pages.page_at(path) or (None, "")
        assert page is not None
        where = f"/{address(path)}"
        assert where in (promised if page.published else kept), path
        if page.published:
            assert {f"{where}#{a}" for a in page.anchors_of(taxonomy, key)} <= promised, path
    for page, key in pages.instances(taxonomy):
        if page.origin != pages.GENERATED:
            assert f"/{page.address(key)}" in promised, page.name


def test_transient_anchors_are_never_promised(site: tuple[Taxonomy, dict[str, str]]) -> None:
    """An anchor that disappears when the sources move on (the unreleased changes) is not in the registry."""
    taxonomy, _ = site
    promised = set(published(taxonomy))
    for page in pages.PAGES:
        assert not {f"/{page.address()}#{anchor}" for anchor in page.transient} & promised


def test_machine_readable_urls_are_published_addresses(site: tuple[Taxonomy, dict[str, str]]) -> None:
    """Permalinks in citations, the JSON export and JSON-LD all name addresses the site publishes."""
    taxonomy, _ = site
    promised = set(published(taxonomy))
    site_url = taxonomy.meta.site_url

    def local(url: str) -> str:
        assert url.startswith(site_url), url
        return "/" + url.removeprefix(site_url)

    for entry in taxonomy.entries.values():
        permalink = export.permalink(taxonomy, entry.id)
        assert local(permalink) in promised
        assert all(permalink in text for text in export.citations(taxonomy, entry).values())
        ld = export.json_ld(taxonomy, entry)
        assert all(local(url) in promised for url in re.findall(rf'"({re.escape(site_url)}[^"]*)"', ld))
    data = export.export(taxonomy)
    assert all(local(e["url"]) in promised for e in data["entries"])
    assert local(data["$schema"]) in promised
    for case in taxonomy.cases:
        ld = export.case_json_ld(taxonomy, case)
        assert local(export.case_permalink(taxonomy, case.id)) in promised
        assert all(local(url) in promised for url in re.findall(rf'"({re.escape(site_url)}[^"]*)"', ld))


TAKEN_BY_SOURCES = [  # (page type, fixture overlays, file under taxonomy_src/, text naming an id, the same with {})
    (pages.ENTRY, ("minimal",), "entries/gamma.md", "Gamma [@other].", "Gamma [@other].\n\n### Aside {{#{}}}"),
    (pages.DECISION_TREE, ("minimal",), "decision-tree.yaml", "  - id: second", "  - id: {}"),
    (pages.CASE, ("minimal", "cases"), "cases/alpha-case.md", "## The case {#case}", "## The case {{#{}}}"),
    (pages.CROSSWALK, ("minimal", "cases"), "crosswalk.yaml", "  - id: wobble", "  - id: {}"),
]


@pytest.mark.parametrize(("overlays", "name", "old", "new", "anchor"),
                         [(overlays, name, old, new, anchor) for page, overlays, name, old, new in TAKEN_BY_SOURCES
                          for anchor in page.anchors],
                         ids=[f"{page.name}-{anchor}" for page, *_ in TAKEN_BY_SOURCES for anchor in page.anchors])
def test_no_source_id_may_take_a_fixed_anchor(tmp_path: Path, overlays: tuple[str, ...], name: str, old: str,
                                              new: str, anchor: str) -> None:
    """An id from the sources that would land on an anchor its page's template writes is refused, naming it."""
    src = tmp_path / "taxonomy_src"
    for overlay in overlays:
        shutil.copytree(FIXTURES / overlay, src, dirs_exist_ok=True)
    path = src / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new.format(anchor), 1), "utf-8")
    problems = check(src, tmp_path)
    assert any(p.path.endswith(name) and f"'{anchor}'" in p.message for p in problems), [str(p) for p in problems]


def test_no_source_key_may_take_an_anchor_of_the_sources_page() -> None:
    """A key in sources.yaml becomes an anchor of the Sources page, so the page's own anchors are refused."""
    assert set(pages.SOURCES.anchors) <= sources.PAGE_ANCHORS


def test_edit_sources_exist() -> None:
    """Every page's edit link opens a file of the repository (for the real sources)."""
    taxonomy = load(ROOT / "taxonomy_src", ROOT)
    edits = Renderer(taxonomy).edit_sources()
    assert edits
    missing = sorted({source for source in edits.values() if not (ROOT / source).is_file()})
    assert missing == []


def test_every_hand_written_page_is_registered() -> None:
    """Each page written by hand in docs/ (and each page copied from the repository root) is in the registry, so
    its address is published and protected like a generated one."""
    written = {page.path: page for page in pages.PAGES if page.origin == pages.WRITTEN}
    on_disk = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert on_disk == set(written), "register the page in pages.py with origin=WRITTEN"
    assert all(page.edit == f"docs/{path}" for path, page in written.items())
    copied = [page for page in pages.PAGES if page.origin == pages.COPIED]
    assert all(isinstance(page.edit, str) and (ROOT / page.edit).is_file() for page in copied)


def test_a_path_belongs_to_at_most_one_page_type() -> None:
    """Single pages own their paths: a per-item page type never claims one (so `taken` keeps ids off them)."""
    for page in pages.PAGES:
        assert pages.page_at(page.path_of("some-key") if page.items else page.path) == \
            (page, "some-key" if page.items else "")
    for folder in {page.path.rpartition("/")[0] for page in pages.PAGES if page.items}:
        for slug in pages.taken(folder):
            found = pages.page_at(f"{folder}/{slug}.md")
            assert found is not None and found[0].items is None


def test_a_shared_name_gets_one_page_listing_both_entries(tmp_path: Path) -> None:
    """The same alternative name on two entries is valid: its address becomes a page that lists both."""
    src = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    alias = next(iter(_taxonomy(tmp_path / "probe", "minimal").entries["alpha"].aliases))
    beta = src / "entries" / "beta.md"
    beta.write_text(beta.read_text("utf-8").replace("aliases: []", f"aliases: [{alias}]", 1), "utf-8")
    taxonomy = load(src, tmp_path)
    files = Renderer(taxonomy).files()
    [slug] = [slug for slug, uses in pages.names(taxonomy).items() if pages.ambiguous(uses)]
    page = files[pages.NAME.path_of(slug)]
    assert all(f"]({relative(pages.NAME.path_of(slug), entry_path(e))})" in page for e in ("alpha", "beta"))
    assert f"/{pages.NAME.address(slug)}" in published(taxonomy)
    assert pages.NAME_REDIRECT.path_of(slug) not in files


def test_links_between_pages_follow_the_registry(site: tuple[Taxonomy, dict[str, str]]) -> None:
    """Every relative .md link a generated page writes lands on a page of the registry."""
    taxonomy, files = site
    every = {page.path_of(key) for page, key in pages.instances(taxonomy)}
    for path, text in files.items():
        if not path.endswith(".md"):
            continue
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text):
            resolved = urlsplit(target).path
            joined = Path(path).parent.joinpath(resolved).as_posix()
            parts: list[str] = []
            for part in joined.split("/"):
                if part == "..":
                    parts.pop()
                elif part not in (".", ""):
                    parts.append(part)
            assert "/".join(parts) in every, f"{path} links to {target}"


def test_a_step_id_prints_one_way_everywhere(site: tuple[Taxonomy, dict[str, str]]) -> None:
    """The tree page's headings and links, its flowchart and every case page print a step as `step_name` spells
    it (one spelling: the tree once printed Q2A where the cases printed Q2a)."""
    taxonomy, files = site
    shown = "\n".join(text for path, text in files.items() if path == "decision-tree.md" or path.startswith("cases/"))
    for question in taxonomy.decision_tree:
        anchor = re.escape(question.id)
        printed = re.findall(rf"\[(?:step )?([^\]]+)\]\([^)]*#{anchor}\)", shown)
        printed += re.findall(rf"^### (\S+?)\.? .*\{{#{anchor}\}}$", shown, re.MULTILINE)
        printed += re.findall(rf'href="#{anchor}"[^>]*>(?:(?!</a>).)*?font-weight="bold">(\S+?)\.</text>', shown)
        assert printed and set(printed) == {step_name(question.id)}, (question.id, sorted(set(printed)))
