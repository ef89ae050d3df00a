"""Every slug and URL rule of the site, defined once."""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

ENTRY_DIR = "taxonomy"
NAMES_DIR = "names"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"index", "assets", "search"})
"""Slugs that would land on a generated index page or on the theme's own folders."""


FIXED_ANCHORS: dict[str, tuple[str, ...]] = {
    "compare/": ("layers", "matrix", "questions", "pairs"),
    "decision-tree/": ("outline", "flowchart", "references", "outcomes", "retired"),
    f"{ENTRY_DIR}/": ("all-entries",),
    "schema/": ("fields", "sections", "body", "text"),
}
"""The section anchors that generated pages publish whatever the sources say (public API, like every anchor)."""


def entry_path(entry_id: str) -> str:
    """Docs-relative path of an entry's generated page; its URL is /taxonomy/<id>/."""
    return f"{ENTRY_DIR}/{entry_id}.md"


def entry_url(site_url: str, entry_id: str) -> str:
    """The absolute, permanent URL of an entry."""
    return f"{site_url}{ENTRY_DIR}/{entry_id}/"


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; non-Latin text is transliterated ('' if nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


def name_slug(name: str) -> str:
    """URL slug of an alternative name: its transliteration, or a stable digest when nothing is left of it."""
    return slugify(name) or "name-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
