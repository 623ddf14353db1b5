"""The theme's style sheets without the rules no page of the site can match.

Material for MkDocs ships one style sheet for every feature it has (code
blocks, content tabs, grids, right-to-left text, every admonition icon, every
colour palette); this site uses a few. After the build, each rule is kept
unless one of its selectors' class names, or one of its attribute values
(``[dir=rtl]``, ``[data-md-color-primary=red]``), appears nowhere in the
built pages or scripts: a class the theme's script adds at run time is named
in its source (``md-search-result__item``), so a rule for it stays; a plain
word in a script (``note``, ``code``) does not count, being no sign of a class. Custom properties no style sheet,
page or script reads are dropped too (most are inline SVG icons).

Only what a selector requires is checked: an ``:is()`` or ``:where()``
alternative nothing matches is dropped from the list (the selector with it,
if none is left); classes inside ``:not()`` and ``:has()`` never cause a rule
to be dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
ATTRIBUTE_VALUE = re.compile(r"\[(dir|data-md-color-(?:primary|accent|scheme))=[\"']?([\w-]+)[\"']?\]")
HTML_CLASS = re.compile(r'class="([^"]*)"')
HTML_ATTRIBUTE = re.compile(r'\b(dir|data-md-color-(?:primary|accent|scheme))="([\w-]+)"')
WORD = re.compile(r"[\w-]+")
CLASS_LIST = re.compile(r"classList\.(?:add|toggle)\(([^()]*)\)")
INLINE_CODE = re.compile(r"<script\b[^>]*>(.*?)</script>|\bstyle=\"([^\"]*)\"", re.S)
CUSTOM_PROPERTY = re.compile(r"^\s*(--[\w-]+)\s*:")
ALTERNATIVES = re.compile(r":(?:is|where)\(")
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
# At-rules whose blocks hold rules (the rest, @font-face, @keyframes, @page, are kept whole).
GROUPING = ("@media", "@supports", "@layer", "@container")


@dataclass
class Usage:
    """What the built site can match: classes in pages, words in scripts, attribute values."""

    classes: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of_site(cls, site: Path) -> "Usage":
        usage = cls()
        for page in site.rglob("*.html"):
            usage.add_html(page.read_text(encoding="utf-8", errors="replace"))
        for script in site.rglob("*.js"):
            code = script.read_text(encoding="utf-8", errors="replace")
            usage.words.update(WORD.findall(code))
            for names in CLASS_LIST.findall(code):  # classList.add("js"): a class, however plain its name
                usage.classes.update(re.findall(r"[\"']([\w-]+)[\"']", names))
        return usage

    def add_html(self, html: str) -> None:
        for names in HTML_CLASS.findall(html):
            self.classes.update(names.split())
        self.attributes.update(HTML_ATTRIBUTE.findall(html))
        for script, style in INLINE_CODE.findall(html):  # inline scripts and style attributes
            self.words.update(WORD.findall(script + " " + style))

    def has_class(self, name: str) -> bool:
        """In a page, or named in a script; a script's plain words (note, tip, code) are too common to count."""
        return name in self.classes or (name in self.words and ("-" in name or "_" in name))

    def can_match(self, selector: str) -> bool:
        return self.reduce(selector) is not None

    def reduce(self, selector: str) -> str | None:
        """The selector without the ``:is()``/``:where()`` alternatives nothing matches; None if nothing can match it."""
        out, i = [], 0
        while i < len(selector):
            alternatives = ALTERNATIVES.match(selector, i)
            if alternatives:
                end = _closing(selector, alternatives.end() - 1)
                kept = [r for r in (self.reduce(a) for a in _split(selector[alternatives.end():end], ",")) if r is not None]
                if not kept:
                    return None
                out.append(alternatives.group(0) + ",".join(kept) + ")")
                i = end + 1
            else:
                out.append(selector[i])
                i += 1
        reduced = "".join(out)
        required = _outside_functions(_without_strings(reduced))
        if any(not self.has_class(name) for name in CLASS.findall(required)):
            return None
        if not all(pair in self.attributes for pair in ATTRIBUTE_VALUE.findall(required)):
            return None
        return reduced


def purge(css: str, usage: Usage, other_sheets: str = "") -> str:
    """``css`` without the rules ``usage`` says nothing matches, nor the custom properties nothing reads.

    ``other_sheets`` is the text of the site's other style sheets, whose ``var()`` count as reads.
    """
    kept = _purge_rules(SOURCE_MAP.sub("", css), usage)
    return _drop_unread_properties(kept, usage, read_properties(kept + other_sheets))


def read_properties(css: str) -> set[str]:
    return set(re.findall(r"var\(\s*(--[\w-]+)", css))


def purge_site(site: Path, pattern: str = "assets/stylesheets/*.min.css") -> dict[str, str]:
    """Purge the theme's style sheets in a built site in place, renamed by their new content.

    Every page's link is rewritten to the new name; returns {old name: new name}.
    """
    usage = Usage.of_site(site)
    sheets = sorted(site.glob(pattern))
    rules = {sheet: _purge_rules(SOURCE_MAP.sub("", sheet.read_text(encoding="utf-8")), usage) for sheet in sheets}
    others = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.css") if p not in rules)
    read = read_properties("".join(rules.values()) + others)
    renamed = {}
    for sheet in sheets:
        lean = _drop_unread_properties(rules[sheet], usage, read)
        stem = sheet.name.split(".")[0]
        target = sheet.with_name(f"{stem}.{hashlib.sha256(lean.encode()).hexdigest()[:8]}.min.css")
        sheet.unlink()
        sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)
        target.write_text(lean, encoding="utf-8")
        renamed[sheet.name] = target.name
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = text
        for old, name in renamed.items():
            new = new.replace(f"stylesheets/{old}", f"stylesheets/{name}")
        if new != text:
            page.write_text(new, encoding="utf-8")
    return renamed


def _purge_rules(css: str, usage: Usage) -> str:
    out = []
    for prelude, body in _rules(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(GROUPING):
            inner = _purge_rules(body, usage)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            selectors = [r for r in (usage.reduce(s) for s in _split(prelude, ",")) if r is not None]
            if selectors:
                out.append(",".join(selectors) + "{" + body + "}")
    return "".join(out)


def _drop_unread_properties(css: str, usage: Usage, read: set[str]) -> str:
    """``css`` without the declarations of custom properties not in ``read`` and named by no page or script."""
    read = read | {w for w in usage.words if w.startswith("--")}

    def lean(rules: str) -> str:
        out = []
        for prelude, body in _rules(rules):
            if body is None:
                out.append(prelude + ";")
            elif prelude.startswith(GROUPING):
                inner = lean(body)
                if inner:
                    out.append(f"{prelude}{{{inner}}}")
            elif prelude.startswith("@"):
                out.append(f"{prelude}{{{body}}}")
            else:
                declarations = [d for d in _split(body, ";")
                                if not (m := CUSTOM_PROPERTY.match(d)) or m.group(1) in read]
                if any(d.strip() for d in declarations):
                    out.append(prelude + "{" + ";".join(declarations) + "}")
        return "".join(out)

    return lean(css)


def _rules(css: str):
    """(prelude, body) for each top-level rule; body is None for a statement such as @charset."""
    depth, start, quote, i = 0, 0, None, 0
    prelude_end = None
    while i < len(css):
        c = css[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "/" and css.startswith("/*", i):
            i = css.index("*/", i) + 1
        elif c == "{":
            if depth == 0:
                prelude_end = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                yield css[start:prelude_end].strip(), css[prelude_end + 1:i]
                start = i + 1
        elif c == ";" and depth == 0:
            yield css[start:i].strip(), None
            start = i + 1
        i += 1


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets, parentheses and strings."""
    parts, depth, quote, start = [], 0, None, 0
    for i, c in enumerate(text):
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = None
        elif c in "\"'":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _closing(text: str, opening: int) -> int:
    """The index of the parenthesis that closes the one at ``opening``."""
    depth = 0
    for i in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise ValueError(f"unbalanced parenthesis in {text!r}")


def _without_strings(selector: str) -> str:
    return re.sub(r"\"[^\"]*\"|'[^']*'", '""', selector)


def _outside_functions(selector: str) -> str:
    """The selector without the arguments of functional pseudo-classes."""
    out, depth = [], 0
    for c in selector:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)
