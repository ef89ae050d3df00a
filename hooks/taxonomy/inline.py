"""One line of Markdown as inert data for page scripts: text and a few element kinds, never an HTML string.

The script that shows it builds DOM nodes with textContent and setAttribute, so nothing in the text is ever
parsed as HTML in the browser.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER

ELEMENTS = ("a", "em", "strong", "code")
ATTRIBUTES = {"a": ("href", "class")}
SAFE_HREF = re.compile(r"^(?:https://|#|\.\./|[a-z0-9-]+/)", re.IGNORECASE)
_STASHED = re.compile(HTML_PLACEHOLDER.replace("%s", r"(\d+)").replace("\x02", "\\x02").replace("\x03", "\\x03"))

Node = str | dict[str, Any]


class _Capture(Treeprocessor):
    """Keeps the finished element tree (after inline patterns and unescaping) instead of serialising it."""

    tree: ET.Element | None = None

    def run(self, root: ET.Element) -> None:
        self.tree = root


def nodes(text: str) -> list[Node]:
    """Parse one paragraph of Markdown (attribute lists allowed) into text and element nodes."""
    md = markdown.Markdown(extensions=["attr_list"])
    capture = _Capture(md)
    md.treeprocessors.register(capture, "tx-capture", -100)
    md.convert(text)
    assert capture.tree is not None
    stash = md.htmlStash.rawHtmlBlocks

    def unstash(value: str | None) -> str:
        return _STASHED.sub(lambda m: html.unescape(str(stash[int(m.group(1))])), value or "")

    def convert(element: ET.Element, literal: bool = False) -> list[Node]:
        def text(value: str) -> str:  # code spans hold their text HTML-escaped
            return html.unescape(value) if literal else unstash(value)

        found: list[Node] = [text(element.text)] if element.text else []
        for child in element:
            inner = convert(child, literal or child.tag == "code")
            if child.tag in ELEMENTS:
                attrs = {k: v for k, v in child.attrib.items() if k in ATTRIBUTES.get(child.tag, ())}
                if "href" in attrs and not SAFE_HREF.match(attrs["href"]):
                    del attrs["href"]
                found.append({"tag": child.tag, **attrs, "children": inner})
            else:
                found.extend(inner)
            if child.tail:
                found.append(unstash(child.tail))
        return found

    flat = convert(capture.tree)
    merged: list[Node] = []
    for node in flat:
        if isinstance(node, str) and merged and isinstance(merged[-1], str):
            merged[-1] += node
        else:
            merged.append(node)
    if merged and isinstance(merged[0], str):
        merged[0] = merged[0].lstrip()
    if merged and isinstance(merged[-1], str):
        merged[-1] = merged[-1].rstrip()
    return [node for node in merged if node != ""]
