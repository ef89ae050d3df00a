"""The body scanner reads hostile lines in linear time: a line that made the old regular expressions backtrack
for minutes is now read at the speed of any other line (no timing is asserted; a regression shows as a hang,
which the alarm turns into a failure instead of a stuck test run)."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from taxonomy import markup
from taxonomy.yamlsrc import MAX_BYTES

SIZE = MAX_BYTES // 4
PATHOLOGICAL = {
    "run of '{='": "{=" * (SIZE // 2),
    "run of '[['": "[[" * (SIZE // 2),
    "run of '[@,'": "[@," * (SIZE // 3),
    "run of '[^'": "[^" * (SIZE // 2),
    "run of backticks of growing length": "".join("`" * n + "x" for n in range(1, 700)),
    "run of '<a'": "<a" * (SIZE // 2),
    "run of ']('": "](" * (SIZE // 2),
    "run of '[?'": "[?" * (SIZE // 2),
    "links around citations": "[x [@k]](" * (SIZE // 9),
    "unclosed links around markers": "[[?" * (SIZE // 3) + "](" * (SIZE // 4),
    "long heading of spaces": "## " + " " * SIZE + "x",
    "long heading of braces": "## x " + "{" * SIZE,
    "heading of hashes": "## " + "#" * SIZE,
    "run of '{#'": "## x " + "{#" * (SIZE // 2) + "}",
    "long word": "x" * SIZE,
}


@pytest.fixture(autouse=True)
def _alarm() -> Iterator[None]:
    def hang(*_: object) -> None:
        raise TimeoutError("the scanner took over a minute on one line: a pattern backtracks")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("line", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_hostile_lines_are_scanned_in_linear_time(line: str) -> None:
    """Scanning and converting a quarter-limit line finishes (and still reports what is wrong with it)."""
    scan = markup.scan_body(f"## Start {{#start}}\n\n{line}\n", 1)
    markup.convert(line, lambda *a: "", lambda *a: "")
    assert isinstance(scan.problems, list)
