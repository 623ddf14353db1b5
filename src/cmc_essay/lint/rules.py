"""The content lint's rules: one function each, with its id and rationale.

A rule takes the lint Context and yields Findings. RULES lists them in id
order; tests/test_lint.py shows each firing on a bad input and staying quiet on
a good one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cmc_essay import facts as recorded
from cmc_essay.lint.context import Context
from cmc_essay.lint.model import CITED_KEY, CITATION, Finding
from cmc_essay.lint.text import (
    citation_for_quote,
    outside_quotations, prose, quotation_fragments, quotations, sentences, word_count,
)


@dataclass(frozen=True)
class Rule:
    id: str
    rationale: str
    check: Callable[[Context], Iterator[Finding]]


RULES: list[Rule] = []


def rule(rule_id: str, rationale: str):
    def register(check):
        RULES.append(Rule(rule_id, rationale, check))
        return check
    return register


PROSE_KINDS = ("paragraph", "row")


@rule("CL001", "Every paragraph, list item and table row of substance in a chapter carries a citation.")
def uncited_paragraph(ctx: Context):
    for page in ctx.chapters:
        for unit in page.units:
            if unit.kind in PROSE_KINDS and not unit.in_blockquote and not unit.exempt:
                if not unit.citations and word_count(unit.text) >= ctx.config.min_words:
                    what = "table row" if unit.kind == "row" else "paragraph"
                    yield Finding(page.rel, unit.line, "CL001", f"{what} has no citation; cite its source or move the essay's own argument into an \"analysis\" admonition")


@rule("CL002", "Every quotation is cited in the same paragraph or blockquote.")
def uncited_quotation(ctx: Context):
    pages = ctx.chapters + ctx.documents + [p for p in ctx.pages if p.uri in ctx.config.quotation_pages]
    for page in pages:
        for unit in page.units:
            if unit.kind == "blockquote" and not unit.citations:
                yield Finding(page.rel, unit.line, "CL002", "blockquote has no citation; cite the document it quotes inside the blockquote")
            elif unit.kind in PROSE_KINDS and not unit.in_blockquote and not unit.citations:
                for quote in quotations(unit.text, ctx.config.quote_min_words):
                    yield Finding(page.rel, unit.line, "CL002", f"quotation \"{_short(quote)}\" has no citation in its paragraph")


NUMBER = re.compile(r"\d|\b(hundred|thousand|million|billion|percent|per cent|dozen)\b", re.I)


@rule("CL003", "A sentence with a date, a number or a statistic sits in a cited paragraph.")
def uncited_number(ctx: Context):
    for page in ctx.chapters:
        for unit in page.units:
            if unit.kind in PROSE_KINDS and not unit.citations and not unit.exempt and not unit.in_blockquote:
                for sentence in sentences(unit.text):
                    if NUMBER.search(sentence):
                        yield Finding(page.rel, unit.line, "CL003", f"sentence with a date or number is not cited: \"{_short(sentence)}\"")
                        break


@rule("CL004", "Every cited key exists; every entry is cited or listed as further reading.")
def keys_and_entries(ctx: Context):
    cited = set()
    for page in ctx.pages:
        for unit in page.units:
            for block in unit.citations:
                for key in CITED_KEY.findall(block):
                    cited.add(key)
                    if key not in ctx.bib_entries:
                        yield Finding(page.rel, unit.line, "CL004", f"unknown citation key '{key}'; add the work to references.bib or correct the key")
    for name, text in ctx.data_citations.items():
        for number, line in enumerate(text.split("\n"), start=1):
            for block in CITATION.findall(line):
                for key in CITED_KEY.findall(block):
                    cited.add(key)
                    if key not in ctx.bib_entries:
                        yield Finding(name, number, "CL004", f"unknown citation key '{key}'; add the work to references.bib or correct the key")
    for key in ctx.further_reading:
        if key not in ctx.bib_entries:
            yield Finding("mkdocs.yml", 0, "CL004", f"further_reading names unknown key '{key}'")
    for key in ctx.bib_entries:
        if key not in cited and key not in ctx.further_reading:
            yield Finding("references.bib", ctx.bib_lines.get(key, 0), "CL004", f"entry '{key}' is never cited; cite it or list it under further_reading in mkdocs.yml")


REQUIRED = {
    "book": [("author", "editor"), ("title",), ("publisher",), ("year", "date")],
    # A DOI identifies an article even where the journal's name was not seen.
    "article": [("author",), ("title",), ("journal", "journaltitle", "doi"), ("year", "date"), ("volume", "number"), ("pages", "url", "doi")],
    "incollection": [("author",), ("title",), ("booktitle",), ("editor",), ("publisher",), ("year", "date"), ("pages", "url")],
    "inbook": [("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date"), ("pages", "url")],
    # A web page that shows no date says so in a `dateless` field instead of a date.
    "online": [("title",), ("organization", "publisher", "institution"), ("date", "year", "dateless"), ("url",), ("urldate",)],
    "misc": [("title",), ("organization", "publisher", "institution", "howpublished"), ("date", "year", "dateless"), ("url",), ("urldate",)],
    "report": [("title",), ("institution", "organization", "publisher"), ("year", "date")],
}


# Newspaper and magazine articles have no volume; an unsigned one has no author.
NEWS_ARTICLE = [("title",), ("journal", "journaltitle"), ("date", "year")]


@rule("CL005", "Every entry is complete for its type; no work is listed twice.")
def complete_entries(ctx: Context):
    for key, entry in ctx.bib_entries.items():
        line = ctx.bib_lines.get(key, 0)
        needs = REQUIRED.get(entry.type.lower())
        if entry.type.lower() == "article" and entry.fields.get("entrysubtype") in ("newspaper", "magazine"):
            needs = NEWS_ARTICLE
        if needs is None:
            yield Finding("references.bib", line, "CL005", f"entry '{key}' has type @{entry.type}, which the lint does not know; use book, article, incollection, inbook, online, misc or report")
            continue
        for options in needs:
            present = [f for f in options if entry.fields.get(f) or (f in ("author", "editor") and entry.persons.get(f))]
            if not present:
                yield Finding("references.bib", line, "CL005", f"entry '{key}' (@{entry.type}) lacks {' or '.join(options)}")
    keys = Counter(re.findall(r"^\s*@(?!comment|string|preamble)\w+\s*\{\s*([^,\s]+)\s*,", ctx.bib_text, re.M | re.I))
    for key, count in keys.items():
        if count > 1:
            yield Finding("references.bib", ctx.bib_lines.get(key, 0), "CL005", f"key '{key}' is used by {count} entries")
    seen: dict[tuple, str] = {}
    for key, entry in ctx.bib_entries.items():
        for signature in _signatures(entry):
            if signature in seen and seen[signature] != key:
                yield Finding("references.bib", ctx.bib_lines.get(key, 0), "CL005", f"entry '{key}' duplicates '{seen[signature]}' (same {signature[0]})")
                break
            seen.setdefault(signature, key)


PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|lorem ipsum|citation needed|\bRead more\b|\bSee less\b", re.I)


@rule("CL006", "No placeholders or leftovers from the brief, and no empty sections.")
def placeholders(ctx: Context):
    for page in ctx.pages:
        for unit in page.units:
            match = PLACEHOLDER.search(unit.text)
            if match:
                yield Finding(page.rel, unit.line, "CL006", f"placeholder text '{match.group(0)}'")
        for index, unit in enumerate(page.units):
            if unit.kind != "heading":
                continue
            following = page.units[index + 1] if index + 1 < len(page.units) else None
            if following is None or (following.kind == "heading" and following.level <= unit.level):
                yield Finding(page.rel, unit.line, "CL006", "empty section: a heading with nothing under it")


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
AMERICAN_DATE = re.compile(rf"\b({MONTHS})\.? \d{{1,2}}(st|nd|rd|th)?,? \d{{4}}\b")
ORDINAL_DATE = re.compile(rf"\b\d{{1,2}}(st|nd|rd|th) ({MONTHS})\b")
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
BRITISH = re.compile(
    r"\b(defence|offence|organis\w*|recognis\w*|realis\w*|criticis\w*|emphasis(e|ed|es|ing)|summaris\w*|"
    r"characteris\w*|minimis\w*|apologis\w*|analys(e|ed|es|ing)|centre[sd]?|colour\w*|favour\w*|"
    r"behaviour\w*|honour\w*|labour\w*|neighbour\w*|programme[sd]?|whilst|amongst|catalogue[sd]?|"
    r"travelled|cancelled|licence[sd]?)\b",
    re.I,
)


@rule("CL007", "One date style (27 October 1962) and one spelling convention (American) site-wide.")
def style(ctx: Context):
    allow = [phrase.lower() for phrase in ctx.config.spelling_allow]
    for page in ctx.chapters:
        for unit in page.units:
            if unit.kind not in PROSE_KINDS + ("heading",) or unit.in_blockquote:
                continue
            text = outside_quotations(unit.text)
            for pattern in (AMERICAN_DATE, ORDINAL_DATE, NUMERIC_DATE):
                for match in pattern.finditer(text):
                    yield Finding(page.rel, unit.line, "CL007", f"date '{match.group(0)}': write dates as 27 October 1962")
            lowered = text.lower()
            for phrase in allow:
                lowered = lowered.replace(phrase, " ")
            for match in BRITISH.finditer(lowered):
                yield Finding(page.rel, unit.line, "CL007", f"British spelling '{match.group(0)}': the site uses American spelling")


HEADING_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")


@rule("CL008", "Every ## and ### heading in a chapter has an explicit id, unique across the site.")
def heading_ids(ctx: Context):
    seen: dict[str, str] = {}
    for page in ctx.pages:
        for unit in page.units:
            if unit.kind != "heading":
                continue
            match = HEADING_ID.search(unit.text)
            if match is None:
                if page in ctx.chapters and unit.level in (2, 3):
                    yield Finding(page.rel, unit.line, "CL008", "heading has no explicit id; add {#a-stable-id}")
                continue
            anchor = match.group(1)
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", anchor):
                yield Finding(page.rel, unit.line, "CL008", f"heading id '{anchor}' is not kebab-case")
            if page in ctx.documents:
                continue  # excerpt pages are separate documents; their ids need only be unique within them
            if unit.level > 1 and anchor in seen and seen[anchor] != page.rel:
                yield Finding(page.rel, unit.line, "CL008", f"heading id '{anchor}' is also used in {seen[anchor]}")
            if unit.level > 1:
                seen.setdefault(anchor, page.rel)


@rule("CL009", "A quotation cited to a primary document appears verbatim in that document's excerpt file.")
def quotations_in_excerpts(ctx: Context):
    for page in ctx.chapters:
        for unit in page.units:
            if unit.kind not in PROSE_KINDS + ("blockquote",) or (unit.kind == "paragraph" and unit.in_blockquote):
                continue
            quotes = [prose(unit.text)] if unit.kind == "blockquote" else quotations(unit.text, ctx.config.quote_min_words)
            for quote in quotes:
                keys = _keys_for_quote(unit.text, quote) if unit.kind != "blockquote" else unit.keys
                primary = [k for k in keys if ctx.is_primary(k)]
                if not primary:
                    continue
                files = [(p, text) for k in primary for p, text in ctx.excerpts.get(k, [])]
                if not files:
                    yield Finding(page.rel, unit.line, "CL009", f"quotation \"{_short(quote)}\" is cited to {', '.join(primary)}, which has no excerpt file in docs/{ctx.config.documents_dir}/")
                    continue
                if not any(all(f in text for f in quotation_fragments(quote)) for _, text in files):
                    names = ", ".join(p.rel for p, _ in files)
                    yield Finding(page.rel, unit.line, "CL009", f"quotation \"{_short(quote)}\" is not verbatim in {names}")


@rule("CL010", "A heading is never followed directly by another heading or an admonition.")
def stacked_headings(ctx: Context):
    for page in ctx.chapters:
        for unit, following in zip(page.units, page.units[1:]):
            if unit.kind == "heading" and unit.level > 1 and following.kind in ("heading", "admonition") and following.line > unit.line:
                if following.kind == "heading" and following.level <= unit.level:
                    continue  # reported as an empty section by CL006
                yield Finding(page.rel, unit.line, "CL010", f"heading is followed directly by {'a heading' if following.kind == 'heading' else 'an admonition'}; open the section with prose")


@rule("CL011", "Every excerpt file names its document: title, key, date and url in front matter.")
def excerpt_metadata(ctx: Context):
    for page in ctx.documents:
        for field in ("title", "key", "date", "url"):
            if not page.meta.get(field):
                yield Finding(page.rel, 1, "CL011", f"excerpt file lacks '{field}' in its front matter")
        key = page.meta.get("key")
        if key and key not in ctx.bib_entries:
            yield Finding(page.rel, 1, "CL011", f"excerpt file's key '{key}' is not in references.bib")


@rule("CL012", "A fact several pages state (a date, a count, an office) agrees with its record in data/facts.yml.")
def recorded_facts(ctx: Context):
    for fact in recorded.load_facts(ctx.root):
        for key in re.findall(r"@([\w-]+)", fact.cite):
            if key not in ctx.bib_entries:
                yield Finding(recorded.FACTS_FILE, 1, "CL012", f"fact '{fact.id}' cites '{key}', which is not in references.bib; cite the source that settles it")
    for found in recorded.check_project(ctx.root, ctx.pages):
        yield Finding(found.path, found.line, "CL012", found.message)


def _keys_for_quote(text: str, quote: str) -> list[str]:
    return CITED_KEY.findall(citation_for_quote(text, quote))


def _signatures(entry):
    url = entry.fields.get("url", "").rstrip("/").lower()
    if url:
        yield ("url", url)
    title = re.sub(r"\W+", " ", entry.fields.get("title", "")).strip().lower()
    year = entry.fields.get("year") or entry.fields.get("date", "")[:4]
    where = entry.fields.get("number", "") + entry.fields.get("organization", "") + entry.fields.get("journaltitle", "") + entry.fields.get("publisher", "")
    if title:
        yield ("title, year and place", title, year, where)


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
