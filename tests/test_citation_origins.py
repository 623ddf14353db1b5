"""scripts/citation_origins.py: citations counted by who produced the document (issue 18).

No site build: the script's functions run on a planted bibliography and chapter."""

from __future__ import annotations

import pytest

from conftest import ROOT, load_module

origins_script = load_module(ROOT / "scripts" / "citation_origins.py", "citation_origins")

PLANTED_BIB = """\
@online{khrushchev_letter,
  author   = {Khrushchev, Nikita S.},
  title    = {Letter},
  keywords = {primary},
  origin   = {soviet},
}

@online{castro_letter,
  author   = {Castro, Fidel},
  title    = {Letter},
  keywords = {primary},
  origin   = {cuban},
}

@online{rfk_memo,
  author   = {Kennedy, Robert F.},
  title    = {Memorandum},
  keywords = {primary},
  origin   = {american},
}

@book{historian_book,
  author   = {Historian, A.},
  title    = {Book},
  keywords = {scholarship},
}
"""

# Six citations: the repeated key inside the first group counts once; the
# group wrapped over two lines and the suppressed-author form both count.
PLANTED_CHAPTER = """\
A claim [@khrushchev_letter, 189; @rfk_memo; @khrushchev_letter, 190].
Another claim [@castro_letter;
@historian_book, 12]. A third [-@khrushchev_letter]. A link [not a citation](https://example.org/a@b).
"""


def write(tmp_path, bib: str):
    path = tmp_path / "references.bib"
    path.write_text(bib, encoding="utf-8")
    return path


def test_counts_and_share_on_a_planted_chapter(tmp_path):
    origins = origins_script.read_origins(write(tmp_path, PLANTED_BIB))
    counts = origins_script.count_chapter(PLANTED_CHAPTER, origins)
    assert counts == {"soviet": 2, "cuban": 1, "american": 1, "secondary": 1}
    assert origins_script.soviet_cuban_share(counts) == pytest.approx(60.0)


def test_chapter_option_prints_one_chapter(tmp_path, capsys):
    bib = write(tmp_path, PLANTED_BIB)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "back-channels.md").write_text(PLANTED_CHAPTER, encoding="utf-8")
    (docs / "origins.md").write_text("Text [@rfk_memo].\n", encoding="utf-8")
    assert origins_script.main(["--bib", str(bib), "--docs", str(docs), "--chapter", "back-channels"]) == 0
    out = capsys.readouterr().out
    assert "back-channels" in out and "60.0%" in out and "origins" not in out.splitlines()[-1]


@pytest.mark.parametrize("origin_line, found", [("", "none"), ("  origin   = {martian},\n", "'martian'")])
def test_primary_entry_without_a_valid_origin_is_named(tmp_path, capsys, origin_line, found):
    bib = PLANTED_BIB.replace("  origin   = {american},\n", origin_line)
    path = write(tmp_path, bib)
    with pytest.raises(origins_script.OriginError) as error:
        origins_script.read_origins(path)
    message = str(error.value)
    line = bib[: bib.index("@online{rfk_memo")].count("\n") + 1
    assert f"{path}:{line}: primary entry 'rfk_memo'" in message and found in message
    assert "khrushchev_letter" not in message
    assert origins_script.main(["--bib", str(path), "--docs", str(tmp_path)]) == 1
    assert "rfk_memo" in capsys.readouterr().err


def test_every_primary_entry_in_the_real_bibliography_has_a_valid_origin():
    origins = origins_script.read_origins(ROOT / "references.bib")  # raises, naming the entries
    assert set(origins.values()) <= set(origins_script.ORIGINS) | {"secondary"}
