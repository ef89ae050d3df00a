"""The decision tree ("which failure mode is this?"): loading and validation."""

from __future__ import annotations

from pathlib import Path

from . import markup
from .model import Answer, DecisionNode
from .problems import Problem, display_path
from .yamlsrc import Node, YamlProblem, parse_yaml, type_name

DECISION_TREE = "decision-tree.yaml"
QUESTION_FIELDS = ("id", "question", "help", "answers")
ANSWER_FIELDS = ("label", "next", "entry")


class _Problems:
    """Collects problems for the tree file."""

    def __init__(self, shown: str, problems: list[Problem], former: dict[str, str]) -> None:
        self.shown = shown
        self.problems = problems
        self.former = former

    def unknown_entry_fix(self, entry_id: str) -> str:
        """How to fix a reference to an id that is not an entry."""
        if entry_id in self.former:
            return f"'{entry_id}' is a former id of {self.former[entry_id]}; use '{self.former[entry_id]}'"
        return "use an existing id"

    def add(self, line: int, message: str) -> None:
        """Record a problem at a file line."""
        self.problems.append(Problem(self.shown, line, message))


def load_tree(src: Path, root: Path, known: dict[str, str], problems: list[Problem],
              former: dict[str, str] | None = None) -> tuple[DecisionNode, ...]:
    """Load and validate `decision-tree.yaml` against the known entry ids (id -> kind); root question first.

    `former` maps former ids to the entries that carry them now, so that a stale id gets the right fix.
    """
    path = src / DECISION_TREE
    report = _Problems(display_path(path, root), problems, former or {})
    if not path.exists():
        report.add(1, f"required file is missing (got no {DECISION_TREE}). Fix: create it.")
        return ()
    try:
        node = parse_yaml(path.read_text("utf-8"))
    except YamlProblem as exc:
        report.add(exc.line, exc.message)
        return ()
    except UnicodeDecodeError:
        report.add(1, "file is not valid UTF-8 (got undecodable bytes). Fix: save it with UTF-8 encoding.")
        return ()
    if node is None or not isinstance(node.value, dict) or {"root", "questions"} - node.value.keys():
        got = sorted(node.value) if node and isinstance(node.value, dict) else type_name(node and node.value)
        report.add(1, f"the tree needs 'root' and 'questions' (got {got}). "
                      "Fix: write 'root: <question id>' and a 'questions:' list.")
        return ()
    for key in node.value.keys() - {"root", "questions"}:
        report.add(node.key_line(key), f"unknown field '{key}' (got '{key}'). Fix: remove it; use root, questions.")
    questions = _questions(node.value["questions"], report, known)
    root_node = node.value["root"]
    by_id = {q.id: q for q in questions}
    if root_node.value not in by_id:
        report.add(root_node.line, f"'root' is not a question id (got {root_node.value!r}). "
                                   f"Fix: use one of {', '.join(by_id) or '(no valid questions)'}.")
        return ()
    _check_structure(str(root_node.value), by_id, report, known)
    ordered = [by_id[str(root_node.value)]] + [q for q in questions if q.id != root_node.value]
    return tuple(ordered)


def _questions(node: Node, report: _Problems, known: dict[str, str]) -> list[DecisionNode]:
    if not isinstance(node.value, list):
        report.add(node.line, f"'questions' must be a list (got {type_name(node.value)}). "
                              "Fix: start each with '- id:'.")
        return []
    found: list[DecisionNode] = []
    for item in node.value:
        if not isinstance(item.value, dict):
            report.add(item.line, f"a question must be a mapping (got {type_name(item.value)}). "
                                  "Fix: give it id, question, help and answers.")
            continue
        fields = item.value
        for key in fields.keys() - set(QUESTION_FIELDS):
            report.add(item.key_line(key), f"unknown question field '{key}' (got '{key}'). "
                                           f"Fix: use {', '.join(QUESTION_FIELDS)}.")
        missing = [f for f in QUESTION_FIELDS if f not in fields]
        if missing:
            report.add(item.line, f"question is missing {', '.join(missing)} (got {', '.join(fields) or 'nothing'}). "
                                  "Fix: add the missing fields.")
            continue
        qid = fields["id"].value
        if not isinstance(qid, str) or not markup.SLUG.match(qid):
            report.add(fields["id"].line, f"question id must be a lowercase slug (got {qid!r}). Fix: e.g. 'q7'.")
            continue
        if any(q.id == qid for q in found):
            report.add(fields["id"].line, f"duplicate question id '{qid}' (got it twice). Fix: rename one.")
            continue
        texts = {}
        for name in ("question", "help"):
            value = fields[name].value
            if not isinstance(value, str) or not value.strip():
                report.add(fields[name].line, f"'{name}' must be non-empty text (got {value!r}). Fix: write it.")
            texts[name] = " ".join(str(value).split())
        _check_help(texts["help"], fields["help"].line, report, known)
        answers = _answers(fields["answers"], qid, report)
        found.append(DecisionNode(qid, texts["question"], texts["help"], tuple(answers), item.line))
    return found


def _check_help(text: str, line: int, report: _Problems, known: dict[str, str]) -> None:
    scan = markup.scan_body(text, line)
    for problem_line, message in scan.problems:
        report.add(problem_line, message)
    for link in scan.links:
        if link.target not in known:
            report.add(line, f"help links to an unknown entry (got '[[{link.target}]]'). "
                             f"Fix: {report.unknown_entry_fix(link.target)}.")


def _answers(node: Node, qid: str, report: _Problems) -> list[Answer]:
    if not isinstance(node.value, list) or len(node.value) < 2:
        count = len(node.value) if isinstance(node.value, list) else type_name(node.value)
        report.add(node.line, f"question '{qid}' needs at least two answers (got {count}). Fix: add answers.")
        return []
    answers: list[Answer] = []
    for item in node.value:
        fields = item.value if isinstance(item.value, dict) else {}
        for key in fields.keys() - set(ANSWER_FIELDS):
            report.add(item.key_line(key), f"unknown answer field '{key}' (got '{key}'). Fix: use label, next, entry.")
        label = fields.get("label")
        targets = [k for k in ("next", "entry") if k in fields]
        if label is None or not isinstance(label.value, str) or len(targets) != 1:
            report.add(item.line, f"an answer needs a 'label' and exactly one of 'next' or 'entry' (got "
                                  f"{', '.join(fields) or type_name(item.value)}). "
                                  "Fix: e.g. '- {label: Yes, next: q2}'.")
            continue
        target = fields[targets[0]]
        answers.append(Answer(label.value, next=str(target.value) if targets[0] == "next" else None,
                              entry=str(target.value) if targets[0] == "entry" else None, line=target.line))
    return answers


def _check_structure(root: str, by_id: dict[str, DecisionNode], report: _Problems, known: dict[str, str]) -> None:
    for question in by_id.values():
        for answer in question.answers:
            if answer.next is not None and answer.next not in by_id:
                report.add(answer.line, f"question '{question.id}' leads to an unknown question "
                                          f"(got next: {answer.next}). Fix: use one of {', '.join(by_id)}.")
            if answer.entry is not None and answer.entry not in known:
                fix = report.unknown_entry_fix(answer.entry).replace("existing id", "existing entry id")
                report.add(answer.line, f"question '{question.id}' leads to an unknown entry "
                                        f"(got entry: {answer.entry}). Fix: {fix}.")
    reached_questions: set[str] = set()
    reached_entries: set[str] = set()
    stack: list[tuple[str, tuple[str, ...]]] = [(root, ())]
    while stack:
        current, path = stack.pop()
        if current in path:
            report.add(by_id[current].line, f"the tree loops back to question '{current}' "
                                            f"(got the path {' -> '.join(path + (current,))}). "
                                            "Fix: every answer must lead further down the tree.")
            continue
        if current in reached_questions:
            continue
        reached_questions.add(current)
        for answer in by_id[current].answers:
            if answer.entry:
                reached_entries.add(answer.entry)
            elif answer.next in by_id:
                stack.append((answer.next, path + (current,)))
    for qid, question in by_id.items():
        if qid not in reached_questions:
            report.add(question.line, f"question '{qid}' cannot be reached from the root '{root}' "
                                      "(got no answer leading to it). Fix: link it from an answer or remove it.")
    for entry_id, kind in known.items():
        if kind == "failure-mode" and entry_id not in reached_entries:
            report.add(1, f"failure mode '{entry_id}' is not a result of any path (got no answer with "
                          f"'entry: {entry_id}'). "
                          f"Fix: add an answer with 'entry: {entry_id}' to a question of the tree.")
