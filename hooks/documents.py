"""The primary-sources reader: the excerpt files in docs/documents/, linked both ways.

- ``docs/documents/index.md`` lists every excerpt (marker
  ``<!-- documents: index -->``), by date;
- each quotation in a chapter that is cited to a primary document with an
  excerpt file gets a link to that excerpt after its citation;
- each excerpt page ends with the places in the chapters that quote it.

Which quotation belongs to which document is decided exactly as the content
lint decides it (rule CL009), by the same code.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from pybtex.database import parse_file

from cmc_essay.lint.context import load_config
from cmc_essay.lint.parse import read_page_once as read_page
from cmc_essay.lint.model import CITED_KEY
from cmc_essay.lint.text import citation_for_quote, quotations

DOCUMENTS = "documents/"
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=False,
                        trim_blocks=True, lstrip_blocks=True)
_state: dict = {}


def on_files(files, /, *, config):
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    primary = {key for key, entry in parse_file(str(root / "references.bib")).entries.items()
               if entry.fields.get("keywords") == "primary"}
    excerpts: dict[str, list[dict]] = {}
    for file in files.documentation_pages():
        if file.src_uri.startswith(DOCUMENTS) and file.src_uri != DOCUMENTS + "index.md":
            page = read_page(Path(file.abs_src_path), docs)
            key = page.meta.get("key")
            if not key:
                raise PluginError(f"docs/{file.src_uri}: an excerpt file needs 'key' in its front matter")
            excerpts.setdefault(key, []).append(
                {"uri": file.src_uri, "title": page.meta.get("title", file.src_uri), "date": str(page.meta.get("date", "")), "key": key}
            )
    chapters = load_config(root).chapters
    quoted_in: dict[str, list] = {}
    links: dict[str, list[tuple[str, str, str]]] = {}  # chapter -> (paragraph, citation block, excerpt uri)
    for chapter in chapters:
        path = docs / chapter
        if not path.exists():
            continue
        page = read_page(path, docs)
        title, section = page.meta.get("title", chapter), ""
        for unit in page.units:
            if unit.kind == "heading":
                section = _heading_id(unit.text)
                continue
            if unit.kind not in ("paragraph", "row") or unit.in_blockquote:
                continue
            for quote in quotations(unit.text, 4):
                block = citation_for_quote(unit.text, quote)
                keys = [k for k in CITED_KEY.findall(block) if k in primary and k in excerpts]
                for key in keys[:1]:
                    target = excerpts[key][0]["uri"]
                    links.setdefault(chapter, []).append((unit.text, block, target))
                    place = (chapter, title, section)
                    if place not in quoted_in.setdefault(target, []):
                        quoted_in[target].append(place)
    _state.update(excerpts=excerpts, quoted_in=quoted_in, links=links)
    return files


@event_priority(60)
def on_page_markdown(markdown: str, /, *, page, config, files) -> str:
    uri = page.file.src_uri
    if uri == DOCUMENTS + "index.md":
        documents = sorted((e for group in _state["excerpts"].values() for e in group), key=lambda e: (e["date"], e["title"]))
        for document in documents:
            document["href"] = posixpath.relpath(document["uri"], DOCUMENTS)
        return markdown.replace("<!-- documents: index -->", TEMPLATES.get_template("documents_index.md.j2").render(documents=documents))
    if uri.startswith(DOCUMENTS):
        places = [
            (posixpath.relpath(chapter, posixpath.dirname(uri)) + (f"#{section}" if section else ""), title)
            for chapter, title, section in _state["quoted_in"].get(uri, [])
        ]
        if places:
            markdown = markdown.rstrip() + "\n\n" + TEMPLATES.get_template("quoted_in.md.j2").render(places=places) + "\n"
        return markdown
    for paragraph, block, target in _state["links"].get(uri, []):
        if not block or paragraph not in markdown:
            continue
        href = posixpath.relpath(target, posixpath.dirname(uri) or ".")
        linked = paragraph.replace(block, f'{block} [excerpt]({href} "Read the passage in the primary-sources reader"){{.essay-excerpt-link}}', 1)
        markdown = markdown.replace(paragraph, linked, 1)
    return markdown


def _heading_id(text: str) -> str:
    import re

    match = re.search(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", text)
    return match.group(1) if match else ""
