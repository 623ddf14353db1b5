"""The primary-sources reader (``cmc_essay.pages.documents``), under MkDocs."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from cmc_essay.errors import EssayBuildError
from cmc_essay.pages.documents import Excerpts

_state: dict = {}


def on_files(files, /, *, config):
    try:
        _state["excerpts"] = Excerpts(Path(config.config_file_path).parent, Path(config.docs_dir),
                                      [file.src_uri for file in files.documentation_pages()])
    except EssayBuildError as error:
        raise PluginError(str(error)) from error
    return files


@event_priority(60)
def on_page_markdown(markdown: str, /, *, page, config, files) -> str:
    return _state["excerpts"].expand(markdown, page.file.src_uri)
