"""The guard against drift: a page that contradicts a fact recorded in
data/facts.yml fails the lint (CL012) and the build, naming file, line, the
recorded fact and its source; the corrected site passes."""

from __future__ import annotations

import pytest

from cmc_essay import facts
from cmc_essay.lint import lint_project
from conftest import ROOT, run_build

RECORDED = {fact.id: fact for fact in facts.load_facts(ROOT)}

# For every recorded fact: a statement that contradicts it (each one an error
# the site once made) and a correct statement of the same thing.
PLANTED = {
    "tactical-weapons-left-cuba": (
        "Soviet tactical nuclear weapons stayed in Cuba until 20 November.",
        "Soviet tactical nuclear weapons stayed in Cuba until 1 December 1962; a release of 2002 had said until 20 November.",
    ),
    "khrushchev-claim-20-november": (
        "On 20 November Khrushchev told Kennedy that all nuclear weapons had been taken out of Cuba.",
        "On 20 November Khrushchev told Kennedy that all nuclear weapons had been taken out of Cuba. It was untrue: tactical warheads were still there.",
    ),
    "heyser-initial": (
        "A U-2 piloted by Major Richard D. Heyser photographed western Cuba.",
        "A U-2 piloted by Major Richard S. Heyser photographed western Cuba.",
    ),
    "r14-ships-turned": (
        "The R-14 missiles, whose ships Khrushchev decided on 25 October to turn back, never arrived.",
        "The ships carrying the R-14 missiles changed course on 23 October.",
    ),
    "u2-gap-western-cuba": (
        "There were no U-2 photographic missions over Cuba between 29 August and 14 October.",
        "There were no U-2 photographic missions over western Cuba between 29 August and 14 October.",
    ),
    "jupiter-removal-public": (
        "In April 1963 the Jupiters were secretly removed from Turkey.",
        "In April 1963 the Jupiters were removed from Turkey, publicly; their link to Cuba stayed secret.",
    ),
    "assurance-acknowledged-1982": (
        "The settlement rested on a private promise kept secret for a quarter of a century.",
        "The settlement rested on a private promise that Kennedy's advisers acknowledged in 1982.",
    ),
    "defcon-2-date": (
        "Strategic Air Command went to DEFCON 2 on 22 October.",
        "Strategic Air Command went to DEFCON 2 on 24 October 1962.",
    ),
    "defcon-3-not-highest": (
        "American forces went to DEFCON III, the highest state of readiness for peacetime.",
        "American forces went to DEFCON III, the highest state of readiness since SAC's DEFCON 2 of 1962.",
    ),
    "npt-article-one": (
        "The nuclear powers undertook not to pass weapons, material or intelligence to others.",
        "The nuclear powers undertook not to transfer nuclear weapons or control over them.",
    ),
    "age-and-health-paraphrase": (
        "TASS announced that he had retired on grounds of age and health.",
        "The State Department's intelligence bureau paraphrased the TASS announcement as retirement on grounds of age and health.",
    ),
    "cables-not-sole-evidence": (
        "Without the cables the compromise would still be invisible.",
        "The cables added the Soviet side of the compromise.",
    ),
    "warheads-early-estimate": (
        "Volkogonov said that about 20 warheads had been in Cuba.",
        "Volkogonov said that about 20 warheads had been in Cuba, an estimate the Soviet documents have superseded.",
    ),
    "usun-1585-date": (
        "USUN telegram 1585 of 11 November summarized U Thant's report.",
        "USUN telegram 1585 of 1 November summarized U Thant's report.",
    ),
}


def found_ids(text: str) -> list[str]:
    return [c.fact.id for c in facts.contradictions(list(RECORDED.values()), "docs/x.md", [(7, text)])]


def test_every_recorded_fact_has_a_planted_contradiction():
    assert set(PLANTED) == set(RECORDED)


@pytest.mark.parametrize("fact_id", sorted(PLANTED))
def test_a_planted_contradiction_is_caught_and_a_correct_statement_passes(fact_id):
    wrong, right = PLANTED[fact_id]
    assert fact_id in found_ids(wrong)
    assert found_ids(right) == []


def test_a_quotation_may_say_what_the_record_has_corrected():
    assert found_ids('The 2002 release said the tactical nuclear weapons "remained in Cuba until Nov. 20" [@x].') == []
    assert found_ids("The tactical nuclear weapons left on 11 December.") == ["tactical-weapons-left-cuba"]


def cl012(project) -> dict[tuple[str, int], str]:
    findings, _ = lint_project(project)
    return {(f.path, f.line): f.message for f in findings if f.rule == "CL012"}


def test_lint_names_file_line_fact_and_source_in_a_chapter_and_in_the_timeline(project_copy):
    before = cl012(project_copy)
    chapter = project_copy / "docs" / "thirteen-days.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.rstrip("\n") + "\n\nSoviet tactical nuclear weapons stayed in Cuba until 20 November [@nsa_cmc_events_page2].\n", encoding="utf-8")
    chapter_line = text.rstrip("\n").count("\n") + 3
    timeline = project_copy / "data" / "timeline.yml"
    data = timeline.read_text(encoding="utf-8")
    planted_entry = "\n- date: 1962-10-14\n  title: A planted entry\n  text: >-\n    A U-2 piloted by Major Richard D. Heyser flew.\n"
    timeline.write_text(data.rstrip("\n") + "\n" + planted_entry, encoding="utf-8")
    data_line = data.rstrip("\n").count("\n") + 5  # the line of its text field
    planted = {key: message for key, message in cl012(project_copy).items() if key not in before}
    assert set(planted) == {("docs/thirteen-days.md", chapter_line), ("data/timeline.yml", data_line)}, planted
    message = planted[("docs/thirteen-days.md", chapter_line)]
    assert "'tactical-weapons-left-cuba'" in message and "1 December 1962" in message
    assert f"source: {RECORDED['tactical-weapons-left-cuba'].source}" in message
    assert "'heyser-initial'" in planted[("data/timeline.yml", data_line)]


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_build_fails_on_a_contradiction_naming_file_and_line(project_copy, engine):
    chapter = project_copy / "docs" / "long-shadow.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.rstrip("\n") + "\n\nThe treaty barred passing material or intelligence to others [@cvce_npt1968].\n", encoding="utf-8")
    line = text.rstrip("\n").count("\n") + 3
    result = run_build(project_copy, engine)
    assert result.returncode != 0
    assert f"docs/long-shadow.md:{line}:1: CL012" in result.stderr
    assert "'npt-article-one'" in result.stderr


def test_a_fact_must_cite_a_source_that_exists(project_copy):
    record = project_copy / "data" / "facts.yml"
    record.write_text(record.read_text(encoding="utf-8").replace('cite: "[@gelb2012fp]"', 'cite: "[@no_such_source]"', 1), encoding="utf-8")
    findings, _ = lint_project(project_copy)
    assert any(f.path == "data/facts.yml" and "cites 'no_such_source'" in f.message for f in findings)


def test_a_malformed_record_is_named(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.yml").write_text("- id: half\n  fact: Something.\n  about: x\n", encoding="utf-8")
    with pytest.raises(facts.FactsFileError, match=r"data/facts.yml: entry 1 \(half\) lacks cite"):
        facts.load_facts(tmp_path)
    (tmp_path / "data" / "facts.yml").write_text("- id: bad\n  fact: F.\n  cite: '[@k]'\n  about: '(unclosed'\n", encoding="utf-8")
    with pytest.raises(facts.FactsFileError, match=r"entry 1 \(bad\): bad regular expression"):
        facts.load_facts(tmp_path)


def test_the_site_states_every_recorded_fact_as_recorded():
    findings, _ = lint_project(ROOT)
    assert [str(f) for f in findings if f.rule == "CL012"] == []
