"""What a citation of the taxonomy, an entry or a case says, as one record: the cite blocks, the citation meta tags
of a page's head and its JSON-LD are all made from it, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from . import pages
from .escaping import one_line
from .model import Case, Entry, Taxonomy
from .urls import absolute, edition_url

LANGUAGE = "en"
UNRELEASED = "not yet released"


@dataclass(frozen=True)
class Record:
    """One citable page: what it is, who made it, which released edition holds it, and where it lives."""

    title: str
    description: str
    author: str
    """The contributors, cited as one group (the taxonomy's ideas are the source post's author's; see the page)."""
    container: str | None
    """The work the page is part of (the taxonomy's title); None for the taxonomy as a whole."""
    publisher: str
    version: str | None
    """The released edition that holds the page; None while no release holds it."""
    date: str | None
    """The release date of that edition (YYYY-MM-DD)."""
    first_date: str | None
    """The release date of the edition that first published the page."""
    url: str
    """The current permalink."""
    edition_url: str | None
    """The page's address in its frozen edition; None while its version has no stored edition."""

    @property
    def year(self) -> str:
        """The year of the cited edition, or 'n.d.' for an unreleased page."""
        return self.date[:4] if self.date else "n.d."

    @property
    def edition(self) -> str:
        """The edition as a citation names it: 'edition 0.2.0, 2027-01-05', or 'not yet released'."""
        return f"edition {self.version}, {self.date}" if self.version and self.date else UNRELEASED


def contributors(taxonomy: Taxonomy) -> str:
    """The author of every citation: the taxonomy's contributors as a group."""
    return f"{taxonomy.meta.title} contributors"


def _release_date(taxonomy: Taxonomy, version: str | None) -> str | None:
    return next((r.date for r in taxonomy.releases if r.version == version and r.released), None)


def entry_version(taxonomy: Taxonomy, entry: Entry) -> str | None:
    """The released edition a citation of the entry names (the current one), or None while no release holds it."""
    return taxonomy.meta.version if taxonomy.history(entry.id)[0] is not None else None


def case_first_version(taxonomy: Taxonomy, case: Case) -> str | None:
    """The first released edition that lists the case under 'added', or None (no release records it yet)."""
    return next((r.version for r in taxonomy.releases if r.released and case.id in r.added_cases), None)


def _frozen(taxonomy: Taxonomy, version: str | None) -> bool:
    """Whether `version` has a stored edition (its release records the commit `make freeze` built): only then does
    a citation print the edition's address, which otherwise would not resolve."""
    return version is not None and any(r.version == version and r.commit for r in taxonomy.releases)


def _record(taxonomy: Taxonomy, title: str, description: str, path: str, first: str | None) -> Record:
    version = taxonomy.meta.version if first is not None else None
    return Record(
        title=one_line(title), description=one_line(description), author=contributors(taxonomy),
        container=one_line(taxonomy.meta.title), publisher=contributors(taxonomy), version=version,
        date=_release_date(taxonomy, version), first_date=_release_date(taxonomy, first),
        url=absolute(taxonomy.meta.site_url, path),
        edition_url=edition_url(taxonomy.meta.site_url, version, path) if version and _frozen(taxonomy, version)
        else None)


def entry_record(taxonomy: Taxonomy, entry: Entry) -> Record:
    """The citation record of an entry page."""
    return _record(taxonomy, entry.title, entry.summary, pages.ENTRY.path_of(entry.id), taxonomy.history(entry.id)[0])


def case_record(taxonomy: Taxonomy, case: Case) -> Record:
    """The citation record of a worked case's page."""
    return _record(taxonomy, case.title, case.summary, pages.CASE.path_of(case.id), case_first_version(taxonomy, case))


def whole_record(taxonomy: Taxonomy) -> Record:
    """The citation record of the taxonomy as a whole (its home page)."""
    released = [r for r in taxonomy.releases if r.released]
    version = taxonomy.meta.version if released else None
    return Record(
        title=one_line(taxonomy.meta.title), description="", author=contributors(taxonomy), container=None,
        publisher=contributors(taxonomy), version=version, date=_release_date(taxonomy, version),
        first_date=released[0].date if released else None, url=absolute(taxonomy.meta.site_url, pages.HOME.path),
        edition_url=edition_url(taxonomy.meta.site_url, version, pages.HOME.path)
        if version and _frozen(taxonomy, version) else None)


def text(record: Record, accessed: str | None = None, anchor: str = "") -> str:
    """A plain-text citation: authors, year, title, the work and edition it is in, the edition's address (once frozen
    editions are published) and the current permalink, and the access date if given."""
    fragment = f"#{anchor}" if anchor else ""
    where = f"{record.edition_url}{fragment} (current version: {record.url}{fragment})" if record.edition_url \
        else f"{record.url}{fragment}"
    when = f" (accessed {accessed})" if accessed else ""
    if record.container is None:
        return f"{record.author} ({record.year}). {record.title}, {record.edition}. {where}{when}."
    return (f"{record.author} ({record.year}). \"{record.title}.\" In {record.container}, {record.edition}. "
            f"{where}{when}.")


def _slashed(date: str) -> str:
    """A date as Highwire Press tags write it: 2026/11/26."""
    return date.replace("-", "/")


def meta_tags(record: Record) -> list[tuple[str, str]]:
    """The citation meta tags of a page's head, as (name, content): Highwire Press tags, which Zotero's Embedded
    Metadata translator and Google Scholar read (a book title makes the page a book section), then Dublin Core.
    Dates are left out while no release holds the page. Values are plain text; the template escapes them."""
    tags = [("citation_title", record.title), ("citation_author", record.author)]
    if record.container is not None:
        tags += [("citation_book_title", record.container), ("citation_inbook_title", record.container)]
    if record.date:
        tags.append(("citation_publication_date", _slashed(record.date)))
    if record.first_date:
        tags.append(("citation_online_date", _slashed(record.first_date)))
    tags += [("citation_publisher", record.publisher), ("citation_public_url", record.url),
             ("citation_language", LANGUAGE)]
    tags += [("DC.title", record.title), ("DC.creator", record.author), ("DC.publisher", record.publisher),
             ("DC.identifier", record.url), ("DC.language", LANGUAGE)]
    if record.date:
        tags.append(("DC.date", record.date))
    if record.container is not None:
        tags.append(("DC.relation.ispartof", record.container))
    if record.version:
        tags.append(("DC.hasVersion", record.version))
    return tags


def json_ld_part_of(taxonomy: Taxonomy, record: Record) -> dict[str, str]:
    """schema.org's description of the taxonomy a page is part of: its version and date only once released."""
    overview = absolute(taxonomy.meta.site_url, pages.OVERVIEW.path)
    data = {"@type": "DefinedTermSet", "@id": overview, "name": taxonomy.meta.title, "url": overview}
    if record.version and record.date:
        data |= {"version": record.version, "datePublished": record.date}
    return data
