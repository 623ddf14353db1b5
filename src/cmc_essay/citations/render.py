"""Format citations with pandoc's citeproc: one run per build, cached on disk.

pandoc is asked for HTML, not Markdown, so that what it prints (curly quotes,
en dashes, ``nocase`` spans, links) reaches the page as it formatted it, with
no Markdown escapes to undo. Every run cites the whole bibliography
(``nocite: @*``), so each citation's text depends only on the bibliography and
the style, never on which other citations happen to share the run: that is
what lets a citation be cached by its own text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pypandoc
from html import unescape as html_unescape
from lxml import html as lxml_html

# Bump when the HTML this module produces changes shape.
RENDERER_VERSION = "2"
MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "*_`[]\\"})
TAG = re.compile(r"(<[^>]+>)")
BARE_LINK = re.compile(r'<a href="([^"]+)">\1</a>')


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
        self._load_cache()

    def missing(self, blocks: Iterable[str]) -> list[str]:
        """Citation blocks (``[@a, 4]``) not yet formatted, in first-seen order."""
        need = dict.fromkeys(b for b in blocks if b not in self.inline)
        return list(need)

    def ensure(self, blocks: Iterable[str]) -> None:
        """Format every block not yet known in a single pandoc run."""
        missing = self.missing(blocks)
        if not missing and self.references:
            return
        inline, references, order = self._run_pandoc(missing)
        self.inline.update(inline)
        self.references = references
        self.order = order
        self._save_cache()

    def _run_pandoc(self, blocks: list[str]) -> tuple[dict, dict, list]:
        body = "\n\n".join(
            f"::: {{#c{index}}}\n{block}\n:::" for index, block in enumerate(blocks)
        )
        document = "---\nnocite: '@*'\nlink-citations: false\n---\n\n" + body + "\n"
        args = [
            "--citeproc",
            "--bibliography", str(self.bib_path),
            "--csl", str(self.csl_path),
            "--wrap=none",
        ]
        try:
            output = pypandoc.convert_text(
                document, to="html", format="markdown", extra_args=args
            )
        except RuntimeError as error:
            raise CitationRenderError(f"pandoc could not format the citations: {error}")
        self.pandoc_runs += 1
        tree = lxml_html.fragment_fromstring(output, create_parent="div")
        inline = {}
        for index, block in enumerate(blocks):
            found = tree.xpath(f'//div[@id="c{index}"]//span[@class="citation"]')
            if not found:
                raise CitationRenderError(f"pandoc returned no citation for {block}")
            inline[block] = shield_markdown(_inner_html(found[0]))
        references, order = {}, []
        for entry in tree.xpath('//div[@id="refs"]/div[starts-with(@id, "ref-")]'):
            key = entry.get("id")[len("ref-"):]
            references[key] = shield_markdown(as_autolinks(_inner_html(entry).strip()))
            order.append(key)
        return inline, references, order

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


def as_autolinks(fragment: str) -> str:
    """Write a bare URL link as a Markdown autolink, ``<https://…>``.

    Markdown keeps an autolink's text atomic, so an abbreviation such as LTBT
    at the end of a URL is not expanded inside it.
    """
    return BARE_LINK.sub(lambda m: f"<{html_unescape(m.group(1))}>", fragment)


def shield_markdown(fragment: str) -> str:
    """Turn Markdown's special characters in text (not tags) into entities.

    The HTML is placed inside Markdown footnotes; without this an asterisk or
    underscore in a title or URL could be read as emphasis.
    """
    parts = TAG.split(fragment)
    return "".join(
        part if part.startswith("<") else part.translate(MARKDOWN_SPECIAL) for part in parts
    )


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
