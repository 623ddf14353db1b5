"""The essay's Markdown extension: citations and generated pages under Zensical.

Zensical, Material for MkDocs' successor, reads mkdocs.yml and runs
Python-Markdown extensions, but not MkDocs plugins or hooks. This extension
does, for each page Zensical renders, what the essay-citations plugin and the
data-page, documents, page-metadata and facts hooks do under MkDocs, with the
same code:

- the facts guard (rule CL012): a statement contradicting data/facts.yml
  fails the build (``cmc_essay.facts``);
- the timeline and people pages and each chapter's list of its timeline
  events (``cmc_essay.pages.data``);
- the primary-sources index, the "quoted in" lists and the excerpt links
  (``cmc_essay.pages.documents``);
- each chapter's and reference page's "cite this page" record
  (``cmc_essay.pages.record``), in the page's metadata for the templates;
- the citations, each page's notes and the Sources page
  (``cmc_essay.citations.site``), the finished HTML kept in Python-Markdown's
  stash so that no Markdown pattern touches it.

It reads its settings from the essay-citations entry in mkdocs.yml, so both
engines build from one configuration. Under MkDocs it finds no Zensical page
and leaves the text alone: the plugin and the hooks have done the work before
Markdown runs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from cmc_essay import facts
from cmc_essay.citations.site import CitationOptions, CitationSite
from cmc_essay.pages.data import expand_data_pages
from cmc_essay.pages.documents import Excerpts
from cmc_essay.pages.record import citable_pages, citation_record
from cmc_essay.urls import page_url

# After pymdownx.snippets (32) has appended the abbreviations and after
# Python-Markdown's whitespace normalisation (30), which would strip the
# stash's placeholder characters; before raw HTML blocks are read (20).
PRIORITY = 25


@dataclass
class Project:
    """One build's state: the citations and the excerpt links of every page."""

    root: Path
    citations: CitationSite
    excerpts: Excerpts


_projects: dict[tuple, Project] = {}
_lock = threading.Lock()


def project_for(root: Path, docs: Path, use_directory_urls: bool) -> Project:
    """The project's state, made again whenever a file it reads has changed (as under ``zensical serve``)."""
    pages = site_pages(docs)
    key = (root, docs, use_directory_urls, _fingerprint(root, docs, pages))
    with _lock:
        if key not in _projects:
            _projects.clear()
            facts.refuse_contradictions(root, docs, [docs / uri for uri in pages])
            options = CitationOptions.from_mkdocs_yml(root / "mkdocs.yml")
            citations = CitationSite(root, docs, options, use_directory_urls, link_sources=True)
            citations.check_pages((uri, docs / uri) for uri in pages)
            _projects[key] = Project(root, citations, Excerpts(root, docs, pages))
        return _projects[key]


def site_pages(docs: Path) -> list[str]:
    """The Markdown pages under ``docs``, in the order MkDocs lists them (index first, folders after files)."""
    uris = [path.relative_to(docs).as_posix() for path in docs.rglob("*.md")]

    def order(uri: str):
        parts = PurePosixPath(uri).parts
        return (parts[:-1], parts[-1] != "index.md", parts[-1])

    return sorted(uris, key=order)


def _fingerprint(root: Path, docs: Path, pages: list[str]) -> tuple:
    files = [docs / uri for uri in pages] + sorted((root / "data").glob("*.yml")) + [root / "references.bib", root / "mkdocs.yml"]
    return tuple((str(path), path.stat().st_mtime_ns) for path in files if path.exists())


class EssayPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        page = zensical_page(self.md)
        if page is None:
            return lines
        uri, config, meta = page
        root = Path(config["root_dir"])
        docs = root / config["docs_dir"]
        project = project_for(root, docs, bool(config.get("use_directory_urls", True)))
        if uri in citable_pages(root):
            meta["record"] = citation_record(
                meta, uri, urljoin(config["site_url"], page_url(uri)),
                author=config["site_author"], site=config["site_name"], site_url=config["site_url"],
            )
        markdown = "\n".join(lines)
        markdown = expand_data_pages(markdown, root, uri)
        markdown = project.excerpts.expand(markdown, uri)
        markdown = project.citations.mark_page(
            markdown, uri, lambda make: self.md.htmlStash.store(make()), format_now=True
        )
        return markdown.split("\n")


def zensical_page(md: Markdown) -> tuple[str, dict, dict] | None:
    """The source path of the page Zensical is rendering, its configuration and its metadata; None under MkDocs."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    if context is None:
        return None
    return context.page.path, context.config, context.page.meta


class EssayExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(EssayPreprocessor(md), "cmc_essay", PRIORITY)


def makeExtension(**kwargs) -> EssayExtension:
    return EssayExtension(**kwargs)
