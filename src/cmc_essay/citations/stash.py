"""Tokens that stand for citation HTML until pandoc has finished.

The plugin writes a short token where a citation, a page's notes or a Sources
list belongs. Markdown passes the token through as plain text, and the plugin
swaps each token for its HTML just before the page is indexed and written.
Two things follow:

- the formatted HTML, which pandoc has already finished (curly quotes, links,
  escapes), is never scanned by Markdown's inline patterns, which on this site
  cost more than formatting every citation;
- pages are converted while pandoc is still running in the background, so a
  build without a citation cache does not wait for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mkdocs.exceptions import PluginError

# Private-use characters: nothing an author types, nothing Markdown changes.
OPEN, CLOSE = "\ue000", "\ue001"


class DeferredHtml:
    """Tokens for HTML written later, and the means to put the HTML in their place.

    ``kind`` (a letter) keeps the tokens of two instances apart, so that each
    can be resolved at its own moment.
    """

    def __init__(self, kind: str):
        self.kind = kind
        self.pattern = re.compile(f"{OPEN}{kind}(\\d+){CLOSE}")
        self._makers: list[Callable[[], str]] = []
        self._made: dict[int, str] = {}

    def token(self, make: Callable[[], str]) -> str:
        """A token for the HTML ``make()`` will return once the citations are formatted."""
        self._makers.append(make)
        return f"{OPEN}{self.kind}{len(self._makers) - 1}{CLOSE}"

    def resolve(self, text: str) -> str:
        """``text`` with every token of this kind replaced by its HTML."""
        return self.pattern.sub(lambda match: self._html(int(match.group(1))), text)

    def unresolved(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def _html(self, number: int) -> str:
        if number not in self._made:
            self._made[number] = self._makers[number]()
        return self._made[number]


def refuse_tokens_in(text: str, where: str) -> None:
    """A page must not contain the token characters itself."""
    for char in (OPEN, CLOSE):
        position = text.find(char)
        if position >= 0:
            line = text.count("\n", 0, position) + 1
            raise PluginError(
                f"{where}:{line}: the private-use character U+{ord(char):04X} is reserved for "
                "citations; delete it from the page."
            )
