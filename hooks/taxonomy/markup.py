"""Entry-body Markdown: scan for anchors, links, citations and unsafe markup; convert wiki links and citations."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from . import claims, locators
from .model import Section
from .urls import SLUG, slugify

RESERVED_ANCHORS = frozenset({"place", "related", "referred-by", "references", "cite", "source",
                              "dimensions", "footnotes", "aliases", "related-terms", "cases"})
RESERVED_PREFIXES = ("dim-", "ref-", "tx-")
"""Generated element ids on an entry page start with these: dimension rows, reference items and our widgets."""


def is_reserved_anchor(anchor: str) -> bool:
    """Whether an entry page generates an element with this id itself."""
    return anchor in RESERVED_ANCHORS or anchor.startswith(RESERVED_PREFIXES)


@functools.cache  # asked for every entry and every link to a section
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


# Every pattern here is linear in the line: character classes exclude the brackets that could start the next
# attempt, and nothing nests quantifiers, so a hostile line cannot make the scanner backtrack.
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ \t]*[\w#.+-]*[ \t]*$")
_HEADING = re.compile(r"(#{1,6})(?:[ \t]|$)")
_BACKTICKS = re.compile(r"`+")
WIKI_LINK = re.compile(r"\[\[([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")
CITATION = re.compile(r"\[@([^\[\],;\s]*)(?:,[ \t]*([^\[\]]+))?\]")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\[\]]+)\]:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\[\]]+)\](?!:)")
RAW_HTML = re.compile(r"<(/?[A-Za-z!?][^<>\s]*)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
_LINK_TARGET = re.compile(r"\]\([ \t]*<?([^()\[\]\s<>]*)")
_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]^]+\]:[ \t]*<?([^\s<>]*)")
_EVENT_HANDLER = re.compile(r"\bon[a-z]+[ \t]*=", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\[\]]*\][(\[]")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_FENCE_LIKE = re.compile(r"(`{3,}|~{3,})")
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Invisible characters that set the direction of the text after them. Plain text (a title, a heading) is shown
inside other text on many pages (lists, breadcrumbs, tables of contents), where an unclosed one would reverse
what other authors wrote."""
_TABLE_SEPARATOR = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")
_CONSTRUCT_START = re.compile(r"\[(?=[\[@?])")
_BRACKET = re.compile(r"[\[\]]")
_ABBREVIATION = re.compile(r" {0,3}\*\[[^\]]*\] ?:")
_SETEXT_UNDERLINE = re.compile(r" {0,3}([=-])[=-]*[ \t]*$")
FOOTNOTES_PLACE = "///Footnotes Go Here///"
"""The text Python-Markdown's footnotes extension replaces with the notes (its PLACE_MARKER); entry.md.j2 writes
it where the Notes section goes, so no source text may hold it."""
TOC_MARKER = "[TOC]"
"""A paragraph of only this text becomes a table of contents (the toc extension's marker)."""
OPENERS: dict[str, tuple[re.Pattern[str], str]] = {"[[": (WIKI_LINK, "a wiki link '[[…]]'"),
                                                   "[@": (CITATION, "a citation '[@…]'"),
                                                   "[?": (claims.MARKER, "a claim marker '[?…]'")}
"""What starts a wiki link, a citation and a claim marker, the pattern that reads the whole of one, and its name
in messages: an opener the pattern does not read there would show as literal text."""


MAX_NESTING = 16
"""The deepest nesting of lists and quotes in Markdown text. Python-Markdown parses each level with recursive calls,
and Python stops at 1000 frames: a list nested 300 deep stops the build. 16 levels is more than prose needs and
far inside the limit."""
MAX_BRACKETS = 200
"""The most '[' one paragraph may hold outside code. For each '[' it cannot close, Python-Markdown's link parser
reads on to the end of the paragraph, so the time grows with the square of their number (5,000 took 8 seconds);
200 keep a paragraph's worst case near a hundredth of a second."""
MAX_PARAGRAPH = 10_000
"""The longest paragraph (lines with no blank line between), in characters, outside code. Python-Markdown's time
on one paragraph grows faster than its length for runs of backslashes, backticks or asterisks (320,000 backslashes
took 45 seconds); 10,000 characters, five times the longest paragraph of the taxonomy, stay near a hundredth of a
second."""
_ESCAPED = re.compile(r"\\.")
_NESTING = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])))*[ \t]*")


def nesting(line: str) -> int:
    """How deep a line sits in lists and quotes: its markers at the start, and each four columns of indentation."""
    prefix = _NESTING.match(line)
    text = prefix.group(0) if prefix else ""
    markers = sum(1 for _ in re.finditer(r">|[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])", text))
    return markers + (text.count(" ") + 4 * text.count("\t")) // 4


@dataclass(frozen=True)
class Ref:
    """A wiki link, citation or footnote found in a body, at a source line."""

    target: str
    line: int
    detail: str | None = None
    text: str | None = None
    """A wiki link's own text, as written after '|'."""


@dataclass
class BodyScan:
    """What a body contains and what is wrong with it (line numbers are absolute)."""

    sections: list[Section] = field(default_factory=list)
    links: list[Ref] = field(default_factory=list)
    citations: list[Ref] = field(default_factory=list)
    footnote_refs: list[Ref] = field(default_factory=list)
    footnote_defs: list[Ref] = field(default_factory=list)
    bare_links: list[Ref] = field(default_factory=list)
    claims: list[claims.Claim] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span, read as Python-Markdown reads them (a run of n backticks that is
    not escaped opens a span; the next run of exactly n closes it); linear in the line."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    cursor = {length: 0 for length in by_length}
    spans: list[tuple[int, int]] = []
    position = 0
    for index, (start, end) in enumerate(runs):
        if start < position or (start > 0 and line[start - 1] == "\\"):
            continue
        same = by_length[end - start]
        while cursor[end - start] < len(same) and same[cursor[end - start]] <= index:
            cursor[end - start] += 1
        if cursor[end - start] < len(same):
            close = runs[same[cursor[end - start]]]
            spans.append((start, close[1]))
            position = close[1]
    return spans


def _mask_code(line: str) -> str:
    if "`" not in line:
        return line
    pieces, last = [], 0
    for start, end in code_spans(line):
        pieces += [line[last:start], " " * (end - start)]
        last = end
    return "".join([*pieces, line[last:]])


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, line) for lines outside fenced code blocks, with inline code blanked out."""
    if not _may_have_code(body):
        yield from enumerate(body.split("\n"))
        return
    for offset, line, in_code, _ in _lines_with_fences(body):
        if not in_code:
            yield offset, _mask_code(line)


def unclosed_fence(body: str) -> int | None:
    """Offset of a code fence that is never closed (it would swallow the rest of the page), if any."""
    if not _may_have_code(body):
        return None
    states = [since for _, _, _, since in _lines_with_fences(body)]
    return states[-1] if states else None


def _may_have_code(body: str) -> bool:
    """Whether a body can hold a code fence or span at all (both need a backtick or a tilde)."""
    return "`" in body or "~" in body


def _lines_with_fences(body: str) -> Iterator[tuple[int, str, bool, int | None]]:
    """Each line, whether it belongs to a fenced code block, and where the fence still open after it began.

    A fence counts at the start of a line. One with at most a language name after it is one Python-Markdown is
    sure to read as a fence; one with more (options, or words the renderer may not read as a fence) is read as a
    fence as well when a closing line follows, so that its lines never pass for headings, and `scan_body` refuses
    it. A run of backticks that closes later on its line is a code span, not a fence.
    """
    fence: str | None = None
    since: int | None = None
    lines = body.split("\n")
    closing: dict[str, list[int]] | None = None
    for offset, line in enumerate(lines):
        match = _FENCE_OPEN.match(line)
        if fence is None and match is None and (loose := _loose_fence(line)):
            closing = closing or _longest_closing(lines)
            match = loose if closing[loose.group(1)[0]][offset + 1] >= len(loose.group(1)) else None
        if fence is None:
            if match:
                fence, since = match.group(1), offset
            yield offset, line, match is not None, since
            continue
        stripped = line.rstrip()
        if stripped and stripped == stripped[0] * len(stripped) and stripped[0] == fence[0] \
                and len(stripped) >= len(fence):
            fence, since = None, None
        yield offset, line, True, since


def _longest_closing(lines: list[str]) -> dict[str, list[int]]:
    """For each fence character, the longest line of only that character at or after each line (0: none)."""
    longest = {char: [0] * (len(lines) + 1) for char in "`~"}
    for offset in range(len(lines) - 1, -1, -1):
        for char in "`~":
            longest[char][offset] = longest[char][offset + 1]
        stripped = lines[offset].rstrip()
        if len(stripped) >= 3 and stripped[0] in "`~" and stripped == stripped[0] * len(stripped):
            longest[stripped[0]][offset] = max(longest[stripped[0]][offset], len(stripped))
    return longest


def _loose_fence(line: str) -> re.Match[str] | None:
    """A fence opening with more than a language name after it (not a code span that closes on its line)."""
    match = _FENCE_LIKE.match(line) if line[:1] in ("`", "~") else None
    if match and (line[0] == "~" or "`" not in line[match.end():]):
        return match
    return None


def scan_body(body: str, first_line: int) -> BodyScan:
    """Find sections, links, citations and footnotes; report unsafe or malformed markup."""
    scan = BodyScan()
    fence = unclosed_fence(body)
    if fence is not None:
        scan.problems.append((first_line + fence, "code block is never closed (got an opening fence with no "
                                                  "closing one). Fix: close it with a line of the same backticks."))
    if _may_have_code(body):
        for offset, line, _, since in _lines_with_fences(body):
            if since == offset and not _FENCE_OPEN.match(line):
                scan.problems.append((first_line + offset, f"code fence with more than a language name after it "
                                                           f"(got {line.strip()[:40]!r}): the page could read a "
                                                           "code block where the checks read text. Fix: write only "
                                                           "a language name after the fence, e.g. '```python'."))
    seen_ids: dict[str, int] = {}
    raw = body.split("\n")
    brackets, deep, length = 0, False, 0  # the paragraph's '[' and characters so far; the line before too deep?
    # Each pattern is tried only on lines holding the characters it needs, which most lines lack.
    table: tuple[int, int] | None = None  # the last line of a table, and its header's number of cells
    previous = (-1, "")
    for offset, line in prose_lines(body):
        if not line.strip():
            brackets, deep, length = 0, False, 0
            continue
        number = first_line + offset
        if "|" in line or table:
            table = _scan_table_row(line, number, offset, previous, table, scan)
        previous = (offset, line)
        deep = _scan_limits(line, number, scan, brackets, deep)
        if length <= MAX_PARAGRAPH < length + len(line) + 1:
            scan.problems.append((number, f"paragraph is too long (got more than {MAX_PARAGRAPH} characters). "
                                          "Fix: split it with a blank line (shorten it, in a one-line field)."))
        length += len(line) + 1
        brackets += _open_brackets(line)
        heading = _HEADING.match(line) if line[0] == "#" else None
        if line[0] in " =-" and offset and raw[offset - 1].strip() and (underline := _SETEXT_UNDERLINE.match(line)):
            scan.problems.append((number, f"a line of '{underline.group(1)}' under text makes that text a heading "
                                          f"without a stable anchor (got {line.strip()!r} under "
                                          f"{raw[offset - 1].strip()[:40]!r}). Fix: write the heading as '## Title "
                                          "{#id}'; for a horizontal rule, leave a blank line above the line."))
        if line[0] in " *" and _ABBREVIATION.match(line):
            scan.problems.append((number, f"abbreviation definitions are not allowed (got {line.strip()[:40]!r}): "
                                          "the line would vanish and change every use of the word on the page, "
                                          "generated parts included. Fix: spell the expansion out in the text, "
                                          "e.g. 'RL (reinforcement learning)'."))
        if "/" in raw[offset] and FOOTNOTES_PLACE in raw[offset] or line.strip() == TOC_MARKER:
            reserved = FOOTNOTES_PLACE if FOOTNOTES_PLACE in raw[offset] else TOC_MARKER
            scan.problems.append((number, f"the text {reserved!r} is reserved: the site would put generated content "
                                          "in its place (got it on this line). Fix: reword it."))
        if "[?" in line:
            section = scan.sections[-1].id if scan.sections else None
            claims.scan_line(line, raw[offset], number, section, scan.claims, scan.problems, heading=bool(heading))
        if heading:
            line = _scan_heading(len(heading.group(1)), line[heading.end():], number, scan, seen_ids)
        _scan_safety(line, number, scan)
        if "[" not in line:
            continue
        _scan_openers(line, number, scan)
        if "](" in line:
            _scan_link_texts(line, number, scan)
        if "[[" in line:
            for m in WIKI_LINK.finditer(line):
                target = m.group(1).strip()
                scan.links.append(Ref(target, number, (m.group(2) or "").strip() or None, m.group(3)))
                if m.group(3) is None and (following := _NEXT_WORD.match(line, m.end())):
                    scan.bare_links.append(Ref(target, number, following.group(1)))
        if "[@" in line:
            for m in CITATION.finditer(line):
                scan.citations.append(Ref(m.group(1), number, m.group(2)))
                if m.group(2) is not None and (wrong := locators.problem(m.group(2), m.group(0))):
                    scan.problems.append((number, wrong))
        if "[^" in line:
            definition = _FOOTNOTE_DEF.match(line)
            if definition:
                scan.footnote_defs.append(Ref(definition.group(1), number))
            for m in _FOOTNOTE_REF.finditer(line[definition.end():] if definition else line):
                scan.footnote_refs.append(Ref(m.group(1), number))
    return scan


def _scan_openers(line: str, number: int, scan: BodyScan) -> None:
    """Report a wiki link, citation or claim marker that is not closed, or holds brackets (a marker or a link
    inside a citation's locator): it would show as literal text. One pass per opener."""
    for opener, (pattern, name) in OPENERS.items():
        if opener not in line:
            continue
        read = {m.start() for m in pattern.finditer(line)}
        at = line.find(opener)
        while at >= 0:
            if at not in read and (at == 0 or line[at - 1] != "\\"):
                scan.problems.append((number, f"{name} is not closed, or holds brackets, so it would show "
                                              f"as literal text (got {line[at:at + 60]!r}). Fix: write it whole on "
                                              "one line, without brackets inside; a claim marker or a link goes "
                                              "after a citation, never inside it: '[@key, locator] [?kind]'."))
                return
            at = line.find(opener, at + len(opener))


def _cells(line: str) -> int:
    """How many cells a table row has, as Python-Markdown splits it (code spans blanked out beforehand)."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(_CELL_BORDER.findall(row)) + 1


def _scan_table_row(line: str, number: int, offset: int, previous: tuple[int, str], table: tuple[int, int] | None,
                    scan: BodyScan) -> tuple[int, int] | None:
    """Follow a table line by line (see scan_body); report a row with more cells than the header, whose extra
    cells Python-Markdown drops without a word. The table that goes on after this line, if any."""
    if table and offset == table[0] + 1 and line.strip():
        cells = _cells(line)
        if cells > table[1]:
            scan.problems.append((number, f"table row has more cells than the header (got {cells}, the header has "
                                          f"{table[1]}): the extra cells would not show. Fix: add header cells, or "
                                          "merge the row's cells."))
        return offset, table[1]
    if previous[0] == offset - 1 and "|" in previous[1] and _TABLE_SEPARATOR.match(line) and "|" in line:
        return offset, _cells(previous[1])
    return None


def _scan_link_texts(line: str, number: int, scan: BodyScan) -> None:
    """Report a wiki link, citation or claim marker inside the text of a Markdown link ('[text](…)'): it would
    show as raw text, or as a link inside a link. One pass, matching brackets with a stack."""
    openers = [m.start() for m in _CONSTRUCT_START.finditer(line)]
    if not openers:
        return
    stack: list[int] = []
    for bracket in _BRACKET.finditer(line):
        at = bracket.start()
        if bracket.group(0) == "[":
            stack.append(at)
        elif stack:
            start = stack.pop()
            if line.startswith("](", at):
                inner = bisect.bisect_right(openers, start)
                if inner < len(openers) and openers[inner] < at:
                    scan.problems.append((number, f"a link's text holds a wiki link, citation or claim marker "
                                                  f"(got {line[start:at + 1][:60]!r}), which would show as raw "
                                                  "text or as a link inside a link. Fix: put it after the link: "
                                                  "'[text](https://…) [@key]'."))
                    return


def _open_brackets(line: str) -> int:
    """The '[' of a line that are not escaped with a backslash."""
    return _ESCAPED.sub("", line).count("[") if "\\" in line else line.count("[")


def _scan_limits(line: str, number: int, scan: BodyScan, brackets: int, deep: bool) -> bool:
    """Nesting and brackets the build could only handle by recursing too deep or reading for minutes; whether the
    line is nested too deep (reported once for a run of such lines)."""
    depth = nesting(line) if line[0] in " \t>-*+0123456789" else 0
    if depth > MAX_NESTING and not deep:
        scan.problems.append((number, f"lists or quotes are nested too deep (got {depth} levels, at most "
                                      f"{MAX_NESTING}). Fix: flatten the list or quote, or outdent the line."))
    more = _open_brackets(line)
    if brackets <= MAX_BRACKETS < brackets + more:
        scan.problems.append((number, f"too many '[' in one paragraph (got more than {MAX_BRACKETS}). Fix: split "
                                      "the paragraph with a blank line, or write '\\[' for a literal '['."))
    return depth > MAX_NESTING


def scan_inline(text: str, line: int) -> BodyScan:
    """Scan a one-line inline-Markdown field (a dimension's why, a question's help) like a body line."""
    return scan_body(" ".join(text.split()), line)


def cited_keys(text: str) -> list[str]:
    """The keys an inline-Markdown field cites, in order, as the page converts them (not those in code)."""
    return [ref.target for ref in scan_inline(text, 1).citations] if "[@" in text else []


def _split_heading(text: str) -> tuple[str, str | None]:
    """A heading's text and its explicit '{#id}' (None when it has none), read without regular expressions."""
    text = text.strip()
    if text.endswith("}") and "{" in text:
        opening = text.rindex("{")
        inside = text[opening + 1:-1].strip()
        if inside.startswith("#"):
            return text[:opening].strip(), inside[1:]
    return text.rstrip("#").strip() if text.endswith("#") else text, None


def _scan_heading(level: int, text: str, number: int, scan: BodyScan, seen: dict[str, int]) -> str:
    title, anchor_id = _split_heading(text)
    if control := BIDI_CONTROLS.search(title):
        scan.problems.append((number, f"heading holds an invisible bidirectional control (got "
                                      f"U+{ord(control.group(0)):04X}). Fix: delete it; a heading is also shown in "
                                      "the page's contents and on other pages, where it would reverse what follows."))
    if level == 1:
        scan.problems.append((number, f"level-1 heading in the body (got '# {title}'). "
                                      "Fix: remove it; the page title comes from `title`, start sections with '##'."))
    if anchor_id is None:
        scan.problems.append((number, f"heading has no explicit anchor (got '{'#' * level} {title}'). "
                                      f"Fix: end it with a stable id, e.g. '{{#{_suggest(title)}}}'."))
        return title
    if not SLUG.fullmatch(anchor_id):
        scan.problems.append((number, f"heading anchor is not a lowercase slug (got '{anchor_id}'). "
                                      f"Fix: use letters, digits and hyphens, e.g. '{{#{_suggest(title)}}}'."))
    elif is_reserved_anchor(anchor_id):
        scan.problems.append((number, f"heading anchor '{anchor_id}' is reserved for a generated section "
                                      f"(got '{{#{anchor_id}}}'). Fix: choose another id, e.g. "
                                      f"'{{#{_suggest(title)}}}'."))
    elif anchor_id in seen:
        scan.problems.append((number, f"duplicate heading anchor '{anchor_id}' (first on line {seen[anchor_id]}). "
                                      "Fix: give each heading its own id."))
    else:
        seen[anchor_id] = number
        scan.sections.append(Section(anchor_id, title.strip(), level, number))
    return title


def _suggest(title: str) -> str:
    suggestion = slugify(title) or "section"
    return suggestion if not is_reserved_anchor(suggestion) else f"about-{suggestion}"


def has_attribute_list(line: str) -> bool:
    """Whether the line holds a brace pair that attr_list would read as attributes: one that looks like them
    ('{: …}', '{#id}', '{.class}', '{key=value}'), one right after an inline element ('*x*{word}'), or one that
    ends a line or a table cell (a block's or a cell's attributes). One pass over the line."""
    if "}" not in line:
        return False
    opening = -1
    for index, char in enumerate(line):
        if char == "{":
            opening = index
        elif char == "}" and opening >= 0:
            inside = line[opening + 1:index].strip()
            if inside and (inside.startswith((":", "#", ".")) or "=" in inside
                           or (opening > 0 and line[opening - 1] in "*_`])>")
                           or line[index + 1:].strip() in ("", "|") or line[index + 1:].lstrip().startswith("|")):
                return True
            opening = -1
    return False


def _scan_safety(line: str, number: int, scan: BodyScan) -> None:
    angle = "<" in line  # raw HTML and autolinks need one; a pattern is tried only where it could match
    html = RAW_HTML.search(_AUTOLINK.sub(" ", line)) if angle else None
    if html:
        scan.problems.append((number, f"raw HTML is not allowed in entries (got '<{html.group(1)}'). "
                                      "Fix: use Markdown; write '&lt;' for a literal '<'."))
    if has_attribute_list(line):
        scan.problems.append((number, "attribute lists ('{: ...}', '{.class}', '{key=value}') are not allowed "
                                      "in entry text. Fix: remove them; only headings take '{#id}'."))
    elif (angle or "{" in line) and (handler := _EVENT_HANDLER.search(line)):
        scan.problems.append((number, f"event-handler attributes are not allowed (got '{handler.group(0)}'). "
                                      "Fix: remove them."))
    if "![" in line and _IMAGE.search(line):
        scan.problems.append((number, "images are not allowed in entries (got '![…]'). Fix: describe the figure "
                                      "in words and link to it with [text](https://…)."))
    targets = [m.group(1) for m in _LINK_TARGET.finditer(line)] if "](" in line else []
    if angle:
        targets += [m.group(1) for m in _AUTOLINK.finditer(line)]
    definition = _REF_DEFINITION.match(line) if "]:" in line else None
    if definition and not line.lstrip().startswith("[^"):
        targets.append(definition.group(1))
    for target in targets:
        _check_target(target, number, scan)


def _check_target(target: str, number: int, scan: BodyScan) -> None:
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(1).lower() == "https" and target[len("https:"):].startswith("//"):
        return
    if scheme and scheme.group(1).lower() in ("javascript", "vbscript", "data"):
        scan.problems.append((number, f"unsafe link scheme (got '{target[:40]}'). "
                                      "Fix: link only to https:// addresses."))
    elif scheme:
        scan.problems.append((number, f"link is not https (got '{target}'). Fix: use the https:// address."))
    elif target.startswith("#"):
        scan.links.append(Ref("", number, target[1:]))
    else:
        scan.problems.append((number, f"relative link in an entry (got '{target}'). "
                                      "Fix: link entries with [[id]] or [[id#section|text]]."))


def convert(body: str, link: Callable[[str, str | None, str | None], str],
            cite: Callable[[str, str | None], str], text: Callable[[str], str] = str,
            claim: Callable[[str, str | None], str] | None = None) -> str:
    """Replace wiki links, citations and claim markers outside code with what the callbacks produce; `text`
    rewrites the literal text between them (inline fields use it to make HTML and attribute lists inert)."""
    out: list[str] = []
    prose = dict(prose_lines(body))
    for offset, line in enumerate(body.split("\n")):
        if offset not in prose:
            out.append(line)
            continue
        out.append(_convert_outside_code(line, link, cite, text, claim))
    return "\n".join(out)


_LINK_CITATION_OR_CLAIM = re.compile(f"{WIKI_LINK.pattern}|{CITATION.pattern}|{claims.MARKER.pattern}")


def _convert_outside_code(line: str, link: Callable[[str, str | None, str | None], str],
                          cite: Callable[[str, str | None], str], text: Callable[[str], str],
                          claim: Callable[[str, str | None], str] | None) -> str:
    pieces: list[str] = []
    last = 0
    for start, end in [*code_spans(line), (len(line), len(line))]:
        prose = line[last:start]
        done = 0
        for m in _LINK_CITATION_OR_CLAIM.finditer(prose):
            if m.group(0).startswith("[?"):
                marker = claims.parse(m.group(6)) if claim else None
                if marker is None:
                    continue  # not a marker this text converts: it stays part of the literal text
                pieces += [text(prose[done:m.start()]), claim(*marker)] if claim else []
            elif m.group(0).startswith("[["):
                pieces.append(text(prose[done:m.start()]))
                pieces.append(link(m.group(1).strip(), (m.group(2) or "").strip() or None,
                                   (m.group(3) or "").strip() or None))
            else:
                pieces.append(text(prose[done:m.start()]))
                pieces.append(cite(m.group(4), m.group(5)))
            done = m.end()
        pieces.append(text(prose[done:]))
        pieces.append(line[start:end])
        last = end
    return "".join(pieces)
