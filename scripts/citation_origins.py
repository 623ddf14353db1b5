"""Who wrote the documents a chapter cites: counts of citations by origin.

Every primary entry in references.bib carries a field ``origin`` naming the
government (or body) that produced the document: ``soviet``, ``cuban``,
``american`` or ``other`` (British, UN, Chinese, joint treaties and the like).
Scholarship and later-events entries are counted as ``secondary``.

For each chapter in docs/ the script prints the number of citations (each key
in each citation group ``[...@key...]`` counts once), the counts by origin and
the share of Soviet and Cuban documents among all citations (issue 18 asks for
at least a third in back-channels.md and thirteen-days.md).

    python scripts/citation_origins.py                      # every chapter
    python scripts/citation_origins.py --chapter back-channels

It exits with status 1, naming the entry and its line, if a primary entry has
no ``origin`` or an unknown one.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parent.parent
ORIGINS = ("soviet", "cuban", "american", "other")
COLUMNS = ORIGINS + ("secondary", "unknown")
# A pandoc citation group: square brackets holding at least one @key (may wrap lines).
GROUP = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
# A key inside a group: after the opening, a semicolon, white space or "-" (suppress author).
KEY = re.compile(r"(?:^|(?<=[\s;\-]))@([A-Za-z0-9_]+(?:[:.#$%&+?<>~/-][A-Za-z0-9_]+)*)")
ENTRY_START = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.M)


class OriginError(Exception):
    """A primary entry without a valid origin."""


def entry_lines(bib_path: Path) -> dict[str, int]:
    """The line each entry starts on, by key."""
    text = bib_path.read_text(encoding="utf-8")
    return {m.group(1): text.count("\n", 0, m.start()) + 1 for m in ENTRY_START.finditer(text)}


def read_origins(bib_path: Path) -> dict[str, str]:
    """Each entry's origin (primary) or 'secondary'; raises OriginError naming bad entries."""
    entries = parse_file(str(bib_path), "bibtex").entries
    lines = entry_lines(bib_path)
    origins, problems = {}, []
    for key, entry in entries.items():
        if entry.fields.get("keywords", "").strip() != "primary":
            origins[key] = "secondary"
            continue
        origin = entry.fields.get("origin", "").strip().lower()
        if origin not in ORIGINS:
            found = f"'{origin}'" if origin else "none"
            problems.append(
                f"{bib_path}:{lines.get(key, '?')}: primary entry '{key}' needs "
                f"origin = {{{' | '.join(ORIGINS)}}} (found {found})"
            )
        origins[key] = origin
    if problems:
        raise OriginError("\n".join(problems))
    return origins


def cited_keys(markdown: str) -> list[str]:
    """Every key of every citation group, in order (a key twice in one group counts once)."""
    keys = []
    for group in GROUP.finditer(markdown):
        keys.extend(dict.fromkeys(KEY.findall(group.group(1))))
    return keys


def count_chapter(markdown: str, origins: dict[str, str]) -> Counter:
    """Citations by origin; keys missing from the bibliography count as 'unknown'."""
    return Counter(origins.get(key, "unknown") for key in cited_keys(markdown))


def soviet_cuban_share(counts: Counter) -> float:
    total = sum(counts.values())
    return 100 * (counts["soviet"] + counts["cuban"]) / total if total else 0.0


def report(chapters: list[Path], origins: dict[str, str]) -> str:
    header = f"{'chapter':<26}{'total':>6}" + "".join(f"{c:>10}" for c in COLUMNS) + f"{'sov+cub':>9}"
    rows = [header]
    for path in chapters:
        counts = count_chapter(path.read_text(encoding="utf-8"), origins)
        if not counts:
            continue
        rows.append(
            f"{path.stem:<26}{sum(counts.values()):>6}"
            + "".join(f"{counts[c]:>10}" for c in COLUMNS)
            + f"{soviet_cuban_share(counts):>8.1f}%"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapter", help="one chapter, by file name without .md (e.g. back-channels)")
    parser.add_argument("--bib", type=Path, default=ROOT / "references.bib")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    try:
        origins = read_origins(args.bib)
    except OriginError as error:
        print(error, file=sys.stderr)
        return 1
    chapters = sorted(args.docs.glob("*.md"))
    if args.chapter:
        chapters = [p for p in chapters if p.stem == args.chapter.removesuffix(".md")]
        if not chapters:
            print(f"no chapter {args.chapter}.md in {args.docs}", file=sys.stderr)
            return 2
    print(report(chapters, origins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
