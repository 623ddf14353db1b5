"""The "cite this page" record of each chapter and reference page (``cmc_essay.pages.record``), under MkDocs.

Sets ``page.meta["record"]`` for ``overrides/main.html``, which renders the
head metadata and the "cite this page" block from it.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from cmc_essay.errors import EssayBuildError
from cmc_essay.pages.record import citable_pages, citation_record


def on_page_markdown(markdown: str, /, *, page, config, files) -> str:
    if page.file.src_uri in citable_pages(Path(config.config_file_path).parent):
        try:
            page.meta["record"] = citation_record(page.meta, page.file.src_uri, page.canonical_url,
                                                  author=config.site_author, site=config.site_name, site_url=config.site_url)
        except EssayBuildError as error:
            raise PluginError(str(error)) from error
    return markdown
