"""Make every id on the one-page print version unique, and every link on it resolve.

mkdocs-print-site-plugin combines the pages into ``print_page/`` and prefixes
heading ids with the page's key, but not every id (footnote back-references
among them), so notes from different chapters collide and some links point
nowhere. This hook runs after the build and finishes the job with lxml: every
id inside a page's section gets the page's key as prefix, and every in-page
link that no longer resolves is pointed at the prefixed id.
"""

from __future__ import annotations

from pathlib import Path

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
    tree = lxml_html.parse(str(path))
    unresolved = make_links_resolve(tree.getroot())
    if unresolved:
        raise PluginError(f"print_page: {len(unresolved)} link(s) still resolve to no id, e.g. {unresolved[:3]}")
    path.write_bytes(lxml_html.tostring(tree, doctype="<!doctype html>", encoding="utf-8"))


def link_outside_print_page(target: str) -> str | None:
    """A link the plugin made in-page to a page left out of the print page, sent back to that page."""
    keys = [k for k in _page_urls if target == k or target.startswith(k + "-")]
    if not keys:
        return None
    key = max(keys, key=len)
    fragment = target[len(key) + 1:]
    return "../" + _page_urls[key] + (f"#{fragment}" if fragment else "")


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
    unresolved = []
    for section in page_sections(root):
        key = section.get("id")
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
