"""The published-anchor contract: section links teachers share keep working.

``anchors.txt`` (committed) lists every chapter section URL that has been
published, one ``page/#id`` a line. A listed anchor stays alive if its page
still has an element with that id, or if the page is now a redirect
(mkdocs-redirects) to a page that has it; an explicit alias (an element such
as ``<span id="old-id"></span>`` left beside the renamed heading) also counts.

``python -m cmc_essay.anchors check site/`` checks the contract;
``python -m cmc_essay.anchors add site/`` adds the chapters' new section
anchors to the file on purpose (it never removes one).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lxml import html as lxml_html

from cmc_essay.lint.context import load_config

REDIRECT_TARGET = re.compile(r'window\.location\.replace\(\s*["\']([^"\']+)["\']|http-equiv="refresh" content="0; url=([^"]+)"')
HEADER = "# Published section anchors: never remove a line; see src/cmc_essay/anchors.py\n"


def read_contract(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def page_file(site: Path, page: str) -> Path:
    return site / page / "index.html" if page.endswith("/") or page == "" else site / page


def ids_of(path: Path) -> set[str]:
    tree = lxml_html.fromstring(path.read_bytes())
    return {element.get("id") for element in tree.iter() if element.get("id")}


def resolves(site: Path, anchor: str, hops: int = 3) -> bool:
    page, _, fragment = anchor.partition("#")
    path = page_file(site, page)
    if not path.exists():
        return False
    text = path.read_text(encoding="utf-8")
    if fragment in ids_of(path):
        return True
    match = REDIRECT_TARGET.search(text)
    if match and hops:
        target = (match.group(1) or match.group(2)).split("#")[0]
        resolved = (path.parent / target).resolve().relative_to(site.resolve()).as_posix()
        resolved = resolved[: -len("index.html")] if resolved.endswith("index.html") else resolved + "/"
        return resolves(site, f"{resolved}#{fragment}", hops - 1)
    return False


def broken(site: Path, contract: Path) -> list[str]:
    return [anchor for anchor in read_contract(contract) if not resolves(site, anchor)]


def chapter_anchors(site: Path, chapters: list[str]) -> list[str]:
    """page/#id for every h2 and h3 in the chapters' built articles."""
    anchors = []
    for chapter in chapters:
        page = chapter[: -len(".md")] + "/"
        path = page_file(site, page)
        if not path.exists():
            continue
        tree = lxml_html.fromstring(path.read_bytes())
        for heading in tree.xpath("//article//h2[@id] | //article//h3[@id]"):
            anchors.append(f"{page}#{heading.get('id')}")
    return anchors


def add_new(site: Path, contract: Path, chapters: list[str]) -> list[str]:
    known = set(read_contract(contract))
    new = [a for a in chapter_anchors(site, chapters) if a not in known]
    if new or not contract.exists():
        lines = read_contract(contract) + new
        contract.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return new


def configured_chapters(root: Path) -> list[str]:
    return list(load_config(root).chapters)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cmc_essay.anchors", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["check", "add"])
    parser.add_argument("site", nargs="?", default="site")
    parser.add_argument("--contract", default="anchors.txt")
    args = parser.parse_args(argv)
    site, contract = Path(args.site), Path(args.contract)
    if args.action == "add":
        new = add_new(site, contract, configured_chapters(Path.cwd()))
        print(f"added {len(new)} anchor(s) to {contract}")
        return 0
    missing = broken(site, contract)
    for anchor in missing:
        print(f"{contract}: published anchor {anchor} no longer resolves; restore the id, "
              "add an alias (<span id=\"...\"></span>) or a redirect")
    print(f"{len(read_contract(contract)) - len(missing)} of {len(read_contract(contract))} published anchors resolve")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
