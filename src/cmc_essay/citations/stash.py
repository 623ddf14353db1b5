"""Placeholders that stand for citation HTML until the page is written.

The plugin writes a token (two private-use characters round a number) where a
citation, a page's notes or a Sources entry belongs. Markdown passes it
through as plain text; once the page is HTML the token becomes an empty
placeholder element (``<span data-essay-html="12"></span>``), in which the
search plugin finds no text; and as the page is written the plugin swaps each
placeholder for its HTML. Three things follow:

- the formatted HTML, which pandoc has already finished (curly quotes, links,
  escapes), is never scanned by Markdown's inline patterns, which on this site
  cost more than formatting every citation;
- pages are converted while pandoc is still running in the background, so a
  build without a citation cache hardly waits for it;
- the search index holds the essay's prose, not note numbers and references
  (the Sources page, where every reference is, is indexed as usual).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cmc_essay.errors import EssayBuildError

# Private-use characters: nothing an author types, nothing Markdown changes.
OPEN, CLOSE = "\ue000", "\ue001"
# A token alone in a paragraph stands for a block (a page's notes).
TOKEN = re.compile(f"(<p>)?{OPEN}(\\d+){CLOSE}(?(1)</p>)")
ATTRIBUTE = "data-essay-html"
PLACEHOLDER = re.compile(f'<(span|div) {ATTRIBUTE}="(\\d+)"></\\1>')


class DeferredHtml:
    """Placeholders for HTML written later, and the means to put the HTML in their place."""

    def __init__(self):
        self._makers: list[Callable[[], str]] = []
        self._made: dict[int, str] = {}

    def token(self, make: Callable[[], str]) -> str:
        """A token, for Markdown, standing for the HTML ``make()`` returns later.

        Put a block's token in a paragraph of its own.
        """
        self._makers.append(make)
        return f"{OPEN}{len(self._makers) - 1}{CLOSE}"

    @staticmethod
    def placeholders(html: str) -> str:
        """Markdown's output with each token turned into an empty placeholder element."""
        return TOKEN.sub(
            lambda m: f'<{"div" if m.group(1) else "span"} {ATTRIBUTE}="{m.group(2)}"></{"div" if m.group(1) else "span"}>',
            html,
        )

    def resolve(self, text: str, adapt: Callable[[int, str], str] | None = None) -> str:
        """``text`` with every placeholder replaced by its HTML.

        ``adapt(offset, html)``, if given, changes each placeholder's HTML for
        where it stands in ``text`` (the print page rewrites its links).
        """
        adapt = adapt or (lambda _offset, html: html)
        return PLACEHOLDER.sub(lambda match: adapt(match.start(), self._html(int(match.group(2)))), text)

    def _html(self, number: int) -> str:
        if number not in self._made:
            self._made[number] = self._makers[number]()
        return self._made[number]


def unresolved(text: str) -> bool:
    return ATTRIBUTE in text or OPEN in text


def refuse_placeholders_in(text: str, where: str) -> None:
    """A page must not contain the token characters or the placeholder attribute itself."""
    for reserved in (OPEN, CLOSE, ATTRIBUTE):
        position = text.find(reserved)
        if position >= 0:
            line = text.count("\n", 0, position) + 1
            raise EssayBuildError(
                f"{where}:{line}: {reserved.encode('ascii', 'backslashreplace').decode()} is reserved for "
                "the citation plugin; delete it from the page."
            )
