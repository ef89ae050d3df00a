"""Check a built site: every link, anchor, footnote and citation must resolve (`python -m taxonomy.sitecheck SITE`)."""

from __future__ import annotations

import argparse
import ipaddress
import json
import posixpath
import re
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .loader import load
from .pages import BIBLIOGRAPHY as BIBLIOGRAPHY_PAGE
from .problems import TaxonomyError, annotation, in_github_actions
from .urls import ENTRY_DIR

ERROR = "error"
WARNING = "warning"
BIBLIOGRAPHY = f"{BIBLIOGRAPHY_PAGE.address()}index.html"
WORK_CLASS = "tx-work"  # the element of one work in the bibliography, whose id is its citation key
HOME = "index.html"
NOT_FOUND = "404.html"
ENTRY_PAGE = re.compile(rf"^{ENTRY_DIR}/([^/]+)/index\.html$")  # an entry page, /taxonomy/<id>/
CANONICAL = re.compile(r'<link rel="?canonical"? href="?([^"\s>]+)')
LINK_ATTRS = ("href", "xlink:href", "src", "poster", "data", "action", "formaction")
LINK_KINDS = {"tx-cite": "cite", "footnote-ref": "footnote-ref", "footnote-backref": "footnote-backref"}
LOCAL_HOSTS = ("localhost", ".localhost", ".local")
CACHE_FILE = Path(".cache/sitecheck-external.json")
CACHE_MAX_AGE = 24 * 3600.0
UNVERIFIABLE = (401, 403, 429)


# --- results ---

@dataclass(frozen=True)
class Finding:
    """One thing wrong with a built page: what, at which target, where in the sources, and how to fix it."""

    page: str
    problem: str
    target: str
    fix: str
    severity: str = ERROR
    source: str | None = None
    hints: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def message(self) -> str:
        """The report line without the page."""
        level = "warning: " if self.severity == WARNING else ""
        where = f" [source: {self.source}]" if self.source else ""
        return f"{level}{self.problem} ({self.target}){where}. Fix: {self.fix}."

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


@dataclass(frozen=True)
class Result:
    """Everything one run found: findings in page order, and every external URL with the pages using it."""

    pages: int
    findings: tuple[Finding, ...]
    external: Mapping[str, tuple[str, ...]]

    @property
    def problems(self) -> int:
        """Number of errors (these fail the check)."""
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        """Number of warnings (reported, but do not fail the check)."""
        return sum(f.severity == WARNING for f in self.findings)

    def summary(self) -> str:
        """The closing line, e.g. 'checked 41 pages: 0 problems, 1 warning'."""
        return (f"checked {_plural(self.pages, 'page')}: {_plural(self.problems, 'problem')}, "
                f"{_plural(self.warnings, 'warning')}")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- reading pages ---

@dataclass(frozen=True)
class Link:
    """A URL in an attribute of an element, with what the element is for (link, cite, footnote-ref, ...)."""

    tag: str
    attr: str
    url: str | None
    kind: str = "link"


@dataclass(frozen=True)
class Page:
    """What one HTML page defines (ids, anchors, footnotes) and what it points to (links)."""

    path: str
    anchors: frozenset[str]
    duplicate_ids: tuple[str, ...]
    links: tuple[Link, ...]
    footnote_refs: tuple[str, ...]
    footnote_defs: tuple[str, ...]
    footnote_backrefs: tuple[tuple[str, str], ...]
    work_ids: tuple[str, ...]
    redirect: str | None = None


@dataclass(frozen=True)
class SiteIndex:
    """Every file of a built site and every HTML page, parsed once."""

    root: Path
    files: frozenset[str]
    pages: Mapping[str, Page]
    base: str = "/"
    """The path the site is served under ('/misalignment-taxonomy/' for a project's GitHub Pages), which
    root-relative links must start with: the folder of the home page's canonical address."""


class _PageParser(HTMLParser):
    """Collects ids, `<a name>` anchors, links and footnote parts of one page in a single pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.names: set[str] = set()
        self.links: list[Link] = []
        self.work_ids: list[str] = []
        self.footnote_refs: list[str] = []
        self.footnote_defs: list[str] = []
        self.footnote_backrefs: list[tuple[str, str]] = []
        self.redirect: str | None = None
        self._sup_id: str | None = None
        self._definition = ""
        self._footnote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the element's id, anchors, links and footnote role."""
        values = dict(attrs)
        ident = values.get("id")
        classes = (values.get("class") or "").split()
        if ident is not None:
            self.ids.append(ident)
        if tag == "a" and values.get("name"):
            self.names.add(str(values["name"]))
        self._track_structure(tag, ident, classes)
        kind = next((LINK_KINDS[c] for c in classes if c in LINK_KINDS), "link") if tag == "a" else "link"
        if kind == "footnote-ref" and (values.get("id") or self._sup_id):
            self.footnote_refs.append(str(values.get("id") or self._sup_id))
        elif kind == "footnote-backref":
            self.footnote_backrefs.append((self._definition, _fragment(values.get("href"))))
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.redirect = (values.get("content") or "").partition("url=")[2].strip() or None
            self.links.append(Link(tag, "content", self.redirect, "redirect"))
        self.links.extend(Link(tag, a, values[a], kind) for a in LINK_ATTRS if a in values)
        if values.get("srcset"):
            self.links.extend(Link(tag, "srcset", c.split()[0], kind)
                              for c in str(values["srcset"]).split(",") if c.strip())

    def handle_endtag(self, tag: str) -> None:
        """Leave a footnote block or a footnote marker."""
        if tag == "div" and self._footnote_depth:
            self._footnote_depth -= 1
        elif tag == "sup":
            self._sup_id = None

    def _track_structure(self, tag: str, ident: str | None, classes: list[str]) -> None:
        if tag == "div" and (self._footnote_depth or "footnote" in classes):
            self._footnote_depth += 1
        elif tag == "li" and self._footnote_depth and ident is not None:
            self.footnote_defs.append(ident)
            self._definition = ident
        elif tag == "sup":
            self._sup_id = ident
        elif WORK_CLASS in classes and ident is not None:
            self.work_ids.append(ident)


def parse_page(path: str, html: str) -> Page:
    """Parse one page's HTML into its index entry."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    counts = Counter(parser.ids)
    return Page(path=path, anchors=frozenset(counts) | parser.names,
                duplicate_ids=tuple(i for i, n in counts.items() if n > 1), links=tuple(parser.links),
                footnote_refs=tuple(parser.footnote_refs), footnote_defs=tuple(parser.footnote_defs),
                footnote_backrefs=tuple(parser.footnote_backrefs), work_ids=tuple(parser.work_ids),
                redirect=parser.redirect)


def read_site(root: Path) -> SiteIndex:
    """List every file under `root` and parse every HTML page."""
    files = frozenset(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    pages = {path: parse_page(path, (root / path).read_text("utf-8", errors="replace"))
             for path in sorted(files) if path.endswith((".html", ".htm"))}
    home = (root / HOME).read_text("utf-8", errors="replace") if HOME in files else ""
    canonical = CANONICAL.search(home)
    base = posixpath.dirname(urlsplit(canonical.group(1)).path).rstrip("/") + "/" if canonical else "/"
    return SiteIndex(root, files, pages, base)


# --- resolving URLs ---

@dataclass(frozen=True)
class Target:
    """Where a URL leads: a site path (which may not exist) and a fragment, or an external URL."""

    path: str
    fragment: str
    exists: bool
    external: str | None = None

    @property
    def is_page(self) -> bool:
        """Whether the target is (or would be) an HTML page rather than another file."""
        return posixpath.splitext(self.path)[1] in ("", ".html", ".htm")


def resolve(page: str, url: str, files: frozenset[str], base: str = "/") -> Target:
    """Resolve a URL found on `page` against the site's files (directory URLs mean index.html), the site being
    served under the path `base`: a root-relative URL outside it leads nowhere."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc:
        return Target("", "", False, external=url.strip())
    fragment, path = unquote(parts.fragment), unquote(parts.path)
    if not path:
        return Target(page, fragment, True)
    if path.startswith("/"):
        if not (path + "/").startswith(base):
            return Target(path, fragment, False)
        path = "/" + path[len(base):]
    base = "" if path.startswith("/") else posixpath.dirname(page)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined == ".." or joined.startswith("../"):
        return Target(joined, fragment, False)
    if joined == ".":
        return Target(HOME, fragment, HOME in files)
    index = f"{joined}/index.html"
    if path.endswith("/"):
        return Target(index, fragment, index in files)
    if joined in files or index not in files:
        return Target(joined, fragment, joined in files)
    return Target(index, fragment, True)


def external_problem(url: str) -> str | None:
    """Why an external URL is not acceptable on a public site, or None when it is."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return None
    if _is_local(parts.hostname or ""):
        return "link to a local or private address"
    if scheme != "https":
        return "external link is not https"
    return None


def _is_local(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in LOCAL_HOSTS or host.endswith(LOCAL_HOSTS[1:]):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


# --- checking ---

@dataclass
class _Links:
    """Indexes built while walking every link once: who links to which page and fragment, which URLs leave."""

    inbound: dict[str, set[str]] = field(default_factory=dict)
    fragments: set[tuple[str, str]] = field(default_factory=set)
    external: dict[str, set[str]] = field(default_factory=dict)

    def record(self, page: str, target: Target) -> None:
        """Remember a resolved link from `page` (the 404 page does not count as a referrer)."""
        if target.external is not None:
            self.external.setdefault(target.external, set()).add(page)
        elif target.exists and page != target.path and page != NOT_FOUND:
            self.inbound.setdefault(target.path, set()).add(page)
            if target.fragment:
                self.fragments.add((target.path, target.fragment))


def check_site(root: Path, sources: Sources | None = None) -> Result:
    """Check a built site in one pass over its pages and links; name source files when `sources` is given."""
    site = read_site(root)
    links = _Links()
    findings: list[Finding] = []
    for page in site.pages.values():
        findings.extend(check_ids(page))
        findings.extend(check_footnotes(page))
        for link in page.links:
            findings.extend(check_link(site, page, link, links))
    findings.extend(check_orphans(site, links.inbound))
    findings.extend(check_uncited(site, links.fragments))
    unique = list(dict.fromkeys(findings))
    if sources is not None:
        unique = sources.locate_all(unique)
    unique.sort(key=lambda f: f.page)
    external = {url: tuple(sorted(pages)) for url, pages in sorted(links.external.items())}
    return Result(len(site.pages), tuple(unique), external)


def check_ids(page: Page) -> Iterator[Finding]:
    """Duplicate ids (footnote ids are reported by the footnote check)."""
    footnote_ids = set(page.footnote_refs) | set(page.footnote_defs)
    for ident in page.duplicate_ids:
        if ident not in footnote_ids:
            yield Finding(page.path, "duplicate id", ident, "give each element its own id; fragments "
                          "can only reach the first one", hints=(f"{{#{ident}}}", f"#{ident}"))


def check_footnotes(page: Page) -> Iterator[Finding]:
    """References without definitions, unreferenced definitions, broken back-references, duplicate ids."""
    defs, refs = set(page.footnote_defs), set(page.footnote_refs)
    wanted = dict.fromkeys(_fragment(link.url) for link in page.links if link.kind == "footnote-ref")
    for fragment in (f for f in wanted if f not in defs):
        yield Finding(page.path, "footnote reference without a definition", f"#{fragment}",
                      f"add the definition '[^{_label(fragment)}]: ...' or remove the marker",
                      hints=(f"[^{_label(fragment)}]",))
    for ident in page.footnote_defs:
        if ident not in wanted:
            yield Finding(page.path, "footnote definition is never referenced", f"#{ident}",
                          f"reference it with '[^{_label(ident)}]' in the text or remove it",
                          hints=(f"[^{_label(ident)}]:",))
    for owner, fragment in page.footnote_backrefs:
        if fragment not in refs and owner in wanted:  # an unreferenced definition is reported once, above
            yield Finding(page.path, "footnote back-reference to a missing reference", f"#{fragment}",
                          f"make the back-reference return to a marker '[^{_label(fragment)}]' in the text",
                          hints=(f"[^{_label(fragment)}]",))
    for ident in page.duplicate_ids:
        if ident in defs or ident in refs:
            yield Finding(page.path, "duplicate footnote id", ident,
                          "give each footnote its own label", hints=(f"[^{_label(ident)}]",))


def _fragment(url: str | None) -> str:
    return unquote(urlsplit(url or "").fragment)


def _label(footnote_id: str) -> str:
    """The Markdown label of a footnote id such as 'fn:note' or 'fnref2:note'."""
    return footnote_id.split(":", 1)[1] if ":" in footnote_id else footnote_id


def check_link(site: SiteIndex, page: Page, link: Link, links: _Links) -> Iterator[Finding]:
    """One link: empty, missing page or file, missing anchor, bad citation, or a non-public external URL."""
    if link.kind in ("footnote-ref", "footnote-backref") and link.url and link.url.startswith("#"):
        return
    if not (link.url or "").strip():
        yield Finding(page.path, "empty link", f'<{link.tag} {link.attr}="">',
                      "give the link a target or remove it")
        return
    target = resolve(page.path, link.url or "", site.files, site.base)
    links.record(page.path, target)
    if target.external is not None:
        yield from _check_external(page, target.external)
    elif link.kind == "cite" and not _resolves(site, target):
        yield _citation_finding(page, target)
    elif not target.exists:
        what = "page" if target.is_page else "file"
        yield Finding(page.path, f"link to a missing {what}", link.url or "",
                      f"point it at an existing {what} or remove it", hints=_link_hints(target, link.url or ""))
    elif not _resolves(site, target):
        yield Finding(page.path, "link to a missing anchor", link.url or "",
                      "use an id that exists on the target page (a heading's {#id}) or drop the fragment",
                      hints=_link_hints(target, link.url or ""))


def _resolves(site: SiteIndex, target: Target) -> bool:
    if not target.exists:
        return False
    page = site.pages.get(target.path)
    return not target.fragment or page is None or target.fragment in page.anchors


def _citation_finding(page: Page, target: Target) -> Finding:
    key = target.fragment.removeprefix("ref-") or target.path
    return Finding(page.path, f"citation of an unknown work '{key}'", f"#{target.fragment}",
                   f"add '{key}' to taxonomy_src/bibliography.yaml and cite it as [@{key}], or correct the key",
                   hints=(f"[@{key}", f"@{key}", key))


def _link_hints(target: Target, url: str) -> tuple[str, ...]:
    """Text that the link's source probably contains, most specific first."""
    entry = re.match(r"^taxonomy/([^/]+?)(?:/index\.html)?$", target.path)
    hints = [f"[[{entry.group(1)}#{target.fragment}" if target.fragment else f"[[{entry.group(1)}"] if entry else []
    if target.fragment:
        hints += [f"](#{target.fragment}", f"#{target.fragment}"]
    return (*hints, url)


def _check_external(page: Page, url: str) -> Iterator[Finding]:
    problem = external_problem(url)
    if problem:
        fix = ("link to the public https:// address, or to a page of this site with a relative link"
               if problem.startswith("link to a local") else "use the https:// address")
        yield Finding(page.path, problem, url, fix, hints=(url,))


def check_orphans(site: SiteIndex, inbound: Mapping[str, set[str]]) -> Iterator[Finding]:
    """Pages that no other page links to (the home page, the 404 page and redirect stubs are exempt)."""
    for path, page in site.pages.items():
        if path not in (HOME, NOT_FOUND) and page.redirect is None and not inbound.get(path):
            url = path.removesuffix("index.html") or "./"
            yield Finding(path, "orphan page: no other page links to it", url,
                          "add it to the nav or link it from a related page, or delete it")


def check_uncited(site: SiteIndex, fragments: set[tuple[str, str]]) -> Iterator[Finding]:
    """Bibliography entries (the ids of its works) that no other page links to: a warning."""
    bibliography = site.pages.get(BIBLIOGRAPHY)
    for key in bibliography.work_ids if bibliography else ():
        if (BIBLIOGRAPHY, key) not in fragments:
            yield Finding(BIBLIOGRAPHY, "bibliography entry is never cited", f"#{key}",
                          f"cite it with [@{key}] or list it in an entry's references, or remove it from "
                          "taxonomy_src/bibliography.yaml", severity=WARNING)


# --- problems in source terms ---

@dataclass(frozen=True)
class Sources:
    """Entry source files by entry id, to name the file and line behind a problem on an entry page."""

    root: Path
    paths: Mapping[str, str]

    def locate_all(self, findings: list[Finding]) -> list[Finding]:
        """The findings, with `source` filled in for those on entry pages."""
        texts: dict[str, list[str]] = {}
        return [self.locate(f, texts) for f in findings]

    def locate(self, finding: Finding, texts: dict[str, list[str]]) -> Finding:
        """One finding with its source file (and line, when a hint is found in the file)."""
        match = ENTRY_PAGE.match(finding.page)
        shown = self.paths.get(match.group(1)) if match else None
        if shown is None:
            return finding
        if shown not in texts:
            texts[shown] = _lines(self.root / shown)
        line = find_line(texts[shown], finding.hints)
        return replace(finding, source=f"{shown}:{line}" if line else shown)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8", errors="replace").split("\n")
    except OSError:
        return []  # moved or deleted since loading: name the file without a line


def load_sources(src: Path, root: Path) -> tuple[Sources | None, str | None]:
    """Load the taxonomy with the core loader; on failure return None and why."""
    try:
        taxonomy = load(src, root)
    except (TaxonomyError, OSError) as exc:
        first = str(exc).split("\n", 1)[0]
        return None, f"{src}: sources did not load ({first}); problems are shown without source lines."
    return Sources(root, {e.id: e.path for e in taxonomy.entries.values()}), None


def find_line(lines: list[str], hints: Iterable[str]) -> int | None:
    """1-based number of the first line containing the first hint that occurs at all (whole words only)."""
    for hint in hints:
        pattern = re.compile(("(?<![\\w-])" if re.match(r"\w", hint) else "") + re.escape(hint)
                             + ("(?![\\w-])" if re.search(r"\w$", hint) else ""))
        for number, line in enumerate(lines, start=1):
            if pattern.search(line):
                return number
    return None


# --- external links, online (opt-in) ---

@dataclass(frozen=True)
class Status:
    """The outcome of fetching one external URL, and when it was fetched."""

    url: str
    code: int | None
    error: str | None
    checked: str

    @property
    def ok(self) -> bool:
        """Whether the URL answered below 400."""
        return self.code is not None and self.code < 400


def fetch(url: str, timeout: float = 10.0) -> tuple[int | None, str | None]:
    """HTTP status of a URL: HEAD first, GET when HEAD fails or is refused."""
    code, error = _request(url, "HEAD", timeout)
    if code is None or code >= 400:
        code, error = _request(url, "GET", timeout)
    return code, error


def _request(url: str, method: str, timeout: float) -> tuple[int | None, str | None]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": "taxonomy-sitecheck/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, None
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))


def check_online(urls: Iterable[str], cache: Path = CACHE_FILE,
                 fetcher: Callable[[str], tuple[int | None, str | None]] = fetch,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> dict[str, Status]:
    """Status of each URL, fetched in parallel unless the cache has an HTTP answer younger than a day."""
    known = _read_cache(cache)
    moment = now()
    fresh = {u: s for u, s in known.items()
             if (moment - datetime.fromisoformat(s.checked)).total_seconds() < CACHE_MAX_AGE}
    todo = [u for u in dict.fromkeys(urls) if u not in fresh]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for url, (code, error) in zip(todo, pool.map(fetcher, todo)):
            fresh[url] = Status(url, code, error, moment.isoformat())
    _write_cache(cache, {u: s for u, s in {**known, **fresh}.items() if s.code is not None})
    return fresh


def _read_cache(cache: Path) -> dict[str, Status]:
    try:
        data = json.loads(cache.read_text("utf-8"))
        statuses = {u: Status(u, v["code"], v["error"], v["checked"]) for u, v in data["urls"].items()}
        return {u: s for u, s in statuses.items() if datetime.fromisoformat(s.checked).tzinfo is not None}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # no cache, or one this version cannot read: fetch everything again


def _write_cache(cache: Path, statuses: Mapping[str, Status]) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    data = {"urls": {u: {"code": s.code, "error": s.error, "checked": s.checked} for u, s in sorted(statuses.items())}}
    cache.write_text(json.dumps(data, indent=1) + "\n", "utf-8")


def online_findings(external: Mapping[str, tuple[str, ...]], statuses: Mapping[str, Status]) -> list[Finding]:
    """One finding per failed external URL, on its first page (401/403/429 are warnings: a robot was refused)."""
    findings = []
    for url, pages in external.items():
        status = statuses.get(url)
        if status is None or status.ok:
            continue
        severity = WARNING if status.code in UNVERIFIABLE else ERROR
        what = f"answers HTTP {status.code}" if status.code is not None else f"is unreachable: {status.error}"
        others = f"; it is also on {_plural(len(pages) - 1, 'other page')}" if len(pages) > 1 else ""
        findings.append(Finding(pages[0], f"external link {what}", url,
                                f"update or remove the link{others} (answers are cached for a day in {CACHE_FILE})",
                                severity=severity))
    return findings


def write_external_report(external: Mapping[str, tuple[str, ...]], path: Path) -> None:
    """Write every external URL with the pages that use it: JSON for a .json file, else indented text."""
    if path.suffix == ".json":
        path.write_text(json.dumps({u: list(p) for u, p in external.items()}, indent=1) + "\n", "utf-8")
        return
    path.write_text("".join(f"{url}\n" + "".join(f"    {p}\n" for p in pages) for url, pages in external.items()),
                    "utf-8")


# --- command line ---

def main(argv: list[str] | None = None, prog: str = "python -m taxonomy.sitecheck") -> int:
    """Check a built site, print every finding and a summary; exit 1 when there are problems."""
    args = _parser(prog).parse_args(argv)
    if not args.site.is_dir():
        print(f"{args.site}: not a folder. Fix: build the site first (make site).", file=sys.stderr)
        return 2
    started = time.perf_counter()
    sources, note = load_sources(args.src, Path.cwd()) if args.src else (None, None)
    if note:
        print(note, file=sys.stderr)
    result = check_site(args.site, sources)
    if args.external:
        candidates = [u for u in result.external if external_problem(u) is None and u.startswith("https:")]
        extra = online_findings(result.external, check_online(candidates))
        result = Result(result.pages, tuple(sorted(result.findings + tuple(extra), key=lambda f: f.page)),
                        result.external)
    if args.report_external:
        write_external_report(result.external, args.report_external)
        print(f"{args.report_external}: {len(result.external)} external URLs.", file=sys.stderr)
    for finding in result.findings:
        print(finding)
    if in_github_actions():
        for finding in result.findings:
            path, line = _place(finding, args.site)
            print(annotation(path, line, str(finding), level="warning" if finding.severity == WARNING else "error",
                             title="make linkcheck"))
    print(result.summary())
    print(f"sitecheck took {time.perf_counter() - started:.2f}s", file=sys.stderr)
    return 1 if result.problems else 0


def _place(finding: Finding, site: Path) -> tuple[str, int | None]:
    """The source file and line behind a finding, or else the built page."""
    path, _, line = (finding.source or "").rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return f"{site.as_posix()}/{finding.page}", None


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("site", type=Path, help="the built site folder, e.g. site")
    parser.add_argument("--src", type=Path, help="taxonomy sources, to name the file and line behind a problem")
    parser.add_argument("--external", action="store_true",
                        help=f"also fetch external URLs (HEAD, then GET; cached for a day in {CACHE_FILE})")
    parser.add_argument("--report-external", type=Path, metavar="FILE",
                        help="write every external URL and the pages using it (JSON if FILE ends in .json)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
