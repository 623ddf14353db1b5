"""Each content-lint rule fires on a bad input and stays quiet on a good one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cmc_essay.lint import lint_project
from cmc_essay.lint.rules import RULES
from conftest import ROOT

GOOD_CHAPTER = """\
---
title: A chapter
description: A test chapter.
---

# A chapter

## The letter {#the-letter}

Khrushchev wrote on 26 October 1962 that he wanted to "untie that knot" and so
ended the standoff [@letter_1962].

> Let us not only relax the forces pulling on the ends of the rope
> [@letter_1962].

Historians have debated the letter at length since the archives opened
[@historian_2001, 45].

!!! analysis "Our reading"

    The essay's own argument sits here, marked for readers as the essay's own
    view, and needs no citation of its own in this place.

| Date | Event in the crisis that the table row describes at length |
| --- | --- |
| 26 October 1962 | The long letter arrived at the embassy in pieces [@letter_1962] |
"""

EXCERPT = """\
---
title: Khrushchev's letter
key: letter_1962
date: 1962-10-26
url: https://example.org/letter
read_at: example page
---

# Khrushchev's letter {#document}

Context in our own words [@letter_1962].

## Excerpt {#excerpt}

> Let us not only relax the forces pulling on the ends of the rope, let us
> take measures to untie that knot [@letter_1962].
"""

BIB = """\
@online{letter_1962,
  author = {Khrushchev, Nikita S.},
  title = {Letter to President Kennedy},
  organization = {Office of the Historian},
  date = {1962-10-26},
  url = {https://example.org/letter},
  urldate = {2026-11-25},
  keywords = {primary}
}

@book{historian_2001,
  author = {Historian, Ann},
  title = {The Crisis},
  publisher = {A Press},
  year = {2001},
  keywords = {scholarship}
}
"""

PYPROJECT = """\
[tool.cmc-essay.lint]
chapters = ["chapter.md"]
min_words = 12
quote_min_words = 4
documents_dir = "documents"
spelling_allow = ["Ministry of Defence"]
"""

MKDOCS = """\
site_name: test
plugins:
  - essay-citations:
      bib_file: references.bib
      further_reading: []
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "docs" / "documents").mkdir(parents=True)
    (tmp_path / "docs" / "chapter.md").write_text(GOOD_CHAPTER, encoding="utf-8")
    (tmp_path / "docs" / "documents" / "letter.md").write_text(EXCERPT, encoding="utf-8")
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return tmp_path


def findings_for(project: Path) -> list:
    findings, _ = lint_project(project)
    return findings


def add_to_chapter(project: Path, text: str) -> int:
    """Append text to the chapter; return the line it starts on."""
    chapter = project / "docs" / "chapter.md"
    current = chapter.read_text(encoding="utf-8")
    chapter.write_text(current + "\n" + textwrap.dedent(text), encoding="utf-8")
    return current.count("\n") + 2


def test_good_project_is_clean(project):
    assert findings_for(project) == []


BAD_PROSE = {
    "CL001": "The missiles were removed within weeks after a long negotiation in New York.\n",
    "CL002": 'He said the deal was "a fair trade for both sides" to his aides [@historian_2001].\n\nAnd he said "this was never a trade at all".\n',
    "CL003": "There were 42 missiles.\n",
    "CL006": "TODO: write this part about the crisis.\n",
    "CL007": "On October 27, 1962, the defence of the island was organised [@historian_2001].\n",
    "CL008": "## A heading without an id\n\nText under it [@historian_2001].\n",
    "CL009": 'Khrushchev wrote that "we must untie the rope together" [@letter_1962].\n',
    "CL010": "## A heading {#stacked}\n\n!!! note \"A note\"\n\n    Some words here.\n\nText [@historian_2001].\n",
}


@pytest.mark.parametrize("rule_id", sorted(BAD_PROSE), ids=sorted(BAD_PROSE))
def test_rule_fires_on_bad_prose_at_the_right_line(project, rule_id):
    text = BAD_PROSE[rule_id]
    line = add_to_chapter(project, text)
    hits = [f for f in findings_for(project) if f.rule == rule_id]
    assert hits, f"{rule_id} did not fire"
    assert hits[0].path == "docs/chapter.md"
    assert line <= hits[0].line <= line + text.count("\n")


def test_cl004_unknown_key_and_uncited_entry(project):
    add_to_chapter(project, "A claim that cites a missing work in the bibliography [@nobody_1999].\n")
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@book{unused_2000,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  year = {2000},\n  keywords = {scholarship}\n}\n")
    messages = [str(f) for f in findings_for(project) if f.rule == "CL004"]
    assert any("unknown citation key 'nobody_1999'" in m and m.startswith("docs/chapter.md:") for m in messages)
    assert any("entry 'unused_2000' is never cited" in m and m.startswith("references.bib:19:") for m in messages)


def test_cl004_further_reading_exempts_an_uncited_entry(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@book{unused_2000,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  year = {2000},\n  keywords = {scholarship}\n}\n")
    (project / "mkdocs.yml").write_text(MKDOCS.replace("further_reading: []", "further_reading: [unused_2000]"))
    assert findings_for(project) == []


def test_cl005_incomplete_entry(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text().replace("  publisher = {A Press},\n", ""))
    messages = [str(f) for f in findings_for(project) if f.rule == "CL005"]
    assert any("references.bib:11:" in m and "entry 'historian_2001' (@book) lacks publisher" in m for m in messages), messages


def test_cl005_duplicate_work_under_two_keys(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@book{historian_again,\n  author = {Historian, Ann},\n  title = {The Crisis},\n  publisher = {A Press},\n  year = {2001},\n  keywords = {scholarship}\n}\n")
    (project / "mkdocs.yml").write_text(MKDOCS.replace("further_reading: []", "further_reading: [historian_again]"))
    messages = [str(f) for f in findings_for(project) if f.rule == "CL005"]
    assert messages == ["references.bib:19:1: CL005 entry 'historian_again' duplicates 'historian_2001' (same title, year and place)"]


def test_cl005_news_articles_need_no_volume(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{paper_1962,\n  title = {Crisis Ends},\n  journaltitle = {The Daily},\n  entrysubtype = {newspaper},\n  date = {1962-10-29},\n  url = {https://example.org/p},\n  keywords = {primary}\n}\n")
    (project / "mkdocs.yml").write_text(MKDOCS.replace("further_reading: []", "further_reading: [paper_1962]"))
    assert findings_for(project) == []


def test_cl006_empty_section(project):
    add_to_chapter(project, "## Empty {#empty}\n\n## Next {#next}\n\nText [@historian_2001].\n")
    assert any(f.rule == "CL006" and "empty section" in f.message for f in findings_for(project))


def test_cl008_duplicate_id_across_pages(project):
    (project / "docs" / "other.md").write_text("# Other\n\n## Again {#the-letter}\n\nWords.\n")
    assert any(f.rule == "CL008" and "also used" in f.message for f in findings_for(project))


def test_cl009_quote_with_an_ellipsis_matches_its_fragments(project):
    add_to_chapter(project, 'He asked to "relax the forces ... untie that knot" at once [@letter_1962].\n')
    assert findings_for(project) == []


def test_cl009_quote_cited_to_a_primary_without_excerpt(project):
    (project / "docs" / "documents" / "letter.md").unlink()
    add_to_chapter(project, 'He asked to "take measures to untie" at once [@letter_1962].\n')
    assert any(f.rule == "CL009" and "no excerpt file" in f.message for f in findings_for(project))


def test_cl011_excerpt_metadata(project):
    excerpt = project / "docs" / "documents" / "letter.md"
    excerpt.write_text(excerpt.read_text().replace("url: https://example.org/letter\n", ""))
    assert any(f.rule == "CL011" and "'url'" in f.message for f in findings_for(project))


def test_quotes_inside_analysis_still_need_no_citation_but_facts_outside_do(project):
    add_to_chapter(project, '!!! analysis "More"\n\n    In 1962 the essay argues that 42 things happened, in its own view.\n')
    assert findings_for(project) == []


def test_every_rule_has_an_id_and_a_rationale_and_a_test():
    ids = [rule.id for rule in RULES]
    assert ids == sorted(set(ids))
    tested = set(BAD_PROSE) | {"CL004", "CL005", "CL011", "CL012"}  # CL012: tests/test_facts.py
    assert set(ids) == tested


def test_cli_prints_linter_lines_and_exits_non_zero(project):
    add_to_chapter(project, "The missiles were removed within weeks after a long negotiation in New York.\n")
    result = subprocess.run([sys.executable, "-m", "cmc_essay.lint", str(project / "docs")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "docs/chapter.md:" in result.stdout and ":1: CL001 paragraph has no citation" in result.stdout
    assert "1 problem(s) (CL001: 1)" in result.stdout and "analysis exemptions: chapter.md 1" in result.stdout


def test_the_real_site_passes_the_lint():
    findings, _ = lint_project(ROOT)
    assert findings == [], "\n".join(map(str, findings[:20]))


def test_cl009_a_quotation_wrapped_over_lines_belongs_to_the_citation_after_it(project):
    add_to_chapter(project, 'Historians disagree [@historian_2001]. He asked both sides to "take measures\nto untie that knot" at once [@letter_1962].\n')
    assert findings_for(project) == []
