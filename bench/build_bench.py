"""Benchmark the site build on synthetic taxonomies against plain Material, in one run (issue 14).

For each size N it generates a synthetic taxonomy (bench/synthetic.py), by default N entries shaped like the real
ones with cases and crosswalk rows at the real rate; `--entries-only` leaves out the cases and crosswalk rows, and
`--concepts` writes issue 14's own shape instead: the real taxonomy plus N synthetic concepts of about 580 words,
each with 3 footnotes, 5 links, a citation and a table. It measures, with repetitions and interleaving so that load
from other processes hits every configuration alike (medians shown):

  (a) validation alone: `load()` in-process, and `python -m taxonomy check` as a command, with YAML's share;
  (b) the full strict build (`mkdocs build --strict`) with our hooks;
  (c) the baseline: the very pages our hooks produce, written out as plain Markdown files and built without hooks
      under the same theme, extensions and overrides (less the theme-script partials that need the hooks), with a
      two-item nav;
  (d) the output size per entry of (b) and (c);
  (e) the time from saving an edit to one entry until `mkdocs serve` serves the new page, on the real site and
      on the largest N, for the serve command `make serve` runs and for plain `mkdocs serve`.

Times are wall-clock and CPU (user + system of the build process). On a shared machine other tenants slow both
(on the 2-core machine the README names, the same build's wall and CPU time both vary by 10-15% from run to run),
so (b) and (c) run back to back in each repetition, and besides the ratio of the medians the report gives each
repetition's own ratio (their median and range) and the ratio of the fastest builds, which other load disturbs
least.

With `--pieces` it measures instead what each piece of the lean layer (taxonomy.lean.PIECES) saves at the largest
N: the build with every piece on, and with each piece off in turn (`TAXONOMY_LEAN_OFF=<piece>`), interleaved and
repeated; for `incremental`, which only `make serve` uses, the edit-to-page time with it on and off. A piece pays
when it saves more than the spread (max - min) of the repetitions of the build with every piece on.

Usage: .venv/bin/python bench/build_bench.py [--sizes 100 1000] [--repeat 3] [--edits 5] [--no-serve] [--keep DIR]
       [--entries-only | --concepts] [--pieces]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import VARIANTS, copy_project, generate  # noqa: E402

from taxonomy.lean import BY_NAME, PIECES, SWITCH, Gain  # noqa: E402
from taxonomy.loader import load  # noqa: E402
from taxonomy.yamlsrc import forget_parses  # noqa: E402

BASELINE_NAV = [{"Home": "index.md"}, {"Taxonomy": "taxonomy/index.md"}]
SERVE_FLAGS = ("--dirty",)  # what `make serve` adds to `mkdocs serve`


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of one run."""

    wall: float
    cpu: float


def median(runs: list[Timing]) -> Timing:
    """Medians of wall and CPU time, taken separately."""
    return Timing(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs))


def env_for(project: Path, off: str = "") -> dict[str, str]:
    """Environment for the project's mkdocs: its hooks on the path, Material's notice off, the named pieces of the
    lean layer off."""
    return dict(os.environ, PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1", **{SWITCH: off})


def run(command: list[str], cwd: Path, off: str = "") -> Timing:
    """Run a command to completion; fail loudly if it fails; return its wall and CPU time."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:  # a pipe would block a build that says much
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env_for(cwd, off), stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{errors.read()[-3000:]}")
    return Timing(wall, usage.ru_utime + usage.ru_stime)


def build(project: Path, out: Path, off: str = "") -> Timing:
    """A strict build of a project into `out`, with the named pieces of the lean layer off."""
    shutil.rmtree(out, ignore_errors=True)
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], project, off)


def write_baseline(project: Path, dest: Path) -> Path:
    """The pages our hooks give MkDocs, as plain files, in a project without hooks and with a two-item nav."""
    sys.path.insert(0, str(project / "hooks"))
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page
    from mkdocs.utils.meta import get_data

    cwd = Path.cwd()
    os.chdir(project)  # the hooks resolve paths from the config file, plugins may use the working directory
    try:
        config = load_config(str(project / "mkdocs.yml"))
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
        for file in files:
            out = dest / "docs" / file.src_uri
            out.parent.mkdir(parents=True, exist_ok=True)
            if not file.is_documentation_page():
                out.write_bytes(file.content_bytes)
                continue
            markdown, meta = get_data(file.content_string)
            markdown = config.plugins.on_page_markdown(markdown, page=Page(None, file, config), config=config,
                                                       files=files)
            front = "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=10_000) + "---\n\n" if meta else ""
            out.write_text(front + markdown, "utf-8")
    finally:
        os.chdir(cwd)
        sys.path.remove(str(project / "hooks"))
    settings = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    settings.pop("hooks", None)
    settings["nav"] = BASELINE_NAV
    settings.setdefault("validation", {})["omitted_files"] = "info"  # the minimal nav leaves out most pages
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    shutil.copytree(project / "overrides", dest / "overrides")
    shutil.rmtree(dest / "overrides" / "partials" / "javascripts")  # need the hooks; Material's own inline scripts
    shutil.copytree(project / "hooks", dest / "hooks")  # unused by the build; keeps env_for() uniform
    return dest


def size(folder: Path) -> int:
    """Total bytes of every file under a folder."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def validation(project: Path, repeat: int) -> tuple[Timing, Timing, float]:
    """(a): in-process load() (median), the check command (median), and the share of load() spent in YAML."""
    src = project / "taxonomy_src"
    load(src, project)  # warm imports and caches of the interpreter, not of the taxonomy
    runs = []
    for _ in range(repeat):
        forget_parses()  # a cold validation: `mkdocs serve` remembers parses between rebuilds, a check does not
        wall, cpu = time.perf_counter(), time.process_time()
        load(src, project)
        runs.append(Timing(time.perf_counter() - wall, time.process_time() - cpu))
    command = [median([run([sys.executable, "-m", "taxonomy", "check", "taxonomy_src"], project)
                       for _ in range(repeat)])]
    profile = cProfile.Profile()
    forget_parses()
    profile.runcall(load, src, project)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(tottime for _, _, tottime, _, _ in stats.values())
    in_yaml = sum(tottime for (path, _, _), (_, _, tottime, _, _) in stats.items()
                  if f"{os.sep}yaml{os.sep}" in path or path.endswith("yamlsrc.py"))
    return median(runs), command[0], in_yaml / total


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    """A page's text, or '' if the server does not answer yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return ""


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll until `check()` holds; return when it did (perf_counter)."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if check():
            return time.perf_counter()
        time.sleep(0.02)
    raise SystemExit(f"timed out after {seconds:.0f} s waiting for {what}")


def edit_body(path: Path, token: str) -> None:
    """Append a sentence with a unique token to the body of an entry (a valid edit)."""
    text = path.read_text("utf-8")
    text = re.sub(r"\n\nEdited for the benchmark: \S+\.\n", "\n", text)
    path.write_text(text.rstrip("\n") + f"\n\nEdited for the benchmark: {token}.\n", "utf-8")


def mount_path(project: Path) -> str:
    """The path `mkdocs serve` serves the project under: the path of its mkdocs.yml site_url."""
    found = re.search(r"^site_url: (\S+)", (project / "mkdocs.yml").read_text("utf-8"), re.MULTILINE)
    return urllib.parse.urlsplit(found.group(1)).path if found else "/"


def serve_latency(project: Path, entry_id: str, flags: tuple[str, ...], edits: int, off: str = "") -> list[float]:
    """(e): seconds from saving an edit to `entry_id` until `mkdocs serve` serves the page with it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *flags],
                              cwd=project, env=env_for(project, off), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{mount_path(project)}taxonomy/{entry_id}/"
    path = project / "taxonomy_src" / "entries" / f"{entry_id}.md"
    original = path.read_text("utf-8")
    latencies = []
    try:
        wait_for(lambda: "<h1" in fetch(url), 900, f"the first build of {url}")
        for k in range(edits):
            token = f"bench{time.time_ns()}x{k}"
            time.sleep(1.0)  # let the watcher settle after the previous rebuild
            saved = time.perf_counter()
            edit_body(path, token)
            latencies.append(wait_for(lambda t=token: t in fetch(url), 300, f"{token} at {url}") - saved)
    finally:
        server.terminate()
        server.wait(timeout=30)
        path.write_text(original, "utf-8")
    return latencies


def first_failure_mode(project: Path) -> str:
    """Id of a failure mode of the project (an entry with dependents: compare, tree, JSON)."""
    taxonomy = load(project / "taxonomy_src", project)
    return taxonomy.of_kind("failure-mode")[0].id


@dataclass
class SizeResult:
    """Everything measured at one N."""

    n: int
    load: Timing
    check: Timing
    yaml_share: float
    ours: Timing
    plain: Timing
    pairs: list[tuple[Timing, Timing]]  # (b) and (c) of each repetition, run back to back
    ours_bytes: int
    plain_bytes: int
    pages: int  # source pages: entries and worked cases
    parts: dict[str, tuple[int, int]]  # (d) by part of our site: bytes, files


def parts_of(site: Path) -> dict[str, tuple[int, int]]:
    """Bytes and file count of each part of a built site: entry pages, case pages, name pages, the other pages,
    the search index, the JSON export, the sitemaps, the theme's assets and everything else."""
    found: dict[str, list[int]] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        top = relative.split("/")[0]
        if relative.endswith(".html") and top in ("taxonomy", "cases", "names") and relative.count("/") == 2:
            part = {"taxonomy": "entry pages", "cases": "case pages", "names": "name pages"}[top]
        elif relative.endswith(".html"):
            part = "other pages"
        else:
            part = {"search": "search index", "assets": "theme assets", "taxonomy.json": "JSON export",
                    "sitemap.xml": "sitemap", "sitemap.xml.gz": "sitemap"}.get(top, "other files")
        totals = found.setdefault(part, [0, 0])
        totals[0] += path.stat().st_size
        totals[1] += 1
    return {part: (b, n) for part, (b, n) in sorted(found.items(), key=lambda item: -item[1][0])}


def measure_size(n: int, work: Path, repeat: int, variant: str = "mixed") -> SizeResult:
    """Generate N entries of a variant of synthetic.VARIANTS, then measure (a)-(d), interleaving (b) and (c)."""
    project = generate(work / f"n{n}", n, variant)
    baseline = write_baseline(project, work / f"n{n}-plain")
    load_time, check_time, share = validation(project, repeat)
    ours: list[Timing] = []
    plain: list[Timing] = []
    for rep in range(repeat):
        order = [(project, ours), (baseline, plain)]
        for folder, runs in (order if rep % 2 == 0 else order[::-1]):
            runs.append(build(folder, folder / "site"))
            print(f"  N={n} {'ours ' if runs is ours else 'plain'}: {fmt(runs[-1])}", flush=True)
    pages = len(list((project / "taxonomy_src" / "entries").glob("*.md"))) + \
        len(list((project / "taxonomy_src" / "cases").glob("*.md")))
    return SizeResult(n, load_time, check_time, share, median(ours), median(plain), list(zip(ours, plain)),
                      size(project / "site"), size(baseline / "site"), pages, parts_of(project / "site"))


def measure_pieces(n: int, work: Path, repeat: int, variant: str, edits: int) -> None:
    """What each piece of the lean layer saves at N. Speed pieces: builds with every piece on and with each speed
    piece off in turn, interleaved (the order reversed every other repetition), against the spread of the builds
    with every piece on; `incremental`, the edit-to-page time of `make serve` with it on and off. Size pieces: the
    bytes of one build with each off (sizes do not vary between builds). Prints one line per piece."""
    project = generate(work / f"n{n}", n, variant)
    speed = ["", *(p.name for p in PIECES if p.gain is Gain.SPEED and p.name != "incremental")]
    runs: dict[str, list[Timing]] = {config: [] for config in speed}
    sizes: dict[str, int] = {}
    for rep in range(repeat):
        for config in speed if rep % 2 == 0 else speed[::-1]:
            runs[config].append(build(project, project / "site", config))
            sizes[config] = size(project / "site")
            print(f"  N={n} off={config or '-':<14}: {fmt(runs[config][-1])}", flush=True)
    for piece in (p for p in PIECES if p.gain is Gain.SIZE):
        runs[piece.name] = [build(project, project / "site", piece.name)]
        sizes[piece.name] = size(project / "site")
        print(f"  N={n} off={piece.name:<14}: {fmt(runs[piece.name][-1])}", flush=True)
    on = runs[""]
    spread = Timing(max(r.wall for r in on) - min(r.wall for r in on), max(r.cpu for r in on) - min(r.cpu for r in on))
    print(f"\nLean layer at N={n}, {repeat} repetitions, wall / CPU seconds (medians); every piece on: "
          f"{fmt(median(on))}, spread (max - min) {fmt(spread)}, {sizes[''] / n / 1024:.1f} KB per entry")
    print(f"{'piece off':<14} {'build':>15} {'saves':>15} {'bytes saved':>12} {'pays':>5}")
    for config in [c for c in runs if c]:
        off = median(runs[config])
        saves = Timing(off.wall - median(on).wall, off.cpu - median(on).cpu)
        pays = saves.cpu > spread.cpu if BY_NAME[config].gain is Gain.SPEED else sizes[config] > sizes[""]
        print(f"{config:<14} {fmt(off)} {fmt(saves)} {sizes[config] - sizes['']:>12} {'yes' if pays else 'no':>5}",
              flush=True)
    entry = first_failure_mode(project)
    latency: dict[str, list[float]] = {"": [], "incremental": []}
    for rep in range(repeat):
        for config in (["", "incremental"] if rep % 2 == 0 else ["incremental", ""]):
            latency[config] += serve_latency(project, entry, SERVE_FLAGS, edits, config)
    print(f"incremental    make serve, edit to page: {statistics.median(latency['']):.2f} s on "
          f"[{min(latency['']):.2f}-{max(latency['']):.2f}], {statistics.median(latency['incremental']):.2f} s off "
          f"[{min(latency['incremental']):.2f}-{max(latency['incremental']):.2f}] (medians of "
          f"{len(latency[''])} edits)", flush=True)


def fmt(t: Timing) -> str:
    """Wall / CPU seconds."""
    return f"{t.wall:6.2f} / {t.cpu:6.2f}"


def report(results: list[SizeResult]) -> None:
    """The table of (a)-(d) and the ratios the targets are stated in."""
    if not results:
        return
    print("\n(a)-(d), medians; times are wall / CPU seconds")
    print(f"{'N':>6} | {'(a) load()':>15} | {'check cmd':>15} | YAML | {'(b) our build':>15} | "
          f"{'(c) plain':>15} | (b)/(c) wall, CPU | (d) KB/entry ours, plain")
    for r in results:
        print(f"{r.n:6d} | {fmt(r.load)} | {fmt(r.check)} | {r.yaml_share:4.0%} | {fmt(r.ours)} | {fmt(r.plain)} | "
              f"{r.ours.wall / r.plain.wall:5.2f}, {r.ours.cpu / r.plain.cpu:5.2f}      | "
              f"{r.ours_bytes / r.n / 1024:6.1f}, {r.plain_bytes / r.n / 1024:6.1f}")
    print("\n(b)/(c) of each repetition (its two builds back to back): median [range]; and of the fastest builds")
    for r in results:
        walls = [o.wall / p.wall for o, p in r.pairs]
        cpus = [o.cpu / p.cpu for o, p in r.pairs]
        print(f"  N={r.n}: wall {statistics.median(walls):5.2f} [{min(walls):.2f}-{max(walls):.2f}], "
              f"CPU {statistics.median(cpus):5.2f} [{min(cpus):.2f}-{max(cpus):.2f}]; fastest: wall "
              f"{min(o.wall for o, _ in r.pairs) / min(p.wall for _, p in r.pairs):5.2f}, "
              f"CPU {min(o.cpu for o, _ in r.pairs) / min(p.cpu for _, p in r.pairs):5.2f}")
    for r in results:
        print(f"\n(d) at N={r.n}: {r.pages} source pages (entries and cases), {r.ours_bytes / r.pages / 1024:.1f} KB "
              f"per source page (plain: {r.plain_bytes / r.pages / 1024:.1f}); our output by part:")
        for part, (total, count) in r.parts.items():
            print(f"  {part:<13} {total / 1024 / 1024:7.2f} MB  {total / r.ours_bytes:4.0%}  {count:6d} file(s), "
                  f"{total / count / 1024:7.1f} KB each, {total / r.n / 1024:5.1f} KB per entry")
    if len(results) > 1:
        small, large = results[0], results[-1]
        scale = lambda t_large, t_small: (t_large / large.n) / (t_small / small.n)  # noqa: E731
        print(f"per-entry cost at N={large.n} / N={small.n}: build wall {scale(large.ours.wall, small.ours.wall):.2f}, "
              f"CPU {scale(large.ours.cpu, small.ours.cpu):.2f}; output {scale(large.ours_bytes, small.ours_bytes):.2f}"
              f"; plain Material build wall {scale(large.plain.wall, small.plain.wall):.2f}, "
              f"CPU {scale(large.plain.cpu, small.plain.cpu):.2f}")


def main() -> None:
    """Measure every size, then serve latency on the real site and on the largest size; print the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=5, help="edits timed under `make serve`'s serve command")
    parser.add_argument("--full-edits", type=int, default=2, help="edits timed under plain `mkdocs serve` (0: skip)")
    parser.add_argument("--no-serve", action="store_true", help="skip (e)")
    parser.add_argument("--serve-only", action="store_true", help="only (e); reuses projects kept with --keep")
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    parser.add_argument("--pieces", action="store_true",
                        help="what each piece of the lean layer saves at the largest size (and nothing else)")
    parser.set_defaults(variant="mixed")
    variants = parser.add_argument_group("synthetic taxonomy", f"default: {VARIANTS['mixed'].description}"
                                         ).add_mutually_exclusive_group()
    for name, variant in VARIANTS.items():
        if name != "mixed":
            variants.add_argument(f"--{name}", dest="variant", action="store_const", const=name,
                                  help=variant.description)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, {platform_text()}; projects in {work}")
    print(f"taxonomy: {VARIANTS[args.variant].description}")
    try:
        if args.pieces:
            measure_pieces(args.sizes[-1], work, args.repeat, args.variant, args.edits)
            return
        results = []
        for n in args.sizes if not args.serve_only else ():
            results.append(measure_size(n, work, args.repeat, args.variant))
            print(f"N={n}: done", flush=True)
        report(results)
        largest = work / f"n{args.sizes[-1]}"
        if args.serve_only and largest.exists():
            copy_project(largest)  # the kept project gets this checkout's code
        elif args.serve_only:
            generate(largest, args.sizes[-1], args.variant)
        if not args.no_serve:
            shutil.rmtree(work / "real", ignore_errors=True)
            real = copy_project(work / "real")
            shutil.copytree(ROOT / "taxonomy_src", real / "taxonomy_src")
            print("\n(e) edit to served page, seconds: median [min-max] of the edits")
            for name, project in (("real site", real), (f"N={args.sizes[-1]}", largest)):
                entry = first_failure_mode(project)
                for flags, edits in ((SERVE_FLAGS, args.edits), ((), args.full_edits)):
                    if not edits:
                        continue
                    times = serve_latency(project, entry, flags, edits)
                    print(f"{name:>10}, mkdocs serve {' '.join(flags) or '(full rebuilds)':<16}: "
                          f"{statistics.median(times):6.2f} [{min(times):.2f}-{max(times):.2f}]", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def platform_text() -> str:
    """CPU model and Python version, for the record."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU") if Path("/proc/cpuinfo").exists() else "unknown CPU"
    return f"{model}, Python {sys.version.split()[0]}"


if __name__ == "__main__":
    main()
