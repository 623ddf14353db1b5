"""The primary-sources reader: the excerpt files in docs/documents/, linked both ways.

- ``docs/documents/index.md`` lists every excerpt (marker
  ``<!-- documents: index -->``), by date;
- each quotation in a chapter that is cited to a primary document with an
  excerpt file gets a link to that excerpt after its citation;
- each excerpt page ends with the places in the chapters that quote it.

Which quotation belongs to which document is decided exactly as the content
lint decides it (rule CL009), by the same code. Engine-free: MkDocs runs it
from hooks/documents.py, Zensical from the Markdown extension
(``cmc_essay.extension``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from pybtex.database import parse_file

from cmc_essay.errors import EssayBuildError
from cmc_essay.lint.context import load_config
from cmc_essay.lint.model import CITED_KEY
from cmc_essay.lint.parse import read_page_once as read_page
from cmc_essay.lint.text import citation_for_quote, quotations

DOCUMENTS = "documents/"
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=False,
                        trim_blocks=True, lstrip_blocks=True)


class Excerpts:
    """Which excerpt files there are, and which chapter quotations each one serves."""

    def __init__(self, root: Path, docs: Path, page_uris: Iterable[str]):
        primary = {key for key, entry in parse_file(str(root / "references.bib")).entries.items()
                   if entry.fields.get("keywords") == "primary"}
        self.excerpts: dict[str, list[dict]] = {}
        for uri in page_uris:
            if uri.startswith(DOCUMENTS) and uri != DOCUMENTS + "index.md":
                page = read_page(docs / uri, docs)
                key = page.meta.get("key")
                if not key:
                    raise EssayBuildError(f"docs/{uri}: an excerpt file needs 'key' in its front matter")
                self.excerpts.setdefault(key, []).append(
                    {"uri": uri, "title": page.meta.get("title", uri), "date": str(page.meta.get("date", "")), "key": key}
                )
        self.quoted_in: dict[str, list] = {}
        self.links: dict[str, list[tuple[str, str, str]]] = {}  # chapter -> (paragraph, citation block, excerpt uri)
        for chapter in load_config(root).chapters:
            path = docs / chapter
            if path.exists():
                self._find_quotations(chapter, read_page(path, docs), primary)

    def _find_quotations(self, chapter: str, page, primary: set[str]) -> None:
        title, section = page.meta.get("title", chapter), ""
        for unit in page.units:
            if unit.kind == "heading":
                section = _heading_id(unit.text)
                continue
            if unit.kind not in ("paragraph", "row") or unit.in_blockquote:
                continue
            for quote in quotations(unit.text, 4):
                block = citation_for_quote(unit.text, quote)
                keys = [k for k in CITED_KEY.findall(block) if k in primary and k in self.excerpts]
                for key in keys[:1]:
                    target = self.excerpts[key][0]["uri"]
                    self.links.setdefault(chapter, []).append((unit.text, block, target))
                    place = (chapter, title, section)
                    if place not in self.quoted_in.setdefault(target, []):
                        self.quoted_in[target].append(place)

    def expand(self, markdown: str, uri: str) -> str:
        """A page's Markdown with the index, the "quoted in" list or the excerpt links it should have."""
        if uri == DOCUMENTS + "index.md":
            documents = sorted((e for group in self.excerpts.values() for e in group), key=lambda e: (e["date"], e["title"]))
            for document in documents:
                document["href"] = posixpath.relpath(document["uri"], DOCUMENTS)
            return markdown.replace("<!-- documents: index -->", TEMPLATES.get_template("documents_index.md.j2").render(documents=documents))
        if uri.startswith(DOCUMENTS):
            places = [
                (posixpath.relpath(chapter, posixpath.dirname(uri)) + (f"#{section}" if section else ""), title)
                for chapter, title, section in self.quoted_in.get(uri, [])
            ]
            if places:
                markdown = markdown.rstrip() + "\n\n" + TEMPLATES.get_template("quoted_in.md.j2").render(places=places) + "\n"
            return markdown
        for paragraph, block, target in self.links.get(uri, []):
            if not block or paragraph not in markdown:
                continue
            href = posixpath.relpath(target, posixpath.dirname(uri) or ".")
            linked = paragraph.replace(block, f'{block} [excerpt]({href} "Read the passage in the primary-sources reader"){{.essay-excerpt-link}}', 1)
            markdown = markdown.replace(paragraph, linked, 1)
        return markdown


def _heading_id(text: str) -> str:
    match = re.search(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", text)
    return match.group(1) if match else ""
