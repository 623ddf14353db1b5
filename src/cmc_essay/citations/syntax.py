"""Pandoc citation syntax, read from Markdown: ``[see @a, 12; @b]``.

The same reading as mkdocs-bibtex 4.4 (``mkdocs_bibtex.citation``), which is
unmaintained upstream and runs only under MkDocs: a block is anything in square
brackets; each part of it, split at semicolons, that holds ``@key`` is a
citation, with what comes before the key as its prefix and what follows the
comma as its locator. A part that is an e-mail address is not a citation. Kept
here so that both engines read citations with one piece of code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CITATION_BLOCK_REGEX = re.compile(r"\[(.*?)\]")
CITATION_REGEX = re.compile(r"(?:(?P<prefix>[^@;]*?)\s*)?@(?P<key>[\w-]+)(?:,\s*(?P<suffix>[^;]+))?")
EMAIL_REGEX = re.compile(r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}")
# A citation block may wrap over lines in pandoc syntax; blocks are read one line at a time.
WRAPPED_CITATION = re.compile(r"\[[^\[\]]*\n[^\[\]]*\]")


@dataclass
class Citation:
    key: str
    prefix: str = ""
    suffix: str = ""


@dataclass
class CitationBlock:
    citations: list[Citation]
    raw: str

    def __str__(self) -> str:
        return f"[{self.raw}]"


def citations_in(block_text: str) -> list[Citation]:
    """The citations in the text between a block's brackets."""
    out = []
    for part in block_text.split(";"):
        if EMAIL_REGEX.match(part):
            continue
        match = CITATION_REGEX.match(part)
        if match:
            out.append(Citation(key=match.group("key"), prefix=match.group("prefix") or "", suffix=match.group("suffix") or ""))
    return out


def citation_blocks(markdown: str) -> list[CitationBlock]:
    """Every citation block in ``markdown``, in order (wrapped blocks joined first)."""
    blocks = []
    for match in CITATION_BLOCK_REGEX.finditer(join_wrapped_citations(markdown)):
        citations = citations_in(match.group(1))
        if citations:
            blocks.append(CitationBlock(citations=citations, raw=match.group(1)))
    return blocks


def join_wrapped_citations(markdown: str) -> str:
    """Put each citation block that wraps over lines on one line."""
    return WRAPPED_CITATION.sub(
        lambda m: " ".join(m.group(0).split()) if "@" in m.group(0) else m.group(0), markdown
    )
