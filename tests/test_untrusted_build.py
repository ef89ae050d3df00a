"""A real strict build of the whole project with payloads the loader accepts in every text field of every source
file: the build succeeds, and no page, head, nav, search document, redirect or JSON island carries anything live."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import copy_project, run_mkdocs
from taxonomy import sanitize

pytestmark = pytest.mark.slow

MARKER = "alert(1)"
PLAIN = (f'Evil " onmouseover="{MARKER}" \' onfocus=\'{MARKER}\' javascript:{MARKER} '
         f"&lt;img src=x onerror={MARKER}&gt; [x](javascript:{MARKER}) {{{{ 7*7 }}}} *y* < / script >")
"""Accepted in plain-text fields (no tag, no attribute list), and must show as exactly this text."""
SENTENCE = PLAIN.replace(f"[x](javascript:{MARKER}) ", "")
"""The payload for one-sentence fields (summaries, justifications), which refuse link syntax."""
INLINE = f'*emph* &lt;img src=x onerror={MARKER}&gt; " onmouseover="{MARKER}"'
"""Accepted in inline-Markdown fields (a dimension's why, a question's help)."""


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _poison_entries(src: Path) -> None:
    for path in sorted((src / "entries").glob("*.md")):
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        data["title"] = f"{data['title']} {PLAIN}"
        data["summary"] = f"{data['summary'][:80]} {SENTENCE}."
        data["aliases"] = [*data.get("aliases", []), f"{data['id']} {PLAIN}"]
        for value in (data.get("dimensions") or {}).values():
            value["why"] = f"{value['why']} {INLINE}"
        if "status_note" in data:
            data["status_note"] = f"{data['status_note']} {PLAIN}"
        path.write_text(f"---\n{_dump(data)}---\n{body}", "utf-8")


def _poison_cases_and_crosswalk(src: Path) -> None:
    for path in sorted((src / "cases").glob("*.md")):
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        data["title"] = f"{data['title']} {PLAIN}"
        data["summary"] = f"{data['summary'][:80]} {SENTENCE}."
        for item in data["illustrates"]:
            item["why"] = f"{item['why']} {INLINE}"
        path.write_text(f"---\n{_dump(data)}---\n{body}", "utf-8")
    crosswalk = yaml.safe_load((src / "crosswalk.yaml").read_text("utf-8"))
    for term in crosswalk["terms"]:
        term["term"] += f" {PLAIN}"
        for mapping in term["mappings"]:
            mapping["justification"] = f"{mapping['justification'][:60]} {SENTENCE}."
    (src / "crosswalk.yaml").write_text(_dump(crosswalk), "utf-8")
    sources = yaml.safe_load((src / "sources.yaml").read_text("utf-8"))
    for source in sources["sources"]:
        source["name"] += f" {SENTENCE}"
        for name in ("contains", "breaks_off", "obtained"):
            source[name] += f" {INLINE}"
    (src / "sources.yaml").write_text(_dump(sources), "utf-8")


def _poison_yaml(src: Path) -> None:
    works = yaml.safe_load((src / "bibliography.yaml").read_text("utf-8"))
    for work in works.values():
        work["authors"] = [f"Evil{PLAIN}, Given", *work["authors"]]
        for name in ("title", "container", "note", "caveat", "publisher"):
            if name in work or name in ("title", "container"):
                work[name] = f"{work.get(name, '')} {PLAIN}".strip()
    (src / "bibliography.yaml").write_text(_dump(works), "utf-8")
    dimensions = yaml.safe_load((src / "dimensions.yaml").read_text("utf-8"))
    for dimension in dimensions:
        dimension["title"] += f" {PLAIN}"
        dimension["question"] += f" {PLAIN}"
        for option in dimension["values"]:
            option["label"] += f" {PLAIN}"
            option["meaning"] += f" {PLAIN}"
    (src / "dimensions.yaml").write_text(_dump(dimensions), "utf-8")
    tree = yaml.safe_load((src / "decision-tree.yaml").read_text("utf-8"))
    for question in tree["questions"]:
        question["question"] += f" {PLAIN}"
        question["help"] += f" {INLINE}"
        for answer in question["answers"]:
            answer["label"] += f" {PLAIN}" if ":" in answer["label"] else f": {PLAIN}"  # cases name the part before
    (src / "decision-tree.yaml").write_text(_dump(tree), "utf-8")
    changelog = yaml.safe_load((src / "changelog.yaml").read_text("utf-8"))
    for release in changelog["releases"]:
        release["summary"] += f" {PLAIN}"
    (src / "changelog.yaml").write_text(_dump(changelog), "utf-8")
    meta = yaml.safe_load((src / "taxonomy.yaml").read_text("utf-8"))
    meta["title"] += f" {PLAIN}"
    (src / "taxonomy.yaml").write_text(_dump(meta), "utf-8")


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built with a payload in every text field."""
    project = copy_project(tmp_path_factory.mktemp("poisoned"))
    _poison_entries(project / "taxonomy_src")
    _poison_yaml(project / "taxonomy_src")
    _poison_cases_and_crosswalk(project / "taxonomy_src")
    result = run_mkdocs(project, "build", "--strict", "--site-dir", "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def _live(html: str) -> list[str]:
    """Live payloads in a whole page: handlers, script URLs, foreign resources, payload-bearing scripts."""
    found = []
    for match in re.finditer(r"<(\w+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", html):
        tag, attrs = match.group(1).lower(), match.group(2)
        if re.search(r"\s on\w+\s*=", " " + attrs, re.IGNORECASE):
            found.append(f"handler on <{tag}>")
        if re.search(r"(href|src)\s*=\s*[\"']?\s*(javascript|data|vbscript):", attrs, re.IGNORECASE):
            found.append(f"script URL on <{tag}>")
        if tag in ("img", "iframe", "script", "link") and re.search(r"src\s*=\s*[\"']?(https?:)?//", attrs):
            found.append(f"foreign resource on <{tag}>")
    for match in re.finditer(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
        kind, text = match.group(1), match.group(2)
        if "application/ld+json" in kind:
            json.loads(text)  # data, and nothing but data
            assert "<" not in text
        elif MARKER in text:
            found.append("payload inside a script")
    return found


def test_build_with_payloads_everywhere_has_nothing_live(poisoned_site: Path) -> None:
    """Every built page, redirect stub and the search index are inert."""
    problems = {}
    for path in sorted(poisoned_site.rglob("*.html")):
        found = _live(path.read_text("utf-8"))
        if found:
            problems[path.relative_to(poisoned_site).as_posix()] = found
    assert problems == {}
    index = json.loads((poisoned_site / "search" / "search_index.json").read_text("utf-8"))
    for doc in index["docs"]:  # Material shows titles and text as HTML
        assert sanitize.findings(doc["title"]) == [] and sanitize.findings(doc["text"]) == [], doc["location"]


def test_payload_text_is_shown_not_dropped(poisoned_site: Path) -> None:
    """The title's payload is on its page as text, in the head title, the h1 and the nav."""
    page = (poisoned_site / "taxonomy" / "precocious" / "index.html").read_text("utf-8")
    escaped = PLAIN.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert title and "onmouseover=&#34;alert(1)&#34;" in title.group(1)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
    assert h1 and "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in h1.group(1)
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert description and "onmouseover=" in description.group(1)
    assert escaped in page.replace("&#39;", "'") or "onmouseover=&#34;alert(1)&#34;" in page


def test_citation_meta_tags_carry_the_payload_as_text(poisoned_site: Path) -> None:
    """The head's citation meta tags hold each title exactly as its JSON-LD does: escaped for the attribute, not
    dropped or cut at a quote."""
    from bs4 import BeautifulSoup

    pages = [poisoned_site / "taxonomy" / "precocious" / "index.html",
             next(p for p in sorted((poisoned_site / "cases").glob("*/index.html")))]
    for path in pages:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        ld = json.loads(soup.select_one("head script[type='application/ld+json']").string)
        tags = {m["name"]: m["content"] for m in soup.select("head meta[name]")}
        assert PLAIN in ld["name"] and tags["citation_title"] == tags["DC.title"] == ld["name"], path
