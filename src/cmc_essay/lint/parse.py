"""Read a Markdown page into units with markdown-it-py, keeping file line numbers.

Admonitions (``!!! type "Title"`` and ``???``) are pymdown syntax that
markdown-it does not know; their indented bodies are cut out, dedented and
parsed on their own, so that what is inside an "analysis" admonition is known
to be the essay's own argument.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from cmc_essay.lint.model import Page, Unit

ADMONITION = re.compile(r'^(?P<indent>\s*)(?:!!!|\?\?\?\+?)\s+(?P<type>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$')
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.S)
MARKDOWN = MarkdownIt("commonmark").enable("table")


def read_page_once(path: Path, docs_dir: Path) -> Page:
    """read_page, parsed once while the file is unchanged (hooks of one build share it; do not mutate)."""
    return _read_page_at(path, docs_dir, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _read_page_at(path: Path, docs_dir: Path, _mtime_ns: int) -> Page:
    return read_page(path, docs_dir)


def read_page(path: Path, docs_dir: Path) -> Page:
    raw = path.read_text(encoding="utf-8")
    meta, body_start = {}, 1
    match = FRONT_MATTER.match(raw)
    lines = raw.split("\n")
    if match:
        meta = yaml.safe_load(match.group(1)) or {}
        body_start = match.group(0).count("\n") + 1
        lines = [""] * (body_start - 1) + lines[body_start - 1 :]
    page = Page(
        path=path,
        rel=(docs_dir.name + "/" + path.relative_to(docs_dir).as_posix()),
        uri=path.relative_to(docs_dir).as_posix(),
        meta=meta,
        body_start=body_start,
        raw=raw,
    )
    page.units, page.analysis_blocks = parse_lines(lines, offset=0, admonitions=())
    return page


def parse_lines(lines: list[str], offset: int, admonitions: tuple[str, ...]) -> tuple[list[Unit], int]:
    """Units of ``lines`` (offset: lines before them in the file)."""
    outer = list(lines)
    units: list[Unit] = []
    analysis = 0
    index = 0
    while index < len(lines):
        match = ADMONITION.match(lines[index])
        if not match:
            index += 1
            continue
        indent = len(match.group("indent")) + 4
        end = index + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) >= indent):
            end += 1
        while end > index + 1 and not lines[end - 1].strip():
            end -= 1
        kind = match.group("type")
        analysis += kind == "analysis"
        body = [line[indent:] for line in lines[index + 1 : end]]
        inner, inner_analysis = parse_lines(body, offset + index + 1, admonitions + (kind,))
        units.append(Unit("admonition", match.group("title") or "", offset + index + 1, admonitions + (kind,)))
        units.extend(inner)
        analysis += inner_analysis
        for blank in range(index, end):
            outer[blank] = ""
        index = end
    units.extend(_units_from_markdown("\n".join(outer), offset, admonitions))
    units.sort(key=lambda unit: unit.line)
    return units, analysis


def _units_from_markdown(text: str, offset: int, admonitions: tuple[str, ...]) -> list[Unit]:
    lines = text.split("\n")
    units = []
    tokens = MARKDOWN.parse(text)
    quote_depth = 0
    for position, token in enumerate(tokens):
        if token.type == "blockquote_open":
            quote_depth += 1
            start, end = token.map
            body = "\n".join(re.sub(r"^\s*>\s?", "", line) for line in lines[start:end])
            units.append(Unit("blockquote", body, offset + start + 1, admonitions))
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "heading_open":
            inline = tokens[position + 1]
            units.append(
                Unit("heading", inline.content, offset + token.map[0] + 1, admonitions, level=int(token.tag[1]))
            )
        elif token.type == "paragraph_open" and token.map:
            inline = tokens[position + 1]
            units.append(
                Unit("paragraph", inline.content, offset + token.map[0] + 1, admonitions, in_blockquote=quote_depth > 0)
            )
        elif token.type == "tr_open" and token.map:
            cells = []
            cursor = position + 1
            while tokens[cursor].type != "tr_close":
                if tokens[cursor].type == "inline":
                    cells.append(tokens[cursor].content)
                cursor += 1
            header = tokens[position - 1].type == "thead_open"
            if not header:
                units.append(Unit("row", " | ".join(cells), offset + token.map[0] + 1, admonitions))
    return units


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
