"""Render Markdown as the site does (the extensions in mkdocs.yml), and find live payloads in HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import yaml

ROOT = Path(__file__).resolve().parents[2]
MARKER = "alert(1)"
FOREIGN = "evil.example"


def _extensions() -> tuple[list[str], dict[str, Any]]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            [(name, options)] = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    return names, configs


_NAMES, _CONFIGS = _extensions()


def render(text: str) -> str:
    """HTML for a Markdown page (front matter removed), with the site's Markdown extensions."""
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return markdown.markdown(text, extensions=_NAMES, extension_configs=_CONFIGS)


def front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a generated page."""
    if not text.startswith("---\n"):
        return {}
    data: dict[str, Any] = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
    return data


class _Live(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "base", "form", "style", "link"):
            self.found.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.found.append("<meta http-equiv>")
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and re.match(
                    r"^\s*(javascript|vbscript|data)\s*:", value):
                self.found.append(f"{name}={value[:30]} on <{tag}>")
            if name in ("src", "srcset", "poster") and FOREIGN in value:
                self.found.append(f"foreign {name} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and MARKER in data:
            self.found.append("payload inside <script>")


def live_payloads(html: str) -> list[str]:
    """Scripts, handlers, script URLs and foreign resources in a piece of HTML (empty when all is inert)."""
    parser = _Live()
    parser.feed(html)
    parser.close()
    return parser.found
