"""Fail the build when a page or data file contradicts a fact recorded in data/facts.yml.

The same check as the content lint's rule CL012 (cmc_essay.facts), run on
every build so that `mkdocs serve` and `mkdocs build` stop at a contradiction.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from cmc_essay import facts
from cmc_essay.errors import EssayBuildError


def on_files(files, /, *, config):
    try:
        facts.refuse_contradictions(Path(config.config_file_path).parent, Path(config.docs_dir),
                                    [f.abs_src_path for f in files.documentation_pages()])
    except EssayBuildError as error:
        raise PluginError(str(error)) from error
    return files
