"""The PostgreSQL backend: weighted tsvector over `dutch_unaccent`, ts_headline, pg_trgm, SQL facets."""

import math
import re
import unicodedata

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
    TrigramWordDistance,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Func, Q, TextField, Value, When
from django.db.models.functions import Collate
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from community.models import OrganisationType
from knowledge.models import Theme
from search.audiences import reader_audiences
from search.documents import kind_labels
from search.models import SEARCH_CONFIG, SearchDocument, SearchTerm
from search.query import SORT_NEWEST, FacetValue, Hit, SearchRequest, SearchResult, Suggestion, ThemeRef

# Private-use characters mark highlights inside ts_headline; indexed text never contains them, so
# the text can be escaped first and the marks turned into <mark> afterwards.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{MARK_START}{MARK_STOP}]")
_WORD = re.compile(r"[^\W\d_]{4,40}", re.UNICODE)
SUGGESTION_SIMILARITY = 0.35
SNIPPET_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=30, MinWords=12, MaxFragments=2"
# Themes are a short list; titles need three characters before the trigram index can narrow them.
MIN_THEME_SUGGEST_LENGTH, MIN_TITLE_SUGGEST_LENGTH = 2, 3
MAX_THEME_SUGGESTIONS = 3


def _clean(text: str) -> str:
    return _MARKERS.sub("", text or "")


def TsQuery(text) -> SearchQuery:  # noqa: N802
    """websearch_to_tsquery never raises on odd input (quotes, brackets, `title:*`, AND OR NOT)."""
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


class Fold(Func):
    """Lower case without accents, as the `search_fold` function that the title trigram index is built on."""

    function = "search_fold"
    output_field = TextField()


def fold(text: str) -> str:
    """What `search_fold` does in the database, for the typed text: lower case, accents off."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\x00", "").lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b: a swap is one typo."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


class PostgresBackend:
    # Index writes ---------------------------------------------------------------------------------

    def upsert(self, *, content_type_id, object_id, kind, data):
        fields = {
            "kind": kind,
            "title": _clean(data.title)[:255],
            "summary": _clean(data.summary),
            "body": _clean(data.body),
            "extra": _clean(data.extra),
            "url": data.url,
            "themes": data.themes,
            "tags": data.tags,
            "organisation_type": data.organisation_type,
            "date": data.date,
            "year": data.year,
            "accepted": data.accepted,
            "audiences": data.audiences,
        }
        document, _created = SearchDocument.objects.update_or_create(
            content_type_id=content_type_id, object_id=object_id, defaults=fields
        )
        SearchDocument.objects.filter(pk=document.pk).update(
            search_vector=SearchVector("title", config=SEARCH_CONFIG, weight="A")
            + SearchVector("summary", config=SEARCH_CONFIG, weight="B")
            + SearchVector("body", config=SEARCH_CONFIG, weight="C")
            + SearchVector("extra", config=SEARCH_CONFIG, weight="D")
            + SearchVector(Value(data.compounds, output_field=TextField()), config=SEARCH_CONFIG, weight="D")
        )
        words = {word.lower() for word in _WORD.findall(" ".join([data.title, data.summary, data.body, data.extra]))}
        SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in words], ignore_conflicts=True)

    def delete(self, *, content_type_id, object_id):
        SearchDocument.objects.filter(content_type_id=content_type_id, object_id=object_id).delete()

    def clear(self):
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()

    # Queries --------------------------------------------------------------------------------------

    def _readable(self, request):
        return SearchDocument.objects.filter(audiences__overlap=reader_audiences(request.reader))

    @staticmethod
    def _filter_q(name, values) -> Q:
        if not values:
            return Q()
        return {
            "type": lambda: Q(kind__in=values),
            "theme": lambda: Q(themes__overlap=list(values)),
            "tag": lambda: Q(tags__overlap=list(values)),
            "organisation_type": lambda: Q(organisation_type__in=values),
            "year": lambda: Q(year__in=values),
        }[name]()

    def _base(self, request: SearchRequest):
        documents = self._readable(request)
        if request.text:
            documents = documents.filter(search_vector=TsQuery(request.text))
        return documents

    def search(self, request: SearchRequest) -> SearchResult:
        base = self._base(request)
        filters = request.filters()
        filtered = base
        for name, values in filters.items():
            filtered = filtered.filter(self._filter_q(name, values))

        total = filtered.count()
        num_pages = max(1, math.ceil(total / request.page_size))
        page = min(request.page, num_pages)
        result = SearchResult(request=request, total=total, page=page, num_pages=num_pages)
        result.hits = self._hits(filtered, request, page)
        result.facets = self._facets(base, request)
        if total == 0 and request.text:
            result.suggestion = self._suggestion(request)
        return result

    def _hits(self, documents, request, page):
        if request.text:
            documents = documents.annotate(rank=SearchRank(F("search_vector"), TsQuery(request.text)))
        if request.sort == SORT_NEWEST or not request.text:
            documents = documents.order_by(F("date").desc(nulls_last=True), "-pk")
        else:
            documents = documents.order_by("-rank", F("date").desc(nulls_last=True), "-pk")
        start = (page - 1) * request.page_size
        rows = list(documents[start : start + request.page_size])
        snippets = self._snippets(rows, request.text)
        slugs = {slug for row in rows for slug in row.themes}
        theme_names = dict(Theme.objects.filter(slug__in=slugs).values_list("slug", "name"))
        labels = kind_labels()
        return [
            Hit(
                kind=row.kind,
                kind_label=str(labels.get(row.kind, row.kind)),
                title=row.title,
                url=row.url,
                snippet=snippets.get(row.pk, ""),
                themes=[ThemeRef(slug, theme_names[slug]) for slug in row.themes if slug in theme_names],
                date=row.date,
                accepted=row.accepted,
            )
            for row in rows
        ]

    def _snippets(self, rows, text) -> dict[int, str]:
        if not rows:
            return {}
        if not text:
            return {row.pk: escape(row.summary[:300]) for row in rows}
        source = Func(
            Value(" "), F("summary"), F("body"), function="concat_ws", arg_joiner=", ", output_field=TextField()
        )
        headlines = SearchDocument.objects.filter(pk__in=[row.pk for row in rows]).annotate(
            headline=Func(
                Value(SEARCH_CONFIG),
                source,
                TsQuery(text),
                Value(SNIPPET_OPTIONS),
                function="ts_headline",
                output_field=TextField(),
            )
        )
        return {
            pk: mark_safe(escape(headline).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308
            for pk, headline in headlines.values_list("pk", "headline")
        }

    def _facets(self, base, request) -> dict[str, list[FacetValue]]:
        """Each facet counts what the other facets' filters leave, so choices within a facet combine (OR)."""
        filters = request.filters()
        labels = {
            "type": {k: str(v) for k, v in kind_labels().items()},
            "organisation_type": {k: str(v) for k, v in OrganisationType.choices},
        }
        counts = {}
        for name in filters:
            documents = base
            for other, values in filters.items():
                if other != name:
                    documents = documents.filter(self._filter_q(other, values))
            counts[name] = self._count(documents, name)
        theme_slugs = [value for value, _count in counts["theme"]]
        labels["theme"] = dict(Theme.objects.filter(slug__in=theme_slugs).values_list("slug", "name"))
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

    @staticmethod
    def _count(documents, name):
        if name in ("theme", "tag"):
            column = {"theme": "themes", "tag": "tags"}[name]
            sql, params = documents.values("pk").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT value, count(*) FROM search_searchdocument d, unnest(d.{column}) AS value "  # noqa: S608
                    f"WHERE d.id IN ({sql}) GROUP BY value ORDER BY count(*) DESC, value LIMIT 30",
                    params,
                )
                return cursor.fetchall()
        field = {"type": "kind", "organisation_type": "organisation_type", "year": "year"}[name]
        rows = (
            documents.exclude(**{f"{field}__isnull": True})
            .exclude(**{field: ""} if field != "year" else {})
            .values_list(field)
            .annotate(n=Count("pk"))
            .order_by(*(["-" + field] if name == "year" else ["-n", field]))
        )
        return list(rows)

    def _suggestion(self, request) -> str | None:
        """Replace each unknown word by the most similar indexed word, and offer it only when the
        corrected text finds something this reader may read (so it never hints at hidden content)."""
        words = request.text.split()
        known = set(SearchTerm.objects.filter(word__in=[w.lower() for w in words]).values_list("word", flat=True))
        corrected, changed = [], False
        for word in words:
            if word.lower() in known or not _WORD.fullmatch(word):
                corrected.append(word)
                continue
            candidates = (
                SearchTerm.objects.annotate(similarity=TrigramSimilarity("word", word.lower()))
                .filter(word__trigram_similar=word.lower(), similarity__gte=SUGGESTION_SIMILARITY)
                .order_by("-similarity", "word")
                .values_list("word", flat=True)[:10]
            )
            match = min(candidates, key=lambda candidate: edit_distance(word.lower(), candidate), default=None)
            if match:
                corrected.append(match)
                changed = True
            else:
                corrected.append(word)
        if not changed:
            return None
        suggestion = " ".join(corrected)
        if self._base(SearchRequest(text=suggestion, reader=request.reader)).exists():
            return suggestion
        return None

    # Suggestions while typing ---------------------------------------------------------------------

    def suggest(self, *, text, reader=None, limit=8) -> list[Suggestion]:
        """Themes, then titles the reader may open: those that start with `text` first, then those with
        a word most like it (trigram word similarity, so "transparantei" still offers "Transparantie").

        Each title query reads an index in order and stops at the limit: a btree on the folded title
        for the prefix, a GiST trigram index for the nearest words (see migration 0002)."""
        folded = fold(text.strip())
        if len(folded) < MIN_THEME_SUGGEST_LENGTH or limit < 1:
            return []
        themes = self._ranked(Theme.objects.all(), "name", folded)[: min(MAX_THEME_SUGGESTIONS, limit)]
        suggestions = [
            Suggestion(label=theme.name, url=theme.get_absolute_url(), kind="theme", kind_label=str(_("Thema")))
            for theme in themes
        ]
        room = limit - len(suggestions)
        if len(folded) < MIN_TITLE_SUGGEST_LENGTH or room < 1:
            return suggestions
        readable = SearchDocument.objects.filter(audiences__overlap=reader_audiences(reader)).annotate(
            label=Collate(Fold(F("title")), "C")
        )
        starting = list(
            readable.filter(label__startswith=folded)
            .order_by("label", "pk")
            .values("pk", "title", "url", "kind")[:room]
        )
        resembling = []
        if len(starting) < room:
            resembling = list(
                readable.filter(label__trigram_word_similar=folded)
                .exclude(pk__in=[row["pk"] for row in starting])
                .annotate(distance=TrigramWordDistance(Value(folded), F("label")))
                # Distance alone, so the index scan stops at the limit; among equals any order is fair.
                .order_by("distance")
                .values("pk", "title", "url", "kind")[: room - len(starting)]
            )
        labels = kind_labels()
        return suggestions + [
            Suggestion(
                label=row["title"],
                url=row["url"],
                kind=row["kind"],
                kind_label=str(labels.get(row["kind"], row["kind"])),
            )
            for row in starting + resembling
        ]

    @staticmethod
    def _ranked(queryset, field, folded):
        """For short lists (the curated themes): every row whose `field` contains or resembles the text,
        those that start with it first. The Elasticsearch backend ranks themes with this too."""
        label = Fold(F(field))
        return (
            queryset.annotate(label=label)
            .filter(Q(label__contains=folded) | Q(label__trigram_word_similar=folded))
            .annotate(
                at_start=Case(When(label__startswith=folded, then=True), default=False, output_field=BooleanField()),
                likeness=TrigramWordSimilarity(Value(folded), label),
            )
            .order_by("-at_start", "-likeness", field)
        )
