"""Benchmark the site checker on synthetic sites of N, 4N and 16N pages: the time should grow linearly.

Usage: .venv/bin/python bench/sitecheck_bench.py [N] [--repeat R]   (default N=50, R=3; best of R runs is shown)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from taxonomy.sitecheck import Result, check_site, load_sources  # noqa: E402

NAV = 30          # nav links on each page (a window of neighbouring pages, like a collapsed Material nav)
SECTIONS = 12     # headings with ids on each page
FRAGMENT_LINKS = 20
FOOTNOTES = 3
PARAGRAPH = "<p>" + "Filler text about a failure mode and its neighbours. " * 12 + "</p>\n"


def page_html(i: int, n: int) -> str:
    """One synthetic entry page: nav, sections, cross-page fragment links, footnotes, citations and references."""
    up = "../../"
    nav = "".join(f'<li><a href="../p{(i + d) % n}/">Page {(i + d) % n}</a></li>\n'
                  for d in range(-NAV // 2, NAV // 2 + 1))
    sections = "".join(f'<h2 id="s{s}">Section {s}<a class="headerlink" href="#s{s}">&para;</a></h2>\n{PARAGRAPH}'
                       for s in range(SECTIONS))
    links = "".join(f'<a href="../p{(i * 7 + k) % n}/#s{k % SECTIONS}">see {k}</a> ' for k in range(FRAGMENT_LINKS))
    refs = "".join(f'<sup id="fnref:{f}"><a class="footnote-ref" href="#fn:{f}">{f}</a></sup>'
                   for f in range(FOOTNOTES))
    cites = "".join(f'(<a class="tx-cite" href="#ref-k{(i + c) % n}">K {c}</a>)' for c in range(2))
    notes = "".join(f'<li id="fn:{f}"><p>Note {f}.<a class="footnote-backref" href="#fnref:{f}">&#8617;</a></p></li>'
                    for f in range(FOOTNOTES))
    works = "".join(f'<li><span id="ref-k{(i + c) % n}"></span>Work {(i + c) % n}. '
                    f'<a href="{up}bibliography/#k{(i + c) % n}">All works</a>.</li>' for c in range(2))
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>Page {i}</title>'
            f'<link rel="stylesheet" href="{up}assets/site.css"></head><body>\n'
            f'<nav><a href="{up}">Home</a><ul>{nav}</ul></nav>\n<h1 id="top">Page {i}</h1>\n{sections}'
            f'<p>{links}{refs}{cites} <a href="https://example.org/{i % 10}">source</a></p>\n'
            f'<div class="footnote"><hr><ol>{notes}</ol></div>\n<ul>{works}</ul>\n'
            f'<script src="{up}assets/site.js"></script></body></html>\n')


def make_site(root: Path, n: int) -> Path:
    """Write a synthetic site of n entry pages plus a home page and a bibliography."""
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "site.css").write_text("body{}\n", "utf-8")
    (root / "assets" / "site.js").write_text("\n", "utf-8")
    (root / "index.html").write_text('<html><body><a href="taxonomy/p0/">Start</a>'
                                     '<a href="bibliography/">Bibliography</a></body></html>\n', "utf-8")
    (root / "bibliography").mkdir()
    (root / "bibliography" / "index.html").write_text(
        '<html><body><a href="../">Home</a>' + "".join(f'<h2 id="k{i}">Work {i}</h2>' for i in range(n))
        + "</body></html>\n", "utf-8")
    for i in range(n):
        folder = root / "taxonomy" / f"p{i}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(page_html(i, n), "utf-8")
    return root


def best_time(run: Callable[[], Result], repeat: int) -> tuple[float, Result]:
    """Best wall time of `repeat` runs, with the last result."""
    times: list[float] = []
    result: Result | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    assert result is not None
    return min(times), result


def main() -> None:
    """Build the synthetic sites, time the checker on each, print times and growth ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (args.n, 4 * args.n, 16 * args.n):
            root = make_site(Path(tmp) / f"site-{size}", size)
            megabytes = sum(p.stat().st_size for p in root.rglob("*.html")) / 1e6
            seconds, result = best_time(lambda site=root: check_site(site), args.repeat)
            times.append(seconds)
            print(f"{size + 2:6d} pages ({megabytes:5.1f} MB HTML): {seconds:7.3f} s   {result.summary()}")
    print(f"ratios: t(4N)/t(N) = {times[1] / times[0]:.2f}, t(16N)/t(4N) = {times[2] / times[1]:.2f} "
          "(linear growth is 4.0)")
    real = ROOT / "site"
    if real.is_dir():
        seconds, result = best_time(lambda: check_site(real), args.repeat)
        print(f"real site/: {seconds:.3f} s   {result.summary()}")
        started = time.perf_counter()
        sources, _ = load_sources(ROOT / "taxonomy_src", ROOT)
        result = check_site(real, sources)
        print(f"real site/ with --src (loading the taxonomy too): {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
