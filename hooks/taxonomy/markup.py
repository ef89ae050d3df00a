"""Entry-body Markdown: scan for anchors, links, citations and unsafe markup; convert wiki links and citations."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .model import Section

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_ANCHORS = frozenset({"place", "related", "referred-by", "references", "cite", "source",
                              "dimensions", "footnotes", "aliases", "related-terms", "cases"})



def generated_anchors(kind: str | None, has_footnotes: bool) -> frozenset[str]:
    """Anchors the entry template itself puts on a page of this kind."""
    anchors = {"place", "related", "referred-by", "references", "cite", "related-terms"}
    if kind == "failure-mode":
        anchors.add("dimensions")
    if kind == "category":
        anchors.add("cases")  # worked cases; a failure mode lists its cases in its own Example section
    if has_footnotes:
        anchors.add("footnotes")
    return frozenset(anchors)


_FENCE = re.compile(r"^\s*(```+|~~~+)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_HEADING_ID = re.compile(r"\s*\{\s*#([^}\s]*)\s*\}\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
WIKI_LINK = re.compile(r"\[\[([^\]|#]*)(?:#([^\]|]*))?(?:\|([^\]]*))?\]\]")
CITATION = re.compile(r"\[@([^\],;\s]*)(?:,\s*([^\]]+))?\]")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]]+)\](?!:)")
RAW_HTML = re.compile(r"<(?!(?:https?://|mailto:)[^>\s]*>)(/?[A-Za-z!?][^>\s]*)")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]^]+\]:\s*<?(\S*?)>?(?:\s|$)")
_ATTR_LIST = re.compile(r"\{:?\s*[#.][\w-]|\{:?[^}\n]*=[^}\n]*\}")
_EVENT_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
BAD_SCHEME = re.compile(r"\b(javascript|vbscript|data)\s*:", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+(\w+)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class Ref:
    """A wiki link, citation or footnote found in a body, at a source line."""

    target: str
    line: int
    detail: str | None = None


@dataclass
class BodyScan:
    """What a body contains and what is wrong with it (line numbers are absolute)."""

    sections: list[Section] = field(default_factory=list)
    links: list[Ref] = field(default_factory=list)
    citations: list[Ref] = field(default_factory=list)
    footnote_refs: list[Ref] = field(default_factory=list)
    footnote_defs: list[Ref] = field(default_factory=list)
    bare_links: list[Ref] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _mask_code(line: str) -> str:
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, line) for lines outside fenced code blocks, with inline code blanked out."""
    for offset, line, in_code, _ in _lines_with_fences(body):
        if not in_code:
            yield offset, _mask_code(line)


def unclosed_fence(body: str) -> int | None:
    """Offset of a code fence that is never closed (it would swallow the rest of the page), if any."""
    states = [since for _, _, _, since in _lines_with_fences(body)]
    return states[-1] if states else None


def _lines_with_fences(body: str) -> Iterator[tuple[int, str, bool, int | None]]:
    """Each line, whether it belongs to a fenced code block, and where the fence still open after it began."""
    fence: str | None = None
    since: int | None = None
    for offset, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        in_code = fence is not None or match is not None
        if fence is None and match:
            fence, since = match.group(1), offset
        elif fence is not None and match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            fence, since = None, None
        yield offset, line, in_code, since


def scan_body(body: str, first_line: int) -> BodyScan:
    """Find sections, links, citations and footnotes; report unsafe or malformed markup."""
    scan = BodyScan()
    fence = unclosed_fence(body)
    if fence is not None:
        scan.problems.append((first_line + fence, "code block is never closed (got an opening fence with no "
                                                  "closing one). Fix: close it with a line of the same backticks."))
    seen_ids: dict[str, int] = {}
    for offset, line in prose_lines(body):
        number = first_line + offset
        heading = _HEADING.match(line)
        if heading:
            line = _scan_heading(heading, number, scan, seen_ids)
        _scan_safety(line, number, scan)
        for m in WIKI_LINK.finditer(line):
            scan.links.append(Ref(m.group(1).strip(), number, (m.group(2) or "").strip() or None))
            following = _NEXT_WORD.match(line, m.end())
            if m.group(3) is None and following:
                scan.bare_links.append(Ref(m.group(1).strip(), number, following.group(1)))
        for m in CITATION.finditer(line):
            scan.citations.append(Ref(m.group(1), number, m.group(2)))
        definition = _FOOTNOTE_DEF.match(line)
        if definition:
            scan.footnote_defs.append(Ref(definition.group(1), number))
        for m in _FOOTNOTE_REF.finditer(line[definition.end():] if definition else line):
            scan.footnote_refs.append(Ref(m.group(1), number))
    return scan


def _scan_heading(heading: re.Match[str], number: int, scan: BodyScan, seen: dict[str, int]) -> str:
    level, text = len(heading.group(1)), heading.group(2)
    anchor = _HEADING_ID.search(text)
    title = text[: anchor.start()] if anchor else text
    if level == 1:
        scan.problems.append((number, f"level-1 heading in the body (got '# {title}'). "
                                      "Fix: remove it; the page title comes from `title`, start sections with '##'."))
    if not anchor:
        scan.problems.append((number, f"heading has no explicit anchor (got '{'#' * level} {title}'). "
                                      f"Fix: end it with a stable id, e.g. '{{#{_suggest(title)}}}'."))
        return title
    anchor_id = anchor.group(1)
    if not SLUG.match(anchor_id.lstrip("#")) or anchor_id.startswith("#"):
        scan.problems.append((number, f"heading anchor is not a lowercase slug (got '{anchor_id}'). "
                                      f"Fix: use letters, digits and hyphens, e.g. '{{#{_suggest(title)}}}'."))
    elif anchor_id in RESERVED_ANCHORS:
        scan.problems.append((number, f"heading anchor '{anchor_id}' is reserved for a generated section. "
                                      "Fix: choose another id."))
    elif anchor_id in seen:
        scan.problems.append((number, f"duplicate heading anchor '{anchor_id}' (first on line {seen[anchor_id]}). "
                                      "Fix: give each heading its own id."))
    else:
        seen[anchor_id] = number
        scan.sections.append(Section(anchor_id, title.strip(), level, number))
    return title


def _suggest(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def _scan_safety(line: str, number: int, scan: BodyScan) -> None:
    html = RAW_HTML.search(line)
    if html:
        scan.problems.append((number, f"raw HTML is not allowed in entries (got '<{html.group(1)}'). "
                                      "Fix: use Markdown; write '&lt;' for a literal '<'."))
    if _ATTR_LIST.search(line):
        scan.problems.append((number, "attribute lists ('{: ...}', '{.class}', '{key=value}') are not allowed "
                                      "in entry text. Fix: remove them; only headings take '{#id}'."))
    elif _EVENT_HANDLER.search(line) and ("<" in line or "{" in line):
        scan.problems.append((number, "event-handler attributes are not allowed. Fix: remove them."))
    unsafe = BAD_SCHEME.search(line)
    if unsafe and (_LINK_TARGET.search(line) or _REF_DEFINITION.match(line) or "<" in line):
        scan.problems.append((number, f"unsafe link scheme (got '{unsafe.group(0)}'). "
                                      "Fix: link only to https:// addresses."))
        return
    targets = [m.group(1) for m in _LINK_TARGET.finditer(line)]
    definition = _REF_DEFINITION.match(line)
    if definition and not line.lstrip().startswith("[^"):
        targets.append(definition.group(1))
    for target in targets:
        _check_target(target, number, scan)


def _check_target(target: str, number: int, scan: BodyScan) -> None:
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(1).lower() in ("https", "mailto"):
        return
    if scheme:
        scan.problems.append((number, f"link is not https (got '{target}'). Fix: use the https:// address."))
    elif target.startswith("#"):
        scan.links.append(Ref("", number, target[1:]))
    else:
        scan.problems.append((number, f"relative link in an entry (got '{target}'). "
                                      "Fix: link entries with [[id]] or [[id#section|text]]."))


def convert(body: str, link: Callable[[str, str | None, str | None], str],
            cite: Callable[[str, str | None], str]) -> str:
    """Replace wiki links and citations outside code with Markdown produced by the callbacks."""
    out: list[str] = []
    prose = dict(prose_lines(body))
    for offset, line in enumerate(body.split("\n")):
        if offset not in prose:
            out.append(line)
            continue
        out.append(_convert_outside_code(line, link, cite))
    return "\n".join(out)


def _convert_outside_code(line: str, link: Callable[[str, str | None, str | None], str],
                          cite: Callable[[str, str | None], str]) -> str:
    pieces: list[str] = []
    last = 0
    for span in list(_CODE_SPAN.finditer(line)) + [None]:
        end = span.start() if span else len(line)
        text = line[last:end]
        text = WIKI_LINK.sub(lambda m: link(m.group(1).strip(), (m.group(2) or "").strip() or None,
                                            (m.group(3) or "").strip() or None), text)
        text = CITATION.sub(lambda m: cite(m.group(1), m.group(2)), text)
        pieces.append(text)
        if span:
            pieces.append(span.group(0))
            last = span.end()
    return "".join(pieces)
