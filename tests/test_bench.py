"""The benchmark's own checks: budgets are judged right, and a quiet or failing `mkdocs serve` ends the run."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest

from conftest import ROOT, load_module

bench = load_module(ROOT / "bench" / "run.py", "bench_run")

CHAPTERS = ["origins/", "back-channels/"]
MET = {
    "build_ratio": 1.3,
    "serve_rebuild_seconds": {"site": 2.2, "baseline": 2.0, "ratio": 1.1},
    "pages": [{"page": "origins/", "gzip_kb": 70.0}, {"page": "back-channels/", "gzip_kb": 79.0},
              {"page": "reference/sources/", "gzip_kb": 95.0}],
    "lighthouse": [{"page": "origins/", "form": "mobile", "performance": 95, "accessibility": 100,
                    "best-practices": 100, "seo": 100}],
}


def missed_after(change) -> list[str]:
    report = copy.deepcopy(MET)
    change(report)
    return bench.missed_budgets(report, CHAPTERS)


def test_a_report_within_every_budget_misses_none():
    assert bench.missed_budgets(MET, CHAPTERS) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda r: r.update(build_ratio=1.51), "cold build 1.51x"),
        (lambda r: r["serve_rebuild_seconds"].update(ratio=1.21), "serve rebuild 1.21x"),
        (lambda r: r["pages"][1].update(gzip_kb=81.0), "back-channels/ first load 81 KB gzip > 80 KB"),
        (lambda r: r["pages"].pop(0), "origins/ was not weighed"),
        (lambda r: r["lighthouse"][0].update(performance=94), "Lighthouse performance 94"),
        (lambda r: r["lighthouse"][0].update(seo=99), "Lighthouse seo 99"),
        (lambda r: r["lighthouse"][0].pop("accessibility"), "Lighthouse accessibility None"),
    ],
)
def test_each_missed_budget_is_reported(change, expected):
    missed = missed_after(change)
    assert len(missed) == 1 and missed[0].startswith(expected), missed


def test_the_heaviest_chapter_is_the_figure_and_reference_pages_are_not_chapters():
    assert bench.heaviest_chapter(MET, CHAPTERS) == {"page": "back-channels/", "gzip_kb": 79.0}
    assert bench.heaviest_chapter({"pages": []}, CHAPTERS) is None


def fake_serve(script: str) -> subprocess.Popen:
    """A process that prints what `mkdocs serve` would, as `serve_rebuild` reads it."""
    return subprocess.Popen([sys.executable, "-u", "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_a_rebuild_is_timed_between_its_log_lines_even_when_mkdocs_prints_no_duration():
    # MkDocs' duplicate filter drops a second "Documentation built in 1.73 seconds".
    process = fake_serve(
        "import time\n"
        "print('INFO - Serving on http://127.0.0.1:8000/')\n"
        "print('INFO - Building documentation...'); time.sleep(0.3)\n"
        "print('INFO - [10:00:00] Reloading browsers')\n"
    )
    log = bench.ServeLog(process)
    log.wait_for("Serving on", 10)
    began = log.wait_for(bench.BUILDING, 10)
    assert 0.25 < log.wait_for(bench.RELOADED, 10) - began < 5
    process.wait()


@pytest.mark.parametrize(
    "script, message",
    [
        ("import time; print('Serving on x'); time.sleep(30)", "printed no 'Building documentation...' within 1 s"),
        ("print('Serving on x')", "stopped early"),
        ("print('ERROR - An error happened during the rebuild. The server will appear stuck')", "rebuild under mkdocs serve failed"),
    ],
)
def test_a_quiet_stopped_or_failing_server_ends_the_wait_with_an_error(script, message):
    process = fake_serve(script)
    log = bench.ServeLog(process)
    with pytest.raises(SystemExit, match=message):
        log.wait_for("Serving on x", 10)
        log.wait_for(bench.BUILDING, 1)
    process.kill()
    process.wait()


@pytest.fixture
def repository(tmp_path):
    """A git repository of its own with two revisions, so these tests run from any copy of the project,
    a downloaded archive without .git included."""
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args):
        subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
                       cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    (repo / "mkdocs.yml").write_text("site_name: first\n", encoding="utf-8")
    git("add", "mkdocs.yml")
    git("commit", "-q", "-m", "first")
    (repo / "mkdocs.yml").write_text("site_name: second\n", encoding="utf-8")
    git("commit", "-q", "-am", "second")
    return repo


def test_before_names_a_revision_git_cannot_read(tmp_path, repository):
    with pytest.raises(SystemExit, match="--before no-such-revision: git cannot read that revision"):
        bench.checkout("no-such-revision", tmp_path / "tree", repository)


def test_before_unpacks_the_project_as_it_was(tmp_path, repository):
    tree = bench.checkout("HEAD~1", tmp_path / "tree", repository)
    assert (tree / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: first\n"
