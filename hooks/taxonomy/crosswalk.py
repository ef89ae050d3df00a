"""The crosswalk (`taxonomy_src/crosswalk.yaml`): established terms mapped to this taxonomy's kinds, and its export
as an SSSOM mapping set (TSV with its YAML metadata block)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from . import checks, locators, pages
from .checks import choices, did_you_mean
from .model import CLASSIFIABLE, KINDS, NO_MATCH, SKOS_RELATIONS, CrosswalkRow, Taxonomy, Work
from .problems import Checked, Problem, collect
from .schema import CROSSWALK_FILE, fields_of
from .yamlsrc import Node, type_name

CROSSWALK = CROSSWALK_FILE
TERM_FIELDS = fields_of(CROSSWALK_FILE, "terms")
MAPPING_FIELDS = fields_of(CROSSWALK_FILE, "mappings")
RELATIONS = (*SKOS_RELATIONS, NO_MATCH)
PAGE_ANCHORS = frozenset(pages.CROSSWALK.anchors)
SSSOM_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
                 "confidence", "author_label", "comment")
NO_MATCH_PREDICATE = "skos:closeMatch"  # with object sssom:NoTermFound: "no kind is even a close match"
NO_TERM = "sssom:NoTermFound"
LICENSE = "https://w3id.org/sssom/license/unspecified"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet reads as a formula begins (OWASP: CSV injection); no crosswalk text needs to."""
MISSING_CELLS = frozenset({"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                           "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})
"""Whole cells that pandas (and so the sssom package) reads as missing by default: a term may not be one."""


def load_crosswalk(src: Path, root: Path, kinds: dict[str, str], works: dict[str, Work],
                   problems: list[Problem]) -> list[CrosswalkRow]:
    """Load and validate the crosswalk against entry kinds (id -> kind) and the bibliography; absent: no rows."""
    return collect(checks.shown(src, CROSSWALK, root), _crosswalk(src, root, kinds, works), problems)


def _crosswalk(src: Path, root: Path, kinds: dict[str, str], works: dict[str, Work]) -> Checked[list[CrosswalkRow]]:
    node = yield from checks.yaml_file(src, CROSSWALK, root, None)
    if node is None:
        return []
    if not isinstance(node.value, dict) or "terms" not in node.value:
        got = sorted(node.value) if isinstance(node.value, dict) else type_name(node.value)
        yield (node.line, f"the crosswalk needs a 'terms:' list (got {got}). Fix: start the file with 'terms:'.")
        return []
    for key in node.value.keys() - {"terms"}:
        yield node.key_line(key), checks.unknown_field(key, ["terms"])
    terms = node.value["terms"]
    if not isinstance(terms.value, list) or not terms.value:
        yield (terms.line, f"'terms' must be a non-empty list (got {type_name(terms.value)}). "
                           "Fix: start each term with '- id:'.")
        return []
    rows: list[CrosswalkRow] = []
    seen: dict[str, int] = {}
    for item in terms.value:
        rows.extend((yield from _term(item, kinds, works, seen)))
    return rows


def _term(item: Node, kinds: dict[str, str], works: dict[str, Work],
          seen: dict[str, int]) -> Checked[list[CrosswalkRow]]:
    fields = yield from checks.record(item, "a term", TERM_FIELDS, tuple(f for f in TERM_FIELDS if f != "locator"))
    if fields is None:
        return []
    term_id = yield from checks.slug(fields["id"], "id")
    if term_id in PAGE_ANCHORS:
        yield (fields["id"].line, f"'{term_id}' is reserved for a section of the crosswalk page (got id "
                                  f"'{term_id}'). Fix: choose another id.")
        term_id = None
    elif term_id in seen:
        yield (fields["id"].line, f"duplicate term id '{term_id}' (first on line {seen[term_id]}). "
                                  "Fix: ids are anchors of the crosswalk page; give each term its own.")
        term_id = None
    elif term_id:
        seen[term_id] = fields["id"].line
    term = yield from checks.text(fields["term"], "term")
    yield from _cell(fields["term"], "term", whole=True)
    source = fields["source"].value
    if not isinstance(source, str) or source not in works:
        yield (fields["source"].line, f"'source' must be a citation key of the work that defines the term (got "
                                      f"{source!r}). Fix: use a key from taxonomy_src/bibliography.yaml"
                                      f"{did_you_mean(str(source), list(works))} or add the work there.")
        source = None
    locator = (yield from checks.text(fields["locator"], "locator")) if "locator" in fields else None
    unsafe = list(_cell(fields["locator"], "locator")) if "locator" in fields else []
    if locator is not None and ("[" in locator or "]" in locator):
        unsafe.append((fields["locator"].line, f"'locator' ends a citation of the source, so it cannot hold brackets "
                                               f"(got {locator!r}). Fix: write the place in the source without '[' "
                                               "or ']', e.g. 'sec. 4'."))
    yield from unsafe
    if locator is not None and not unsafe and (wrong := locators.problem(locator, f"locator: {locator}")):
        yield fields["locator"].line, wrong
        locator = None
    mappings = fields["mappings"]
    if not isinstance(mappings.value, list) or not mappings.value:
        yield (mappings.line, f"'mappings' must be a non-empty list (got {type_name(mappings.value)}). "
                              "Fix: add '- {kind: ..., relation: ..., justification: ..., confidence: ...}'.")
        return []
    rows = []
    for mapping in mappings.value:
        row = yield from _mapping(mapping, term_id or "", term or "", str(source), locator, kinds, works)
        if row:
            rows.append(row)
    if any(r.relation == NO_MATCH for r in rows) and len(mappings.value) > 1:
        yield (mappings.line, f"a 'noMatch' row must be the term's only mapping (got {len(mappings.value)} "
                              "mappings). Fix: keep the noMatch row, or remove it and keep the matches.")
        return []
    kinds_seen = [r.kind for r in rows]
    for row in rows:
        if row.kind is not None and kinds_seen.count(row.kind) > 1:
            yield (row.line, f"kind '{row.kind}' is mapped twice for '{row.term}' (got it twice). "
                             "Fix: keep one row per term and kind.")
            return []
    if term_id is None or term is None or source is None or len(rows) != len(mappings.value):
        return []
    return rows


def _mapping(node: Node, term_id: str, term: str, source: str, locator: str | None, kinds: dict[str, str],
             works: dict[str, Work]) -> Checked[CrosswalkRow | None]:
    fields = yield from checks.record(node, "a row of 'mappings'", MAPPING_FIELDS, MAPPING_FIELDS[1:])
    if fields is None:
        return None
    relation = fields["relation"].value
    if relation not in RELATIONS:
        yield (fields["relation"].line, f"'relation' must be one of {choices(RELATIONS)} (got {relation!r}). "
                                        f"Fix: pick one{did_you_mean(str(relation), RELATIONS)}.")
        return None
    kind_node = fields.get("kind")
    kind = kind_node.value if kind_node is not None else None
    if relation == NO_MATCH and kind is not None:
        yield (kind_node.line if kind_node else node.line, f"a 'noMatch' row names no kind (got kind {kind!r}). "
                                                           "Fix: remove 'kind', or use another relation.")
        return None
    broken = isinstance(kind, str) and kind in kinds and kinds[kind] not in KINDS  # reported in its own file
    if relation != NO_MATCH and not broken and (not isinstance(kind, str) or kinds.get(kind) not in CLASSIFIABLE):
        what = f", a {kinds[kind]}" if isinstance(kind, str) and kind in kinds else ""
        mappable = sorted(i for i, k in kinds.items() if k in CLASSIFIABLE)
        yield (kind_node.line if kind_node else node.line,
               f"'kind' must be a failure mode or category of this taxonomy (got {kind!r}{what}). Fix: use one "
               f"of {choices(mappable)}{did_you_mean(str(kind), mappable)}, or 'relation: {NO_MATCH}'.")
        return None
    justification = yield from checks.sentence(fields["justification"], "justification")
    yield from _cell(fields["justification"], "justification")
    if justification is None:
        return None
    confidence = fields["confidence"].value
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        yield (fields["confidence"].line, f"'confidence' must be a number above 0 and at most 1 (got "
                                          f"{confidence!r}). Fix: write e.g. 'confidence: 0.7'.")
        return None
    return CrosswalkRow(term_id, term, source, locator, kind if isinstance(kind, str) else None, str(relation),
                        justification, float(confidence), node.line)


def _cell(node: Node, name: str, whole: bool = False) -> Checked[None]:
    """Text that goes into a cell of the SSSOM export (`whole`: as the whole cell) reads back as itself in every
    reader, and as text in a spreadsheet."""
    if not isinstance(node.value, str):
        return
    if node.value.startswith(FORMULA_START) or node.value.strip().startswith(FORMULA_START):
        yield node.line, (f"'{name}' must not begin with =, +, -, @, a tab or a carriage return: a spreadsheet "
                          f"opening crosswalk.sssom.tsv runs such a cell as a formula (got {node.value!r}). "
                          "Fix: begin with a word; write the sign later or in words ('minus', 'at').")
    elif whole and node.value.strip() in MISSING_CELLS:
        yield node.line, (f"'{name}' must not be a word that pandas and the sssom package read as an empty cell "
                          f"(got {node.value!r}). Fix: write the term as its source does, with more words.")


def sssom_rows(taxonomy: Taxonomy) -> list[dict[str, str]]:
    """The rows of the SSSOM export, one per mapping, by column (the cells exactly as written and read back)."""
    rows = []
    for row in taxonomy.crosswalk:
        work = taxonomy.works[row.source]
        where = f"{work.label}{', ' + row.locator if row.locator else ''}: {work.title}"
        kind = taxonomy.entries[row.kind] if row.kind else None
        rows.append({
            "subject_id": f"mtxterm:{row.term_id}",
            "subject_label": row.term,
            "predicate_id": f"skos:{row.relation}" if row.relation != NO_MATCH else NO_MATCH_PREDICATE,
            "object_id": f"mtx:{kind.id}" if kind else NO_TERM,
            "object_label": kind.title if kind else "",
            "mapping_justification": "semapv:ManualMappingCuration",
            "confidence": f"{row.confidence:g}",
            "author_label": f"{taxonomy.meta.title} contributors",
            "comment": f"{row.justification} Term as defined in {where}.",
        })
    return [{column: _tsv_cell(value) for column, value in values.items()} for values in rows]


def sssom_tsv(taxonomy: Taxonomy) -> str:
    """The crosswalk as an SSSOM mapping set: a commented YAML metadata block, then one TSV row per mapping."""
    site = taxonomy.meta.site_url
    metadata = {
        "curie_map": {
            "mtx": f"{site}taxonomy/",
            "mtxterm": f"{site}crosswalk/#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "semapv": "https://w3id.org/semapv/vocab/",
            "sssom": "https://w3id.org/sssom/",
        },
        "mapping_set_id": f"{site}{pages.SSSOM.path}",
        "mapping_set_version": taxonomy.meta.version,
        "mapping_set_title": f"{taxonomy.meta.title}: crosswalk to established terms",
        "mapping_set_description": "Established alignment terms mapped to the kinds of the taxonomy. Every mapping "
                                   "is this project's reading, with a confidence; see the crosswalk page.",
        "license": LICENSE,
        "subject_type": "skos concept",
        "object_type": "skos concept",
    }
    header = "".join(f"# {line}\n" for line in yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True,
                                                            width=1000).splitlines())
    table = io.StringIO()
    writer = csv.writer(table, dialect="excel-tab", lineterminator="\n")  # quotes a cell with '"' (or a tab)
    writer.writerow(SSSOM_COLUMNS)
    writer.writerows([values[c] for c in SSSOM_COLUMNS] for values in sssom_rows(taxonomy))
    return header + table.getvalue()


def _tsv_cell(value: str) -> str:
    """A cell on one line, with single spaces (the sources' text already is)."""
    return " ".join(value.split())
