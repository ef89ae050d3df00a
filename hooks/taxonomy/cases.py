"""Worked cases (`taxonomy_src/cases/<id>.md`): loading, validation, and the walk of each case through the tree.

A case is validated as strictly as an entry, with the loader's own readers and field validators, and its `path`
must still lead through the decision tree to its primary kind: the cases are the tree's test suite.
"""

from __future__ import annotations

from pathlib import Path

from . import markup
from .decision import DecisionTree, walk
from .loader import (
    Report,
    _check_references,
    _choices,
    _did_you_mean,
    _EntryDraft,
    _front_matter,
    _Known,
    _sentence,
    _slug,
    _text,
)
from .model import CASE_EVIDENCE, KINDS, Case, Illustration, PathStep, Work
from .problems import Problem, display_path
from .yamlsrc import Node, type_name

CASES_DIR = "cases"
CASE_FIELDS = ("id", "title", "summary", "illustrates", "evidence", "from_post", "path")
ILLUSTRATION_FIELDS = ("kind", "why", "primary")
STEP_FIELDS = ("question", "answer")
REQUIRED_SECTIONS = ("case", "classification")
PAGE_ANCHORS = frozenset({"illustrates", "path", "references", "cited-by"})
ILLUSTRATABLE = ("failure-mode", "category")
FIX_PATH = "Fix: update the case's path, or the tree."


def load_cases(src: Path, root: Path, entries: dict[str, _EntryDraft], works: dict[str, Work], tree: DecisionTree,
               problems: list[Problem], source: str | None = None, coverage: bool = True) -> list[Case]:
    """Load and validate every case; add leaf-coverage problems to the tree. No `cases/` folder: no cases."""
    folder = src / CASES_DIR
    if not folder.is_dir():
        return []
    cases: list[Case] = []
    failed = False
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".md" or not path.is_file():
            problems.append(Problem(display_path(path, root), 1, f"not a case file (got {path.name!r}). Fix: cases "
                                                                 "are '<id>.md' files; move or rename it."))
            failed = True
            continue
        draft, case = _read_case(path, root, entries, works, tree, source)
        problems.extend(draft.source.report.problems)
        failed = failed or bool(draft.source.report.problems)
        if case is not None:
            cases.append(case)
    if coverage and not failed and tree.questions:
        problems.extend(_uncovered_leaves(src, root, tree, cases))
    return cases


def _read_case(path: Path, root: Path, entries: dict[str, _EntryDraft], works: dict[str, Work], tree: DecisionTree,
               source: str | None) -> tuple[_EntryDraft, Case | None]:
    draft, node = _front_matter(path, root)
    report = draft.source.report
    if node is None:
        return draft, None
    if not isinstance(node.value, dict):
        report.add(node.line, f"front matter must be a mapping of fields (got {type_name(node.value)}). "
                              "Fix: write one 'field: value' per line.")
        return draft, None
    fields = node.value
    for name in fields:
        if name not in CASE_FIELDS:
            report.add(node.key_line(name), f"unknown field '{name}' (got '{name}'). Fix: remove it or use one of "
                                            f"{_choices(CASE_FIELDS)}{_did_you_mean(name, CASE_FIELDS)}.")
    for name in CASE_FIELDS:
        if name not in fields:
            report.add(1, f"missing required field '{name}' (got no '{name}:' line). Fix: add '{name}: ...'; "
                          "'make new-case' writes a complete file.")
        else:
            draft.lines[name] = node.key_line(name) + report.offset
    values = draft.values
    if "id" in fields:
        values["id"] = _slug(fields["id"], "id", report)
        if values["id"] and values["id"] != path.stem:
            report.add(fields["id"].line, f"id must equal the file name (got id '{values['id']}' in '{path.name}'). "
                                          f"Fix: rename the file to '{values['id']}.md' or set 'id: {path.stem}'.")
    if "title" in fields:
        values["title"] = _text(fields["title"], "title", report)
    if "summary" in fields:
        values["summary"] = _sentence(fields["summary"], "summary", report)
    if "evidence" in fields:
        values["evidence"] = _evidence(fields["evidence"], report)
    if "from_post" in fields:
        values["from_post"] = _flag(fields["from_post"], "from_post", report)
    if "illustrates" in fields:
        values["illustrates"] = _illustrations(fields["illustrates"], node.key_line("illustrates"), entries, works,
                                               report)
    if "path" in fields:
        values["path"] = _steps(fields["path"], report)
    _check_references(draft, _Known(works, frozenset(works), (), None, {}), entries)
    _check_sections(draft)
    if values.get("from_post") and source and source not in {c.target for c in draft.scan.citations}:
        report.at(draft.lines["from_post"], f"a case marked 'from_post: true' must cite the post in its body (got "
                                            f"no [@{source}]). Fix: cite where the post gives this example, or set "
                                            "'from_post: false'.")
    if report.problems or not set(CASE_FIELDS) <= values.keys() or any(v is None for v in values.values()):
        return draft, None
    result = _walk_case(draft, tree)
    if result is None:
        return draft, None
    illustrations: list[Illustration] = values["illustrates"]
    cited = [c.target for c in draft.scan.citations] + [m.group(1) for i in illustrations
                                                         for m in markup.CITATION.finditer(i.why)]
    return draft, Case(
        id=str(values["id"]), title=str(values["title"]), summary=str(values["summary"]),
        illustrates=tuple(illustrations), evidence=str(values["evidence"]), from_post=bool(values["from_post"]),
        path=tuple(values["path"]), result=result, body=draft.body, path_file=draft.source.shown,
        body_line=draft.body_line, sections=tuple(draft.scan.sections), cited=tuple(dict.fromkeys(cited)))


def _evidence(node: Node, report: Report) -> str | None:
    if node.value not in CASE_EVIDENCE:
        report.add(node.line, f"'evidence' must be one of {_choices(CASE_EVIDENCE)} (got {node.value!r}). "
                              f"Fix: pick one{_did_you_mean(str(node.value), CASE_EVIDENCE)}.")
        return None
    return str(node.value)


def _flag(node: Node, name: str, report: Report) -> bool | None:
    if not isinstance(node.value, bool):
        report.add(node.line, f"'{name}' must be true or false (got {type_name(node.value)} {node.value!r}). "
                              f"Fix: write '{name}: false' unless the post itself gives this example.")
        return None
    return node.value


def _items(node: Node, name: str, fields: tuple[str, ...], required: tuple[str, ...],
           report: Report) -> list[tuple[Node, dict[str, Node]]] | None:
    """A non-empty list of mappings with known fields, or None after reporting why not."""
    if not isinstance(node.value, list) or not node.value:
        report.add(node.line, f"'{name}' must be a non-empty list (got {type_name(node.value)} {node.plain()!r}). "
                              f"Fix: write one '- {{{', '.join(f'{f}: ...' for f in required)}}}' per item.")
        return None
    found: list[tuple[Node, dict[str, Node]]] = []
    for item in node.value:
        if not isinstance(item.value, dict):
            report.add(item.line, f"an item of '{name}' must be a mapping (got {type_name(item.value)} "
                                  f"{item.plain()!r}). Fix: write '- {{{', '.join(f'{f}: ...' for f in required)}}}'.")
            continue
        for key in item.value:
            if key not in fields:
                report.add(item.key_line(key), f"unknown field '{key}' in '{name}' (got '{key}'). Fix: use "
                                               f"{_choices(fields)}{_did_you_mean(key, fields)}.")
        missing = [f for f in required if f not in item.value]
        if missing:
            report.add(item.line, f"an item of '{name}' is missing {', '.join(missing)} (got "
                                  f"{', '.join(item.value) or 'nothing'}). Fix: add '{missing[0]}: ...'.")
            continue
        found.append((item, item.value))
    return found


def _illustrations(node: Node, key_line: int, entries: dict[str, _EntryDraft], works: dict[str, Work],
                   report: Report) -> list[Illustration] | None:
    items = _items(node, "illustrates", ILLUSTRATION_FIELDS, ("kind", "why"), report)
    if items is None or not isinstance(node.value, list):
        return None
    kinds = {i: str(d.values.get("kind")) for i, d in entries.items()}
    allowed = sorted(i for i, k in kinds.items() if k in ILLUSTRATABLE)
    found: list[Illustration] = []
    for item, fields in items:
        kind = fields["kind"].value
        broken = isinstance(kind, str) and kind in kinds and kinds[kind] not in KINDS  # reported in its own file
        if not broken and (not isinstance(kind, str) or kinds.get(kind) not in ILLUSTRATABLE):
            what = f", a {kinds[kind]}" if isinstance(kind, str) and kind in kinds else ""
            report.add(fields["kind"].line, f"'kind' must be a failure mode or category (got {kind!r}{what}). "
                                            f"Fix: use one of {_choices(allowed)}{_did_you_mean(str(kind), allowed)}.")
            continue
        if any(f.kind == kind for f in found):
            report.add(fields["kind"].line, f"kind '{kind}' is listed twice (got it twice). Fix: keep one item.")
            continue
        why = _text(fields["why"], "why", report)
        if why is None:
            continue
        for m in markup.CITATION.finditer(why):
            if m.group(1) not in works:
                report.add(fields["why"].line, f"unknown citation key '{m.group(1)}' (got '{m.group(0)}'). Fix: use "
                                               f"a key from taxonomy_src/bibliography.yaml"
                                               f"{_did_you_mean(m.group(1), list(works))} or add the work there.")
        primary = _flag(fields["primary"], "primary", report) if "primary" in fields else False
        found.append(Illustration(str(kind), " ".join(why.split()), bool(primary), item.line + report.offset))
    primaries = [f for f in found if f.primary]
    if len(found) == len(node.value) and len(primaries) != 1:  # a dropped item may be the primary one
        report.add(key_line, f"exactly one kind must be 'primary: true' (got {len(primaries)}). Fix: mark the kind "
                              "this case is chiefly an example of; the others say what else it illustrates.")
        return None
    return found


def _steps(node: Node, report: Report) -> list[PathStep] | None:
    items = _items(node, "path", STEP_FIELDS, STEP_FIELDS, report)
    if items is None:
        return None
    steps: list[PathStep] = []
    for item, fields in items:
        question, answer = fields["question"].value, fields["answer"].value
        if not isinstance(question, str) or not markup.SLUG.match(question):
            report.add(fields["question"].line, f"'question' must be a question id such as 'q1' (got {question!r}). "
                                                "Fix: use an id from taxonomy_src/decision-tree.yaml.")
            continue
        if not isinstance(answer, str) or not answer.strip():
            report.add(fields["answer"].line, f"'answer' must be text (got {type_name(answer)} {answer!r}). Fix: "
                                              "quote it, e.g. 'answer: \"Yes\"' (YAML reads a bare Yes or No as "
                                              "true or false).")
            continue
        steps.append(PathStep(question, answer.strip(), item.line + report.offset))
    return steps if len(steps) == len(items) else None


def _check_sections(draft: _EntryDraft) -> None:
    present = [s.id for s in draft.scan.sections if s.level == 2]
    for heading in draft.scan.sections:
        if heading.id in PAGE_ANCHORS:
            draft.source.report.at(heading.line, f"heading anchor '{heading.id}' is reserved for a generated section "
                                                 "of case pages. Fix: choose another id.")
    for required in REQUIRED_SECTIONS:
        if required not in present:
            draft.source.report.at(draft.body_line, f"a case needs a section with id '{required}' (got sections: "
                                                    f"{', '.join(present) or 'none'}). "
                                                    f"Fix: add '## <Title> {{#{required}}}'.")


def _walk_case(draft: _EntryDraft, tree: DecisionTree) -> str | None:
    """The result the case's path reaches, after checking it is the primary kind or an outcome listing it."""
    report, line = draft.source.report, draft.lines["path"]
    if not tree.questions:
        return None  # the tree could not be read: its own problems are reported, walking it would only repeat them
    steps: list[PathStep] = draft.values["path"]
    primary = next(i.kind for i in draft.values["illustrates"] if i.primary)
    trail = walk(tree.questions, [(s.question, s.answer) for s in steps])
    shown = "→".join(trail.asked) or "(none)"
    if trail.problem or trail.result is None:
        report.at(line, f"{trail.problem}. {FIX_PATH}")
        return None
    outcome = next((o for o in tree.outcomes if o.id == trail.result), None)
    if trail.result != primary and (outcome is None or primary not in outcome.candidates):
        report.at(line, f"the decision tree now sends this case to {trail.result} (path {shown}), but the case's "
                        f"primary kind is {primary}. {FIX_PATH}")
        return None
    return trail.result


def _uncovered_leaves(src: Path, root: Path, tree: DecisionTree, cases: list[Case]) -> list[Problem]:
    """Every answer that ends the walk must be the last answer of at least one case's path."""
    reached = {(c.path[-1].question, c.path[-1].answer) for c in cases if c.path}
    shown = display_path(src / "decision-tree.yaml", root)
    found = []
    for question in tree.questions:
        for answer in question.answers:
            if answer.next is None and (question.id, answer.key) not in reached:
                found.append(Problem(shown, answer.line, f"no case reaches this result (got no case whose path ends "
                                                         f"with {question.id}: '{answer.key}' → {answer.result}). "
                                                         "Fix: add a case whose path ends here ('make new-case'), "
                                                         "or change the tree; the cases are its tests."))
    return found
