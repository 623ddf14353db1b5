"""The published-anchor contract: listed section links keep resolving."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from cmc_essay import anchors
from conftest import ROOT

CONTRACT = ROOT / "anchors.txt"


def test_the_contract_lists_the_chapters_sections():
    assert len(anchors.read_contract(CONTRACT)) >= 20


def test_every_published_anchor_resolves(either_built):
    assert anchors.broken(either_built.root, CONTRACT) == []


def test_every_chapter_section_is_published(either_built):
    """A new section must be added with `python -m cmc_essay.anchors add site/`."""
    current = set(anchors.chapter_anchors(either_built.root, anchors.configured_chapters(ROOT)))
    assert current <= set(anchors.read_contract(CONTRACT)), sorted(current - set(anchors.read_contract(CONTRACT)))[:10]


@pytest.fixture
def site_copy(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    return copy


def _first_anchor():
    return anchors.read_contract(CONTRACT)[0]


def test_a_removed_anchor_breaks_the_contract(site_copy):
    anchor = _first_anchor()
    page, _, fragment = anchor.partition("#")
    path = anchors.page_file(site_copy, page)
    path.write_text(path.read_text(encoding="utf-8").replace(f'id="{fragment}"', 'id="renamed-section"'), encoding="utf-8")
    assert anchor in anchors.broken(site_copy, CONTRACT)
    result = subprocess.run([sys.executable, "-m", "cmc_essay.anchors", "check", str(site_copy), "--contract", str(CONTRACT)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and f"published anchor {anchor} no longer resolves" in result.stdout


def test_an_alias_keeps_a_renamed_anchor_alive(site_copy):
    anchor = _first_anchor()
    page, _, fragment = anchor.partition("#")
    path = anchors.page_file(site_copy, page)
    text = path.read_text(encoding="utf-8").replace(f'id="{fragment}"', 'id="renamed-section"')
    path.write_text(text.replace("<article", f'<span id="{fragment}"></span><article', 1), encoding="utf-8")
    assert anchor not in anchors.broken(site_copy, CONTRACT)


def test_a_redirect_keeps_a_moved_page_alive(site_copy):
    anchor = _first_anchor()
    page, _, fragment = anchor.partition("#")
    old = site_copy / page
    new = site_copy / "moved-chapter"
    shutil.move(str(old), str(new))
    old.mkdir(parents=True)
    (old / "index.html").write_text(
        '<html><head><script>window.location.replace("../moved-chapter/" + window.location.hash);</script></head></html>',
        encoding="utf-8",
    )
    assert anchor not in anchors.broken(site_copy, CONTRACT)


def test_add_records_new_anchors_and_never_removes(site, tmp_path):
    contract = tmp_path / "anchors.txt"
    contract.write_text("origins/#kept-forever-even-if-gone\n", encoding="utf-8")
    new = anchors.add_new(site, contract, anchors.configured_chapters(ROOT))
    lines = anchors.read_contract(contract)
    assert lines[0] == "origins/#kept-forever-even-if-gone"
    assert len(new) >= 1 and set(new) <= set(lines)
