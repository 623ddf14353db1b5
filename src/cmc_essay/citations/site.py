"""The citations of the whole site, for either engine.

One ``CitationSite`` per build: it checks references.bib, reads every page and
data file for citation blocks, starts pandoc on all of them at once (see
``render.py``), knows which pages cite each work, and turns a page's Markdown
into Markdown with a note marker where each citation stood, the page's notes at
its end and, on the Sources page, the grouped list of every work.

It writes no HTML into the Markdown itself: each piece of finished HTML goes
through ``wrap(make)``, which the engine's adapter supplies. The MkDocs plugin
(``plugin.py``) returns a token whose HTML is made when the page is written;
the Markdown extension for Zensical (``cmc_essay.extension``) stores the HTML
in Python-Markdown's own stash at once. Everything else is this one code.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape

from cmc_essay.bibliography import GROUPS, BibliographyError, load_bibliography
from cmc_essay.citations.notes import PageNotes
from cmc_essay.citations.render import CitationRenderer, CitationRenderError
from cmc_essay.citations.stash import refuse_placeholders_in
from cmc_essay.citations.syntax import CITATION_BLOCK_REGEX, citation_blocks, join_wrapped_citations
from cmc_essay.errors import EssayBuildError
from cmc_essay.urls import page_url, relative_url

SOURCES_MARKER = "<!-- essay-citations: sources -->"
# A citation block with the white space before it and the punctuation after it:
# the note marker closes the word and follows the punctuation, as in print.
CITATION_IN_TEXT = re.compile(
    r"(?P<gap>[ \t]*(?:\n[ \t]*)?)(?P<block>" + CITATION_BLOCK_REGEX.pattern + r")(?P<punctuation>[.,;:!?]?)"
)
STYLES = Path(__file__).parent / "styles"  # CSL styles pinned in the repository
HEADING_LINE = re.compile(r"^ {0,3}#{1,6}\s.*$", re.M)
MARKDOWN_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
GROUP_TITLES = {
    "primary": ("primary-documents", "Primary documents"),
    "scholarship": ("scholarship", "Scholarship"),
    "later-events": ("later-events", "Later events and commentary"),
    "further": ("further-reading", "Further reading"),
}

Wrap = Callable[[Callable[[], str]], str]


@dataclass
class CitationOptions:
    """The essay-citations settings in mkdocs.yml, which both engines read."""

    bib_file: str | None = None
    csl_style: str = "chicago-shortened-notes-bibliography"
    csl_file: str | None = None
    footnote_format: str = "{number}"
    cache_dir: str | None = None
    sources_page: str = "reference/sources.md"
    further_reading: list[str] = field(default_factory=list)
    data_sources: dict[str, str] = field(default_factory=dict)  # data file -> the page that renders it

    @classmethod
    def from_mkdocs_yml(cls, path: Path) -> CitationOptions:
        """The options given to the essay-citations plugin in ``path`` (mkdocs.yml)."""
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        for plugin in config.get("plugins", []) or []:
            if isinstance(plugin, dict) and "essay-citations" in plugin:
                settings = plugin["essay-citations"] or {}
                known = {name: settings[name] for name in cls.__dataclass_fields__ if name in settings}
                return cls(**known)
        raise EssayBuildError(f"{path.name}: the essay-citations plugin is not configured; the citations need its settings")


class CitationSite:
    """Every citation of one build: checked, formatted by pandoc, and written into pages."""

    def __init__(self, root: Path, docs: Path, options: CitationOptions, use_directory_urls: bool = True,
                 *, link_sources: bool = False):
        if options.bib_file is None:
            raise EssayBuildError("essay-citations: set bib_file to the project's references.bib")
        if "{number}" not in options.footnote_format:
            raise EssayBuildError("essay-citations: footnote_format must contain {number} (one note per citation block)")
        self.root, self.docs, self.options = root, docs, options
        self.use_directory_urls = use_directory_urls
        # MkDocs writes the finished HTML after it has resolved the page's links, so
        # links between pages are built URLs; Zensical resolves every link in the HTML,
        # so they are written as an author writes them, to the source file.
        self.link_sources = link_sources
        bib_path = root / options.bib_file
        cache_dir = root / options.cache_dir if options.cache_dir else None
        try:
            self.bib_data = load_bibliography(bib_path, cache_dir)
        except BibliographyError as error:
            raise EssayBuildError(f"references.bib cannot be used:\n{error}") from error
        unknown = [key for key in options.further_reading if key not in self.bib_data.entries]
        if unknown:
            raise EssayBuildError(f"essay-citations: further_reading names unknown keys: {', '.join(unknown)}")
        csl_path = root / options.csl_file if options.csl_file else packaged_style(options.csl_style)
        self.renderer = CitationRenderer(bib_path, csl_path, cache_dir)
        self.cited_in: dict[str, list[tuple[str, str]]] = {}
        self.page_blocks: dict[str, list[str]] = {}
        self.templates = Environment(loader=PackageLoader("cmc_essay", "templates"), autoescape=select_autoescape(default=True))
        # pandoc starts now, on whatever the sources cite, and works while the
        # engine collects files and builds the navigation; check_pages checks the keys.
        self.scanned = {path: (text, citation_blocks(text)) for path, text in self._sources_to_scan()}
        self.renderer.start(
            str(block)
            for _, blocks in self.scanned.values()
            for block in blocks
            if all(citation.key in self.bib_data.entries for citation in block.citations)
        )

    def _sources_to_scan(self):
        for path in sorted(self.docs.rglob("*.md")):
            yield path, path.read_text(encoding="utf-8")
        for data_file in self.options.data_sources:
            if (self.root / data_file).exists():
                yield self.root / data_file, (self.root / data_file).read_text(encoding="utf-8")

    def _read(self, path: Path):
        """A source's text and citation blocks, from the first scan if it read the file."""
        if path in self.scanned:
            return self.scanned[path]
        text = path.read_text(encoding="utf-8")
        return text, citation_blocks(text)

    def check_pages(self, pages: Iterable[tuple[str, Path]]) -> None:
        """Check every page's citation keys and note which pages cite each work.

        ``pages`` are the site's Markdown pages as (source path in docs/, file).
        """
        self.cited_in = {}
        titles = {}
        self.page_uris = []
        for uri, path in pages:
            source, blocks = self._read(Path(path))
            self.page_uris.append(uri)
            titles[uri] = front_matter_title(source) or Path(uri).name
            self.fail_on_unknown_keys(blocks, f"docs/{uri}", path)
            self._record(blocks, uri, titles[uri])
        for data_file, page_uri in self.options.data_sources.items():
            if not (self.root / data_file).exists():
                raise EssayBuildError(f"essay-citations: data_sources names {data_file}, which does not exist")
            _, blocks = self._read(self.root / data_file)
            self.fail_on_unknown_keys(blocks, data_file, self.root / data_file)
            self._record(blocks, page_uri, titles.get(page_uri, page_uri))
        if self.options.sources_page not in self.page_uris:
            raise EssayBuildError(
                f"essay-citations: sources_page {self.options.sources_page} is not a page of the site; "
                "create it or correct sources_page in mkdocs.yml."
            )

    def _record(self, blocks, page_uri: str, title: str) -> None:
        for block in blocks:
            for citation in block.citations:
                places = self.cited_in.setdefault(citation.key, [])
                if (page_uri, title) not in places:
                    places.append((page_uri, title))

    def mark_page(self, markdown: str, page_uri: str, wrap: Wrap, *, format_now: bool = False) -> str:
        """The page's Markdown with a note marker for each citation block, its notes, and any Sources list.

        ``format_now`` waits for pandoc before marking, for an adapter whose
        ``wrap`` makes the HTML at once.
        """
        where = f"docs/{page_uri}"
        refuse_placeholders_in(markdown, where)
        refuse_markdown_footnotes(markdown, where)
        markdown = join_wrapped_citations(markdown)
        blocks = citation_blocks(markdown)
        self.fail_on_unknown_keys(blocks, where, self.docs / page_uri)
        refuse_citations_in_headings(markdown, blocks, where)
        self.page_blocks[page_uri] = [str(block) for block in blocks]
        if format_now:
            self.format(where, self.page_blocks[page_uri])
        notes = PageNotes(self.options.footnote_format)
        known = {str(block) for block in blocks}

        def cite(match):
            block = match.group("block")
            if block not in known:
                return match.group(0)
            # Numbered now, in reading order; the note's text comes from pandoc.
            marker = notes.marker(block)
            return keep_paragraph_break(match) + match.group("punctuation") + wrap(lambda: marker)

        markdown = CITATION_IN_TEXT.sub(cite, markdown)
        if notes.blocks:
            href = self.href(self.options.sources_page, page_uri)
            token = wrap(lambda: notes.html(self.renderer.notes, href))
            markdown = markdown.rstrip() + "\n\n" + token + "\n"
        if SOURCES_MARKER in markdown:
            self.format(where, [])  # the list's order is pandoc's
            markdown = markdown.replace(SOURCES_MARKER, self.sources_list(page_uri, wrap))
        return markdown

    def format(self, where: str, blocks: list[str]) -> None:
        """Wait until pandoc has formatted ``blocks`` (and the bibliography)."""
        try:
            self.renderer.ensure(blocks)
        except CitationRenderError as error:
            raise EssayBuildError(f"{where}: {error}") from error

    def href(self, target_uri: str, from_uri: str) -> str:
        """The link from one page to another, by their source paths."""
        if self.link_sources:
            return posixpath.relpath(target_uri, posixpath.dirname(from_uri) or ".")
        return relative_url(page_url(target_uri, self.use_directory_urls), page_url(from_uri, self.use_directory_urls))

    def sources_list(self, page_uri: str, wrap: Wrap) -> str:
        """The grouped list of every work cited on the site, plus further reading, as Markdown.

        A heading per group, for the table of contents, and the group's list as
        finished HTML that Markdown never parses.
        """
        template = self.templates.get_template("sources.html")
        references = self.renderer.references
        entries = self.bib_data.entries
        groups = []
        for group in GROUPS + ("further",):
            anchor, heading = GROUP_TITLES[group]
            items = []
            for key in self.renderer.order:
                cited = key in self.cited_in and any(uri != page_uri for uri, _ in self.cited_in[key])
                if group == "further":
                    wanted = not cited and key in self.options.further_reading
                else:
                    wanted = cited and entries[key].fields.get("keywords") == group
                if wanted:
                    places = [(self.href(uri, page_uri), title) for uri, title in self.cited_in.get(key, []) if uri != page_uri]
                    items.append({"key": key, "html": references[key], "places": places})
            if items:
                groups.append(f"## {heading} {{#{anchor}}}\n\n{wrap(lambda items=items: template.render(items=items))}\n")
        return "\n".join(groups)

    def fail_on_unknown_keys(self, blocks, where: str, source_path) -> None:
        entries = self.bib_data.entries
        for block in blocks:
            for citation in block.citations:
                if citation.key not in entries:
                    source = Path(source_path).read_text(encoding="utf-8")
                    line = line_of(source, "@" + citation.key)
                    raise EssayBuildError(
                        f"{where}:{line}: unknown citation key '{citation.key}' in "
                        f"{block}. Add the work to references.bib or correct the key."
                    )


def keep_paragraph_break(match) -> str:
    """The white space before a citation, kept only where it starts a line after a blank one."""
    gap = match.group("gap")
    start = match.start()
    at_line_start = start == 0 or match.string[start - 1] == "\n"
    if "\n" in gap and at_line_start or start == 0:
        return gap
    return ""


def refuse_citations_in_headings(markdown: str, blocks, where: str) -> None:
    """A citation in a heading would vanish from the table of contents; say so."""
    cited = {str(block) for block in blocks}
    for heading in HEADING_LINE.finditer(markdown):
        if any(block in heading.group(0) for block in cited):
            line = markdown.count("\n", 0, heading.start()) + 1
            raise EssayBuildError(
                f"{where}:{line}: a citation in the heading '{heading.group(0).strip()}'; move it into the text below."
            )


def refuse_markdown_footnotes(markdown: str, where: str) -> None:
    """The notes of a page are numbered here; an author's own footnote would collide with them."""
    match = MARKDOWN_FOOTNOTE.search(markdown)
    if match:
        line = markdown.count("\n", 0, match.start()) + 1
        raise EssayBuildError(
            f"{where}:{line}: Markdown footnote {match.group(0)} found. Notes on this site are citations, "
            "numbered by the essay-citations plugin: cite the source as [@key, page] or put the remark in the text."
        )


def front_matter_title(source: str) -> str | None:
    """The ``title`` in a page's YAML front matter, if it has one."""
    match = FRONT_MATTER.match(source)
    if not match:
        return None
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return None
    title = meta.get("title") if isinstance(meta, dict) else None
    return str(title) if title else None


def packaged_style(name: str) -> Path:
    """A CSL style pinned in src/cmc_essay/citations/styles (copied from the official CSL styles)."""
    path = STYLES / f"{name}.csl"
    if not path.exists():
        pinned = ", ".join(sorted(p.stem for p in STYLES.glob("*.csl")))
        raise EssayBuildError(f"essay-citations: no CSL style '{name}' pinned in {STYLES} (pinned: {pinned})")
    return path


def line_of(text: str, needle: str) -> int:
    match = re.search(re.escape(needle) + r"(?![\w-])", text)
    return text.count("\n", 0, match.start()) + 1 if match else 0
