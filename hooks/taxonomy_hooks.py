"""MkDocs hooks: a thin adapter from MkDocs events to the engine-free taxonomy core (taxonomy.build.Build).

What exists only for speed or size is the lean layer's, in hooks/taxonomy_lean.py."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from taxonomy import sanitize
from taxonomy.build import BUILD, PUBLISHED_FROM_ROOT, SOURCES, nav_paths, unread_front_matter
from taxonomy.errorpage import error_page
from taxonomy.problems import TaxonomyError, in_github_actions
from taxonomy.templating import TEMPLATES
from taxonomy.urls import entry_path

log = logging.getLogger("mkdocs.hooks.taxonomy")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def on_startup(command: str, dirty: bool) -> None:
    """Note whether this is `mkdocs serve` (which keeps what it read for the next rebuild) and `--dirty`."""
    BUILD.start(serving=command == "serve", dirty=dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate the sources (on every build and rebuild); put the entries into the nav."""
    try:
        renderer = BUILD.load(_root(config), config.use_directory_urls)
    except TaxonomyError as exc:
        for problem in exc.problems:
            log.error(str(problem))
            if in_github_actions():
                print(problem.annotation(title="mkdocs build"))
        raise PluginError(f"{len(exc.problems)} problem(s) in {SOURCES}/; see the messages above.") from None
    if renderer is None:  # serving: logged errors would abort a --strict rebuild and leave `mkdocs serve` stuck
        for problem in BUILD.problems:
            print(f"ERROR   -  {problem}", file=sys.stderr)
        print(f"ERROR   -  {len(BUILD.problems)} problem(s) in {SOURCES}/; every page shows them until they are "
              "fixed.", file=sys.stderr)
        config.nav = []
        return config
    try:
        config.nav = BUILD.nav(config.nav or [], Path(config.config_file_path).name)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages as in-memory files (nothing is written into docs/)."""
    if BUILD.problems:
        BUILD.sourced = frozenset()
        BUILD.state.forget()  # the error pages replace the site: the build after the fix must be a full one
        return _error_site(files, config)
    in_nav = set(nav_paths(config.nav))
    for path, content in BUILD.generated(_root(config)).items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} collides with a generated page. Fix: remove docs/{path}.")
        # Pages the nav leaves out (concepts, names) are reached through index pages.
        inclusion = InclusionLevel.NOT_IN_NAV if path.endswith(".md") and path not in in_nav else \
            InclusionLevel.UNDEFINED
        file = File.generated(config, path, content=content, inclusion=inclusion)
        file.edit_uri = f"../{BUILD.source_of(path)}" if path in BUILD.sourced else None  # relative to docs/
        files.append(file)
    BUILD.addresses.update(f.dest_uri for f in files.documentation_pages())
    return files


def _error_site(files: Files, config: MkDocsConfig) -> Files:
    """While serving broken sources: the same error page at every page's address, and the site's assets."""
    page = error_page(BUILD.problems, SOURCES)
    site = Files([f for f in files if not f.is_documentation_page()])
    drafts = [f.src_uri for f in files.documentation_pages()]
    drafts += [entry_path(p.stem) for p in (_root(config) / SOURCES / "entries").glob("*.md")]
    addresses = {File.generated(config, path, content="").dest_uri for path in drafts} | BUILD.addresses
    for address in sorted(addresses):
        site.append(File.generated(config, address, content=page))
    return site


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """While serving broken sources, unknown addresses (the 404 page) list the problems too."""
    return error_page(BUILD.problems, SOURCES) if BUILD.problems and template_name == "404.html" else output_content


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Reuse the theme's compiled templates across the rebuilds of `mkdocs serve` (half of a small rebuild); give
    overrides/ Material's own templates as THEME/."""
    env.bytecode_cache = BUILD.templates
    assert env.loader is not None
    theme = next(d for d in config.theme.dirs if d != config.theme.custom_dir)
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({"THEME": jinja2.FileSystemLoader(theme)})])
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the taxonomy tree into hand-written pages that ask for it; stop at a page whose front matter MkDocs
    could not read, rather than build it without its title, description and JSON-LD."""
    if markdown.startswith("---") and not page.meta:
        raise PluginError(unread_front_matter(page.file.src_uri))
    return BUILD.expand(markdown, page.file.src_uri)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The choke point: every page's HTML passes the sanitiser; anything it would remove is reported first."""
    problems = BUILD.unsafe(html, page.file.src_uri, _root(config))
    for problem in problems:
        log.error(problem)
    if problems:
        raise PluginError(f"{len(problems)} unsafe construct(s) in {BUILD.source_of(page.file.src_uri)}; see the "
                          "messages above.")
    return sanitize.clean(html)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Note the pages the nav lists."""
    BUILD.listed = frozenset(p.file.src_uri for p in nav.pages)
    return nav


@event_priority(-50)  # after the search plugin's
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    """Keep the generated sections of entry and case pages out of the search index; on a page the nav does not
    list, show as the reader's place the listed page that leads to it (MkDocs marks only the page itself, and
    pruning then hides the branch)."""
    BUILD.built.add(page.url)
    plugin = config.plugins.get("material/search")
    if plugin is not None and plugin.config.enabled:
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)  # Material's, a list
        if not isinstance(entries, list):
            raise PluginError("Material's search plugin keeps no list `search_index.entries` any more "
                              "(docs/architecture.md#material). Fix: adapt taxonomy_hooks.on_page_context to it.")
        BUILD.unsearch(entries, page.file.src_uri, page.url)
    place = BUILD.stand_in(page.file.src_uri)
    BUILD.place = next((p for p in nav.pages if p.file.src_uri == place), None) if place is not None else None
    if BUILD.place is not None:
        BUILD.place.active = True
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Take the mark of the reader's place off the listed page that stood for this one."""
    if BUILD.place is not None:
        BUILD.place.active = False
        BUILD.place = None
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """Record the successful build."""
    BUILD.state.commit()


def on_build_error(error: Exception) -> None:
    """A failed build leaves the output unknown: the next one is a full one."""
    BUILD.state.forget()
    BUILD.search.clear()


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Rebuild when taxonomy_src/, a page published from the repository root, overrides/ or a template changes."""
    server.watch(str(_root(config) / SOURCES))
    for name in PUBLISHED_FROM_ROOT.values():
        server.watch(str(_root(config) / name))
    if config.theme.custom_dir:
        server.watch(config.theme.custom_dir)
    server.watch(str(TEMPLATES))
    return server
