"""Facts that several pages state, recorded once, and the check that keeps pages to them.

``data/facts.yml`` records each such fact with its source and says how to
recognise a sentence that states it (``about``, a regular expression). One of
three tests then decides whether the sentence contradicts the record:

- ``states`` and ``value``: ``states`` captures (its first group that
  matched) the value the
  sentence gives; it must be ``value``, unless the sentence also gives the
  recorded value (as one does that sets an earlier figure beside the later);
- ``requires``: the paragraph must also say this (a qualification without
  which the statement is wrong, such as the region a claim is true of);
- neither: ``about`` is itself the wrong form, and any match contradicts.

``unless`` exempts a sentence (a regular expression). Quotations are left out:
a document quoted verbatim may say what the record has since corrected.

The content lint (rule CL012) and the build (hooks/facts.py) both call
:func:`contradictions`, so a page cannot drift from the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

FACTS_FILE = "data/facts.yml"
# The fields of the data files that readers see as prose.
DATA_PROSE_FIELDS = ("title", "text", "office", "note")


@dataclass(frozen=True)
class Fact:
    id: str
    fact: str
    cite: str
    about: re.Pattern
    states: re.Pattern | None = None
    value: str | None = None
    requires: re.Pattern | None = None
    unless: re.Pattern | None = None

    @property
    def source(self) -> str:
        return ", ".join(re.findall(r"@([\w-]+)", self.cite)) or self.cite


@dataclass(frozen=True)
class Contradiction:
    path: str
    line: int
    fact: Fact
    said: str  # what the page says

    @property
    def message(self) -> str:
        return (
            f"states \"{_short(self.said)}\", contradicting the recorded fact '{self.fact.id}': "
            f"{self.fact.fact} (source: {self.fact.source}; {FACTS_FILE}). "
            f"Correct the page, or correct the record in {FACTS_FILE} with its source"
        )

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:1: CL012 {self.message}"


class FactsFileError(ValueError):
    """data/facts.yml is malformed; the message names the entry and what to do."""


def load_facts(root: Path) -> list[Fact]:
    path = root / FACTS_FILE
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    facts = []
    for number, entry in enumerate(entries, 1):
        where = f"{FACTS_FILE}: entry {number} ({entry.get('id', 'no id')})"
        missing = [name for name in ("id", "fact", "cite", "about") if not entry.get(name)]
        if missing:
            raise FactsFileError(f"{where} lacks {', '.join(missing)}; every fact needs id, fact, cite and about")
        if bool(entry.get("states")) != bool(entry.get("value")):
            raise FactsFileError(f"{where}: 'states' and 'value' go together")
        try:
            facts.append(Fact(
                id=entry["id"], fact=entry["fact"], cite=entry["cite"],
                about=_pattern(entry["about"]),
                states=_pattern(entry.get("states")), value=entry.get("value"),
                requires=_pattern(entry.get("requires")), unless=_pattern(entry.get("unless")),
            ))
        except re.error as error:
            raise FactsFileError(f"{where}: bad regular expression ({error})") from error
    return facts


def contradictions(facts: list[Fact], path: str, paragraphs: Iterable[tuple[int, str]]) -> Iterator[Contradiction]:
    """What in these (line, text) paragraphs of ``path`` contradicts a recorded fact."""
    for line, text in paragraphs:
        flat = _reader_text(text)
        for sentence in _sentences(flat):
            for fact in facts:
                if not fact.about.search(sentence) or (fact.unless and fact.unless.search(sentence)):
                    continue
                said = _contradiction(fact, sentence, flat)
                if said is not None:
                    yield Contradiction(path, line, fact, said)


def refuse_contradictions(root: Path, docs: Path, paths: Iterable[Path]) -> None:
    """The build-time guard of either engine: raise EssayBuildError naming every contradiction found."""
    from cmc_essay.errors import EssayBuildError
    from cmc_essay.lint.parse import read_page_once

    try:
        found = check_project(root, [read_page_once(Path(path), docs) for path in paths])
    except FactsFileError as error:
        raise EssayBuildError(str(error)) from error
    if found:
        raise EssayBuildError(f"{len(found)} statement(s) contradict a recorded fact:\n" + "\n".join(map(str, found)))


def check_project(root: Path, pages: Iterable) -> list[Contradiction]:
    """Every contradiction of the record in these parsed pages and in the data files."""
    facts = load_facts(root)
    found = [c for page in pages for c in contradictions(facts, page.rel, page_paragraphs(page))]
    for path in data_files(root):
        found += contradictions(facts, path.relative_to(root).as_posix(), data_paragraphs(path))
    return found


def page_paragraphs(page) -> list[tuple[int, str]]:
    """(line, text) of what a reader reads as a page's own words: not its blockquotes."""
    meta = [(1, str(page.meta[name])) for name in ("title", "description") if page.meta.get(name)]
    return meta + [
        (unit.line, unit.text) for unit in page.units
        if unit.kind in ("paragraph", "row", "heading", "admonition") and not unit.in_blockquote
    ]


def data_files(root: Path) -> list[Path]:
    """The data files that pages are generated from (timeline, people), not the record itself."""
    return sorted(p for p in (root / "data").glob("*.yml") if p != root / FACTS_FILE)


def data_paragraphs(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every prose field in a YAML data file (timeline, people)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        rel = f"{path.parent.name}/{path.name}"
        raise FactsFileError(
            f"{rel}:{line}: not valid YAML ({getattr(error, 'problem', error)}); fix the entry at that line"
        ) from error
    found: list[tuple[int, str]] = []

    def walk(node):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode) and key.value in DATA_PROSE_FIELDS:
                    found.append((value.start_mark.line + 1, value.value))
                else:
                    walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    if node is not None:
        walk(node)
    return found


def _contradiction(fact: Fact, sentence: str, paragraph: str) -> str | None:
    if fact.states is not None:
        given = [next(g for g in m.groups() if g) for m in fact.states.finditer(sentence)]
        wrong = [value for value in given if _same(value) != _same(fact.value)]
        if wrong and not _gives(sentence, fact.value):
            return wrong[0]
        return None
    if fact.requires is not None:
        return None if fact.requires.search(paragraph) else sentence
    return fact.about.search(sentence).group(0)


QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
CITATION = re.compile(r"\[[^\[\]]*@[\w-]+[^\[\]]*\]")
LINK_TARGET = re.compile(r"\]\([^)]*\)|\{[:#.][^}]*\}")


def _reader_text(text: str) -> str:
    """The paragraph as read: one line, no citations, link targets or quotations."""
    text = CITATION.sub(" ", text.replace("\n", " "))
    text = LINK_TARGET.sub("]", text)
    return re.sub(r"\s+", " ", QUOTED.sub(" … ", text)).strip()


# A full stop after an initial or a common abbreviation ends no sentence.
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b(?:Nov|Oct|Gen|Col|Maj|Adm)\.)(?<!\b(?:Mr|Dr|No|St)\.)\s+(?=[A-Z])")


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def _gives(sentence: str, value: str) -> bool:
    """Whether the sentence gives this value (as a whole: "1 December" is not in "11 December")."""
    return re.search(r"(?<![\w-])" + re.escape(_same(value)).replace(r"\ ", r"\s+") + r"(?![\w-])", sentence, re.I) is not None


def _same(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _pattern(text: str | None) -> re.Pattern | None:
    return re.compile(text, re.I) if text else None


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
