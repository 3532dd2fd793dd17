"""What every search backend shares: the error a backend raises when its service is away, the read
model's row turned back into DocumentData, and the facet values with their labels."""

from community.models import OrganisationType
from knowledge.models import Theme
from search.documents import DocumentData, kind_labels
from search.query import FacetValue, SearchRequest


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


def facet_values(counts: dict[str, list[tuple]], request: SearchRequest) -> dict[str, list[FacetValue]]:
    """(value, count) pairs per facet, in the backend's order, as labelled FacetValues; themes that no
    longer exist are left out, like the PostgreSQL backend does."""
    filters = request.filters()
    labels = {
        "type": {k: str(v) for k, v in kind_labels().items()},
        "organisation_type": {k: str(v) for k, v in OrganisationType.choices},
        "theme": theme_names(value for value, _count in counts.get("theme", [])),
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
