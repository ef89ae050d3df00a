"""Every slug and URL rule of the site, defined once: docs paths, their public addresses, permalinks, and links
between pages. Which pages exist is the page registry's business (`pages.py`)."""

from __future__ import annotations

import functools
import posixpath
import re

from markupsafe import Markup

ENTRY_DIR = "taxonomy"
NAMES_DIR = "names"
CASE_DIR = "cases"
SLUG_PATTERN = "[a-z0-9]+(?:-[a-z0-9]+)*"
"""An id: lowercase ASCII letters and digits in words joined by single hyphens (the JSON Schema uses it too)."""
SLUG = re.compile(rf"\A{SLUG_PATTERN}\Z")


def entry_path(entry_id: str) -> str:
    """Docs-relative path of an entry's generated page; its URL is /taxonomy/<id>/."""
    return f"{ENTRY_DIR}/{entry_id}.md"


def case_path(case_id: str) -> str:
    """Docs-relative path of a case's generated page; its URL is /cases/<id>/."""
    return f"{CASE_DIR}/{case_id}.md"


MAX_NAME_BYTES = 255
"""The longest file or folder name, in bytes: NAME_MAX of ext4, XFS, Btrfs and APFS (NTFS allows 255 UTF-16 units,
which is no fewer)."""
MAX_PATH_BYTES = 200
"""The longest path of a built file under the site folder, in bytes. Windows refuses paths longer than 260
characters unless long paths are enabled, and Linux accepts 4096 bytes; 60 of Windows' 260 are left for the
folder a contributor builds the site in."""


def output_paths(path: str) -> tuple[str, ...]:
    """Every file a docs path becomes: the generated Markdown file, and the page built with and without directory
    URLs ('taxonomy/alpha.md': 'taxonomy/alpha/index.html' and 'taxonomy/alpha.html')."""
    stem, extension = posixpath.splitext(path)
    if extension != ".md":
        return (path,)
    built = address(path)
    return (path, f"{built}index.html" if built.endswith("/") or not built else built, f"{stem}.html")


def path_too_long(path: str) -> str | None:
    """What is too long about the files a docs path becomes (a name or the whole path), or None."""
    for built in output_paths(path):
        name = max(built.split("/"), key=lambda part: len(part.encode()))
        if len(name.encode()) > MAX_NAME_BYTES:
            return f"a file name of {len(name.encode())} bytes, at most {MAX_NAME_BYTES}"
        if len(built.encode()) > MAX_PATH_BYTES:
            return f"a path of {len(built.encode())} bytes under the site folder, at most {MAX_PATH_BYTES}"
    return None


def address(path: str) -> str:
    """The address of a docs path relative to the site root, as published with directory URLs: 'index.md' is '',
    'taxonomy/alpha.md' is 'taxonomy/alpha/', a stub 'names/x/index.html' is 'names/x/', a data file is itself."""
    stem, extension = posixpath.splitext(path)
    if extension not in (".md", ".html") or (extension == ".html" and posixpath.basename(stem) != "index"):
        return path
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def absolute(site_url: str, path: str) -> str:
    """The absolute, permanent URL of a docs path on the site at `site_url` (which ends with '/')."""
    return site_url + address(path)


EDITIONS_DIR = "v"
"""Frozen editions are published at /v/<version>/ under the site's base path (`make editions`)."""


def edition_url(site_url: str, version: str, path: str) -> str:
    """The absolute URL of a docs path in the frozen edition `version`."""
    return absolute(site_url, f"{EDITIONS_DIR}/{version}/{path}")


def entry_url(site_url: str, entry_id: str) -> str:
    """The absolute, permanent URL of an entry."""
    return absolute(site_url, entry_path(entry_id))


def case_url(site_url: str, case_id: str) -> str:
    """The absolute, permanent URL of a worked case."""
    return absolute(site_url, case_path(case_id))


def release_anchor(version: str) -> str:
    """The anchor of a release on the changes page: 'v' and the version with hyphens for dots."""
    return "v" + version.replace(".", "-")


@functools.lru_cache(maxsize=1 << 17)  # a page links to the same few pages again and again
def relative(from_page: str, to_path: str) -> Markup:
    """Relative link from one docs page to another docs path (MkDocs resolves .md links)."""
    start, target = posixpath.dirname(from_page).split("/"), to_path.split("/")
    start = [] if start == [""] else start
    common = 0
    while common < min(len(start), len(target) - 1) and start[common] == target[common]:
        common += 1
    return Markup("/".join([".."] * (len(start) - common) + target[common:]))  # no os.getcwd(), unlike relpath


def built_url(from_page: str, to_path: str, directory_urls: bool = True) -> str:
    """Relative URL from one docs page to another, as built with or without use_directory_urls."""
    if not directory_urls:
        return posixpath.relpath(to_path[: -len(".md")] + ".html", posixpath.dirname(from_page) or ".")
    return posixpath.relpath(address(to_path) or ".", address(from_page) or ".").rstrip("/") + "/"


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; non-Latin text is transliterated ('' if nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", (text if text.isascii() else _transliterated(text)).lower()).strip("-")


def _transliterated(text: str) -> str:
    """Non-ASCII text in ASCII (the transliteration tables are imported only when a text needs them)."""
    from anyascii import anyascii

    return anyascii(text)


def name_slug(name: str) -> str:
    """URL slug of an alternative name, /names/<slug>/ (the loader refuses a name that leaves no slug)."""
    return slugify(name)
