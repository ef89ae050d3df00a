"""Frozen editions on fixture releases, as CONTRIBUTING.md says to make them: `make release`, commit, `make freeze`,
commit. Each edition is built from its commit, stored once, unchanged by later template changes, and assembled
with the current site by `make editions` (here: a strict build, then `taxonomy editions assemble`)."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import edit, fixture_project, run_mkdocs, taxonomy_cli
from lifecycle import rename, retire
from taxonomy import editions
from taxonomy.editions import MECHANISM, EditionError, stored, verify
from taxonomy.loader import load
from taxonomy.releases import add_to_upcoming

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow

GIT_ENV = {"GIT_AUTHOR_NAME": "Fixture", "GIT_AUTHOR_EMAIL": "fixture@example.org", "GIT_COMMITTER_NAME": "Fixture",
           "GIT_COMMITTER_EMAIL": "fixture@example.org", "GIT_AUTHOR_DATE": "2026-12-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-12-01T00:00:00Z", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}
NEW_SUMMARY = "A failure mode whose summary the second fixture release rewrote."
MARKER = "<!-- a template change after both releases -->"
SCRIPT_TAG = """<script src="{{ 'assets/editions.js' | url }}"></script>"""


def git(repo: Path, *args: str) -> str:
    """Run git in the fixture repository with a fixed identity and date."""
    result = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args], cwd=repo,
                            env={**os.environ, **GIT_ENV}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    """Commit every change; return the commit id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@dataclass(frozen=True)
class Releases:
    """The fixture repository after two frozen releases: its folder, each release's commit and stored bytes."""

    repo: Path
    commits: dict[str, str]
    stored: dict[str, tuple[bytes, bytes]]
    old_summary: str
    refused_before_commit: str


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    """Release 1.2.3 (the fixture's), then 1.3.0 with alpha's summary rewritten, gamma renamed gamma-two and beta
    retired for alpha, each frozen as documented."""
    repo = fixture_project(tmp_path_factory.mktemp("editions") / "project")
    shutil.rmtree(repo / "editions", ignore_errors=True)
    git(repo, "init", "-q")
    # The first release predates the editions mechanism, as 0.1.0 does: no editions module, no script tag.
    mechanism = {path: path.read_bytes() for path in (repo / MECHANISM, repo / "overrides" / "main.html")}
    (repo / MECHANISM).unlink()
    edit(repo / "overrides" / "main.html", SCRIPT_TAG, "")
    first = commit_all(repo, "Release 1.2.3")
    for path, data in mechanism.items():
        path.write_bytes(data)
    commit_all(repo, "The editions mechanism")
    frozen = taxonomy_cli(repo, "editions", "freeze", "1.2.3")
    assert frozen.returncode == 0, frozen.stderr
    commit_all(repo, "Freeze edition 1.2.3 (rebuilt)")
    src = repo / "taxonomy_src"
    alpha = src / "entries" / "alpha.md"
    old_summary = load(src, repo).entries["alpha"].summary
    text = alpha.read_text("utf-8")
    alpha.write_text(re.sub(r"(?m)^summary: .*(\n  .*)*", f"summary: {NEW_SUMMARY}", text, count=1), "utf-8")
    add_to_upcoming(src, "changed", "alpha")
    rename(repo, "gamma", "gamma-two")
    retire(repo, "beta", "alpha")
    assert taxonomy_cli(repo, "anchors").returncode == 0
    released = taxonomy_cli(repo, "release", "1.3.0", "--date", "2026-12-01")
    assert released.returncode == 0, released.stderr
    refused = taxonomy_cli(repo, "editions", "freeze", "1.3.0")
    assert refused.returncode == 1
    second = commit_all(repo, "Release 1.3.0")
    edit(repo / "docs" / "index.md", "\n", "\nA change after the release.\n")
    commit_all(repo, "A change after the release, before the freeze")
    frozen = taxonomy_cli(repo, "editions", "freeze", "1.3.0")
    assert frozen.returncode == 0, frozen.stderr
    commit_all(repo, "Freeze edition 1.3.0")
    kept = {v: (stored(repo, v).archive.read_bytes(), stored(repo, v).manifest.read_bytes())
            for v in ("1.2.3", "1.3.0")}
    return Releases(repo, {"1.2.3": first, "1.3.0": second}, kept, old_summary, refused.stderr.strip())


def test_each_release_records_the_commit_its_edition_was_built_from(releases: Releases) -> None:
    """The changelog names the commit that dated each release (not a later one), the one older than the mechanism
    as rebuilt, and the store holds each edition with its manifest."""
    taxonomy = load(releases.repo / "taxonomy_src", releases.repo)
    assert {r.version: (r.commit, r.rebuilt) for r in taxonomy.releases} == \
        {"1.2.3": (releases.commits["1.2.3"], datetime.date.today().isoformat()),
         "1.3.0": (releases.commits["1.3.0"], None)}
    for version in releases.commits:
        assert verify(releases.repo, version)["taxonomy.json"]
    checked = taxonomy_cli(releases.repo, "editions", "verify")
    assert (checked.returncode, checked.stderr) == (0, "every stored edition matches its manifest (1.2.3, 1.3.0).\n")


def test_freezing_needs_the_release_committed(releases: Releases) -> None:
    """`make freeze` right after `make release`, before the commit, says to commit first."""
    assert releases.refused_before_commit == ("error: no commit dates release 1.3.0 (got none in `git log "
                                              "taxonomy_src/changelog.yaml`). Fix: commit what `make release "
                                              "VERSION=1.3.0` wrote, then run `make freeze` again.")


def test_an_edition_built_again_from_its_commit_is_the_same_bytes(releases: Releases, tmp_path: Path) -> None:
    """The build of a commit, and its archive, are reproducible: times come from the commit, not the clock."""
    site_url = load(releases.repo / "taxonomy_src", releases.repo).meta.site_url
    editions.build(releases.repo, releases.commits["1.2.3"], "1.2.3", site_url, tmp_path / "out")
    assert editions.pack(editions.read_folder(tmp_path / "out"), "1.2.3") == releases.stored["1.2.3"][0]


def test_a_template_change_leaves_every_stored_edition_unchanged(releases: Releases, tmp_path: Path) -> None:
    """After a template changes, `make editions` publishes the new template at the root and every edition exactly as
    stored (plus its script tag), with its own text and anchors, verified against its manifest."""
    repo = shutil.copytree(releases.repo, tmp_path / "repo")
    edit(repo / "overrides" / "main.html", "{% block libs %}", "{% block libs %}\n" + MARKER)
    commit_all(repo, "A template change")
    built = run_mkdocs(repo, "build", "--strict", "--site-dir", "site")
    assert built.returncode == 0, built.stderr
    assembled = taxonomy_cli(repo, "editions", "assemble", "site")
    assert assembled.returncode == 0, assembled.stderr
    for version, (archive, manifest) in releases.stored.items():
        assert (stored(repo, version).archive.read_bytes(), stored(repo, version).manifest.read_bytes()) == \
            (archive, manifest)
        for name, body in verify(repo, version).items():
            out = (repo / "site" / "v" / version / name).read_bytes()
            assert out == (editions.with_script(body, len(Path("v", version, name).parts) - 1)
                           if name.endswith(".html") else body)
    site = repo / "site"
    assert MARKER in (site / "taxonomy/alpha/index.html").read_text("utf-8")
    old = (site / "v/1.2.3/taxonomy/alpha/index.html").read_text("utf-8")
    assert MARKER not in old and releases.old_summary.split()[0] in old and NEW_SUMMARY not in old
    assert NEW_SUMMARY in (site / "v/1.3.0/taxonomy/alpha/index.html").read_text("utf-8")
    registered = git(repo, "show", f"{releases.commits['1.2.3']}:taxonomy_src/anchors.txt").splitlines()
    for address in (a for a in registered if a.startswith("/") and "#" in a):
        path, fragment = address.split("#")
        page = site / "v" / "1.2.3" / path.strip("/") / "index.html"
        assert f'id="{fragment}"' in page.read_text("utf-8"), address
    listed = json.loads((site / "versions.json").read_text("utf-8"))
    assert [v["version"] for v in listed] == ["current", "1.3.0", "1.2.3"]


def test_a_changed_archive_stops_the_assembly_naming_it(releases: Releases, tmp_path: Path) -> None:
    """`make editions` refuses a stored archive that is not the one frozen, and publishes nothing of it."""
    repo = shutil.copytree(releases.repo, tmp_path / "repo")
    archive = stored(repo, "1.2.3").archive
    data = archive.read_bytes()
    archive.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    (repo / "site").mkdir()
    result = taxonomy_cli(repo, "editions", "assemble", "site")
    assert result.returncode == 1
    assert result.stderr.startswith("error: editions/1.2.3.tar.gz does not match its manifest (got sha256 ")
    assert not (repo / "site" / "v").exists()


def test_a_commit_that_is_not_the_release_or_does_not_build_is_refused(releases: Releases, tmp_path: Path) -> None:
    """A rebuild names the commit that dated the release; a commit whose site does not build stores nothing."""
    repo = shutil.copytree(releases.repo, tmp_path / "repo")
    site_url = load(repo / "taxonomy_src", repo).meta.site_url
    with pytest.raises(EditionError) as caught:
        editions.build(repo, releases.commits["1.3.0"], "1.2.3", site_url, tmp_path / "out")
    assert str(caught.value) == (f"commit {releases.commits['1.3.0'][:12]} is not version 1.2.3 (got version 1.3.0 in "
                                 "taxonomy_src/taxonomy.yaml). Fix: name the commit that dated the release "
                                 "(git log taxonomy_src/changelog.yaml).")
    edit(repo / "docs" / "index.md", "\n", "\n[a broken link](nowhere.md)\n")
    broken = commit_all(repo, "A page with a broken link")
    with pytest.raises(EditionError) as caught:
        editions.build(repo, broken, "1.3.0", site_url, tmp_path / "out")
    assert _got(caught.value) == (f"the site at commit {broken[:12]} did not build (got …). Fix: name a commit whose "
                                  "site builds with today's tools.")
    with pytest.raises(EditionError) as caught:
        editions.build(repo, "0" * 40, "1.3.0", site_url, tmp_path / "out")
    assert _got(caught.value) == (f"git archive --format=tar {'0' * 40} failed in {repo} (got …). Fix: run it from a "
                                  "clone of the repository with its history.")


def _got(error: Exception) -> str:
    """A message with what a tool printed, which varies, shown as an ellipsis."""
    return re.sub(r"\(got .*\)\. Fix:", "(got …). Fix:", str(error), flags=re.DOTALL)


MIGRATION = "migration.json"
BASE = "misalignment-taxonomy"
"""The project path the site is served under (GitHub Pages without a custom domain)."""


@pytest.fixture(scope="module")
def served(releases: Releases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The assembled fixture site (current plus both editions) with its migration map, served under the project path
    on localhost."""
    import functools
    import http.server
    import threading

    repo = shutil.copytree(releases.repo, tmp_path_factory.mktemp("served") / "repo")
    built = run_mkdocs(repo, "build", "--strict", "--site-dir", "site")
    assert built.returncode == 0, built.stderr
    assert taxonomy_cli(repo, "editions", "assemble", "site").returncode == 0
    if not (repo / "site" / MIGRATION).exists():  # until the migration map is published, its interface
        fates = {"alpha": {"status": "unchanged", "current": "alpha"},
                 "group": {"status": "unchanged", "current": "group"},
                 "beta": {"status": "retired", "current": "beta", "replaced_by": "alpha"}}
        ids = {"1.2.3": {**fates, "gamma": {"status": "renamed", "current": "gamma-two"}},
               "1.3.0": {**fates, "gamma-two": {"status": "unchanged", "current": "gamma-two"}}}
        (repo / "site" / MIGRATION).write_text(json.dumps({"releases": [{"version": v, "ids": i} for v, i in
                                                                         ids.items()]}), "utf-8")
    root = repo / "served"
    root.mkdir()
    (root / BASE).symlink_to(repo / "site")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{BASE}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser: Browser, served: str) -> Iterator[Page]:
    """A tab that aborts, and records, every request that leaves the local server, and records JavaScript errors;
    the test fails if there were any."""
    context = browser.new_context()
    outside: list[str] = []
    errors: list[str] = []
    local = served.split("/")[2]
    context.route(re.compile(rf"^(?!https?://{re.escape(local)}/)"),
                  lambda route, request: (outside.append(request.url), route.abort()))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert (outside, errors) == ([], [])


@pytest.mark.browser
def test_an_old_edition_carries_the_banner_and_the_selector_moves_between_editions(tab: Page, served: str) -> None:
    """On an old edition's entry page: the banner names the edition and its date and links to the entry today and
    to its comparison, which lists every edition and shows the words that changed; the selector lists every
    edition and moves the page; the current site has no banner."""
    from playwright.sync_api import expect

    tab.goto(f"{served}v/1.2.3/taxonomy/alpha/")
    banner = tab.locator(".tx-edition-banner")
    expect(banner).to_contain_text("edition 1.2.3 of 2026-11-26")  # frozen before the mechanism: the tag added
    expect(banner).to_contain_text("rebuilt on")
    assert banner.count() == 1 and tab.locator(".tx-editions").count() == 1
    today = banner.get_by_role("link", name="Read this entry in the current edition")
    assert today.get_attribute("href") == f"{served}taxonomy/alpha/"
    select = tab.locator(".tx-editions select")
    assert select.locator("option").evaluate_all("options => options.map(o => o.value)") == \
        ["current", "1.3.0", "1.2.3"]
    assert select.input_value() == "1.2.3"
    changed = banner.get_by_role("link", name="What changed in this entry since")
    assert changed.get_attribute("href") == f"{served}editions/?entry=alpha&from=1.2.3&to=current"
    changed.click()
    expect(tab.locator(".tx-editions-list a")).to_have_count(3)
    assert [a.get_attribute("href") for a in tab.locator(".tx-editions-list a").all()] == \
        [served, f"{served}v/1.3.0/", f"{served}v/1.2.3/"]
    result = tab.locator(".tx-compare-result")
    expect(result.locator("ins").first).to_be_visible()
    assert NEW_SUMMARY.split()[-1] in " ".join(result.locator("ins").all_inner_texts())
    assert any(text.strip() for text in result.locator("del").all_inner_texts())
    tab.goto(f"{served}v/1.3.0/taxonomy/alpha/")
    expect(tab.locator(".tx-edition-banner")).to_contain_text("edition 1.3.0")  # its own copy gives way
    expect(tab.locator(".tx-edition-banner")).not_to_contain_text("rebuilt")
    assert tab.locator(".tx-edition-banner").count() == 1 and tab.locator(".tx-editions").count() == 1
    tab.locator(".tx-editions select").select_option("current")
    tab.wait_for_url(f"{served}taxonomy/alpha/")
    expect(tab.locator(".tx-editions select")).to_have_value("current")
    assert tab.locator(".tx-edition-banner").count() == 0


@pytest.mark.browser
def test_renames_and_retirements_are_followed_and_named(tab: Page, served: str) -> None:
    """A renamed entry's old edition links to it under its new id and the selector moves between its ids; a retired
    one links to its replacement; the comparison names the rename and the retirement."""
    from playwright.sync_api import expect

    tab.goto(f"{served}v/1.2.3/taxonomy/gamma/#definition")
    banner = tab.locator(".tx-edition-banner")
    expect(banner).to_contain_text("renamed since: gamma-two")
    assert banner.get_by_role("link", name="Read this entry in the current edition").get_attribute("href") == \
        f"{served}taxonomy/gamma-two/#definition"
    tab.locator(".tx-editions select").select_option("current")
    tab.wait_for_url(f"{served}taxonomy/gamma-two/#definition")
    tab.locator(".tx-editions select").select_option("1.2.3")
    tab.wait_for_url(f"{served}v/1.2.3/taxonomy/gamma/#definition")
    tab.goto(f"{served}v/1.2.3/taxonomy/beta/")
    expect(tab.locator(".tx-edition-banner")).to_contain_text("retired since; replaced by alpha")
    assert tab.get_by_role("link", name="Read this entry in the current edition").get_attribute("href") == \
        f"{served}taxonomy/alpha/"
    tab.goto(f"{served}editions/?entry=gamma&from=1.2.3&to=current")
    expect(tab.locator(".tx-diff-renamed")).to_have_text("Renamed: gamma → gamma-two.")
    tab.goto(f"{served}editions/?entry=beta&from=1.2.3&to=1.3.0")
    expect(tab.locator(".tx-diff-retired")).to_contain_text("Replaced by alpha.")
    tab.set_viewport_size({"width": 375, "height": 700})
    tab.goto(f"{served}v/1.2.3/taxonomy/gamma/")
    expect(tab.locator(".tx-edition-banner")).to_be_visible()
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 375, "the selector fits a phone's header"
