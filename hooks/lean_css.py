"""The theme's style sheets, after the build, without the rules no page can match.

Runs last (after the print page is written), so that every page's classes are
seen; see ``cmc_essay/lean_css.py`` for what is kept. Each purged sheet gets a
new content hash in its name, so that no browser keeps a stale copy.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cmc_essay.lean_css import purge_site

log = logging.getLogger("mkdocs.hooks.lean_css")


def on_post_build(*, config) -> None:
    site = Path(config.site_dir)
    before = {p.name: p.stat().st_size for p in site.glob("assets/stylesheets/*.min.css")}
    for old, new in purge_site(site).items():
        size = (site / "assets" / "stylesheets" / new).stat().st_size
        log.debug("lean_css: %s -> %s (%d -> %d bytes)", old, new, before[old], size)
