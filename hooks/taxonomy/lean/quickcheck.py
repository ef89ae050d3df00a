"""Speed piece of the lean layer: the sanitiser's quick check, which passes most pages without an HTML parser."""

from __future__ import annotations

import functools
import re
from html import unescape

from ..sanitize import _LOWER, DATA_PREFIX, GENERIC_ATTRIBUTES, TAGS, URL_ATTRIBUTES, findings, is_allowed_url

_TAG_OPEN = re.compile(r"<[a-zA-Z]")
_PLAIN_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9]*)((?:[ \t\n]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<]*"|='[^'<]*')?)*)"""
                        r"""[ \t\n]*/?>""")
_PLAIN_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"<]*)"|='([^'<]*)')?""")


def plainly_allowed(html: str) -> bool:
    """True only when `sanitize.findings` would find nothing: no comment, declaration or processing instruction, and
    every '<' before a letter opens a plain tag (quoted values without '<') of an allowed name with allowed
    attributes.

    html.parser reads such a tag exactly so (the same name and attributes) and is in no other state there; anything
    else, including tags this check cannot read, is left to `sanitize.findings`. Most pages pass, at a tenth of its
    cost.
    """
    if "<!" in html or "<?" in html:
        return False
    tags = _PLAIN_TAG.findall(html)  # a plain tag holds no '<' after its first: each starts at its own '<'
    if len(tags) != len(_TAG_OPEN.findall(html)):
        return False  # some '<' before a letter opens no plain tag
    return all(_plain_tag_allowed(name, attributes) for name, attributes in set(tags))


@functools.lru_cache(maxsize=16384)
def _plain_tag_allowed(name: str, attributes: str) -> bool:
    """Whether a plain tag's name and attributes are all allowed (the same tags recur on every page: cached)."""
    name = name.lower()
    if name not in TAGS:
        return False
    for attribute in _PLAIN_ATTRIBUTE.finditer(attributes):
        key = attribute.group(1).lower()
        if not (key in GENERIC_ATTRIBUTES or key in _LOWER.get(name, ()) or key.startswith(DATA_PREFIX)):
            return False
        value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
        if key in URL_ATTRIBUTES and not is_allowed_url(key, unescape(value) if value else ""):
            return False
    return True


def quick_findings(html: str) -> list[str]:
    """`sanitize.findings`, with the quick check first: the same answer for every page."""
    return [] if plainly_allowed(html) else findings(html)
