"""Every problem message the checker can emit is asserted, word for word, by at least one test.

A message is a template in hooks/taxonomy/: a string (plain, f-string or `+` concatenation) whose text contains
"Fix:", or the message given to `Walk(...)` or `ScaffoldError(...)`. Its literal chunks, between placeholders, must
appear in that order in one string of a test file, where the test's own placeholders match anything. A new rule
without a failure case therefore fails here, naming the rule's file, line and text.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

CHECKER = ROOT / "hooks" / "taxonomy"
TESTS = ROOT / "tests"
NOT_THE_CHECKER = {"sitecheck.py"}
"""The built-site link checker: its findings are (problem, fix) pairs, tabled per fixture site in test_sitecheck.py."""
MESSAGE_CALLS = {"Walk", "ScaffoldError"}
"""Calls whose message needs no "Fix:" of its own: a walk's problem gets the case's fix appended; a refusal."""
MIN_CHUNK = 3
"""Literal chunks shorter than this (a quote, a comma, a bracket) are not matched: a test may write them inside a
placeholder of its own."""
ANY = "\0"


@dataclass(frozen=True)
class Template:
    """A message as written in the code: where it is, and its literal chunks between placeholders."""

    where: str
    shown: str
    chunks: tuple[str, ...]


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` constants, so that a placeholder naming one reads as its text."""
    found = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
            node.target if isinstance(node, ast.AnnAssign) else None
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
            found[target.id] = value.value
    return found


def _pieces(node: ast.AST, constants: dict[str, str]) -> list[str | ast.expr] | None:
    """A string expression as literal text and placeholder expressions; None if it is not a string expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        pieces: list[str | ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                pieces.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                plain = value.conversion == -1 and value.format_spec is None
                named = value.value.id if isinstance(value.value, ast.Name) else None
                pieces.append(constants[named] if plain and named in constants else value.value)
        return pieces
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _pieces(node.left, constants), _pieces(node.right, constants)
        if left is None and right is None:
            return None
        return (left or [node.left]) + (right or [node.right])
    return None


def _strings(source: str) -> list[tuple[int, list[str | ast.expr], bool]]:
    """Each outermost string expression: its line, its pieces, and whether it is the message of a MESSAGE_CALL."""
    tree = ast.parse(source)
    constants = _constants(tree)
    messages = {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in MESSAGE_CALLS for arg in node.args}
    inside: set[int] = set()
    found = []
    for node in ast.walk(tree):  # parents before children, so only the outermost expression is taken
        if id(node) in inside:
            continue
        pieces = _pieces(node, constants)
        if pieces is not None:
            inside.update(id(child) for child in ast.walk(node))
            found.append((getattr(node, "lineno", 0), pieces, id(node) in messages))
    return found


def _text(pieces: list[str | ast.expr], placeholder: str | None = None) -> str:
    return "".join(p if isinstance(p, str) else placeholder or "{" + ast.unparse(p) + "}" for p in pieces)


def templates(source: str, name: str) -> list[Template]:
    """The message templates in one module's source."""
    found = []
    for line, pieces, message in _strings(source):
        literal = "".join(p for p in pieces if isinstance(p, str))
        if "Fix:" in literal or message:
            chunks = tuple(c for c in _text(pieces, ANY).split(ANY) if len(c.strip()) >= MIN_CHUNK)
            found.append(Template(f"{name}:{line}", _text(pieces), chunks))
    return found


def expected_messages(source: str) -> list[str]:
    """Every string a test file writes, its unknown placeholders left as wildcards."""
    return [_text(pieces, ANY) for _, pieces, _ in _strings(source)]


def asserted(template: Template, messages: list[str]) -> bool:
    """Whether some expected message contains the template's chunks in order."""
    for message in messages:
        position = 0
        for chunk in template.chunks:
            position = message.find(chunk, position)
            if position < 0:
                break
            position += len(chunk)
        else:
            return True
    return False


def untested(sources: dict[str, str], tests: list[str]) -> list[Template]:
    """Templates of the given modules (name -> source) that no test string asserts."""
    messages = [m for test in tests for m in expected_messages(test)]
    found = [t for name, source in sources.items() for t in templates(source, name) if not asserted(t, messages)]
    return sorted(found, key=lambda t: (t.where.partition(":")[0], int(t.where.rpartition(":")[2])))


def _checker_sources() -> dict[str, str]:
    return {path.relative_to(ROOT).as_posix(): path.read_text("utf-8") for path in sorted(CHECKER.rglob("*.py"))
            if path.name not in NOT_THE_CHECKER}


def _test_sources() -> list[str]:
    return [path.read_text("utf-8") for path in sorted(TESTS.rglob("*.py")) if path != Path(__file__)]


def test_every_message_template_has_a_failure_case() -> None:
    """Each message the checker can emit appears in a test; the list below names each one that does not."""
    missing = untested(_checker_sources(), _test_sources())
    assert not missing, (f"{len(missing)} message(s) have no failure case. Add the source change that triggers "
                         "each to a table in tests/core/test_*_rules.py, asserting the exact message:\n"
                         + "\n".join(f"  {t.where}: {t.shown}" for t in missing))


def test_the_checker_has_messages_to_trace() -> None:
    """The extraction sees the checker's messages (a refactoring that hides them from it would pass vacuously)."""
    found = [t for name, source in _checker_sources().items() for t in templates(source, name)]
    assert len({t.where.partition(":")[0] for t in found}) >= 5 and all(t.chunks for t in found)


RULE = '''
def check(node, report):
    report.add(node.line, f"widget {node.value!r} is upside down (got {node.angle} degrees). Fix: turn it over.")
    raise ScaffoldError(f"no room for {name!r} here")
'''


def test_a_new_message_without_a_case_is_named() -> None:
    """A rule added without a test is reported with its place and text; a test of its exact message covers it."""
    assert [(t.where, t.shown) for t in untested({"rule.py": RULE}, [])] == [
        ("rule.py:3", "widget {node.value} is upside down (got {node.angle} degrees). Fix: turn it over."),
        ("rule.py:4", "no room for {name} here")]
    partial = 'assert "upside down" in out\nassert str(err) == "no room for \'x\' here"\n'
    assert [t.where for t in untested({"rule.py": RULE}, [partial])] == ["rule.py:3"]
    exact = ('E = "src/w.yaml"\n'
             'CASES = [(f"{E}:4: widget \'w1\' is upside down (got {180} degrees). Fix: turn it over.")]\n')
    assert [t.where for t in untested({"rule.py": RULE}, [partial, exact])] == []
