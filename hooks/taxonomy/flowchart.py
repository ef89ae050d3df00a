"""Draw the decision tree as a self-contained SVG flowchart at build time (no script, no external request)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import escape

from .model import Answer, DecisionNode, Taxonomy

COLUMN = 250
BOX_WIDTH = 200
LINE_HEIGHT = 15
PADDING = 8
ROW_GAP = 16
WRAP = 30


@dataclass(frozen=True)
class Box:
    """A laid-out node: a question or a result."""

    key: str
    lines: tuple[str, ...]
    href: str
    depth: int
    y: float
    kind: str
    edge_label: str = ""
    parent: str | None = None

    @property
    def height(self) -> int:
        """Box height for its lines of text."""
        return len(self.lines) * LINE_HEIGHT + 2 * PADDING


def short_label(label: str) -> str:
    """The part of an answer label before its explanation."""
    return label.split(":")[0].split(",")[0].strip()


def flowchart(taxonomy: Taxonomy, question_href: Callable[[str], str], entry_href: Callable[[str], str]) -> str:
    """An SVG drawing of the whole tree, left to right, every box a link.

    Links are written as `href`; the sanitiser vets them and renames them `xlink:href` (see sanitize.py).
    """
    questions = {q.id: q for q in taxonomy.decision_tree}
    boxes: list[Box] = []

    def height(lines: tuple[str, ...]) -> int:
        return len(lines) * LINE_HEIGHT + 2 * PADDING

    def question_lines(question: DecisionNode) -> tuple[str, ...]:
        return (f"{question.id.upper()}.",) + tuple(textwrap.wrap(question.question, WRAP))

    def result_title(answer: Answer) -> str:
        outcome = taxonomy.outcome(str(answer.outcome)) if answer.outcome else None
        return outcome.title if outcome else taxonomy.entries[str(answer.entry)].title

    def span(question: DecisionNode) -> float:
        """Vertical band a question's subtree needs, so no two subtrees overlap."""
        children = [span(questions[a.next]) if a.next else height(tuple(textwrap.wrap(result_title(a), WRAP)))
                    for a in question.answers]
        return max(height(question_lines(question)), sum(children) + ROW_GAP * (len(children) - 1))

    def place(question: DecisionNode, depth: int, top: float, parent: str | None, edge: str) -> None:
        lines = question_lines(question)
        total = span(question)
        boxes.append(Box(question.id, lines, question_href(question.id), depth, top + (total - height(lines)) / 2,
                         "question", edge, parent))
        children = [span(questions[a.next]) if a.next else height(tuple(textwrap.wrap(result_title(a), WRAP)))
                    for a in question.answers]
        y = top + (total - sum(children) - ROW_GAP * (len(children) - 1)) / 2
        for index, (answer, child_span) in enumerate(zip(question.answers, children)):
            if answer.next:
                place(questions[answer.next], depth + 1, y, question.id, short_label(answer.label))
            else:
                href = question_href(answer.outcome) if answer.outcome else entry_href(str(answer.entry))
                boxes.append(Box(f"{question.id}-{index}", tuple(textwrap.wrap(result_title(answer), WRAP)),
                                 href, depth + 1, y, "result", short_label(answer.label), question.id))
            y += child_span + ROW_GAP

    place(taxonomy.decision_tree[0], 0, 0.0, None, "")
    by_key = {b.key: b for b in boxes}
    width = max(b.depth for b in boxes) * COLUMN + BOX_WIDTH + 2
    drawing_height = max(b.y + b.height for b in boxes) + 2
    parts = [f'<svg class="tx-flowchart" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="-1 -1 {width} {drawing_height:.0f}" '
             f'width="{width}" role="img" aria-labelledby="tx-flowchart-title">',
             '<title id="tx-flowchart-title">Flowchart of the decision tree: each question box links to its step '
             'in the outline, each result box to its entry.</title>']
    for box in sorted(boxes, key=lambda b: (b.depth, b.y)):
        if box.parent:
            parent = by_key[box.parent]
            x1, y1 = parent.depth * COLUMN + BOX_WIDTH, parent.y + parent.height / 2
            x2, y2 = box.depth * COLUMN, box.y + box.height / 2
            mid = (x1 + x2) / 2
            parts.append(f'<path class="tx-edge" d="M{x1},{y1:.1f} C{mid},{y1:.1f} {mid},{y2:.1f} {x2},{y2:.1f}"/>')
            parts.append(f'<text class="tx-edge-label" x="{x2 - 4}" y="{y2 - 4:.1f}" text-anchor="end">'
                         f'{escape(box.edge_label)}</text>')
    for box in sorted(boxes, key=lambda b: (b.depth, b.y)):
        x = box.depth * COLUMN
        parts.append(f'<a href="{escape(box.href)}" class="tx-node tx-{box.kind}">'
                     f'<rect x="{x}" y="{box.y:.1f}" width="{BOX_WIDTH}" height="{box.height}" rx="6"/>')
        for i, line in enumerate(box.lines):
            weight = ' font-weight="bold"' if box.kind == "question" and i == 0 else ""
            parts.append(f'<text x="{x + PADDING}" y="{box.y + PADDING + (i + 1) * LINE_HEIGHT - 3:.1f}"{weight}>'
                         f'{escape(line)}</text>')
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)
