"""Scale: each source is parsed once, serve re-parses only what changed, lookups agree with their definitions,
and the build benchmark runs (at a tiny size; its timings are printed, never asserted)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import markdown
import pytest

from conftest import ROOT, Site, edit, mkdocs_env
from taxonomy import anchors, cases, markup, pages
from taxonomy import entries as entries_module
from taxonomy.incremental import body_edits
from taxonomy.loader import SourceCache, load
from taxonomy.model import Entry, Taxonomy
from taxonomy.problems import TaxonomyError
from taxonomy.render import Renderer
from taxonomy.urls import case_path, entry_path

sys.path.insert(0, str(ROOT / "bench"))
TAXONOMY = load(ROOT / "taxonomy_src", ROOT)

from synthetic import write_sources  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    """A synthetic taxonomy with every kind, shared names, renames, retirements and several releases."""
    src = write_sources(tmp_path_factory.mktemp("synthetic") / "taxonomy_src", 60)
    return load(src, src.parent)


def test_each_source_file_is_read_once(sources: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One load reads every source file exactly once."""
    reads: Counter[Path] = Counter()
    for name in ("read_bytes", "read_text"):
        original = getattr(Path, name)
        monkeypatch.setattr(Path, name, lambda self, *a, _o=original, **k: reads.update([self]) or _o(self, *a, **k))
    load(sources, sources.parent)
    files = {p for p in sources.rglob("*") if p.is_file()}
    assert set(reads) == files
    assert set(reads.values()) == {1}


def test_cache_parses_only_changed_entry_files(sources: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under serve, an unchanged entry file is not parsed again, an edited one is, and problems never pile up."""
    parsed: list[str] = []
    original = entries_module.read_entry
    monkeypatch.setattr(entries_module, "read_entry", lambda path, *a: parsed.append(path.name) or original(path, *a))
    cache = SourceCache()
    entries = sorted(p.name for p in (sources / "entries").glob("*.md"))
    load(sources, sources.parent, cache)
    assert sorted(parsed) == entries
    parsed.clear()
    load(sources, sources.parent, cache)
    assert parsed == []
    edit(sources / "entries" / "alpha.md", "See [[beta#definition|beta]].", "See [[nowhere]].")
    messages = []
    for _ in range(2):
        with pytest.raises(TaxonomyError) as caught:
            load(sources, sources.parent, cache)
        messages.append([str(p) for p in caught.value.problems])
    assert parsed == ["alpha.md"]
    assert messages[0] == messages[1] and len(messages[0]) == 1 and "[[nowhere]]" in messages[0][0]
    edit(sources / "entries" / "alpha.md", "See [[nowhere]].", "See [[beta#definition|beta]].")
    assert load(sources, sources.parent, cache) == load(sources, sources.parent)


def test_lookups_agree_with_their_definitions(synthetic: Taxonomy) -> None:
    """Relations, backlinks, citations, versions, neighbour pairs, cases, crosswalk rows and former ids, checked by
    scanning every entry, case and row."""
    entries = list(synthetic.entries.values())
    title = lambda e: e.title.lower()  # noqa: E731
    for entry in entries:
        related: dict[str, list[Entry]] = {}
        for other in entries:
            for rel in other.relations:
                if entry.id in (rel.source, rel.target):
                    peer = synthetic.entries[rel.target if rel.source == entry.id else rel.source]
                    related.setdefault(rel.type, []).append(peer)
        expected = {t: tuple(sorted(dict.fromkeys(v), key=title)) for t, v in related.items()}
        assert synthetic.related(entry.id) == expected
        assert synthetic.referred_by(entry.id) == tuple(e for e in entries if entry.id in e.links and e is not entry)
        ids = {entry.id, *entry.former_ids}
        versions = [r.version for r in synthetic.releases if r.released and (
            ids & {*r.added, *r.changed, *r.retired} or entry.id in {new for _, new in r.renamed})]
        added = [r.version for r in synthetic.releases if r.released and ids & set(r.added)]
        assert synthetic.history(entry.id) == (added[0] if added else None, versions[-1] if versions else None)
    for key in synthetic.works:
        assert synthetic.cited_by(key) == tuple(e for e in entries if key in e.all_references)
    modes = synthetic.of_kind("failure-mode")
    assert synthetic.neighbour_pairs() == tuple((a, b) for i, a in enumerate(modes) for b in modes[i + 1:]
                                                if a.parent == b.parent)
    assert synthetic.neighbour_pairs() and any(synthetic.referred_by(e.id) for e in entries)
    for entry in entries:
        found = [c for c in synthetic.cases if any(i.kind == entry.id for i in c.illustrates)]
        assert synthetic.cases_for(entry.id) == tuple(sorted(found, key=lambda c: (
            not c.from_post, c.primary != entry.id, c.title.lower())))
        assert synthetic.cases_reaching(entry.id) == tuple(c for c in synthetic.cases if c.result == entry.id)
        assert synthetic.related_terms(entry.id) == tuple(r for r in synthetic.crosswalk if r.kind == entry.id)
        for old in (entry.id, *entry.former_ids):
            assert synthetic.current(old) == entry
    for question in synthetic.decision_tree:
        for answer in question.answers:
            ending = tuple(c for c in synthetic.cases if (c.path[-1].question, c.path[-1].answer) == (question.id,
                                                                                                      answer.key))
            assert synthetic.cases_ending_at(question.id, answer.key) == ending
            assert ending or answer.next is not None
    assert synthetic.current("no-such-entry") is None
    assert synthetic.cases and synthetic.crosswalk and any(synthetic.related_terms(e.id) for e in entries)
    assert any(e.former_ids for e in entries) and any(len(synthetic.cases_for(e.id)) > 1 for e in entries)


def test_entries_only_taxonomy_has_the_same_entries_and_no_works_around_them(tmp_path: Path,
                                                                          synthetic: Taxonomy) -> None:
    """`--entries-only` (the issue's first measurement): the same entries, valid, with no cases and no crosswalk."""
    src = write_sources(tmp_path / "taxonomy_src", 60, "entries-only")
    alone = load(src, src.parent)
    assert alone.entries == synthetic.entries
    assert not alone.cases and not alone.crosswalk and not (src / "cases").exists()


def test_concepts_taxonomy_is_the_real_one_plus_n_concepts_as_the_issue_measured(tmp_path: Path) -> None:
    """`--concepts` (issue 14's own measurement): every real source as it is (the changelog and the anchor registry
    only gain), plus exactly N concepts, each of about 580 words with 3 footnotes, 5 links to other entries (real ones
    and synthetic ones), one citation of a work of the bibliography and one table; all of it loads without a
    problem, with the concepts in the upcoming release and the registry."""
    n = 4
    real_src = ROOT / "taxonomy_src"
    src = write_sources(tmp_path / "taxonomy_src", n, "concepts")
    grown = {Path("changelog.yaml"), Path(anchors.REGISTRY)}
    real_files = {p.relative_to(real_src) for p in real_src.rglob("*") if p.is_file()}
    for relative in real_files - grown:
        assert (src / relative).read_bytes() == (real_src / relative).read_bytes(), relative
    written = {p.relative_to(src) for p in src.rglob("*") if p.is_file()} - real_files
    assert len(written) == n and {p.parent for p in written} == {Path("entries")}
    grew = load(src, src.parent)
    assert not anchors.unregistered(grew, src)
    assert set(anchors.read_registry(real_src / anchors.REGISTRY)) <= set(anchors.read_registry(src /
                                                                                                 anchors.REGISTRY))
    assert {i: e for i, e in grew.entries.items() if i in TAXONOMY.entries} == TAXONOMY.entries
    assert (grew.works, grew.cases, grew.crosswalk, grew.decision_tree, grew.dimensions) == (
        TAXONOMY.works, TAXONOMY.cases, TAXONOMY.crosswalk, TAXONOMY.decision_tree, TAXONOMY.dimensions)
    assert [r for r in grew.releases if r.released] == [r for r in TAXONOMY.releases if r.released]
    concepts = [e for i, e in grew.entries.items() if i not in TAXONOMY.entries]
    assert len(concepts) == n and {e.kind for e in concepts} == {"concept"}
    assert {e.id for e in concepts} <= set(grew.releases[-1].added) and not grew.releases[-1].released
    ids = {e.id for e in concepts}
    for entry in concepts:
        html = markdown.markdown(entry.body, extensions=["tables", "footnotes"])
        links = [target for target, _, _ in markup.WIKI_LINK.findall(entry.body)]
        cited = [key for key, _ in markup.CITATION.findall(entry.body)]
        assert abs(len(entry.body.split()) - 580) <= 580 * 0.02, entry.id
        assert html.count('<sup id="fnref:') == html.count('<li id="fn:') == 3, entry.id
        assert len(links) == 5 and entry.id not in links and set(links) & set(TAXONOMY.entries) and \
            set(links) & ids, (entry.id, links)
        assert len(cited) == 1 and cited[0] in TAXONOMY.works, (entry.id, cited)
        assert html.count("<table>") == 1, entry.id
        assert not entry.relations and not entry.aliases and entry.status == "active", entry.id


def test_build_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    """`make bench` at a tiny N: strict builds of ours and the plain baseline succeed and the table is printed."""
    result = subprocess.run([sys.executable, "bench/build_bench.py", "--sizes", "6", "12", "--repeat", "1",
                             "--no-serve", "--keep", str(tmp_path)], cwd=ROOT, env=mkdocs_env(),
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    rows = [line.split("|") for line in result.stdout.splitlines() if line.strip().startswith(("6 |", "12 |"))]
    assert [row[0].strip() for row in rows] == ["6", "12"]
    assert "per-entry cost at N=12 / N=6" in result.stdout
    assert re.search(r"^  N=12: wall +[0-9.]+ \[[0-9.]+-[0-9.]+\], CPU .*; fastest: wall ", result.stdout, re.M)
    assert (tmp_path / "n12" / "site" / "taxonomy.json").is_file()
    assert (tmp_path / "n12-plain" / "site" / "index.html").is_file()


def test_serve_latency_is_measured(tmp_path: Path) -> None:
    """The benchmark's edit-to-page measurement sees the edit served (one edit, `make serve`'s flags)."""
    from build_bench import SERVE_FLAGS, first_failure_mode, serve_latency
    from synthetic import generate

    project = generate(tmp_path / "project", 8)
    assert len(serve_latency(project, first_failure_mode(project), SERVE_FLAGS, 1)) == 1


def test_generated_sections_stay_out_of_search_and_written_ones_are_in(site: Site) -> None:
    """Entry and case pages: the sections they generate from other pages' data are not searched; every section a
    contributor wrote, and the page itself, is."""
    from taxonomy.pages import CASE, ENTRY

    docs = {d["location"] for d in json.loads((site.root / "search/search_index.json").read_text("utf-8"))["docs"]}
    for entry in TAXONOMY.entries.values():
        page = f"taxonomy/{entry.id}/"
        assert page in docs and {f"{page}#{s.id}" for s in entry.sections} <= docs, entry.id
        assert ENTRY.unsearched <= markup.generated_anchors(entry.kind, entry.has_footnotes)
        assert not {f"{page}#{a}" for a in ENTRY.unsearched} & docs, entry.id
    for case in TAXONOMY.cases:
        page = f"cases/{case.id}/"
        assert page in docs and {f"{page}#{s.id}" for s in case.sections} <= docs, case.id
        assert CASE.unsearched <= cases.PAGE_ANCHORS and site.page(page).find(id="path") is not None
        assert not {f"{page}#{a}" for a in CASE.unsearched} & docs, case.id
    assert any(d.startswith("taxonomy/") and d.endswith("#related-terms") for d in docs)


def test_words_every_entry_repeats_stay_out_of_search(site: Site) -> None:
    """A block marked `data-search-exclude` (the attribution box every entry shows) is on the page and not in the
    search index, while the text around it is."""
    docs = json.loads((site.root / "search/search_index.json").read_text("utf-8"))["docs"]
    texts: dict[str, str] = {}
    for doc in docs:
        texts[doc["location"].split("#")[0]] = texts.get(doc["location"].split("#")[0], "") + doc["text"]
    for entry in TAXONOMY.entries.values():
        page = f"taxonomy/{entry.id}/"
        excluded = site.page(page).select("[data-search-exclude]")
        assert excluded and "Source and attribution" in excluded[0].get_text(), entry.id
        for block in excluded:
            for paragraph in block.find_all("p"):
                assert paragraph.get_text(" ", strip=True)[:60] not in texts[page], (entry.id, paragraph)
        assert entry.summary.split()[0] in texts[page], entry.id


def _append_to_body(text: str) -> str:
    return text.rstrip("\n") + "\n\nA sentence added by a contributor.\n"


BODY_EDITS = [  # (folder, how the file changes, whether only its text changed)
    ("entries", _append_to_body, True),
    ("cases", _append_to_body, True),
    ("entries", lambda text: text.replace("title: Synthetic", "title: Renamed synthetic", 1), False),
    ("entries", lambda text: _append_to_body(text).replace("A sentence added", "A sentence [@amodei2016] added"),
     False),
    ("entries", lambda text: text.replace("\n## ", "\nAn added line.\n\n## ", 1), False),
    ("cases", lambda text: text.replace("summary: A synthetic", "summary: A changed synthetic", 1), False),
]


@pytest.mark.parametrize(("folder", "change", "text_only"), BODY_EDITS)
def test_text_edits_change_only_the_pages_they_are_said_to(tmp_path: Path, folder: str, change: Any,
                                                           text_only: bool) -> None:
    """body_edits names an edit that changes only entry or case texts (else None), and then the pages whose full
    render changes are exactly its page and the JSON export: serve may keep every other rendered page."""
    src = write_sources(tmp_path / "taxonomy_src", 30)
    old = load(src, src.parent)
    path = sorted((src / folder).glob("*.md"))[3]
    path.write_text(change(path.read_text("utf-8")), "utf-8")
    new = load(src, src.parent)
    edits = body_edits(old, new)
    assert (edits is not None) == text_only
    if edits is None:
        return
    assert edits.entries | edits.cases == {path.stem}
    before, after = Renderer(old).files(), Renderer(new).files()
    assert before.keys() == after.keys()
    changed = {name for name in after if before[name] != after[name]}
    assert changed == {*(entry_path(i) for i in edits.entries), *(case_path(i) for i in edits.cases), pages.EXPORT.path}
