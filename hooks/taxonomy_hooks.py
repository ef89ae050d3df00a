"""MkDocs hooks: a thin adapter from MkDocs events to the pure-Python taxonomy core."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from taxonomy import sanitize
from taxonomy.loader import load
from taxonomy.problems import TaxonomyError, locate
from taxonomy.render import Renderer

log = logging.getLogger("mkdocs.hooks.taxonomy")
TREE_MARKER = "<!-- taxonomy:tree -->"
PUBLISHED_FROM_ROOT = {"contributing.md": "CONTRIBUTING.md"}
_renderer: Renderer | None = None


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def _sources(config: MkDocsConfig) -> Path:
    return _root(config) / "taxonomy_src"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate the sources (on every build and rebuild); put the entries into the nav."""
    global _renderer
    src = _sources(config)
    try:
        taxonomy = load(src, src.parent)
    except TaxonomyError as exc:
        for problem in exc.problems:
            log.error(str(problem))
        raise PluginError(f"{len(exc.problems)} problem(s) in {src.name}/; see the messages above.") from None
    _renderer = Renderer(taxonomy)
    static = config.nav or []
    split = next((i for i, item in enumerate(static) if item == {"Taxonomy": "__taxonomy__"}), len(static))
    config.nav = _renderer.nav(static[:split], static[split + 1:])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages as in-memory files (nothing is written into docs/)."""
    assert _renderer is not None
    sources = _renderer.edit_sources()
    for path, content in _renderer.files().items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} collides with a generated page. Fix: remove docs/{path}.")
        file = File.generated(config, path, content=content)
        file.edit_uri = f"../{sources[path]}" if path in sources else None  # relative to docs/ in the repository
        files.append(file)
    for path, name in PUBLISHED_FROM_ROOT.items():
        file = File.generated(config, path, content=(_root(config) / name).read_text("utf-8"))
        file.edit_uri = f"../{name}"
        files.append(file)
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The choke point: every page's HTML passes the sanitiser; anything it would remove is reported first."""
    removed = sanitize.findings(html)
    if removed:
        assert _renderer is not None
        source = _renderer.edit_sources().get(page.file.src_uri, f"docs/{page.file.src_uri}")
        for finding in removed:
            line = locate(_root(config) / source, finding)
            log.error(f"{source}:{line}: the page would contain markup that is not allowed (got {finding}). "
                      "Fix: remove it; entry text is Markdown without HTML, and links go to https:// addresses.")
        raise PluginError(f"{len(removed)} unsafe construct(s) in {source}; see the messages above.")
    return sanitize.clean(html)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the taxonomy tree into hand-written pages that ask for it."""
    if TREE_MARKER in markdown:
        assert _renderer is not None
        markdown = markdown.replace(TREE_MARKER, _renderer.tree(page.file.src_uri))
    return markdown


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Rebuild when anything in taxonomy_src/ (or a page published from the repository root) changes."""
    server.watch(str(_sources(config)))
    for name in PUBLISHED_FROM_ROOT.values():
        server.watch(str(_root(config) / name))
    return server

