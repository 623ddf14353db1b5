"""Mutation suite: inject one fault at a time into a copy of the real project
and prove that the right check fails, naming the right file, line and rule."""

from __future__ import annotations

import re

import pytest

from cmc_essay import anchors, links
from cmc_essay.lint import lint_project
from conftest import ROOT, run_build


def chapter_of(project):
    chapters = anchors.configured_chapters(ROOT)
    existing = [c for c in chapters if (project / "docs" / c).exists()]
    assert existing, "no chapter to mutate"
    return project / "docs" / existing[0]


def append(path, text: str) -> int:
    current = path.read_text(encoding="utf-8")
    path.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return current.rstrip("\n").count("\n") + 3


def lint_hits(project, rule):
    findings, _ = lint_project(project)
    return [f for f in findings if f.rule == rule]


def test_the_clean_copy_passes_every_check(project_copy):
    findings, _ = lint_project(project_copy)
    assert findings == [], [str(f) for f in findings[:10]]
    result = run_build(project_copy)
    assert result.returncode == 0, result.stderr[-2000:]
    site = project_copy / "site"
    assert links.check_internal(site) == [] and links.check_form(site) == []
    assert anchors.broken(site, project_copy / "anchors.txt") == []


@pytest.mark.parametrize(
    "rule, text",
    [
        ("CL001", "The ships then sailed home across the Atlantic after the long standoff at sea.\n"),
        ("CL002", 'As one aide put it, "nobody slept that night at all".\n'),
        ("CL006", "TODO: finish this paragraph.\n"),
    ],
    ids=["uncited-paragraph", "uncited-quotation", "placeholder"],
)
def test_prose_faults_are_caught_at_file_and_line(project_copy, rule, text):
    chapter = chapter_of(project_copy)
    line = append(chapter, text)
    hits = lint_hits(project_copy, rule)
    assert [(h.path, h.line) for h in hits] == [(f"docs/{chapter.name}", line)], hits


def test_unknown_key_is_caught_by_lint_and_build(project_copy):
    chapter = chapter_of(project_copy)
    line = append(chapter, "A claim that cites no real work at all [@invented_1962].\n")
    hits = lint_hits(project_copy, "CL004")
    assert [(h.path, h.line) for h in hits] == [(f"docs/{chapter.name}", line)]
    result = run_build(project_copy)
    assert result.returncode != 0
    assert f"docs/{chapter.name}:{line}: unknown citation key 'invented_1962'" in result.stderr


def test_incomplete_entry_is_caught(project_copy):
    bib = project_copy / "references.bib"
    text = bib.read_text(encoding="utf-8")
    match = re.search(r"^@book\{(\w+),\n(?:.*\n)*?\s*publisher\s*=.*\n", text, re.M)
    assert match, "no book entry with a publisher to break"
    key = match.group(1)
    broken = text[: match.start()] + re.sub(r"\s*publisher\s*=.*\n", "\n", match.group(0)) + text[match.end():]
    bib.write_text(broken, encoding="utf-8")
    line = text[: match.start()].count("\n") + 1
    hits = lint_hits(project_copy, "CL005")
    assert any(h.path == "references.bib" and h.line == line and f"'{key}'" in h.message and "publisher" in h.message for h in hits), hits


@pytest.mark.parametrize(
    "text, named",
    [
        ("See [the sources](reference/sources.md#no-such-group) for more on this [@dobbs2008].\n", "no-such-group"),
        ("![A map that is not there](assets/missing-map.png)\n", "missing-map.png"),
    ],
    ids=["broken-anchor-link", "missing-image"],
)
def test_a_broken_link_fails_the_strict_build_naming_page_and_target(project_copy, text, named):
    chapter = chapter_of(project_copy)
    append(chapter, text)
    result = run_build(project_copy)
    assert result.returncode != 0
    assert chapter.name in result.stderr and named in result.stderr


def test_removed_published_anchor_breaks_the_contract(project_copy):
    contract = anchors.read_contract(project_copy / "anchors.txt")
    anchor = contract[0]
    page, _, fragment = anchor.partition("#")
    source = project_copy / "docs" / (page.rstrip("/") + ".md")
    source.write_text(source.read_text(encoding="utf-8").replace("{#" + fragment + "}", "{#" + fragment + "-renamed}"), encoding="utf-8")
    result = run_build(project_copy)
    assert result.returncode == 0, result.stderr[-2000:]
    assert anchors.broken(project_copy / "site", project_copy / "anchors.txt") == [anchor]
