"""Worked cases (`taxonomy_src/cases/<id>.md`): loading, validation, and the walk of each case through the tree.

A case is validated as strictly as an entry, with the loader's own readers and field validators, and its `path`
must still lead through the decision tree to its primary kind: the cases are the tree's test suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import checks, claims, locators, markup, pages
from .checks import choices, did_you_mean
from .crosscheck import Known, document_claims, inline_field, references, scaffold_text, too_long
from .decision import DecisionTree, walk
from .documents import Document, Fields, read_document
from .model import CASE_EVIDENCE, CLASSIFIABLE, KINDS, Case, DecisionNode, Illustration, PathStep, Release
from .problems import Checked, Problem, collect, display_path
from .schema import CASE_FILE, fields_of, markdown_of
from .urls import CASE_DIR
from .yamlsrc import Node, listing, type_name

CASES_DIR = "cases"
CASE_FIELDS = fields_of(CASE_FILE)
ILLUSTRATION_FIELDS = fields_of(CASE_FILE, "illustrates")
STEP_FIELDS = fields_of(CASE_FILE, "path")
REQUIRED_SECTIONS = ("case", "classification")
PAGE_ANCHORS = frozenset(pages.CASE.anchors)
FIX_PATH = "Fix: update the case's path, or the tree."


def load_cases(src: Path, root: Path, entries: dict[str, Document], known: Known, tree: DecisionTree,
               problems: list[Problem], source: str | None = None, coverage: bool = True,
               unlocated: frozenset[str] = frozenset()) -> list[Case]:
    """Load and validate every case; add leaf-coverage problems to the tree. No `cases/` folder: no cases.

    `unlocated` are the works a case may cite without a locator: the post and its copies, summaries and thread.
    Without a readable `source` (the post's key) no locator is required, rather than one per citation of the post.
    """
    folder = src / CASES_DIR
    if not folder.is_dir():
        return []
    cases: list[Case] = []
    failed = False
    kinds = {i: str(d.values.get("kind")) for i, d in entries.items()}
    questions = {q.id: q for q in tree.questions}
    for path, listed in listing(folder):
        if path.name.startswith("."):
            continue
        if path.suffix != ".md" or not listed.is_file():
            problems.append(Problem(display_path(path, root), 1, f"not a case file (got {path.name!r}). Fix: cases "
                                                                 "are '<id>.md' files; move or rename it."))
            failed = True
            continue
        document = read_document(path, root, None, case_fields)
        mine = [Problem(document.shown, line, message) for line, message in document.findings]
        illustrations = collect(document.shown, _check_case(document, entries, kinds, known, source,
                                                             unlocated | ({source} if source else set())), mine)
        if not mine and illustrations is not None and set(CASE_FIELDS) <= {*document.values, "illustrates"} \
                and all(v is not None for v in document.values.values()):
            case = collect(document.shown, _case(document, illustrations, tree, questions), mine)
            if case is not None:
                cases.append(case)
        problems.extend(mine)
        failed = failed or bool(mine)
    if coverage and not failed and tree.questions:
        problems.extend(_uncovered_leaves(src, root, tree, cases))
    return cases


def case_fields(node: Node) -> Checked[Fields]:
    """A case's front matter: the fields that can be checked without other files."""
    assert isinstance(node.value, dict)
    written = node.value
    for name in written:
        if name not in CASE_FIELDS:
            yield node.key_line(name), checks.unknown_field(name, CASE_FIELDS)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for name in CASE_FIELDS:
        if name not in written:
            yield node.line, (f"missing required field '{name}' (got no '{name}:' line). Fix: add '{name}: ...'; "
                              "'make new-case' writes a complete file.")
        else:
            lines[name] = node.key_line(name)
    checks_by_field = {"id": checks.slug, "title": checks.text, "summary": checks.sentence, "evidence": _evidence,
                       "from_post": _flag, "path": _steps}
    for name, check in checks_by_field.items():
        if name in written:
            values[name] = yield from check(written[name], name)
    return values, lines, dict(written)


def _check_case(document: Document, entries: dict[str, Document], kinds: dict[str, str], known: Known,
                source: str | None, unlocated: frozenset[str]) -> Checked[tuple[Illustration, ...] | None]:
    """A case checked against the entries and the bibliography; the kinds it illustrates."""
    values, path = document.values, document.path
    if values.get("id") in pages.taken(CASE_DIR):
        yield document.lines["id"], (f"'{values['id']}' is reserved for a page the site generates (got 'id: "
                                     f"{values['id']}'). Fix: choose another id, and name the file after it.")
    elif values.get("id") and values["id"] != path.stem:
        yield document.lines["id"], (f"id must equal the file name (got id '{values['id']}' in '{path.name}'). "
                                     f"Fix: rename the file to '{values['id']}.md' or set 'id: {path.stem}'.")
    if isinstance(values.get("id"), str):
        yield from too_long("'id'", values["id"], (pages.CASE.path_of(values["id"]),), document.lines["id"])
    illustrations = None
    if "illustrates" in document.nodes:
        illustrations = yield from _illustrations(document.nodes["illustrates"], document.lines["illustrates"],
                                                  kinds, known, unlocated if source else None)
    yield from references(document, known, entries)
    for cite in document.scan.citations:
        if source and cite.detail is None and cite.target not in unlocated and not known.unknown_key(cite.target):
            yield cite.line, locators.missing(cite.target, f"[@{cite.target}]")
    yield from scaffold_text(document)
    yield from _sections(document)
    if illustrations is not None:
        yield from _claims(document, illustrations)[1]
    if values.get("from_post") and source and source not in {c.target for c in document.scan.citations}:
        yield document.lines["from_post"], (f"a case marked 'from_post: true' must cite the post in its body (got "
                                            f"no [@{source}]). Fix: cite where the post gives this example, or set "
                                            "'from_post: false'.")
    return illustrations


def _case(document: Document, illustrations: tuple[Illustration, ...], tree: DecisionTree,
          questions: dict[str, DecisionNode]) -> Checked[Case | None]:
    """A valid case, once its path through the tree is checked."""
    values = document.values
    result = yield from _walk_case(document, illustrations, tree, questions)
    if result is None:
        return None
    citations = [(c.target, c.detail) for i in illustrations for c in markup.scan_inline(i.why, 1).citations] + \
        [(c.target, c.detail) for c in document.scan.citations]
    cited = [key for key, _ in citations]
    return Case(
        id=str(values["id"]), title=str(values["title"]), summary=str(values["summary"]),
        illustrates=illustrations, evidence=str(values["evidence"]), from_post=bool(values["from_post"]),
        path=values["path"], result=result, body=document.body, path_file=document.shown,
        body_line=document.body_line, sections=tuple(document.scan.sections), cited=tuple(dict.fromkeys(cited)),
        citations=tuple(dict.fromkeys((key, locator.strip() if locator else None) for key, locator in citations)),
        claims=tuple(_claims(document, illustrations)[0]))


def _evidence(node: Node, name: str) -> Checked[str | None]:
    return (yield from checks.choice(node, name, CASE_EVIDENCE))


def _flag(node: Node, name: str) -> Checked[bool | None]:
    if not isinstance(node.value, bool):
        yield node.line, (f"'{name}' must be true or false (got {type_name(node.value)} {node.value!r}). "
                          f"Fix: write '{name}: false' unless the post itself gives this example.")
        return None
    return node.value


def _items(node: Node, name: str, fields: tuple[str, ...],
           required: tuple[str, ...]) -> Checked[list[tuple[Node, dict[str, Node]]] | None]:
    """A non-empty list of mappings with known fields, or None after reporting why not."""
    if not isinstance(node.value, list) or not node.value:
        yield node.line, (f"'{name}' must be a non-empty list (got {type_name(node.value)} {node.plain()!r}). "
                          f"Fix: write one '- {{{', '.join(f'{f}: ...' for f in required)}}}' per item.")
        return None
    found: list[tuple[Node, dict[str, Node]]] = []
    for item in node.value:
        checked = yield from checks.record(item, f"an item of '{name}'", fields, required)
        if checked is not None:
            found.append((item, checked))
    return found


def _illustrations(node: Node, key_line: int, kinds: dict[str, str], known: Known,
                   unlocated: frozenset[str] | None) -> Checked[tuple[Illustration, ...] | None]:
    """The kinds a case illustrates; `unlocated` None when the post is unknown, so no locator can be required."""
    items = yield from _items(node, "illustrates", ILLUSTRATION_FIELDS, ("kind", "why"))
    if items is None or not isinstance(node.value, list):
        return None
    found: list[Illustration] = []
    for item, fields in items:
        kind = fields["kind"].value
        broken = isinstance(kind, str) and kind in kinds and kinds[kind] not in KINDS  # reported in its own file
        if not broken and (not isinstance(kind, str) or kinds.get(kind) not in CLASSIFIABLE):
            what = f", a {kinds[kind]}" if isinstance(kind, str) and kind in kinds else ""
            allowed = sorted(i for i, k in kinds.items() if k in CLASSIFIABLE)
            yield fields["kind"].line, (f"'kind' must be a failure mode or category (got {kind!r}{what}). "
                                        f"Fix: use one of {choices(allowed)}{did_you_mean(str(kind), allowed)}.")
            continue
        if any(f.kind == kind for f in found):
            yield fields["kind"].line, f"kind '{kind}' is listed twice (got it twice). Fix: keep one item."
            continue
        why = yield from checks.text(fields["why"], "why")
        if why is None:
            continue
        for name, _ in markdown_of(CASE_FILE, "illustrates"):
            if not (yield from inline_field(str(fields[name].value), fields[name].line, CASE_FILE, known)):
                why = None
        if why is None:
            continue
        for cite in markup.scan_inline(why, fields["why"].line).citations:
            if cite.detail is None and unlocated is not None and cite.target not in unlocated:
                yield fields["why"].line, locators.missing(cite.target, f"[@{cite.target}]")
        primary = (yield from _flag(fields["primary"], "primary")) if "primary" in fields else False
        found.append(Illustration(str(kind), " ".join(why.split()), bool(primary), item.line, fields["why"].line))
    primaries = [f for f in found if f.primary]
    if len(found) == len(node.value) and len(primaries) != 1:  # a dropped item may be the primary one
        yield key_line, (f"exactly one kind must be 'primary: true' (got {len(primaries)}). Fix: mark the kind "
                         "this case is chiefly an example of; the others say what else it illustrates.")
        return None
    return tuple(found)


def _steps(node: Node, name: str) -> Checked[tuple[PathStep, ...] | None]:
    items = yield from _items(node, name, STEP_FIELDS, STEP_FIELDS)
    if items is None:
        return None
    steps: list[PathStep] = []
    for item, fields in items:
        question, answer = fields["question"].value, fields["answer"].value
        if not isinstance(question, str) or not markup.SLUG.fullmatch(question):
            yield fields["question"].line, (f"'question' must be a question id such as 'q1' (got {question!r}). "
                                            "Fix: use an id from taxonomy_src/decision-tree.yaml.")
            continue
        if not isinstance(answer, str) or not answer.strip():
            yield fields["answer"].line, (f"'answer' must be text (got {type_name(answer)} {answer!r}). Fix: "
                                          "quote it, e.g. 'answer: \"Yes\"' (YAML reads a bare Yes or No as "
                                          "true or false).")
            continue
        steps.append(PathStep(question, answer.strip(), item.line))
    return tuple(steps) if len(steps) == len(items) else None


def _sections(document: Document) -> Checked[None]:
    present = [s.id for s in document.scan.sections if s.level == 2]
    for heading in document.scan.sections:
        if heading.id in PAGE_ANCHORS:
            yield heading.line, (f"heading anchor '{heading.id}' is reserved for a generated section of case "
                                 "pages. Fix: choose another id.")
    for required in REQUIRED_SECTIONS:
        if required not in present:
            yield document.body_line, (f"a case needs a section with id '{required}' (got sections: "
                                       f"{', '.join(present) or 'none'}). Fix: add '## <Title> {{#{required}}}'.")


def _claims(document: Document, illustrations: tuple[Illustration, ...]
            ) -> tuple[list[claims.Claim], list[tuple[int, str]]]:
    """A case's claim markers, in its body and its reasons, exactly as an entry's, and what is wrong with them."""
    return document_claims(document, [(i.why, i.why_line, "illustrates") for i in illustrations], PAGE_ANCHORS)


def _walk_case(document: Document, illustrations: tuple[Illustration, ...], tree: DecisionTree,
               questions: dict[str, DecisionNode]) -> Checked[str | None]:
    """The result the case's path reaches, after checking it is the primary kind or an outcome listing it."""
    line = document.lines["path"]
    if not tree.questions:
        return None  # the tree could not be read: its own problems are reported, walking it would only repeat them
    steps: tuple[PathStep, ...] = document.values["path"]
    primary = next(i.kind for i in illustrations if i.primary)
    trail = walk(tree.questions, [(s.question, s.answer) for s in steps], questions)
    shown = "→".join(trail.asked) or "(none)"
    if trail.problem or trail.result is None:
        yield line, f"{trail.problem}. {FIX_PATH}"
        return None
    outcome = next((o for o in tree.outcomes if o.id == trail.result), None)
    if trail.result != primary and (outcome is None or primary not in outcome.candidates):
        yield line, (f"the decision tree now sends this case to {trail.result} (path {shown}), but the case's "
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


def check_case_counts(documents: dict[str, Document], releases: tuple[Release, ...], cases: list[Case],
                      minimum: int) -> list[Problem]:
    """Every failure mode in a released version has at least `minimum` cases with it as their primary kind.

    A failure mode listed only in the upcoming (undated) release is not held to it yet, so a new entry can be
    added before its cases; `make release` refuses to date the release until they exist.
    """
    released = {r.version: r for r in releases if r.released}
    first: dict[str, str] = {}
    for release in released.values():
        for entry_id in (*release.added, *(to for _, to in release.renamed)):
            first.setdefault(entry_id, release.version)
    found = []
    for entry_id, document in sorted(documents.items()):
        values = document.values
        names = [entry_id, *values.get("former_ids", ())]  # a renamed entry stays released under its new id
        version = next((first[n] for n in names if n in first), None)
        if values.get("kind") != "failure-mode" or values.get("status") != "active" or version is None:
            continue
        mine = sorted(c.id for c in cases if c.primary == entry_id)
        if len(mine) < minimum:
            found.append(Problem(document.shown, document.lines.get("kind", 1), (
                f"failure mode '{entry_id}' is in released version {version} but has {len(mine)} worked "
                f"case(s) with it as their primary kind (got {', '.join(mine) or 'none'}). Fix: add cases whose "
                f"primary kind is {entry_id} ('make new-case ID=... KIND={entry_id}') until there are {minimum}, "
                "the minimum that 'cases_per_failure_mode' in taxonomy.yaml sets.")))
    return found
