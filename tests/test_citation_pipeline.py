"""The citation pipeline: its cache, what an edit invalidates, its notes markup, its guards.

The cache tests build a copy of the project in this process, so that they can
ask the plugin what pandoc was given: once with no cache, once with it, once
after a citation is edited and once after references.bib is edited.
"""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup

from cmc_essay.citations.notes import BACKLINK_TITLE, PageNotes
from cmc_essay.citations.stash import DeferredHtml, unresolved
from conftest import build_site, run_build

CHAPTER = "docs/back-channels.md"
OLD_CITATION, NEW_CITATION = "[@frus_1961_63_v06_d70, 189]", "[@frus_1961_63_v06_d70, 999]"


def pages(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def build(project, name):
    site = project / name
    plugin = build_site(project, site).plugins["essay-citations"]
    return plugin.renderer, pages(site)


@pytest.fixture(scope="module")
def cache_story(tmp_path_factory):
    """Four builds of one project copy, in order, and what each did."""
    from conftest import PROJECT_PARTS, ROOT
    import shutil

    project = tmp_path_factory.mktemp("cache") / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    story = {"project": project}
    story["cold"] = build(project, "site-cold")
    story["cache_file"] = story["cold"][0].cache_path
    story["cache_written"] = story["cache_file"].exists()
    story["warm"] = build(project, "site-warm")
    chapter = project / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(OLD_CITATION, NEW_CITATION, 1), encoding="utf-8")
    story["citation_edited"] = build(project, "site-citation")
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Anatomy of a Controversy", "Anatomy of a Dispute"),
                   encoding="utf-8")
    story["bib_edited"] = build(project, "site-bib")
    return story


def test_a_build_without_a_cache_formats_every_citation_in_one_pandoc_run(cache_story):
    renderer, _ = cache_story["cold"]
    assert renderer.pandoc_runs == 1
    assert len(renderer.last_formatted) > 400
    assert cache_story["cache_written"]


def test_cached_and_uncached_builds_produce_the_same_html(cache_story):
    cold_renderer, cold = cache_story["cold"]
    warm_renderer, warm = cache_story["warm"]
    assert warm_renderer.pandoc_runs == 0, "the cache was not used"
    assert cold.keys() == warm.keys()
    different = [page for page in cold if cold[page] != warm[page]]
    assert different == []


def test_editing_one_citation_formats_that_citation_and_changes_only_its_pages(cache_story):
    _, warm = cache_story["warm"]
    renderer, edited = cache_story["citation_edited"]
    assert renderer.pandoc_runs == 1
    assert renderer.last_formatted == [NEW_CITATION]
    changed = {page for page in warm if warm[page] != edited[page]}
    assert changed == {"back-channels/index.html", "print_page/index.html"}
    chapter = BeautifulSoup(edited["back-channels/index.html"], "lxml")
    edited_notes = [a.get_text() for a in chapter.select('li[id^="fn:cite-"] a[href$="#ref-frus_1961_63_v06_d70"]')]
    assert any(text.endswith("” 999") for text in edited_notes), edited_notes


def test_editing_references_bib_formats_everything_again(cache_story):
    _, cold = cache_story["cold"]
    renderer, edited = cache_story["bib_edited"]
    # A changed entry can change any citation (a year suffix, a shortened
    # title), so the whole cache is keyed by the bibliography and replaced.
    assert renderer.pandoc_runs == 1
    assert set(renderer.last_formatted) >= set(cache_story["cold"][0].last_formatted) - {OLD_CITATION}
    assert renderer.cache_path != cache_story["cache_file"]
    assert not cache_story["cache_file"].exists(), "the stale cache was kept"
    page = BeautifulSoup(edited["back-channels/index.html"], "lxml")
    short = page.select_one('li[id^="fn:cite-"] a[href$="#ref-hershberg1995anatomy"]')
    assert "Anatomy of a Dispute" in short.get_text()
    entry = BeautifulSoup(edited["reference/sources/index.html"], "lxml").select_one('li[id="ref-hershberg1995anatomy"]')
    assert "Anatomy of a Dispute: Anatoly F. Dobrynin" in entry.get_text()
    assert "Anatomy of a Dispute" not in cold["back-channels/index.html"].decode()


# --- notes markup ----------------------------------------------------------

def test_notes_are_marked_up_as_the_footnotes_extension_marks_them_up():
    """The tooltips and the print page rely on this markup: one note per citation block, in order."""
    source = ("A[^cite-1] B[^cite-2] C[^cite-3]\n\n[^cite-1]: Work A, 12.\n[^cite-2]: Work B.\n"
              "[^cite-3]: Work A, 12.\n")
    expected = BeautifulSoup(markdown.markdown(
        source, extensions=["footnotes"], extension_configs={"footnotes": {"BACKLINK_TITLE": BACKLINK_TITLE}}
    ), "lxml")
    notes = PageNotes("cite-{number}")
    markers = [notes.marker(block) for block in ("[@a, 12]", "[@b]", "[@a, 12]")]
    ours = BeautifulSoup(
        " ".join(markers) + notes.html({"[@a, 12]": "Work A, 12.", "[@b]": "Work B."}, "../sources/"), "lxml"
    )
    assert [str(s) for s in ours.find_all("sup")] == [str(s) for s in expected.find_all("sup")]
    assert ours.select_one("div.footnote") is not None

    def shape(soup):
        return [
            (li["id"], li.get_text(strip=True), [(a["href"], a["title"]) for a in li.select("a.footnote-backref")])
            for li in soup.select("div.footnote li")
        ]

    assert shape(ours) == shape(expected)


def test_a_block_cited_again_is_a_new_note_and_its_works_link_to_the_sources_page():
    notes = PageNotes("cite-{number}")
    notes.marker("[@a]")
    again = notes.marker("[@a]")  # a second citation is note 2, as in print, never a second link to note 1
    assert again == '<sup id="fnref:cite-2"><a class="footnote-ref" href="#fn:cite-2">2</a></sup>'
    html = notes.html({"[@a]": '<a class="cite-sources" href="#ref-a">A, <em>Title</em></a>.'}, "../reference/sources/")
    assert html.count('href="../reference/sources/#ref-a"') == 2 and 'href="#ref-a"' not in html


def test_tokens_become_placeholders_then_html_and_a_leftover_is_detected():
    deferred = DeferredHtml()
    inline = deferred.token(lambda: "<b>x</b>")
    block = deferred.token(lambda: "<div>notes</div>")
    html = f"<p>before {inline} after</p>\n<p>{block}</p>"
    assert unresolved(html)
    placeholders = deferred.placeholders(html)
    assert placeholders == ('<p>before <span data-essay-html="0"></span> after</p>\n'
                            '<div data-essay-html="1"></div>')
    assert unresolved(placeholders), "an unfilled placeholder must count as unresolved"
    assert deferred.resolve(placeholders) == "<p>before <b>x</b> after</p>\n<div>notes</div>"
    assert not unresolved(deferred.resolve(placeholders))


# --- guards ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("insert", "message"),
    [
        ("A remark.[^aside]\n\n[^aside]: An aside.\n", r"docs/origins\.md:\d+: Markdown footnote \[\^aside\] found"),
        ("## Kennedy wrote [@frus_1961_63_v06_d70] {#cited-heading}\n\nText.\n", r"docs/origins\.md:\d+: a citation in the heading"),
        ("A stray \ue000 character.\n", r"docs/origins\.md:\d+: \\ue000 is reserved for the citation plugin"),
        ('<span data-essay-html="3"></span>\n', r"docs/origins\.md:\d+: data-essay-html is reserved for the citation plugin"),
        ('See [the letter](https://example.org/ "as [@frus_1961_63_v06_d70] has it").\n',
         r"docs/origins\.md: a citation where the page cannot show it"),
    ],
    ids=["markdown-footnote", "citation-in-heading", "token-character", "placeholder-attribute", "citation-in-link-title"],
)
def test_a_page_the_pipeline_cannot_render_fails_the_build_naming_it(project_copy, insert, message):
    page = project_copy / "docs" / "origins.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + insert, encoding="utf-8")
    result = run_build(project_copy)
    assert result.returncode != 0
    assert re.search(message, result.stderr), result.stderr[-2000:]
