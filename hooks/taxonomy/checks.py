"""The checks every source file shares: reading a YAML file, and validating one value of a given type.

Each check is a validator (`problems.Checked`): it yields a finding per problem and returns the clean value, or
None when there is none to use.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from . import claims, markup
from .escaping import one_line
from .problems import Checked, display_path, findings_of
from .yamlsrc import Node, YamlProblem, parse_yaml, read_source, type_name

KEY = re.compile(r"\A[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")
"""A citation key of the bibliography."""
SUMMARY_MAX = 300
"""The longest one-sentence summary, in characters."""
TITLE_MAX = 300
"""The longest title of anything (an entry, a case, a work, a dimension, the taxonomy), in characters: a title is
repeated on every page that lists or links what it names."""
NOT_PLAIN = frozenset({"url", "site_url", "date", "why", "tell_apart", "help", "contains", "breaks_off",
                       "obtained"})
"""Text fields checked by their own rules instead: a format (addresses, dates) or inline Markdown (a dimension's
or a case's `why`, an entry's `tell_apart`, the tree's `help`, what a source `contains`, where it `breaks_off`,
how it was `obtained`; the tree's `note` is named by its reader, since a work's `note` is plain). Every other text
field is plain text, checked by `plain_problems`."""

ItemCheck = Callable[[Node, str], "Checked[str | None]"]


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest option, or ''."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""



def unknown_entry_fix(target: str, ids: Iterable[str], former: Mapping[str, str],
                      instead: str = "an existing id") -> str:
    """The fix for a reference to an id that is not an entry: the entry it was renamed to, or `instead` (with a
    near match)."""
    if target in former:
        return f"{former_id(target, former[target])}; use '{former[target]}'"
    return f"use {instead}{did_you_mean(target, ids)}"


def former_id(old: str, new: str) -> str:
    """What a former id is, said the same way wherever one is used."""
    return f"'{old}' is a former id of {new}"

def unknown_citation(key: str, got: str, works: Iterable[str]) -> str:
    """The problem of a citation whose key the bibliography lacks."""
    return (f"unknown citation key '{key}' (got '{got}'). Fix: use a key from taxonomy_src/bibliography.yaml"
            f"{did_you_mean(key, works)} or add the work there.")


def choices(options: Iterable[str]) -> str:
    """Options as a message lists them."""
    return ", ".join(options) or "(none are defined)"


def unknown_field(name: str, allowed: Iterable[str], where: str = "") -> str:
    """The one message for a field that its file does not define (`where`: in what, e.g. " in an answer")."""
    allowed = list(allowed)
    return (f"unknown field '{name}'{where} (got '{name}'). Fix: remove it or use one of {choices(allowed)}"
            f"{did_you_mean(name, allowed)}.")


def yaml_file(src: Path, name: str, root: Path, missing_fix: str | None) -> Checked[Node | None]:
    """Read and parse `src/name` through the one reader; None if it cannot be used (its problems found).

    `missing_fix` is the fix for a missing file; None makes the file optional (absent: None, no problem).
    """
    path = src / name
    if not path.exists() and not path.is_symlink():
        if missing_fix is not None:
            yield 1, f"required file is missing (got no {name}). Fix: {missing_fix}"
        return None
    source = read_source(path, root)
    if source.text is None:
        yield from findings_of(source.problems)
        return None
    try:
        node = parse_yaml(source.text)
    except YamlProblem as problem:
        yield problem.line, problem.message
        return None
    if node is None:
        yield 1, (f"the file is empty (got no YAML in it). Fix: write the contents of {name}; CONTRIBUTING.md "
                  "describes each file.")
    return node


def yaml_text(text: str, first_line: int = 1) -> Checked[Node | None]:
    """Parse YAML text starting at `first_line` of its file; None after a syntax problem."""
    try:
        return parse_yaml(text, first_line)
    except YamlProblem as problem:
        yield problem.line, problem.message
        return None


def empty_text(name: str, value: object) -> str:
    """The one message for a text field with no text."""
    return f"'{name}' must be non-empty text (got {type_name(value)} {value!r}). Fix: write '{name}: <text>'."


def text(node: Node, name: str) -> Checked[str | None]:
    """Non-empty plain text on one line."""
    if not isinstance(node.value, str) or not node.value.strip():
        yield node.line, empty_text(name, node.value)
        return None
    wrong = list(plain_problems(node.value, name))
    for message in wrong:
        yield node.line, message
    return None if wrong else one_line(node.value).strip()


def plain_problems(value: str, name: str) -> Iterator[str]:
    """What keeps a plain-text field from being shown exactly as written, wherever the site shows it: markup,
    bidirectional controls, and for a title its length (nothing for a field that is not plain text)."""
    if name in NOT_PLAIN:
        return
    if markup.RAW_HTML.search(value) or markup.has_attribute_list(value):
        yield f"'{name}' is plain text, so markup would show literally (got {value!r}). Fix: remove the markup."
    if control := markup.BIDI_CONTROLS.search(value):
        yield (f"'{name}' holds an invisible bidirectional control (got U+{ord(control.group(0)):04X} at character "
               f"{control.start() + 1}). Fix: delete it; plain text is shown inside other text on many pages, where "
               "it would reverse what follows.")
    if name == "title" and len(value) > TITLE_MAX:
        yield (f"'{name}' is too long (got {len(value)} characters, at most {TITLE_MAX}). Fix: shorten it; the "
               "summary or the body can say more.")


def slug(node: Node, name: str) -> Checked[str | None]:
    """A lowercase slug (an id)."""
    if not isinstance(node.value, str) or not markup.SLUG.fullmatch(node.value):
        yield node.line, (f"'{name}' must be a lowercase slug such as 'inner-misalignment' (got {node.value!r}). "
                          "Fix: use lowercase letters, digits and hyphens.")
        return None
    return node.value


def key(node: Node, name: str) -> Checked[str | None]:
    """A citation key."""
    if not isinstance(node.value, str) or not KEY.fullmatch(node.value):
        yield node.line, (f"'{name}' items must be citation keys such as 'hubinger2019' (got {node.value!r}). "
                          "Fix: use a key from taxonomy_src/bibliography.yaml.")
        return None
    return node.value


def items(node: Node, name: str, item: ItemCheck) -> Checked[tuple[str, ...]]:
    """A list whose items pass `item`; the valid items."""
    if not isinstance(node.value, list):
        yield node.line, (f"'{name}' must be a list (got {type_name(node.value)} {node.value!r}). "
                          f"Fix: write '{name}: [a, b]' or '{name}: []'.")
        return ()
    found = []
    for child in node.value:
        value = yield from item(child, name)
        if value is not None:
            found.append(value)
    return tuple(found)


def texts(node: Node, name: str) -> Checked[tuple[str, ...]]:
    """A list of plain texts."""
    return (yield from items(node, name, text))


def slugs(node: Node, name: str) -> Checked[tuple[str, ...]]:
    """A list of slugs."""
    return (yield from items(node, name, slug))


def keys(node: Node, name: str) -> Checked[tuple[str, ...]]:
    """A list of citation keys."""
    return (yield from items(node, name, key))


def choice(node: Node, name: str, vocabulary: tuple[str, ...]) -> Checked[str | None]:
    """One word of a vocabulary."""
    if node.value not in vocabulary:
        yield node.line, (f"'{name}' must be one of {choices(vocabulary)} (got {node.value!r}). "
                          f"Fix: pick one{did_you_mean(str(node.value), vocabulary)}.")
        return None
    return str(node.value)


def sentence(node: Node, name: str) -> Checked[str | None]:
    """One plain sentence of at most SUMMARY_MAX characters, ending with a period, without links or citations."""
    value = yield from text(node, name)
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > SUMMARY_MAX:
        yield node.line, (f"'{name}' is too long (got {len(value)} characters, at most {SUMMARY_MAX}). "
                          "Fix: shorten it to one sentence.")
    elif not value.endswith("."):
        yield node.line, (f"'{name}' must be one sentence ending with a period (got {value[-20:]!r} at the end). "
                          "Fix: end it with '.'.")
    elif markup.WIKI_LINK.search(value) or markup.CITATION.search(value) or "](" in value \
            or claims.MARKER.search(value):
        yield node.line, (f"'{name}' must be plain text without links or citations (got {value!r}). "
                          "Fix: move links and citations into the body.")
    return value


def integer(node: Node, name: str) -> Checked[int | None]:
    """A whole number."""
    if not isinstance(node.value, int) or isinstance(node.value, bool):
        yield node.line, f"'{name}' must be a whole number (got {node.value!r}). Fix: write e.g. '{name}: 1'."
        return None
    return node.value


def anchor_map(node: Node, name: str) -> Checked[tuple[tuple[str, str], ...] | None]:
    """Old anchor ids mapped to current ones, as (old, current) pairs."""
    if not isinstance(node.value, dict):
        yield node.line, (f"'{name}' must map old anchor ids to current ones (got {type_name(node.value)}). "
                          f"Fix: write '{name}: {{old-id: current-id}}'.")
        return None
    found = []
    for old, new in node.value.items():
        if not markup.SLUG.fullmatch(old):
            yield node.key_line(old), (f"old anchor must be a lowercase slug (got {old!r}). Fix: write it as it "
                                       "appeared in the URL, without '#'.")
            continue
        current = yield from slug(new, name)
        if current:
            found.append((old, current))
    return tuple(found)


def mapping(node: Node, fields: dict[str, bool]) -> Checked[dict[str, str] | None]:
    """A flat mapping of text fields (numbers read as text); `fields` maps each name to whether it is required."""
    if not isinstance(node.value, dict):
        yield node.line, (f"expected a mapping of fields (got {type_name(node.value)}). "
                          "Fix: write one 'field: value' per line.")
        return None
    values: dict[str, str] = {}
    for name, value in node.value.items():
        if name not in fields:
            yield node.key_line(name), unknown_field(name, fields)
            continue
        if isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
            values[name] = str(value.value)
            continue
        checked = yield from text(value, name)
        if checked is not None:
            values[name] = checked
    for name, required in fields.items():
        if required and name not in node.value:
            yield node.line, f"missing required field '{name}' (got no '{name}:' line). Fix: add '{name}: ...'."
    return values


def record(node: Node, what: str, fields: tuple[str, ...],
           required: tuple[str, ...] | None = None) -> Checked[dict[str, Node] | None]:
    """A mapping with only the given fields and every required one (all of them unless `required` says),
    named `what` in messages ("a term", "an item of 'path'"); None after its problems."""
    required = fields if required is None else required
    if not isinstance(node.value, dict):
        example = ", ".join(f"{f}: ..." for f in fields)
        yield node.line, (f"{what} must be a mapping of fields (got {type_name(node.value)} {node.plain()!r}). "
                          f"Fix: write it as '{{{example}}}'.")
        return None
    for key in node.value:
        if key not in fields:
            yield node.key_line(key), unknown_field(key, fields, f" in {what}")
    missing = [f for f in required if f not in node.value]
    if missing:
        yield node.line, (f"{what} is missing {', '.join(missing)} (got {', '.join(node.value) or 'nothing'}). "
                          f"Fix: add '{missing[0]}: ...'.")
        return None
    return node.value


def shown(src: Path, name: str, root: Path) -> str:
    """How a source file's path is shown in its problems."""
    return display_path(src / name, root)
