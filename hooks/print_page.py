"""Make every id on the one-page print version unique, and every link on it resolve.

mkdocs-print-site-plugin combines the pages into ``print_page/`` and prefixes
heading ids with the page's key, but not every id (footnote back-references
among them), so notes from different chapters collide and some links point
nowhere. It also copies each page's HTML before the citation plugin has put
the citations and notes in (they are tokens until then; see
``cmc_essay/citations/stash.py``). This hook runs after the build and finishes
the job with lxml: the citations go in, every id inside a page's section gets
the page's key as prefix, every in-page link that no longer resolves is
pointed at the prefixed id, and a link to another page of the print page
becomes a link within it.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html
from mkdocs.exceptions import PluginError

PRINT_PAGE = Path("print_page") / "index.html"
_page_urls: dict[str, str] = {}  # print-site page key -> page URL


def on_files(files, /, *, config):
    from mkdocs_print_site_plugin.urls import get_page_key

    _page_urls.clear()
    for file in files.documentation_pages():
        _page_urls[get_page_key(file.url)] = file.url
    return files


def on_post_build(*, config) -> None:
    path = Path(config.site_dir) / PRINT_PAGE
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    citations = config.plugins.get("essay-citations")
    if citations is not None:
        text = citations.restore_citations(text)
    root = lxml_html.document_fromstring(text)
    unresolved = make_links_resolve(root)
    if unresolved:
        raise PluginError(f"print_page: {len(unresolved)} link(s) still resolve to no id, e.g. {unresolved[:3]}")
    path.write_bytes(lxml_html.tostring(root, doctype="<!doctype html>", encoding="utf-8"))


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
    if href.startswith(("#", "/")) or ":" in href.split("/", 1)[0]:
        return None  # in-page, site-absolute or another scheme (https:, mailto:)
    parts = urlsplit(href)
    if not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_url.rstrip("/") + "/"), parts.path))
    key = keys_by_url.get("" if target == "." else target.strip("/") + "/")
    if key is None:
        return None
    return f"#{key}-{parts.fragment}" if parts.fragment else f"#{key}"


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
