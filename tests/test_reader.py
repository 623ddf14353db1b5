"""Reader features in the built HTML: print page, timeline, people, primary
sources, citation metadata, corrections and the 404 page."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urljoin

import pytest

from cmc_essay import anchors
from conftest import ROOT, load_module, run_build, skip_if_engine_lacks

print_page = load_module(ROOT / "hooks" / "print_page.py", "essay_hook_print_page")

CHAPTERS = [c.removesuffix(".md") + "/index.html" for c in anchors.configured_chapters(ROOT)]


def resolves(built, rel: str, href: str) -> bool:
    """Does a link from page `rel` land on an existing page and id of the built site?"""
    url = urljoin(f"https://site.test/{rel}", href)
    path, _, fragment = url.removeprefix("https://site.test/").partition("#")
    target = built.root / path / "index.html" if not path.endswith(".html") else built.root / path
    if not target.exists():
        return False
    return not fragment or built.soup(target.relative_to(built.root).as_posix()).find(id=fragment) is not None


def test_print_page_has_unique_ids_and_every_note_link_resolves(either_built):
    skip_if_engine_lacks(either_built, "print page")
    soup = either_built.soup("print_page/index.html")
    ids = Counter(e["id"] for e in soup.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []
    notes = soup.select("a.footnote-ref, a.footnote-backref")
    assert len(notes) > 500
    broken = [a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("#") and a["href"][1:] not in ids]
    assert broken == []


def test_print_page_holds_every_chapters_notes_with_sources_links_inside_it(either_built):
    skip_if_engine_lacks(either_built, "print page")
    html = (either_built.root / "print_page" / "index.html").read_text(encoding="utf-8")
    assert "\ue000" not in html and "\ue001" not in html, "a citation token reached the print page"
    soup = either_built.soup("print_page/index.html")
    for chapter in CHAPTERS:
        notes = either_built.article(chapter).select('li[id^="fn:cite-"]')
        section = soup.find("section", id=chapter.removesuffix("/index.html"))
        printed = section.select('li[id*="fn:cite-"]')
        assert len(printed) == len(notes) > 0, chapter
        for link in section.select("a.cite-sources"):
            assert link["href"].startswith("#reference-sources-ref-"), link["href"]
            assert soup.find(id=link["href"][1:]) is not None, link["href"]


def test_print_page_links_from_the_sources_lists_resolve_from_the_print_page(either_built):
    """The lists are put in by a hook, written for the Sources page: their links must be rewritten."""
    skip_if_engine_lacks(either_built, "print page")
    section = either_built.soup("print_page/index.html").find("section", id="reference-sources")
    links = [a["href"] for a in section.select("span.cited-in a[href]")]
    assert len(links) > 300
    assert any(not href.startswith("#") for href in links), "expected links to pages left out of the print page"
    assert [href for href in links if not resolves(either_built, "print_page/", href)] == []
    # A browser stops ".." at the host's root, so check as if the site lived in a subdirectory.
    hosted = "https://site.test/essay/"
    assert [href for href in links if not urljoin(hosted + "print_page/", href).startswith(hosted)] == []


@pytest.mark.parametrize(
    "href, page_url, expected",
    [
        ("../../back-channels/#rfk-dobrynin", "reference/sources/", "#back-channels-rfk-dobrynin"),
        ("../../documents/scali-memo/", "reference/sources/", "../documents/scali-memo/"),
        ("../documents/scali-memo/#text", "origins/", "../documents/scali-memo/#text"),
        ("../../", "reference/sources/", "../"),
        ("https://example.org/x", "reference/sources/", "https://example.org/x"),
        ("#fn:cite-key", "origins/", "#fn:cite-key"),
    ],
)
def test_a_restored_link_is_rewritten_for_the_print_page(href, page_url, expected, monkeypatch):
    monkeypatch.setitem(print_page._page_urls, "back-channels", "back-channels/")
    assert print_page.link_for_print_page(href, page_url, {"back-channels/": "back-channels"}) == expected


def test_print_page_holds_every_chapter(either_built):
    skip_if_engine_lacks(either_built, "print page")
    text = either_built.soup("print_page/index.html").get_text(" ")
    for chapter in CHAPTERS:
        title = either_built.soup(chapter).find("meta", attrs={"name": "citation_title"})["content"]
        assert title in text, title


def test_timeline_events_are_cited_and_link_to_their_chapters_and_back(either_built):
    timeline = either_built.article("reference/timeline/index.html")
    events = timeline.select("li.essay-timeline__event")
    assert len(events) >= 40
    for event in events:
        assert event.find("time")["datetime"]
        assert event.select_one("sup > a.footnote-ref"), event["id"]
        link = event.select_one("a.essay-timeline__link")
        if link:
            assert resolves(either_built, "reference/timeline/", link["href"]), link["href"]
    backlinks = 0
    for chapter in CHAPTERS:
        for link in either_built.article(chapter).select('a[href*="timeline/#e-"]'):
            backlinks += 1
            assert resolves(either_built, chapter.removesuffix("index.html"), link["href"]), link["href"]
    assert backlinks >= 20


def test_people_have_offices_citations_and_chapter_links(either_built):
    people = either_built.article("reference/people/index.html")
    names = people.select("dt[id^=p-]")
    assert len(names) >= 20
    for name in names:
        entry = name.find_next_sibling("dd")
        assert entry.select_one("sup > a.footnote-ref"), name.get_text()
    appears = people.select(".essay-people__appears a")
    assert appears and all(resolves(either_built, "reference/people/", a["href"]) for a in appears)


def test_quotations_link_to_excerpts_and_excerpts_link_back(either_built):
    links = [(c, a["href"]) for c in CHAPTERS for a in either_built.article(c).select("a.essay-excerpt-link")]
    assert len(links) >= 50
    for chapter, href in links:
        assert resolves(either_built, chapter.removesuffix("index.html"), href), (chapter, href)
    quoted = [p for p in either_built.page_paths() if p.startswith("documents/") and either_built.article(p).find(id="quoted-in")]
    assert len(quoted) >= 30
    for page in quoted:
        for link in either_built.article(page).find(id="quoted-in").find_next("ul").select("a"):
            assert resolves(either_built, page.removesuffix("index.html"), link["href"]), (page, link["href"])


def test_the_primary_sources_index_lists_every_excerpt(either_built):
    index = either_built.article("documents/index.html")
    listed = {a["href"].strip("/") for a in index.select("table a")}
    pages = {p.removeprefix("documents/").removesuffix("/index.html") for p in either_built.page_paths()
             if p.startswith("documents/") and p != "documents/index.html"}
    assert pages and pages == listed


REFERENCE_PAGES = ["reference/timeline/index.html", "reference/people/index.html",
                   "reference/glossary/index.html", "reference/sources/index.html"]


@pytest.mark.parametrize("chapter", CHAPTERS + REFERENCE_PAGES)
def test_chapter_carries_citation_metadata_and_last_updated(either_built, chapter):
    soup = either_built.soup(chapter)
    title = soup.find("meta", attrs={"name": "citation_title"})["content"]
    assert soup.find("meta", attrs={"name": "citation_author"})["content"]
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", soup.find("meta", attrs={"name": "citation_publication_date"})["content"])
    assert soup.find("meta", attrs={"property": "og:title"})["content"] == title
    record = json.loads(soup.find("script", type="application/ld+json").string)
    assert record["@type"] == "ScholarlyArticle" and record["headline"] == title
    assert record["url"] == soup.find("link", rel="canonical")["href"]
    assert either_built.article(chapter).select_one(".essay-updated time")["datetime"] == record["dateModified"]
    cite = either_built.article(chapter).select_one("aside.essay-cite")
    for style in ("chicago", "mla", "apa", "bibtex"):
        text = cite.select_one(f'code[data-style="{style}"]').get_text()
        assert title in text and record["url"].removeprefix("https://") in text, (chapter, style)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_reference_page_without_dates_fails_the_build_naming_it(project_copy, engine):
    page = project_copy / "docs" / "reference" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8").replace("updated: 2026-11-25\n", ""), encoding="utf-8")
    result = run_build(project_copy, engine)
    assert result.returncode != 0
    assert "docs/reference/glossary.md: front matter lacks 'updated'" in result.stderr


def test_corrections_page_and_404_page(either_built):
    assert either_built.article("reference/corrections/index.html").find("table")
    not_found = either_built.soup("404.html")
    assert not_found.find("label", attrs={"for": "__search"})
    skip_if_engine_lacks(either_built, "404 chapter list")
    chapters = [a["href"] for a in not_found.select("ol.essay-404-chapters a")]
    assert "/origins/" in chapters and "/conclusion/" in chapters


@pytest.mark.parametrize(
    "entry, message",
    [
        ("- date: 1962-10-14\n  phase: thirteen-days\n  title: No citation\n  text: Words.\n", "event lacks 'cite'"),
        ("- date: 14 October\n  phase: thirteen-days\n  title: Bad date\n  text: Words.\n  cite: \"[@dobbs2008]\"\n", "must be YYYY-MM-DD"),
        ("- date: 1962-10-14\n  phase: thirteen-days\n  title: Bare key\n  text: Words.\n  cite: dobbs2008\n", "cite must be a pandoc citation"),
        ("- date: 1962-10-14\n  phase: [oops\n", "not valid YAML"),
    ],
    ids=["uncited", "bad-date", "bare-key", "bad-yaml"],
)
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_bad_timeline_event_fails_the_build_naming_file_and_line(project_copy, entry, message, engine):
    timeline = project_copy / "data" / "timeline.yml"
    text = timeline.read_text(encoding="utf-8")
    timeline.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    result = run_build(project_copy, engine)
    assert result.returncode != 0
    line = text.rstrip("\n").count("\n") + 2
    found = re.search(r"data/timeline\.yml:(\d+): (.+)", result.stderr)
    assert found and message in found.group(2), result.stderr[-1500:]
    assert line - 1 <= int(found.group(1)) <= line + 2  # YAML reports where it noticed the fault


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_chapter_without_its_review_date_fails_the_build(project_copy, engine):
    chapter = project_copy / "docs" / "origins.md"
    chapter.write_text(re.sub(r"^updated: .*\n", "", chapter.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    result = run_build(project_copy, engine)
    assert result.returncode != 0
    assert "docs/origins.md: front matter lacks 'updated'" in result.stderr
