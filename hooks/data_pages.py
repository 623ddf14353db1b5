"""The timeline, people and chapter-event lists (``cmc_essay.pages.data``), under MkDocs.

Runs before the citation plugin, so the events' ``[@key]`` citations render
like any other.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from cmc_essay.errors import EssayBuildError
from cmc_essay.pages.data import expand_data_pages


@event_priority(50)
def on_page_markdown(markdown: str, /, *, page, config, files) -> str:
    try:
        return expand_data_pages(markdown, Path(config.config_file_path).parent, page.file.src_uri)
    except EssayBuildError as error:
        raise PluginError(str(error)) from error
