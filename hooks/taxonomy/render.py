"""Render a validated Taxonomy into Markdown pages and a nav tree, through Jinja templates."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection
from typing import Any

from markupsafe import Markup

from . import citation, claims, export, locators, markup, migration, pages
from .casepages import EVIDENCE_LABELS, TEMPLATE_FILTERS, TEMPLATE_GLOBALS, CasePages, example_end
from .checks import SUMMARY_MAX, TITLE_MAX
from .escaping import html_text, inline_md, md_text, script_json
from .escaping import url as safe_url
from .flowchart import flowchart
from .inline import Node, nodes
from .model import NOT_STATED, RELATION_TYPES, Dimension, DimensionValue, Entry, Section, Taxonomy, Work
from .provenance import open_questions, sources_context
from .releases import VERSIONING
from .schema import FIELDS, MAX_PARENT_DEPTH, MAX_TREE_DEPTH, REQUIRED_SECTIONS, TEXT_RULES
from .templating import Output, environment
from .urls import MAX_NAME_BYTES, MAX_PATH_BYTES, address, built_url, case_path, entry_path, relative
from .yamlsrc import MAX_BYTES, MAX_DEPTH, MAX_INT_DIGITS

KIND_LABELS = {"failure-mode": "failure mode", "category": "category", "concept": "concept"}
NAV_TREE = "__taxonomy__"
"""Where mkdocs.yml's nav takes the tree of categories and failure modes (concepts are reached through their index)."""
NAV_LIMIT = 12
"""The most children a section of the nav lists; beyond it, a reader scanning the sidebar is better served by the
page that lists them with their summaries."""
NAV_INDEX = {page: page.listed_by for page in pages.PAGES if page.listed_by is not None}
"""The index page that leads to each per-item page type the nav does not list (for entries: to concepts)."""
RELATION_LABELS = {"distinct-from": "Distinct from", "can-co-occur-with": "Can co-occur with",
                   "often-confused-with": "Often confused with"}


def names_in_reading_order(work: Work) -> str:
    """Authors as written in prose: 'Alec Harris', 'Alex Mallen and Buck Shlegeris'."""
    names = [" ".join(reversed([part.strip() for part in a.split(",", 1)])) for a in work.named]
    if not names:
        return work.container
    if not work.complete:
        return ", ".join(names) + " et al."
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def authors_text(work: Work) -> str:
    """Authors for a reference list: 'Family, G., Family, G. and Family, G.', or '…, Family, G. et al.' when the
    bibliography names only some of them."""
    names = list(work.named)
    if not names:
        return work.container
    if not work.complete:
        return ", ".join(names) + " et al."
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


class Renderer:
    """Turns a Taxonomy into Markdown pages (deterministic: same input, same bytes)."""

    def __init__(self, taxonomy: Taxonomy, directory_urls: bool = True) -> None:
        self.taxonomy = taxonomy
        self._position = {entry_id: i for i, entry_id in enumerate(taxonomy.entries)}  # reading order
        self.directory_urls = directory_urls  # False for a preview opened from the file system
        self.env = environment(Output.PAGE)
        self.env.globals.update(
            kind_label=KIND_LABELS, relation_labels=RELATION_LABELS, relation_types=RELATION_TYPES,
            authors_text=authors_text, names_in_reading_order=names_in_reading_order, taxonomy=taxonomy,
            meta=taxonomy.meta,
            source=taxonomy.works[taxonomy.meta.source], reference=self.reference, not_stated=NOT_STATED,
            **TEMPLATE_GLOBALS,
        )
        self.env.filters.update(TEMPLATE_FILTERS)
        self._references: dict[str, Markup] = {}
        self._names: dict[str, list[tuple[str, Entry]]] | None = None
        self.cases = CasePages(self)  # worked cases and the crosswalk (casepages.py)

    def files(self) -> dict[str, str]:
        """Every generated file (Markdown pages, redirect stubs, JSON), keyed by docs-relative path: one for each page
        of each generated type in the page registry."""
        builders = self.builders()
        files: dict[str, str] = {}
        for page in pages.generated():
            for key in page.keys(self.taxonomy):
                path = page.path_of(key)
                if path in files:  # the loader keeps ids and names off each other's addresses; never overwrite
                    raise ValueError(f"two generated pages at {path} (got a second '{page.name}' page)")
                files[path] = builders[page](key)
        return files

    def builders(self) -> dict[pages.Page, Callable[[str], str]]:
        """What writes each type of generated page, given its key ('' for a single page)."""
        return {
            pages.OVERVIEW: lambda _: self.render("overview.md.j2", page=pages.OVERVIEW.path),
            pages.ENTRY: lambda key: self.entry_page(self.taxonomy.entries[key]),
            pages.COMPARE: lambda _: self.render(
                "compare.md.j2", page=pages.COMPARE.path, pairs=self.neighbour_pairs(),
                failure_modes=self.taxonomy.of_kind("failure-mode"),
                groups=[e for e in self.taxonomy.entries.values()
                        if e.kind == "category" and e.id != "technical-misalignment"]),
            pages.CONCEPTS: lambda _: self.render("concepts.md.j2", page=pages.CONCEPTS.path, concepts=sorted(
                self.taxonomy.of_kind("concept"), key=lambda e: e.title.lower())),
            pages.DECISION_TREE: lambda _: self.decision_tree_page(),
            pages.BIBLIOGRAPHY: lambda _: self.render("bibliography.md.j2", page=pages.BIBLIOGRAPHY.path),
            pages.SOURCES: lambda _: self.render("sources.md.j2", page=pages.SOURCES.path,
                                              **sources_context(self.taxonomy)),
            pages.OPEN_QUESTIONS: lambda _: self.open_questions_page(),
            pages.CHANGES: lambda _: self.render("changes.md.j2", page=pages.CHANGES.path,
                                              releases=list(reversed(self.taxonomy.releases)),
                                              versioning=VERSIONING, case_path=case_path,
                                              unreleased=self.unreleased()),
            pages.NAMES: lambda _: self.render("names.md.j2", page=pages.NAMES.path, names=self.names()),
            pages.NAME: lambda slug: self.render("name.md.j2", page=pages.NAME.path_of(slug),
                                                 uses=self.names()[slug]),
            pages.NAME_REDIRECT: lambda slug: self._redirect(pages.NAME_REDIRECT.path_of(slug),
                                                             self.names()[slug][0][1], {}, self.names()[slug][0][0]),
            pages.FORMER_ID: lambda old: self._former_id_redirect(old),
            pages.EXPORT: lambda _: export.export_json(self.taxonomy),
            pages.EXPORT_SCHEMA: lambda _: export.schema_json(self.taxonomy),
            pages.SCHEMA: lambda _: self.render("schema.md.j2", page=pages.SCHEMA.path, fields=FIELDS,
                                             required_sections=REQUIRED_SECTIONS, text_rules=TEXT_RULES,
                                             reserved=sorted(markup.RESERVED_ANCHORS),
                                             limits={"bytes": MAX_BYTES, "depth": MAX_DEPTH,
                                                     "digits": MAX_INT_DIGITS, "title": TITLE_MAX,
                                                     "summary": SUMMARY_MAX, "name": MAX_NAME_BYTES,
                                                     "path": MAX_PATH_BYTES, "nesting": markup.MAX_NESTING,
                                                     "brackets": markup.MAX_BRACKETS, "paragraph": markup.MAX_PARAGRAPH,
                                                     "parents": MAX_PARENT_DEPTH,
                                                     "questions": MAX_TREE_DEPTH},
                                             claim_kinds=claims.KINDS, locator_labels=locators.LABELS),
            pages.CITE: lambda _: self.cite_page(),
            pages.ALL_BIBTEX: lambda _: export.all_citations(self.taxonomy, "bibtex"),
            pages.ALL_CSL: lambda _: export.all_citations(self.taxonomy, "csl"),
            pages.MIGRATION: lambda _: migration.migration_json(self.taxonomy),
            pages.MIGRATION_SCHEMA: lambda _: migration.schema_json(self.taxonomy),
            **self.cases.builders(),
        }

    def cite_page(self) -> str:
        """How to cite: the taxonomy as a whole in every citation format, entries, sections, editions, data."""
        example = next(iter(self.taxonomy.entries))
        return self.render(
            "cite.md.j2", page=pages.CITE.path, whole=export.whole_citations(self.taxonomy),
            whole_record=citation.whole_record(self.taxonomy),
            entry_address=self.taxonomy.meta.site_url + pages.ENTRY.address("<id>"),
            example_id=example,
            section_example=f"/{pages.ENTRY.address(example)}#definition",
            export_path=pages.EXPORT.path, export_schema_path=pages.EXPORT_SCHEMA.path,
            all_bibtex=pages.ALL_BIBTEX.path, all_csl=pages.ALL_CSL.path,
            migration_path=pages.MIGRATION.path, migration_schema_path=pages.MIGRATION_SCHEMA.path,
            source_citation=self.reference(self.taxonomy.works[self.taxonomy.meta.source]))

    def edit_sources(self) -> dict[str, str]:
        """Repository path of the source a contributor edits to change each page that has one."""
        sources = {}
        for page, key in pages.instances(self.taxonomy):
            source = page.edit_source(self.taxonomy, key)
            if source is not None:
                sources[page.path_of(key)] = source
        return sources

    def reference(self, work: Work) -> Markup:
        """A work as a reference-list item (templates/work.md.j2), rendered once: many pages list the same works."""
        text = self._references.get(work.key)
        if text is None:
            text = self._references[work.key] = Markup(self.env.get_template("work.md.j2").render(work=work))
        return text

    def entry_page(self, entry: Entry) -> str:
        """The Markdown page of one entry."""
        page = entry_path(entry.id)
        replacement = self.taxonomy.entries[entry.replaced_by] if entry.replaced_by else None
        citations = export.citations(self.taxonomy, entry)
        record = citation.entry_record(self.taxonomy, entry)
        return self.render(
            "entry.md.j2", page=page, entry=entry, replacement=replacement,
            **self.body(entry, page),
            cases=self.taxonomy.cases_for(entry.id), related_terms=self.taxonomy.related_terms(entry.id),
            history=self.taxonomy.history(entry.id), jsonld=export.json_ld(self.taxonomy, entry),
            citation_meta=citation.meta_tags(record), record=record,
            citations=citations,
            dated_citations=Markup.escape(str(script_json(export.dated_citations(self.taxonomy, entry, citations)))),
            search_boost=pages.SEARCH_BOOST,
            ancestors=self.taxonomy.ancestors(entry.id), children=self.taxonomy.children(entry.id),
            related=self.taxonomy.related(entry.id), referred_by=self.taxonomy.referred_by(entry.id),
            works=[self.taxonomy.works[k] for k in entry.all_references],
            dimensions=[(d, entry.dimension(d.id)) for d in self.taxonomy.dimensions],
            permalink=export.permalink(self.taxonomy, entry.id),
            has_footnotes=entry.has_footnotes,
        )

    def body(self, entry: Entry, page: str) -> dict[str, Markup]:
        """An entry body with wiki links and citations turned into Markdown links (inserted as data), as `lead`
        (the text before its first section, shown at the top of the page) and `body` (its sections).

        Former section anchors become empty anchors just before the section that replaced them, and the worked
        cases end the Example section.
        """
        lead, lines, first = self.lead_and_sections(entry.body, entry.sections, entry.body_line, page)
        offsets = {s.id: s.line - entry.body_line - first for s in entry.sections}
        inserts = [(offsets[new], 0, f'<a id="{html_text(old)}" class="tx-former-anchor"></a>\n')
                   for old, new in entry.former_anchors if new in offsets]
        block = self.cases.example_block(entry, page)
        end = example_end(entry, [""] * first + lines) if block else None
        if end is not None:
            inserts.append((end - first, 1, f"\n{block.rstrip()}\n"))
        for at, _, text in sorted(inserts, key=lambda insert: (-insert[0], insert[1])):
            lines.insert(at, text)
        return {"lead": lead, "body": Markup("\n".join(lines))}

    def lead_and_sections(self, body: str, sections: tuple[Section, ...], body_line: int, page: str
                          ) -> tuple[Markup, list[str], int]:
        """A body (an entry's or a case's) converted, split where its first section begins: the text before it
        (which the page shows at its top, with the summary, never under a generated section), the lines from
        it on, and how many lines the first part had."""
        lines = str(self.markdown(body, page)).split("\n")
        first = sections[0].line - body_line if sections else len(lines)
        return Markup("\n".join(lines[:first]).strip()), lines[first:], first

    def markdown(self, body: str, page: str) -> Markup:
        """A Markdown body (an entry's or a case's) with wiki links, citations and claim markers converted. The
        loader has scanned it line by line, and the page sanitiser reads what it becomes."""
        return Markup(markup.convert(body, lambda *a: self.link(page, *a), lambda *a: self.cite(page, *a),
                                     claim=lambda *a: self.claim(page, *a)))

    def inline(self, text: str, page: str) -> Markup:
        """An inline-Markdown field (a dimension's why, a question's help): links, citations and claim markers
        converted, emphasis kept, and HTML, attribute lists and table pipes inert."""
        return Markup(markup.convert(text, lambda t, f, x: self.link(page, t, f, x and inline_md(x)),
                                     lambda *a: self.cite(page, *a), inline_md, lambda *a: self.claim(page, *a)))

    def link(self, page: str, target: str, fragment: str | None, text: str | None) -> str:
        """Markdown for a wiki link [[target#fragment|text]] as seen from `page`."""
        anchor = f"#{safe_url(fragment)}" if fragment else ""
        if not target:
            return f"[{text or md_text(fragment)}]({anchor})"
        entry = self.taxonomy.entries[target]
        return f"[{text or md_text(entry.title)}]({relative(page, entry_path(target))}{anchor})"

    def cite(self, page: str, key: str, locator: str | None) -> str:
        """Markdown for an in-text citation: to the page's reference list on entry pages, else the bibliography."""
        label = md_text(self.taxonomy.works[key].label + (f", {locator.strip()}" if locator else ""))
        here = pages.page_at(page)
        href = f"#ref-{key}" if here and here[0].own_references else \
            f"{relative(page, pages.BIBLIOGRAPHY.path)}#{key}"
        return f"([{label}]({href}){{ .tx-cite }})"

    def claim(self, page: str, kind: str, claim_id: str | None) -> str:
        """HTML for a claim-status marker: a small label linked to what it means on the Sources page."""
        return str(claims.label_html(kind, claim_id, built_url(page, pages.SOURCES.path, self.directory_urls)))

    def open_questions_page(self) -> str:
        """The Open questions page: every `disputed` or `lost` claim marker, by entry, then by worked case."""
        page = pages.OPEN_QUESTIONS.path
        return self.render("open-questions.md.j2", page=page, groups=open_questions(
            self.taxonomy, lambda path, fragment: relative(page, path) + fragment))

    def unreleased(self) -> tuple[Entry, ...]:
        """Entries that no dated release lists yet."""
        return tuple(e for e in self.taxonomy.entries.values() if self.taxonomy.history(e.id)[0] is None)

    def names(self) -> dict[str, list[tuple[str, Entry]]]:
        """Alternative names by URL slug: each name with the entries it is used for."""
        if self._names is None:
            self._names = pages.names(self.taxonomy)
        return self._names

    def _former_id_redirect(self, old: str) -> str:
        """The redirect stub at a former id's address: to the entry that has the id now, keeping section anchors."""
        entry = next(e for e in self.taxonomy.entries.values() if old in e.former_ids)
        return self._redirect(pages.FORMER_ID.path_of(old), entry, dict(entry.former_anchors), old)

    def _redirect(self, path: str, entry: Entry, anchors: dict[str, str], old: str) -> str:
        target = safe_url(built_url(path, entry_path(entry.id), self.directory_urls) if not self.directory_urls
                          else posixpath.relpath(address(entry_path(entry.id)), posixpath.dirname(path)) + "/")
        return self.render("redirect.html.j2", page=path, entry=entry, target=target, old=old,
                            anchors=script_json(anchors),
                            permalink=export.permalink(self.taxonomy, entry.id))

    def also_check(self, entry_id: str) -> tuple[Entry, ...]:
        """Other kinds worth checking after reaching an entry: co-occurring, confusable and sibling kinds."""
        related = self.taxonomy.related(entry_id)
        found = {e.id: e for t in ("can-co-occur-with", "often-confused-with") for e in related.get(t, ())
                 if e.kind == "failure-mode"}
        parent = self.taxonomy.entries[entry_id].parent
        if parent and self.taxonomy.entries[entry_id].kind == "failure-mode":
            found.update({e.id: e for e in self.taxonomy.children(parent) if e.id != entry_id})
        return tuple(sorted(found.values(), key=lambda e: self._position[e.id]))

    def decision_tree_page(self) -> str:
        """The decision-tree page: outline, SVG flowchart and the data for the interactive walk."""
        page = pages.DECISION_TREE.path
        results = {a.entry for q in self.taxonomy.decision_tree for a in q.answers if a.entry}
        also = {entry_id: self.also_check(entry_id) for entry_id in sorted(results)}
        entry_url = lambda entry_id: built_url(page, entry_path(entry_id), self.directory_urls)  # noqa: E731
        reaching = lambda result: [  # noqa: E731  # the worked cases whose walk ends at this result
            {"title": c.title, "url": built_url(page, case_path(c.id), self.directory_urls),
             "evidence": EVIDENCE_LABELS[c.evidence]} for c in self.taxonomy.cases_reaching(result)]
        data: dict[str, Any] = {
            "root": self.taxonomy.decision_tree[0].id,
            "questions": {q.id: {"question": q.question, "help": self.help_nodes(q.help, page),
                                 "answers": [{"label": a.label, "next": a.next, "entry": a.result} for a in q.answers]}
                          for q in self.taxonomy.decision_tree},
            "entries": {e: {"title": self.taxonomy.entries[e].title, "url": entry_url(e),
                            "summary": self.taxonomy.entries[e].summary,
                            "also": [{"title": o.title, "url": entry_url(o.id)} for o in also[e]],
                            "cases": reaching(e)}
                        for e in sorted(results)},
        }
        for outcome in self.taxonomy.outcomes:  # a result that lists candidates: shown like an entry, on this page
            data["entries"][outcome.id] = {
                "title": outcome.title, "url": f"#{outcome.id}", "also_label": "Candidates: ",
                "summary": "The surviving text cannot decide between these kinds; the outcome says what would.",
                "also": [{"title": self.taxonomy.entries[c].title, "url": entry_url(c)} for c in outcome.candidates],
                "cases": reaching(outcome.id)}
        helps = [q.help for q in self.taxonomy.decision_tree] + [o.help for o in self.taxonomy.outcomes] \
            + [r.note for r in self.taxonomy.retired_questions]
        cited = [key for text in helps for key in markup.cited_keys(text)]
        works = [self.taxonomy.works[k] for k in dict.fromkeys([self.taxonomy.meta.source, *cited])]
        svg = Markup(flowchart(self.taxonomy, lambda qid: f"#{qid}", entry_url))
        case_url = lambda case_id: relative(page, case_path(case_id))  # noqa: E731
        return self.render("decision-tree.md.j2", page=page, also_check=also, works=works, svg=svg,
                            walk_data=Markup.escape(str(script_json(data))), case_url=case_url)

    def help_nodes(self, text: str, page: str) -> list[Node]:
        """A help text as inert nodes for the walk's script, its links as built URLs rather than .md paths."""
        def link(target: str, fragment: str | None, label: str | None) -> str:
            if not target:
                return f"[{label or fragment}](#{fragment})"
            href = built_url(page, entry_path(target), self.directory_urls) + (f"#{fragment}" if fragment else "")
            return f"[{label or self.taxonomy.entries[target].title}]({href})"
        return nodes(markup.convert(text, link, lambda *a: self.cite(page, *a)))

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
        return self.render("tree.md.j2", page=page).strip() + "\n"

    def nav(self, configured: list[object]) -> list[object]:
        """The site's nav: mkdocs.yml's, with the category tree where NAV_TREE stands and the generated pages these
        sources do not have (no worked cases, no crosswalk) left out.

        A section lists at most NAV_LIMIT children; a larger one is reached through its page, which lists them all.
        With Material's pruned navigation every page then carries a nav of bounded size, however large the taxonomy.
        """
        def branch(entry: Entry) -> object:
            children = self.taxonomy.children(entry.id)
            if not children or len(children) > NAV_LIMIT:
                return {html_text(entry.title): entry_path(entry.id)}
            # the section's own page, under its title: a nav of several "Overview" items says nothing
            return {html_text(entry.title): [{html_text(entry.title): entry_path(entry.id)}]
                    + [branch(c) for c in children]}

        def expand(item: object) -> list[object]:
            if item == NAV_TREE:
                roots = [e for e in self.taxonomy.roots() if e.kind != "concept"]
                return [branch(e) for e in roots] if len(roots) <= NAV_LIMIT else []
            if isinstance(item, str):
                return [item] if self._exists(item) else []
            if isinstance(item, dict) and len(item) == 1:
                ((title, value),) = item.items()
                if isinstance(value, list):
                    children = [i for child in value for i in expand(child)]
                    return [{title: children}] if children else []
                return [item] if not isinstance(value, str) or self._exists(value) else []
            return [item]

        return [i for item in configured for i in expand(item)]

    def _exists(self, path: str) -> bool:
        """Whether these sources have the page at a docs path (False only for a generated page they do not have)."""
        found = pages.page_at(path)
        return found is None or found[1] in found[0].keys(self.taxonomy)

    def stand_in(self, path: str, listed: Collection[str]) -> str | None:
        """For a page the nav does not list, the listed page that leads to it, which the nav shows as the reader's
        place: an entry's nearest listed category, the index of concepts, of worked cases or of names."""
        found = pages.page_at(path)
        if path in listed or found is None:
            return None
        page, key = found
        if page is pages.ENTRY and self.taxonomy.entries[key].kind != "concept":
            chain = [pages.OVERVIEW.path, *(entry_path(a.id) for a in self.taxonomy.ancestors(key))]
            return next((p for p in reversed(chain) if p in listed), None)
        index = NAV_INDEX.get(page)
        return index if index in listed else None

    def render(self, template: str, page: str, **context: object) -> str:
        """A template rendered for the page at a docs path, with the helpers every page template uses."""
        env = self.env
        return env.get_template(template).render(
            page=page, link_to=lambda entry_id: relative(page, entry_path(entry_id)),
            rel=lambda path: relative(page, path), inline=lambda text: self.inline(text, page), **context,
        )
