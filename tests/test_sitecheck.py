"""The site checker: each fixture site broken in one way yields exactly the expected report; the real build is clean."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Site, line_of, mkdocs_env
from taxonomy import sitecheck
from taxonomy.loader import load
from taxonomy.sitecheck import (
    ERROR,
    Sources,
    check_site,
    external_problem,
    find_line,
    load_sources,
    main,
    read_site,
    resolve,
)

SITES = Path(__file__).resolve().parent / "fixtures" / "sites"
ANCHOR_FIX = "Fix: use an id that exists on the target page (a heading's {#id}) or drop the fragment."
LOCAL_FIX = "Fix: link to the public https:// address, or to a page of this site with a relative link."

# (fixture site, every line of the report)
CASES = [
    ("clean", []),
    ("missing-page",
     ["about/index.html: link to a missing page (../nowhere/). Fix: point it at an existing page or remove it."]),
    ("missing-file",
     ["index.html: link to a missing file (assets/diagram.png). Fix: point it at an existing file or remove it."]),
    ("missing-fragment", [f"index.html: link to a missing anchor (about/#team). {ANCHOR_FIX}"]),
    ("same-page-fragment", [f"index.html: link to a missing anchor (#summary). {ANCHOR_FIX}"]),
    ("empty-href", ['index.html: empty link (<a href="">). Fix: give the link a target or remove it.']),
    ("footnote-without-definition",
     ["index.html: footnote reference without a definition (#fn:2). "
      "Fix: add the definition '[^2]: ...' or remove the marker."]),
    ("footnote-never-referenced",
     ["index.html: footnote definition is never referenced (#fn:spare). "
      "Fix: reference it with '[^spare]' in the text or remove it."]),
    ("footnote-broken-backref",
     ["index.html: footnote back-reference to a missing reference (#fnref:9). "
      "Fix: make the back-reference return to a marker '[^9]' in the text."]),
    ("footnote-duplicate-id",
     ["index.html: duplicate footnote id (fn:1). Fix: give each footnote its own label."]),
    ("duplicate-id",
     ["index.html: duplicate id (intro). Fix: give each element its own id; fragments can only reach the first one."]),
    ("citation-missing-key",
     ["taxonomy/alpha/index.html: citation of an unknown work 'nobody2021' (#ref-nobody2021). Fix: add 'nobody2021' "
      "to taxonomy_src/bibliography.yaml and cite it as [@nobody2021], or correct the key."]),
    ("uncited-bibliography",
     ["bibliography/index.html: warning: bibliography entry is never cited (#lonely2021). Fix: cite it with "
      "[@lonely2021] or list it in an entry's references, or remove it from taxonomy_src/bibliography.yaml."]),
    ("orphan-page",
     ["lost/index.html: orphan page: no other page links to it (lost/). "
      "Fix: add it to the nav or link it from a related page, or delete it."]),
    ("http-link",
     ["index.html: external link is not https (http://example.org/post). Fix: use the https:// address."]),
    ("localhost-link",
     [f"index.html: link to a local or private address (http://localhost:8000/taxonomy/). {LOCAL_FIX}"]),
    ("private-address-link",
     [f"index.html: link to a local or private address (https://192.168.1.20/taxonomy/). {LOCAL_FIX}"]),
]


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c[0] for c in CASES])
def test_fixture_site_gives_exactly_the_expected_report(case: str, expected: list[str]) -> None:
    """Each fixture site is broken in one way (or none) and the report says exactly that."""
    result = check_site(SITES / case)
    assert [str(f) for f in result.findings] == expected


def test_every_fixture_site_is_in_the_table() -> None:
    """A fixture site added without an expected report would silently go unchecked."""
    assert sorted(p.name for p in SITES.iterdir() if p.is_dir()) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize(("case", "status", "summary"), [
    ("clean", 0, "checked 5 pages: 0 problems, 0 warnings"),
    ("missing-page", 1, "checked 2 pages: 1 problem, 0 warnings"),
    ("uncited-bibliography", 0, "checked 2 pages: 0 problems, 1 warning"),
])
def test_command_exit_status_and_summary(case: str, status: int, summary: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Problems exit 1, warnings alone exit 0; the last line is the summary."""
    assert main([str(SITES / case)]) == status
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == summary
    assert out[:-1] == dict(CASES)[case]


def test_command_writes_the_external_link_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every external URL is listed with the pages that use it, as JSON or as text."""
    assert main([str(SITES / "clean"), "--report-external", str(tmp_path / "external.json")]) == 0
    assert main([str(SITES / "clean"), "--report-external", str(tmp_path / "external.txt")]) == 0
    assert json.loads((tmp_path / "external.json").read_text("utf-8")) == {
        "https://example.org/": ["index.html"],
        "https://example.org/post": ["index.html"],
        "mailto:editors@example.org": ["index.html"],
    }
    assert (tmp_path / "external.txt").read_text("utf-8") == (
        "https://example.org/\n    index.html\nhttps://example.org/post\n    index.html\n"
        "mailto:editors@example.org\n    index.html\n")


def test_external_links_are_not_fetched_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --external nothing touches the network."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used without --external")
    monkeypatch.setattr(sitecheck, "check_online", refuse)
    monkeypatch.setattr(sitecheck, "fetch", refuse)
    assert main([str(SITES / "clean")]) == 0


@pytest.mark.parametrize(("url", "problem"), [
    ("https://example.org/", None),
    ("mailto:editors@example.org", None),
    ("https://172.32.0.1/", None),
    ("http://example.org/", "external link is not https"),
    ("//cdn.example.org/lib.js", "external link is not https"),
    ("javascript:alert(1)", "external link is not https"),
    ("https://localhost/", "link to a local or private address"),
    ("http://127.0.0.1:8000/", "link to a local or private address"),
    ("https://10.1.2.3/", "link to a local or private address"),
    ("https://172.16.0.1/", "link to a local or private address"),
    ("https://172.31.255.1/", "link to a local or private address"),
    ("https://192.168.0.1/", "link to a local or private address"),
    ("https://[::1]:8000/", "link to a local or private address"),
    ("https://printer.local/", "link to a local or private address"),
])
def test_external_url_classification(url: str, problem: str | None) -> None:
    """Only public https addresses (and mailto) pass."""
    assert external_problem(url) == problem


@pytest.mark.parametrize(("page", "url", "path", "fragment", "exists"), [
    ("taxonomy/alpha/index.html", "../..", "index.html", "", True),
    ("taxonomy/alpha/index.html", "./#definition", "taxonomy/alpha/index.html", "definition", True),
    ("taxonomy/alpha/index.html", "#fn:1", "taxonomy/alpha/index.html", "fn:1", True),
    ("index.html", "about", "about/index.html", "", True),
    ("index.html", "assets/site.css?v=2", "assets/site.css", "", True),
    ("404.html", "/taxonomy/alpha/", "taxonomy/alpha/index.html", "", True),
    ("about/index.html", "../index.html#home", "index.html", "home", True),
    ("about/index.html", "../nowhere/", "nowhere/index.html", "", False),
    ("index.html", "../outside.html", "../outside.html", "", False),
])
def test_resolve_relative_urls(page: str, url: str, path: str, fragment: str, exists: bool) -> None:
    """Relative, directory, absolute and query-string URLs resolve to site files."""
    target = resolve(page, url, read_site(SITES / "clean").files)
    assert (target.path, target.fragment, target.exists, target.external) == (path, fragment, exists, None)


@pytest.mark.parametrize(("url", "path", "exists"), [
    ("/project/taxonomy/alpha/", "taxonomy/alpha/index.html", True),
    ("/project/", "index.html", True),
    ("/project", "index.html", True),
    ("/taxonomy/alpha/", "/taxonomy/alpha/", False),
    ("/projection/", "/projection/", False),
])
def test_root_relative_urls_resolve_under_the_base_path(url: str, path: str, exists: bool) -> None:
    """Served under /project/, a root-relative URL (the 404 page's) names a site file only inside that path."""
    target = resolve("404.html", url, read_site(SITES / "clean").files, "/project/")
    assert (target.path, target.exists) == (path, exists)


def test_source_lines_found_by_hints_in_order() -> None:
    """The first hint that occurs wins; hints match whole ids only."""
    lines = ["See [[gradient]] and [[gradient-x#defn-2]].", "Then [[gradient#defn|the definition]]."]
    assert find_line(lines, ("[[gradient#defn", "[[gradient")) == 2
    assert find_line(lines, ("#defn",)) == 2
    assert find_line(lines, ("#def",)) is None


def test_citation_problem_names_source_file_and_line(tmp_path: Path) -> None:
    """On an entry page, a problem is traced to the entry's source file and the line with the citation."""
    source = tmp_path / "entries" / "alpha.md"
    source.parent.mkdir()
    source.write_text("---\nid: alpha\n---\n\nClaimed by [@smith2020] and [@nobody2021, p. 3].\n", "utf-8")
    result = check_site(SITES / "citation-missing-key", Sources(tmp_path, {"alpha": "entries/alpha.md"}))
    assert [str(f) for f in result.findings] == [
        "taxonomy/alpha/index.html: citation of an unknown work 'nobody2021' (#ref-nobody2021) "
        "[source: entries/alpha.md:5]. Fix: add 'nobody2021' to taxonomy_src/bibliography.yaml and cite it as "
        "[@nobody2021], or correct the key."]


def test_broken_section_link_is_traced_to_its_source_line(fixture_site: Site, tmp_path: Path) -> None:
    """When a built page loses an anchor that an entry links to, the checker names the entry's file and line."""
    project = fixture_site.root.parent
    taxonomy = load(project / "taxonomy_src", project)
    source = taxonomy.entries["alpha"]
    line = line_of(project / source.path, "[[beta#definition")
    out = tmp_path / "site"
    shutil.copytree(fixture_site.root, out)
    target = out / "taxonomy" / "beta" / "index.html"
    html = target.read_text("utf-8")
    assert html.count('id="definition"') == 1
    target.write_text(html.replace('id="definition"', 'id="renamed-definition"'), "utf-8")
    sources, note = load_sources(project / "taxonomy_src", project)
    assert note is None
    errors = [str(f) for f in check_site(out, sources).findings if f.severity == ERROR]
    assert f"taxonomy/alpha/index.html: link to a missing anchor (../beta/#definition) " \
           f"[source: {source.path}:{line}]. {ANCHOR_FIX}" in errors
    assert all("#definition" in e for e in errors)


def test_real_site_has_no_problems(site: Site) -> None:
    """The real strict build: every link, anchor, footnote and citation resolves."""
    sources, note = load_sources(ROOT / "taxonomy_src", ROOT)
    assert note is None
    result = check_site(site.root, sources)
    problems = [str(f) for f in result.findings if f.severity == ERROR]
    assert problems == [], "\n".join(problems)
    assert result.pages == len(site.pages)
    assert result.external


def test_real_site_citation_keys_are_the_bibliography(site: Site) -> None:
    """The checker sees the real site's citations: the bibliography's h2 ids are exactly the works' keys."""
    index = read_site(site.root)
    taxonomy = load(ROOT / "taxonomy_src", ROOT)
    assert sorted(index.pages[sitecheck.BIBLIOGRAPHY].work_ids) == sorted(taxonomy.works)
    assert any(link.kind == "cite" for page in index.pages.values() for link in page.links)


def test_sitecheck_never_imports_mkdocs() -> None:
    """The checker belongs to the pure-Python core."""
    code = "import sys, taxonomy.sitecheck; sys.exit('mkdocs' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], env=mkdocs_env(), timeout=60).returncode == 0
