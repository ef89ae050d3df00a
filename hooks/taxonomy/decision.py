"""The decision tree ("which failure mode is this?"): loading and validation."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import checks, markup, pages
from .checks import did_you_mean, unknown_entry_fix
from .crosscheck import Known, inline_field
from .model import CLASSIFIABLE, KINDS, Answer, DecisionNode, Outcome, RetiredQuestion
from .problems import Checked, Problem, collect
from .schema import MAX_TREE_DEPTH, TREE_FILE, fields_of, markdown_of
from .yamlsrc import Node, type_name

DECISION_TREE = TREE_FILE
TREE_FIELDS = ("root", "questions", "outcomes", "retired")
QUESTION_FIELDS = fields_of(DECISION_TREE, "questions")
ANSWER_FIELDS = fields_of(DECISION_TREE, "questions.answers")
ANSWER_TARGETS = ("next", "entry", "outcome")
OUTCOME_FIELDS = fields_of(DECISION_TREE, "outcomes")
RETIRED_FIELDS = fields_of(DECISION_TREE, "retired")
PAGE_ANCHORS = frozenset(pages.DECISION_TREE.anchors)


@dataclass(frozen=True)
class DecisionTree:
    """The tree as loaded: questions (root first), outcomes with several candidates, and retired questions."""

    questions: tuple[DecisionNode, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    retired: tuple[RetiredQuestion, ...] = ()


@dataclass(frozen=True)
class Walk:
    """Where a sequence of answers leads: the questions asked, the result, or what stopped the walk."""

    asked: tuple[str, ...]
    result: str | None
    problem: str | None = None


def walk(questions: Sequence[DecisionNode], steps: Sequence[tuple[str, str]],
         by_id: Mapping[str, DecisionNode] | None = None) -> Walk:
    """Follow (question id, answer key) steps from the root question (there must be one); report the first step
    that does not fit. `by_id` is the questions by id, for callers that walk many paths through one tree."""
    by_id = by_id if by_id is not None else {q.id: q for q in questions}
    current: str | None = questions[0].id
    asked: list[str] = []

    def trail() -> str:
        return "→".join(asked) or "(none)"

    for number, (question_id, answer_key) in enumerate(steps, 1):
        if current is None:
            break
        if question_id != current:
            return Walk(tuple(asked), None, f"the decision tree now asks {current} at step {number} "
                                            f"(got {question_id!r}, path {trail()})")
        asked.append(current)
        answers = {a.key: a for a in by_id[current].answers}
        answer = answers.get(answer_key)
        if answer is None:
            close = difflib.get_close_matches(answer_key, list(answers), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return Walk(tuple(asked), None, f"question {current} has no answer {answer_key!r} (got {answer_key!r}, "
                                            f"path {trail()}; its answers are {', '.join(answers)}{hint})")
        if answer.next is None:
            if number < len(steps):
                return Walk(tuple(asked), answer.result, f"the path goes on after the tree reached "
                                                         f"{answer.result} at step {number} (got "
                                                         f"{len(steps) - number} more step(s), path {trail()})")
            return Walk(tuple(asked), answer.result)
        current = answer.next
    return Walk(tuple(asked), None, f"the path stops at question {current} before reaching a result "
                                    f"(got {len(steps)} step(s), path {trail()})")


def load_decision_tree(src: Path, root: Path, known: dict[str, str], refs: Known,
                       problems: list[Problem]) -> DecisionTree:
    """Load and validate `decision-tree.yaml`: questions (root first), outcomes and retired questions.

    `known` gives each entry's kind by id; `refs` gives the works its texts may cite and the former ids (so that a
    stale id gets the right fix).
    """
    return collect(checks.shown(src, DECISION_TREE, root), _tree(src, root, known, refs), problems)


def _tree(src: Path, root: Path, known: dict[str, str], refs: Known) -> Checked[DecisionTree]:
    node = yield from checks.yaml_file(src, DECISION_TREE, root, "create it.")
    if node is None:
        return DecisionTree()
    if node is None or not isinstance(node.value, dict) or {"root", "questions"} - node.value.keys():
        got = sorted(node.value) if node and isinstance(node.value, dict) else type_name(node and node.value)
        yield (1, f"the tree needs 'root' and 'questions' (got {got}). "
                  "Fix: write 'root: <question id>' and a 'questions:' list.")
        return DecisionTree()
    for key in node.value.keys() - set(TREE_FIELDS):
        yield node.key_line(key), checks.unknown_field(key, TREE_FIELDS)
    questions = yield from _questions(node.value["questions"], known, refs)
    outcomes = yield from _outcomes(node.value.get("outcomes"), known, refs)
    retired = yield from _retired(node.value.get("retired"), known, refs)
    yield from _check_anchor_ids(questions, outcomes, retired)
    root_node = node.value["root"]
    by_id = {q.id: q for q in questions}
    if root_node.value not in by_id:
        yield (root_node.line, f"'root' is not a question id (got {root_node.value!r}). "
                               f"Fix: use one of {', '.join(by_id) or '(no valid questions)'}.")
        return DecisionTree()
    yield from _check_structure(str(root_node.value), by_id, known, refs.former, {o.id: o for o in outcomes})
    ordered = [by_id[str(root_node.value)]] + [q for q in questions if q.id != root_node.value]
    return DecisionTree(tuple(ordered), tuple(outcomes), tuple(retired))


def _questions(node: Node, known: dict[str, str], refs: Known) -> Checked[list[DecisionNode]]:
    if not isinstance(node.value, list):
        yield (node.line, f"'questions' must be a list (got {type_name(node.value)}). "
                          "Fix: start each with '- id:'.")
        return []
    found: list[DecisionNode] = []
    seen: set[str] = set()
    for item in node.value:
        fields = yield from checks.record(item, "a question", QUESTION_FIELDS)
        if fields is None:
            continue
        qid = fields["id"].value
        if not isinstance(qid, str) or not markup.SLUG.fullmatch(qid):
            yield (fields["id"].line, f"question id must be a lowercase slug (got {qid!r}). Fix: e.g. 'q7'.")
            continue
        if markup.is_reserved_anchor(qid) or qid in PAGE_ANCHORS:
            yield (fields["id"].line, f"question id '{qid}' is also an anchor the tree page makes itself (got "
                                      f"'id: {qid}'). Fix: choose another id, e.g. 'q{len(found) + 1}'.")
            continue
        if qid in seen:
            yield (fields["id"].line, f"duplicate question id '{qid}' (got it twice). Fix: rename one.")
            continue
        texts = {}
        for name in ("question", "help"):
            value = fields[name].value
            if not isinstance(value, str) or not value.strip():
                yield fields[name].line, checks.empty_text(name, value)
            yield from ((fields[name].line, m) for m in checks.plain_problems(str(value), name))
            texts[name] = " ".join(str(value).split())
        for name, _ in markdown_of(DECISION_TREE, "questions"):
            yield from inline_field(texts[name], fields[name].line, DECISION_TREE, refs)
        answers = yield from _answers(fields["answers"], qid)
        found.append(DecisionNode(qid, texts["question"], texts["help"], tuple(answers), item.line))
        seen.add(qid)
    return found


def _markdown(fields: dict[str, Node], record: str, refs: Known) -> Checked[None]:
    """The Markdown fields of an item of `record` that hold text, each checked as an entry body is."""
    for name, _ in markdown_of(DECISION_TREE, record):
        value = fields[name].value
        if isinstance(value, str) and value.strip():
            yield from inline_field(value, fields[name].line, DECISION_TREE, refs)


def _answers(node: Node, qid: str) -> Checked[list[Answer]]:
    if not isinstance(node.value, list) or len(node.value) < 2:
        count = len(node.value) if isinstance(node.value, list) else type_name(node.value)
        yield (node.line, f"question '{qid}' needs at least two answers (got {count}). Fix: add answers.")
        return []
    answers: list[Answer] = []
    for item in node.value:
        fields = item.value if isinstance(item.value, dict) else {}
        for key in fields.keys() - set(ANSWER_FIELDS):
            yield item.key_line(key), checks.unknown_field(key, ANSWER_FIELDS, " in an answer")
        label = fields.get("label")
        targets = [k for k in ANSWER_TARGETS if k in fields]
        if label is None or not isinstance(label.value, str) or len(targets) != 1:
            yield (item.line, f"an answer needs a 'label' and exactly one of 'next', 'entry' or 'outcome' (got "
                              f"{', '.join(fields) or type_name(item.value)}). "
                              "Fix: e.g. '- {label: Yes, next: q2}'.")
            continue
        yield from ((label.line, m) for m in checks.plain_problems(label.value, "label"))
        target = fields[targets[0]]
        value = str(target.value)
        answer = Answer(label.value, next=value if targets[0] == "next" else None,
                        entry=value if targets[0] == "entry" else None, line=target.line,
                        outcome=value if targets[0] == "outcome" else None)
        twin = next((a for a in answers if a.key == answer.key), None)
        if twin is not None:
            yield (item.line, f"two answers of question '{qid}' share the key '{answer.key}' (got "
                              f"{twin.label!r} and {answer.label!r}). Fix: start each label with different "
                              "words before its colon; case paths name answers by those words.")
        answers.append(answer)
    return answers


def _mapping_items(node: Node | None, name: str,
                   fields: tuple[str, ...]) -> Checked[list[tuple[int, dict[str, Node]]]]:
    """The items (line, fields) of an optional list of mappings, each checked for unknown and missing fields."""
    if node is None:
        return []
    if not isinstance(node.value, list):
        yield (node.line, f"'{name}' must be a list (got {type_name(node.value)}). Fix: start each with '- id:'.")
        return []
    found: list[tuple[int, dict[str, Node]]] = []
    for item in node.value:
        checked = yield from checks.record(item, f"an item of '{name}'", fields)
        if checked is not None:
            found.append((item.line, checked))
    return found


def _text_field(fields: dict[str, Node], name: str, plain: bool = True) -> Checked[str | None]:
    value = fields[name].value
    if not isinstance(value, str) or not value.strip():
        yield fields[name].line, checks.empty_text(name, value)
        return None
    if plain:
        yield from ((fields[name].line, m) for m in checks.plain_problems(value, name))
    return " ".join(value.split())


def _slug_field(fields: dict[str, Node]) -> Checked[str | None]:
    value = fields["id"].value
    if not isinstance(value, str) or not markup.SLUG.fullmatch(value):
        yield (fields["id"].line, f"id must be a lowercase slug (got {value!r}). Fix: e.g. 'cannot-tell'.")
        return None
    return value


def _outcomes(node: Node | None, known: dict[str, str], refs: Known) -> Checked[list[Outcome]]:
    found: list[Outcome] = []
    for line, fields in (yield from _mapping_items(node, "outcomes", OUTCOME_FIELDS)):
        outcome_id = yield from _slug_field(fields)
        title = yield from _text_field(fields, "title")
        help_text = yield from _text_field(fields, "help")
        yield from _markdown(fields, "outcomes", refs)
        candidates_node = fields["candidates"]
        candidates: list[str] = []
        if not isinstance(candidates_node.value, list) or len(candidates_node.value) < 2:
            yield (candidates_node.line, f"an outcome lists at least two candidate kinds (got "
                                         f"{candidates_node.plain()!r}). Fix: write 'candidates: [a, b]'.")
        else:
            for item in candidates_node.value:
                kind = known.get(str(item.value))
                if kind not in CLASSIFIABLE and (kind is None or kind in KINDS):
                    allowed = {i: k for i, k in known.items() if k in CLASSIFIABLE}
                    yield (item.line, f"candidate is not a failure mode or category (got {item.value!r}"
                                      f"{f', a {kind}' if kind else ''}). "
                                      f"Fix: use one of {', '.join(sorted(allowed)) or '(none)'}"
                                      f"{did_you_mean(str(item.value), allowed)}.")
                elif str(item.value) in candidates:
                    yield (item.line, f"candidate '{item.value}' is listed twice (got it twice). Fix: keep one.")
                else:
                    candidates.append(str(item.value))
        if outcome_id and title and help_text is not None:
            found.append(Outcome(outcome_id, title, tuple(candidates), help_text, line))
    return found


def _retired(node: Node | None, known: dict[str, str], refs: Known) -> Checked[list[RetiredQuestion]]:
    found: list[RetiredQuestion] = []
    for line, fields in (yield from _mapping_items(node, "retired", RETIRED_FIELDS)):
        question_id = yield from _slug_field(fields)
        question = yield from _text_field(fields, "question")
        note = yield from _text_field(fields, "note", plain=False)
        yield from _markdown(fields, "retired", refs)
        if question_id and question and note:
            found.append(RetiredQuestion(question_id, question, note, line))
    return found


def _check_anchor_ids(questions: list[DecisionNode], outcomes: list[Outcome],
                      retired: list[RetiredQuestion]) -> Checked[None]:
    """Questions, outcomes and retired questions share the page's anchors: each id once, none reserved."""
    seen = {q.id: "a question" for q in questions}
    items = [(o.id, o.line, "an outcome") for o in outcomes] + [(r.id, r.line, "a retired question") for r in retired]
    for item_id, line, what in items:
        if item_id in PAGE_ANCHORS or markup.is_reserved_anchor(item_id):
            yield (line, f"'{item_id}' is reserved for a section of the tree page (got id '{item_id}'). "
                         "Fix: choose another id.")
        elif item_id in seen:
            yield (line, f"id '{item_id}' is already used by {seen[item_id]} (got it again for {what}). "
                         "Fix: ids on the tree page are unique; a retired id is never reused.")
        seen.setdefault(item_id, what)


def _too_deep(root: str, by_id: dict[str, DecisionNode]) -> Checked[None]:
    """The first question (in file order) that a walk can reach only after more than MAX_TREE_DEPTH questions."""
    incoming = {qid: 0 for qid in by_id}
    for question in by_id.values():
        for answer in question.answers:
            if answer.next in incoming:
                incoming[answer.next] += 1
    depth = {root: 1}
    ready = [qid for qid, count in incoming.items() if count == 0]
    while ready:  # in topological order, so each question's depth is its longest walk from the root
        current = ready.pop()
        for answer in by_id[current].answers:
            if answer.next in incoming:
                if current in depth:
                    depth[answer.next] = max(depth.get(answer.next, 0), depth[current] + 1)
                incoming[answer.next] -= 1
                if incoming[answer.next] == 0:
                    ready.append(answer.next)
    deep = next((q for q in by_id.values() if depth.get(q.id, 0) > MAX_TREE_DEPTH), None)
    if deep is not None:
        yield (deep.line, f"question '{deep.id}' is asked after too many others (got {depth[deep.id]} questions "
                          f"on the longest walk to it, at most {MAX_TREE_DEPTH}). Fix: ask fewer questions in a "
                          "row; split a long chain into branches.")


def _check_structure(root: str, by_id: dict[str, DecisionNode], known: dict[str, str], former: Mapping[str, str],
                     outcomes: dict[str, Outcome]) -> Checked[None]:
    for question in by_id.values():
        for answer in question.answers:
            if answer.next is not None and answer.next not in by_id:
                yield (answer.line, f"question '{question.id}' leads to an unknown question "
                                      f"(got next: {answer.next}). Fix: use one of {', '.join(by_id)}.")
            if answer.entry is not None and answer.entry not in known:
                fix = unknown_entry_fix(answer.entry, (), former, instead="an existing entry id")
                yield (answer.line, f"question '{question.id}' leads to an unknown entry "
                                    f"(got entry: {answer.entry}). Fix: {fix}.")
            if answer.outcome is not None and answer.outcome not in outcomes:
                yield (answer.line, f"question '{question.id}' leads to an unknown outcome (got outcome: "
                                    f"{answer.outcome}). Fix: use one of {', '.join(outcomes) or '(none)'}"
                                    f"{did_you_mean(answer.outcome, outcomes)} or add it under "
                                    "'outcomes'.")
    reached_questions: set[str] = set()
    reached_entries: set[str] = set()
    stack: list[tuple[str, tuple[str, ...]]] = [(root, ())]
    while stack:
        current, path = stack.pop()
        if current in path:
            yield (by_id[current].line, f"the tree loops back to question '{current}' "
                                        f"(got the path {' -> '.join(path + (current,))}). "
                                        "Fix: every answer must lead further down the tree.")
            continue
        if current in reached_questions:
            continue
        reached_questions.add(current)
        for answer in by_id[current].answers:
            if answer.entry:
                reached_entries.add(answer.entry)
            elif answer.outcome:
                reached_entries.add(answer.outcome)
            elif answer.next in by_id:
                stack.append((answer.next, path + (current,)))
    yield from _too_deep(root, by_id)
    for qid, question in by_id.items():
        if qid not in reached_questions:
            yield (question.line, f"question '{qid}' cannot be reached from the root '{root}' "
                                  "(got no answer leading to it). Fix: link it from an answer or remove it.")
    for outcome in outcomes.values():
        if outcome.id not in reached_entries:
            yield (outcome.line, f"outcome '{outcome.id}' is not a result of any path (got no answer with "
                                 f"'outcome: {outcome.id}'). Fix: add such an answer, or remove the outcome.")
    for entry_id, kind in known.items():
        if kind == "failure-mode" and entry_id not in reached_entries:
            yield (1, f"failure mode '{entry_id}' is not a result of any path (got no answer with "
                      f"'entry: {entry_id}'). "
                      f"Fix: add an answer with 'entry: {entry_id}' to a question of the tree.")
