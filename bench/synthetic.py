"""A synthetic taxonomy of N entries shaped like the real one, written as a complete project for the build benchmark.

The shape is measured from the real `taxonomy_src/`, not hard-coded: the share of each kind, and per kind the mean
body length, sections, wiki links, citations, footnotes, relations, references and alternative names. Around the
entries it writes what a real taxonomy has: the bibliography (the real works plus synthetic ones), the real
comparison dimensions with a cited value per failure mode, a decision tree that reaches every failure mode, a
changelog with a released and an upcoming version (renames, retirements), former anchors, shared alternative names
(disambiguation pages) and the anchor registry.

It also writes worked cases (`cases/`, scaled by the real number of cases per entry, with the real mean
illustrated kinds, words, links and citations; one case at least per leaf of the decision tree, whose path walks
there) and crosswalk rows (`crosswalk.yaml`, scaled by the real terms per entry, mappings per term, locators and
noMatch rows).

Three variants (VARIANTS; `build_bench.py` takes each as an option):

- `mixed` (the default): N entries of every kind in the real proportions, with cases and crosswalk rows as above;
- `entries-only`: the same N entries, without cases or crosswalk rows;
- `concepts`: issue 14's own measurement, the real `taxonomy_src/` unchanged (entries, cases, crosswalk, tree,
  dimensions, bibliography) plus N synthetic concepts (`issue_concept`: about 580 words, 3 footnotes, 5 links to
  real entries and to other synthetic concepts, one citation of a real work and one table, and nothing else),
  added in the upcoming release of the changelog and registered in the anchor registry.

Each kind of source file is written by one function in WRITERS. When a new kind of source appears, add one writer
that follows the same pattern: derive its count from the real sources in `Shape.measure`, write files that
reference the synthetic entries by id.
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from taxonomy import markup  # noqa: E402
from taxonomy.anchors import register_new  # noqa: E402
from taxonomy.loader import load  # noqa: E402
from taxonomy.model import (  # noqa: E402
    CASE_EVIDENCE,
    KINDS,
    NO_MATCH,
    RELATION_TYPES,
    SKOS_RELATIONS,
    CrosswalkRow,
    Taxonomy,
)
from taxonomy.schema import REQUIRED_SECTIONS  # noqa: E402

PROJECT_DIRS = ("docs", "overrides", "hooks")
WORDS = ("the training signal rewards behaviour that looks aligned while the learned goal drifts away from what "
         "developers intended and nobody notices until deployment shows a different pattern of choices under "
         "pressure from new inputs which the model never saw before so the gap between objective and intention "
         "stays hidden for a long time").split()
FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:", re.MULTILINE)
TABLE_RULE = re.compile(r"^\|(?: *:?-+:? *\|)+$", re.MULTILINE)  # the delimiter row: one per Markdown table
TABLE = "| Signal | Behaviour |\n|---|---|\n| rewarded | looks aligned |\n| withheld | drifts |"


@dataclass(frozen=True)
class KindProfile:
    """Mean counts for entries of one kind in the real taxonomy."""

    share: float
    words: int
    sections: int
    links: int
    citations: int
    footnotes: int
    relations: float
    references: int
    aliases: float
    tables: int = 0


@dataclass(frozen=True)
class CaseProfile:
    """Mean counts for the real worked cases, and how many there are per entry."""

    per_entry: float
    illustrates: float
    words: int
    links: int
    citations: int
    path: float
    from_post: float


@dataclass(frozen=True)
class CrosswalkProfile:
    """The real crosswalk: terms per entry, mappings per term, and the shares of locators and noMatch terms."""

    per_entry: float
    mappings: float
    locators: float
    no_match: float


@dataclass(frozen=True)
class Shape:
    """What a synthetic taxonomy of N entries contains, scaled from the real one."""

    n: int
    profiles: dict[str, KindProfile]
    counts: dict[str, int] = field(default_factory=dict)
    cases: CaseProfile = CaseProfile(0, 1, 100, 1, 1, 3, 0)
    crosswalk: CrosswalkProfile = CrosswalkProfile(0, 1, 0, 0)
    exact: bool = False
    """Entries hold exactly their profile's counts (words included) and nothing more. Otherwise they also exercise
    shared names, renames, former anchors, retirements and footnotes that cite, as a grown taxonomy would."""

    @classmethod
    def measure(cls, n: int, real: Taxonomy) -> Shape:
        """Profile the real taxonomy and scale it to n entries (at least two failure modes and a category)."""
        profiles: dict[str, KindProfile] = {}
        for kind in KINDS:
            entries = real.of_kind(kind) or tuple(real.entries.values())
            mean = lambda values: statistics.fmean(values) if values else 0.0  # noqa: E731
            profiles[kind] = KindProfile(
                share=len(real.of_kind(kind)) / len(real.entries),
                words=round(mean([len(e.body.split()) for e in entries])),
                sections=round(mean([len([s for s in e.sections if s.level == 2]) for e in entries])),
                links=round(mean([len(markup.WIKI_LINK.findall(e.body)) for e in entries])),
                citations=round(mean([len(markup.CITATION.findall(e.body)) for e in entries])),
                footnotes=round(mean([len(FOOTNOTE.findall(e.body)) for e in entries])),
                relations=mean([len(e.relations) for e in entries]),
                references=round(mean([len(e.references) for e in entries])),
                aliases=mean([len(e.aliases) for e in entries]),
                tables=round(mean([len(TABLE_RULE.findall(e.body)) for e in entries])),
            )
        counts = {"failure-mode": max(2, round(n * profiles["failure-mode"].share)),
                  "category": max(1, round(n * profiles["category"].share))}
        counts["concept"] = max(0, n - sum(counts.values()))
        cases = real.cases or ()
        mean = lambda values: statistics.fmean(values) if values else 0.0  # noqa: E731
        case_profile = CaseProfile(
            per_entry=len(cases) / len(real.entries),
            illustrates=mean([len(c.illustrates) for c in cases]) or 1.0,
            words=round(mean([len(c.body.split()) for c in cases])),
            links=round(mean([len(markup.WIKI_LINK.findall(c.body)) for c in cases])),
            citations=round(mean([len(markup.CITATION.findall(c.body)) for c in cases])),
            path=mean([len(c.path) for c in cases]),
            from_post=mean([float(c.from_post) for c in cases]),
        )
        terms: dict[str, list[CrosswalkRow]] = {}
        for row in real.crosswalk:
            terms.setdefault(row.term_id, []).append(row)
        crosswalk = CrosswalkProfile(
            per_entry=len(terms) / len(real.entries),
            mappings=len(real.crosswalk) / len(terms) if terms else 1.0,
            locators=mean([float(rows[0].locator is not None) for rows in terms.values()]),
            no_match=mean([float(rows[0].relation == NO_MATCH) for rows in terms.values()]),
        )
        return cls(n, profiles, counts, case_profile, crosswalk)

    @classmethod
    def issue_concepts(cls, n: int, real: Taxonomy) -> Shape:
        """N synthetic concepts as issue 14 measured them: the real concepts' sections, `issue_concept`'s counts."""
        profile = issue_concept(cls.measure(n, real).profiles["concept"])
        return cls(n, {kind: profile for kind in KINDS}, {**dict.fromkeys(KINDS, 0), "concept": n}, exact=True)


def issue_concept(real_concept: KindProfile) -> KindProfile:
    """Issue 14's synthetic concept: about 580 words with 3 footnotes, 5 cross-links, a citation and a table, in
    the real concepts' sections. The issue names no relations, alternative names or other references: none."""
    return replace(real_concept, words=580, footnotes=3, links=5, citations=1, tables=1, references=1,
                   relations=0.0, aliases=0.0)


@dataclass(frozen=True)
class Plan:
    """The synthetic entries' ids and tree, fixed before any file is written."""

    ids: dict[str, list[str]]
    parents: dict[str, str | None]
    works: list[str]
    source: str
    real: tuple[str, ...] = ()
    """Real entries that synthetic ones link to besides each other (the concepts variant)."""

    @property
    def all_ids(self) -> list[str]:
        """Every entry id, categories first."""
        return [*self.ids["category"], *self.ids["failure-mode"], *self.ids["concept"]]


BRANCHING = 3  # sub-categories per category, as in the real tree (technical -> inner, outer)


def plan(shape: Shape, real: Taxonomy) -> Plan:
    """Ids, a balanced category tree with failure modes spread over it, and the works to cite."""
    ids = {kind: [f"{kind.split('-')[0]}-{i:04d}" for i in range(shape.counts[kind])] for kind in KINDS}
    parents: dict[str, str | None] = {}
    categories = ids["category"]
    roots = min(2, len(categories))
    for i, cid in enumerate(categories):
        parents[cid] = None if i < roots else categories[(i - roots) // BRANCHING]
    for j, fid in enumerate(ids["failure-mode"]):
        parents[fid] = categories[-1 - (j % len(categories))]  # leaf categories first, like the real tree
    for cid in ids["concept"]:
        parents[cid] = None
    works = [*real.works, *(f"work-{i:04d}" for i in range(max(10, shape.n // 2)))]
    return Plan(ids, parents, works, real.meta.source)


def concepts_plan(shape: Shape, real: Taxonomy) -> Plan:
    """Ids of the synthetic concepts (none taken by a real entry), citing real works and linking to real entries."""
    ids = plan(shape, real).ids
    assert not set(ids["concept"]) & set(real.entries), "a synthetic id is taken by a real entry"
    active = tuple(e.id for e in real.entries.values() if e.status == "active")
    return Plan(ids, dict.fromkeys(ids["concept"]), list(real.works), real.meta.source, active)


def _words(rng: random.Random, count: int) -> list[str]:
    start = rng.randrange(len(WORDS))
    return [WORDS[(start + k) % len(WORDS)] for k in range(count)]


def _paragraphs(rng: random.Random, words: int, marks: list[str], paragraphs: int) -> list[str]:
    """Filler paragraphs with the given marks (links, citations, footnote refs) spread evenly through them."""
    per = max(1, len(marks) // max(1, paragraphs) + 1)
    out = []
    for p in range(paragraphs):
        text = _words(rng, max(8, words // paragraphs))
        own = marks[p * per:(p + 1) * per]
        step = max(1, len(text) // (len(own) + 1))
        for k, mark in enumerate(own):
            text.insert(min(len(text), (k + 1) * step + k), mark)
        out.append(" ".join(text).capitalize() + ".")
    return out


def entry_text(entry_id: str, kind: str, index: int, shape: Shape, plan_: Plan, rng: random.Random) -> str:
    """One entry file: front matter and a body with the kind's required sections and the real mean counts."""
    profile = shape.profiles[kind]
    everyone = plan_.all_ids
    position = everyone.index(entry_id)
    neighbours = [everyone[(position + d) % len(everyone)] for d in (1, 3, 7, 11, 17, 23, 29, 31)]
    neighbours = [n for n in dict.fromkeys(neighbours) if n != entry_id]
    if plan_.real:  # alternate: a synthetic neighbour, a real entry, ...
        real = [plan_.real[(position * 5 + k) % len(plan_.real)] for k in range(max(1, len(neighbours)))]
        neighbours = list(dict.fromkeys(n for pair in zip_longest(neighbours, real) for n in pair if n))
    keys = [plan_.works[(position * 3 + k) % len(plan_.works)] for k in range(max(1, profile.references))]
    keys = list(dict.fromkeys(keys if shape.exact else [plan_.source, *keys]))
    relations: dict[str, list[str]] = {}
    for r in range(round(profile.relations + (index % 2) * 0.5)):
        target = everyone[(position + 1 + 2 * r) % len(everyone)]
        if target != entry_id:
            relations.setdefault(RELATION_TYPES[r % len(RELATION_TYPES)], []).append(target)
    rate = profile.aliases if shape.exact else max(profile.aliases, 0.05)
    aliases = [f"alias {entry_id}"] if rate and index % max(1, round(1 / rate)) == 0 else []
    if not shape.exact and index % 20 == 1:
        aliases.append("shared synthetic name")  # several entries: a disambiguation page
    title = f"Synthetic {kind.replace('-', ' ')} {index}"
    front: dict[str, object] = {
        "id": entry_id, "title": title, "kind": kind, "parent": plan_.parents[entry_id],
        "summary": f"A synthetic {kind.replace('-', ' ')} used to measure how the build scales, number {index}.",
        "aliases": aliases, "relations": relations, "references": keys, "status": "active",
    }
    if kind != "concept":
        front["evidence"] = ("confirmed", "partial", "secondary")[index % 3]
    if kind == "failure-mode":
        front["order"] = index % 7
        front["dimensions"] = {d["id"]: {"value": [v["id"] for v in d["values"]][index % len(d["values"])],
                                         "why": f"A synthetic reason for this value [@{keys[-1]}]."}
                               for d in _dimensions()}
        later = [f for f in plan_.ids["failure-mode"] if plan_.parents[f] == plan_.parents[entry_id] and f > entry_id]
        if later:  # each pair of neighbours once, in the file of the first
            front["tell_apart"] = {f: f"A synthetic difference between the two [@{keys[-1]}]." for f in later}
    if not shape.exact and index % 40 == 2:
        front["former_ids"] = [f"old-{entry_id}"]
    if not shape.exact and index % 40 == 3:
        front["former_anchors"] = {"old-definition": "definition"}
    if not shape.exact and kind == "concept" and index % 60 == 5 and len(plan_.ids["concept"]) > 1:
        others = [c for c in plan_.ids["concept"] if c != entry_id]
        front.update(status="deprecated", replaced_by=others[index % len(others)],
                     status_note="Merged into another synthetic concept to exercise tombstone pages.")
    sections = list(REQUIRED_SECTIONS[kind])
    sections += [f"extra-{s}" for s in range(max(0, profile.sections - len(sections)))]
    # a link to a real entry is labelled: the filler word after it may repeat its title's last word, which is refused
    marks = [f"[[{n}|{n}]]" if n in plan_.real else f"[[{n}]]"
             for n in (neighbours[k % len(neighbours)] for k in range(max(0, profile.links - 1)))]
    if neighbours:
        marks.append(f"[[{neighbours[0]}#definition|the first neighbour's definition]]")
    marks += [f"[@{keys[k % len(keys)]}{', p. ' + str(k) if k % 3 == 0 else ''}]" for k in range(profile.citations)]
    marks += [f"[^{k + 1}]" for k in range(profile.footnotes)]
    rng.shuffle(marks)
    per_section = max(1, len(marks) // len(sections) + 1)
    headings = [f"## {section.replace('-', ' ').capitalize()} {{#{section}}}" for section in sections]
    tables: list[list[str]] = [[] for _ in sections]
    for t in range(profile.tables):
        tables[t % len(sections)].append(TABLE)
    if kind == "failure-mode" and "example" in sections:
        tables[sections.index("example")].append(TABLE)
    notes = [f"[^{k + 1}]: A synthetic note" + ("." if shape.exact else f" citing [@{keys[0]}].")
             for k in range(profile.footnotes)]
    words = profile.words
    if shape.exact:  # the filler makes up what headings, marks, tables and notes leave of the body's words
        words -= len(" ".join([*headings, *marks, *notes, *(t for own in tables for t in own)]).split())
    body = []
    for s, heading in enumerate(headings):
        body.append(heading)
        own = marks[s * per_section:(s + 1) * per_section]
        body.extend(_paragraphs(rng, words // len(sections), own, 2))
        body.extend(tables[s])
    body += notes
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n" + \
        "\n\n".join(body) + "\n"


def _dimensions() -> list[dict[str, object]]:
    data = yaml.safe_load((ROOT / "taxonomy_src" / "dimensions.yaml").read_text("utf-8"))
    return [{"id": d["id"], "values": [*d["values"], {"id": "not-stated"}]} for d in data]


def write_meta(src: Path, shape: Shape, plan_: Plan) -> None:
    """The real taxonomy.yaml and dimensions.yaml; the synthetic cases are spread by shape, not by the content rule
    of a least number per failure mode, which taxonomy.yaml therefore leaves out here."""
    shutil.copy2(ROOT / "taxonomy_src" / "dimensions.yaml", src / "dimensions.yaml")
    meta = (ROOT / "taxonomy_src" / "taxonomy.yaml").read_text("utf-8")
    (src / "taxonomy.yaml").write_text(re.sub(r"(?m)^cases_per_failure_mode:.*\n", "", meta), "utf-8")


def write_bibliography(src: Path, shape: Shape, plan_: Plan) -> None:
    """The real works plus synthetic ones."""
    text = (ROOT / "taxonomy_src" / "bibliography.yaml").read_text("utf-8")
    synthetic = {key: {"type": "paper", "authors": [f"Author{i}, Given", "Other, Person"], "year": 2000 + i % 26,
                       "title": f"Synthetic work {i}", "container": "Journal of Synthetic Results",
                       "url": f"https://example.org/works/{i}"}
                 for i, key in enumerate(plan_.works) if key.startswith("work-")}
    (src / "bibliography.yaml").write_text(text.rstrip("\n") + "\n\n" + yaml.safe_dump(synthetic, sort_keys=False),
                                           "utf-8")


def write_entries(src: Path, shape: Shape, plan_: Plan) -> None:
    """One file per entry."""
    folder = src / "entries"
    folder.mkdir(exist_ok=True)
    rng = random.Random(shape.n)
    for kind in KINDS:
        for index, entry_id in enumerate(plan_.ids[kind]):
            (folder / f"{entry_id}.md").write_text(entry_text(entry_id, kind, index, shape, plan_, rng), "utf-8")


def write_decision_tree(src: Path, shape: Shape, plan_: Plan) -> None:
    """A balanced tree of questions (three answers each) whose results are every failure mode and a category."""
    questions: list[dict[str, object]] = []

    def question(results: list[str]) -> str:
        qid = f"q{len(questions) + 1}"
        node: dict[str, object] = {"id": qid, "question": f"Which of these does the case look like ({qid})?",
                                   "help": f"Compare with [[{results[0]}]] and read its definition [@{plan_.source}].",
                                   "answers": []}
        questions.append(node)
        size = -(-len(results) // 3)
        answers = []
        for k in range(0, len(results), size):
            part = results[k:k + size]
            label = f"Like {part[0]}" + (f" to {part[-1]}" if len(part) > 1 else "")
            answers.append({"label": label, "entry": part[0]} if len(part) == 1 else
                           {"label": label, "next": question(part)})
        if len(answers) == 1:
            answers.append({"label": "None of these", "entry": plan_.ids["category"][0]})
        node["answers"] = answers
        return qid

    root = question([*plan_.ids["failure-mode"], plan_.ids["category"][-1]])
    (src / "decision-tree.yaml").write_text(yaml.safe_dump({"root": root, "questions": questions}, sort_keys=False,
                                                           width=1000), "utf-8")


def write_changelog(src: Path, shape: Shape, plan_: Plan) -> None:
    """A released version adding most entries, and an upcoming one adding, changing, renaming and retiring some."""
    version = yaml.safe_load((src / "taxonomy.yaml").read_text("utf-8"))["version"]
    texts = {p.stem: p.read_text("utf-8") for p in (src / "entries").glob("*.md")}
    late = set(plan_.all_ids[::50])
    renamed = [{"from": f"old-{i}", "to": i} for i in plan_.all_ids if f"former_ids: [old-{i}]" in texts[i]
               or f"- old-{i}" in texts[i]]
    retired = [i for i in plan_.all_ids if "status: deprecated" in texts[i]]
    releases = [
        {"version": version, "date": "2026-11-26", "summary": "First synthetic release.",
         "added": [i for i in plan_.all_ids if i not in late], "changed": [], "renamed": [], "retired": []},
        {"version": _next_version(version), "date": None,
         "summary": "Upcoming synthetic release.", "added": sorted(late), "changed": plan_.all_ids[1::97],
         "renamed": renamed, "retired": retired},
    ]
    (src / "changelog.yaml").write_text(yaml.safe_dump({"releases": releases}, sort_keys=False, width=1000), "utf-8")


def _next_version(version: str) -> str:
    """The version after `version`: its patch number plus one."""
    return ".".join([*version.split(".")[:2], str(int(version.split(".")[2]) + 1)])


def add_to_changelog(src: Path, shape: Shape, plan_: Plan) -> None:
    """The real changelog, with the synthetic entries added in its upcoming release (made if there is none)."""
    releases = yaml.safe_load((src / "changelog.yaml").read_text("utf-8"))["releases"]
    if releases[-1]["date"] is not None:
        releases.append({"version": _next_version(releases[-1]["version"]), "date": None,
                         "summary": "Upcoming synthetic release.", "added": [], "changed": [], "renamed": [],
                         "retired": []})
    releases[-1]["added"] = [*releases[-1]["added"], *plan_.all_ids]
    (src / "changelog.yaml").write_text(yaml.safe_dump({"releases": releases}, sort_keys=False, width=1000), "utf-8")


def tree_leaves(src: Path) -> list[tuple[list[dict[str, str]], str]]:
    """Every answer of the written decision tree that ends the walk: the path to it and the entry it reaches."""
    tree = yaml.safe_load((src / "decision-tree.yaml").read_text("utf-8"))
    by_id = {q["id"]: q for q in tree["questions"]}
    leaves: list[tuple[list[dict[str, str]], str]] = []

    def visit(qid: str, path: list[dict[str, str]]) -> None:
        for answer in by_id[qid]["answers"]:
            step = [*path, {"question": qid, "answer": answer["label"].split(":")[0].strip()}]
            if "next" in answer:
                visit(answer["next"], step)
            else:
                leaves.append((step, answer["entry"]))

    visit(tree["root"], [])
    return leaves


def case_text(index: int, path: list[dict[str, str]], primary: str, shape: Shape, plan_: Plan,
              rng: random.Random) -> str:
    """One worked case: front matter whose path walks the tree to its primary kind, and the two required sections."""
    profile = shape.cases
    kinds = [*plan_.ids["failure-mode"], *plan_.ids["category"]]
    others = [k for k in dict.fromkeys(kinds[(index * 7 + d) % len(kinds)] for d in (1, 5, 11)) if k != primary]
    extra = others[:max(0, round(profile.illustrates + (index % 2) * 0.5) - 1)]
    keys = [plan_.works[(index * 5 + k) % len(plan_.works)] for k in range(max(1, profile.citations))]
    from_post = profile.from_post > 0 and index % max(1, round(1 / profile.from_post)) == 0
    why = f"The synthetic scenario pursues a correlate of the goal [@{keys[0]}, sec. 1]."  # cases locate each work
    illustrates: list[dict[str, object]] = [{"kind": primary, "primary": True, "why": why}]
    illustrates += [{"kind": k, "why": f"It also shows a trait of this kind [@{keys[-1]}, sec. 2]."} for k in extra]
    front: dict[str, object] = {
        "id": f"case-{index:04d}", "title": f"Synthetic case {index}",
        "summary": f"A synthetic worked case used to measure how the build scales, number {index}.",
        "illustrates": illustrates, "evidence": CASE_EVIDENCE[index % len(CASE_EVIDENCE)], "from_post": from_post,
        "path": path,
    }
    linked = [primary, *extra]
    marks = [f"[[{linked[k % len(linked)]}]]" for k in range(max(1, profile.links))]
    marks += [f"[@{keys[k % len(keys)]}, p. {k + 1}]" for k in range(profile.citations)]
    if from_post:
        marks.append(f"[@{plan_.source}]")
    rng.shuffle(marks)
    half = len(marks) // 2
    body = ["## The case {#case}", *_paragraphs(rng, profile.words // 2, marks[:half], 1),
            "## Classification {#classification}", *_paragraphs(rng, profile.words // 2, marks[half:], 1)]
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n" + \
        "\n\n".join(body) + "\n"


def write_cases(src: Path, shape: Shape, plan_: Plan) -> None:
    """Worked cases as many per entry as the real ones (at least one per leaf of the tree, which needs them)."""
    folder = src / "cases"
    folder.mkdir()
    leaves = tree_leaves(src)
    rng = random.Random(shape.n + 1)
    for index in range(max(len(leaves), round(shape.n * shape.cases.per_entry))):
        path, primary = leaves[index % len(leaves)]
        (folder / f"case-{index:04d}.md").write_text(case_text(index, path, primary, shape, plan_, rng), "utf-8")


def write_crosswalk(src: Path, shape: Shape, plan_: Plan) -> None:
    """Terms mapped to failure modes and categories, with the real mappings per term, locators and noMatch rows."""
    profile = shape.crosswalk
    kinds = [*plan_.ids["failure-mode"], *plan_.ids["category"]]
    terms: list[dict[str, object]] = []
    for index in range(max(1, round(shape.n * profile.per_entry))):
        term: dict[str, object] = {"id": f"term-{index:04d}", "term": f"synthetic term {index}",
                                   "source": plan_.works[index % len(plan_.works)]}
        if profile.locators and index % max(1, round(1 / profile.locators)) == 0:
            term["locator"] = f"sec. {index % 9 + 1}"
        if profile.no_match and index % max(1, round(1 / profile.no_match)) == 1:
            term["mappings"] = [{"relation": NO_MATCH, "justification": "No kind of this taxonomy is even close.",
                                 "confidence": 0.5}]
        else:
            count = max(1, int(profile.mappings + (index % 12) / 12))
            targets = list(dict.fromkeys(kinds[(index * 3 + k * 11) % len(kinds)] for k in range(count)))
            term["mappings"] = [{"kind": k, "relation": SKOS_RELATIONS[(index + j) % len(SKOS_RELATIONS)],
                                 "justification": f"A synthetic reason why the term maps to this kind, number {index}.",
                                 "confidence": round(0.4 + (index + j) % 6 / 10, 1)}
                                for j, k in enumerate(targets)]
        terms.append(term)
    (src / "crosswalk.yaml").write_text(yaml.safe_dump({"terms": terms}, sort_keys=False, width=1000), "utf-8")


Writer = Callable[[Path, Shape, Plan], None]
WRITERS: tuple[Writer, ...] = (
    write_meta, write_bibliography, write_entries, write_decision_tree, write_changelog, write_cases,
    write_crosswalk,
)
WORKS_AROUND_ENTRIES = (write_cases, write_crosswalk)  # left out of an entries-only taxonomy


@dataclass(frozen=True)
class Variant:
    """One way of making a synthetic taxonomy of N entries: its shape, its plan and what it writes."""

    description: str
    shape: Callable[[int, Taxonomy], Shape]
    plan: Callable[[Shape, Taxonomy], Plan]
    writers: tuple[Writer, ...]
    real_sources: bool = False  # start from a copy of the real taxonomy_src/


VARIANTS = {
    "mixed": Variant("N entries of every kind in the real proportions, with worked cases and crosswalk terms at the "
                     "real taxonomy's rate per entry", Shape.measure, plan, WRITERS),
    "entries-only": Variant("N entries of every kind in the real proportions alone, with no worked cases or "
                            "crosswalk terms", Shape.measure, plan,
                            tuple(w for w in WRITERS if w not in WORKS_AROUND_ENTRIES)),
    "concepts": Variant("the real taxonomy plus N synthetic concepts of about 580 words, each with 3 footnotes, 5 "
                        "links to real and synthetic entries, a citation and a table, as issue 14 measured",
                        Shape.issue_concepts, concepts_plan, (write_entries, add_to_changelog), real_sources=True),
}


def copy_project(dest: Path) -> Path:
    """The project files a build reads (config, hand-written pages, theme overrides, hooks), without sources."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in ROOT.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, dest / path.name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    return dest


def write_sources(src: Path, n: int, variant: str = "mixed") -> Path:
    """A valid synthetic taxonomy of n entries of one of VARIANTS in the (new) folder `src`, with its anchor
    registry."""
    chosen = VARIANTS[variant]
    real = load(ROOT / "taxonomy_src", ROOT)
    shape = chosen.shape(n, real)
    plan_ = chosen.plan(shape, real)
    if chosen.real_sources:
        shutil.copytree(ROOT / "taxonomy_src", src)
    else:
        src.mkdir(parents=True)
    for writer in chosen.writers:
        writer(src, shape, plan_)
    register_new(load(src, src.parent), src)
    return src


def generate(dest: Path, n: int, variant: str = "mixed") -> Path:
    """A complete project at `dest` whose taxonomy_src/ holds a valid synthetic taxonomy of n entries."""
    copy_project(dest)
    write_sources(dest / "taxonomy_src", n, variant)
    return dest


if __name__ == "__main__":
    target = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100,
                      sys.argv[3].removeprefix("--") if len(sys.argv) > 3 else "mixed")
    print(f"wrote {target}")
