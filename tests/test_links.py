"""The link checker: offline over the built site, and the opt-in online mode."""

from __future__ import annotations

import http.server
import shutil
import threading
import time
from pathlib import Path

import pytest

from cmc_essay import links


def test_built_site_has_no_broken_internal_link(either_built):
    assert links.check_internal(either_built.root) == []


def test_built_site_links_are_well_formed(either_built):
    assert links.check_form(either_built.root) == []


@pytest.fixture
def broken_site(site, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</article>",
            '<a href="reference/sources/#no-such-anchor">a</a><img src="assets/missing.png" alt="x">'
            '<a href="reference/nowhere/">b</a></article>',
            1,
        ),
        encoding="utf-8",
    )
    return copy


def test_offline_check_finds_a_broken_fragment_a_missing_page_and_a_missing_image(broken_site):
    problems = {(p.page, p.url.rsplit("/site/", 1)[-1], p.reason) for p in links.check_internal(broken_site)}
    urls = {url for _page, url, _reason in problems}
    assert {page for page, _u, _r in problems} == {"index.html"}
    assert "reference/sources#no-such-anchor" in urls or "reference/sources/#no-such-anchor" in urls
    assert "assets/missing.png" in urls
    assert any(url.startswith("reference/nowhere") for url in urls)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://localhost:8000/origins/", "points at localhost"),
        ("file:///home/me/site/index.html", "points at a file path"),
        ("http://history.state.gov/historicaldocuments/frus1961-63v11/d96", "the host serves https"),
        ("https://example.org/page?utm_source=newsletter", "tracking parameter 'utm_source'"),
    ],
    ids=["localhost", "file", "http", "tracker"],
)
def test_form_check_flags_bad_links(url, reason):
    assert any(reason in r for r in links.form_problems(url, {"history.state.gov"}))


def test_form_check_accepts_good_links():
    assert links.form_problems("https://history.state.gov/historicaldocuments/frus1961-63v11/d96") == []
    assert links.form_problems("../reference/sources/#ref-dobbs2008") == []


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/missing":
            self.send_response(404)
        elif self.path == "/busy":
            self.send_response(429)
        elif self.path == "/slow":
            time.sleep(4)
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_online_mode_reports_failures_and_redirects_and_caches(local_server, tmp_path):
    urls = [f"{local_server}/{path}" for path in ("ok", "moved", "missing", "busy", "slow")]
    failures, redirects = links.check_external(urls, tmp_path, timeout=2, retries=0, concurrency=2)
    failed = {p.url.rsplit("/", 1)[-1] for p in failures}
    assert failed == {"missing", "busy", "slow"}, failures
    assert [p.url.rsplit("/", 1)[-1] for p in redirects] == ["moved"]
    assert (tmp_path / ".lycheecache").exists()
    before = _Handler.hits.get("/ok", 0)
    links.check_external([f"{local_server}/ok"], tmp_path, timeout=2, retries=0)
    assert _Handler.hits.get("/ok", 0) == before, "a cached success was fetched again"
