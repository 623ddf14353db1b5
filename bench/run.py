"""Benchmark the site against its budgets: build time, rebuild time, page weight, Lighthouse.

    python bench/run.py                 # everything, 3 runs per build measurement
    python bench/run.py --runs 5 --no-lighthouse
    python bench/run.py --stock         # also time stock mkdocs-bibtex
    python bench/run.py --before 9fdfb6c --stock   # and the project as it was at a revision, same run

Prints a table and writes bench/results/<timestamp>.json. Exits 1 when a
budget is missed, so budgets live here and never in timed tests.

Rebuilds under `mkdocs serve` are timed from the server's log (see
``ServeLog``); a server that fails a rebuild, stops or stays quiet for two
minutes ends the run with an error rather than hanging it.

Budgets (issue 7): cold build at most 1.5x the build without the citation
plugin; rebuild under `mkdocs serve` at most 1.2x the baseline rebuild; first
load of a chapter at most 80 KB gzip (issue 14; search index excluded); Lighthouse at
least 95 for performance and 100 for accessibility, best practices and SEO.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import yaml
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LIGHTHOUSE = "lighthouse@12.2.3"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
BUDGETS = {
    "build_ratio": 1.5,
    "rebuild_ratio": 1.2,
    "chapter_gzip_kb": 80,
    "lighthouse": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
}
LIGHTHOUSE_CHAPTERS = ["back-channels/", "thirteen-days/"]
LIGHTHOUSE_RUNS = 5
LIGHTHOUSE_TIMINGS = {"lcp_ms": "largest-contentful-paint", "tbt_ms": "total-blocking-time"}
SEARCH_PAGE = "thirteen-days/"
SEARCH_RUNS = 5
SEARCH_CPU_SLOWDOWN = 4
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


# --- configurations --------------------------------------------------------

def write_variant(name: str, cache_dir: Path, root: Path = ROOT) -> Path:
    """A copy of root's mkdocs.yml beside it: 'site', 'baseline' (no citations) or 'stock'."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    plugins = []
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "essay-citations" in plugin:
            options = dict(plugin["essay-citations"])
            if name == "site":
                options["cache_dir"] = str(cache_dir)
                plugins.append({"essay-citations": options})
            elif name == "stock":
                from cmc_essay.citations.site import packaged_style

                plugins.append({"bibtex": {
                    "bib_file": options["bib_file"],
                    "csl_file": str(packaged_style(options.get("csl_style", "chicago-author-date"))),
                    "footnote_format": options["footnote_format"],
                    "enable_inline_citations": False,
                }})
            continue  # baseline: no citation plugin at all
        plugins.append(plugin)
    config["plugins"] = plugins
    if name != "site":
        config["strict"] = False  # unrendered citations and the Sources marker stay as text
    path = root / f".bench-{name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def timed_build(config: Path, site_dir: Path, env: dict = ENV) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                            cwd=config.parent, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build with {config.name} failed:\n{result.stderr[-3000:]}")
    return elapsed


def build_times(runs: int, work: Path, stock: bool, root: Path = ROOT, env: dict = ENV) -> dict:
    """Median build seconds: cold and warm citation cache, baseline, and (if asked) stock mkdocs-bibtex.

    The site is left built in work/site.
    """
    cache = work / "citation-cache"
    variants = {"site": write_variant("site", cache, root), "baseline": write_variant("baseline", cache, root)}
    if stock:
        variants["stock"] = write_variant("stock", cache, root)
    times: dict[str, list[float]] = {"cold": [], "warm": [], "baseline": [], "stock": []}
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        times["cold"].append(timed_build(variants["site"], work / "site", env))
        times["warm"].append(timed_build(variants["site"], work / "site", env))
        times["baseline"].append(timed_build(variants["baseline"], work / "baseline", env))
        if stock:
            times["stock"].append(timed_build(variants["stock"], work / "stock", env))
    return {name: statistics.median(values) for name, values in times.items() if values}


# Everything `zensical build` reads, copied so that it builds beside its own configuration.
PROJECT_PARTS = ("mkdocs.yml", "docs", "includes", "overrides", "references.bib", "data", "pyproject.toml")


def zensical_times(runs: int, work: Path, root: Path = ROOT, env: dict = ENV) -> dict:
    """Median `zensical build --strict` seconds: cold (no Zensical or citation cache) and warm (both kept)."""
    project = work / "zensical-project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        elif source.exists():
            shutil.copy2(source, project / part)
    times: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(runs):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        times["cold"].append(_timed_zensical(project, env, clean=True))
        times["warm"].append(_timed_zensical(project, env, clean=False))
    return {name: statistics.median(values) for name, values in times.items()}


def _timed_zensical(project: Path, env: dict, clean: bool) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", *(["--clean"] if clean else [])],
                            cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"zensical build failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return elapsed


# --- rebuild under mkdocs serve --------------------------------------------

# MkDocs' build logger drops any message it has logged before (its
# DuplicateFilter), so "Documentation built in 1.73 seconds" is missing
# whenever a rebuild takes as long as an earlier one. The livereload server's
# own lines are never filtered: a rebuild runs from "Building documentation..."
# to "Reloading browsers", and those two lines are timed as they arrive.
BUILDING = "Building documentation..."
RELOADED = "Reloading browsers"
REBUILD_FAILED = "An error happened during the rebuild"


def serve_rebuilds(root: Path = ROOT, env: dict = ENV, rounds: int = 2, edits: int = 5) -> dict:
    """Median rebuild seconds under `mkdocs serve` after editing a chapter of root.

    The site and the baseline (configurations written by build_times) take
    turns, so that the machine's drift touches both.
    """
    chapter = root / "docs" / "back-channels.md"
    seconds: dict[str, list[float]] = {"site": [], "baseline": []}
    for _ in range(rounds):
        for name, port in (("site", 8771), ("baseline", 8772)):
            seconds[name] += serve_rebuild(root / f".bench-{name}.yml", chapter, port, edits, env=env)
    site, baseline = statistics.median(seconds["site"]), statistics.median(seconds["baseline"])
    return {"site": site, "baseline": baseline, "ratio": site / baseline, "edits": len(seconds["site"])}


def serve_rebuild(config: Path, chapter: Path, port: int, edits: int = 5, timeout: float = 120,
                  env: dict = ENV) -> list[float]:
    """Seconds of each rebuild under `mkdocs serve` after a chapter is edited."""
    original = chapter.read_text(encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=config.parent, env=env, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    log = ServeLog(process)
    seconds = []
    try:
        log.wait_for("Serving on", 300)  # the first build is done and the watcher is running
        for index in range(edits):
            time.sleep(1.5)
            chapter.write_text(original + "\n" + " " * (index + 1) + "\n", encoding="utf-8")
            began = log.wait_for(BUILDING, timeout)
            seconds.append(log.wait_for(RELOADED, timeout) - began)
    finally:
        chapter.write_text(original, encoding="utf-8")
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return seconds


class ServeLog:
    """The lines of a `mkdocs serve` process, read in a thread so that every wait can time out."""

    def __init__(self, process: subprocess.Popen):
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put((time.perf_counter(), line))
        self.lines.put((time.perf_counter(), None))

    def wait_for(self, text: str, timeout: float) -> float:
        """When the next line containing `text` arrived; an error if the server fails, stops or stays quiet."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                arrived, line = self.lines.get(timeout=max(0.1, deadline - time.perf_counter()))
            except queue.Empty:
                raise SystemExit(f"mkdocs serve printed no {text!r} within {timeout:.0f} s; its last lines:\n"
                                 + "".join(self.seen[-20:])) from None
            if line is None:
                raise SystemExit("mkdocs serve stopped early; its last lines:\n" + "".join(self.seen[-20:]))
            self.seen.append(line)
            if REBUILD_FAILED in line:
                raise SystemExit("a rebuild under mkdocs serve failed; its last lines:\n" + "".join(self.seen[-20:]))
            if text in line:
                return arrived


# --- page weight -----------------------------------------------------------

def page_weights(site: Path) -> list[dict]:
    """First-load bytes of each page: the HTML and every asset it loads."""
    rows = []
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix().removesuffix("index.html")
        tree = lxml_html.fromstring(path.read_bytes())
        assets = {path}
        # Lazy images are fetched only when scrolled to, so they are not first load.
        for element in tree.xpath("//link[@rel='stylesheet' or @rel='icon']|//script[@src]|//img[@src][not(@loading='lazy')]"):
            url = element.get("href") or element.get("src")
            target = _local(site, path, url)
            if target:
                assets.add(target)
                if target.suffix == ".css":
                    assets.update(_css_assets(site, target))
        raw = sum(a.stat().st_size for a in assets)
        packed = sum(len(gzip.compress(a.read_bytes(), 6)) for a in assets)
        rows.append({"page": rel or "/", "requests": len(assets), "raw_kb": raw / 1024, "gzip_kb": packed / 1024})
    return rows


def _local(site: Path, page: Path, url: str | None) -> Path | None:
    if not url or urlparse(url).scheme in ("http", "https", "data"):
        return None
    clean = url.split("#")[0].split("?")[0]
    target = (site / clean.lstrip("/")) if clean.startswith("/") else (page.parent / clean)
    target = target.resolve()
    return target if target.is_file() else None


def _css_assets(site: Path, css: Path) -> set[Path]:
    found = set()
    for url in re.findall(r"url\(['\"]?([^'\")]+)", css.read_text(encoding="utf-8", errors="replace")):
        if url.startswith("data:"):
            continue
        target = (css.parent / url.split("#")[0].split("?")[0]).resolve()
        if target.is_file() and target.suffix in (".woff", ".woff2", ".ttf"):
            found.add(target)
    return found


# --- Lighthouse --------------------------------------------------------------

def lighthouse(site: Path, work: Path, port: int) -> list[dict]:
    tools = ROOT / "bench" / ".tools"  # kept between runs (git ignores it)
    tools.mkdir(exist_ok=True)
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        # A package.json of its own, or npm installs into whatever parent folder has one.
        (tools / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", LIGHTHOUSE], cwd=tools, check=True,
                       stdout=subprocess.DEVNULL)
    # Served compressed, as any static host serves it (bench/serve.py).
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "serve.py"), str(site), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        time.sleep(1)
        for page in [""] + LIGHTHOUSE_CHAPTERS:
            for form in ("mobile", "desktop"):
                runs = []
                for attempt in range(LIGHTHOUSE_RUNS):  # the median of several: single runs vary by several points
                    report = work / f"lh-{form}-{page.strip('/') or 'home'}-{attempt}.json"
                    command = [str(binary), f"http://127.0.0.1:{port}/{page}", "--quiet", "--output=json",
                               f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                               "--only-categories=performance,accessibility,best-practices,seo"]
                    if form == "desktop":
                        command.append("--preset=desktop")
                    subprocess.run(command, check=True, env=dict(ENV, CHROME_PATH="/usr/bin/chromium"), timeout=300)
                    data = json.loads(report.read_text(encoding="utf-8"))
                    runs.append({**{key: value["score"] * 100 for key, value in data["categories"].items()},
                                 **{name: data["audits"][audit]["numericValue"] for name, audit in LIGHTHOUSE_TIMINGS.items()}})
                scores = {key: round(statistics.median(run[key] for run in runs)) for key in runs[0]}
                rows.append({"page": page or "/", "form": form, **scores})
    finally:
        server.terminate()
    return rows


def search_latency(site: Path, port: int, runs: int = SEARCH_RUNS) -> dict:
    """Seconds from a chapter's load event to its first search result, the CPU slowed 4x (median of runs).

    A fresh browser context each run, so the search index is fetched and built
    every time, as on a reader's first visit; the query is filled at once, as
    a paste would enter it.
    """
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "serve.py"), str(site), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        time.sleep(1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_FLAGS.split()[1:])
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SEARCH_CPU_SLOWDOWN})
                page.goto(f"http://127.0.0.1:{port}/{SEARCH_PAGE}", wait_until="load")
                start = time.perf_counter()
                page.locator("input.md-search__input").fill("Dobrynin")
                page.locator(".md-search-result__item").first.wait_for(state="attached", timeout=60_000)
                times.append(time.perf_counter() - start)
                context.close()
            browser.close()
    finally:
        server.terminate()
    return {"page": SEARCH_PAGE, "cpu_slowdown": SEARCH_CPU_SLOWDOWN, "runs": times, "median": statistics.median(times)}


# --- report ------------------------------------------------------------------

def main(argv=None) -> int:
    # A terminated run still restores the edited chapter and removes its configs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stock", action="store_true", help="also time stock mkdocs-bibtex")
    parser.add_argument("--before", metavar="REV",
                        help="also measure the project as it was at git revision REV, in the same run")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve rebuild")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-search", action="store_true", help="skip the time to the first search result")
    parser.add_argument("--no-zensical", action="store_true", help="skip the Zensical builds")
    args = parser.parse_args(argv)
    report = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "commit": _git("rev-parse", "--short", "HEAD"),
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.before:
            tree = checkout(args.before, work / "before-tree")
            # The old tree's own package is imported ahead of the installed one.
            env = dict(ENV, PYTHONPATH=os.pathsep.join(filter(None, [str(tree / "src"), ENV.get("PYTHONPATH")])))
            report["before"] = {"revision": args.before, "commit": _git("rev-parse", "--short", args.before),
                                **measure(tree, env, work / "before", args, stock=False)}
        report.update(measure(ROOT, ENV, work / "after", args, stock=args.stock))
    report["budgets_missed"] = missed_budgets(report, chapter_pages())
    print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{report['when'].replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 1 if report["budgets_missed"] else 0


def measure(root: Path, env: dict, work: Path, args, stock: bool) -> dict:
    """Every measurement of the project at root: builds, serve rebuild, page weights, Lighthouse."""
    work.mkdir(parents=True)
    result: dict = {}
    try:
        times = build_times(args.runs, work, stock, root, env)
        result["build_seconds"] = times
        result["build_ratio"] = times["cold"] / times["baseline"]
        result["warm_ratio"] = times["warm"] / times["baseline"]
        # A revision from before the Markdown extension cannot build under Zensical.
        if not args.no_zensical and (root / "src" / "cmc_essay" / "extension.py").exists():
            result["zensical_build_seconds"] = zensical_times(args.runs, work, root, env)
        if not args.no_serve:
            result["serve_rebuild_seconds"] = serve_rebuilds(root, env)
    finally:
        for leftover in root.glob(".bench-*.yml"):
            leftover.unlink()
    result["pages"] = page_weights(work / "site")
    index = work / "site" / "search" / "search_index.json"
    result["search_index_kb"] = {"raw": index.stat().st_size / 1024,
                                 "gzip": len(gzip.compress(index.read_bytes(), 6)) / 1024}
    if not args.no_search:
        result["search_first_result_seconds"] = search_latency(work / "site", 8774)
    if not args.no_lighthouse:
        result["lighthouse"] = lighthouse(work / "site", work, 8773)
    return result


def checkout(revision: str, into: Path, repository: Path = ROOT) -> Path:
    """The project's files at a git revision, unpacked into a folder of their own."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=repository, capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"--before {revision}: git cannot read that revision: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def chapter_pages() -> list[str]:
    """The chapters' URLs, from the navigation (the page-weight budget is per chapter)."""
    from cmc_essay.anchors import configured_chapters

    return [chapter.removesuffix(".md") + "/" for chapter in configured_chapters(ROOT)]


def heaviest_chapter(report: dict, chapters: list[str]) -> dict | None:
    """The weighed chapter with the heaviest first load (the figure the budget is judged by)."""
    weighed = [row for row in report["pages"] if row["page"] in chapters]
    return max(weighed, key=lambda row: row["gzip_kb"], default=None)


def missed_budgets(report: dict, chapters: list[str]) -> list[str]:
    """Every budget the report misses, in words; empty when all are met."""
    missed = []
    if report["build_ratio"] > BUDGETS["build_ratio"]:
        missed.append(f"cold build {report['build_ratio']:.2f}x baseline > {BUDGETS['build_ratio']}x")
    serve = report.get("serve_rebuild_seconds")
    if serve and serve["ratio"] > BUDGETS["rebuild_ratio"]:
        missed.append(f"serve rebuild {serve['ratio']:.2f}x baseline > {BUDGETS['rebuild_ratio']}x")
    weighed = {row["page"]: row for row in report["pages"]}
    for page in chapters:
        if page not in weighed:
            missed.append(f"{page} was not weighed (is it missing from the build?)")
        elif weighed[page]["gzip_kb"] > BUDGETS["chapter_gzip_kb"]:
            missed.append(f"{page} first load {weighed[page]['gzip_kb']:.0f} KB gzip > {BUDGETS['chapter_gzip_kb']} KB")
    for row in report.get("lighthouse", []):
        for category, floor in BUDGETS["lighthouse"].items():
            if row.get(category) is None or row[category] < floor:
                missed.append(f"Lighthouse {category} {row.get(category)} < {floor} on {row['page']} ({row['form']})")
    return missed


def print_table(report: dict) -> None:
    """The report as Markdown tables; with --before, each figure beside the same figure before."""
    before = report.get("before")
    machine = report["machine"]
    print(f"machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}")
    heads = (["before (" + before["commit"] + ")"] if before else []) + [f"after ({report['commit']})"]
    print("\n| measurement | " + " | ".join(heads) + " | budget |\n|" + " --- |" * (len(heads) + 2))

    def row(label: str, cell, budget: str = "") -> None:
        cells = ([cell(before)] if before else []) + [cell(report)]
        print(f"| {label} | " + " | ".join(cells) + f" | {budget} |")

    def build(kind: str):
        return lambda r: f"{r['build_seconds'][kind]:.2f} s ({r['build_seconds'][kind] / r['build_seconds']['baseline']:.2f}x)"

    row("build, no citation plugin (baseline)", lambda r: f"{r['build_seconds']['baseline']:.2f} s")
    row("build, cold (no citation cache)", build("cold"), f"<= {BUDGETS['build_ratio']}x")
    row("build, warm (citation cache on disk)", build("warm"))
    if "zensical_build_seconds" in report:
        def zensical(kind: str):
            return lambda r: (f"{r['zensical_build_seconds'][kind]:.2f} s (MkDocs {r['build_seconds'][kind]:.2f} s)"
                              if "zensical_build_seconds" in r else "")
        row("build, Zensical, cold (no caches)", zensical("cold"))
        row("build, Zensical, warm (caches on disk)", zensical("warm"))
    if "stock" in report["build_seconds"]:
        row("build, stock mkdocs-bibtex 4.4", lambda r: build("stock")(r) if "stock" in r["build_seconds"] else "")
    if "serve_rebuild_seconds" in report:
        row("mkdocs serve rebuild, one chapter edited",
            lambda r: (f"{r['serve_rebuild_seconds']['site']:.2f} s ({r['serve_rebuild_seconds']['ratio']:.2f}x; "
                       f"baseline {r['serve_rebuild_seconds']['baseline']:.2f} s)") if "serve_rebuild_seconds" in r else "",
            f"<= {BUDGETS['rebuild_ratio']}x")

    earlier = {r["page"]: r for r in before["pages"]} if before else {}
    print("\n| page | requests | raw KB | gzip KB" + (" (before)" if before else "") + " |\n| --- | --- | --- | --- |")
    for page in report["pages"]:
        if page["page"].startswith("documents/") and page["page"] != "documents/":
            continue
        old = earlier.get(page["page"])
        was = f" ({old['gzip_kb']:.0f})" if old else ""
        print(f"| {page['page']} | {page['requests']} | {page['raw_kb']:.0f} | {page['gzip_kb']:.0f}{was} |")
    for r, label in ([(before, "before")] if before else []) + [(report, "after")]:
        heaviest = heaviest_chapter(r, chapter_pages())
        if heaviest:
            print(f"\nheaviest chapter {label}: {heaviest['page']} first load {heaviest['gzip_kb']:.1f} KB gzip "
                  f"(budget {BUDGETS['chapter_gzip_kb']} KB)", end="")
    for r, label in ([(before, "before")] if before else []) + [(report, "after")]:
        index = r["search_index_kb"]
        print(f"\nsearch index {label} (loaded lazily): {index['raw']:.0f} KB raw, {index['gzip']:.0f} KB gzip", end="")
    print()
    if "search_first_result_seconds" in report:
        row_label = (f"first search result on {report['search_first_result_seconds']['page']} after load, "
                     f"CPU {report['search_first_result_seconds']['cpu_slowdown']}x slower (median)")
        cells = [f"{r['search_first_result_seconds']['median']:.2f} s" if "search_first_result_seconds" in r else ""
                 for r in ([before] if before else []) + [report]]
        print(f"\n| {row_label} | " + " | ".join(cells) + " |\n|" + " --- |" * (len(cells) + 1))
    if "lighthouse" in report:
        scores = {(r["page"], r["form"]): r for r in before.get("lighthouse", [])} if before else {}
        categories = ("performance", "accessibility", "best-practices", "seo", "lcp_ms", "tbt_ms")
        print("\n| Lighthouse" + (" (before -> after)" if scores else "") + " | form | performance | accessibility "
              "| best practices | SEO | LCP ms | TBT ms |\n| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in report["lighthouse"]:
            old = scores.get((r["page"], r["form"]))
            cells = [f"{old.get(c)} -> {r.get(c)}" if old else f"{r.get(c)}" for c in categories]
            print(f"| {r['page']} | {r['form']} | " + " | ".join(cells) + " |")
    print("\nbudgets: " + ("all met" if not report["budgets_missed"] else "MISSED: " + "; ".join(report["budgets_missed"])))


if __name__ == "__main__":
    sys.exit(main())
