"""The one choke point for HTML: every page's content passes through nh3 (ammonia) with this allowlist.

The allowlist is what our templates and the Markdown extensions in mkdocs.yml produce. Links may go to https
addresses or stay inside the site; images and every other resource may only come from the site itself.
`findings` reads the same allowlist to say what the sanitiser would remove, so the build can report it instead of
dropping it silently.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_TEXT = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
         "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input",
         "ins", "kbd", "label", "li", "mark", "nav", "ol", "p", "pre", "s", "section", "small", "span", "strong",
         "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
_SVG = {"svg", "g", "defs", "marker", "title", "desc", "rect", "circle", "ellipse", "line", "polyline",
        "polygon", "path", "text", "tspan"}
TAGS = frozenset(_TEXT | _SVG)
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "hidden", "lang", "dir", "role", "tabindex", "aria-label",
                                "aria-labelledby", "aria-describedby", "aria-hidden", "aria-live",
                                "aria-expanded", "aria-controls", "aria-current", "aria-sort"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "abbr": frozenset(),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "input": frozenset({"type", "name", "checked", "disabled"}),
    "label": frozenset({"for"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "details": frozenset({"open"}),
    "svg": frozenset({"viewBox", "width", "height", "xmlns", "preserveAspectRatio", "focusable"}),
    "marker": frozenset({"viewBox", "refX", "refY", "markerWidth", "markerHeight", "orient"}),
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry"}),
    "circle": frozenset({"cx", "cy", "r"}),
    "ellipse": frozenset({"cx", "cy", "rx", "ry"}),
    "line": frozenset({"x1", "y1", "x2", "y2", "marker-end", "marker-start"}),
    "polyline": frozenset({"points", "marker-end", "marker-start"}),
    "polygon": frozenset({"points"}),
    "path": frozenset({"d", "marker-end", "marker-start"}),
    "text": frozenset({"x", "y", "dx", "dy", "text-anchor", "font-weight", "dominant-baseline"}),
    "tspan": frozenset({"x", "y", "dx", "dy", "font-weight"}),
    "g": frozenset({"transform"}),
}
_LOWER = {tag: frozenset(name.lower() for name in names) for tag, names in ATTRIBUTES.items()}
DATA_PREFIX = "data-"
URL_ATTRIBUTES = frozenset({"href", "src"})
RESOURCE_ATTRIBUTES = frozenset({"src"})


def is_allowed_url(attribute: str, value: str) -> bool:
    """Links: https or inside the site. Resources (src): inside the site only."""
    value = value.strip()
    scheme, colon, _ = value.partition(":")
    has_scheme = bool(colon) and "/" not in scheme and "?" not in scheme and "#" not in scheme
    if value.startswith(("//", "\\\\", "/\\")):
        return False
    if attribute in RESOURCE_ATTRIBUTES:
        return not has_scheme
    return not has_scheme or (scheme.lower() == "https" and value[len(scheme) + 1:].startswith("//"))


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and not is_allowed_url(attribute, value):
        return None
    return value


_SVG_ELEMENT = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def _svg_links(svg: re.Match[str]) -> str:
    """Links inside an SVG as xlink:href: Material's instant navigation assigns a[href], which SVG links refuse.
    Only attributes the sanitiser has already vetted are renamed."""
    text = svg.group(0).replace("<a href=", "<a xlink:href=")
    if text == svg.group(0):
        return text
    return text.replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)


def clean(html: str) -> str:
    """The HTML with everything outside the allowlist removed (scripts and styles with their content)."""
    return _SVG_ELEMENT.sub(_svg_links, _clean(html))


_CLEANER = nh3.Cleaner(
    tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()} | {"*": set(GENERIC_ATTRIBUTES)},
    generic_attribute_prefixes={DATA_PREFIX}, url_schemes={"https"}, link_rel=None, strip_comments=True,
    attribute_filter=_filter,
)
"""The allowlist compiled once (nh3.clean would convert it again for every page)."""


def _clean(html: str) -> str:
    return _CLEANER.clean(html)


class _Finder(HTMLParser):
    """Lists what `clean` would remove, in words a contributor can act on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(f"<{tag}>")
            return
        for name, value in attrs:
            allowed = name in GENERIC_ATTRIBUTES or name in _LOWER.get(tag, ()) or name.startswith(DATA_PREFIX)
            if not allowed:
                self.found.append(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and not is_allowed_url(name, value or ""):
                self.found.append(f"{name}=\"{(value or '')[:60]}\" on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def findings(html: str) -> list[str]:
    """What the sanitiser would remove from this HTML (empty when it is all allowed)."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))
