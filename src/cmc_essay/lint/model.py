"""What the lint reads a page into, and what it reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CITATION = re.compile(r"\[[^\[\]]*?@[\w-]+[^\[\]]*?\]")
CITED_KEY = re.compile(r"@([\w-]+)")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:1: {self.rule} {self.message}"


@dataclass
class Unit:
    """A paragraph, list item, table row, blockquote or heading of a page."""

    kind: str  # paragraph | row | blockquote | heading
    text: str
    line: int  # 1-based line in the page's file
    admonitions: tuple[str, ...] = ()
    level: int = 0  # headings only
    in_blockquote: bool = False

    @property
    def citations(self) -> list[str]:
        return CITATION.findall(self.text)

    @property
    def keys(self) -> list[str]:
        return [key for block in self.citations for key in CITED_KEY.findall(block)]

    @property
    def exempt(self) -> bool:
        return "analysis" in self.admonitions


@dataclass
class Page:
    path: Path
    rel: str  # path as reported, e.g. docs/origins.md
    uri: str  # path under docs/, e.g. origins.md
    meta: dict
    units: list[Unit] = field(default_factory=list)
    body_start: int = 1  # line of the first body line (after front matter)
    raw: str = ""
    analysis_blocks: int = 0
