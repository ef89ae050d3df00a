"""MkDocs hooks: a thin adapter from MkDocs events to the pure-Python taxonomy core."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from taxonomy.errorpage import error_page
from taxonomy.loader import load
from taxonomy.problems import Problem, TaxonomyError, in_github_actions
from taxonomy.render import TEMPLATES, Renderer

log = logging.getLogger("mkdocs.hooks.taxonomy")
TREE_MARKER = "<!-- taxonomy:tree -->"
PUBLISHED_FROM_ROOT = {"contributing.md": "CONTRIBUTING.md"}
_renderer: Renderer | None = None
_serving = False  # `mkdocs serve`: content errors become an error page instead of a failed (and stuck) build
_problems: list[Problem] = []  # while serving: the sources' problems, shown instead of the site
_pages: set[str] = set()  # while serving: every page URL of the last good build, each shows the problems


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def _sources(config: MkDocsConfig) -> Path:
    return _root(config) / "taxonomy_src"


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve` (the hooks module lives across its rebuilds)."""
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate the sources (on every build and rebuild); put the entries into the nav."""
    global _renderer, _problems
    src = _sources(config)
    try:
        taxonomy = load(src, src.parent)
    except TaxonomyError as exc:
        if _serving:
            # Logged errors would abort a --strict build, and a failed rebuild leaves `mkdocs serve` stuck.
            for problem in exc.problems:
                print(f"ERROR   -  {problem}", file=sys.stderr)
            print(f"ERROR   -  {len(exc.problems)} problem(s) in {src.name}/; every page shows them until they "
                  "are fixed.", file=sys.stderr)
            _renderer, _problems, config.nav = None, exc.problems, []
            return config
        for problem in exc.problems:
            log.error(str(problem))
            if in_github_actions():
                print(problem.annotation(title="mkdocs build"))
        raise PluginError(f"{len(exc.problems)} problem(s) in {src.name}/; see the messages above.") from None
    _problems = []
    _renderer = Renderer(taxonomy, directory_urls=config.use_directory_urls)
    static = config.nav or []
    split = next((i for i, item in enumerate(static) if item == {"Taxonomy": "__taxonomy__"}), len(static))
    config.nav = _renderer.nav(static[:split], static[split + 1:])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages as in-memory files (nothing is written into docs/)."""
    if _problems:
        return _error_site(files, config)
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
    _pages.update(f.dest_uri for f in files.documentation_pages())
    return files


def _error_site(files: Files, config: MkDocsConfig) -> Files:
    """While serving broken sources: the same error page at every page's address, and the site's assets."""
    page = error_page(_problems, _sources(config).name)
    site = Files([f for f in files if not f.is_documentation_page()])
    drafts = [f.src_uri for f in files.documentation_pages()]
    drafts += [f"taxonomy/{p.stem}.md" for p in (_sources(config) / "entries").glob("*.md")]
    addresses = {File.generated(config, path, content="").dest_uri for path in drafts} | _pages
    for address in sorted(addresses):
        site.append(File.generated(config, address, content=page))
    return site


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """While serving broken sources, unknown addresses (the 404 page) list the problems too."""
    if _problems and template_name == "404.html":
        return error_page(_problems, _sources(config).name)
    return output_content


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the taxonomy tree into hand-written pages that ask for it."""
    if TREE_MARKER in markdown:
        assert _renderer is not None
        markdown = markdown.replace(TREE_MARKER, _renderer.tree(page.file.src_uri))
    return markdown


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Rebuild when taxonomy_src/, a page published from the repository root, overrides/ or a template changes."""
    server.watch(str(_sources(config)))
    for name in PUBLISHED_FROM_ROOT.values():
        server.watch(str(_root(config) / name))
    if config.theme.custom_dir:
        server.watch(config.theme.custom_dir)
    server.watch(str(TEMPLATES))
    return server

