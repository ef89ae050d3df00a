"""Context-correct escaping of untrusted source text for the places generated pages put it.

Generated pages are Markdown that MkDocs turns into HTML, and Material prints page titles and descriptions as
HTML. Every untrusted string therefore leaves the core through one of these functions (or, into a BibTeX record,
through `bibtex.py`, kept apart so that loading never builds its LaTeX tables); the page sanitiser (`sanitize.py`)
is the second, independent line of defence.
"""

from __future__ import annotations

import functools
import json
import re
from urllib.parse import quote

from markupsafe import Markup

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""Characters no source file may hold (the reader refuses them); escaping drops them as well."""
_WHITESPACE = re.compile(r"\s+")
_INLINE_SPECIALS = re.compile(r"[<>&{}|]")
_TEXT_SPECIALS = "\\`*_{}[]()#+!|<>&\"'~^=:$@%"
"""Characters plain text must not show literally in Markdown or HTML; md_text writes each as a reference."""
_TEXT_REFERENCES = {ord(c): f"&#{ord(c)};" for c in _TEXT_SPECIALS}
_LIST_MARKER = re.compile(r"^(?:[0-9]{1,9}(\.)|(-))")


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match.group(0))};"


def one_line(text: str) -> str:
    """The text with every run of whitespace (line breaks included) as one space, and no control characters."""
    text = str(text)
    if text.isprintable() and "  " not in text:
        return text  # no control character, and no whitespace but single spaces (the usual case, made quick)
    return _WHITESPACE.sub(" ", CONTROL.sub("", text))


def md_text(value: object) -> Markup:
    """Untrusted plain text as inert Markdown *and* HTML: every character either could read as syntax becomes a
    numeric character reference, and line breaks become spaces, so no block or inline construct can start."""
    return _md_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _md_text(text: str) -> Markup:
    """md_text of a string (titles and labels recur on many pages: cached)."""
    text = one_line(text).translate(_TEXT_REFERENCES)
    if "///" in text:  # never the footnotes extension's placeholder, '///Footnotes Go Here///'
        text = text.replace("///", "&#47;//")
    marker = _LIST_MARKER.match(text)  # '1. …' or '- …' would start a list where the text begins a line
    if marker:
        at = marker.start(1) if marker.group(1) else marker.start(2)
        text = f"{text[:at]}&#{ord(text[at])};{text[at + 1:]}"
    return Markup(text)


def code_span(value: object) -> Markup:
    """Untrusted text as a Markdown code span: shown literally, with fences longer than any backtick run inside."""
    text = one_line(str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return Markup(f"{fence}{padded}{fence}")


def inline_md(text: str) -> str:
    """Inline-Markdown field text with HTML, attribute lists and table pipes made inert; emphasis still works."""
    return _INLINE_SPECIALS.sub(_reference, one_line(text))


def html_text(value: object) -> str:
    """Untrusted text as HTML (element text or a quoted attribute value)."""
    return str(Markup.escape(one_line(str(value))))


_YAML_UNSAFE = re.compile("[\x7f-\x9f\ufffe\uffff]")
"""Characters JSON writes as they are but YAML refuses, or reads as a line break (U+0085), in front matter."""
_ESCAPE_OR_SURROGATES = re.compile(r"\\\\|\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")
"""An escaped backslash (skipped, so the pairs are read from escape boundaries), or a UTF-16 surrogate pair."""


def _astral(match: re.Match[str]) -> str:
    if match.group(1) is None:
        return match.group(0)
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def yaml_json(value: object) -> str:
    """A JSON value written so that YAML reads it back unchanged: JSON writes a character outside the Basic
    Multilingual Plane (an emoji, a mathematical letter) as two surrogate escapes, which YAML reads as two
    lone surrogates (and MkDocs then drops the whole front matter); YAML's own `\\U` escape replaces each pair."""
    return _ESCAPE_OR_SURROGATES.sub(_astral, json.dumps(value))


def meta_yaml(value: object) -> Markup:
    """A front-matter value that Material prints as HTML (title, description, search tags): HTML-escaped, then
    written as a YAML string (or a list of them)."""
    if isinstance(value, (list, tuple)):
        return Markup(yaml_json([html_text(item) for item in value]))
    return Markup(yaml_json(html_text(value)))


def script_json(value: object, indent: int | None = None) -> Markup:
    """JSON that is inert inside a <script> element and inside HTML text: '<', '>' and '&' are \\u-escaped;
    compact unless indented."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent,
                      separators=(",", ":") if indent is None else None)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    if not text.isascii() and _YAML_UNSAFE.search(text):
        text = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return Markup(text)


def url(value: str) -> Markup:
    """A validated URL for a Markdown link target or an HTML attribute: characters that end either are encoded."""
    return Markup(quote(value, safe="/:?#[]@!$&'*+,;=%-._~"))


def yaml_string(value: object) -> Markup:
    """Text as a double-quoted YAML string on one line (JSON's string syntax, which YAML reads the same way), for
    a value a template writes into a source file's front matter."""
    return Markup(json.dumps(one_line(str(value)), ensure_ascii=False))
