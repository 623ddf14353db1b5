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
    def __init__(self, root: Path, engine: str = "mkdocs"):
        self.root = root
        self.engine = engine
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
    return Site(site, "mkdocs")


# What the Zensical build does not have yet, by name; a test of one of these
# skips under Zensical with the reason, and the README lists the same.
ZENSICAL_LACKS = {
    "print page": "mkdocs-print-site-plugin is an MkDocs plugin; Zensical has no print page yet",
    "search index": "Zensical writes its own search index, not MkDocs' search_index.json",
    "404 chapter list": "Zensical renders the 404 page without the navigation, so overrides/404.html lists no chapters",
}


def skip_if_engine_lacks(site: "Site", feature: str) -> None:
    if site.engine == "zensical":
        pytest.skip(f"Zensical lacks the {feature}: {ZENSICAL_LACKS[feature]}")


def zensical_build(project: Path) -> subprocess.CompletedProcess:
    """A strict ``zensical build`` of a project, in a subprocess, into project/site."""
    return subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--clean"],
        cwd=project, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """One strict Zensical build of a copy of the project (Zensical writes beside its configuration)."""
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    result = zensical_build(project)
    assert result.returncode == 0, f"zensical build failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return project / "site"


@pytest.fixture(scope="session", params=["mkdocs", "zensical"])
def either_built(request) -> Site:
    """The built site of each engine in turn: the same HTML checks run against both."""
    if request.param == "mkdocs":
        return request.getfixturevalue("built")
    return Site(request.getfixturevalue("zensical_site"), "zensical")


def copy_project(copy: Path) -> Path:
    """The project's build inputs copied to ``copy``."""
    copy.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part)
        elif source.exists():
            shutil.copy2(source, copy / part)
    return copy


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's build inputs, to break on purpose."""
    return copy_project(tmp_path / "project")


def run_build(project: Path, engine: str = "mkdocs") -> subprocess.CompletedProcess:
    """A strict build of a project copy in a subprocess, as a reader would run it."""
    if engine == "zensical":
        return zensical_build(project)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project, capture_output=True, text=True, env=env, timeout=600,
    )
