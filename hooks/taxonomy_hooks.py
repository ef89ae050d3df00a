"""MkDocs hooks: a thin adapter from MkDocs events to the pure-Python taxonomy core."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import posixpath
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
from mkdocs.utils import clean_directory

from taxonomy import lean, pages, sanitize
from taxonomy.errorpage import error_page
from taxonomy.incremental import BuildState, refresh
from taxonomy.loader import SourceCache, load
from taxonomy.model import Taxonomy
from taxonomy.problems import Problem, TaxonomyError, in_github_actions, locate
from taxonomy.render import NAV_TREE, Renderer
from taxonomy.templating import TEMPLATES, CompiledTemplates
from taxonomy.urls import entry_path
from taxonomy.yamlsrc import remember_parses

log = logging.getLogger("mkdocs.hooks.taxonomy")
TREE_MARKER = "<!-- taxonomy:tree -->"
PUBLISHED_FROM_ROOT = {page.path: str(page.edit) for page in pages.PAGES if page.origin == pages.COPIED}
THEME_SCRIPTS = {"partials/javascripts/base.html": "assets/theme/base.js",
                 "partials/javascripts/palette.html": "assets/theme/palette.js",
                 "partials/javascripts/content.html": "assets/theme/content.js"}
"""Material partials of inline scripts that every page repeats, each served as one file (see overrides/)."""
_renderer: Renderer | None = None
# Kept across the rebuilds of one `mkdocs serve` (MkDocs loads this module once per process).
_cache = SourceCache()
_state = BuildState()
_dirty = False
_serving = False  # `mkdocs serve`: content errors become an error page instead of a failed (and stuck) build
_problems: list[Problem] = []  # while serving: the sources' problems, shown instead of the site
_pages: set[str] = set()  # while serving: every page URL of the last good build, each shows the problems
_search: dict[str, list[dict[str, Any]]] = {}  # search index entries by page URL, as last written
_built: set[str] = set()  # URLs of the pages this build rendered
_sourced: frozenset[str] = frozenset()  # generated pages made from one source file (entries, cases, ...)
_listed: dict[str, Page] = {}  # the pages this build's nav lists, by docs path
_place: Page | None = None  # the listed page shown as the reader's place on the page being rendered
_to_index: dict[str, tuple[object, str]] = {}  # per page: its own search settings, and the HTML search is to read
_rendered: tuple[Taxonomy, object, dict[str, str]] | None = None  # while serving: the last render's input and pages
_frozen = False  # this build has moved what it holds out of the garbage collector's reach (`_settle`)
UNSEARCHED = {"taxonomy/": frozenset({"place", "related", "referred-by", "references", "cite"}),
              "cases/": frozenset({"path", "references"})}
"""Sections that entry and case pages generate from other pages' data (where an entry sits, its relations and
backlinks, its reference list, its citation formats; a case's walk through the tree and its references). They stay
out of the search index: a search for a work, an entry or a tree question would otherwise list every page that
shows it, and they were a third of the index. Their pages, and the pages they repeat, are all searchable."""


class _Generated(File):
    """A generated file that a --dirty build writes again only when its output is missing (see _plan_rebuild)."""

    def is_modified(self) -> bool:
        return not os.path.isfile(self.abs_dest_path)


_templates = CompiledTemplates()  # the theme's, for MkDocs' own environment


def _trusted_dirty_build(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may be inaccurate: _plan_rebuild makes it accurate."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def _theme(config: MkDocsConfig) -> str:
    """The folder of Material's own templates."""
    return next(d for d in config.theme.dirs if d != config.theme.custom_dir)


def _sources(config: MkDocsConfig) -> Path:
    return _root(config) / "taxonomy_src"


def on_startup(command: str, dirty: bool) -> None:
    """Note whether this is `mkdocs serve` (only it keeps what it read for the next rebuild) and whether builds are
    incremental (`--dirty`)."""
    global _dirty, _serving
    _dirty, _serving = dirty, command == "serve"
    remember_parses(_serving)
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_trusted_dirty_build)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate the sources (on every build and rebuild); put the entries into the nav."""
    global _renderer, _problems
    src = _sources(config)
    try:
        taxonomy = load(src, src.parent, _cache if _serving else None)
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
    if NAV_TREE not in _nav_paths(config.nav):
        raise PluginError(f"{Path(config.config_file_path).name}: the nav has no {NAV_TREE} item, where the tree of "
                          f"entries goes. Fix: add `- {NAV_TREE}` to the Taxonomy section of `nav:`.")
    config.nav = _renderer.nav(config.nav or [])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages as in-memory files (nothing is written into docs/)."""
    global _sourced
    _to_index.clear()
    _lean_theme(files, config)
    if _problems:
        _sourced = frozenset()
        _state.forget()  # the error pages replace the site: the build after the fix must be a full one
        return _error_site(files, config)
    assert _renderer is not None
    sources = _renderer.edit_sources()
    _sourced = frozenset(sources)
    in_nav = set(_nav_paths(config.nav))
    generated = {**_generated_pages(), **{path: (_root(config) / name).read_text("utf-8")
                                          for path, name in PUBLISHED_FROM_ROOT.items()}}
    for path, content in generated.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} collides with a generated page. Fix: remove docs/{path}.")
        # Pages the nav leaves out (concepts, names) are reached through index pages.
        inclusion = InclusionLevel.NOT_IN_NAV if path.endswith(".md") and path not in in_nav else \
            InclusionLevel.UNDEFINED
        file = _Generated.generated(config, path, content=content, inclusion=inclusion)
        file.edit_uri = f"../{sources[path]}" if path in sources else None  # relative to docs/
        files.append(file)
    if _dirty:
        _plan_rebuild(files, config, set(generated))
    _pages.update(f.dest_uri for f in files.documentation_pages())
    _settle()
    return files


def _settle() -> None:
    """Keep the garbage collector off what the build holds so far: the taxonomy, the generated pages and, later,
    every page's HTML and table of contents live until the build ends, and each full collection walked them all
    again (a second and more at 1000 entries with cases). `_unsettle` hands them back at the end of the build.
    Objects the process froze itself are left alone, and then nothing is frozen here."""
    global _frozen
    if _frozen or not gc.get_freeze_count():
        gc.freeze()
        _frozen = True


def _unsettle() -> None:
    """Give what `_settle` froze back to the garbage collector."""
    global _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False


def _lean_theme(files: Files, config: MkDocsConfig) -> None:
    """Leave out the theme files no page loads, and serve the theme's repeated inline scripts as files."""
    search = config.plugins.get("material/search")
    languages = search.config.lang if search is not None else []
    for path in lean.unused_theme_files([f.src_uri for f in files.media_files()], languages):
        files.remove(files.src_uris[path])
    for file in list(files.media_files()):
        if file.src_uri.endswith((".js", ".css")) and "sourceMappingURL=" in file.content_string[-200:]:
            files.remove(file)
            files.append(_Generated.generated(config, file.src_uri,
                                              content=lean.without_source_map(file.content_string)))
    theme = _theme(config)
    context = {"config": config, "base_url": ".", "features": config.theme.get("features") or []}
    for partial, path in THEME_SCRIPTS.items():
        original = Path(theme) / partial
        try:
            code = lean.inline_scripts(jinja2.Template(original.read_text("utf-8")).render(context))
        except (OSError, ValueError) as exc:
            raise PluginError(f"{original}: {exc}. Fix: update overrides/{partial} for this Material.") from None
        files.append(_Generated.generated(config, path, content=code))


def _generated_pages() -> dict[str, str]:
    """Every generated page; while serving, only those an edit can have changed are rendered again."""
    global _rendered
    assert _renderer is not None
    key = (_renderer.directory_urls, sorted((p.name, p.stat().st_mtime_ns) for p in TEMPLATES.iterdir()))
    last = (_rendered[0], _rendered[2]) if _rendered is not None and _rendered[1] == key else None
    files = refresh(_renderer, last)
    if _serving:
        _rendered = (_renderer.taxonomy, key, files)
    return files


def _error_site(files: Files, config: MkDocsConfig) -> Files:
    """While serving broken sources: the same error page at every page's address, and the site's assets."""
    page = error_page(_problems, _sources(config).name)
    site = Files([f for f in files if not f.is_documentation_page()])
    drafts = [f.src_uri for f in files.documentation_pages()]
    drafts += [entry_path(p.stem) for p in (_sources(config) / "entries").glob("*.md")]
    addresses = {File.generated(config, path, content="").dest_uri for path in drafts} | _pages
    for address in sorted(addresses):
        site.append(File.generated(config, address, content=page))
    return site


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """While serving broken sources, unknown addresses (the 404 page) list the problems too; the theme's other
    pages (404) and the sitemap are as lean as the pages."""
    if _problems and template_name == "404.html":
        return error_page(_problems, _sources(config).name)
    if template_name.endswith(".html"):
        return lean.compact_page(output_content)
    return lean.compact_sitemap(output_content) if template_name == "sitemap.xml" else output_content


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
    html = sanitize.clean(html)
    _index_searchable(page, config, html)
    return html


def _index_searchable(page: Page, config: MkDocsConfig, html: str) -> None:
    """Have the search plugin pass over this page, to index in on_page_context only what search keeps of it.

    Its parser reads a page's whole HTML and _unsearch then drops the UNSEARCHED sections, about a third of an
    entry page: parsing them was most of what the search plugin spent on entry pages.
    """
    _to_index.pop(page.file.src_uri, None)
    skipped = _unsearched(page)
    search = page.meta.get("search")
    if skipped is None or _search_index(config) is None or (isinstance(search, dict) and search.get("exclude")):
        return
    kept = lean.searchable(html, skipped)
    if kept is not None:
        _to_index[page.file.src_uri] = (search, kept)
        page.meta["search"] = {**(search or {}), "exclude": True}


def _nav_paths(nav: object) -> list[str]:
    """Every page path in a nav configuration."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []


def _plan_rebuild(files: Files, config: MkDocsConfig, generated: set[str]) -> None:
    """--dirty: remove the output of every page whose text changed, or all output when the structure changed.

    MkDocs' --dirty renders a page again only when its output is older than its source; generated pages have no
    source file, and a hand-written page shows the generated tree. Removing stale outputs makes --dirty exact.
    """
    texts = {f.src_uri: _expand(f.content_string, f.src_uri) if f.is_documentation_page() else f.content_string
             for f in files if f.src_uri in generated or f.is_documentation_page()}
    theme = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    structure = json.dumps([config.nav, sorted(f.src_uri for f in files.documentation_pages()),
                            hashlib.sha256(Path(config.config_file_path).read_bytes()).hexdigest(),
                            sorted((p.as_posix(), p.stat().st_mtime_ns) for p in theme.rglob("*") if p.is_file())
                            if theme else []])
    outputs = {f.src_uri: f.abs_dest_path for f in files if f.src_uri in texts}
    plan = _state.plan(structure, texts)
    _built.clear()
    if plan.full:
        clean_directory(config.site_dir)
        _search.clear()
        log.info("Full build: the nav, the set of pages, the configuration or the theme changed.")
        return
    for path in plan.changed | plan.removed:  # a removed path is a generated file that is not a page
        Path(outputs.get(path, os.path.join(config.site_dir, path))).unlink(missing_ok=True)
    log.info(f"Incremental build: {len(plan.changed)} changed page(s) and file(s), {len(plan.removed)} removed.")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the taxonomy tree into hand-written pages that ask for it; stop at a page whose front matter MkDocs
    could not read, rather than build it without its title, description and JSON-LD."""
    if markdown.startswith("---") and not page.meta:
        raise PluginError(unread_front_matter(page.file.src_uri))
    return _expand(markdown, page.file.src_uri)


def unread_front_matter(src_uri: str) -> str:
    """The error for a page whose front matter MkDocs could not read as YAML (and would drop whole)."""
    return (f"docs/{src_uri}:1: the front matter does not read as YAML, so the page would lose its title, "
            "description and metadata (got a '---' block MkDocs dropped). Fix: for a hand-written page, correct "
            "the YAML between the '---' lines; for a generated page, this is a bug in the generator's escaping, "
            "please report it.")


def _expand(markdown: str, src_uri: str) -> str:
    if TREE_MARKER in markdown:
        assert _renderer is not None
        markdown = markdown.replace(TREE_MARKER, _renderer.tree(src_uri))
    return markdown


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Reuse the theme's compiled templates across the rebuilds of `mkdocs serve` (half of a small rebuild); give
    overrides/ Material's own templates as THEME/, and the navs this build renders once for many pages; settle
    the pages read so far (`_settle`)."""
    env.bytecode_cache = _templates
    _settle()
    assert env.loader is not None
    material = jinja2.PrefixLoader({"THEME": jinja2.FileSystemLoader(_theme(config))})
    env.loader = jinja2.ChoiceLoader([env.loader, material])
    env.globals["tx_navs"] = {}
    return env


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Note the pages the nav lists."""
    global _listed
    _listed = {p.file.src_uri: p for p in nav.pages}
    return nav


@event_priority(-50)  # after the search plugin's
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    """Note which pages this build renders (for the search index of incremental builds); keep the generated
    sections of entry and case pages out of the search index; on a page the nav does not list, show as the
    reader's place the listed page that leads to it (MkDocs marks only the page itself, and pruning then hides
    the branch), and name the nav it shares with the other pages in its folder that stand in the same place."""
    global _place
    _built.add(page.url)
    if page.file.src_uri in _to_index:
        _index_kept(page, config)
    _unsearch(page, config)
    place = _renderer.stand_in(page.file.src_uri, _listed) if _renderer is not None else None
    _place = _listed[place] if place is not None else None
    if _place is not None:
        _place.active = True
    context["tx_nav_key"] = "" if page.file.src_uri in _listed else \
        f"{place}|{posixpath.dirname(page.url.rstrip('/'))}"
    return context


def _index_kept(page: Page, config: MkDocsConfig) -> None:
    """Index what `_index_searchable` kept of this page, with the page's own search settings back in place."""
    search, kept = _to_index.pop(page.file.src_uri)
    if search is None:
        del page.meta["search"]
    else:
        page.meta["search"] = search
    content, page.content = page.content, kept
    index = _search_index(config)
    assert index is not None
    index.add_entry_from_context(page)
    page.content = content


def _unsearched(page: Page) -> frozenset[str] | None:
    """The ids of the sections of this page that stay out of the search index (None: not an entry or case page,
    or, while serving broken sources, an error page)."""
    if page.file.src_uri not in _sourced:
        return None
    return next((anchors for folder, anchors in UNSEARCHED.items() if page.url.startswith(folder)), None)


def _search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index of this build, if search is on."""
    plugin = config.plugins.get("material/search")
    return getattr(plugin, "search_index", None) if plugin is not None and plugin.config.enabled else None


def _unsearch(page: Page, config: MkDocsConfig) -> None:
    """Drop this page's UNSEARCHED sections from the entries the search plugin has added for it (those
    `_index_searchable` could not cut away before parsing)."""
    skipped = _unsearched(page)
    index = _search_index(config)
    if skipped is None or index is None:
        return
    kept: list[dict[str, Any]] = []
    while index.entries and index.entries[-1]["location"].split("#")[0] == page.url:
        entry = index.entries.pop()
        if entry["location"].partition("#")[2] not in skipped:
            kept.append(entry)
    index.entries.extend(reversed(kept))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Drop what no reader sees: the theme's indentation (a sixth of every page), line breaks in the head; take
    the mark of the reader's place off the listed page that stood for this one."""
    global _place
    if _place is not None:
        _place.active = False
        _place = None
    return lean.compact_page(output)


@event_priority(100)  # before the search plugin's: it then writes the whole index, once
def on_post_build(config: MkDocsConfig) -> None:
    """Record the successful build; after an incremental one, make the search index whole again; give what the
    build held back to the garbage collector."""
    if _dirty:
        _repair_search_index(config)
    _state.commit()
    _unsettle()


def on_build_error(error: Exception) -> None:
    """A failed build leaves the output unknown: the next one is a full build; what it held goes back to the
    garbage collector."""
    _state.forget()
    _search.clear()
    _unsettle()


def _repair_search_index(config: MkDocsConfig) -> None:
    """Entries of the pages rendered now, plus the last written entries of every other page.

    Material's search plugin merges an incremental build into its previous index assuming one page was rendered;
    with several (an entry and the pages that show it) it keeps stale or drops current sections.
    """
    global _search
    plugin = config.plugins.get("material/search")
    index = getattr(plugin, "search_index", None)
    if plugin is None or index is None:
        return
    known = {id(entry) for entries in _search.values() for entry in entries}
    fresh: dict[str, list[dict[str, Any]]] = {}
    for entry in index.entries:
        if id(entry) not in known:
            fresh.setdefault(entry["location"].split("#")[0], []).append(entry)
    _search = {url: entries for url, entries in _search.items() if url not in _built} | fresh
    index.entries = [entry for entries in _search.values() for entry in entries]
    plugin.search_index_prev = None  # the entries are whole: the plugin has nothing to merge when it writes them


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Rebuild when taxonomy_src/, a page published from the repository root, overrides/ or a template changes."""
    server.watch(str(_sources(config)))
    for name in PUBLISHED_FROM_ROOT.values():
        server.watch(str(_root(config) / name))
    if config.theme.custom_dir:
        server.watch(config.theme.custom_dir)
    server.watch(str(TEMPLATES))
    return server

