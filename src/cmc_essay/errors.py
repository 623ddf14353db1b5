"""The one error the essay's build code raises for bad input.

Its message names the file, the line where there is one, and what to do. The
code that raises it runs under either engine; each engine's adapter (the
MkDocs plugin and hooks, the Markdown extension for Zensical) turns it into
that engine's own build failure.
"""


class EssayBuildError(Exception):
    """Bad input that must fail the build: the message says where and what to do."""
