"""Fail the build when a page or data file contradicts a fact recorded in data/facts.yml.

The same check as the content lint's rule CL012 (cmc_essay.facts), run on
every build so that `mkdocs serve` and `mkdocs build` stop at a contradiction.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from cmc_essay import facts
from cmc_essay.lint.parse import read_page_once


def on_files(files, /, *, config):
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    try:
        pages = [read_page_once(Path(f.abs_src_path), docs) for f in files.documentation_pages()]
        found = facts.check_project(root, pages)
    except facts.FactsFileError as error:
        raise PluginError(str(error)) from error
    if found:
        raise PluginError(
            f"{len(found)} statement(s) contradict a recorded fact:\n" + "\n".join(map(str, found))
        )
    return files
