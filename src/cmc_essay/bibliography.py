"""Load and check references.bib, with errors that name the file, line and entry.

pybtex parses the file; the checks below catch what pybtex accepts but pandoc's
citeproc would print wrongly (straight quotes in a title, initials it would
lowercase, an ``and`` in an organisation's name that it would split).
"""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, parse_string
from pybtex.scanner import PybtexError, PybtexSyntaxError

ENTRY_START = re.compile(r"^[ \t]*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.M)
GROUPS = ("primary", "scholarship", "later-events")
# A capital initial such as "F." that is not already inside braces: pandoc
# sentence-cases BibTeX titles and would print "Robert f. Kennedy".
UNPROTECTED_INITIAL = re.compile(r"(?<![{\w.])((?:[A-Z]\.)+)(?=[\s,:;)]|$)")
# A capital letter standing alone ("U Thant", "Section V", "Volume X") and not
# inside braces: pandoc's title-casing lowercases it ("u Thant"). "A" and "I"
# are words, cased as words.
UNPROTECTED_LETTER = re.compile(r"(?<![\w.{\\-])([B-HJ-Z])(?![\w.'’{}\-–])")
UNBRACED_AND = re.compile(r"\sand\s")


class BibliographyError(Exception):
    """references.bib cannot be used; the message names file, line and entry."""


@dataclass(frozen=True)
class EntrySite:
    key: str
    line: int


def entry_sites(text: str) -> dict[str, EntrySite]:
    """Line number of each entry's ``@type{key,`` in the raw text."""
    sites = {}
    for match in ENTRY_START.finditer(text):
        if match.group(1).lower() in ("comment", "string", "preamble"):
            continue
        line = text.count("\n", 0, match.start()) + 1
        sites.setdefault(match.group(2), EntrySite(match.group(2), line))
    return sites


def load_bibliography(path: Path, cache_dir: Path | None = None) -> BibliographyData:
    """Parse ``path`` strictly and run the rendering checks; raise BibliographyError.

    With ``cache_dir``, a bibliography that passed is kept there, keyed by the
    file's text and by this module's own source (so a changed check runs
    again), and read back instead of parsed: a preview rebuild then costs
    milliseconds here rather than a tenth of a second.
    """
    text = path.read_text(encoding="utf-8")
    cached = None
    if cache_dir is not None:
        key = hashlib.sha256(text.encode() + Path(__file__).read_bytes()).hexdigest()[:16]
        cached = cache_dir / f"bibliography-{key}.pickle"
        if cached.exists():
            try:
                return pickle.loads(cached.read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
                pass  # unreadable: parse again and rewrite it
    data = _parse_and_check(path, text)
    if cached is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob("bibliography-*.pickle"):
            stale.unlink(missing_ok=True)
        cached.write_bytes(pickle.dumps(data))
    return data


def _parse_and_check(path: Path, text: str) -> BibliographyData:
    sites = entry_sites(text)
    pybtex.errors.set_strict_mode(True)
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        line = getattr(error, "lineno", None) or text.count("\n") + 1
        key = _entry_before_line(sites, line)
        raise BibliographyError(
            f"{path}:{line}: entry '{key}': {error}. "
            "Fix the BibTeX syntax (balanced braces, a comma between fields)."
        ) from error
    except BibliographyDataError as error:
        raise BibliographyError(
            f"{path}: {error}. Each work needs exactly one entry with a unique key."
        ) from error
    except PybtexError as error:
        raise BibliographyError(f"{path}: {error}") from error
    problems = [
        f"{path}:{sites[key].line if key in sites else 0}: entry '{key}': {problem}"
        for key, entry in data.entries.items()
        for problem in dict.fromkeys(rendering_problems(entry))
    ]
    if problems:
        raise BibliographyError("\n".join(problems))
    return data


def rendering_problems(entry) -> list[str]:
    """What pandoc would print wrongly for this entry, each with the fix."""
    problems = []
    for field in ("title", "booktitle", "journaltitle", "series"):
        value = entry.fields.get(field, "")
        if '"' in value:
            problems.append(
                f'{field} has a straight double quote; write ``quoted words\'\' instead'
            )
        for initial in UNPROTECTED_INITIAL.finditer(_outside_braces(value)):
            problems.append(
                f"{field} has the initial '{initial.group(0)}' unprotected; "
                f"write {{{initial.group(0)}}} so it keeps its capital"
            )
        for letter in UNPROTECTED_LETTER.finditer(_outside_braces(value)):
            problems.append(
                f"{field} has the letter '{letter.group(1)}' standing alone, unprotected; "
                f"write {{{letter.group(1)}}} so it keeps its capital"
            )
    for field in ("organization", "publisher", "institution"):
        value = entry.fields.get(field, "")
        if UNBRACED_AND.search(_outside_braces(value)):
            problems.append(
                f"{field} contains 'and', which citeproc reads as a list; "
                "wrap the whole name in an extra pair of braces"
            )
    keywords = entry.fields.get("keywords", "")
    if keywords not in GROUPS:
        problems.append(f"keywords must be one of {', '.join(GROUPS)} (found '{keywords}')")
    return problems


def _outside_braces(value: str) -> str:
    """The value with every braced group blanked out (braces protect text)."""
    out, depth = [], 0
    for char in value:
        if char == "{":
            depth += 1
        if depth == 0:
            out.append(char)
        else:
            out.append(" ")
        if char == "}" and depth:
            depth -= 1
    return "".join(out)


def _entry_before_line(sites: dict[str, EntrySite], line: int) -> str:
    before = [site for site in sites.values() if site.line <= line]
    return max(before, key=lambda site: site.line).key if before else "?"
