"""MkDocs hooks of the lean layer: what exists only for speed or size (taxonomy.lean names each piece).

`TAXONOMY_LEAN_OFF=all` (or a list of pieces) switches pieces off; the site then stays byte for byte the same
(speed pieces) or the same after normalising white space and script placement, with the same search index (size
pieces). Where a piece relies on Material's internals, a change there fails the build with a named fix.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from taxonomy.build import BUILD
from taxonomy.lean import SWITCH, memory, on
from taxonomy.lean.output import compact_page, compact_sitemap, inline_scripts, unused_theme_files, without_source_map

log = logging.getLogger("mkdocs.hooks.taxonomy")
THEME_SCRIPTS = {"partials/javascripts/base.html": "assets/theme/base.js",
                 "partials/javascripts/palette.html": "assets/theme/palette.js",
                 "partials/javascripts/content.html": "assets/theme/content.js"}
"""Material partials of inline scripts that every page repeats, each served as one file (see overrides/)."""


class _Generated(File):
    """A generated file that a --dirty build writes again only when its output is missing (see _plan_rebuild)."""

    def is_modified(self) -> bool:
        return not os.path.isfile(self.abs_dest_path)


def _material(found: object, what: str, piece: str) -> Any:
    """Something of Material's that a piece relies on; its absence fails the build with the fix."""
    if found is None:
        raise PluginError(f"Material no longer has {what}, which the lean layer's `{piece}` piece relies on "
                          f"(docs/architecture.md#material). Fix: build with {SWITCH}={piece} and adapt "
                          "hooks/taxonomy_lean.py to this Material.")
    return found


def _search(config: MkDocsConfig) -> Any:
    """Material's search plugin, if search is on."""
    plugin = config.plugins.get("material/search")
    return plugin if plugin is not None and plugin.config.enabled else None


def _trusted_dirty_build(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may be inaccurate (it would abort a strict `make serve`): on_files
    makes it accurate."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_startup(command: str, dirty: bool) -> None:
    """A --dirty build is exact (incremental, or with the piece off a full one), so MkDocs' warning goes."""
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_trusted_dirty_build)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """`incremental`: plan a --dirty rebuild; `lean-theme`: leave out theme files no page loads and the comments
    that point to them; `theme-scripts`: serve the theme's repeated inline scripts as files; `gc`: settle what the
    build holds."""
    if BUILD.dirty and on("incremental") and not BUILD.problems:
        generated = {f.src_uri for f in files if f.generated_by is not None}
        for file in files:
            if file.generated_by is not None:
                file.__class__ = _Generated  # rewritten only when its output is missing: _plan_rebuild removes it
        _plan_rebuild(files, config, generated)
    elif BUILD.dirty:  # with the piece off a --dirty build is a full one
        clean_directory(config.site_dir)
    if on("lean-theme"):
        search = config.plugins.get("material/search")
        for path in unused_theme_files([f.src_uri for f in files.media_files()], search.config.lang if search else []):
            files.remove(files.src_uris[path])
        for file in list(files.media_files()):
            if file.src_uri.endswith((".js", ".css")) and "sourceMappingURL=" in file.content_string[-200:]:
                files.remove(file)
                files.append(_Generated.generated(config, file.src_uri,
                                                  content=without_source_map(file.content_string)))
    if on("theme-scripts"):
        theme = Path(next(d for d in config.theme.dirs if d != config.theme.custom_dir))
        context = {"config": config, "base_url": ".", "features": config.theme.get("features") or []}
        for partial, path in THEME_SCRIPTS.items():
            original = theme / partial
            try:
                code = inline_scripts(jinja2.Template(original.read_text("utf-8")).render(context))
            except (OSError, ValueError) as exc:
                raise PluginError(f"{original}: {exc}. Fix: update overrides/{partial} for this Material, or build "
                                  f"with {SWITCH}=theme-scripts.") from None
            files.append(_Generated.generated(config, path, content=code))
    BUILD.frozen = memory.settle(BUILD.frozen)
    return files


def _plan_rebuild(files: Files, config: MkDocsConfig, generated: set[str]) -> None:
    """--dirty: remove the output of every page whose text changed, or all output when the structure changed.

    MkDocs' --dirty renders a page again only when its output is older than its source; generated pages have no
    source file, and a hand-written page shows the generated tree. Removing stale outputs makes --dirty exact.
    """
    texts = {f.src_uri: BUILD.expand(f.content_string, f.src_uri) if f.is_documentation_page() else f.content_string
             for f in files if f.src_uri in generated or f.is_documentation_page()}
    theme = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    structure = json.dumps([config.nav, sorted(f.src_uri for f in files.documentation_pages()),
                            hashlib.sha256(Path(config.config_file_path).read_bytes()).hexdigest(),
                            sorted((p.as_posix(), p.stat().st_mtime_ns) for p in theme.rglob("*") if p.is_file())
                            if theme else []])
    outputs = {f.src_uri: f.abs_dest_path for f in files if f.src_uri in texts}
    plan = BUILD.state.plan(structure, texts)
    BUILD.built.clear()
    if plan.full:
        clean_directory(config.site_dir)
        BUILD.search.clear()
        log.info("Full build: the nav, the set of pages, the configuration or the theme changed.")
        return
    for path in plan.changed | plan.removed:  # a removed path is a generated file that is not a page
        Path(outputs.get(path, os.path.join(config.site_dir, path))).unlink(missing_ok=True)
    log.info(f"Incremental build: {len(plan.changed)} changed page(s) and file(s), {len(plan.removed)} removed.")


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """`theme-scripts` tells overrides/ to load the files; `gc`: settle the pages read so far."""
    env.globals["tx_theme_scripts"] = on("theme-scripts")
    BUILD.frozen = memory.settle(BUILD.frozen)
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """`compact`: drop what no reader sees, the theme's indentation (a sixth of every page), line breaks in the
    head."""
    return compact_page(output) if on("compact") else output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """`compact`: the theme's other pages (404) and the sitemap are as lean as the pages."""
    if not on("compact") or BUILD.problems and template_name == "404.html":
        return output_content
    if template_name.endswith(".html"):
        return compact_page(output_content)
    return compact_sitemap(output_content) if template_name == "sitemap.xml" else output_content


@event_priority(100)  # before the search plugin's: it then writes the whole index, once
def on_post_build(config: MkDocsConfig) -> None:
    """`incremental`: make the search index whole again; `gc`: give what the build held back to the collector."""
    if BUILD.dirty and on("incremental"):
        _repair_search_index(config)
    BUILD.frozen = memory.unsettle(BUILD.frozen)


def on_build_error(error: Exception) -> None:
    """What the build held goes back to the garbage collector."""
    BUILD.frozen = memory.unsettle(BUILD.frozen)


def _repair_search_index(config: MkDocsConfig) -> None:
    """Entries of the pages rendered now, plus the last written entries of every other page.

    Material's search plugin merges an incremental build into its previous index assuming one page was rendered;
    with several (an entry and the pages that show it) it keeps stale or drops current sections.
    """
    plugin = _search(config)
    if plugin is None:
        return
    index = _material(getattr(plugin, "search_index", None), "search_index", "incremental")
    _material(hasattr(plugin, "search_index_prev") or None, "search_index_prev", "incremental")
    known = {id(entry) for entries in BUILD.search.values() for entry in entries}
    fresh: dict[str, list[dict[str, Any]]] = {}
    for entry in index.entries:
        if id(entry) not in known:
            fresh.setdefault(entry["location"].split("#")[0], []).append(entry)
    BUILD.search = {url: entries for url, entries in BUILD.search.items() if url not in BUILD.built} | fresh
    index.entries = [entry for entries in BUILD.search.values() for entry in entries]
    plugin.search_index_prev = None  # the entries are whole: the plugin has nothing to merge when it writes them
