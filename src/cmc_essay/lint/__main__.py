"""``python -m cmc_essay.lint [docs/] [--rules]``: lint the essay's sources."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmc_essay.lint.rules import RULES
from cmc_essay.lint.runner import lint_project, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cmc_essay.lint", description=__doc__)
    parser.add_argument("docs", nargs="?", default="docs", help="the docs folder (default: docs)")
    parser.add_argument("--rules", action="store_true", help="list the rules and exit")
    args = parser.parse_args(argv)
    if args.rules:
        for rule in RULES:
            print(f"{rule.id}  {rule.rationale}")
        return 0
    docs = Path(args.docs).resolve()
    if not docs.is_dir():
        print(f"{args.docs}: not a folder; give the site's docs/ folder", file=sys.stderr)
        return 2
    findings, context = lint_project(docs.parent, docs)
    for finding in findings:
        print(finding)
    print(summary(findings, context))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
