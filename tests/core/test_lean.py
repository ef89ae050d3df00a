"""Lean output: the rules by which built pages and theme files shrink without a reader noticing."""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taxonomy.lean.output import compact_page, compact_sitemap, inline_scripts, unused_theme_files, without_source_map


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
