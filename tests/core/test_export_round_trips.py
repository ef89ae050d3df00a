"""JSON-LD, taxonomy.json and CSL-JSON keep hostile text: each reads back (json.loads) as the source text; the
JSON-LD in a page's head cannot close its <script> and expands with pyld (schema.org's context from
tests/fixtures/schemaorg, never the network) to the values written; citeproc-py renders the CSL-JSON."""

from __future__ import annotations

import dataclasses
import json
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_site import front_matter
from pyld import jsonld

from taxonomy import export, pages
from taxonomy.casepages import CasePages
from taxonomy.escaping import one_line
from taxonomy.loader import load
from taxonomy.model import Taxonomy
from taxonomy.render import Renderer
from taxonomy.urls import absolute

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONTEXT = json.loads((FIXTURES / "schemaorg" / "context.jsonld").read_text("utf-8"))
SCHEMA = "http://schema.org/"
HOSTILE = [
    "</script><script>alert(1)</script>", "</SCRIPT >", "<!-- <script>", "]]> --> &amp; &lt;b&gt;",
    '"quoted" \\ back\\slash \\u0022', "astral 😀 𝔸 and bidi \u202e", '{"@context": "https://evil.example"}',
    "@id @type @value", "line\u2028separator", "}]}]", "\ufeffbom",
]
"""Text in a title, summary, alias or the taxonomy's title (the loader's checks set aside: inert by construction)."""


def _loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader: schema.org's context from the vendored copy; every other address refused."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the JSON-LD made pyld fetch {url!r}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}


def _expanded(data: object) -> dict[str, Any]:
    [node] = jsonld.expand(data, {"documentLoader": _loader})
    return dict(node)


class _Scripts(HTMLParser):
    """The text of each script element, and the text after the last one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.after = ""
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = self._inside and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data
        else:
            self.after += data


def _in_head(front: dict[str, Any]) -> object:
    """The JSON-LD of a page's front matter, placed as overrides/main.html places it, as the browser reads it."""
    parser = _Scripts()
    parser.feed(f'<head><script type="application/ld+json">{front["jsonld"]}</script></head><body>after</body>')
    parser.close()
    assert len(parser.scripts) == 1 and parser.after == "after", parser.scripts
    return json.loads(parser.scripts[0])


def _values(node: dict[str, Any], name: str) -> list[object]:
    return [v.get("@value", v.get("@id")) for v in node.get(SCHEMA + name, [])]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    """The minimal fixture with the cases overlay (a case, a crosswalk)."""
    import shutil
    src = tmp_path_factory.mktemp("src") / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    shutil.copytree(FIXTURES / "cases", src, dirs_exist_ok=True)
    return load(src, src.parent)


def _hostile(base: Taxonomy, text: str) -> Taxonomy:
    entries = {key: dataclasses.replace(e, title=f"{text} {key}", summary=text, aliases=(text,))
               for key, e in base.entries.items()}
    cases = tuple(dataclasses.replace(c, title=f"{text} {c.id}", summary=text) for c in base.cases)
    meta = dataclasses.replace(base.meta, title=text)
    return dataclasses.replace(base, entries=entries, cases=cases, meta=meta)


@pytest.mark.parametrize("text", HOSTILE)
def test_entry_json_ld_stays_in_its_script_and_expands_to_the_text(base: Taxonomy, text: str) -> None:
    """An entry page's JSON-LD reads back whole from the page's head, and expands to the entry's own values."""
    taxonomy = _hostile(base, text)
    renderer = Renderer(taxonomy)
    for entry in taxonomy.entries.values():
        data = _in_head(front_matter(renderer.entry_page(entry)))
        assert data == json.loads(export.json_ld(taxonomy, entry))
        node = _expanded(data)
        assert node["@id"] == export.permalink(taxonomy, entry.id)
        assert node["@type"] == [SCHEMA + "DefinedTerm"]
        # one_line drops only characters the file reader refuses anyway (a line separator)
        assert _values(node, "name") == [one_line(entry.title)]
        assert _values(node, "description") == [one_line(entry.summary)]
        assert _values(node, "alternateName") == list(entry.aliases)
        assert _values(node, "termCode") == [entry.id]
        assert _values(node, "url") == [export.permalink(taxonomy, entry.id)]
        [term_set] = node[SCHEMA + "inDefinedTermSet"]
        assert term_set["@id"] == absolute(taxonomy.meta.site_url, pages.OVERVIEW.path)
        assert _values(term_set, "name") == [taxonomy.meta.title]


@pytest.mark.parametrize("text", HOSTILE)
def test_case_json_ld_stays_in_its_script_and_expands_to_the_text(base: Taxonomy, text: str) -> None:
    """A case page's JSON-LD reads back whole from the page's head, and expands to the case's own values."""
    taxonomy = _hostile(base, text)
    assert taxonomy.cases
    case_pages = CasePages(Renderer(taxonomy))
    for case in taxonomy.cases:
        data = _in_head(front_matter(case_pages.case_page(case)))
        assert data == json.loads(export.case_json_ld(taxonomy, case))
        node = _expanded(data)
        assert node["@id"] == export.case_permalink(taxonomy, case.id)
        assert _values(node, "name") == [one_line(case.title)]
        assert _values(node, "description") == [one_line(case.summary)]
        assert _values(node, "genre") == [case.evidence]
        assert [a["@id"] for a in node[SCHEMA + "about"]] == [export.permalink(taxonomy, i.kind)
                                                               for i in case.illustrates]


def test_the_vendored_context_defines_every_term_the_json_ld_uses(base: Taxonomy) -> None:
    """A term the JSON-LD starts using is added to tests/fixtures/schemaorg/context.jsonld, so the expansion above
    checks it with schema.org's own definition (an address or a text)."""
    def terms(node: object) -> set[str]:
        if isinstance(node, list):
            return set().union(*map(terms, node)) if node else set()
        if isinstance(node, dict):
            found = {key for key in node if not key.startswith("@")}
            found |= {node["@type"]} if isinstance(node.get("@type"), str) else set()
            return found.union(*map(terms, node.values()))
        return set()

    used: set[str] = set()
    for entry in base.entries.values():
        used |= terms(json.loads(export.json_ld(base, entry)))
    for case in base.cases:
        used |= terms(json.loads(export.case_json_ld(base, case)))
    assert used <= set(CONTEXT["@context"]), used - set(CONTEXT["@context"])


@pytest.mark.parametrize("text", HOSTILE)
def test_taxonomy_json_gives_back_the_text(base: Taxonomy, text: str) -> None:
    """/taxonomy.json reads back with every hostile title, summary and alias as written."""
    taxonomy = _hostile(base, text)
    data = json.loads(export.export_json(taxonomy))
    assert data["title"] == text
    assert [(e["title"], e["summary"], e["aliases"]) for e in data["entries"]] == [
        (e.title, e.summary, list(e.aliases)) for e in taxonomy.entries.values()]
    assert [(c["title"], c["summary"]) for c in data["cases"]] == [(c.title, c.summary) for c in taxonomy.cases]


@pytest.mark.parametrize("text", HOSTILE)
def test_csl_json_gives_back_the_text_and_citeproc_renders_it(base: Taxonomy, text: str) -> None:
    """The CSL-JSON reads back as written, and citeproc-py renders a bibliography entry with title and address."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    taxonomy = _hostile(base, text)
    entry = next(iter(taxonomy.entries.values()))
    [item] = data = json.loads(export.cite_csl(taxonomy, entry, "2030-01-02"))
    assert (item["title"], item["container-title"]) == (entry.title, taxonomy.meta.title)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # citeproc-py names the CSL-JSON fields it does not use
        bibliography = CitationStylesBibliography(CitationStylesStyle("harvard-cite-them-right", validate=False),
                                                  CiteProcJSON(data), formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        [rendered] = [str(line) for line in bibliography.bibliography()]
    assert entry.title in rendered and export.permalink(taxonomy, entry.id) in rendered
