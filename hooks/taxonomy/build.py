"""What one builder process keeps for its builds, engine-free: the caches, the rendered pages, the search entries and
the state of the last successful build. The MkDocs adapter (hooks/taxonomy_hooks.py) and the lean layer's hooks
(hooks/taxonomy_lean.py) hold nothing else; another engine's adapter would drive the same object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import pages, sanitize
from .incremental import BuildState, refresh
from .loader import SourceCache, load
from .model import Taxonomy
from .problems import Problem, TaxonomyError, locate
from .render import NAV_TREE, Renderer
from .templating import TEMPLATES, CompiledTemplates
from .yamlsrc import remember_parses

TREE_MARKER = "<!-- taxonomy:tree -->"
"""Where a hand-written page shows the taxonomy tree."""
SOURCES = "taxonomy_src"
PUBLISHED_FROM_ROOT = {page.path: str(page.edit) for page in pages.PAGES if page.origin == pages.COPIED}
"""Pages copied from files at the repository root (CONTRIBUTING.md), by docs path."""


class Build:
    """The state of a builder process: kept across the rebuilds of `mkdocs serve`, reset where a build starts."""

    def __init__(self) -> None:
        self.cache = SourceCache()  # the files read, for the next load while serving
        self.templates = CompiledTemplates()  # the theme's compiled templates, for the next rebuild
        self.state = BuildState()  # the last successful build, for `--dirty`
        self.serving = False  # `mkdocs serve`: content errors become an error page instead of a failed build
        self.dirty = False  # `--dirty`: builds are incremental
        self.renderer: Renderer | None = None
        self.problems: list[Problem] = []  # while serving broken sources: shown instead of the site
        self.addresses: set[str] = set()  # while serving: every page address of the last good build
        self.sourced: frozenset[str] = frozenset()  # generated pages made from one source file (entries, cases, …)
        self.rendered: tuple[Taxonomy, object, dict[str, str]] | None = None  # while serving: the last render
        self.search: dict[str, list[dict[str, Any]]] = {}  # search index entries by page URL, as last written
        self.built: set[str] = set()  # URLs of the pages this build rendered
        self.listed: frozenset[str] = frozenset()  # docs paths of the pages this build's nav lists
        self.place: Any = None  # the engine's listed page marked as the reader's place on the page being rendered
        self.frozen = False  # this build has moved what it holds out of the garbage collector's reach

    def start(self, serving: bool, dirty: bool) -> None:
        """A builder process starts: only `serve` keeps what it read for the next rebuild."""
        self.serving, self.dirty = serving, dirty
        remember_parses(serving)

    def load(self, root: Path, directory_urls: bool) -> Renderer | None:
        """Load and validate the sources. While serving, broken sources leave no renderer and their problems kept;
        otherwise they raise TaxonomyError."""
        src = root / SOURCES
        try:
            taxonomy = load(src, root, self.cache if self.serving else None)
        except TaxonomyError as exc:
            if not self.serving:
                raise
            self.renderer, self.problems = None, exc.problems
            return None
        self.problems = []
        self.renderer = Renderer(taxonomy, directory_urls=directory_urls)
        return self.renderer

    def nav(self, configured: list[object], config_name: str) -> list[object]:
        """The site's nav from the configured one (`Renderer.nav`); ValueError if it has no place for the tree."""
        assert self.renderer is not None
        if NAV_TREE not in nav_paths(configured):
            raise ValueError(f"{config_name}: the nav has no {NAV_TREE} item, where the tree of entries goes. Fix: "
                             f"add `- {NAV_TREE}` to the Taxonomy section of `nav:`.")
        return self.renderer.nav(configured)

    def generated(self, root: Path) -> dict[str, str]:
        """Every generated page by docs path, and those copied from the repository root; while serving, only those an
        edit can have changed are rendered again."""
        renderer = self.renderer
        assert renderer is not None
        key = (renderer.directory_urls, sorted((p.name, p.stat().st_mtime_ns) for p in TEMPLATES.iterdir()))
        last = (self.rendered[0], self.rendered[2]) if self.rendered is not None and self.rendered[1] == key else None
        files = refresh(renderer, last)
        if self.serving:
            self.rendered = (renderer.taxonomy, key, files)
        self.sourced = frozenset(renderer.edit_sources())
        return files | {path: (root / name).read_text("utf-8") for path, name in PUBLISHED_FROM_ROOT.items()}

    def expand(self, markdown: str, path: str) -> str:
        """A hand-written page with the taxonomy tree where it asks for it."""
        if TREE_MARKER in markdown:
            assert self.renderer is not None
            markdown = markdown.replace(TREE_MARKER, self.renderer.tree(path))
        return markdown

    def source_of(self, path: str) -> str:
        """Repository path of the file a contributor edits to change the page at a docs path."""
        assert self.renderer is not None
        return self.renderer.edit_sources().get(path, f"docs/{path}")

    def unsafe(self, html: str, path: str, root: Path) -> list[str]:
        """A problem for everything the sanitiser would remove from the HTML of the page at a docs path, located in
        the file a contributor edits."""
        found = sanitize.findings(html)
        source = self.source_of(path) if found else ""
        return [f"{source}:{locate(root / source, finding)}: the page would contain markup that is not allowed (got "
                f"{finding}). Fix: remove it; entry text is Markdown without HTML, and links go to https:// addresses."
                for finding in found]

    def unsearched(self, path: str) -> frozenset[str] | None:
        """The ids of the sections of the page at a docs path that stay out of the search index (None: not a page
        made from one source file, or, while serving broken sources, an error page)."""
        found = pages.page_at(path) if path in self.sourced else None
        return pages.UNSEARCHED.get(found[0]) if found is not None else None

    def unsearch(self, entries: list[dict[str, Any]], path: str, url: str) -> None:
        """Drop the unsearched sections of the page at a docs path from the end of a search index's entries, where
        the search engine has just added that page's."""
        skipped = self.unsearched(path)
        if skipped is None:
            return
        kept: list[dict[str, Any]] = []
        while entries and entries[-1]["location"].split("#")[0] == url:
            entry = entries.pop()
            if entry["location"].partition("#")[2] not in skipped:
                kept.append(entry)
        entries.extend(reversed(kept))

    def stand_in(self, path: str) -> str | None:
        """For a page the nav does not list, the listed page the nav shows as the reader's place."""
        return self.renderer.stand_in(path, self.listed) if self.renderer is not None else None


def nav_paths(nav: object) -> list[str]:
    """Every page path in a nav configuration."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_paths(value)]
    return [p for item in nav for p in nav_paths(item)] if isinstance(nav, list) else []


BUILD = Build()
"""The builder process's one Build (MkDocs loads the hook files once per process)."""


def unread_front_matter(src_uri: str) -> str:
    """The error for a page whose front matter MkDocs could not read as YAML (and would drop whole)."""
    return (f"docs/{src_uri}:1: the front matter does not read as YAML, so the page would lose its title, "
            "description and metadata (got a '---' block MkDocs dropped). Fix: for a hand-written page, correct "
            "the YAML between the '---' lines; for a generated page, this is a bug in the generator's escaping, "
            "please report it.")
