"""Format citations with pandoc's citeproc: one background job per build, cached on disk.

pandoc is asked for HTML, not Markdown, so that what it prints (curly quotes,
en dashes, ``nocase`` spans, links) reaches the page as it formatted it, with
no Markdown escapes to undo; the plugin carries that HTML through Markdown in
its stash (see ``stash.py``), so nothing here has to survive Markdown parsing.

Every run cites the whole bibliography (``nocite: @*``), so each citation's
text depends only on the bibliography and the style, never on which other
citations happen to share the run: that is what lets a citation be cached by
its own text.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pypandoc
from lxml import html as lxml_html

# Bump when the HTML this module produces changes shape.
RENDERER_VERSION = "3"


class CitationRenderError(Exception):
    """pandoc failed or printed something this module cannot read."""


class CitationRenderer:
    """Inline citations and full references for one bibliography and style."""

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
        self.inline: dict[str, str] = {}
        self.references: dict[str, str] = {}
        self.order: list[str] = []
        self.pandoc_runs = 0
        self.last_formatted: list[str] = []  # the blocks the last pandoc run formatted
        self._job: PandocJob | None = None
        self._load_cache()

    def missing(self, blocks: Iterable[str]) -> list[str]:
        """Citation blocks (``[@a, 4]``) not yet formatted, in first-seen order."""
        return list(dict.fromkeys(b for b in blocks if b not in self.inline))

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
        inline, references, order = job.result()
        self.pandoc_runs += 1
        self.last_formatted = job.blocks
        self.inline.update(inline)
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
        self.inline = data.get("inline", {})
        self.references = data.get("references", {})
        self.order = data.get("order", [])

    def _save_cache(self) -> None:
        if self.cache_path is None:
            return
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.cache_path.parent.glob("citations-*.json"):
            if stale != self.cache_path:
                stale.unlink(missing_ok=True)
        payload = {"inline": self.inline, "references": self.references, "order": self.order}
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
        """Wait for pandoc; return each block's inline text, each reference, and their order."""
        try:
            if self._process.wait() != 0:
                message = self._errors.read_text(encoding="utf-8", errors="replace").strip()
                raise CitationRenderError(f"pandoc could not format the citations: {message}")
            output = self._output.read_text(encoding="utf-8")
        finally:
            self._folder.cleanup()
        tree = lxml_html.fragment_fromstring(output, create_parent="div")
        found = {div.get("id"): div.find('.//span[@class="citation"]') for div in tree.iterfind("div[@id]")}
        inline = {}
        for index, block in enumerate(self.blocks):
            citation = found.get(f"c{index}")
            if citation is None:
                raise CitationRenderError(f"pandoc returned no citation for {block}")
            inline[block] = _inner_html(citation)
        references, order = {}, []
        for entry in tree.xpath('//div[@id="refs"]/div[starts-with(@id, "ref-")]'):
            key = entry.get("id")[len("ref-"):]
            references[key] = _inner_html(entry).strip()
            order.append(key)
        return inline, references, order

    def cancel(self) -> None:
        self._process.kill()
        self._process.wait()
        self._folder.cleanup()


def _document(blocks: list[str]) -> str:
    body = "\n\n".join(f"::: {{#c{index}}}\n{block}\n:::" for index, block in enumerate(blocks))
    return f"---\nnocite: '@*'\nlink-citations: false\n---\n\n{body}\n"


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
