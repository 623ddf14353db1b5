"""The project's citation plugin: mkdocs-bibtex, extended rather than copied.

Registered as ``essay-citations`` (see pyproject.toml). What it adds to
mkdocs-bibtex 4.4, which is unmaintained upstream:

- references.bib is checked first; a malformed file or an entry citeproc would
  print wrongly fails the build with file, line and entry named;
- a citation of an unknown key fails the build, naming the page and line;
- all citations on the site are formatted by one pandoc job, started in the
  background as soon as the configuration is read, and cached on disk (see
  ``render.py``);
- each citation block is one note marker where it stands, its note a short
  citation (Chicago shortened notes) of every work in the block (``notes.py``);
- formatted notes never pass through Markdown: placeholders do, filled as each
  page is written (``stash.py``), in the footnotes extension's markup;
- each work in a note links to its full entry on the Sources page, which this
  plugin fills where ``<!-- essay-citations: sources -->`` stands.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data
from mkdocs_bibtex.citation import CITATION_BLOCK_REGEX, CitationBlock
from mkdocs_bibtex.config import BibTexConfig
from mkdocs_bibtex.plugin import BibTexPlugin

from cmc_essay.bibliography import BibliographyError, GROUPS, load_bibliography
from cmc_essay.citations.notes import PageNotes
from cmc_essay.citations.render import CitationRenderer, CitationRenderError
from cmc_essay.citations.stash import OPEN, DeferredHtml, refuse_placeholders_in, unresolved

SOURCES_MARKER = "<!-- essay-citations: sources -->"
# A citation block may wrap over lines in pandoc syntax; mkdocs-bibtex reads one line.
WRAPPED_CITATION = re.compile(r"\[[^\[\]]*\n[^\[\]]*\]")
# A citation block with the white space before it and the punctuation after it:
# the note marker closes the word and follows the punctuation, as in print.
CITATION_IN_TEXT = re.compile(
    r"(?P<gap>[ \t]*(?:\n[ \t]*)?)(?P<block>" + CITATION_BLOCK_REGEX.pattern + r")(?P<punctuation>[.,;:!?]?)"
)
STYLES = Path(__file__).parent / "styles"  # CSL styles pinned in the repository
HEADING_LINE = re.compile(r"^ {0,3}#{1,6}\s.*$", re.M)
MARKDOWN_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
GROUP_TITLES = {
    "primary": ("primary-documents", "Primary documents"),
    "scholarship": ("scholarship", "Scholarship"),
    "later-events": ("later-events", "Later events and commentary"),
    "further": ("further-reading", "Further reading"),
}


class EssayCitationsConfig(BibTexConfig):
    csl_style = config_options.Type(str, default="chicago-shortened-notes-bibliography")
    cache_dir = config_options.Optional(config_options.Type(str))
    sources_page = config_options.Type(str, default="reference/sources.md")
    further_reading = config_options.Type(list, default=[])
    # Data files whose citations a hook renders into a page: {file: page}.
    data_sources = config_options.Type(dict, default={})


class EssayCitationsPlugin(BibTexPlugin):
    config_class = EssayCitationsConfig

    def __init__(self):
        super().__init__()
        self.cited_in: dict[str, list[tuple[str, str]]] = {}
        self.page_blocks: dict[str, list[str]] = {}
        self.deferred = DeferredHtml()
        self.indexed_pages: set[str] = set()  # pages whose deferred HTML the search index must see
        self.templates = Environment(
            loader=PackageLoader("cmc_essay", "templates"),
            autoescape=select_autoescape(default=True),
        )

    def on_config(self, config):
        if self.config.bib_file is None:
            raise PluginError("essay-citations: set bib_file to the project's references.bib")
        if "{number}" not in self.config.footnote_format:
            raise PluginError("essay-citations: footnote_format must contain {number} (one note per citation block)")
        root = Path(config.config_file_path).parent
        bib_path = root / self.config.bib_file
        cache_dir = root / self.config.cache_dir if self.config.cache_dir else None
        try:
            self.bib_data = load_bibliography(bib_path, cache_dir)
        except BibliographyError as error:
            raise PluginError(f"references.bib cannot be used:\n{error}") from error
        unknown = [key for key in self.config.further_reading if key not in self.bib_data.entries]
        if unknown:
            raise PluginError(f"essay-citations: further_reading names unknown keys: {', '.join(unknown)}")
        csl_path = (
            root / self.config.csl_file if self.config.csl_file else packaged_style(self.config.csl_style)
        )
        self.renderer = CitationRenderer(bib_path, csl_path, cache_dir)
        # pandoc starts now, on whatever the sources cite, and works while MkDocs
        # collects files and builds the navigation; on_files checks the keys.
        self.scanned = {path: (text, _blocks(text)) for path, text in self._sources_to_scan(config)}
        self.renderer.start(
            str(block)
            for _, blocks in self.scanned.values()
            for block in blocks
            if all(citation.key in self.bib_data.entries for citation in block.citations)
        )
        return config

    def _sources_to_scan(self, config):
        for path in sorted(Path(config.docs_dir).rglob("*.md")):
            yield path, path.read_text(encoding="utf-8")
        root = Path(config.config_file_path).parent
        for data_file in self.config.data_sources:
            if (root / data_file).exists():
                yield root / data_file, (root / data_file).read_text(encoding="utf-8")

    def _read(self, path: Path):
        """A source's text and citation blocks, from the scan in on_config if it read the file."""
        if path in self.scanned:
            return self.scanned[path]
        text = path.read_text(encoding="utf-8")
        return text, _blocks(text)

    def on_files(self, files, *, config):
        """Check every page's citation keys and note which pages cite each work."""
        self.cited_in = {}
        titles = {}
        for file in files.documentation_pages():
            source, blocks = self._read(Path(file.abs_src_path))
            titles[file.src_uri] = get_data(source)[1].get("title") or file.name
            self._fail_on_unknown_keys(blocks, f"docs/{file.src_uri}", file.abs_src_path)
            self._record(blocks, file.src_uri, titles[file.src_uri])
        root = Path(config.config_file_path).parent
        for data_file, page_uri in self.config.data_sources.items():
            if not (root / data_file).exists():
                raise PluginError(f"essay-citations: data_sources names {data_file}, which does not exist")
            _, blocks = self._read(root / data_file)
            self._fail_on_unknown_keys(blocks, data_file, root / data_file)
            self._record(blocks, page_uri, titles.get(page_uri, page_uri))
        return files

    def on_build_error(self, *, error):
        if getattr(self, "renderer", None) is not None:
            self.renderer.cancel()

    def _record(self, blocks, page_uri: str, title: str) -> None:
        """Note which page cites each key (for the Sources page)."""
        for block in blocks:
            for citation in block.citations:
                places = self.cited_in.setdefault(citation.key, [])
                if (page_uri, title) not in places:
                    places.append((page_uri, title))

    def on_page_markdown(self, markdown, /, *, page, config, files):
        """Put placeholders where citations and notes go; on_post_page fills them."""
        where = f"docs/{page.file.src_uri}"
        refuse_placeholders_in(markdown, where)
        refuse_markdown_footnotes(markdown, where)
        markdown = join_wrapped_citations(markdown)
        blocks = CitationBlock.from_markdown(markdown)
        self._fail_on_unknown_keys(blocks, where, page.file.abs_src_path)
        refuse_citations_in_headings(markdown, blocks, where)
        self.page_blocks[page.file.src_uri] = [str(block) for block in blocks]
        notes = PageNotes(self.config.footnote_format)
        known = {str(block): block for block in blocks}

        def cite(match):
            block = known.get(match.group("block"))
            if block is None:
                return match.group(0)
            # Numbered now, in reading order; the note's text comes from pandoc later.
            marker = notes.marker(str(block))
            return keep_paragraph_break(match) + match.group("punctuation") + self.deferred.token(lambda: marker)

        markdown = CITATION_IN_TEXT.sub(cite, markdown)
        if notes.blocks:
            href = self._sources_href(page, files)
            token = self.deferred.token(lambda: notes.html(self.renderer.notes, href))
            markdown = markdown.rstrip() + "\n\n" + token + "\n"
        if SOURCES_MARKER in markdown:
            self._format(where, [])  # the list's order is pandoc's
            markdown = markdown.replace(SOURCES_MARKER, self._sources_list(page, files))
            self.indexed_pages.add(page.file.src_uri)
        return markdown

    def on_page_content(self, html, /, *, page, config, files):
        """Tokens become empty placeholder elements, before the search and print plugins copy the page."""
        if token_inside_tag(html):
            raise PluginError(
                f"docs/{page.file.src_uri}: a citation where the page cannot show it (inside a link or an "
                "attribute?); move it into the text."
            )
        return self.deferred.placeholders(html)

    # Before the search plugin indexes the page (and after the print plugin
    # has copied it, in on_page_content): the Sources page is searchable, but
    # neither Markdown nor the print plugin ever scans its lists.
    @event_priority(50)
    def on_page_context(self, context, /, *, page, config, nav):
        """The Sources page's lists in its content, for the search index."""
        if page.file.src_uri in self.indexed_pages:
            self._format(f"docs/{page.file.src_uri}", self.page_blocks.get(page.file.src_uri, []))
            page.content = self.deferred.resolve(page.content)
        return context

    # Last of all (the privacy plugin scans pages at -50), so that nothing
    # before this reads the notes and references, most of a chapter's markup.
    @event_priority(-90)
    def on_post_page(self, output, /, *, page, config):
        """Write the citations and notes into the finished page, waiting for pandoc if need be."""
        where = f"docs/{page.file.src_uri}"
        self._format(where, self.page_blocks.get(page.file.src_uri, []))
        output = self.deferred.resolve(output)
        if unresolved(output):
            raise PluginError(f"{where}: a citation placeholder was left in the page; please report this as a bug.")
        return output

    def restore_citations(self, html: str, adapt=None) -> str:
        """Citations, notes and Sources lists in place of placeholders in a page another plugin copied early.

        The print page does this; ``adapt(offset, html)`` lets it rewrite the
        links of each piece for the place it goes (see ``DeferredHtml.resolve``).
        """
        return self.deferred.resolve(html, adapt)

    def _format(self, where: str, blocks: list[str]) -> None:
        try:
            self.renderer.ensure(blocks)
        except CitationRenderError as error:
            raise PluginError(f"{where}: {error}") from error

    def _sources_href(self, page, files) -> str:
        sources = files.get_file_from_path(self.config.sources_page)
        if sources is None:
            raise PluginError(
                f"essay-citations: sources_page {self.config.sources_page} is not a page of the site; "
                "create it or correct sources_page in mkdocs.yml."
            )
        return get_relative_url(sources.url, page.url)

    def _sources_list(self, page, files) -> str:
        """The grouped list of every work cited on the site, plus further reading, as Markdown.

        A heading per group, for the table of contents, and the group's list as a
        block token: finished HTML that Markdown never parses.
        """
        template = self.templates.get_template("sources.html")
        page_uri = page.file.src_uri
        references = self.renderer.references
        order = self.renderer.order
        entries = self.bib_data.entries
        groups = []
        for group in GROUPS + ("further",):
            anchor, heading = GROUP_TITLES[group]
            items = []
            for key in order:
                cited = key in self.cited_in and any(uri != page_uri for uri, _ in self.cited_in[key])
                if group == "further":
                    wanted = not cited and key in self.config.further_reading
                else:
                    wanted = cited and entries[key].fields.get("keywords") == group
                if wanted:
                    places = [
                        (get_relative_url(files.get_file_from_path(uri).url, page.url), title)
                        for uri, title in self.cited_in.get(key, [])
                        if uri != page_uri
                    ]
                    items.append({"key": key, "html": references[key], "places": places})
            if items:
                groups.append(f"## {heading} {{#{anchor}}}\n\n{self.deferred.token(lambda items=items: template.render(items=items))}\n")
        return "\n".join(groups)

    def _fail_on_unknown_keys(self, blocks, where: str, source_path) -> None:
        entries = self.bib_data.entries
        for block in blocks:
            for citation in block.citations:
                if citation.key not in entries:
                    source = Path(source_path).read_text(encoding="utf-8")
                    line = line_of(source, "@" + citation.key)
                    raise PluginError(
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
            raise PluginError(
                f"{where}:{line}: a citation in the heading '{heading.group(0).strip()}'; move it into the text below."
            )


def token_inside_tag(html: str) -> bool:
    """Is a token inside a tag (a link title, an attribute) rather than in text?"""
    position = html.find(OPEN)
    while position >= 0:
        if html.rfind("<", 0, position) > html.rfind(">", 0, position):
            return True
        position = html.find(OPEN, position + 1)
    return False


def refuse_markdown_footnotes(markdown: str, where: str) -> None:
    """The plugin numbers a page's notes; an author's own footnote would collide with them."""
    match = MARKDOWN_FOOTNOTE.search(markdown)
    if match:
        line = markdown.count("\n", 0, match.start()) + 1
        raise PluginError(
            f"{where}:{line}: Markdown footnote {match.group(0)} found. Notes on this site are citations, "
            "numbered by the essay-citations plugin: cite the source as [@key, page] or put the remark in the text."
        )


def _blocks(text: str):
    return CitationBlock.from_markdown(join_wrapped_citations(text))


def join_wrapped_citations(markdown: str) -> str:
    """Put each citation block that wraps over lines on one line."""
    return WRAPPED_CITATION.sub(
        lambda m: " ".join(m.group(0).split()) if "@" in m.group(0) else m.group(0), markdown
    )


def packaged_style(name: str) -> Path:
    """A CSL style pinned in src/cmc_essay/citations/styles (copied from the official CSL styles)."""
    path = STYLES / f"{name}.csl"
    if not path.exists():
        pinned = ", ".join(sorted(p.stem for p in STYLES.glob("*.csl")))
        raise PluginError(f"essay-citations: no CSL style '{name}' pinned in {STYLES} (pinned: {pinned})")
    return path


def line_of(text: str, needle: str) -> int:
    match = re.search(re.escape(needle) + r"(?![\w-])", text)
    return text.count("\n", 0, match.start()) + 1 if match else 0
