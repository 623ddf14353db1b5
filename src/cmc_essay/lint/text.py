"""Text helpers shared by the rules: words, quotations, normalisation."""

from __future__ import annotations

import re

from cmc_essay.lint.model import CITATION

LINK_TARGET = re.compile(r"\]\([^)]*\)")
ATTR_LIST = re.compile(r"\{[:#.][^}]*\}")
INLINE_CODE = re.compile(r"`[^`]*`")
FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]:?")
QUOTED = re.compile(r'"([^"]+?)"|“([^”]+?)”')
WORD = re.compile(r"[A-Za-z0-9’'][\w’'-]*")
ELLIPSIS_OR_INSERTION = re.compile(r"\.\s?\.\s?\.|…|\[[^\]]*\]")


def prose(text: str) -> str:
    """The words a reader reads: no citations, link targets, attributes or code."""
    text = CITATION.sub(" ", text)
    text = LINK_TARGET.sub("]", text)
    text = ATTR_LIST.sub(" ", text)
    text = INLINE_CODE.sub(" ", text)
    text = FOOTNOTE_REF.sub(" ", text)
    return text


def word_count(text: str) -> int:
    return len(WORD.findall(prose(text)))


def quotations(text: str, min_words: int) -> list[str]:
    """Quoted passages of at least ``min_words`` words, in reading order."""
    found = []
    for match in QUOTED.finditer(prose(text).replace("\n", " ")):
        quote = match.group(1) or match.group(2)
        if len(WORD.findall(quote)) >= min_words:
            found.append(quote)
    return found


def outside_quotations(text: str) -> str:
    return QUOTED.sub(" ", prose(text).replace("\n", " "))


def normalise(text: str) -> str:
    """Compare quotations ignoring quote style, dash style, case of white space."""
    # A quotation nested in a quotation swaps double and single marks, so all
    # quotation marks (and apostrophes, alike on both sides) compare equal.
    text = re.sub("[“”‘’\"]", "'", text)
    text = text.replace("—", "-").replace("–", "-").replace("&mdash;", "-").replace("&ndash;", "-")
    text = re.sub(r"[*_]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def quotation_fragments(quote: str) -> list[str]:
    """The verbatim runs of a quotation: ellipses and [insertions] split it."""
    return [f.strip(" ,;:.!?") for f in ELLIPSIS_OR_INSERTION.split(normalise(quote)) if len(f.strip(" ,;:.!?")) >= 3]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", prose(text)) if s.strip()]


def citation_for_quote(text: str, quote: str) -> str:
    """The citation a quotation belongs to: the first after it, else the last before it.

    Shared by the lint (rule CL009) and the primary-sources hook, so both
    attribute a quotation to the same document.
    """
    flat = text.replace("\n", " ")  # same length as text, so positions carry over
    position = flat.find(quote)
    if position < 0:
        position = flat.find(quote[:20])
    blocks = [(m.start(), m.group(0)) for m in CITATION.finditer(text)]
    after = [block for start, block in blocks if start >= position]
    before = [block for start, block in blocks if start < position]
    return after[0] if after else (before[-1] if before else "")
