"""Lean output: the rules by which built pages and theme files shrink without a reader noticing."""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_site import render
from material.plugins.search.plugin import Parser

from taxonomy.lean.output import compact_page, compact_sitemap, inline_scripts, unused_theme_files, without_source_map
from taxonomy.lean.search import searchable
from taxonomy.loader import load
from taxonomy.pages import UNSEARCHED, page_at
from taxonomy.render import Renderer
from taxonomy.sanitize import clean


@pytest.mark.parametrize(("case", "page", "expected"), [
    ("indentation becomes one line break", "<ul>\n  <li>\n    <a>x</a>\n</li>\n</ul>",
     "<ul>\n<li>\n<a>x</a>\n</li>\n</ul>"),
    ("one between inline elements stays a space", "<p><a>x</a>\n<a>y</a></p>", "<p><a>x</a>\n<a>y</a></p>"),
    ("preformatted text is kept", "<pre>\n  <li>\n</pre>\n  <p>x</p>", "<pre>\n  <li>\n</pre>\n<p>x</p>"),
    ("a text area is kept", "<textarea>\n<p>\n  </textarea>", "<textarea>\n<p>\n  </textarea>"),
    ("every line break between the tags of the head goes",
     "<html>\n<head>\n<meta charset=utf-8>\n<script>x<y\n</script>\n</head>\n<body>\n<div>\n<span>",
     "<html><head><meta charset=utf-8><script>x<y\n</script></head>\n<body>\n<div>\n<span>"),
    ("a JSON attribute is single-quoted", '<div data-x="{&quot;a&quot;:[1,&quot;it\'s&quot;]}" hidden="">',
     "<div data-x='{\"a\":[1,\"it&#39;s\"]}' hidden=\"\">"),
    ("one in a list too", '<div data-x="[&quot;a&quot;]">', "<div data-x='[\"a\"]'>"),
    ("an attribute that is not JSON keeps its quotes", '<a title="&quot;q&quot;">', '<a title="&quot;q&quot;">'),
    ("a JSON value holding angle brackets keeps its quotes", '<a data-x="{&quot;a&quot;:&quot;<b>&quot;}">',
     '<a data-x="{&quot;a&quot;:&quot;<b>&quot;}">'),
    ("text that looks like a JSON attribute is kept", "<p>x data-x=\"{&amp;quot;a&amp;quot;}\"</p>",
     "<p>x data-x=\"{&amp;quot;a&amp;quot;}\"</p>"),
    ("so is one not after an attribute's name", '<p>="{&quot;a&quot;}"</p>', '<p>="{&quot;a&quot;}"</p>'),
    ("and script text", '<b data-x="{&quot;a&quot;}"></b><script>b="{&quot;a&quot;}"</script>',
     "<b data-x='{\"a\"}'></b><script>b=\"{&quot;a&quot;}\"</script>"),
])
def test_compact_page(case: str, page: str, expected: str) -> None:
    assert compact_page(page) == expected, case
    assert compact_page(expected) == expected, f"{case}: compacting twice changes nothing more"


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _attributes(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Attributes()
    parser.feed(page)
    parser.close()
    return parser.found


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                    max_leaves=8)


@given(JSON.filter(lambda v: isinstance(v, (dict, list))))
def test_a_single_quoted_json_attribute_reads_as_the_same_value(value: object) -> None:
    """Whatever the JSON holds (quotes, apostrophes, ampersands, brackets), the attribute parses to the same text."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    page = f'<div data-x="{escape(text, quote=True).replace("&#x27;", chr(39))}" hidden=""></div>'
    assert _attributes(compact_page(page)) == _attributes(page)


def test_unused_theme_files() -> None:
    """Source maps go; the search worker's language files go only when search is in English alone."""
    paths = ["assets/javascripts/bundle.js", "assets/javascripts/bundle.js.map", "assets/stylesheets/main.css.map",
             "assets/javascripts/lunr/min/lunr.de.min.js", "assets/javascripts/lunr/tinyseg.js", "assets/x.css"]
    assert unused_theme_files(paths, ["en"]) == {"assets/javascripts/bundle.js.map", "assets/stylesheets/main.css.map",
                                                 "assets/javascripts/lunr/min/lunr.de.min.js",
                                                 "assets/javascripts/lunr/tinyseg.js"}
    assert unused_theme_files(paths, ["en", "de"]) == {"assets/javascripts/bundle.js.map",
                                                       "assets/stylesheets/main.css.map"}
    assert unused_theme_files(paths, ["ja"]) == unused_theme_files(paths, ["en", "de"])


@pytest.mark.parametrize(("text", "expected"), [
    ("a();\n//# sourceMappingURL=bundle.js.map\n", "a();"),
    ("a{b:c}\n/*# sourceMappingURL=main.css.map*/", "a{b:c}"),
    ("a(); // sourceMappingURL= in the middle\nb();\n", "a(); // sourceMappingURL= in the middle\nb();\n"),
])
def test_without_source_map(text: str, expected: str) -> None:
    assert without_source_map(text) == expected


def test_inline_scripts() -> None:
    """A partial of inline scripts becomes one script file; anything else in it is refused, not lost."""
    assert inline_scripts("\n  <script>a()</script>\n<script>b=1</script>\n") == "a();\nb=1;\n"
    for partial in ("<script>a()</script><div></div>", "", '<script src="x.js"></script>'):
        with pytest.raises(ValueError, match="expected only inline <script> elements"):
            inline_scripts(partial)


def test_compact_sitemap() -> None:
    """Only the white space between tags goes: every address and date reads as before."""
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               "    <url>\n         <loc>https://x.org/a b/</loc>\n         <lastmod>2026-01-01</lastmod>\n    </url>\n"
               "</urlset>\n")
    assert compact_sitemap(sitemap) == ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                                        'schemas/sitemap/0.9"><url><loc>https://x.org/a b/</loc><lastmod>2026-01-01'
                                        "</lastmod></url></urlset>\n")


SKIPPED = frozenset({"s", "t"})
Sections = list[tuple[str | None, str, str]]


def search_sections(html: str, skipped: frozenset[str] = frozenset()) -> Sections:
    """What Material's search plugin reads from a page: each section's id, title and text (less `skipped` ones)."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data
            if not s.is_excluded() and s.id not in skipped]


@pytest.mark.parametrize(("case", "page", "expected"), [
    ("a skipped section goes up to the next heading with an id",
     '<h1 id="a">A</h1><p>1</p><h2 id="s">S</h2><p>2</p><h2 id="b">B</h2><p>3</p>',
     '<h1 id="a">A</h1><p>1</p><h2 id="b">B</h2><p>3</p>'),
    ("a heading without an id is part of the section",
     '<h1 id="a">A</h1><h2 id="s">S</h2><h3>x</h3><p>2</p><h2 id="b">B</h2>', '<h1 id="a">A</h1><h2 id="b">B</h2>'),
    ("skipped sections in a row, and one at the end",
     '<h1 id="a">A</h1><h2 id="s">S</h2><div><p>2</p></div><h2 id="t">T</h2><br><h2 id="b">B</h2><h2 id="t">T</h2>x',
     '<h1 id="a">A</h1><h2 id="b">B</h2>'),
    ("a page without skipped sections is itself", '<h1 id="a">A</h1><div><h2 id="b">B</h2></div>',
     '<h1 id="a">A</h1><div><h2 id="b">B</h2></div>'),
    ("a heading's other attributes and angle brackets in text",
     '<h1 id="a">A</h1><h2 class="x" id="s" title="y">S &lt;b&gt;</h2><h2 id="b">B</h2>',
     '<h1 id="a">A</h1><h2 id="b">B</h2>'),
    ("a skipped heading nested in an element is left to the parser",
     '<h1 id="a">A</h1><div><h2 id="s">S</h2></div><h2 id="b">B</h2>', None),
    ("so is a cut that would end inside an element", '<h1 id="a">A</h1><h2 id="s">S</h2><div><h2 id="b">B</h2></div>',
     None),
    ("or run into the end of an element", '<div><h1 id="a">A</h1></div><h2 id="s">S</h2></div>', None),
    ("or leave an element open at the end", '<h1 id="a">A</h1><h2 id="s">S</h2><div>', None),
    ("and a skipped first section (the parser makes the first section the page's)",
     '<p>0</p><h2 id="s">S</h2><h2 id="b">B</h2>', None),
    ("a self-closing tag", '<h1 id="a">A</h1><h2 id="s">S</h2><br/><h2 id="b">B</h2>', None),
    ("a single-quoted value", "<h1 id='a'>A</h1><h2 id=\"s\">S</h2>", None),
    ("a '<' in a value", '<h1 id="a" title="<div>">A</h1><h2 id="s">S</h2>', None),
    ("a '<' that starts no tag", '<h1 id="a">A</h1><h2 id="s">S</h2> 1 < 2', None),
    ("an upper-case tag", '<h1 id="a">A</h1><h2 id="s">S</h2><DIV></DIV>', None),
])
def test_searchable(case: str, page: str, expected: str | None) -> None:
    assert searchable(page, SKIPPED) == expected, case
    if expected is not None:
        assert search_sections(expected) == search_sections(page, SKIPPED), f"{case}: search reads the same"


_IDS = st.sampled_from([None, "a", "b", "s", "t"])
_TEXT = st.sampled_from(["x", "y z", " ", "1 < 2", "\n", "a & b"])
_BLOCK = st.recursive(
    st.one_of(
        st.tuples(st.sampled_from(["h1", "h2", "h3"]), _IDS, _TEXT).map(
            lambda h: f"<{h[0]}{f' id={chr(34)}{h[1]}{chr(34)}' if h[1] else ''}>{h[2]}</{h[0]}>"),
        _TEXT.map(lambda t: f"<p>{t}</p>"), st.just("<br>"), st.just("<hr>"), st.just('<img src="i.png" alt="">'),
        _TEXT.map(lambda t: f"<pre><code>{t}</code></pre>"), _TEXT.map(lambda t: f"<li>{t}</li>"),
        st.just('<p data-search-exclude="">hidden</p>')),
    lambda inner: st.tuples(st.sampled_from(["div", "ul", "details", "table"]), st.lists(inner, max_size=4)).map(
        lambda e: f"<{e[0]}>{''.join(e[1])}</{e[0]}>"),
    max_leaves=12)


@given(st.lists(_BLOCK, max_size=10))
def test_search_reads_the_same_from_a_searchable_page(blocks: list[str]) -> None:
    """Whatever the page (headings nested or not, with or without ids, skipped or not), the sanitiser's HTML cut by
    `searchable` gives search the same sections as the whole page less the skipped ones, or `searchable` declines."""
    page = clean("".join(blocks))
    cut = searchable(page, SKIPPED)
    if cut is not None:
        assert search_sections(cut) == search_sections(page, SKIPPED)


def test_searchable_cuts_top_level_sections_of_sanitised_pages() -> None:
    """The sanitiser writes what `searchable` counts: a page of top-level sections is cut, not declined."""
    page = clean('<h1 id="a">A</h1><p title="1 < 2 > 0">x<br/></p><svg><path d="M0"/></svg><h2 id="s">S</h2>'
                 '<table><tr><td>1</td></tr></table><h2 id="b">B</h2>')
    assert searchable(page, SKIPPED) is not None


def test_entry_and_case_pages_are_cut_for_search(case_sources: Path) -> None:
    """Every page with unsearched sections, as the site renders it, is cut (not left to the parser), and search
    reads from it what it reads from the whole page less those sections."""
    renderer = Renderer(load(case_sources, case_sources.parent))
    sourced = renderer.edit_sources()
    cut_pages = set()
    for path, text in renderer.files().items():
        found = page_at(path)
        skipped = UNSEARCHED.get(found[0]) if found is not None else None
        if skipped is None or path not in sourced:
            continue
        page = clean(render(text))
        cut = searchable(page, skipped)
        assert cut is not None and len(cut) < len(page), path
        assert search_sections(cut) == search_sections(page, skipped), path
        assert found is not None
        cut_pages.add(found[0])
    assert cut_pages == set(UNSEARCHED)
