"""Render a validated Taxonomy into Markdown pages and a nav tree, through Jinja templates."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import jinja2
from markupsafe import escape

from . import export, markup
from .flowchart import flowchart
from .model import NOT_STATED, RELATION_TYPES, Dimension, DimensionValue, Entry, Taxonomy, Work
from .schema import FIELDS, REQUIRED_SECTIONS

TEMPLATES = Path(__file__).parent / "templates"
ENTRY_DIR = "taxonomy"
KIND_LABELS = {"failure-mode": "failure mode", "category": "category", "concept": "concept"}
RELATION_LABELS = {"distinct-from": "Distinct from", "can-co-occur-with": "Can co-occur with",
                   "often-confused-with": "Often confused with"}


def entry_path(entry_id: str) -> str:
    """Docs-relative path of an entry's generated page; its URL is /taxonomy/<id>/."""
    return f"{ENTRY_DIR}/{entry_id}.md"


def relative(from_page: str, to_path: str) -> str:
    """Relative link from one docs page to another docs path (MkDocs resolves .md links)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")


def url(from_page: str, to_path: str, directory_urls: bool = True) -> str:
    """Relative URL from one docs page to another, as built with or without use_directory_urls."""
    if not directory_urls:
        return posixpath.relpath(to_path[: -len(".md")] + ".html", posixpath.dirname(from_page) or ".")

    def directory(path: str) -> str:
        stem = path[: -len(".md")]
        return stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return posixpath.relpath(directory(to_path) or ".", directory(from_page) or ".").rstrip("/") + "/"


def name_slug(name: str) -> str:
    """URL slug of an alternative name: lowercase words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def names_in_reading_order(work: Work) -> str:
    """Authors as written in prose: 'Alec Harris', 'Alex Mallen and Buck Shlegeris'."""
    names = [" ".join(reversed([part.strip() for part in a.split(",", 1)])) for a in work.authors]
    if not names:
        return work.container
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def authors_text(work: Work) -> str:
    """Authors for a reference list: 'Family, G., Family, G. and Family, G.'."""
    names = list(work.authors)
    if not names:
        return work.container
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


class Renderer:
    """Turns a Taxonomy into Markdown pages (deterministic: same input, same bytes)."""

    def __init__(self, taxonomy: Taxonomy, directory_urls: bool = True) -> None:
        self.taxonomy = taxonomy
        self.directory_urls = directory_urls  # False for a preview opened from the file system
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False,
                                                default=False),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            comment_start_string="{##",  # Markdown heading anchors are written {#id}
            comment_end_string="##}",
        )
        self.env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
        self.env.globals.update(
            kind_label=KIND_LABELS, relation_labels=RELATION_LABELS, relation_types=RELATION_TYPES,
            authors_text=authors_text, names_in_reading_order=names_in_reading_order, taxonomy=taxonomy,
            meta=taxonomy.meta,
            source=taxonomy.works[taxonomy.meta.source],
        )

    def files(self) -> dict[str, str]:
        """Every generated file (Markdown pages, redirect stubs, JSON), keyed by docs-relative path."""
        pages = {f"{ENTRY_DIR}/index.md": self._render("overview.md.j2", page=f"{ENTRY_DIR}/index.md")}
        for entry in self.taxonomy.entries.values():
            pages[entry_path(entry.id)] = self.entry_page(entry)
        pages["compare.md"] = self._render("compare.md.j2", page="compare.md", pairs=self.neighbour_pairs(),
                                           failure_modes=self.taxonomy.of_kind("failure-mode"),
                                           groups=[e for e in self.taxonomy.entries.values()
                                                   if e.kind == "category" and e.id != "technical-misalignment"])
        pages["decision-tree.md"] = self.decision_tree_page()
        pages["bibliography.md"] = self._render("bibliography.md.j2", page="bibliography.md")
        pages["changes.md"] = self._render("changes.md.j2", page="changes.md",
                                           releases=list(reversed(self.taxonomy.releases)),
                                           unreleased=self.unreleased())
        pages.update(self.names_pages())
        pages.update(self.redirects())
        pages[export.EXPORT_PATH] = export.export_json(self.taxonomy)
        pages[export.SCHEMA_PATH] = export.schema_json()
        pages["schema.md"] = self._render("schema.md.j2", page="schema.md", fields=FIELDS,
                                          required_sections=REQUIRED_SECTIONS,
                                          reserved=sorted(markup.RESERVED_ANCHORS))
        return pages

    def edit_sources(self) -> dict[str, str]:
        """Repository path of the source a contributor edits to change each generated page."""
        sources = {entry_path(e.id): e.path for e in self.taxonomy.entries.values()}
        sources.update({"compare.md": "taxonomy_src/dimensions.yaml",
                        "decision-tree.md": "taxonomy_src/decision-tree.yaml",
                        "bibliography.md": "taxonomy_src/bibliography.yaml",
                        "changes.md": "taxonomy_src/changelog.yaml",
                        "schema.md": "hooks/taxonomy/schema.py"})
        return sources

    def entry_page(self, entry: Entry) -> str:
        """The Markdown page of one entry."""
        page = entry_path(entry.id)
        replacement = self.taxonomy.entries[entry.replaced_by] if entry.replaced_by else None
        return self._render(
            "entry.md.j2", page=page, entry=entry, body=self.body(entry, page), replacement=replacement,
            history=self.taxonomy.history(entry.id), jsonld=export.json_ld(self.taxonomy, entry),
            cite_text=export.cite_text(self.taxonomy, entry), cite_bibtex=export.cite_bibtex(self.taxonomy, entry),
            cite_csl=export.cite_csl(self.taxonomy, entry),
            ancestors=self.taxonomy.ancestors(entry.id), children=self.taxonomy.children(entry.id),
            related=self.taxonomy.related(entry.id), referred_by=self.taxonomy.referred_by(entry.id),
            works=[self.taxonomy.works[k] for k in entry.all_references],
            dimensions=[(d, entry.dimension(d.id)) for d in self.taxonomy.dimensions],
            permalink=export.permalink(self.taxonomy, entry.id),
            has_footnotes="[^" in entry.body,
        )

    def body(self, entry: Entry, page: str) -> str:
        """An entry body with wiki links and citations turned into Markdown links (inserted as data).

        Former section anchors become empty anchors just before the section that replaced them.
        """
        text = markup.convert(entry.body, lambda *a: self.link(page, *a), lambda *a: self.cite(page, *a))
        if not entry.former_anchors:
            return text
        lines = text.split("\n")
        offsets = {s.id: s.line - entry.body_line for s in entry.sections}
        for old, new in sorted(entry.former_anchors, key=lambda pair: -offsets.get(pair[1], -1)):
            if new in offsets:
                lines.insert(offsets[new], f'<a id="{old}" class="tx-former-anchor"></a>\n')
        return "\n".join(lines)

    def inline(self, text: str, page: str) -> str:
        """Convert links and citations in a one-line text (a dimension's why)."""
        return markup.convert(text, lambda *a: self.link(page, *a), lambda *a: self.cite(page, *a))

    def link(self, page: str, target: str, fragment: str | None, text: str | None) -> str:
        """Markdown for a wiki link [[target#fragment|text]] as seen from `page`."""
        if not target:
            return f"[{text or fragment}](#{fragment})"
        entry = self.taxonomy.entries[target]
        href = relative(page, entry_path(target)) + (f"#{fragment}" if fragment else "")
        return f"[{text or entry.title}]({href})"

    def cite(self, page: str, key: str, locator: str | None) -> str:
        """Markdown for an in-text citation: to the page's reference list on entry pages, else the bibliography."""
        label = self.taxonomy.works[key].label + (f", {locator.strip()}" if locator else "")
        on_entry = (page.startswith(f"{ENTRY_DIR}/") and not page.endswith("/index.md")) or page == "decision-tree.md"
        href = f"#ref-{key}" if on_entry else f"{relative(page, 'bibliography.md')}#{key}"
        return f"([{label}]({href}){{ .tx-cite }})"

    def unreleased(self) -> tuple[Entry, ...]:
        """Entries that no dated release lists yet."""
        return tuple(e for e in self.taxonomy.entries.values() if self.taxonomy.history(e.id)[0] is None)

    def names(self) -> dict[str, list[tuple[str, Entry]]]:
        """Alternative names by URL slug: each name with the entries it is used for."""
        found: dict[str, list[tuple[str, Entry]]] = {}
        for entry in self.taxonomy.entries.values():
            for alias in entry.aliases:
                found.setdefault(name_slug(alias), []).append((alias, entry))
        return dict(sorted(found.items()))

    def names_pages(self) -> dict[str, str]:
        """The index of alternative names, and a disambiguation page for each name used for several entries."""
        names = self.names()
        pages = {"names/index.md": self._render("names.md.j2", page="names/index.md", names=names)}
        for slug, uses in names.items():
            if len({e.id for _, e in uses}) > 1:
                path = f"names/{slug}.md"
                pages[path] = self._render("name.md.j2", page=path, uses=uses)
        return pages

    def redirects(self) -> dict[str, str]:
        """Redirect stubs: former entry ids to their entry, unambiguous alternative names to their entry."""
        stubs: dict[str, str] = {}
        for entry in self.taxonomy.entries.values():
            anchors = dict(entry.former_anchors)
            for old in entry.former_ids:
                path = f"{ENTRY_DIR}/{old}/index.html"
                stubs[path] = self._redirect(path, entry, anchors, f"{old}")
        for slug, uses in self.names().items():
            if len({e.id for _, e in uses}) == 1:
                path = f"names/{slug}/index.html"
                stubs[path] = self._redirect(path, uses[0][1], {}, uses[0][0])
        return stubs

    def _redirect(self, path: str, entry: Entry, anchors: dict[str, str], old: str) -> str:
        target = url(path, entry_path(entry.id), self.directory_urls) if not self.directory_urls \
            else posixpath.relpath(f"{ENTRY_DIR}/{entry.id}", posixpath.dirname(path)) + "/"
        return self._render("redirect.html.j2", page=path, entry=entry, target=target, old=old,
                            anchors=json.dumps(anchors, sort_keys=True),
                            permalink=export.permalink(self.taxonomy, entry.id))

    def also_check(self, entry_id: str) -> tuple[Entry, ...]:
        """Other kinds worth checking after reaching an entry: co-occurring, confusable and sibling kinds."""
        related = self.taxonomy.related(entry_id)
        found = {e.id: e for t in ("can-co-occur-with", "often-confused-with") for e in related.get(t, ())
                 if e.kind == "failure-mode"}
        parent = self.taxonomy.entries[entry_id].parent
        if parent and self.taxonomy.entries[entry_id].kind == "failure-mode":
            found.update({e.id: e for e in self.taxonomy.children(parent) if e.id != entry_id})
        return tuple(e for e in self.taxonomy.entries.values() if e.id in found)

    def decision_tree_page(self) -> str:
        """The decision-tree page: outline, SVG flowchart and the data for the interactive walk."""
        page = "decision-tree.md"
        results = {a.entry for q in self.taxonomy.decision_tree for a in q.answers if a.entry}
        also = {entry_id: self.also_check(entry_id) for entry_id in sorted(results)}
        entry_url = lambda entry_id: url(page, entry_path(entry_id), self.directory_urls)  # noqa: E731
        data = {
            "root": self.taxonomy.decision_tree[0].id,
            "questions": {q.id: {"question": q.question,
                                 "answers": [{"label": a.label, "next": a.next, "entry": a.entry} for a in q.answers]}
                          for q in self.taxonomy.decision_tree},
            "entries": {e: {"title": self.taxonomy.entries[e].title, "url": entry_url(e),
                            "summary": self.taxonomy.entries[e].summary,
                            "also": [{"title": o.title, "url": entry_url(o.id)} for o in also[e]]}
                        for e in sorted(results)},
        }
        cited = [m.group(1) for q in self.taxonomy.decision_tree for m in markup.CITATION.finditer(q.help)]
        works = [self.taxonomy.works[k] for k in dict.fromkeys([self.taxonomy.meta.source, *cited])]
        svg = flowchart(self.taxonomy, lambda qid: f"#{qid}", entry_url)
        return self._render("decision-tree.md.j2", page=page, also_check=also, works=works, svg=svg,
                            walk_data=escape(json.dumps(data, ensure_ascii=False, sort_keys=True)))

    def neighbour_pairs(self) -> list[tuple[Entry, Entry, list[tuple[Dimension, DimensionValue, DimensionValue]],
                                            tuple[str, ...]]]:
        """Neighbouring kinds with the dimensions on which both state different values, and former anchors."""
        pairs = []
        for a, b in self.taxonomy.neighbour_pairs():
            differences: list[tuple[Dimension, DimensionValue, DimensionValue]] = []
            for dimension in self.taxonomy.dimensions:
                va, vb = a.dimension(dimension.id), b.dimension(dimension.id)
                if va and vb and va.value != vb.value and NOT_STATED not in (va.value, vb.value):
                    differences.append((dimension, va, vb))
            pairs.append((a, b, differences, self.taxonomy.former_pair_anchors(a, b)))
        return pairs

    def tree(self, page: str) -> str:
        """The taxonomy tree as a nested Markdown list, with links relative to `page`."""
        return self._render("tree.md.j2", page=page).strip() + "\n"

    def nav(self, static_before: list[object], static_after: list[object]) -> list[object]:
        """MkDocs nav: static pages, then entries grouped by category, then concepts."""
        def branch(entry: Entry) -> object:
            children = self.taxonomy.children(entry.id)
            if not children:
                return {entry.title: entry_path(entry.id)}
            return {entry.title: [{"Overview": entry_path(entry.id)}] + [branch(c) for c in children]}

        tree = [branch(e) for e in self.taxonomy.roots() if e.kind != "concept"]
        concepts = [{e.title: entry_path(e.id)} for e in sorted(self.taxonomy.of_kind("concept"),
                                                                key=lambda e: e.title.lower())]
        taxonomy = [{"Overview": f"{ENTRY_DIR}/index.md"}, *tree, {"Related concepts": concepts}]
        return [*static_before, {"Taxonomy": taxonomy}, *static_after,
                {"Bibliography": "bibliography.md"}]

    def _render(self, template: str, page: str, **context: object) -> str:
        env = self.env
        return env.get_template(template).render(
            page=page, link_to=lambda entry_id: relative(page, entry_path(entry_id)),
            rel=lambda path: relative(page, path), inline=lambda text: self.inline(text, page), **context,
        )
