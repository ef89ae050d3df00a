"""Claim-status markers: `[?kind]` or `[?kind#id]` after a claim that does not rest on the post's surviving text.

A marker closes the claim it qualifies, like a citation: `... is lost [@key] [?lost#gradient-definition].`
The kind comes from a small fixed vocabulary. `disputed` and `lost` markers are open questions: each needs an
id, chosen by the writer and never changed, which becomes the permanent anchor `#claim-<id>` on the entry page
and is listed on the Open questions page. A derived id (entry, section and ordinal, or a hash of the sentence)
would move whenever someone inserts a marker or rewords the claim; a written id survives both, and the anchor
registry guards it like a heading's `{#id}`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup

ANCHOR_PREFIX = "claim-"


@dataclass(frozen=True)
class ClaimKind:
    """One value of the marker vocabulary: what a reader should know about a claim so marked."""

    id: str
    label: str
    meaning: str
    source_kind: str | None = None
    open_question: bool = False


KINDS: tuple[ClaimKind, ...] = (
    ClaimKind("summary", "summary", "Rests on a secondary summary of the post, not on the post's own text.",
              source_kind="summary"),
    ClaimKind("local-copy", "local copy", "Rests on our truncated local copy of the post; no public copy we could "
              "read confirms it.", source_kind="local-copy"),
    ClaimKind("comment-thread", "comment thread", "Rests on the comment thread under the post, not on the post; "
              "the commenter and the author are told apart in the text.", source_kind="comment-thread"),
    ClaimKind("our-reading", "our reading", "This project's inference or interpretation; the sources do not say "
              "it in so many words."),
    ClaimKind("disputed", "disputed", "The author and a commenter, or the sources, disagree; the taxonomy does "
              "not settle it.", open_question=True),
    ClaimKind("lost", "lost", "The part of the post that would settle this is missing from every copy we could "
              "read.", open_question=True),
)
BY_ID = {k.id: k for k in KINDS}
NAMES = tuple(BY_ID)

MARKER = re.compile(r"(?<!\\)\[\?([^\[\]\n]*)\]")
_WELL_FORMED = re.compile(r"\A([a-z]+(?:-[a-z]+)*)(?:#([a-z0-9]+(?:-[a-z0-9]+)*))?\Z")
_MASK = re.compile(r"\[\[[^\[\]]*\]\]|\[[@?][^\[\]]*\]|`[^`]*`")
_FOOTNOTE_REF = re.compile(r"\[\^[^\[\]]*\]")
MAX_PER_LINE = 12
"""Markers after this many on one line are refused: each quotes the sentence before it."""
_SENTENCE_END = re.compile(r"[.!?][\"'”’)*_\0]*\s+(?=[^a-z\s])")
_ITEM = re.compile(r"^\s*(?:(?:[-*+]|\d+\.)\s+|>\s*)+")


@dataclass(frozen=True)
class Claim:
    """A marker found in an entry: its kind, optional permanent id, line, section and the claim it closes."""

    kind: str
    id: str | None
    line: int
    section: str | None
    text: str

    @property
    def anchor(self) -> str | None:
        """The marker's fragment on the entry page, if it has an id."""
        return ANCHOR_PREFIX + self.id if self.id else None


def _did_you_mean(word: str) -> str:
    close = difflib.get_close_matches(word, NAMES, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def sentence_before(line: str, end: int) -> str:
    """The sentence (or list-item text) that ends where a marker starts, as written."""
    masked = _MASK.sub(lambda m: "x" * len(m.group(0)), line[:end])
    masked = _FOOTNOTE_REF.sub(lambda m: "\0" * len(m.group(0)), masked).rstrip()
    start = 0
    item = _ITEM.match(masked)
    if item:
        start = item.end()
    for boundary in _SENTENCE_END.finditer(masked, start):
        start = boundary.end()
    return line[start:len(masked)].strip()


def problem(match: re.Match[str], section: str | None = None, *, heading: bool = False) -> str | None:
    """What is wrong with one marker found by MARKER, or None if it is valid."""
    token, inner = match.group(0), match.group(1).strip()
    kind, _, claim_id = inner.partition("#")
    if heading:
        return (f"claim markers are not allowed in headings (got '{token}'). "
                "Fix: put the marker after the claim, in the text under the heading.")
    if kind not in BY_ID:
        return f"unknown claim marker (got '{token}'). Fix: use one of {', '.join(NAMES)}{_did_you_mean(_slug(kind))}."
    if not _WELL_FORMED.fullmatch(inner):
        return (f"claim marker id is not a lowercase slug (got '{token}'). "
                f"Fix: use letters, digits and hyphens, e.g. '[?{kind}#{_slug(claim_id)}]'.")
    if BY_ID[kind].open_question and not claim_id:
        example = f"{_slug(section or 'claim')}-{kind}"
        return (f"a '{kind}' marker needs a permanent id (got '{token}'). Fix: name the open question, e.g. "
                f"'[?{kind}#{example}]'; it becomes the address '#{ANCHOR_PREFIX}{example}' and must never change.")
    return None


def scan_line(line: str, raw: str, number: int, section: str | None, found: list[Claim],
              problems: list[tuple[int, str]], *, heading: bool = False) -> None:
    """Record the markers on one line (`line` has code blanked out, `raw` is as written); report bad ones."""
    for index, match in enumerate(MARKER.finditer(line)):
        if index == MAX_PER_LINE:
            problems.append((number, f"too many claim markers on one line (got more than {MAX_PER_LINE}). "
                                     "Fix: mark each claim once, or split the paragraph."))
            return
        wrong = problem(match, section, heading=heading)
        if wrong:
            problems.append((number, wrong))
            continue
        kind, _, claim_id = match.group(1).strip().partition("#")
        first = next((c.line for c in found if claim_id and c.id == claim_id), None)
        if first is not None:
            problems.append((number, f"duplicate claim marker id '{claim_id}' (first on line {first}). "
                                     "Fix: give each marker its own id."))
            continue
        found.append(Claim(kind, claim_id or None, number, section, sentence_before(raw, match.start())))


def scan_text(text: str, line: int, section: str, found: list[Claim]) -> list[tuple[int, str]]:
    """Record the markers in a one-line text outside the body (a dimension's why); return what is wrong."""
    problems: list[tuple[int, str]] = []
    scan_line(text, text, line, section, found, problems)
    return problems


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "claim"


def parse(inner: str) -> tuple[str, str | None] | None:
    """The kind and id of a marker's inside text, or None if it is not a well-formed marker of a known kind."""
    well_formed = _WELL_FORMED.fullmatch(inner.strip())
    if not well_formed or well_formed.group(1) not in BY_ID:
        return None
    return well_formed.group(1), well_formed.group(2)


def strip(text: str) -> str:
    """Text with every marker removed (for quoting a claim away from its page)."""
    return re.sub(r"\s*" + MARKER.pattern, "", text)


def label_html(kind: str, claim_id: str | None, sources_url: str) -> Markup:
    """A small label naming the claim's status, linked to its explanation on the Sources page."""
    spec = BY_ID[kind]
    anchor = Markup(' id="{}"').format(ANCHOR_PREFIX + claim_id) if claim_id else Markup("")
    return Markup('<a class="tx-claim tx-claim-{}"{} href="{}#{}" title="{}" aria-label="Claim status: {}">{}</a>'
                  ).format(kind, anchor, sources_url, kind, spec.meaning, spec.label, spec.label)


def counts(found: tuple[Claim, ...] | list[Claim]) -> dict[str, int]:
    """How many markers of each kind, every kind present (zero if unused)."""
    return {k: sum(1 for c in found if c.kind == k) for k in NAMES}
