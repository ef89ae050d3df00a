"""Draw the decision tree as a self-contained SVG flowchart at build time (no script, no external request).

The layout is vertical and indented, like an outline with connectors: every question and result has its own
row, so the drawing is as narrow as the column whatever the tree's shape, and it scales with the column.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import escape

from .model import DecisionNode, Taxonomy, step_name

WIDTH = 340  # drawing units; the stylesheet scales the drawing to the column
MIN_BOX = 210
MAX_INDENT = 22
MIN_INDENT = 12
FONT = 13
CHAR_WIDTH = 0.54 * FONT  # a generous average advance of a sans-serif character
LINE_HEIGHT = 16
PADDING = 8
LABEL_FONT = 12
LABEL_LINE = 15
GAP = 10


@dataclass(frozen=True)
class Box:
    """A laid-out node: a question, a result, or a reference to a question drawn elsewhere."""

    key: str
    lines: tuple[str, ...]
    href: str
    depth: int
    kind: str
    label: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class Placed:
    """A box with its position and size in drawing units."""

    box: Box
    x: float
    y: float
    width: float

    @property
    def height(self) -> int:
        """Box height for its lines of text."""
        return len(self.box.lines) * LINE_HEIGHT + 2 * PADDING


def short_label(label: str) -> str:
    """The part of an answer label before its explanation."""
    return label.split(":")[0].split(",")[0].strip()


def _wrap(text: str, width: float, char_width: float) -> tuple[str, ...]:
    return tuple(textwrap.wrap(text, max(8, math.floor(width / char_width)))) or ("",)


def _boxes(taxonomy: Taxonomy, question_href: Callable[[str], str],
           entry_href: Callable[[str], str]) -> list[tuple[DecisionNode | None, Box]]:
    """Every row in reading order (depth first); a question reached twice is drawn once, then referred to."""
    questions = {q.id: q for q in taxonomy.decision_tree}
    rows: list[tuple[DecisionNode | None, Box]] = []
    drawn: set[str] = set()

    def visit(question: DecisionNode, depth: int, label: str, parent: str | None) -> None:
        drawn.add(question.id)
        rows.append((question, Box(question.id, (), question_href(question.id), depth, "question",
                                   (label,) if label else (), parent)))
        for index, answer in enumerate(question.answers):
            edge = short_label(answer.label)
            if answer.next and answer.next not in drawn:
                visit(questions[answer.next], depth + 1, edge, question.id)
            elif answer.next:
                rows.append((None, Box(f"{question.id}-{index}", (f"Go to {step_name(answer.next)}",),
                                       question_href(answer.next), depth + 1, "ref", (edge,), question.id)))
            elif answer.outcome:
                outcome = taxonomy.outcome(answer.outcome)
                title = outcome.title if outcome else answer.outcome
                rows.append((None, Box(f"{question.id}-{index}", (title,), question_href(answer.outcome),
                                       depth + 1, "result", (edge,), question.id)))
            else:
                entry = taxonomy.entries[str(answer.entry)]
                rows.append((None, Box(f"{question.id}-{index}", (entry.title,), entry_href(entry.id), depth + 1,
                                       "result", (edge,), question.id)))

    if taxonomy.decision_tree:
        visit(taxonomy.decision_tree[0], 0, "", None)
    return rows


def layout(taxonomy: Taxonomy, question_href: Callable[[str], str],
           entry_href: Callable[[str], str]) -> tuple[list[Placed], float, float]:
    """Place every row: indented by depth, each box reaching the right edge; returns boxes, width, height."""
    rows = _boxes(taxonomy, question_href, entry_href)
    depth = max((box.depth for _, box in rows), default=0)
    indent = min(MAX_INDENT, max(MIN_INDENT, (WIDTH - MIN_BOX) / depth if depth else MAX_INDENT))
    width = max(WIDTH, depth * indent + MIN_BOX)
    placed: list[Placed] = []
    y = 0.0
    for question, box in rows:
        x = box.depth * indent
        inner = width - x - 2 * PADDING
        if question is not None:
            lines = (f"{step_name(question.id)}.",) + _wrap(question.question, inner, CHAR_WIDTH)
        else:
            lines = _wrap(box.lines[0], inner, CHAR_WIDTH)
        label = tuple(line for text in box.label for line in _wrap(text, width - x - 4, 0.62 * LABEL_FONT))
        y += len(label) * LABEL_LINE + (4 if label else 0)
        item = Placed(Box(box.key, lines, box.href, box.depth, box.kind, label, box.parent), x, y, width - x)
        placed.append(item)
        y += item.height + GAP
    return placed, width, y - GAP


def flowchart(taxonomy: Taxonomy, question_href: Callable[[str], str], entry_href: Callable[[str], str]) -> str:
    """An SVG drawing of the whole tree, top to bottom; every box is a link that screen readers can reach.

    Links are written as `href`; the sanitiser vets them and renames them `xlink:href` (see sanitize.py).
    The answer that leads to a box is drawn above it, inside the box's link, so the link reads "Yes, Q4 ...".
    """
    placed, width, height = layout(taxonomy, question_href, entry_href)
    by_key = {p.box.key: p for p in placed}
    parts = [f'<svg class="tx-flowchart" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="-1 -1 {width + 2:.0f} {height + 2:.0f}" '
             f'width="{width + 2:.0f}" height="{height + 2:.0f}" role="group" aria-labelledby="tx-flowchart-title">',
             '<title id="tx-flowchart-title">Flowchart of the decision tree: each question box links to its step '
             'in the outline, each result box to its entry.</title>']
    for item in placed:
        if item.box.parent:
            parent = by_key[item.box.parent]
            trunk = parent.x + (item.x - parent.x) / 2
            parts.append(f'<path class="tx-edge" d="M{trunk:.1f},{parent.y + parent.height:.1f} '
                         f'V{item.y + item.height / 2:.1f} H{item.x:.1f}"/>')
    for item in placed:
        box = item.box
        parts.append(f'<a href="{escape(box.href)}" class="tx-node tx-{box.kind}">')
        for i, line in enumerate(box.label):
            baseline = item.y - 4 - (len(box.label) - 1 - i) * LABEL_LINE - 3
            parts.append(f'<text class="tx-edge-label" x="{item.x + 4:.1f}" y="{baseline:.1f}">{escape(line)}</text>')
        parts.append(f'<rect x="{item.x:.1f}" y="{item.y:.1f}" width="{item.width:.1f}" height="{item.height}" '
                     f'rx="6"/>')
        for i, line in enumerate(box.lines):
            weight = ' font-weight="bold"' if box.kind == "question" and i == 0 else ""
            parts.append(f'<text x="{item.x + PADDING:.1f}" y="{item.y + PADDING + (i + 1) * LINE_HEIGHT - 3:.1f}"'
                         f'{weight}>{escape(line)}</text>')
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)
