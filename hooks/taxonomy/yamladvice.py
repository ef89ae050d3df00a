"""Plain advice for YAML syntax errors: what is wrong with the line, in a contributor's words, not the parser's."""

from __future__ import annotations

import re

import yaml

from .model import RELATION_TYPES

_KEY = re.compile(r"^(\s*)(?:-\s+)?([^\s:#][^:#]*?):(?:\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(lines: list[str], upto: int) -> list[int]:
    """Indices of lines before `upto` that hold YAML (not blank, not comments), nearest first."""
    return [i for i in range(upto - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")]


def _ancestors(lines: list[str], index: int) -> list[tuple[int, str]]:
    """(indentation, key) of each block that the lines above open, innermost first."""
    found: list[tuple[int, str]] = []
    limit = None
    for i in _content(lines, index):
        indent = _indent(lines[i])
        if limit is None or indent < limit:
            key = _KEY.match(lines[i])
            found.append((indent, key.group(2).strip() if key else lines[i].strip()))
            limit = indent
    return found


def _indentation(lines: list[str], index: int) -> str | None:
    """Advice for a line whose indentation lines up with no block above it, or None if it does."""
    line = lines[index]
    here = _indent(line)
    above = _content(lines, index)
    if not above:
        return None
    previous = lines[above[0]]
    chain = _ancestors(lines, index)
    levels = {indent for indent, _ in chain}
    opens_block = previous.rstrip().endswith(":")
    if here in levels and not (here > _indent(previous) and not opens_block):
        return None
    got = line.strip()
    key = _KEY.match(line)
    name = key.group(2).strip() if key else ""
    if here > _indent(previous) and not opens_block:
        return (f"this line is indented more than line {above[0] + 1}, which already has a value "
                f"(got {got!r} indented {_spaces(here)}). Fix: indent it {_spaces(_indent(previous))}, like the "
                "line above, or end the line above with ':' if this line belongs under it.")
    if name in RELATION_TYPES and any(k == "relations" for _, k in chain):
        relations = next(indent for indent, k in chain if k == "relations")
        return (f"relation '{name}' is not indented under 'relations:' (got {_spaces(here)}). Fix: indent it "
                f"{_spaces(relations + 2)}, like the other relations under 'relations:'.")
    parent = next(((indent, k) for indent, k in chain if indent < here), None)
    if parent is None:  # the lines above start further right than this one: the first of them set the top level
        first = above[-1]
        return (f"this line is indented {_spaces(here)}, less than line {first + 1} where the file "
                f"starts (got {got!r}). Fix: start the top-level lines, line {first + 1} included, at "
                "the beginning of the line.")
    under = next((indent for indent, _ in reversed(chain) if indent > parent[0]), parent[0] + 2)
    return (f"this line is indented {_spaces(here)}, which lines up with no line above it (got {got!r}). "
            f"Fix: indent it {_spaces(under)} to keep it under '{parent[1]}:', or {_spaces(parent[0])} to put "
            f"it beside '{parent[1]}'; indent with spaces only.")


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def advice(text: str, error: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The (1-based) line of a YAML error and a plain message saying how to fix it."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    lines = text.split("\n")
    problem, context = str(error.problem or ""), str(error.context or "")
    start = error.context_mark.line + 1 if error.context_mark else line
    index = min(line - 1, len(lines) - 1)
    column = error.problem_mark.column if error.problem_mark else -1
    if "'\\t'" in problem or (0 <= index < len(lines) and lines[index][column:column + 1] == "\t"):
        return line, "a tab is used for indentation (got a tab character). Fix: indent with spaces only."
    if "unknown escape" in problem:
        got = lines[index][column:column + 2] if 0 <= index < len(lines) else "\\"
        return line, (f"a double-quoted value has an escape YAML does not know (got '{got}'). Fix: write '\\\\' "
                      "for a backslash, or use single quotes.")
    if "cannot start any token" in problem and 0 <= index < len(lines) and 0 <= column < len(lines[index]):
        return line, (f"a value starts with a character YAML reserves (got {lines[index][column]!r}). "
                      "Fix: put the value in quotes.")
    if "quoted scalar" in context:
        return start, (f"a quoted value is never closed (got an opening quote on line {start} and no "
                       "closing one). Fix: close the quote on the same line.")
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "]" if "sequence" in context else "}"
        return start, (f"a list or mapping written on one line is not closed (got no '{bracket}' for the one "
                       f"opened on line {start}). Fix: close it with '{bracket}', or quote a value "
                       "that contains ':' or ','.")
    if "expected <block end>" in problem or "mapping values are not allowed" in problem \
            or "could not find expected ':'" in problem or "did not find expected" in problem:
        hint = _indentation(lines, index)
        if hint:
            return line, hint
        above = _content(lines, index)
        if above and ":" not in lines[above[0]] and not lines[above[0]].lstrip().startswith("-"):
            return above[0] + 1, (f"this line has no ':' after its key (got {lines[above[0]].strip()!r}). "
                                  "Fix: write 'key: value'.")
        if "mapping values are not allowed" in problem:
            return line, (f"a value contains ': ' (got {lines[index].strip()!r}). Fix: put the value in quotes, "
                          "e.g. title: \"A: B\".")
    what = " ".join(part for part in (context, problem) if part)
    return line, f"invalid YAML: {what}. Fix: check indentation, colons and quotes on this line."
