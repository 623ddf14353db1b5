"""Every page written without the theme's indentation (logic in cmc_essay/compact_html.py)."""

from __future__ import annotations

from mkdocs.plugins import event_priority

from cmc_essay.compact_html import without_indentation


# After every other on_post_page (the citations write the notes at -90).
@event_priority(-100)
def on_post_page(output: str, /, *, page, config) -> str:
    return without_indentation(output)
