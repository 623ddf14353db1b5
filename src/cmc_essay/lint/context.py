"""Everything the rules read: the pages, the bibliography, the configuration."""

from __future__ import annotations

import contextlib
import functools
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pybtex.database import parse_string

from cmc_essay.bibliography import entry_sites
from cmc_essay.lint.model import Page
from cmc_essay.lint.parse import read_page
from cmc_essay.lint.text import normalise


@dataclass
class LintConfig:
    chapters: list[str]
    min_words: int = 12
    quote_min_words: int = 4
    documents_dir: str = "documents"
    quotation_pages: list[str] = field(default_factory=list)
    spelling_allow: list[str] = field(default_factory=list)


@dataclass
class Context:
    root: Path
    docs: Path
    config: LintConfig
    pages: list[Page]
    bib_text: str
    bib_entries: dict
    bib_lines: dict
    further_reading: list[str]
    excerpts: dict[str, list[tuple[Page, str]]]
    data_citations: dict[str, str] = field(default_factory=dict)  # data file -> its text

    @property
    def chapters(self) -> list[Page]:
        return [p for p in self.pages if p.uri in self.config.chapters]

    @property
    def documents(self) -> list[Page]:
        return [p for p in self.pages if p.uri.startswith(self.config.documents_dir + "/") and p.uri != self.config.documents_dir + "/index.md"]

    def is_primary(self, key: str) -> bool:
        entry = self.bib_entries.get(key)
        return entry is not None and entry.fields.get("keywords") == "primary"


def load_config(root: Path) -> LintConfig:
    """The ``[tool.cmc-essay.lint]`` settings: the one place the chapters are listed."""
    path = root / "pyproject.toml"
    return _read_config(path, path.stat().st_mtime)


@functools.lru_cache(maxsize=8)
def _read_config(path: Path, _mtime: float) -> LintConfig:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    section = data.get("tool", {}).get("cmc-essay", {}).get("lint", {})
    return LintConfig(**section)


def load_context(root: Path, docs: Path | None = None) -> Context:
    docs = docs or root / "docs"
    config = load_config(root)
    pages = [read_page(path, docs) for path in sorted(docs.rglob("*.md"))]
    bib_text = (root / "references.bib").read_text(encoding="utf-8")
    with contextlib.redirect_stderr(io.StringIO()):  # duplicates are CL005's to report
        entries = dict(parse_string(bib_text, "bibtex").entries)
    mkdocs = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    further, data_sources = [], {}
    for plugin in mkdocs.get("plugins", []):
        if isinstance(plugin, dict) and "essay-citations" in plugin:
            further = list(plugin["essay-citations"].get("further_reading", []) or [])
            data_sources = dict(plugin["essay-citations"].get("data_sources", {}) or {})
    excerpts: dict[str, list] = {}
    for page in pages:
        if page.uri.startswith(config.documents_dir + "/") and page.meta.get("key"):
            body = page.raw.split("\n", page.body_start - 1)[-1]
            excerpts.setdefault(page.meta["key"], []).append((page, normalise(strip_quote_markers(body))))
    return Context(
        root=root, docs=docs, config=config, pages=pages, bib_text=bib_text,
        bib_entries=entries, bib_lines={k: s.line for k, s in entry_sites(bib_text).items()},
        further_reading=further, excerpts=excerpts,
        data_citations={name: (root / name).read_text(encoding="utf-8") for name in data_sources if (root / name).exists()},
    )


def strip_quote_markers(text: str) -> str:
    return "\n".join(line.lstrip().lstrip(">").lstrip() for line in text.split("\n"))
