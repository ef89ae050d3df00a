"""What the Sources and Open questions pages show, derived from sources.yaml and the entries' claim markers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import claims, markup
from .model import Entry, Taxonomy
from .sources import SOURCE_KINDS

_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\](?!:)")
_SAME_PAGE_LINK = re.compile(r"\]\(\s*#")


@dataclass(frozen=True)
class OpenQuestion:
    """A `disputed` or `lost` claim as listed on the Open questions page."""

    entry: Entry
    claim: claims.Claim
    place: str
    href: str
    text: str


def sources_context(taxonomy: Taxonomy) -> dict[str, Any]:
    """Template data for the Sources page: the label vocabulary, the sources behind each label, marker counts."""
    every = [c for e in taxonomy.entries.values() for c in e.claims]
    return {
        "kinds": claims.KINDS,
        "source_kinds": SOURCE_KINDS,
        "by_kind": {k.id: [s for s in taxonomy.sources if s.kind == k.source_kind] for k in claims.KINDS},
        "counts": claims.counts(every),
    }


def open_questions(taxonomy: Taxonomy, href: Callable[[str, str], str]
                   ) -> list[tuple[claims.ClaimKind, list[OpenQuestion]]]:
    """Every open-question marker, grouped by kind in vocabulary order, entries in reading order."""
    groups = []
    for kind in claims.KINDS:
        if not kind.open_question:
            continue
        found = [OpenQuestion(entry, claim, _place(taxonomy, entry, claim), href(entry.id, f"#{claim.anchor}"),
                              _quotable(entry, claim, href))
                 for entry in taxonomy.entries.values() for claim in entry.claims if claim.kind == kind.id]
        groups.append((kind, found))
    return groups


def _place(taxonomy: Taxonomy, entry: Entry, claim: claims.Claim) -> str:
    """Where a claim sits, for a reader: the entry, then its section or comparison question."""
    titles = {s.id: s.title for s in entry.sections}
    titles.update({f"dim-{d.id}": d.title for d in taxonomy.dimensions})
    where = titles.get(claim.section or "")
    return f"{entry.title} › {where}" if where else entry.title


def _quotable(entry: Entry, claim: claims.Claim, href: Callable[[str, str], str]) -> str:
    """The claim's sentence made to work on another page: no markers or footnotes, same-page links made absolute."""
    text = _FOOTNOTE_REF.sub("", claims.strip(claim.text))
    text = markup.WIKI_LINK.sub(lambda m: m.group(0) if m.group(1).strip() else
                                f"[[{entry.id}#{m.group(2)}|{m.group(3) or m.group(2)}]]", text)
    text = _SAME_PAGE_LINK.sub(lambda m: "](" + href(entry.id, "#"), text).rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."

