"""Format citations with pandoc's citeproc: one background job per build, cached on disk.

The style is a notes style (Chicago shortened notes and bibliography): pandoc
turns each citation block, ``[@a, 12; @b]``, into one footnote holding a short
citation of every work in it, each linked to the work's bibliography entry
(``link-citations``). This module keeps each block's note text, its links
written ``<a class="cite-sources" href="#ref-KEY">``, and each work's full
bibliography entry.

pandoc is asked for HTML, not Markdown, so that what it prints (curly quotes,
en dashes, ``nocase`` spans, links) reaches the page as it formatted it, with
no Markdown escapes to undo; the plugin carries that HTML through Markdown in
its stash (see ``stash.py``), so nothing here has to survive Markdown parsing.

Every run cites the whole bibliography (``nocite: @*``), so each citation's
text depends only on the bibliography and the style, never on which other
citations happen to share the run: that is what lets a citation be cached by
its own text. In the shortened style a note's text does not depend on the
notes before it either (no "ibid.", the same short form at first and later
citation), so each block is cached on its own and may be cited anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pypandoc
from lxml import html as lxml_html

# Bump when the HTML this module produces changes shape.
RENDERER_VERSION = "4"
BIBLIOREF = re.compile(r'<a href="#ref-([^"]+)" role="doc-biblioref">')
BARE_SPAN = re.compile(r"<span>([^<]*)</span>")


class CitationRenderError(Exception):
    """pandoc failed or printed something this module cannot read."""


class CitationRenderer:
    """Each citation block's note and each work's full reference, for one bibliography and style."""

    def __init__(self, bib_path: Path, csl_path: Path, cache_dir: Path | None):
        self.bib_path = bib_path
        self.csl_path = csl_path
        self.cache_path = None
        self.digest = _digest(
            bib_path.read_bytes(),
            csl_path.read_bytes(),
            pypandoc.get_pandoc_version().encode(),
            RENDERER_VERSION.encode(),
        )
        if cache_dir is not None:
            self.cache_path = cache_dir / f"citations-{self.digest[:16]}.json"
        self.notes: dict[str, str] = {}  # citation block -> its note's HTML
        self.references: dict[str, str] = {}
        self.order: list[str] = []
        self.pandoc_runs = 0
        self.last_formatted: list[str] = []  # the blocks the last pandoc run formatted
        self._job: PandocJob | None = None
        self._load_cache()

    def missing(self, blocks: Iterable[str]) -> list[str]:
        """Citation blocks (``[@a, 4]``) not yet formatted, in first-seen order."""
        return list(dict.fromkeys(b for b in blocks if b not in self.notes))

    def start(self, blocks: Iterable[str]) -> None:
        """Begin formatting the blocks not yet known, in the background.

        The plugin calls this as soon as it has read the pages, so that pandoc
        works while MkDocs collects files and builds the navigation.
        """
        if self._job is None:
            missing = self.missing(blocks)
            if missing or not self.references:
                self._job = PandocJob(missing, self.bib_path, self.csl_path)

    def ensure(self, blocks: Iterable[str]) -> None:
        """Make sure every block is formatted: collect the background job, then format the rest."""
        if self._job is not None:
            self._collect()
        missing = self.missing(blocks)
        if missing or not self.references:
            self._job = PandocJob(missing, self.bib_path, self.csl_path)
            self._collect()

    def cancel(self) -> None:
        """Stop a background job the build will not need (it failed first)."""
        if self._job is not None:
            self._job.cancel()
            self._job = None

    def _collect(self) -> None:
        job, self._job = self._job, None
        notes, references, order = job.result()
        self.pandoc_runs += 1
        self.last_formatted = job.blocks
        self.notes.update(notes)
        self.references = references
        self.order = order
        self._save_cache()

    def _load_cache(self) -> None:
        if self.cache_path is None or not self.cache_path.exists():
            return
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        self.notes = data.get("notes", {})
        self.references = data.get("references", {})
        self.order = data.get("order", [])

    def _save_cache(self) -> None:
        if self.cache_path is None:
            return
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.cache_path.parent.glob("citations-*.json"):
            if stale != self.cache_path:
                stale.unlink(missing_ok=True)
        payload = {"notes": self.notes, "references": self.references, "order": self.order}
        self.cache_path.write_text(json.dumps(payload, ensure_ascii=False, indent=0), encoding="utf-8")


class PandocJob:
    """pandoc formatting citation blocks in a background process.

    Input and output go through files rather than pipes, so that pandoc never
    stalls waiting for the build to read what it wrote. (Two processes, each
    taking half the blocks, were measured too: on two cores shared with the
    build itself they finished no sooner.)
    """

    def __init__(self, blocks: list[str], bib_path: Path, csl_path: Path):
        self.blocks = blocks
        self._folder = tempfile.TemporaryDirectory(prefix="essay-citations-")
        folder = Path(self._folder.name)
        source, self._output, self._errors = folder / "in.md", folder / "out.html", folder / "err.txt"
        source.write_text(_document(blocks), encoding="utf-8")
        with self._errors.open("wb") as stderr:
            self._process = subprocess.Popen(
                [pypandoc.get_pandoc_path(), str(source), "--from=markdown", "--to=html",
                 f"--output={self._output}", "--citeproc", f"--bibliography={bib_path}",
                 f"--csl={csl_path}", "--wrap=none"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
            )

    def result(self) -> tuple[dict, dict, list]:
        """Wait for pandoc; return each block's note, each reference, and their order."""
        try:
            if self._process.wait() != 0:
                message = self._errors.read_text(encoding="utf-8", errors="replace").strip()
                raise CitationRenderError(f"pandoc could not format the citations: {message}")
            output = self._output.read_text(encoding="utf-8")
        finally:
            self._folder.cleanup()
        tree = lxml_html.fragment_fromstring(output, create_parent="div")
        footnotes = {li.get("id"): li for li in tree.xpath('//section[@id="footnotes"]//li[@id]')}
        notes = {}
        for index, block in enumerate(self.blocks):
            marker = tree.find(f'div[@id="c{index}"]//span[@class="citation"]/a[@href]')
            note = footnotes.get(marker.get("href").lstrip("#")) if marker is not None else None
            if note is None or note.find("p") is None:
                raise CitationRenderError(f"pandoc returned no note for {block}")
            paragraph = note.find("p")
            for backlink in paragraph.xpath('a[@role="doc-backlink"]'):
                _drop(backlink)
            notes[block] = _tidy(_inner_html(paragraph).strip())
        references, order = {}, []
        for entry in tree.xpath('//div[@id="refs"]/div[starts-with(@id, "ref-")]'):
            key = entry.get("id")[len("ref-"):]
            references[key] = _tidy(_inner_html(entry).strip())
            order.append(key)
        return notes, references, order

    def cancel(self) -> None:
        self._process.kill()
        self._process.wait()
        self._folder.cleanup()


def _document(blocks: list[str]) -> str:
    body = "\n\n".join(f"::: {{#c{index}}}\n{block}\n:::" for index, block in enumerate(blocks))
    return f"---\nnocite: '@*'\nlink-citations: true\n---\n\n{body}\n"


def _drop(element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _tidy(html: str) -> str:
    """Links to a work's entry marked as such; the attribute-less spans pandoc wraps round quotations dropped."""
    html = BIBLIOREF.sub(r'<a class="cite-sources" href="#ref-\1">', html)
    while BARE_SPAN.search(html):
        html = BARE_SPAN.sub(r"\1", html)
    return html


def _inner_html(element) -> str:
    text = element.text or ""
    children = "".join(
        lxml_html.tostring(child, encoding="unicode", with_tail=True) for child in element
    )
    return (_escape(text) + children).replace("\n", " ")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _digest(*parts: bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(hashlib.sha256(part).digest())
    return sha.hexdigest()
