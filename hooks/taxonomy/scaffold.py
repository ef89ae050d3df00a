"""Scaffold a new entry file that passes validation, refusing ids that exist or ever existed."""

from __future__ import annotations

from pathlib import Path

from . import markup, pages
from .anchors import REGISTRY, read_registry
from .cases import CASES_DIR
from .entries import ENTRIES_DIR
from .loader import load
from .model import CLASSIFIABLE, KINDS, Taxonomy
from .problems import TaxonomyError
from .releases import ChangelogEditError, add_to_upcoming
from .schema import FIELDS, SCAFFOLD_PROMPTS
from .templating import Output, environment
from .urls import ENTRY_DIR
from .yamlsrc import Node


class ScaffoldError(Exception):
    """The entry cannot be created; the message says why and what to do."""


def used_ids(src: Path) -> set[str]:
    """Every id that is or was in use: current files, former ids and every registered entry page."""
    ids = {path.stem for path in (src / ENTRIES_DIR).glob("*.md")}
    for path in (src / ENTRIES_DIR).glob("*.md"):
        for line in path.read_text("utf-8", errors="replace").splitlines():
            if line.startswith("former_ids:"):
                ids.update(part.strip(" []'\"") for part in line.partition(":")[2].split(","))
    for _, address in read_registry(src / REGISTRY):
        parts = address.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == ENTRY_DIR:
            ids.add(parts[1])
    return ids - {""}


def _slug(name: str, value: str, example: str) -> None:
    """Refuse an argument that is not a whole lowercase slug (a trailing line break included)."""
    if not markup.SLUG.fullmatch(value or ""):
        raise ScaffoldError(f"{name} must be a lowercase slug such as '{example}' (got {value!r}). "
                            f"Fix: use lowercase letters a-z, digits 0-9 and hyphens, e.g. {name}={example}.")


def _title(title: str | None) -> None:
    """Refuse a TITLE that the title field of the written file would not pass."""
    if title is None:
        return
    field = next(f for f in FIELDS if f.name == "title")
    checked = field.validate(Node(title, 1))
    while True:
        try:
            _, message = next(checked)
        except StopIteration:
            return
        raise ScaffoldError(f"TITLE: {message}")


def new_entry(src: Path, root: Path, entry_id: str, kind: str, parent: str | None, title: str | None) -> Path:
    """Write taxonomy_src/entries/<id>.md from the template and return its path; every argument is checked before
    anything is read or written."""
    _slug("ID", entry_id, "reward-hacking")
    if parent is not None:
        _slug("PARENT", parent, "inner-misalignment")
    _title(title)
    if kind not in KINDS:
        raise ScaffoldError(f"kind must be one of {', '.join(KINDS)} (got {kind!r}). Fix: pass KIND=failure-mode, "
                            "KIND=category or KIND=concept.")
    if entry_id in used_ids(src):
        raise ScaffoldError(f"id '{entry_id}' exists or existed before (got it in taxonomy_src/). "
                            "Fix: ids are never reused; choose another id.")
    try:
        taxonomy = load(src, root)
    except TaxonomyError as exc:
        raise ScaffoldError(f"the sources have problems; fix them first (run 'make check'):\n{exc}") from None
    if kind == "failure-mode" and parent is None:
        raise ScaffoldError("a failure mode needs a parent category (got none). Fix: pass PARENT=inner-misalignment "
                            "or another category id.")
    if kind == "concept" and parent is not None:
        raise ScaffoldError(f"concepts have no parent (got {parent!r}). Fix: leave PARENT out.")
    if parent is not None and getattr(taxonomy.entries.get(parent), "kind", None) != "category":
        categories = ", ".join(e.id for e in taxonomy.of_kind("category"))
        raise ScaffoldError(f"PARENT must be a category (got {parent!r}). Fix: use one of {categories}.")
    text = environment(Output.SOURCE).get_template("new-entry.md.j2").render(
        entry_id=entry_id, title=title or entry_id.replace("-", " ").capitalize(), kind=kind, parent=parent,
        source=taxonomy.meta.source, dimensions=taxonomy.dimensions, prompts=SCAFFOLD_PROMPTS,
        neighbours=[e.id for e in taxonomy.children(parent) if e.kind == "failure-mode"]
        if kind == "failure-mode" and parent else [])
    path = src / ENTRIES_DIR / f"{entry_id}.md"
    try:
        add_to_upcoming(src, "added", entry_id)
    except ChangelogEditError as exc:
        raise ScaffoldError(str(exc)) from None
    path.write_text(text, "utf-8")
    return path


def paths_to(taxonomy: Taxonomy, kind: str) -> list[tuple[str, str]]:
    """The first route through the tree ending at a kind (or an outcome listing it), as (question, answer) pairs."""
    questions = {q.id: q for q in taxonomy.decision_tree}

    def search(question_id: str, route: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
        for answer in questions[question_id].answers:
            step = [*route, (question_id, answer.key)]
            if answer.next:
                found = search(answer.next, step)
                if found:
                    return found
            elif answer.entry == kind:
                return step
        for answer in questions[question_id].answers:
            outcome = taxonomy.outcome(answer.outcome) if answer.outcome else None
            if outcome and kind in outcome.candidates:
                return [*route, (question_id, answer.key)]
        return None

    return (search(taxonomy.decision_tree[0].id, []) or []) if taxonomy.decision_tree else []


def new_case(src: Path, root: Path, case_id: str, kind: str, title: str | None) -> Path:
    """Write taxonomy_src/cases/<id>.md, with a path through the tree that reaches the kind, and return its path;
    every argument is checked before anything is read or written."""
    _slug("ID", case_id, "coinrun-coin")
    _title(title)
    folder = src / CASES_DIR
    registered = {address for _, address in read_registry(src / REGISTRY)}
    if (folder / f"{case_id}.md").exists() or f"/{pages.CASE.address(case_id)}" in registered:
        raise ScaffoldError(f"case id '{case_id}' exists or existed before (got it in taxonomy_src/). "
                            "Fix: case ids are never reused; choose another id.")
    try:
        taxonomy = load(src, root, case_coverage=False)  # a leaf no case reaches yet is what a new case is for
    except TaxonomyError as exc:
        raise ScaffoldError(f"the sources have problems; fix them first (run 'make check'):\n{exc}") from None
    kinds = sorted(e.id for e in taxonomy.entries.values() if e.kind in CLASSIFIABLE)
    if kind not in kinds:
        raise ScaffoldError(f"kind must be a failure mode or category (got {kind!r}). Fix: pass KIND= one of "
                            f"{', '.join(kinds)}.")
    route = paths_to(taxonomy, kind)
    if not route:
        raise ScaffoldError(f"no path through the decision tree reaches '{kind}' (got none). Fix: add an answer "
                            "leading to it in taxonomy_src/decision-tree.yaml first.")
    text = environment(Output.SOURCE).get_template("new-case.md.j2").render(
        case_id=case_id, title=title or case_id.replace("-", " ").capitalize(), kind=kind, path=route,
        source=taxonomy.meta.source, prompts=SCAFFOLD_PROMPTS)
    folder.mkdir(exist_ok=True)
    path = folder / f"{case_id}.md"
    path.write_text(text, "utf-8")
    return path


def next_steps_case(path: Path) -> str:
    """What a contributor does after scaffolding a case."""
    return "\n".join([
        f"Created {path}. Next:",
        f"  1. Edit {path}: the summary, the account and the classification, in your own words, each claim cited",
        "     with [@key]; set 'evidence' (thought-experiment, lab-demonstration, observed-in-deployment).",
        "  2. Change 'path' to the answers a reader with this case in mind gives in the decision tree; add kinds",
        "     it also illustrates under 'illustrates', each with a one-line 'why'.",
        "  3. Run 'make check', then 'make anchors' to register the new addresses, then 'make serve' to read it."])


def next_steps(path: Path, kind: str, entry_id: str) -> str:
    """What a contributor does after scaffolding."""
    steps = [f"Created {path} and listed '{entry_id}' under 'added' of the upcoming release in "
             f"{path.parent.parent / 'changelog.yaml'}. Next:",
             f"  1. Edit {path}: replace every instruction (the summary, each section) with your own words, each",
             "     claim cited with [@key] (add new works to taxonomy_src/bibliography.yaml); aliases and relations.",
             "     'make check' names every instruction still left."]
    if kind == "failure-mode":
        steps += ["  2. Give each dimension a value and a cited 'why' (not-stated only where the source is silent),",
                  "     say under 'tell_apart' what tells it apart from each neighbour, and add an answer leading",
                  f"     to '{entry_id}' in taxonomy_src/decision-tree.yaml."]
    steps += [f"  {3 if kind == 'failure-mode' else 2}. Run 'make anchors': it checks everything and, once the "
              "sources are valid, registers the new addresses. Then 'make serve' to read the page and 'make test'.",
              "  See CONTRIBUTING.md for what reviewers look for."]
    return "\n".join(steps)
