"""The contract between views and search backends: a request in, a result out.

Views, feeds and any API use only `search()` and `suggest()`; a backend (PostgreSQL, or Elasticsearch
when ELASTICSEARCH_URL is set) implements `search(request) -> SearchResult`, `suggest(...)` and the
index writes that `search.indexing` makes. PostgreSQL is always written and always the fallback.
"""

import logging
import time
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


def plain_words(text: str) -> str:
    """Words, and "phrases" in double quotes: nothing else has a meaning, on either backend.

    PostgreSQL's websearch syntax would read `-word` as NOT and `or` as OR, where Elasticsearch's
    match queries see plain words; both backends get the same plain words instead.
    """
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # outside quotes
        words = (word.lstrip("-") for word in parts[i].split(" "))
        parts[i] = " ".join(word for word in words if word and word.lower() != "or")
    return " ".join('"'.join(parts).split())


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
        object.__setattr__(self, "text", plain_words(" ".join((self.text or "").split())[:MAX_TEXT_LENGTH]))
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


POSTGRES = "search.backends.postgres.PostgresBackend"

logger = logging.getLogger(__name__)
# While Elasticsearch is away, searches go straight to PostgreSQL until this moment (per process).
_mirror_down_until = 0.0


def get_backend():
    """The configured backend: PostgreSQL, or Elasticsearch when ELASTICSEARCH_URL is set."""
    return import_string(getattr(settings, "SEARCH_BACKEND", POSTGRES))()


def postgres_backend():
    """PostgreSQL's SearchDocument rows are always maintained: the truth, and the fallback."""
    return import_string(POSTGRES)()


def mirror_backend():
    """The backend that mirrors PostgreSQL (Elasticsearch), or None when PostgreSQL answers alone."""
    path = getattr(settings, "SEARCH_BACKEND", POSTGRES)
    if path == POSTGRES:
        return None
    return import_string(path)()


def _answer(call):
    """Ask the mirror; fall back to PostgreSQL (and say so in the log) when it is away or behind."""
    global _mirror_down_until
    from search import indexing
    from search.backends.common import BackendUnavailable, IndexMissing

    if getattr(settings, "SEARCH_BACKEND", POSTGRES) == POSTGRES:
        return call(postgres_backend())
    if indexing.mirror_is_behind():
        # Changes Elasticsearch missed wait to be re-applied: PostgreSQL has them already.
        indexing.schedule_catch_up()
        return call(postgres_backend())
    if time.monotonic() < _mirror_down_until:
        return call(postgres_backend())
    try:
        return call(mirror_backend())
    except BackendUnavailable as error:
        logger.warning("Elasticsearch unavailable, searching PostgreSQL instead: %s", error)
        _mirror_down_until = time.monotonic() + getattr(settings, "SEARCH_ELASTICSEARCH_RETRY_AFTER", 30)
        if isinstance(error, IndexMissing):
            indexing.remember_rebuild()
            indexing.schedule_catch_up()
        return call(postgres_backend())


def reset_mirror_state():
    """Forget that Elasticsearch was away (tests, and after a successful catch-up)."""
    global _mirror_down_until
    _mirror_down_until = 0.0


def search(request: SearchRequest) -> SearchResult:
    return _answer(lambda backend: backend.search(request))


def suggest(text: str, *, reader=None, limit: int = 8) -> list[Suggestion]:
    """Titles the reader may open and themes, matching what was typed so far."""
    text = " ".join((text or "").split())[:MAX_TEXT_LENGTH]
    return _answer(lambda backend: backend.suggest(text=text, reader=reader, limit=limit))
