"""Chapter and reference-page front matter as a citation record: checked, and
turned into "cite this page" strings and the metadata reference managers read.

Engine-free: hooks/page_metadata.py sets it under MkDocs, the Markdown
extension (``cmc_essay.extension``) under Zensical.

Each chapter's (and each reference page's, CITABLE_REFERENCE_PAGES) front matter must have ``title``, ``description``, ``date``
(first published) and ``updated`` (last reviewed), as ISO dates. They are
checked here (a missing or malformed field fails the build, naming the file)
and made into the record each engine's adapter sets as ``page.meta["record"]``
for ``overrides/main.html``, which renders the head metadata and the "cite
this page" block from it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cmc_essay.errors import EssayBuildError

from cmc_essay.lint.context import load_config

REQUIRED = ("title", "description", "date", "updated")
MONTHS_MLA = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


# Reference pages readers cite as well as the chapters; they carry the same front matter.
CITABLE_REFERENCE_PAGES = ("reference/timeline.md", "reference/people.md", "reference/glossary.md", "reference/sources.md")


def citable_pages(root: Path) -> list[str]:
    """The pages that carry "cite this page" and citation metadata: the chapters and the reference pages."""
    return [*load_config(root).chapters, *CITABLE_REFERENCE_PAGES]


def citation_record(meta: dict, src_uri: str, url: str, *, author: str, site: str, site_url: str) -> dict:
    """The page as a work to cite; raises EssayBuildError naming the file on bad front matter."""
    for field in REQUIRED:
        if not meta.get(field):
            raise EssayBuildError(f"docs/{src_uri}: front matter lacks '{field}' (a chapter needs {', '.join(REQUIRED)})")
    published, updated = as_date(meta["date"], src_uri, "date"), as_date(meta["updated"], src_uri, "updated")
    if updated < published:
        raise EssayBuildError(f"docs/{src_uri}: front matter 'updated' ({updated}) is before 'date' ({published})")
    title = meta["title"]
    slug = src_uri.removesuffix(".md").replace("/", "-")
    record = {
        "title": title,
        "author": author,
        "site": site,
        "url": url,
        "description": meta["description"].strip(),
        "published": published.isoformat(),
        "updated": updated.isoformat(),
        "updated_text": f"{updated.day} {updated:%B %Y}",
        "chicago": (
            f"{author}. {published.year}. “{title}.” <em>{site}</em>. "
            f"Last modified {updated:%B} {updated.day}, {updated.year}. {url}."
        ),
        "mla": (
            f"“{title}.” <em>{site}</em>, {author}, "
            f"{updated.day} {MONTHS_MLA[updated.month - 1]} {updated.year}, {url.removeprefix('https://')}."
        ),
        "apa": (
            f"{author}. ({published.year}, {published:%B} {published.day}). <em>{title}</em>. {site}. {url}"
        ),
        "bibtex": (
            f"@online{{cmc_essay_{slug.replace('-', '_')},\n"
            f"  author       = {{{{{author}}}}},\n"
            f"  title        = {{{title}}},\n"
            f"  organization = {{{site}}},\n"
            f"  date         = {{{published.isoformat()}}},\n"
            f"  urldate      = {{{dt.date.today().isoformat()}}},\n"
            f"  url          = {{{url}}}\n"
            f"}}"
        ),
    }
    record["jsonld"] = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle",
            "headline": title,
            "name": title,
            "description": record["description"],
            "author": {"@type": "Organization", "name": author},
            "publisher": {"@type": "Organization", "name": author},
            "datePublished": record["published"],
            "dateModified": record["updated"],
            "inLanguage": "en",
            "url": url,
            "isPartOf": {"@type": "WebSite", "name": site, "url": site_url},
            "license": "https://creativecommons.org/licenses/by/4.0/",
        },
        ensure_ascii=False,
    )
    return record


def as_date(value, src_uri: str, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise EssayBuildError(f"docs/{src_uri}: front matter '{field}' must be an ISO date such as 2026-11-25, not {value!r}") from error
