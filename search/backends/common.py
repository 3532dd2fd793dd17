"""What every search backend shares: the error a backend raises when its service is away, the read
model's row turned back into DocumentData, a hit with its marked snippet, and the facet values with
their labels."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from community.models import OrganisationType
from knowledge.models import Theme
from search.documents import DocumentData, kind_labels
from search.query import FacetValue, Hit, SearchRequest, ThemeRef

# Private-use characters mark highlights; indexed text never contains them (the backends strip them),
# so the text can be escaped first and only these marks turned into <mark> afterwards.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKS = re.compile(f"[{MARK_START}{MARK_STOP}]")


def clean(text: str) -> str:
    """Indexed text without our highlight marks (and without NUL, which PostgreSQL's text refuses)."""
    return _MARKS.sub("", text or "").replace("\x00", "")


class BackendUnavailable(Exception):
    """The search service did not answer (down, timed out, refused the request)."""


class IndexMissing(BackendUnavailable):
    """The service answers, but our index is not there yet (never built, or deleted)."""


def document_data(row) -> DocumentData:
    """A SearchDocument row as the DocumentData it was written from (for mirroring PostgreSQL's truth)."""
    return DocumentData(
        title=row.title,
        url=row.url,
        summary=row.summary,
        body=row.body,
        extra=row.extra,
        themes=list(row.themes),
        tags=list(row.tags),
        organisation_type=row.organisation_type,
        date=row.date,
        accepted=row.accepted,
        about_year=row.year,
        audiences=list(row.audiences),
    )


def theme_names(slugs) -> dict[str, str]:
    return dict(Theme.objects.filter(slug__in=set(slugs)).values_list("slug", "name"))


def facet_values(
    counts: dict[str, list[tuple]], request: SearchRequest, *, names: dict[str, str] | None = None
) -> dict[str, list[FacetValue]]:
    """(value, count) pairs per facet, in the backend's order, as labelled FacetValues; themes that no
    longer exist are left out. `names` may hold the theme names already read (with the hits' themes)."""
    filters = request.filters()
    if names is None:
        names = theme_names(value for value, _count in counts.get("theme", []))
    labels = {
        "type": {k: str(v) for k, v in kind_labels().items()},
        "organisation_type": {k: str(v) for k, v in OrganisationType.choices},
        "theme": names,
    }
    facets = {}
    for name, pairs in counts.items():
        selected = {str(v) for v in filters[name]}
        facets[name] = [
            FacetValue(
                value=str(value),
                label=labels.get(name, {}).get(value, str(value)),
                count=count,
                selected=str(value) in selected,
            )
            for value, count in pairs
            if name != "theme" or value in labels["theme"]
        ]
    return facets


def make_hit(fields: dict, *, marked: str | None, names: dict[str, str]) -> Hit:
    """One result from a document's stored fields. `marked` is the backend's snippet with MARK_START and
    MARK_STOP around the matched words, or None when there was no text (the summary is shown then)."""
    if marked is None:
        snippet = escape((fields.get("summary") or "")[:300])
    else:
        snippet = mark_safe(  # noqa: S308 -- escaped first, then only our own marks become tags
            escape(marked).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
        )
    kind = fields["kind"]
    return Hit(
        kind=kind,
        kind_label=str(kind_labels().get(kind, kind)),
        title=fields["title"],
        url=fields["url"],
        snippet=snippet,
        themes=[ThemeRef(slug, names[slug]) for slug in fields.get("themes") or [] if slug in names],
        date=fields.get("date"),
        accepted=fields.get("accepted"),
    )
