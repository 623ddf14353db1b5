"""Run every rule over a project and summarise, as a code linter would."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pybtex.errors

from cmc_essay.lint.context import Context, load_context
from cmc_essay.lint.model import Finding
from cmc_essay.lint.rules import RULES


def lint_project(root: Path, docs: Path | None = None) -> tuple[list[Finding], Context]:
    pybtex.errors.set_strict_mode(False)  # duplicates are reported by CL005, not raised
    context = load_context(root, docs)
    findings = [finding for rule in RULES for finding in rule.check(context)]
    findings.sort(key=lambda f: (f.path, f.line, f.rule))
    return findings, context


def summary(findings: list[Finding], context: Context) -> str:
    counts = Counter(f.rule for f in findings)
    by_rule = ", ".join(f"{rule}: {n}" for rule, n in sorted(counts.items())) or "none"
    exemptions = ", ".join(
        f"{page.uri} {page.analysis_blocks}" for page in context.chapters if page.analysis_blocks
    ) or "none"
    return (
        f"{len(findings)} problem(s) ({by_rule}) in {len(context.pages)} pages; "
        f"analysis exemptions: {exemptions}"
    )
