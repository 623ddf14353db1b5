"""The project's citation plugin for MkDocs: an adapter over ``site.py``.

Registered as ``essay-citations`` (see pyproject.toml); it subclasses
mkdocs-bibtex 4.4 (unmaintained upstream) for its configuration only. All the
work is ``CitationSite``'s, shared with the Markdown extension that does the
same under Zensical (``cmc_essay.extension``):

- references.bib is checked first; a malformed file or an entry citeproc would
  print wrongly fails the build with file, line and entry named;
- a citation of an unknown key fails the build, naming the page and line;
- all citations on the site are formatted by one pandoc job, started in the
  background as soon as the configuration is read, and cached on disk (see
  ``render.py``);
- each citation block is one note marker where it stands, its note a short
  citation (Chicago shortened notes) of every work in the block (``notes.py``);
- each work in a note links to its full entry on the Sources page, filled
  where ``<!-- essay-citations: sources -->`` stands.

What is MkDocs' own here: formatted notes never pass through Markdown.
Placeholders do, filled as each page is written (``stash.py``), so pages are
converted while pandoc still runs and the search index holds the prose alone.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs_bibtex.config import BibTexConfig
from mkdocs_bibtex.plugin import BibTexPlugin

from cmc_essay.citations.site import SOURCES_MARKER, CitationOptions, CitationSite
from cmc_essay.citations.stash import OPEN, DeferredHtml, unresolved
from cmc_essay.errors import EssayBuildError


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
        self.site: CitationSite | None = None
        self.deferred = DeferredHtml()
        self.indexed_pages: set[str] = set()  # pages whose deferred HTML the search index must see

    @property
    def renderer(self):
        return self.site.renderer

    def on_config(self, config):
        options = CitationOptions(
            bib_file=self.config.bib_file, csl_style=self.config.csl_style, csl_file=self.config.csl_file,
            footnote_format=self.config.footnote_format, cache_dir=self.config.cache_dir,
            sources_page=self.config.sources_page, further_reading=list(self.config.further_reading),
            data_sources=dict(self.config.data_sources),
        )
        with _as_plugin_error():
            self.site = CitationSite(Path(config.config_file_path).parent, Path(config.docs_dir), options,
                                     config.use_directory_urls)
        return config

    def on_files(self, files, *, config):
        with _as_plugin_error():
            self.site.check_pages((file.src_uri, Path(file.abs_src_path)) for file in files.documentation_pages())
        return files

    def on_build_error(self, *, error):
        if self.site is not None:
            self.site.renderer.cancel()

    def on_page_markdown(self, markdown, /, *, page, config, files):
        """Put placeholders where citations and notes go; on_post_page fills them."""
        if SOURCES_MARKER in markdown:
            self.indexed_pages.add(page.file.src_uri)
        with _as_plugin_error():
            return self.site.mark_page(markdown, page.file.src_uri, self.deferred.token)

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
            self._format(page)
            page.content = self.deferred.resolve(page.content)
        return context

    # Last of all (the privacy plugin scans pages at -50), so that nothing
    # before this reads the notes and references, most of a chapter's markup.
    @event_priority(-90)
    def on_post_page(self, output, /, *, page, config):
        """Write the citations and notes into the finished page, waiting for pandoc if need be."""
        self._format(page)
        output = self.deferred.resolve(output)
        if unresolved(output):
            raise PluginError(f"docs/{page.file.src_uri}: a citation placeholder was left in the page; please report this as a bug.")
        return output

    def restore_citations(self, html: str, adapt=None) -> str:
        """Citations, notes and Sources lists in place of placeholders in a page another plugin copied early.

        The print page does this; ``adapt(offset, html)`` lets it rewrite the
        links of each piece for the place it goes (see ``DeferredHtml.resolve``).
        """
        return self.deferred.resolve(html, adapt)

    def _format(self, page) -> None:
        with _as_plugin_error():
            self.site.format(f"docs/{page.file.src_uri}", self.site.page_blocks.get(page.file.src_uri, []))


class _as_plugin_error:
    """Bad input found by the shared code fails the MkDocs build with the same message."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, EssayBuildError):
            raise PluginError(str(error)) from error
        return False


def token_inside_tag(html: str) -> bool:
    """Is a token inside a tag (a link title, an attribute) rather than in text?"""
    position = html.find(OPEN)
    while position >= 0:
        if html.rfind("<", 0, position) > html.rfind(">", 0, position):
            return True
        position = html.find(OPEN, position + 1)
    return False
