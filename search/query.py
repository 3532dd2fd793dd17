"""The contract between views and search backends: a request in, a result out.

Views, feeds and any API use only `search()`; a backend (PostgreSQL now, Elasticsearch later)
implements `search(request) -> SearchResult` and the index writes in `search.indexing`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORTS = (SORT_RELEVANCE, SORT_NEWEST)
MAX_TEXT_LENGTH = 200
FACETS = ("type", "theme", "tag", "organisation_type", "year")


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    organisation_types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    sort: str = SORT_RELEVANCE
    page: int = 1
    page_size: int = 10
    reader: Any = None

    def __post_init__(self):
        object.__setattr__(self, "text", " ".join((self.text or "").split())[:MAX_TEXT_LENGTH])
        if self.sort not in SORTS:
            object.__setattr__(self, "sort", SORT_RELEVANCE)
        object.__setattr__(self, "page", max(1, self.page))

    def filters(self) -> dict[str, tuple]:
        return {
            "type": self.types,
            "theme": self.themes,
            "tag": self.tags,
            "organisation_type": self.organisation_types,
            "year": self.years,
        }


@dataclass(frozen=True)
class ThemeRef:
    slug: str
    name: str


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around matched words
    themes: list[ThemeRef]
    date: datetime | None
    accepted: bool | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    request: SearchRequest
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    suggestion: str | None = None

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


@dataclass(frozen=True)
class Suggestion:
    """One entry of the suggestions while typing: a title or a theme, and where it leads."""

    label: str
    url: str
    kind: str  # a Source.kind, or "theme"
    kind_label: str


def get_backend():
    return import_string(getattr(settings, "SEARCH_BACKEND", "search.backends.postgres.PostgresBackend"))()


def search(request: SearchRequest) -> SearchResult:
    return get_backend().search(request)


def suggest(text: str, *, reader=None, limit: int = 8) -> list[Suggestion]:
    """Titles the reader may open and themes, matching what was typed so far."""
    return get_backend().suggest(text=" ".join((text or "").split())[:MAX_TEXT_LENGTH], reader=reader, limit=limit)
