"""A page's citation notes, written as finished HTML.

The markup is the markup Python-Markdown's footnotes extension writes (the
same ids, classes, numbering and back-references), so the theme's footnote
tooltips, the print page and every reader of the site see no difference. The
plugin writes it itself because the notes are already-formatted HTML: sending
some 1,200 note markers and 450 notes through Markdown's inline parser cost
more than formatting every citation with pandoc.
"""

from __future__ import annotations

from html import escape


class PageNotes:
    """Notes for one page, numbered in order of first citation."""

    def __init__(self, id_format: str):
        self.id_format = id_format
        self.numbers: dict[str, int] = {}
        self.uses: dict[str, int] = {}

    def marker(self, key: str) -> str:
        """The superscript number for one citation of ``key``; each use gets its own id."""
        number = self.numbers.setdefault(key, len(self.numbers) + 1)
        use = self.uses[key] = self.uses.get(key, 0) + 1
        note = self._note_id(key)
        return (
            f'<sup id="{_ref_id(use, note)}"><a class="footnote-ref" href="#fn:{note}">{number}</a></sup>'
        )

    def html(self, reference: dict[str, str], sources_href: str) -> str:
        """The notes list: each work's full reference, its Sources link and back-links."""
        items = []
        for key, number in self.numbers.items():
            note = self._note_id(key)
            title = escape(f"Jump back to footnote {number} in the text")
            backrefs = "".join(
                f'<a class="footnote-backref" href="#{_ref_id(use, note)}" title="{title}">&#8617;</a>'
                for use in range(1, self.uses[key] + 1)
            )
            sources = (
                f'<a class="cite-sources" href="{escape(sources_href)}#ref-{key}" '
                f'title="This work on the Sources page">Sources</a>'
            )
            items.append(f'<li id="fn:{note}">\n<p>{reference[key]} {sources}&#160;{backrefs}</p>\n</li>')
        return '<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"

    def _note_id(self, key: str) -> str:
        return self.id_format.format(key=key)


def _ref_id(use: int, note: str) -> str:
    return f"fnref:{note}" if use == 1 else f"fnref{use}:{note}"
