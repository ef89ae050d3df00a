"""The checks of entries against each other and against the supporting files, once every file is read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import claims, markup, pages
from .bibliography import Bibliography
from .checks import choices, did_you_mean, former_id, unknown_citation, unknown_entry_fix
from .dimensions import Dimensions, entry_values
from .documents import Document
from .entries import model_values, required
from .model import Difference, DimensionValue, Entry, Relation, Taxonomy, Work
from .problems import Checked, Finding, Problem, collect
from .schema import (
    DIMENSION_RECORD,
    ENTRY_FILE,
    MAX_PARENT_DEPTH,
    OPEN_QUESTIONS_ELSEWHERE,
    REQUIRED_SECTIONS,
    SCAFFOLD_PROMPTS,
    carries_open_questions,
    markdown_of,
)
from .urls import ENTRY_DIR, NAMES_DIR, name_slug, path_too_long


@dataclass(frozen=True)
class Known:
    """What the supporting files define, for checking entries against them without cascades from broken files."""

    bibliography: Bibliography
    dimensions: Dimensions
    former: Mapping[str, str]
    """Former id -> the entry that has it now."""
    entries: Mapping[str, Document] = field(default_factory=dict)
    """The entry files by id (by file name where the id is unusable), for links and their anchors."""

    @property
    def works(self) -> dict[str, Work]:
        """The valid works by key."""
        return self.bibliography.works

    def unknown_key(self, key: str) -> bool:
        """Whether a citation key is really missing (not merely in a broken or unreadable bibliography)."""
        return self.bibliography.keys is not None and key not in self.bibliography.keys

    def unknown_entry_fix(self, target: str, ids: Mapping[str, object]) -> str:
        """The fix for a reference to an id that is not an entry: the entry it was renamed to, or a near match."""
        return unknown_entry_fix(target, ids, self.former)


BLOCK_START = re.compile(r"(?:#|>|[-*+](?:\s|$)|[0-9]{1,9}[.)](?:\s|$)|[-*_=](?:\s*[-*_=]){2,}\s*$|\[[^\]]*\]:"
                         r"|`{3,}|~{3,})")
"""The start of a one-line field that Markdown would read as a block (a heading, quote, list, rule, reference
definition or fence) where a page puts the field at the start of a line."""


def inline_field(text: str, line: int, file: str, known: Known) -> Checked[bool]:
    """An inline-Markdown field of a source file, checked as an entry body is (safe markup, links and their
    anchors, citations, claim markers), with problems at its own line; whether it passed."""
    text = " ".join(text.split())
    if BLOCK_START.match(text):
        yield line, (f"this field is one line of inline Markdown, but it starts like a block (got {text[:40]!r}). "
                     "Fix: start it with a word.")
        return False
    scan = markup.scan_inline(text, line)
    found = list(scan.problems)
    for ref in [*scan.footnote_refs, *scan.footnote_defs]:
        found.append((line, f"footnotes are not allowed in a one-line field (got '[^{ref.target}]'). Fix: say it "
                            "in the text, or move it into an entry body."))
    for link in scan.links:
        if not link.target:
            found.append((line, f"a field cannot link to a section of the page it is shown on (got "
                                f"'#{link.detail or ''}'). Fix: link the entry's section with [[id#section|text]]."))
    found += list(_links(scan, known, known.entries))
    for cite in scan.citations:
        if known.unknown_key(cite.target):
            found.append((line, unknown_citation(cite.target, f"[@{cite.target}]", known.works)))
    if not carries_open_questions(file):
        for claim in scan.claims:
            if claim.id or claims.BY_ID[claim.kind].open_question:
                found.append((line, f"only entries and cases carry open questions (got '[?{claim.kind}"
                                    f"{'#' + claim.id if claim.id else ''}]'). Fix: use {OPEN_QUESTIONS_ELSEWHERE}: "
                                    + ", ".join(f"[?{k.id}]" for k in claims.KINDS if not k.open_question) + "."))
    yield from found
    return not found


def former_ids(documents: list[Document]) -> dict[str, str]:
    """Former id -> the id of the entry that lists it."""
    return {old: str(d.values.get("id", d.path.stem)) for d in documents for old in d.values.get("former_ids", ())}


def by_id(documents: list[Document]) -> dict[str, Document]:
    """The entry files by id, each reachable under its file name where its id is unusable."""
    return _identities(documents)[0]


def check_entries(documents: list[Document], known: Known, problems: list[Problem]) -> list[Entry]:
    """The entries that pass every check; the problems of every entry file are added to `problems`."""
    by_id, early = _identities(documents)
    kinds = {i: d.values.get("kind") for i, d in by_id.items()}
    declared: dict[tuple[str, frozenset[str]], str] = {}
    spellings = _spellings(documents)
    entries: list[Entry] = []
    duplicated = copies(documents)
    for document in documents:
        mine = [Problem(document.shown, line, message) for line, message in
                [*document.findings, *early.get(document.path, ())]]
        if document.path in duplicated:  # its one problem says so
            problems.extend(mine)
            continue
        values = collect(document.shown, _check_entry(document, known, by_id, kinds, declared, spellings), mine)
        if not mine and required(document) <= document.values.keys() | {"dimensions", "relations"}:
            entries.append(_entry(document, values))
        problems.extend(mine)
    if not problems:
        problems.extend(_cycles(entries, {e.id: by_id[e.id].lines.get("parent", 1) for e in entries}))
    if not problems:
        problems.extend(_too_deep(entries, {e.id: by_id[e.id].lines.get("parent", 1) for e in entries}))
    return entries


def _differences(document: Document, known: Known) -> Checked[None]:
    """The `tell_apart` texts, each checked as every inline-Markdown field is."""
    difference: Difference
    for difference in document.values.get("tell_apart", ()):
        yield from inline_field(difference.text, difference.line, ENTRY_FILE, known)


def tell_apart_pairs(taxonomy: Taxonomy, lines: Mapping[str, Mapping[str, int]]) -> list[Problem]:
    """Every pair of neighbours has one `tell_apart` text, in either file; no entry has one for an entry that is
    not its neighbour. `lines`: each entry's field lines, by id."""
    problems: list[Problem] = []
    pairs = {frozenset((a.id, b.id)) for a, b in taxonomy.neighbour_pairs()}
    said: dict[frozenset[str], list[tuple[Entry, Difference]]] = {}
    for entry in taxonomy.entries.values():
        for difference in entry.tell_apart:
            pair = frozenset((entry.id, difference.other))
            if pair in pairs:
                said.setdefault(pair, []).append((entry, difference))
                continue
            neighbours = sorted(other for p in pairs if entry.id in p for other in p - {entry.id})
            problems.append(Problem(entry.path, difference.line, (
                f"'tell_apart' names '{difference.other}', which is not a neighbour of '{entry.id}' (got "
                f"'{difference.other}'). Fix: name a failure mode under the same category"
                + (f" ({choices(neighbours)})" if neighbours else "") + ", or remove it.")))
    for a, b in taxonomy.neighbour_pairs():
        found = said.get(frozenset((a.id, b.id)), [])
        if len(found) > 1:
            (first, _), (entry, difference) = found
            problems.append(Problem(entry.path, difference.line, (
                f"the neighbours '{a.id}' and '{b.id}' have a 'tell_apart' text in both files (got two). "
                f"Fix: keep one, here or in {first.path}.")))
        elif not found:
            line = lines[a.id].get("tell_apart", lines[a.id].get("dimensions", 1))
            problems.append(Problem(a.path, line, (
                f"no 'tell_apart' text for the neighbours '{a.id}' and '{b.id}' (got none in either file). Fix: "
                f"add 'tell_apart: {{{b.id}: \"How the two differ [@key].\"}}' here, or '{a.id}' under "
                f"'tell_apart' in {b.path}: one or two sentences from what the two entries say, cited as they "
                "cite it.")))
    return problems


def _identities(documents: list[Document]) -> tuple[dict[str, Document], dict[Path, list[Finding]]]:
    """Entries by id, and the problems of ids: ids that differ from file names, ids used twice, former ids
    claimed twice.

    A file whose id is unusable stays reachable under its file name, so one mistake does not cascade into
    "unknown entry" errors elsewhere. Of two files with the same id, the one named after it owns it.
    """
    found: dict[Path, list[Finding]] = {}
    claimed: dict[str, str] = {}
    for document in documents:
        for old in document.values.get("former_ids", ()):
            if old in claimed:
                found.setdefault(document.path, []).append((document.lines["former_ids"], (
                    f"former id '{old}' is also claimed by {claimed[old]} (got it twice). Fix: an old id redirects "
                    "to one entry only; keep it in one file.")))
            claimed.setdefault(old, document.shown)
    by_id: dict[str, Document] = {}
    for document in sorted(documents, key=lambda d: d.values.get("id") != d.path.stem):
        entry_id, stem = document.values.get("id"), document.path.stem
        if not isinstance(entry_id, str):
            by_id.setdefault(stem, document)
            continue
        if entry_id in by_id and by_id[entry_id] is not document:  # the root cause; the rest would only echo it
            found.setdefault(document.path, []).append((document.lines["id"], (
                f"duplicate id '{entry_id}' (also used by {by_id[entry_id].shown}). Fix: ids are unique and never "
                "reused; choose a new one.")))
            by_id.setdefault(stem, document)
            continue
        if entry_id != stem:
            found.setdefault(document.path, []).append((document.lines["id"], (
                f"id must equal the file name (got id '{entry_id}' in '{document.path.name}'). Fix: rename the "
                f"file to '{entry_id}.md' or set 'id: {stem}'.")))
            by_id.setdefault(stem, document)
        by_id[entry_id] = document
    return by_id, found


def copies(documents: list[Document]) -> set[Path]:
    """The files whose id another file owns: reported once, as duplicates, and left out of every other check."""
    by_id, _ = _identities(documents)
    return {d.path for d in documents if isinstance(d.values.get("id"), str) and by_id.get(d.values["id"]) is not d}


def _check_entry(document: Document, known: Known, by_id: dict[str, Document], kinds: dict[str, object],
                 declared: dict[tuple[str, frozenset[str]], str],
                 spellings: Spellings) -> Checked[tuple[DimensionValue, ...]]:
    """Every check of one entry against the others and the supporting files; its dimension values."""
    yield from _parent(document, kinds, known)
    yield from _relations(document, known, by_id, declared)
    yield from references(document, known, by_id)
    yield from _lifecycle(document, by_id, known)
    yield from _addresses(document, spellings)
    yield from scaffold_text(document)
    values = yield from entry_values(document, known.dimensions)
    checked = []
    for value in values:
        ok = True
        for name, _ in markdown_of(ENTRY_FILE, DIMENSION_RECORD):
            ok = (yield from inline_field(getattr(value, name), value.line, ENTRY_FILE, known)) and ok
        if ok:
            checked.append(value)
    values = tuple(checked)
    yield from _claims(document, values)
    yield from _differences(document, known)
    yield from sections(document, REQUIRED_SECTIONS)
    return values


def _parent(document: Document, kinds: dict[str, object], known: Known) -> Checked[None]:
    kind = document.values.get("kind")
    if "parent" not in document.values:
        return
    parent, line = document.values["parent"], document.lines.get("parent", 1)
    if parent is None:
        if kind == "failure-mode":
            yield line, ("a failure mode needs a parent category (got null). "
                         "Fix: set 'parent: inner-misalignment' or another category id.")
    elif kind == "concept":
        yield line, (f"concepts sit outside the tree (got parent '{parent}'). Fix: set 'parent: null' and use "
                     "'relations' to connect it.")
    elif parent in known.former:
        yield line, (f"parent is not an existing entry (got '{parent}'). "
                     f"Fix: {unknown_entry_fix(str(parent), kinds, known.former)}.")
    elif parent not in kinds:
        yield line, (f"parent is not an existing entry (got '{parent}'). "
                     f"Fix: use a category id{did_you_mean(str(parent), kinds)}.")
    elif kinds[parent] is not None and kinds[parent] != "category":  # None: its own file is broken and reported
        yield line, f"parent must be a category (got '{parent}', a {kinds[parent]}). Fix: use a category id."


def _relations(document: Document, known: Known, by_id: dict[str, Document],
               declared: dict[tuple[str, frozenset[str]], str]) -> Checked[None]:
    relation: Relation
    for relation in document.values.get("relations", ()):
        pair = (relation.type, frozenset((relation.source, relation.target)))
        if relation.target == relation.source:
            yield relation.line, f"an entry cannot be related to itself (got '{relation.target}'). Fix: remove it."
        elif relation.target not in by_id:
            yield relation.line, (f"relation '{relation.type}' points to an unknown entry (got '{relation.target}'). "
                                  f"Fix: {known.unknown_entry_fix(relation.target, by_id)}.")
        elif pair in declared:
            yield relation.line, (f"relation '{relation.type}' between '{relation.source}' and '{relation.target}' "
                                  f"is declared twice (also in {declared[pair]}). Fix: keep it in one file; both "
                                  "pages show it.")
        else:
            declared[pair] = document.shown


def references(document: Document, known: Known, by_id: Mapping[str, Document]) -> Checked[None]:
    """Citations, links and footnotes of a Markdown document (an entry or a case) resolve."""
    scan = document.scan
    for key in document.values.get("references", ()):
        if known.unknown_key(key):
            yield document.lines["references"], (f"unknown citation key '{key}' in references (got '{key}'). Fix: "
                                                 f"use a key from taxonomy_src/bibliography.yaml"
                                                 f"{did_you_mean(key, known.works)} or add the work there.")
    for cite in scan.citations:
        if known.unknown_key(cite.target):
            yield cite.line, unknown_citation(cite.target, f"[@{cite.target}]", known.works)
    own = {s.id for s in scan.sections}
    for link in scan.links:
        if not link.target and link.detail not in own:
            yield link.line, (f"link to a missing section of this page (got '#{link.detail or ''}'). "
                              f"Fix: use one of the heading ids: {choices(sorted(own))}.")
    yield from _links(scan, known, by_id)
    yield from _footnotes(document)


def _links(scan: markup.BodyScan, known: Known, by_id: Mapping[str, Document]) -> Checked[None]:
    """Wiki links to other entries, and to their sections, resolve; link text does not repeat a word."""
    for link in scan.links:
        if not link.target:
            continue
        target = by_id.get(link.target)
        if target is None and link.target in known.former:
            new = known.former[link.target]
            fragment = f"#{link.detail}" if link.detail else ""
            text = f"|{link.text}" if link.text is not None else ""
            yield link.line, (f"link to a renamed entry (got '[[{link.target}{fragment}{text}]]'). Fix: "
                              f"{former_id(link.target, new)}; link [[{new}{fragment}{text}]].")
        elif target is None:
            yield link.line, (f"link to an unknown entry (got '[[{link.target}]]'). "
                              f"Fix: use an existing id{did_you_mean(link.target, by_id)}.")
        elif link.detail:
            anchors = {s.id for s in target.scan.sections} | markup.generated_anchors(
                target.values.get("kind"), bool(target.scan.footnote_defs))
            if link.detail not in anchors:
                yield link.line, (f"link to a missing section of '{link.target}' (got '#{link.detail}'). "
                                  f"Fix: use one of {choices(sorted(anchors))}.")
    for bare in scan.bare_links:
        target = by_id.get(bare.target)
        title = str(target.values.get("title", "")) if target else ""
        if title and bare.detail and title.split()[-1].lower() == bare.detail.lower():
            yield bare.line, (f"link text repeats a word (got '[[{bare.target}]] {bare.detail}', shown as "
                              f"'{title} {bare.detail}'). Fix: write '[[{bare.target}|{title.rsplit(' ', 1)[0]}]] "
                              f"{bare.detail}' or drop '{bare.detail}'.")


def _footnotes(document: Document) -> Checked[None]:
    defined: dict[str, int] = {}
    for ref in document.scan.footnote_defs:
        if ref.target in defined:
            yield ref.line, (f"footnote '[^{ref.target}]' is defined twice (first on line {defined[ref.target]}). "
                             "Fix: remove or rename one definition.")
        defined.setdefault(ref.target, ref.line)
    used = {ref.target for ref in document.scan.footnote_refs}
    for ref in document.scan.footnote_refs:
        if ref.target not in defined:
            yield ref.line, (f"footnote '[^{ref.target}]' has no definition (got no '[^{ref.target}]:' line). "
                             "Fix: add the definition at the end of the body.")
    for name, line in defined.items():
        if name not in used:
            yield line, (f"footnote '[^{name}]' is defined but never referenced. "
                         f"Fix: cite it with '[^{name}]' in the text or remove it.")


def _lifecycle(document: Document, by_id: dict[str, Document], known: Known) -> Checked[None]:
    values, lines = document.values, document.lines
    status = values.get("status")
    for name in ("replaced_by", "status_note"):
        if name in values and status != "deprecated":
            yield lines[name], (f"'{name}' is only for deprecated entries (got status {status!r}). "
                                "Fix: remove it, or set 'status: deprecated'.")
    if status == "deprecated" and "status_note" not in values:
        yield lines.get("status", 1), ("a deprecated entry needs a 'status_note' saying why (got none). "
                                       "Fix: add 'status_note: <why it was retired or merged>'.")
    replacement = values.get("replaced_by")
    if isinstance(replacement, str) and replacement not in by_id:
        yield lines["replaced_by"], (f"'replaced_by' is not an existing entry (got '{replacement}'). "
                                     f"Fix: {known.unknown_entry_fix(replacement, by_id)}.")
    for old in values.get("former_ids", ()):
        if old in by_id:
            yield lines["former_ids"], (f"former id '{old}' is the id of a current entry (got '{old}'). "
                                        "Fix: ids are never reused; remove it from 'former_ids'.")
    anchors = {s.id for s in document.scan.sections} | markup.generated_anchors(
        values.get("kind"), bool(document.scan.footnote_defs)) | {c.anchor for c in document.scan.claims if c.anchor}
    for old, new in values.get("former_anchors", ()):
        line = document.nodes["former_anchors"].key_line(old)
        if old in anchors:
            yield line, f"former anchor '{old}' is still a current anchor (got '{old}'). Fix: remove it from " \
                        "'former_anchors'."
        elif new not in anchors:
            yield line, (f"former anchor '{old}' points to a missing section (got '{new}'). "
                         f"Fix: use one of {choices(sorted(anchors))}.")


Spellings = dict[str, list[tuple[str, str, str]]]
"""The alternative names by the slug of their address: (name as written, entry id, file) for every use."""


def _spellings(documents: list[Document]) -> Spellings:
    found: Spellings = {}
    for document in documents:
        for alias in document.values.get("aliases", ()):
            uses = found.setdefault(name_slug(alias), [])
            uses.append((alias, str(document.values.get("id", document.path.stem)), document.shown))
    return found


def _addresses(document: Document, spellings: Spellings) -> Checked[None]:
    """Ids and names must not land on a page the site has already (the page registry says which), and each name
    needs an address of its own, /names/<slug>/, which only the same name of another entry may share."""
    values = document.values
    for name in ("id", "former_ids"):
        ids = values.get(name)
        for entry_id in [ids] if isinstance(ids, str) else ids or []:
            if entry_id in pages.taken(ENTRY_DIR):
                yield document.lines[name], (f"'{entry_id}' is reserved for a page the site generates (got "
                                             f"'{name}: {entry_id}'). Fix: choose another id.")
            yield from too_long(f"'{name}'", entry_id, (pages.ENTRY.path_of(entry_id),
                                                        pages.FORMER_ID.path_of(entry_id)), document.lines[name])
    entry_id = str(values.get("id", document.path.stem))
    for alias in values.get("aliases", ()):
        slug = name_slug(alias)
        other = next(((spelling, path) for spelling, owner, path in spellings.get(slug, [])
                      if spelling != alias and owner != entry_id), None)
        if slug and (yield from too_long("an alias", alias, (pages.NAME.path_of(slug),
                                                              pages.NAME_REDIRECT.path_of(slug)),
                                          document.lines["aliases"])):
            continue
        if not slug:
            yield document.lines["aliases"], (f"alias {alias!r} has no letter or digit to make its address "
                                              f"/{NAMES_DIR}/<name>/ from (got {alias!r}). Fix: write the name in "
                                              "words, or remove it.")
        elif slug in pages.taken(NAMES_DIR):
            yield document.lines["aliases"], (f"alias {alias!r} would take the address /{NAMES_DIR}/{slug}/, "
                                              f"which the site uses itself (got {alias!r}). Fix: reword the alias.")
        elif other:
            yield document.lines["aliases"], (f"alias {alias!r} would share the address /{NAMES_DIR}/{slug}/ with "
                                              f"{other[0]!r} of {other[1]} (got two spellings of one name). Fix: "
                                              f"write it as {other[0]!r}, so that the name's page lists both "
                                              "entries, or reword it.")


def too_long(what: str, got: str, paths: tuple[str, ...], line: int) -> Checked[bool]:
    """A name whose pages' files a file system would refuse (urls.MAX_NAME_BYTES, urls.MAX_PATH_BYTES); whether
    it is one."""
    for path in paths:
        problem = path_too_long(path)
        if problem:
            shown = got if len(got) <= 60 else f"{got[:60]}…"
            yield line, (f"{what} is too long for a file name: its page would need {problem} (got {shown!r}, "
                         f"{len(got)} characters). Fix: shorten it.")
            return True
    return False


def _claims(document: Document, values: tuple[DimensionValue, ...]) -> Checked[None]:
    """Claim markers in dimension reasons, and marker anchors that would clash with a section anchor."""
    yield from document_claims(document, [(v.why, v.line, f"dim-{v.dimension}") for v in values])[1]


def document_claims(document: Document, reasons: list[tuple[str, int, str]], taken: frozenset[str] = frozenset()
                    ) -> tuple[list[claims.Claim], list[tuple[int, str]]]:
    """The claim markers of an entry or a case, in its body and then in its one-line reasons (text, line and
    section of each), and what is wrong with them: an id used twice, or an anchor that a heading or the page
    (`taken`) already has. The document's own scan is left as it was read (a cached file is loaded again)."""
    found = list(document.scan.claims)
    wrong: list[tuple[int, str]] = []
    for text, line, section in reasons:
        wrong += claims.scan_text(text, line, section, found)
    taken = taken | {s.id for s in document.scan.sections}
    for claim in found:
        if claim.anchor in taken:
            wrong.append((claim.line, f"claim marker id '{claim.id}' gives the anchor '{claim.anchor}', which a "
                                      "heading already has (got both). Fix: rename the marker id."))
    return found, wrong


def scaffold_text(document: Document) -> Checked[None]:
    """Lines of an entry or a case where `make new-entry` or `make new-case` put instructions never replaced."""
    text = document.text or ""
    if not any(prompt in text for prompt in SCAFFOLD_PROMPTS.values()):
        return  # the usual case, found without splitting the file into lines
    for number, line in enumerate(text.split("\n"), 1):
        if any(prompt in line for prompt in SCAFFOLD_PROMPTS.values()):
            got = line.strip()
            shown = repr(got[:60]) + ("…" if len(got) > 60 else "")
            yield number, (f"scaffold text is still here (got {shown}). "
                           "Fix: replace it with your own words, citing each claim with [@key].")


def sections(document: Document, wanted: Mapping[str, tuple[str, ...]]) -> Checked[None]:
    """The second-level sections a document of its kind must have (`wanted`: kind -> section ids)."""
    kind = str(document.values.get("kind"))
    if kind not in wanted:
        return
    present = [s.id for s in document.scan.sections if s.level == 2]
    for section in wanted[kind]:
        if section not in present:
            yield document.body_line, (f"a {kind} entry needs a section with id '{section}' (got sections: "
                                       f"{', '.join(present) or 'none'}). Fix: add '## <Title> {{#{section}}}'.")


def _cycles(entries: list[Entry], parent_lines: dict[str, int]) -> list[Problem]:
    """Each entry on a loop of parents, at its 'parent' line, with the loop as it reads from there."""
    parents = {e.id: e.parent for e in entries}
    found: list[Problem] = []
    for entry in entries:
        chain, seen, current = [entry.id], {entry.id}, entry.parent
        while current:
            if current in seen:
                if current == entry.id:  # an entry that only leads into a loop is not reported; those on it are
                    found.append(Problem(entry.path, parent_lines[entry.id], (
                        f"parent chain loops back to '{current}' (got {' -> '.join([*chain, current])}). "
                        "Fix: make the tree acyclic; change the 'parent' of one entry on the loop.")))
                break
            chain.append(current)
            seen.add(current)
            current = parents.get(current)
    return found


def _too_deep(entries: list[Entry], parent_lines: dict[str, int]) -> list[Problem]:
    """Each entry that is the first on its chain of parents to sit deeper than MAX_PARENT_DEPTH (the tree has no
    loops by now)."""
    parents = {e.id: e.parent for e in entries}
    depths: dict[str, int] = {}

    def depth(entry_id: str) -> int:
        chain = []
        current: str | None = entry_id
        while current is not None and current not in depths:
            chain.append(current)
            current = parents.get(current)
        known = depths.get(current, -1) if current is not None else -1
        for item in reversed(chain):
            known += 1
            depths[item] = known
        return depths[entry_id]

    return [Problem(entry.path, parent_lines[entry.id], (
        f"the chain of parents above '{entry.id}' is too deep (got {depth(entry.id)} levels, at most "
        f"{MAX_PARENT_DEPTH}). Fix: attach it, or a category above it, higher in the tree."))
            for entry in entries if depth(entry.id) == MAX_PARENT_DEPTH + 1]


def _entry(document: Document, dimensions: tuple[DimensionValue, ...]) -> Entry:
    scan = document.scan
    cited = [c.target for c in scan.citations] + [key for d in dimensions for key in markup.cited_keys(d.why)]
    return Entry(**{"relations": (), **model_values(document)}, body=document.body, path=document.shown,
                 body_line=document.body_line, dimensions=dimensions, sections=tuple(scan.sections),
                 cited=tuple(dict.fromkeys(cited)),
                 links=tuple(dict.fromkeys(link.target for link in scan.links if link.target)),
                 has_footnotes=bool(scan.footnote_defs), claims=tuple(document_claims(
                     document, [(d.why, d.line, f"dim-{d.dimension}") for d in dimensions])[0]))
