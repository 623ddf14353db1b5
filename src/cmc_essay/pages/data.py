"""Pages generated from data: the timeline (data/timeline.yml) and the people
(data/people.yml), rendered into Markdown where a page holds the marker
``<!-- data_pages: timeline -->`` or ``<!-- data_pages: people -->``.

Engine-free: MkDocs runs it from hooks/data_pages.py, Zensical from the
Markdown extension (``cmc_essay.extension``). Runs before the citations are
rendered, so the events' ``[@key]`` citations render
like any other. A malformed or uncited entry fails the build with the file,
line and what to do. Each chapter also gets, at its end, the list of timeline
events that point to it, so chapters link to the timeline and back.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader
from cmc_essay.errors import EssayBuildError
from cmc_essay.lint.context import load_config

PHASES = {
    "background": "Background, 1959–1961",
    "build-up": "The build-up, January to 13 October 1962",
    "thirteen-days": "The thirteen days, 14–28 October 1962",
    "november": "The November crisis, 29 October to December 1962",
    "aftermath": "Aftermath, 1963",
}
SIDES = ("United States", "Soviet Union", "Cuba", "United Nations", "Other")
CITATION = re.compile(r"\[[^\[\]]*@[\w-]+[^\[\]]*\]")
MARKER = re.compile(r"<!-- data_pages: (timeline|people) -->")
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=False,
                        trim_blocks=True, lstrip_blocks=True)


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of each mapping, so errors can name it."""


def _mapping_with_line(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def expand_data_pages(markdown: str, root: Path, page_uri: str) -> str:
    """A page's Markdown with its data marker rendered and, for a chapter, its timeline events appended."""
    match = MARKER.search(markdown)
    if match:
        kind = match.group(1)
        rendered = render_timeline(root, page_uri) if kind == "timeline" else render_people(root, page_uri)
        markdown = markdown.replace(match.group(0), rendered)
    events = [e for e in load_timeline(root) if e.get("chapter", "").split("#")[0] == page_uri]
    if events:
        markdown = markdown.rstrip() + "\n\n" + TEMPLATES.get_template("chapter_events.md.j2").render(
            events=events, timeline=_relative(page_uri, "reference/timeline.md")) + "\n"
    return markdown


def load_timeline(root: Path) -> list[dict]:
    path = root / "data" / "timeline.yml"
    events = _load_list(path)
    for event in events:
        where = f"data/timeline.yml:{event['__line__']}"
        for field in ("date", "phase", "title", "text", "cite"):
            if not event.get(field):
                raise EssayBuildError(f"{where}: event lacks '{field}'; every event needs date, phase, title, text and cite")
        date = str(event["date"])
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", date):
            raise EssayBuildError(f"{where}: date {date!r} must be YYYY-MM-DD (or YYYY-MM for a month)")
        if not "1959" <= date[:4] <= "1963":
            raise EssayBuildError(f"{where}: date {date} is outside 1959–1963")
        if event["phase"] not in PHASES:
            raise EssayBuildError(f"{where}: phase {event['phase']!r} must be one of {', '.join(PHASES)}")
        if not CITATION.fullmatch(str(event["cite"]).strip()):
            raise EssayBuildError(f"{where}: cite must be a pandoc citation such as \"[@key, 45]\", not {event['cite']!r}")
        event["date"] = date
        event["id"] = "e-" + date + "-" + _slug(event["title"])[:40].rstrip("-")
        event["date_text"] = _date_text(date)
    ids = [e["id"] for e in events]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise EssayBuildError(f"data/timeline.yml: two events share the id {sorted(duplicates)[0]}; give them different titles")
    return sorted(events, key=lambda e: e["date"])


def render_timeline(root: Path, page_uri: str) -> str:
    events = load_timeline(root)
    phases = [(key, title, [e for e in events if e["phase"] == key]) for key, title in PHASES.items()]
    for event in events:
        if event.get("chapter"):
            event["chapter_link"] = _relative(page_uri, event["chapter"])
    return TEMPLATES.get_template("timeline.md.j2").render(phases=[p for p in phases if p[2]])


def render_people(root: Path, page_uri: str) -> str:
    people = _load_list(root / "data" / "people.yml")
    chapters = _chapters(root)
    for person in people:
        where = f"data/people.yml:{person['__line__']}"
        for field in ("name", "sort", "side", "office", "note", "cite"):
            if not person.get(field):
                raise EssayBuildError(f"{where}: person lacks '{field}'; every person needs name, sort, side, office, note and cite")
        if person["side"] not in SIDES:
            raise EssayBuildError(f"{where}: side {person['side']!r} must be one of {', '.join(SIDES)}")
        if not CITATION.fullmatch(str(person["cite"]).strip()):
            raise EssayBuildError(f"{where}: cite must be a pandoc citation such as \"[@key]\"")
        person["id"] = "p-" + _slug(person["name"])
        person["appears"] = [
            (_relative(page_uri, uri), title) for uri, title, text in chapters
            if re.search(rf"\b{re.escape(person['sort'])}\b", text)
        ]
    groups = [(side, sorted((p for p in people if p["side"] == side), key=lambda p: p["sort"])) for side in SIDES]
    return TEMPLATES.get_template("people.md.j2").render(groups=[g for g in groups if g[1]])


def _chapters(root: Path) -> list[tuple[str, str, str]]:
    names = load_config(root).chapters
    out = []
    for name in names:
        path = root / "docs" / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            title = re.search(r"^title:\s*(.+)$", text, re.M)
            out.append((name, title.group(1).strip() if title else name, text))
    return out


_loaded: dict[tuple[Path, float], list[dict]] = {}


def _load_list(path: Path) -> list[dict]:
    """The YAML list in ``path``, parsed once per version of the file."""
    if path.exists():
        key = (path, path.stat().st_mtime)
        if key not in _loaded:
            _loaded.clear() if len(_loaded) > 8 else None
            _loaded[key] = _parse_list(path)
        return [dict(entry) for entry in _loaded[key]]
    return _parse_list(path)


def _parse_list(path: Path) -> list[dict]:
    rel = path.relative_to(path.parent.parent).as_posix()
    if not path.exists():
        raise EssayBuildError(f"{rel}: file not found")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise EssayBuildError(f"{rel}:{line}: not valid YAML ({getattr(error, 'problem', error)})") from error
    if not isinstance(data, list):
        raise EssayBuildError(f"{rel}: must be a YAML list of entries")
    return data


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _date_text(date: str) -> str:
    if len(date) == 7:
        return dt.date.fromisoformat(date + "-01").strftime("%B %Y")
    day = dt.date.fromisoformat(date)
    return f"{day.day} {day:%B %Y}"


def _relative(from_uri: str, to: str) -> str:
    import posixpath

    path, _, fragment = to.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(from_uri) or ".")
    return rel + ("#" + fragment if fragment else "")
