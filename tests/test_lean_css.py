"""The theme's style sheets lose only the rules no built page can match (hooks/lean_css.py)."""

from __future__ import annotations

from cmc_essay.lean_css import Usage, purge, purge_site

PAGE = '<body dir="ltr" data-md-color-scheme="default"><div class="md-typeset admonition info"><p class="x">t</p></div></body>'
SCRIPT = 'el.classList.add("js");n.className="md-search-result__item";var note=1;'


def usage() -> Usage:
    found = Usage()
    found.add_html(PAGE)
    found.words.update(["md-search-result__item", "note", "code"])
    found.classes.add("js")
    return found


def test_rules_for_classes_in_pages_or_named_by_scripts_are_kept():
    css = (".md-typeset .admonition{a:1}.md-search-result__item{b:2}.js .md-typeset{c:3}"
           "[dir=ltr] .info{d:4}[data-md-color-scheme=default]{e:5}")
    assert purge(css, usage()) == css


def test_rules_nothing_can_match_are_dropped():
    css = (".md-typeset .note{a:1}.tabbed-set{b:2}[dir=rtl] .info{c:3}[data-md-color-primary=red]{d:4}"
           "@media screen{.md-version{e:5}}.code{f:6}")
    assert purge(css, usage()) == ""


def test_only_the_alternatives_nothing_matches_leave_an_is_list():
    css = ".md-typeset :is(.info,.note,.warning)>p,.md-typeset :is(.note,.tip){a:1}.x:not(.never){b:2}"
    assert purge(css, usage()) == ".md-typeset :is(.info)>p{a:1}.x:not(.never){b:2}"


def test_custom_properties_nothing_reads_are_dropped_and_at_rules_kept():
    css = ('@charset "UTF-8";:root{--read:1;--unread:url("data:image/svg+xml;charset=utf-8,<svg/>")}'
           ".x{color:var(--read)}@keyframes spin{0%{a:1}}/*# sourceMappingURL=main.css.map*/")
    assert purge(css, usage()) == '@charset "UTF-8";:root{--read:1}.x{color:var(--read)}@keyframes spin{0%{a:1}}'


def test_a_purged_site_links_every_page_to_the_renamed_sheet(tmp_path):
    sheets = tmp_path / "assets" / "stylesheets"
    sheets.mkdir(parents=True)
    (sheets / "main.0000.min.css").write_text(".x{a:1}.unused{b:2}", encoding="utf-8")
    (sheets / "main.0000.min.css.map").write_text("{}", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="assets/stylesheets/main.0000.min.css"><p class="x">t</p>', encoding="utf-8")
    renamed = purge_site(tmp_path)
    new = renamed["main.0000.min.css"]
    assert new != "main.0000.min.css" and [p.name for p in sheets.iterdir()] == [new]
    assert (sheets / new).read_text(encoding="utf-8") == ".x{a:1}"
    assert f"assets/stylesheets/{new}" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_the_built_sheets_keep_the_rules_the_pages_use(built):
    sheets = list((built.root / "assets" / "stylesheets").glob("main.*.min.css"))
    assert len(sheets) == 1 and not list(sheets[0].parent.glob("*.map"))
    css = sheets[0].read_text(encoding="utf-8")
    for selector in (".md-header", ".md-typeset .admonition", ".md-typeset details", ".md-search-result__item",
                     ".md-typeset .footnote", "[data-md-color-scheme=slate]"):
        assert selector in css + (sheets[0].parent / next(
            p.name for p in sheets[0].parent.glob("palette.*.min.css"))).read_text(encoding="utf-8"), selector
    for unused in ("[dir=rtl]", ".tabbed-set", "--md-admonition-icon--bug", ".md-typeset .bug"):
        assert unused not in css, unused


def test_print_site_assets_load_on_the_print_page_only(built):
    assert "css/print-site.css" in (built.root / "print_page" / "index.html").read_text(encoding="utf-8")
    for rel in built.page_paths():
        if not rel.startswith("print_page/"):
            html = (built.root / rel).read_text(encoding="utf-8")
            assert "print-site.css" not in html and "print-site.js" not in html, rel
