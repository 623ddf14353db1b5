"""Citations render cleanly: one note marker per citation group, short Chicago notes
linked to the full entries on the Sources page."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from cmc_essay.bibliography import rendering_problems
from cmc_essay.citations.site import packaged_style
from cmc_essay.citations.syntax import citation_blocks as _blocks
from cmc_essay.citations.render import CitationRenderer
from conftest import ROOT, run_build, skip_if_engine_lacks

# "Anatoly f. Dobrynin" (an initial before a surname) or "U.s." (an abbreviation).
LOWERCASED_INITIAL = re.compile(r"\b[A-Z][a-z]+ [a-z]\. [A-Z]|\b[A-Z]\.[a-z]\.")
URL = re.compile(r"https?://\S+")
RAW_MARKUP = re.compile(r"\[@|\\|--|\{|\}|\*\*|\]\(|:::|\[\^|&#9[13];|\bnocase\b")
# The author-date form this site left behind: "(Gilpatric 1986; ...)" or "(... n.d.-c)" before a marker.
AUTHOR_DATE_BEFORE_MARKER = re.compile(r"\([^()]*(?:\d{4}[a-z]?|n\.d\.(?:-[a-z])?)(?:, [^()]*)?\)\s*(?:</span>)?\s*<sup")
ADJACENT_MARKERS = re.compile(r"</sup>\s*<sup id=\"fnref")
SOURCES = "reference/sources/index.html"


def reference_notes(built):
    for rel in built.page_paths():
        for note in built.article(rel).select('li[id^="fn:cite-"]'):
            yield rel, note


def sources_entries(built):
    for entry in built.article(SOURCES).select('li[id^="ref-"]'):
        yield SOURCES, entry


def reference_text(note) -> str:
    """The citations or the reference itself, without a note's back-link or an entry's pages citing it."""
    note = BeautifulSoup(str(note), "lxml")
    for link in note.select("a.footnote-backref, span.cited-in"):
        link.decompose()
    return note.get_text(" ", strip=True)


def group_headings(sources):
    """The Sources page's group headings (not the "cite this page" block's)."""
    return [h for h in sources.find_all("h2") if not h.find_parent("aside", class_="essay-cite")]


def chapter_sources(built):
    """Each built page made from a Markdown file with citations, with that file's citation blocks in order."""
    for source in sorted((ROOT / "docs").glob("*.md")):
        blocks = _blocks(source.read_text(encoding="utf-8"))
        if blocks:
            rel = "index.html" if source.stem == "index" else f"{source.stem}/index.html"
            yield rel, blocks


def cited_keys(note) -> list[str]:
    return [a["href"].rpartition("#ref-")[2] for a in note.select("a.cite-sources")]


def note_problems(blocks, notes) -> list[str]:
    """Where a page's notes differ from its citation blocks: one note per block, every work in it, each locator kept."""
    problems = []
    if len(notes) != len(blocks):
        problems.append(f"{len(blocks)} citation blocks but {len(notes)} notes")
    for number, (block, note) in enumerate(zip(blocks, notes), start=1):
        keys = [citation.key for citation in block.citations]
        if cited_keys(note) != keys:
            problems.append(f"note {number} cites {cited_keys(note)}, not {keys} ({block})")
        text = reference_text(note)
        for citation in block.citations:
            locator = citation.suffix.replace("--", "–")
            if locator and not locator_pattern(locator).search(text):
                problems.append(f"note {number} lost the locator {locator!r} of {citation.key}")
    return problems


def locator_pattern(locator: str) -> re.Pattern:
    """The locator as the style may print it: a page range's second number can be shortened (179–80)."""
    parts = re.split(r"(\d+–\d+)", locator)
    pattern = ""
    for part in parts:
        if re.fullmatch(r"\d+–\d+", part):
            first, last = part.split("–")
            pattern += re.escape(first) + "–(?:" + "|".join(re.escape(last[i:]) for i in range(len(last))) + r")\b"
        else:
            pattern += re.escape(part)
    return re.compile(pattern)


def marker_problems(html: str) -> list[str]:
    """An author-date parenthesis before a note marker, or markers side by side."""
    problems = [f"author-date before a marker: {m.group(0)[:80]}" for m in AUTHOR_DATE_BEFORE_MARKER.finditer(html)]
    problems += [f"markers side by side: {html[m.start() - 60:m.end() + 20]}" for m in ADJACENT_MARKERS.finditer(html)]
    return problems


def broken_sources_links(rel: str, note, sources) -> list[str]:
    """Links in a note that do not reach an entry on the Sources page."""
    broken = []
    for link in note.select("a.cite-sources"):
        target = urljoin(f"https://site.test/{rel}", link["href"])
        page, _, fragment = target.partition("#")
        if page != "https://site.test/reference/sources/" or sources.find(id=fragment) is None:
            broken.append(link["href"])
    return broken


def test_the_site_cites_something(either_built):
    assert sum(1 for _ in reference_notes(either_built)) >= 5


def test_each_citation_group_is_one_marker_whose_note_cites_every_work(either_built):
    checked = 0
    for rel, blocks in chapter_sources(either_built):
        article = either_built.article(rel)
        markers = article.select("sup > a.footnote-ref")
        notes = article.select('li[id^="fn:cite-"]')
        assert len(markers) == len(blocks), rel
        assert [m["href"] for m in markers] == [f"#{n['id']}" for n in notes], rel
        assert note_problems(blocks, notes) == [], (rel, note_problems(blocks, notes)[:5])
        checked += sum(len(block.citations) > 1 for block in blocks)
    assert checked > 50, "the site has groups of several works; they must have been checked"


def test_no_author_date_parenthesis_and_no_markers_side_by_side(either_built):
    for rel in either_built.page_paths():
        assert marker_problems(str(either_built.article(rel))) == [], rel


OLD_FORM = (
    '<p>one secret move<span class="citation">(Gilpatric 1986; U.S. Department of State, Office of the '
    'Historian, n.d.-c)</span><sup id="fnref:cite-a"><a class="footnote-ref" href="#fn:cite-a">2</a></sup> '
    '<sup id="fnref:cite-b"><a class="footnote-ref" href="#fn:cite-b">3</a></sup>.</p>'
)


def test_the_marker_check_catches_the_author_date_form():
    problems = marker_problems(OLD_FORM)
    assert any("author-date" in p for p in problems) and any("side by side" in p for p in problems), problems
    assert marker_problems('<p>one secret move.<sup id="fnref:cite-2"><a href="#fn:cite-2">2</a></sup></p>') == []


def test_the_note_check_catches_a_split_group_a_lost_work_and_a_lost_locator():
    blocks = _blocks("A claim [@a, 12--14; @b].")
    note = BeautifulSoup(
        '<li id="fn:cite-1"><p><a class="cite-sources" href="../reference/sources/#ref-a">A, <em>Title</em>, 12–14</a>; '
        '<a class="cite-sources" href="../reference/sources/#ref-b">B, <em>Title</em></a>.</p></li>', "lxml").li
    assert note_problems(blocks, [note]) == []
    lost_work = BeautifulSoup(str(note).replace("; <a", " <b").replace("</a>.</p>", "</b>.</p>"), "lxml").li
    assert any("cites ['a'], not ['a', 'b']" in p for p in note_problems(blocks, [lost_work]))
    assert locator_pattern("179–180").search("Rusk, “Memorandum,” 179–80.")
    assert not locator_pattern("179–180").search("Rusk, “Memorandum,” 179–8.")
    lost_locator = BeautifulSoup(str(note).replace(", 12–14", ""), "lxml").li
    assert any("lost the locator '12–14'" in p for p in note_problems(blocks, [lost_locator]))
    assert any("2 notes" in p for p in note_problems(blocks, [note, note]))


def has_raw_markup(text: str) -> bool:
    """Markup left in a rendered reference; an address may hold "--" or braces, so addresses are skipped."""
    return bool(RAW_MARKUP.search(URL.sub("", text)))


def test_rendered_references_are_clean(either_built):
    problems = []
    for rel, note in [*reference_notes(either_built), *sources_entries(either_built)]:
        text = reference_text(note)
        if '"' in text:
            problems.append((rel, "straight double quote", text))
        if has_raw_markup(text):
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
    assert has_raw_markup(text) or LOWERCASED_INITIAL.search(text) or '"' in text


def test_the_markup_check_reads_past_an_address_but_not_around_it():
    assert not has_raw_markup("Hufstader, Peter. Patch. http://avon.patch.com/p/bp--u-2s-avoid-cuba .")
    assert has_raw_markup("pages 75--80. http://avon.patch.com/p/bp--u-2s-avoid-cuba .")


def test_renderer_curls_nested_quotes_and_dashes_and_keeps_initials(tmp_path):
    bib = tmp_path / "t.bib"
    bib.write_text(
        "@article{hershberg_test,\n  author = {Hershberg, James G.},\n"
        "  title = {Anatoly {F.} Dobrynin and ``the Trade''},\n"
        "  journaltitle = {Bulletin},\n  date = {1995},\n  pages = {75--80},\n"
        "  url = {https://example.org/a_b_c},\n  keywords = {scholarship}\n}\n",
        encoding="utf-8",
    )
    renderer = CitationRenderer(bib, packaged_style("chicago-shortened-notes-bibliography"), None)
    renderer.ensure(["[@hershberg_test, 12--14]"])
    reference = renderer.references["hershberg_test"]
    text = BeautifulSoup(reference, "lxml").get_text()
    assert "“Anatoly F. Dobrynin and ‘the Trade’.”" in text
    assert "75–80" in text and "--" not in text
    assert '<a href="https://example.org/a_b_c">https://example.org/a_b_c</a>' in reference
    assert renderer.notes["[@hershberg_test, 12--14]"] == (
        '<a class="cite-sources" href="#ref-hershberg_test">Hershberg, “Anatoly F. Dobrynin and ‘the Trade’,” 12–14</a>.'
    )
    assert text.startswith("Hershberg, James G. “Anatoly"), "the bibliography entry is in Chicago bibliography form"


def test_the_pinned_style_is_the_official_chicago_notes_style_with_its_licence():
    style = packaged_style("chicago-shortened-notes-bibliography").read_text(encoding="utf-8")
    assert '<style xmlns="http://purl.org/net/xbiblio/csl" class="note"' in style
    assert "<id>http://www.zotero.org/styles/chicago-shortened-notes-bibliography</id>" in style
    assert 'license="http://creativecommons.org/licenses/by-sa/3.0/"' in style


def test_no_unrendered_citation_or_footnote_reaches_any_page(either_built):
    keys = set()
    from pybtex.database import parse_file
    from conftest import ROOT
    keys = set(parse_file(str(ROOT / "references.bib")).entries)
    bare_key = re.compile(r"(?<![\w/#-])@(" + "|".join(map(re.escape, keys)) + r")\b")
    for rel in either_built.page_paths():
        text = either_built.article(rel).get_text(" ")
        assert "[@" not in text, rel
        assert "[^" not in text, rel
        assert not bare_key.search(text), (rel, bare_key.search(text))


def test_sources_page_lists_every_cited_work_with_an_anchor(either_built):
    cited = {key for _, note in reference_notes(either_built) for key in cited_keys(note)}
    assert len(cited) > 100
    sources = either_built.article(SOURCES)
    listed = {li["id"][len("ref-"):] for li in sources.select('li[id^="ref-"]')}
    assert cited <= listed, sorted(cited - listed)
    headings = [h.get_text(strip=True).rstrip("¶") for h in group_headings(sources)]
    known = {"Primary documents", "Scholarship", "Later events and commentary", "Further reading"}
    assert headings and set(headings) <= known, headings


def test_sources_lists_are_in_the_search_index_under_their_headings(either_built):
    """The lists reach the page after Markdown; the search plugin must still index them."""
    skip_if_engine_lacks(either_built, "search index")
    index = json.loads((either_built.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    sections = {doc["location"]: doc["text"] for doc in index["docs"]}
    sources = either_built.article("reference/sources/index.html")
    for heading in group_headings(sources):
        listed = heading.find_next_sibling("ol", class_="sources-list")
        first = listed.find("li").get_text(" ", strip=True)[:40]
        text = BeautifulSoup(sections[f"reference/sources/#{heading['id']}"], "lxml").get_text(" ", strip=True)
        assert first in text, heading["id"]


def test_every_work_in_a_note_links_to_its_entry_on_the_sources_page(either_built):
    sources = either_built.article(SOURCES)
    for rel, note in reference_notes(either_built):
        assert note.select("a.cite-sources"), (rel, note["id"])
        assert broken_sources_links(rel, note, sources) == [], (rel, note["id"])


def test_the_sources_link_check_catches_a_missing_entry_and_a_wrong_page(built):
    sources = built.article(SOURCES)
    note = BeautifulSoup(
        '<li><a class="cite-sources" href="../reference/sources/#ref-dobbs2008">Dobbs</a>; '
        '<a class="cite-sources" href="../reference/sources/#ref-no_such_work">X</a>; '
        '<a class="cite-sources" href="../reference/people/#ref-dobbs2008">Y</a></li>', "lxml").li
    assert broken_sources_links("origins/index.html", note, sources) == [
        "../reference/sources/#ref-no_such_work", "../reference/people/#ref-dobbs2008"]


class _Entry:
    def __init__(self, **fields):
        self.fields = fields


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"title": 'A "quoted" title'}, "straight double quote"),
        ({"title": "Meeting With Robert F. Kennedy"}, "initial 'F.' unprotected"),
        ({"title": "U.S. and Soviet Generals"}, "initial 'U.S.' unprotected"),
        ({"title": "Meeting with U Thant"}, "letter 'U' standing alone"),
        ({"title": "Estimate [extract, section V]"}, "letter 'V' standing alone"),
        ({"organization": "History and Public Policy Program"}, "contains 'and'"),
        ({"title": "Fine"}, "keywords must be one of"),
    ],
    ids=["straight-quote", "initial", "abbreviation", "lone-letter", "lone-numeral", "organization-and", "no-group"],
)
def test_bibliography_checks_fire(fields, expected):
    problems = rendering_problems(_Entry(**fields))
    assert any(expected in p for p in problems), problems


def test_bibliography_checks_pass_a_good_entry():
    entry = _Entry(
        title="Robert {F.} Kennedy, {U} Thant, the U-2 and ``the Trade''",
        organization="{History and Public Policy Program}",
        keywords="primary",
    )
    assert rendering_problems(entry) == []


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_unknown_citation_key_fails_the_build_naming_page_and_key(project_copy, engine):
    page = project_copy / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n\nA claim with a bad key [@no_such_work_1962].\n", encoding="utf-8")
    result = run_build(project_copy, engine)
    assert result.returncode != 0
    line = text.count("\n") + 3
    assert f"docs/index.md:{line}: unknown citation key 'no_such_work_1962'" in result.stderr + result.stdout


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_malformed_bibliography_fails_naming_the_entry(project_copy, engine):
    bib = project_copy / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@book{broken_entry_2001,\n  title = {Unclosed,\n  year = {2001}\n}\n",
        encoding="utf-8",
    )
    result = run_build(project_copy, engine)
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
