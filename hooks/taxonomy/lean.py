"""Lean output: what a built page and the theme's files can drop without a reader, a link or a search noticing."""

from __future__ import annotations

import re
from collections.abc import Iterable

PREFORMATTED = re.compile(r"(<(pre|textarea)[\s>].*?</\2>)", re.DOTALL | re.IGNORECASE)
RAW_TEXT = re.compile(r"(<(script|style)[\s>].*?</\2>)", re.DOTALL | re.IGNORECASE)
INDENTATION = re.compile(r"\n[ \t\n]+")
BLOCK_TAGS = ("ul", "ol", "li", "p", "h1", "h2", "h3", "h4", "h5", "h6", "thead", "tbody", "tfoot", "tr", "th", "td",
              "dl", "dt", "dd", "nav", "header", "footer", "main", "article", "blockquote")
"""Elements laid out as blocks (or table parts) by the browser, Material's stylesheet and ours alike (a test holds
both stylesheets to it): a line break beside one of their tags is never rendered, as it starts or ends a line."""
_BLOCK = "|".join(BLOCK_TAGS)
BLOCK_GAP = re.compile(rf"(</?(?:{_BLOCK})(?:\s[^<>]*)?>)\n(?=<|\Z)|(?:(?<=>)|\A)\n(?=</?(?:{_BLOCK})[\s>])")
SITEMAP_GAP = re.compile(r">\s+<")
HEAD_GAP = re.compile(r"(>|\A)\n(?=<|\Z)")  # nothing in a head is laid out
JSON_ATTRIBUTE = re.compile(r'(\s[a-zA-Z][-a-zA-Z0-9]*=)"([\[{]&quot;[^"<>]*[\]}])"')
SOURCE_MAP = re.compile(r"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^\n]*?\*/)\s*\Z")


def compact_page(html: str) -> str:
    """A page without the theme's indentation, the line breaks between the tags of its head and those beside block
    tags (outside preformatted text; any other line break stays one space), and with JSON attributes single-quoted
    (one byte per quote, not six for `&quot;`)."""
    head, end, body = html.partition("</head>")
    if not end:
        head, body = "", html
    return _compact(head, HEAD_GAP) + end + _compact(body, BLOCK_GAP)


def compact_sitemap(xml: str) -> str:
    """A sitemap without the white space between its tags (a sitemap holds no text beside tags)."""
    return SITEMAP_GAP.sub("><", xml).strip() + "\n"


def _compact(html: str, gap: re.Pattern[str]) -> str:
    parts = PREFORMATTED.split(html)
    return "".join(_compact_text(part, gap) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


def _compact_text(html: str, gap: re.Pattern[str]) -> str:
    parts = RAW_TEXT.split(INDENTATION.sub("\n", html))
    return "".join(JSON_ATTRIBUTE.sub(_single_quoted, gap.sub(lambda m: m[1] or "", part)) if i % 3 == 0 else part
                   for i, part in enumerate(parts) if i % 3 != 2)


def _single_quoted(match: re.Match[str]) -> str:
    """`name="{&quot;…}"` as `name='{"…}'`: the same value, where each quote costs one byte instead of six."""
    return f"{match[1]}'{match[2].replace(chr(39), '&#39;').replace('&quot;', chr(34))}'"


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
