"""Machine-readable forms of the taxonomy: the JSON export, JSON-LD, and citations (plain, BibTeX, CSL-JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Entry, Taxonomy

SCHEMA_FILE = Path(__file__).parent / "taxonomy.schema.json"
EXPORT_PATH = "taxonomy.json"
SCHEMA_PATH = "taxonomy.schema.json"
ACCESSED = "YYYY-MM-DD"


def permalink(taxonomy: Taxonomy, entry_id: str) -> str:
    """The stable public URL of an entry."""
    return f"{taxonomy.meta.site_url}taxonomy/{entry_id}/"


def export(taxonomy: Taxonomy) -> dict[str, Any]:
    """The whole taxonomy as plain data (validated against taxonomy.schema.json in the tests)."""
    def entry_data(entry: Entry) -> dict[str, Any]:
        first, last = taxonomy.history(entry.id)
        return {
            "id": entry.id, "title": entry.title, "kind": entry.kind, "parent": entry.parent,
            "summary": entry.summary, "aliases": list(entry.aliases), "status": entry.status,
            "evidence": entry.evidence, "url": permalink(taxonomy, entry.id),
            "sections": [{"id": s.id, "title": s.title} for s in entry.sections],
            "relations": [{"type": r.type, "target": r.target} for r in entry.relations],
            "references": list(entry.all_references),
            "dimensions": {d.dimension: {"value": d.value, "why": d.why} for d in entry.dimensions},
            "former_ids": list(entry.former_ids),
            "former_anchors": dict(entry.former_anchors),
            "replaced_by": entry.replaced_by, "status_note": entry.status_note,
            "first_version": first, "last_changed_version": last,
            "markdown": entry.body.strip() + "\n",
        }

    return {
        "$schema": f"{taxonomy.meta.site_url}{SCHEMA_PATH}",
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
                           "answers": [{"label": a.label, "next": a.next, "entry": a.entry} for a in q.answers]}
                          for q in taxonomy.decision_tree],
        },
        "bibliography": [{"key": w.key, "type": w.type, "authors": list(w.authors), "year": w.year,
                          "date": w.date, "title": w.title, "container": w.container, "publisher": w.publisher,
                          "url": w.url, "note": w.note, "caveat": w.caveat} for w in taxonomy.works.values()],
        "releases": [{"version": r.version, "date": r.date, "summary": r.summary, "added": list(r.added),
                      "changed": list(r.changed), "renamed": [{"from": a, "to": b} for a, b in r.renamed],
                      "retired": list(r.retired)} for r in taxonomy.releases],
    }


def export_json(taxonomy: Taxonomy) -> str:
    """The JSON export as text (stable key order, UTF-8)."""
    return json.dumps(export(taxonomy), ensure_ascii=False, indent=2) + "\n"


def schema_json() -> str:
    """The JSON Schema of the export."""
    return SCHEMA_FILE.read_text("utf-8")


def _script_safe(data: object) -> str:
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_ld(taxonomy: Taxonomy, entry: Entry) -> str:
    """schema.org DefinedTerm for an entry page's head, safe to place inside a script element."""
    source = taxonomy.works[taxonomy.meta.source]
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": permalink(taxonomy, entry.id),
        "url": permalink(taxonomy, entry.id),
        "name": entry.title,
        "termCode": entry.id,
        "description": entry.summary,
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "@id": f"{taxonomy.meta.site_url}taxonomy/",
            "name": taxonomy.meta.title,
            "version": taxonomy.meta.version,
            "url": f"{taxonomy.meta.site_url}taxonomy/",
        },
        "isBasedOn": {"@type": "CreativeWork", "name": source.title, "url": source.url},
    }
    if entry.aliases:
        data["alternateName"] = list(entry.aliases)
    return _script_safe(data)


def _contributors(taxonomy: Taxonomy) -> str:
    return f"{taxonomy.meta.title} contributors"


def _year(taxonomy: Taxonomy) -> str:
    released = [r.date for r in taxonomy.releases if r.date]
    return released[-1][:4] if released else "n.d."


UNRELEASED = "not yet released"


def cited_version(taxonomy: Taxonomy, entry: Entry) -> str | None:
    """The released version a citation of the entry names, or None while no release contains the entry."""
    return taxonomy.meta.version if taxonomy.history(entry.id)[0] is not None else None


def _cited_year(taxonomy: Taxonomy, entry: Entry) -> str:
    return _year(taxonomy) if cited_version(taxonomy, entry) else "n.d."


def cite_text(taxonomy: Taxonomy, entry: Entry) -> str:
    """A plain-text citation of an entry, with version, permalink and an access date to fill."""
    version = cited_version(taxonomy, entry)
    edition = f"version {version}" if version else UNRELEASED
    return (f"{_contributors(taxonomy)} ({_cited_year(taxonomy, entry)}). \"{entry.title}.\" In "
            f"{taxonomy.meta.title}, {edition}. {permalink(taxonomy, entry.id)} (accessed {ACCESSED}).")


def _bibtex_escape(text: str) -> str:
    return "".join("\\" + c if c in "&%$#_{}" else c for c in text)


def cite_bibtex(taxonomy: Taxonomy, entry: Entry) -> str:
    """A BibTeX record for an entry."""
    key = f"misalignment-taxonomy-{entry.id}"
    version = cited_version(taxonomy, entry)
    fields = [
        ("author", "{" + _bibtex_escape(_contributors(taxonomy)) + "}"),
        ("title", "{" + _bibtex_escape(entry.title) + "}"),
        ("booktitle", _bibtex_escape(taxonomy.meta.title)),
        ("year", _cited_year(taxonomy, entry)),
        *([("version", version)] if version else []),
        ("url", permalink(taxonomy, entry.id)),
        ("urldate", ACCESSED),
        ("note", f"Version {version}" if version else UNRELEASED.capitalize()),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@incollection{{{key},\n{body}\n}}"


def cite_csl(taxonomy: Taxonomy, entry: Entry) -> str:
    """A CSL-JSON record for an entry (reference managers import it directly)."""
    year = _cited_year(taxonomy, entry)
    version = cited_version(taxonomy, entry)
    data = [{
        "id": f"misalignment-taxonomy-{entry.id}",
        "type": "entry-encyclopedia",
        "title": entry.title,
        "container-title": taxonomy.meta.title,
        "author": [{"literal": _contributors(taxonomy)}],
        **({"version": version} if version else {"note": UNRELEASED.capitalize()}),
        "URL": permalink(taxonomy, entry.id),
        "issued": {"date-parts": [[int(year)]]} if year.isdigit() else {"literal": year},
        "accessed": {"raw": ACCESSED},
    }]
    return json.dumps(data, ensure_ascii=False, indent=2)
