"""Speed piece of the lean layer: the part of a page a search indexer needs to read, cut before it parses it."""

from __future__ import annotations

import re

HEADING_TAG = re.compile(r"""<h[1-6]((?:[ \t\n]+[^\s"'<>/=]+(?:="[^"]*")?)*)[ \t\n]*>""")
HEADING_ID = re.compile(r"[ \t\n]id=\"([^\"]*)\"")
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                           "source", "track", "wbr"})
ELEMENT_NAME = re.compile(r"<([a-z][a-z0-9]*)")
UNCOUNTABLE = (re.compile(r"<(?![a-z/])|</(?![a-z])"), re.compile(r'="[^"]*[<>]'))
"""Beside a self-closing tag or a single-quoted value: what the sanitiser's output never holds and `searchable`'s
counting of elements could not read (a '<' that starts no lower-case tag, an angle bracket in a value)."""


def searchable(html: str, skipped: frozenset[str]) -> str | None:
    """The sanitiser's HTML of a page without its top-level sections whose heading id is in `skipped`, each from its
    heading to the next heading with an id: what a search indexer that splits a page at such headings needs to read.

    None when the cut might change another section: the page is not plainly serialised, or a skipped heading is
    the page's first heading with an id or is nested in an element, or a cut would end inside an element.
    """
    if "/>" in html or "='" in html or any(pattern.search(html) for pattern in UNCOUNTABLE):
        return None
    kept: list[str] = []
    start = 0  # where the text being kept began
    depth = counted = 0  # elements open at `counted`
    cutting = seen = False
    for heading in HEADING_TAG.finditer(html):
        found = HEADING_ID.search(heading[1])
        if found is None:
            continue
        depth += _opened(html, counted, heading.start())
        counted = heading.start()
        if found[1] in skipped:
            if depth or not seen:
                return None
            if not cutting:
                kept.append(html[start:counted])
                cutting = True
        elif cutting:
            if depth:
                return None
            start, cutting = counted, False
        seen = True
    if cutting:
        return None if depth + _opened(html, counted, len(html)) else "".join(kept)
    return "".join(kept) + html[start:] if kept else html


def _opened(html: str, start: int, end: int) -> int:
    """Elements opened and not closed between two offsets of plainly serialised HTML."""
    names = ELEMENT_NAME.findall(html, start, end)
    return len(names) - sum(map(VOID_ELEMENTS.__contains__, names)) - html.count("</", start, end)
