"""Size pieces of the lean layer: what a built page and the theme's files can drop without a reader, a link or a
search noticing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

PREFORMATTED = re.compile(r"(<(pre|textarea)[\s>].*?</\2>)", re.DOTALL | re.IGNORECASE)
RAW_TEXT = re.compile(r"(<(script|style)[\s>].*?</\2>)", re.DOTALL | re.IGNORECASE)
INDENTATION = re.compile(r"\n[ \t\n]+")
SITEMAP_GAP = re.compile(r">\s+<")
HEAD_GAP = re.compile(r"(>|\A)\n(?=<|\Z)")  # nothing in a head is laid out
JSON_ATTRIBUTE = re.compile(r'="([\[{]&quot;[^"<>]*[\]}])"')
"""An attribute value that is JSON, from its `="`: a literal start lets the search skip from one `="` to the next."""
ATTRIBUTE_NAME_END = re.compile(r"[-a-zA-Z0-9]")
SOURCE_MAP = re.compile(r"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^\n]*?\*/)\s*\Z")


def compact_page(html: str) -> str:
    """A page without the theme's indentation (outside preformatted text; a line break stays, as one space) and the
    line breaks between the tags of its head, and with JSON attributes single-quoted (one byte per quote, not six
    for `&quot;`).

    Line breaks beside block tags stay: dropping them saved about 1% of a page, for four times the work of all the
    rest (bench/build_bench.py).
    """
    head, end, body = html.partition("</head>")
    if not end:
        head, body = "", html
    return _outside(INDENTATION.sub("\n", head), RAW_TEXT, _head_text) + end + _outside(body, PREFORMATTED, _body_text)


def _head_text(html: str) -> str:
    return _json_single_quoted(HEAD_GAP.sub(r"\1", html))


def _body_text(html: str) -> str:
    html = INDENTATION.sub("\n", html)
    if '="{&quot;' not in html and '="[&quot;' not in html:  # most pages: no JSON attribute to look for
        return html
    return _outside(html, RAW_TEXT, _json_single_quoted)


def _outside(html: str, kept: re.Pattern[str], change: Callable[[str], str]) -> str:
    """`change` applied to the text outside the elements `kept` matches (a pattern with two groups)."""
    parts = kept.split(html)
    return "".join(change(part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


def _json_single_quoted(html: str) -> str:
    return JSON_ATTRIBUTE.sub(_single_quoted, html)


def compact_sitemap(xml: str) -> str:
    """A sitemap without the white space between its tags (a sitemap holds no text beside tags)."""
    return SITEMAP_GAP.sub("><", xml).strip() + "\n"


def _single_quoted(match: re.Match[str]) -> str:
    """`name="{&quot;…}"` as `name='{"…}'`: the same value, where each quote costs one byte instead of six."""
    if not (match.start() and ATTRIBUTE_NAME_END.match(match.string, match.start() - 1)):
        return match[0]  # not after an attribute's name
    return f"='{match[1].replace(chr(39), '&#39;').replace('&quot;', chr(34))}'"


def unused_theme_files(paths: Iterable[str], search_languages: Iterable[str]) -> set[str]:
    """Theme files no page loads: source maps (for a developer's browser tools only), and the search worker's
    language support when search is in English alone (the worker then loads none of it)."""
    english_only = list(search_languages) == ["en"]
    return {path for path in paths
            if path.endswith(".map") or (english_only and path.startswith("assets/javascripts/lunr/"))}


def without_source_map(text: str) -> str:
    """A script or stylesheet without the closing comment that points to its (dropped) source map."""
    return SOURCE_MAP.sub("", text)


def inline_scripts(partial: str) -> str:
    """The code of a theme partial that holds nothing but inline scripts, as one script file."""
    scripts = re.findall(r"<script>(.*?)</script>", partial, re.DOTALL)
    rest = re.sub(r"<script>.*?</script>", "", partial, flags=re.DOTALL)
    if not scripts or rest.strip():
        raise ValueError(f"expected only inline <script> elements (got {partial.strip()[:200]!r})")
    return "".join(f"{script.strip()};\n" for script in scripts)
