"""A page's citation notes, written as finished HTML.

Each citation block (``[@a, 12; @b]``) is one note: one superscript number
where the citation stands, and a note holding a short citation of every work
in the block, each linked to its full entry on the Sources page. Notes are
numbered in reading order; a block cited twice is two notes, as in print.

The markup is the markup Python-Markdown's footnotes extension writes (the
same ids, classes, numbering and back-references), so the print page and every
reader of the site see ordinary footnotes. The plugin writes it itself because
the notes are already-formatted HTML: sending some 900 note markers and notes
through Markdown's inline parser cost more than formatting every citation with
pandoc.
"""

from __future__ import annotations

from html import escape

# The footnotes extension's BACKLINK_TITLE, set to one title for every note so the notes compress well.
BACKLINK_TITLE = "Back to the text"

SOURCES_LINK = '<a class="cite-sources" href="#ref-'


class PageNotes:
    """Notes for one page, numbered in order of citation."""

    def __init__(self, id_format: str):
        self.id_format = id_format
        self.blocks: list[str] = []  # the citation block of note n at index n - 1

    def marker(self, block: str) -> str:
        """The superscript number for one citation block: a new note."""
        self.blocks.append(block)
        number = len(self.blocks)
        note = self._note_id(number)
        return f'<sup id="fnref:{note}"><a class="footnote-ref" href="#fn:{note}">{number}</a></sup>'

    def html(self, note_text: dict[str, str], sources_href: str) -> str:
        """The notes list: each block's short citations, linked to the Sources page, and a back-link."""
        items = []
        for number, block in enumerate(self.blocks, start=1):
            note = self._note_id(number)
            text = note_text[block].replace(SOURCES_LINK, f'<a class="cite-sources" href="{escape(sources_href)}#ref-')
            backref = f'<a class="footnote-backref" href="#fnref:{note}" title="{BACKLINK_TITLE}">&#8617;</a>'
            items.append(f'<li id="fn:{note}">\n<p>{text}&#160;{backref}</p>\n</li>')
        return '<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"

    def _note_id(self, number: int) -> str:
        return self.id_format.format(number=number)
