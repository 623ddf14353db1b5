"""Pages lose the theme's indentation and nothing else (hooks/compact_html.py)."""

from __future__ import annotations

from cmc_essay.compact_html import without_indentation


def test_indentation_goes_line_breaks_and_preformatted_text_stay():
    html = (
        "<div>\n    <p>Dobrynin\n      <a href='#x'>cable</a></p>\n"
        "<pre><code>@online{key,\n  author = {A}\n}</code></pre>\n"
        "<code data-style=\"bibtex\">@online{k,\n  title = {T}\n}</code>\n"
        "  <script>\n    var a = 1;\n  </script>\n</div>"
    )
    out = without_indentation(html)
    assert "<div>\n<p>Dobrynin\n<a href='#x'>cable</a></p>" in out
    assert "@online{key,\n  author = {A}\n}" in out and "@online{k,\n  title = {T}\n}" in out
    assert "<script>\n    var a = 1;\n  </script>" in out


def test_the_built_pages_carry_no_indentation_outside_preformatted_text(built):
    page = (built.root / "thirteen-days" / "index.html").read_text(encoding="utf-8")
    assert without_indentation(page) == page
