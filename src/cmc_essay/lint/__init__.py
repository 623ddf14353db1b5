"""The content lint: every claim sourced, every quotation checkable.

Run it as ``python -m cmc_essay.lint docs/``; the rules are listed in
``rules.py``, each with its id and rationale, and configured under
``[tool.cmc-essay.lint]`` in pyproject.toml.
"""

from cmc_essay.lint.model import Finding
from cmc_essay.lint.runner import lint_project

__all__ = ["Finding", "lint_project"]
