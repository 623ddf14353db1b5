"""Page addresses from source paths, computed as MkDocs computes them, for either engine."""

from __future__ import annotations

import posixpath


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The address of the page built from ``src_uri`` ("origins.md" -> "origins/"; "index.md" -> "./")."""
    stem, _ = posixpath.splitext(src_uri)
    if not use_directory_urls:
        return stem + ".html"
    directory, name = posixpath.split(stem)
    if name == "index":
        return directory + "/" if directory else "./"
    return stem + "/"


def relative_url(url: str, other: str) -> str:
    """``url`` relative to the page at ``other``, as ``mkdocs.utils.get_relative_url`` gives it."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _parts(other), _parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts):
        if a != b:
            break
        common += 1
    relurl = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return relurl + "/" if url.endswith("/") else relurl


def _parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path)[1:]
    return path.split("/") if path else []
