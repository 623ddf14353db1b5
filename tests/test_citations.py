"""Citations render cleanly: Chicago author-date in the text, full reference in a note."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from cmc_essay.bibliography import rendering_problems
from cmc_essay.citations.plugin import packaged_style
from cmc_essay.citations.render import CitationRenderer
from conftest import run_build

# "Anatoly f. Dobrynin" (an initial before a surname) or "U.s." (an abbreviation).
LOWERCASED_INITIAL = re.compile(r"\b[A-Z][a-z]+ [a-z]\. [A-Z]|\b[A-Z]\.[a-z]\.")
RAW_MARKUP = re.compile(r"\[@|\\|--|\{|\}|\*\*|\]\(|:::|\[\^|&#9[13];|\bnocase\b")


def reference_notes(built):
    for rel in built.page_paths():
        for note in built.article(rel).select('li[id^="fn:cite-"]'):
            yield rel, note


def reference_text(note) -> str:
    """The reference itself, without the note's own links (Sources, back)."""
    note = BeautifulSoup(str(note), "lxml")
    for link in note.select("a.cite-sources, a.footnote-backref"):
        link.decompose()
    return note.get_text(" ", strip=True)


def test_the_site_cites_something(built):
    assert sum(1 for _ in reference_notes(built)) >= 5


def test_in_text_citation_is_author_date_linked_to_a_note(built):
    article = built.article("index.html")
    citation = article.find("span", class_="citation")
    assert re.fullmatch(r"\(.+ \d{4}[a-z]?(, .+)?\)", citation.get_text()), citation.get_text()
    marker = citation.find_next_sibling("sup")
    target = marker.a["href"].lstrip("#")
    assert article.find(id=target) is not None


def test_rendered_references_are_clean(built):
    problems = []
    for rel, note in reference_notes(built):
        text = reference_text(note)
        if '"' in text:
            problems.append((rel, "straight double quote", text))
        if RAW_MARKUP.search(text):
            problems.append((rel, "raw markup", text))
        if LOWERCASED_INITIAL.search(text):
            problems.append((rel, "lowercased initial", text))
        for url in re.findall(r"https?://\S+", text):
            url = url.rstrip(".")
            if not note.find("a", href=url):
                problems.append((rel, f"URL not a link: {url}", text))
    assert not problems, problems[:5]


@pytest.mark.parametrize(
    "text",
    ['He said \\"no\\"', "pages 75--80", "Anatoly f. Dobrynin", "U.s. and Soviet Generals", "[@dobbs2008]", "[and]{.nocase}"],
    ids=["backslash", "double-hyphen", "lowercased-initial", "lowercased-abbreviation", "raw-citation", "pandoc-span"],
)
def test_the_cleanliness_checks_catch_bad_text(text):
    assert RAW_MARKUP.search(text) or LOWERCASED_INITIAL.search(text) or '"' in text


def test_renderer_curls_nested_quotes_and_dashes_and_keeps_initials(tmp_path):
    bib = tmp_path / "t.bib"
    bib.write_text(
        "@article{hershberg_test,\n  author = {Hershberg, James G.},\n"
        "  title = {Anatoly {F.} Dobrynin and ``the Trade''},\n"
        "  journaltitle = {Bulletin},\n  date = {1995},\n  pages = {75--80},\n"
        "  url = {https://example.org/a_b_c},\n  keywords = {scholarship}\n}\n",
        encoding="utf-8",
    )
    renderer = CitationRenderer(bib, packaged_style("chicago-author-date"), None)
    renderer.ensure(["[@hershberg_test, 12--14]"])
    reference = renderer.references["hershberg_test"]
    text = BeautifulSoup(reference, "lxml").get_text()
    assert "“Anatoly F. Dobrynin and ‘the Trade’.”" in text
    assert "75–80" in text and "--" not in text
    assert '<a href="https://example.org/a_b_c">https://example.org/a_b_c</a>' in reference
    assert renderer.inline["[@hershberg_test, 12--14]"] == "(Hershberg 1995, 12–14)"


def test_no_unrendered_citation_or_footnote_reaches_any_page(built):
    keys = set()
    from pybtex.database import parse_file
    from conftest import ROOT
    keys = set(parse_file(str(ROOT / "references.bib")).entries)
    bare_key = re.compile(r"(?<![\w/#-])@(" + "|".join(map(re.escape, keys)) + r")\b")
    for rel in built.page_paths():
        text = built.article(rel).get_text(" ")
        assert "[@" not in text, rel
        assert "[^" not in text, rel
        assert not bare_key.search(text), (rel, bare_key.search(text))


def test_sources_page_lists_every_cited_work_with_an_anchor(built):
    cited = set()
    for rel in built.page_paths():
        for note in built.article(rel).select('li[id^="fn:cite-"]'):
            cited.add(note["id"][len("fn:cite-"):])
    sources = built.article("reference/sources/index.html")
    listed = {li["id"][len("ref-"):] for li in sources.select('li[id^="ref-"]')}
    assert cited <= listed, sorted(cited - listed)
    headings = [h.get_text(strip=True).rstrip("¶") for h in sources.find_all("h2")]
    known = {"Primary documents", "Scholarship", "Later events and commentary", "Further reading"}
    assert headings and set(headings) <= known, headings


def test_sources_lists_are_in_the_search_index_under_their_headings(built):
    """The lists reach the page after Markdown; the search plugin must still index them."""
    index = json.loads((built.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    sections = {doc["location"]: doc["text"] for doc in index["docs"]}
    sources = built.article("reference/sources/index.html")
    for heading in sources.find_all("h2"):
        listed = heading.find_next_sibling("ol", class_="sources-list")
        first = listed.find("li").get_text(" ", strip=True)[:40]
        text = BeautifulSoup(sections[f"reference/sources/#{heading['id']}"], "lxml").get_text(" ", strip=True)
        assert first in text, heading["id"]


def test_every_note_links_to_its_sources_entry(built):
    sources = built.article("reference/sources/index.html")
    for rel, note in reference_notes(built):
        link = note.find("a", class_="cite-sources")
        key = note["id"][len("fn:cite-"):]
        target = urljoin(f"https://site.test/{rel}", link["href"]) if link else ""
        assert target == f"https://site.test/reference/sources/#ref-{key}", (rel, target)
        assert sources.find(id=f"ref-{key}") is not None


class _Entry:
    def __init__(self, **fields):
        self.fields = fields


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"title": 'A "quoted" title'}, "straight double quote"),
        ({"title": "Meeting With Robert F. Kennedy"}, "initial 'F.' unprotected"),
        ({"title": "U.S. and Soviet Generals"}, "initial 'U.S.' unprotected"),
        ({"organization": "History and Public Policy Program"}, "contains 'and'"),
        ({"title": "Fine"}, "keywords must be one of"),
    ],
    ids=["straight-quote", "initial", "abbreviation", "organization-and", "no-group"],
)
def test_bibliography_checks_fire(fields, expected):
    problems = rendering_problems(_Entry(**fields))
    assert any(expected in p for p in problems), problems


def test_bibliography_checks_pass_a_good_entry():
    entry = _Entry(
        title="Robert {F.} Kennedy and ``the Trade''",
        organization="{History and Public Policy Program}",
        keywords="primary",
    )
    assert rendering_problems(entry) == []


def test_unknown_citation_key_fails_the_build_naming_page_and_key(project_copy):
    page = project_copy / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n\nA claim with a bad key [@no_such_work_1962].\n", encoding="utf-8")
    result = run_build(project_copy)
    assert result.returncode != 0
    line = text.count("\n") + 3
    assert f"docs/index.md:{line}: unknown citation key 'no_such_work_1962'" in result.stderr + result.stdout


def test_malformed_bibliography_fails_naming_the_entry(project_copy):
    bib = project_copy / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@book{broken_entry_2001,\n  title = {Unclosed,\n  year = {2001}\n}\n",
        encoding="utf-8",
    )
    result = run_build(project_copy)
    assert result.returncode != 0
    assert "entry 'broken_entry_2001'" in result.stderr + result.stdout


def test_duplicate_key_fails_the_build(project_copy):
    bib = project_copy / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@book{dobbs2008,\n  title = {Again},\n  publisher = {X},\n  year = {2008},\n  keywords = {scholarship}\n}\n",
        encoding="utf-8",
    )
    result = run_build(project_copy)
    assert result.returncode != 0
    assert "dobbs2008" in result.stderr + result.stdout
