"""The built site as a whole: strict build, no third-party requests, README = CI."""

from __future__ import annotations

import re
import shlex
from urllib.parse import urlparse

import yaml

from conftest import ROOT

LOADED = {  # elements whose URL attribute the browser fetches by itself
    "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src",
    "video": "src", "audio": "src", "embed": "src", "object": "data",
}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


def third_party(url: str) -> bool:
    parsed = urlparse(url)
    return bool(parsed.scheme in ("http", "https") or url.startswith("//")) and bool(parsed.netloc)


def loaded_urls(soup):
    for tag, attr in LOADED.items():
        for element in soup.find_all(tag):
            if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch", "preconnect", "dns-prefetch"}:
                continue
            if element.get(attr):
                yield element[attr]
    for element in soup.find_all(style=True):
        for match in CSS_URL.finditer(element["style"]):
            yield match.group(1) or match.group(2)


def test_every_page_built(either_built):
    pages = either_built.page_paths()
    assert "index.html" in pages and "reference/sources/index.html" in pages


def test_no_page_loads_anything_from_another_host(either_built):
    offenders = [
        (rel, url)
        for rel in (p.relative_to(either_built.root).as_posix() for p in either_built.html_files())
        for url in loaded_urls(either_built.soup(rel))
        if third_party(url)
    ]
    assert not offenders, offenders[:10]


def test_no_stylesheet_imports_from_another_host(either_built):
    offenders = []
    for css in either_built.root.rglob("*.css"):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            url = match.group(1) or match.group(2)
            if third_party(url):
                offenders.append((css.name, url))
    assert not offenders, offenders[:10]


def test_the_third_party_check_catches_a_cdn():
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example.com/x.js"></script><div style="background:url(https://t.example/p.png)"></div>',
        "lxml",
    )
    assert [u for u in loaded_urls(soup) if third_party(u)] == [
        "https://fonts.googleapis.com/css?family=Roboto",
        "//cdn.example.com/x.js",
        "https://t.example/p.png",
    ]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("mkdocs serve")
    assert shlex.split(commands[1])[-1] == "pytest"


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    last_command = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")][-1]
    assert last_command.strip() == readme_commands()[1]


def test_material_is_configured_for_reading():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    theme = config["theme"]
    assert theme["font"] == "false"
    # Notes get tooltips from docs/assets/essay.js (built on first use); the
    # theme's own would set up every marker at load and show a second tooltip.
    assert "content.footnote.tooltips" not in theme["features"]
    assert theme["palette"][0]["media"] == "(prefers-color-scheme)"
    assert config["strict"] == "true" and config["site_url"].startswith("https://")
    assert all(config["validation"][k] == "warn" for k in ("omitted_files", "absolute_links", "unrecognized_links", "anchors"))


def test_footer_states_the_licence(either_built):
    footer = either_built.soup("index.html").find("footer")
    assert "CC BY 4.0" in footer.get_text() and "MIT" in footer.get_text()


def test_headings_have_permalinks(either_built):
    article = either_built.article("index.html")
    for heading in article.find_all(["h2", "h3"]):
        assert heading.find("a", class_="headerlink"), heading
