"""What the Sources and Open questions pages show, derived from sources.yaml and the claim markers of the entries
and the worked cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import claims, markup
from .model import Taxonomy
from .sources import SOURCE_KINDS
from .urls import case_path, entry_path

_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\](?!:)")
_SAME_PAGE_LINK = re.compile(r"\]\(\s*#")


@dataclass(frozen=True)
class OpenQuestion:
    """A `disputed` or `lost` claim as listed on the Open questions page, from an entry's page or a case's."""

    claim: claims.Claim
    place: str
    href: str
    text: str


@dataclass(frozen=True)
class _Holder:
    """A page whose text can hold claim markers: its docs path, title, section titles and markers."""

    path: str
    entry_id: str | None
    title: str
    sections: dict[str, str]
    claims: tuple[claims.Claim, ...]


def sources_context(taxonomy: Taxonomy) -> dict[str, Any]:
    """Template data for the Sources page: the label vocabulary, the sources behind each label, marker counts."""
    every = [c for holder in _holders(taxonomy) for c in holder.claims]
    return {
        "kinds": claims.KINDS,
        "source_kinds": SOURCE_KINDS,
        "by_kind": {k.id: [s for s in taxonomy.sources if s.kind == k.source_kind] for k in claims.KINDS},
        "counts": claims.counts(every),
    }


def _holders(taxonomy: Taxonomy) -> list[_Holder]:
    """Every page with claim markers of its own: the entries in reading order, then the worked cases."""
    dimensions = {f"dim-{d.id}": d.title for d in taxonomy.dimensions}
    return [*(_Holder(entry_path(e.id), e.id, e.title, {s.id: s.title for s in e.sections} | dimensions, e.claims)
              for e in taxonomy.entries.values()),
            *(_Holder(case_path(c.id), None, c.title, {s.id: s.title for s in c.sections}, c.claims)
              for c in taxonomy.cases)]


def open_questions(taxonomy: Taxonomy, href: Callable[[str, str], str]
                   ) -> list[tuple[claims.ClaimKind, list[OpenQuestion]]]:
    """Every open-question marker, grouped by kind in vocabulary order, entries in reading order, then cases;
    `href` gives the link to a fragment of a page (by its docs path)."""
    holders = _holders(taxonomy)
    groups = []
    for kind in claims.KINDS:
        if not kind.open_question:
            continue
        found = [OpenQuestion(claim, _place(holder, claim), href(holder.path, f"#{claim.anchor}"),
                              _quotable(holder, claim, href))
                 for holder in holders for claim in holder.claims if claim.kind == kind.id]
        groups.append((kind, found))
    return groups


def _place(holder: _Holder, claim: claims.Claim) -> str:
    """Where a claim sits, for a reader: the entry or case, then its section or comparison question."""
    where = holder.sections.get(claim.section or "")
    return f"{holder.title} › {where}" if where else holder.title


def _quotable(holder: _Holder, claim: claims.Claim, href: Callable[[str, str], str]) -> str:
    """The claim's sentence made to work on another page: no markers or footnotes, same-page links made absolute."""
    text = _FOOTNOTE_REF.sub("", claims.strip(claim.text))
    text = markup.WIKI_LINK.sub(lambda m: m.group(0) if m.group(1).strip() else _to_section(holder, m, href), text)
    text = _SAME_PAGE_LINK.sub(lambda m: "](" + href(holder.path, "#"), text).rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _to_section(holder: _Holder, link: re.Match[str], href: Callable[[str, str], str]) -> str:
    """A same-page wiki link ('[[#section|text]]') as a link that works from another page."""
    label = link.group(3) or link.group(2)
    if holder.entry_id:
        return f"[[{holder.entry_id}#{link.group(2)}|{label}]]"
    return f"[{label}]({href(holder.path, '#' + link.group(2).strip())})"
