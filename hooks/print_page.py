"""Make every id on the one-page print version unique, and every link on it resolve.

mkdocs-print-site-plugin combines the pages into ``print_page/`` and prefixes
heading ids with the page's key, but not every id (footnote back-references
among them), so notes from different chapters collide and some links point
nowhere. It also copies each page's HTML before the citation plugin has put
the citations, notes and Sources lists in (they are placeholders until then;
see ``cmc_essay/citations/stash.py``). This hook runs after the build and
finishes the job: the citations go in, their links rewritten for the print
page (the plugin wrote them relative to their own page); then, with lxml,
every id inside a page's section gets the page's key as prefix, every in-page
link that no longer resolves is pointed at the prefixed id, and a link to
another page of the print page becomes a link within it. The print plugin's
own script and styles, which it adds to every page, are left on the print
page only.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html
from mkdocs.exceptions import PluginError

PRINT_PAGE = Path("print_page") / "index.html"
PRINT_PAGE_DIR = PRINT_PAGE.parent.as_posix()
PAGE_SECTION = re.compile(r'<section class="print-page[^"]*" id="([^"]+)"')
HREF = re.compile(r'(href=")([^"]*)(")')
# What mkdocs-print-site adds to every page (extra_css, extra_javascript) for the print page's sake.
PRINT_ASSETS = {"css/print-site.css", "css/print-site-material.css", "js/print-site.js"}
ASSET_TAG = re.compile(r'<link rel="stylesheet" href="([^"]+)">\s*|<script src="([^"]+)"></script>\s*')
_page_urls: dict[str, str] = {}  # print-site page key -> page URL


def on_files(files, /, *, config):
    from mkdocs_print_site_plugin.urls import get_page_key

    _page_urls.clear()
    for file in files.documentation_pages():
        _page_urls[get_page_key(file.url)] = file.url
    return files


def on_post_page(output: str, /, *, page, config) -> str:
    """The print plugin's script and styles serve the print page only: other pages load none of them."""
    return without_print_assets(output, page.url)


def on_post_template(output: str, /, *, template_name: str, config) -> str:
    """The same for the 404 page (the print plugin reads its context, never its output)."""
    return without_print_assets(output, "") if template_name == "404.html" else output


def without_print_assets(html: str, page_url: str) -> str:
    def drop(match):
        url = match.group(1) or match.group(2)
        target = posixpath.normpath(posixpath.join("/" + page_url, url)).lstrip("/")
        return "" if target in PRINT_ASSETS else match.group(0)

    return ASSET_TAG.sub(drop, html)


def on_post_build(*, config) -> None:
    path = Path(config.site_dir) / PRINT_PAGE
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    citations = config.plugins.get("essay-citations")
    if citations is not None:
        text = citations.restore_citations(text, links_for_print_page(text))
    root = lxml_html.document_fromstring(text)
    unresolved = make_links_resolve(root)
    if unresolved:
        raise PluginError(f"print_page: {len(unresolved)} link(s) still resolve to no id, e.g. {unresolved[:3]}")
    path.write_bytes(lxml_html.tostring(root, doctype="<!doctype html>", encoding="utf-8"))


def links_for_print_page(text: str):
    """For ``restore_citations``: each piece's page-relative links made to work on the print page.

    A piece belongs to the page whose section precedes it in ``text``.
    """
    sections = [(m.start(), m.group(1)) for m in PAGE_SECTION.finditer(text) if not m.group(1).startswith("section-")]
    offsets = [offset for offset, _ in sections]
    keys_by_url = {_page_urls[key]: key for _, key in sections if key in _page_urls}

    def adapt(offset: int, html: str) -> str:
        index = bisect_right(offsets, offset) - 1
        page_url = _page_urls.get(sections[index][1]) if index >= 0 else None
        if page_url is None:
            return html
        return HREF.sub(lambda m: m.group(1) + link_for_print_page(m.group(2), page_url, keys_by_url) + m.group(3), html)

    return adapt


def link_for_print_page(href: str, page_url: str, keys_by_url: dict[str, str]) -> str:
    """A link written on the page at ``page_url``, as it must read on the print page."""
    inside = link_within_print_page(href, page_url, keys_by_url)
    if inside is not None:
        return inside
    target = _site_path(href, page_url)
    if target is None:
        return href
    parts = urlsplit(href)
    relative = posixpath.relpath(target or ".", PRINT_PAGE_DIR) + ("/" if parts.path.endswith("/") else "")
    return relative + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _site_path(href: str, page_url: str) -> str | None:
    """The site path (no leading slash) a page-relative link points at; None if it is not one."""
    if href.startswith(("#", "/")) or ":" in href.split("/", 1)[0]:
        return None  # in-page, site-absolute or another scheme (https:, mailto:)
    path = urlsplit(href).path
    if not path:
        return None
    target = posixpath.normpath(posixpath.join("/" + page_url.rstrip("/"), path))
    return target.lstrip("/")


def link_outside_print_page(target: str) -> str | None:
    """A link the plugin made in-page to a page left out of the print page, sent back to that page."""
    keys = [k for k in _page_urls if target == k or target.startswith(k + "-")]
    if not keys:
        return None
    key = max(keys, key=len)
    fragment = target[len(key) + 1:]
    return "../" + _page_urls[key] + (f"#{fragment}" if fragment else "")


def link_within_print_page(href: str, page_url: str, keys_by_url: dict[str, str]) -> str | None:
    """A page-relative link to a page in the print page, as a link within it (None if not one)."""
    target = _site_path(href, page_url)
    if target is None:
        return None
    key = keys_by_url.get(target + "/" if target else "")
    if key is None:
        return None
    fragment = urlsplit(href).fragment
    return f"#{key}-{fragment}" if fragment else f"#{key}"


def page_sections(root):
    return [s for s in root.xpath('//section[contains(concat(" ", @class, " "), " print-page ")][@id]')
            if not s.get("id").startswith("section-")]


def make_links_resolve(root) -> list[str]:
    """Prefix ids per page section and repair in-page links; return those still broken."""
    for section in page_sections(root):
        key = section.get("id")
        for element in section.iterdescendants():
            anchor = element.get("id")
            if anchor and not anchor.startswith(key + "-"):
                element.set("id", f"{key}-{anchor}")
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    keys_by_url = {url: key for key, url in _page_urls.items() if key in ids}
    unresolved = []
    for section in page_sections(root):
        key = section.get("id")
        for link in section.xpath('.//a[@href]'):
            inside = link_within_print_page(link.get("href"), _page_urls.get(key, ""), keys_by_url)
            if inside is not None:
                link.set("href", inside)
        for link in section.xpath('.//a[starts-with(@href, "#")]'):
            target = link.get("href")[1:]
            if target in ids or not target:
                continue
            if target == "print_page":  # a page's link to the print page itself
                link.set("href", "#print-site-page")
                continue
            if f"{key}-{target}" in ids:
                link.set("href", f"#{key}-{target}")
            elif (outside := link_outside_print_page(target)) is not None:
                link.set("href", outside)
            else:
                unresolved.append(link.get("href"))
    return unresolved
