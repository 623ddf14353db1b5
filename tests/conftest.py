"""One strict build of the site per test session, shared by every test."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# Everything a build reads; copied for the tests that break a copy on purpose.
PROJECT_PARTS = ("mkdocs.yml", "docs", "includes", "overrides", "hooks", "references.bib", "data", "pyproject.toml", "anchors.txt")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def load_module(path: Path, name: str):
    """A module loaded by path: a hook from hooks/ (MkDocs loads them so) or the bench script."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_site(project: Path, site_dir: Path):
    """Build as the CLI does: startup event, strict build, shutdown event. Returns the config."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    build_site(ROOT, site_dir)
    return site_dir


class Site:
    def __init__(self, root: Path):
        self.root = root
        self._cache: dict[str, BeautifulSoup] = {}

    def html_files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.html"))

    def page_paths(self) -> list[str]:
        """Built pages (not theme partials or redirects), relative to the site root."""
        out = []
        for path in self.html_files():
            soup = self.soup(path.relative_to(self.root).as_posix())
            if soup.find("article"):
                out.append(path.relative_to(self.root).as_posix())
        return out

    def soup(self, rel: str) -> BeautifulSoup:
        if rel not in self._cache:
            self._cache[rel] = BeautifulSoup((self.root / rel).read_text(encoding="utf-8"), "lxml")
        return self._cache[rel]

    def article(self, rel: str):
        """The page's <article>, so assertions never match the nav or search index."""
        article = self.soup(rel).find("article")
        assert article is not None, f"{rel} has no <article>"
        return article


@pytest.fixture(scope="session")
def built(site) -> Site:
    return Site(site)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's build inputs, to break on purpose."""
    copy = tmp_path / "project"
    copy.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part)
        elif source.exists():
            shutil.copy2(source, copy / part)
    return copy


def run_build(project: Path) -> subprocess.CompletedProcess:
    """A strict build of a project copy in a subprocess, as a reader would run it."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project, capture_output=True, text=True, env=env, timeout=600,
    )
