"""Both engines build the same essay: MkDocs with the plugin and hooks, Zensical with the Markdown extension.

The HTML checks of the other modules run against both builds (the
``either_built`` fixture); this module compares the two builds directly and
checks the shared code's ports of what it used to borrow from MkDocs and
mkdocs-bibtex.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs_bibtex.citation import CitationBlock

from cmc_essay.citations.syntax import citation_blocks, join_wrapped_citations
from cmc_essay.extension import site_pages
from cmc_essay.urls import page_url, relative_url
from conftest import ROOT, ZENSICAL_LACKS, Site, run_build

# Theme chrome inside <article> that differs between the two themes and is not the essay.
THEME_CHROME = "#__skip, .md-source-file"
# The cite block links to the print page only where there is one (ZENSICAL_LACKS).
PRINT_PAGE_LINK = 'a[href$="print_page/"]'
PRINT_PAGE_TEXT = ", for printing or saving as PDF."
# Known differences, each named in ZENSICAL_LACKS: pages left out of the comparison.
NOT_COMPARED = {"print_page/index.html": "print page", "404.html": "404 chapter list"}


def article_shape(article) -> tuple[list, list, str]:
    """What a reader gets from an article: its ids, its links and its text (less the print page's link)."""
    article = BeautifulSoup(str(article), "lxml")
    for chrome in article.select(f"{THEME_CHROME}, {PRINT_PAGE_LINK}"):
        chrome.decompose()
    ids = [element["id"] for element in article.find_all(id=True)]
    links = [link.get("href") for link in article.find_all("a")]
    return ids, links, " ".join(article.get_text(" ").replace(PRINT_PAGE_TEXT, "").split())


def differences(mkdocs: Site, zensical: Site) -> list[str]:
    """The pages whose article differs between the two builds, with what differs."""
    found = []
    for rel in mkdocs.page_paths():
        if rel in NOT_COMPARED:
            assert NOT_COMPARED[rel] in ZENSICAL_LACKS
            continue
        if not (zensical.root / rel).exists():
            found.append(f"{rel}: not built by Zensical")
            continue
        ours, theirs = article_shape(mkdocs.article(rel)), article_shape(zensical.article(rel))
        for name, a, b in zip(("ids", "links", "text"), ours, theirs):
            if a != b:
                found.append(f"{rel}: {name} differ")
    return found


@pytest.fixture(scope="module")
def zensical_built(zensical_site) -> Site:
    return Site(zensical_site, "zensical")


def test_every_page_has_the_same_article_under_both_engines(built, zensical_built):
    assert len(built.page_paths()) > 100
    assert differences(built, zensical_built) == []


def test_the_comparison_catches_a_lost_note_a_changed_link_and_a_missing_page(built, zensical_built, tmp_path):
    broken = tmp_path / "site"
    for rel in ("origins/index.html", "back-channels/index.html"):
        (broken / rel).parent.mkdir(parents=True)
    origins = (zensical_built.root / "origins" / "index.html").read_text(encoding="utf-8")
    note = origins.index('<li id="fn:cite-3"')
    (broken / "origins" / "index.html").write_text(origins[:note] + origins[origins.index("</li>", note) + 5:], encoding="utf-8")
    channels = (zensical_built.root / "back-channels" / "index.html").read_text(encoding="utf-8")
    (broken / "back-channels" / "index.html").write_text(channels.replace("../reference/sources/#ref-", "../sources/#ref-", 1), encoding="utf-8")
    found = differences(built, Site(broken, "zensical"))
    assert "origins/index.html: ids differ" in found and "origins/index.html: text differ" in found
    assert "back-channels/index.html: links differ" in found
    assert "conclusion/index.html: not built by Zensical" in found


def test_only_the_print_page_is_missing_from_the_zensical_build(built, zensical_built):
    missing = [rel for rel in built.page_paths() if not (zensical_built.root / rel).exists()]
    assert missing == ["print_page/index.html"]
    assert "print page" in ZENSICAL_LACKS


def dobbs_after_an_edit(project: Path, watch: bool) -> tuple[str, list[str]]:
    """Build with Zensical, retitle a book and cite it from the home page, build again without --clean.

    Returns the book's title in a chapter's note and the pages the Sources page says cite it.
    """
    if not watch:
        config = project / "mkdocs.yml"
        config.write_text(re.sub(r"^watch:\n(?:  - .*\n)+", "", config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    assert run_build(project, "zensical").returncode == 0
    time.sleep(1.1)  # Zensical compares modification times to the second
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("{One Minute to Midnight:", "{One Minute Past Midnight:", 1), encoding="utf-8")
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n\nA planted claim [@dobbs2008, 2].\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    site = Site(project / "site", "zensical")
    note = next(li for li in site.article("thirteen-days/index.html").select('li[id^="fn:cite-"]') if "Dobbs" in li.get_text())
    entry = site.article("reference/sources/index.html").find(id="ref-dobbs2008")
    return note.get_text(" "), [a["href"] for a in entry.select(".cited-in a")]


@pytest.mark.parametrize("watch", [True, False], ids=["watched", "unwatched"])
def test_a_zensical_rebuild_sees_an_edited_bibliography_and_another_pages_new_citation(project_copy, watch):
    """Zensical caches a page by its own file; mkdocs.yml's watch list makes the shared inputs count too."""
    note, cited_in = dobbs_after_an_edit(project_copy, watch)
    fresh = "One Minute Past Midnight" in note and "../../" in cited_in
    assert fresh == watch, (note[:80], cited_in)


def test_the_extension_leaves_mkdocs_pages_alone():
    """Under MkDocs there is no Zensical page context: the plugin and hooks have done the work."""
    import markdown

    text = "A claim [@dobbs2008, 12].\n\n<!-- data_pages: timeline -->\n"
    assert markdown.markdown(text, extensions=["cmc_essay.extension"]) == markdown.markdown(text)


def test_pages_are_listed_in_mkdocs_order():
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(str(ROOT / "mkdocs.yml"))
    ours = site_pages(ROOT / "docs")
    assert ours == [f.src_uri for f in get_files(config).documentation_pages()]
    assert ours.index("documents/index.md") < ours.index("documents/abm-treaty-1972.md")


def test_page_urls_and_relative_links_match_mkdocs():
    uris = ["index.md", "origins.md", "reference/sources.md", "documents/index.md", "documents/cia-crisis-memo-1962-10-25.md"]
    for uri, directory_urls in itertools.product(uris, (True, False)):
        assert page_url(uri, directory_urls) == File(uri, "docs", "site", directory_urls).url
    for a, b in itertools.product(uris, uris):
        assert relative_url(page_url(a), page_url(b)) == get_relative_url(page_url(a), page_url(b)), (a, b)


def test_citation_blocks_are_read_as_mkdocs_bibtex_reads_them():
    """The port of mkdocs-bibtex's reading gives the same blocks on every page of the site."""
    checked = 0
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        theirs = CitationBlock.from_markdown(join_wrapped_citations(text))
        ours = citation_blocks(text)
        assert [str(b) for b in ours] == [str(b) for b in theirs], path
        assert [[(c.key, c.prefix, c.suffix) for c in b.citations] for b in ours] == [
            [(c.key, c.prefix, c.suffix) for c in b.citations] for b in theirs], path
        checked += len(ours)
    assert checked > 1000
    tricky = "Write to [someone@example.org] or [see @a, 12--14; @b-c] and [not a citation]."
    assert [str(b) for b in citation_blocks(tricky)] == ["[see @a, 12--14; @b-c]"]
