"""Machine-readable forms of the taxonomy: the JSON export, JSON-LD, and citations (plain, BibTeX, CSL-JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import citation, claims, locators, pages
from .bibtex import bibtex_address, bibtex_text, bibtex_url
from .escaping import one_line
from .formats import is_year
from .model import (
    CASE_EVIDENCE,
    EVIDENCE,
    KINDS,
    NO_MATCH,
    RELATION_TYPES,
    SKOS_RELATIONS,
    STATUSES,
    WORK_TYPES,
    Case,
    Entry,
    Taxonomy,
)
from .published import entry_text
from .schema import FIELDS
from .sources import SOURCE_KINDS
from .urls import SLUG_PATTERN, absolute, case_url, entry_url

SCHEMA_FILE = Path(__file__).parent / "taxonomy.schema.json"
SCHEMA_PATH = pages.EXPORT_SCHEMA.path
_ACCESS_DATE = "\ue000"  # private use: marks where the access date goes (the last field), never shown


def permalink(taxonomy: Taxonomy, entry_id: str) -> str:
    """The stable public URL of an entry."""
    return entry_url(taxonomy.meta.site_url, entry_id)


def export(taxonomy: Taxonomy) -> dict[str, Any]:
    """The whole taxonomy as plain data (validated against taxonomy.schema.json in the tests)."""
    def entry_data(entry: Entry) -> dict[str, Any]:
        first, last = taxonomy.history(entry.id)
        return {
            **{f.name: f.json_value(entry) for f in FIELDS if f.exported},
            "url": permalink(taxonomy, entry.id),
            "sections": [{"id": s.id, "title": s.title} for s in entry.sections],
            "first_version": first, "last_changed_version": last,
            "claims": claims.counts(entry.claims),
            "markdown": entry_text(entry)["markdown"],
        }

    return {
        "$schema": absolute(taxonomy.meta.site_url, SCHEMA_PATH),
        "title": taxonomy.meta.title,
        "version": taxonomy.meta.version,
        "site_url": taxonomy.meta.site_url,
        "source": taxonomy.meta.source,
        "entries": [entry_data(e) for e in taxonomy.entries.values()],
        "dimensions": [{"id": d.id, "title": d.title, "question": d.question,
                        "values": [{"id": o.id, "label": o.label, "meaning": o.meaning} for o in d.options]}
                       for d in taxonomy.dimensions],
        "decision_tree": {
            "root": taxonomy.decision_tree[0].id if taxonomy.decision_tree else None,
            "questions": [{"id": q.id, "question": q.question, "help": q.help,
                           "answers": [{"label": a.label, "key": a.key, "next": a.next, "entry": a.entry,
                                        "outcome": a.outcome} for a in q.answers]}
                          for q in taxonomy.decision_tree],
            "outcomes": [{"id": o.id, "title": o.title, "candidates": list(o.candidates), "help": o.help}
                         for o in taxonomy.outcomes],
            "retired": [{"id": r.id, "question": r.question, "note": r.note} for r in taxonomy.retired_questions],
        },
        "cases": [{
            "id": c.id, "title": c.title, "summary": c.summary, "url": case_permalink(taxonomy, c.id),
            "evidence": c.evidence, "from_post": c.from_post, "primary": c.primary,
            "illustrates": [{"kind": i.kind, "why": i.why, "primary": i.primary} for i in c.illustrates],
            "path": [{"question": s.question, "answer": s.answer} for s in c.path], "result": c.result,
            "references": list(c.cited), "citations": [locators.csl_item(k, loc) for k, loc in c.citations],
            "markdown": c.body.strip() + "\n",
        } for c in taxonomy.cases],
        "crosswalk": [{
            "term_id": r.term_id, "term": r.term, "source": r.source, "locator": r.locator, "kind": r.kind,
            "relation": r.relation, "justification": r.justification, "confidence": r.confidence,
        } for r in taxonomy.crosswalk],
        "bibliography": [{"key": w.key, "type": w.type, "authors": list(w.authors), "year": w.year,
                          "date": w.date, "title": w.title, "container": w.container, "publisher": w.publisher,
                          "url": w.url, "note": w.note, "caveat": w.caveat} for w in taxonomy.works.values()],
        "sources": [{"key": s.key, "name": s.name, "kind": s.kind, "contains": s.contains, "breaks_off": s.breaks_off,
                     "obtained": s.obtained} for s in taxonomy.sources],
        "releases": [{"version": r.version, "date": r.date, "summary": r.summary, "added": list(r.added),
                      "changed": list(r.changed),
                      "notes": [{"id": c.id, "note": c.note, "correction": c.correction} for c in r.notes],
                      "added_cases": list(r.added_cases), "renamed": [{"from": a, "to": b} for a, b in r.renamed],
                      "retired": list(r.retired)} for r in taxonomy.releases],
    }


def case_permalink(taxonomy: Taxonomy, case_id: str) -> str:
    """The stable public URL of a worked case."""
    return case_url(taxonomy.meta.site_url, case_id)


def export_json(taxonomy: Taxonomy) -> str:
    """The JSON export as text (stable key order, UTF-8; compact: indentation made a sixth of it at 1000 entries)."""
    return json.dumps(export(taxonomy), ensure_ascii=False, separators=(",", ":")) + "\n"


VOCABULARIES: dict[str, tuple[str | None, ...]] = {
    "kinds": KINDS, "statuses": STATUSES, "evidence-or-null": (*EVIDENCE, None), "relation-types": RELATION_TYPES,
    "case-evidence": CASE_EVIDENCE, "crosswalk-relations": (*SKOS_RELATIONS, NO_MATCH), "work-types": WORK_TYPES,
    "source-kinds": tuple(SOURCE_KINDS),
}
"""The schema file names its vocabularies ("enum": "$vocabulary:kinds"); their values come from the model."""
FORMATS = {"date": "date", "url": "uri", "site_url": "uri"}
"""Properties whose string values have a format, wherever they appear."""


def schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON Schema of the export: the structure from the schema file, the vocabularies from the model, formats
    by property name, no properties beyond those listed, and an absolute $id."""
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text("utf-8"))
    data["$id"] = absolute(taxonomy.meta.site_url, SCHEMA_PATH)
    # the one slug rule, urls.SLUG; "(?![\s\S])" ends the input in every regex dialect, where "$" lets Python's
    # (which jsonschema uses) accept a trailing line break
    data["$defs"]["slug"]["pattern"] = f"^{SLUG_PATTERN}(?![\\s\\S])"
    entry = data["$defs"]["entry"]
    fields = [f for f in FIELDS if f.exported]
    entry["properties"] = {**{f.name: f.json_schema() for f in fields}, **entry["properties"]}
    entry["required"] = [*(f.name for f in fields), *entry["required"]]
    _complete(data)
    return data


def _complete(node: object) -> None:
    if isinstance(node, list):
        for item in node:
            _complete(item)
    if not isinstance(node, dict):
        return
    enum = node.get("enum")
    if isinstance(enum, str) and enum.startswith("$vocabulary:"):
        node["enum"] = list(VOCABULARIES[enum.removeprefix("$vocabulary:")])
    if "properties" in node and node.get("type") == "object":
        node.setdefault("additionalProperties", False)
        for name, prop in node["properties"].items():
            if name in FORMATS and isinstance(prop, dict) and "$ref" not in prop:
                prop.setdefault("format", FORMATS[name])
    for value in node.values():
        _complete(value)


def schema_json(taxonomy: Taxonomy) -> str:
    """The JSON Schema of the export, as published."""
    return json.dumps(schema(taxonomy), ensure_ascii=False, indent=2) + "\n"


def _script_safe(data: object) -> str:
    """Compact JSON that is inert inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_ld(taxonomy: Taxonomy, entry: Entry) -> str:
    """schema.org DefinedTerm for an entry page's head, safe to place inside a script element."""
    source = taxonomy.works[taxonomy.meta.source]
    record = citation.entry_record(taxonomy, entry)
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": record.url,
        "url": record.url,
        "name": record.title,
        "termCode": entry.id,
        "description": record.description,
        "inDefinedTermSet": citation.json_ld_part_of(taxonomy, record),
        "isBasedOn": {"@type": "CreativeWork", "name": source.title, "url": source.url},
    }
    if entry.aliases:
        data["alternateName"] = list(entry.aliases)
    return _script_safe(data)


def case_json_ld(taxonomy: Taxonomy, case: Case) -> str:
    """schema.org CreativeWork for a case page's head: what it is about, safe inside a script element."""
    record = citation.case_record(taxonomy, case)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": record.url,
        "url": record.url,
        "name": record.title,
        "description": record.description,
        "genre": case.evidence,
        "author": {"@type": "Organization", "name": record.author},
        "publisher": {"@type": "Organization", "name": record.publisher},
        "about": [{"@type": "DefinedTerm", "@id": permalink(taxonomy, i.kind), "name": taxonomy.entries[i.kind].title}
                  for i in case.illustrates],
        "isPartOf": citation.json_ld_part_of(taxonomy, record),
        "citation": [taxonomy.works[k].url for k in case.cited if taxonomy.works[k].url],
    }
    if record.version and record.date:
        data |= {"version": record.version, "datePublished": record.date}
    return _script_safe(data)


def _contributors(taxonomy: Taxonomy) -> str:
    return citation.contributors(taxonomy)


def _year(taxonomy: Taxonomy) -> str:
    released = [r.date for r in taxonomy.releases if r.date]
    return released[-1][:4] if released else "n.d."


UNRELEASED = citation.UNRELEASED


def cited_version(taxonomy: Taxonomy, entry: Entry) -> str | None:
    """The released version a citation of the entry names, or None while no release contains the entry."""
    return citation.entry_version(taxonomy, entry)


def _cited_year(taxonomy: Taxonomy, entry: Entry) -> str:
    return _year(taxonomy) if cited_version(taxonomy, entry) else "n.d."


def cite_text(taxonomy: Taxonomy, entry: Entry, accessed: str | None = None) -> str:
    """A plain-text citation of an entry, with edition, permalink and, if given, the access date (`citation.text`)."""
    return citation.text(citation.entry_record(taxonomy, entry), accessed)


BIBTEX_KEY = "misalignment-taxonomy-{}"
"""The citation key of an entry's records (BibTeX, biblatex, CSL-JSON)."""
WHOLE_KEY = "misalignment-taxonomy"
"""The citation key of the taxonomy as a whole."""


@dataclass(frozen=True)
class Cited:
    """What a BibTeX or biblatex record cites: an entry, or (title None) the taxonomy as a whole."""

    key: str
    title: str | None
    address: str
    version: str | None
    """The released version the record names; None while no release contains what it cites."""
    year: str


def cited_entry(taxonomy: Taxonomy, entry: Entry) -> Cited:
    """An entry as a record cites it."""
    return Cited(BIBTEX_KEY.format(entry.id), entry.title, permalink(taxonomy, entry.id),
                 cited_version(taxonomy, entry), _cited_year(taxonomy, entry))


def cited_whole(taxonomy: Taxonomy) -> Cited:
    """The taxonomy as a whole as a record cites it (for the page on how to cite)."""
    record = citation.whole_record(taxonomy)
    return Cited(WHOLE_KEY, None, record.url, record.version, _year(taxonomy))


def bibtex_record(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """A BibTeX record from field values already encoded (`bibtex_text`, `bibtex_url`): each value braced."""
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}"


def _protected(text: str) -> str:
    """Text encoded and braced once more: styles keep its case, and name lists never split it at 'and'."""
    return "{" + bibtex_text(text) + "}"


def edition_note(taxonomy: Taxonomy, cited: Cited, accessed: str | None = None) -> str:
    """Where the cited text is published, in words: the taxonomy (for an entry), its edition (or that none
    contains it yet) and, if given, the access date; the note of the BibTeX record."""
    edition = f"edition {cited.version}" if cited.version else UNRELEASED
    where = f"{one_line(taxonomy.meta.title).strip()}, " if cited.title is not None else ""
    return f"{where}{edition}" + (f", accessed {accessed}" if accessed else "")


def bibtex(taxonomy: Taxonomy, cited: Cited, accessed: str | None = None) -> str:
    """The BibTeX record that every place showing BibTeX prints: a `@misc` that the standard styles (`plain` and
    its kin) print whole, with the address as `howpublished` and the edition and access date in `note`."""
    return bibtex_record("misc", cited.key, [
        ("author", _protected(_contributors(taxonomy))),
        ("title", _protected(cited.title if cited.title is not None else taxonomy.meta.title)),
        ("howpublished", bibtex_url(cited.address)),
        ("year", bibtex_text(cited.year)),
        ("note", bibtex_text(edition_note(taxonomy, cited, accessed))),
    ])


def biblatex(taxonomy: Taxonomy, cited: Cited, accessed: str | None = None) -> str:
    """The biblatex record that every place showing biblatex prints: an `@online` with its own version, url and
    urldate fields."""
    return bibtex_record("online", cited.key, [
        ("author", _protected(_contributors(taxonomy))),
        ("title", _protected(cited.title if cited.title is not None else taxonomy.meta.title)),
        *([("organization", _protected(taxonomy.meta.title))] if cited.title is not None else []),
        ("year", bibtex_text(cited.year)),
        *([("version", bibtex_text(cited.version))] if cited.version
          else [("note", bibtex_text(UNRELEASED.capitalize()))]),
        ("url", bibtex_address(cited.address)),
        *([("urldate", bibtex_text(accessed))] if accessed else []),
    ])


def cite_bibtex(taxonomy: Taxonomy, entry: Entry, accessed: str | None = None) -> str:
    """The BibTeX record of an entry (`bibtex`)."""
    return bibtex(taxonomy, cited_entry(taxonomy, entry), accessed)


def cite_biblatex(taxonomy: Taxonomy, entry: Entry, accessed: str | None = None) -> str:
    """The biblatex record of an entry (`biblatex`)."""
    return biblatex(taxonomy, cited_entry(taxonomy, entry), accessed)


def cite_csl(taxonomy: Taxonomy, entry: Entry, accessed: str | None = None) -> str:
    """A CSL-JSON record for an entry (reference managers import it directly), with the access date if given."""
    year = _cited_year(taxonomy, entry)
    version = cited_version(taxonomy, entry)
    data: list[dict[str, Any]] = [{
        "id": BIBTEX_KEY.format(entry.id),
        "type": "entry-encyclopedia",
        "title": entry.title,
        "container-title": taxonomy.meta.title,
        "author": [{"literal": _contributors(taxonomy)}],
        **({"version": version} if version else {"note": UNRELEASED.capitalize()}),
        "URL": permalink(taxonomy, entry.id),
        "issued": {"date-parts": [[int(year)]]} if is_year(year) else {"literal": year},
    }]
    if accessed:
        data[0]["accessed"] = {"raw": accessed}
    return json.dumps(data, ensure_ascii=False, indent=2)


CITATIONS = {"text": cite_text, "bibtex": cite_bibtex, "biblatex": cite_biblatex, "csl": cite_csl}


def citations(taxonomy: Taxonomy, entry: Entry) -> dict[str, str]:
    """Each citation format of an entry as printed in the page: without an access date."""
    return {name: cite(taxonomy, entry) for name, cite in CITATIONS.items()}


def dated_citations(taxonomy: Taxonomy, entry: Entry,
                    printed: Mapping[str, str] | None = None) -> dict[str, list[int | str]]:
    """For each citation format, how the page script makes the printed citation (`citations()`, if not given) the
    dated one: [head, before, after, tail] means its first `head` characters, `before`, the date, `after`, then its
    last `tail` characters."""
    printed = printed if printed is not None else citations(taxonomy, entry)
    return {name: _date_edit(printed[name], *cite(taxonomy, entry, _ACCESS_DATE).rsplit(_ACCESS_DATE, 1))
            for name, cite in CITATIONS.items()}


def _date_edit(printed: str, before: str, after: str) -> list[int | str]:
    """The edit that turns `printed` into before + date + after, keeping what they share; lengths count UTF-16
    code units, as JavaScript strings do."""
    head = _shared(printed, before, lambda text, n: text[:n])
    tail = _shared(printed[head:], after, lambda text, n: text[len(text) - n:])
    return [_utf16(printed[:head]), before[head:], after[:len(after) - tail], _utf16(printed[len(printed) - tail:])]


def _shared(one: str, other: str, part: Callable[[str, int], str]) -> int:
    """The length of the longest `part` (a prefix or a suffix) two texts share, found by halving: each comparison
    of two parts runs in C, where comparing character by character would loop in Python."""
    low, high = 0, min(len(one), len(other))
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if part(one, middle) == part(other, middle) else (low, middle - 1)
    return low


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def whole_citations(taxonomy: Taxonomy) -> dict[str, str]:
    """The taxonomy as a whole in each citation format of `CITATIONS` (for the cite page), from its citation record."""
    record = citation.whole_record(taxonomy)
    edition = record.edition[0].upper() + record.edition[1:]
    csl: dict[str, Any] = {
        "id": "misalignment-taxonomy", "type": "book", "title": record.title, "author": [{"literal": record.author}],
        "publisher": record.publisher, "URL": record.url,
        **({"version": record.version} if record.version else {"note": edition}),
        "issued": {"date-parts": [[int(part) for part in record.date.split("-")]]} if record.date
        else {"literal": "n.d."},
    }
    return {"text": citation.text(record), "bibtex": bibtex(taxonomy, cited_whole(taxonomy)),
            "biblatex": biblatex(taxonomy, cited_whole(taxonomy)),
            "csl": json.dumps([csl], ensure_ascii=False, indent=2)}


def all_citations(taxonomy: Taxonomy, name: str) -> str:
    """Every entry's citation in one file, for importing the whole taxonomy at once: BibTeX records one after the
    other, or one CSL-JSON list."""
    if name == "csl":
        items = [item for e in taxonomy.entries.values() for item in json.loads(cite_csl(taxonomy, e))]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    return "\n\n".join(CITATIONS[name](taxonomy, e) for e in taxonomy.entries.values()) + "\n"
