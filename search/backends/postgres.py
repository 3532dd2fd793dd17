"""The PostgreSQL backend: weighted tsvector over `dutch_unaccent`, ts_headline, pg_trgm, SQL facets."""

import math
import re
import unicodedata

from django.contrib.postgres.search import (
    SearchQuery,
    TrigramSimilarity,
    TrigramWordDistance,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import Theme
from search.audiences import reader_audiences
from search.backends.common import MARK_START, MARK_STOP, clean, facet_values, make_hit, theme_names
from search.documents import kind_labels
from search.models import SEARCH_CONFIG, SearchDocument, SearchTerm
from search.query import SORT_NEWEST, SearchRequest, SearchResult, Suggestion

_WORD = re.compile(r"[^\W\d_]{4,40}", re.UNICODE)
SUGGESTION_SIMILARITY = 0.35
SNIPPET_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=30, MinWords=12, MaxFragments=2"
# Themes are a short list; titles need three characters before the trigram index can narrow them.
MIN_THEME_SUGGEST_LENGTH, MIN_TITLE_SUGGEST_LENGTH = 2, 3
MAX_THEME_SUGGESTIONS = 3
# Relevance ranks every match by the short `rank_vector`, then rescores this many by the whole vector.
RESCORE_WINDOW = 200

# A document passes a facet's filter when it has one of the chosen values (no choice: every document).
_FILTER_SQL = {
    "type": "kind = ANY(%(type)s::text[])",
    "theme": "themes::text[] && %(theme)s::text[]",
    "tag": "tags::text[] && %(tag)s::text[]",
    "organisation_type": "organisation_type = ANY(%(organisation_type)s::text[])",
    "year": "year = ANY(%(year)s::int[])",
}
# Each facet's values with their counts, in the order the page shows them; {where} is the other filters.
_FACET_SQL = {
    "type": "SELECT kind AS value, count(*) AS n FROM matched WHERE {where} GROUP BY kind ORDER BY n DESC, kind",
    "theme": "SELECT value, count(*) AS n FROM matched, unnest(themes) AS value WHERE {where} "
    "GROUP BY value ORDER BY n DESC, value LIMIT 30",
    "tag": "SELECT value, count(*) AS n FROM matched, unnest(tags) AS value WHERE {where} "
    "GROUP BY value ORDER BY n DESC, value LIMIT 30",
    "organisation_type": "SELECT organisation_type AS value, count(*) AS n FROM matched "
    "WHERE {where} AND organisation_type <> '' GROUP BY organisation_type ORDER BY n DESC, organisation_type",
    "year": "SELECT year AS value, count(*) AS n FROM matched WHERE {where} AND year IS NOT NULL "
    "GROUP BY year ORDER BY year DESC",
}
_FACET_JSON = "(SELECT coalesce(json_agg(json_build_array(value, n)), '[]') FROM ({facet}) f)"

_TEXT_VECTOR = (
    "setweight(to_tsvector(%(config)s, %(title)s), 'A') || setweight(to_tsvector(%(config)s, %(summary)s), 'B')"
)
_UPSERT_SQL = f"""
    INSERT INTO search_searchdocument (content_type_id, object_id, kind, title, summary, body, extra, url,
        themes, tags, organisation_type, date, year, accepted, audiences, indexed_at, search_vector, rank_vector)
    VALUES (%(content_type_id)s, %(object_id)s, %(kind)s, %(title)s, %(summary)s, %(body)s, %(extra)s, %(url)s,
        %(themes)s, %(tags)s, %(organisation_type)s, %(date)s, %(year)s, %(accepted)s, %(audiences)s,
        %(indexed_at)s,
        {_TEXT_VECTOR} || setweight(to_tsvector(%(config)s, %(body)s), 'C')
            || setweight(to_tsvector(%(config)s, %(extra)s), 'D')
            || setweight(to_tsvector(%(config)s, %(compounds)s), 'D'),
        {_TEXT_VECTOR})
    ON CONFLICT (content_type_id, object_id) DO UPDATE SET
        kind = EXCLUDED.kind, title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body,
        extra = EXCLUDED.extra, url = EXCLUDED.url, themes = EXCLUDED.themes, tags = EXCLUDED.tags,
        organisation_type = EXCLUDED.organisation_type, date = EXCLUDED.date, year = EXCLUDED.year,
        accepted = EXCLUDED.accepted, audiences = EXCLUDED.audiences, indexed_at = EXCLUDED.indexed_at,
        search_vector = EXCLUDED.search_vector, rank_vector = EXCLUDED.rank_vector
"""  # noqa: S608 -- constant fragments; every value is a parameter


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
        self.bulk_upsert([(content_type_id, object_id, kind, data)])

    def bulk_upsert(self, documents, *, batch_size=200):
        """Write many (content_type_id, object_id, kind, data) documents: one INSERT ... ON CONFLICT per
        batch, with both vectors computed by PostgreSQL in the same statement."""
        batch = []
        for document in documents:
            batch.append(document)
            if len(batch) == batch_size:
                self._write_batch(batch)
                batch = []
        if batch:
            self._write_batch(batch)

    def _write_batch(self, batch):
        now = timezone.now()
        rows, words = [], set()
        for content_type_id, object_id, kind, data in batch:
            title, summary, body = clean(data.title)[:255], clean(data.summary), clean(data.body)
            extra = clean(data.extra)
            rows.append(
                {
                    "content_type_id": content_type_id,
                    "object_id": object_id,
                    "kind": kind,
                    "title": title,
                    "summary": summary,
                    "body": body,
                    "extra": extra,
                    "compounds": clean(data.compounds),
                    "url": data.url,
                    "themes": list(data.themes),
                    "tags": list(data.tags),
                    "organisation_type": data.organisation_type,
                    "date": data.date,
                    "year": data.year,
                    "accepted": data.accepted,
                    "audiences": list(data.audiences),
                    "indexed_at": now,
                    "config": SEARCH_CONFIG,
                }
            )
            words.update(word.lower() for word in _WORD.findall(" ".join([title, summary, body, extra])))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_UPSERT_SQL, rows)
            SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in sorted(words)], ignore_conflicts=True)

    def delete(self, *, content_type_id, object_id):
        SearchDocument.objects.filter(content_type_id=content_type_id, object_id=object_id).delete()

    def clear(self):
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()

    # Queries --------------------------------------------------------------------------------------

    def _readable(self, request):
        return SearchDocument.objects.filter(audiences__overlap=reader_audiences(request.reader))

    def _base(self, request: SearchRequest):
        documents = self._readable(request)
        if request.text:
            documents = documents.filter(search_vector=TsQuery(request.text))
        return documents

    def search(self, request: SearchRequest) -> SearchResult:
        """Two statements: one finds the matches once and counts the total and every facet from them
        and picks the page's ids; the other fetches those rows with their snippets (ts_headline)."""
        total, counts, ids = self._matches(request, request.page)
        num_pages = max(1, math.ceil(total / request.page_size))
        page = min(request.page, num_pages)
        if page != request.page:  # past the last page: show the last one
            total, counts, ids = self._matches(request, page)
        result = SearchResult(request=request, total=total, page=page, num_pages=num_pages)
        rows = self._rows(ids, request.text)
        names = theme_names([slug for row in rows for slug in row["themes"]] + [value for value, _n in counts["theme"]])
        result.hits = [make_hit(row, marked=row.get("headline"), names=names) for row in rows]
        result.facets = facet_values(counts, request, names=names)
        if total == 0 and request.text:
            result.suggestion = self._suggestion(request)
        return result

    def _matches(self, request, page) -> tuple[int, dict[str, list[tuple]], list[int]]:
        """The matching documents are found once (a GIN bitmap scan that never reads the long
        `search_vector` for plain words) into a materialised set of their short columns; the total and
        each facet are counted from that set. Each facet counts what the other facets' filters leave,
        so choices within a facet combine (OR) and across facets narrow (AND).

        Relevance ranks in two stages, as Elasticsearch's rescore does: every match by `rank_vector`
        (title and summary, short enough to live in the row), then the best RESCORE_WINDOW of those by
        the whole `search_vector`. Ranking every match by the whole vector would read each one from
        TOAST storage, which is what made a common word slow on a large corpus."""
        params = {"config": SEARCH_CONFIG, "text": request.text, "audiences": reader_audiences(request.reader)}
        flags = {}
        for name, values in request.filters().items():
            if values:
                params[name] = [int(v) for v in values] if name == "year" else [str(v) for v in values]
                flags[name] = _FILTER_SQL[name]
            else:
                flags[name] = "TRUE"

        def where(*, without=None):
            return " AND ".join(flag for name, flag in flags.items() if name != without)

        query = "websearch_to_tsquery(%(config)s, %(text)s)"
        text_condition = f"AND d.search_vector @@ {query}" if request.text else ""
        rank = f"coalesce(ts_rank(d.rank_vector, {query}), 0)" if request.text else "0"
        offset = (page - 1) * request.page_size
        end = offset + request.page_size
        if request.text and request.sort != SORT_NEWEST:
            # Positions below RESCORE_WINDOW come from the rescored window, the rest in the cheap order;
            # a page may take from both.
            params.update(
                window=RESCORE_WINDOW,
                window_offset=offset,
                window_size=max(0, min(end, RESCORE_WINDOW) - offset),
                rest_offset=max(offset, RESCORE_WINDOW),
                rest_size=max(0, end - max(offset, RESCORE_WINDOW)),
            )
            page_ids = f"""ARRAY(
                SELECT w.id FROM (
                    SELECT id, date FROM matched WHERE {where()}
                    ORDER BY rank DESC, date DESC NULLS LAST, id DESC LIMIT %(window)s
                ) w JOIN search_searchdocument d ON d.id = w.id
                ORDER BY ts_rank(d.search_vector, {query}) DESC, w.date DESC NULLS LAST, w.id DESC
                LIMIT %(window_size)s OFFSET %(window_offset)s
            ) || ARRAY(
                SELECT id FROM matched WHERE {where()}
                ORDER BY rank DESC, date DESC NULLS LAST, id DESC LIMIT %(rest_size)s OFFSET %(rest_offset)s
            )"""  # noqa: S608
        else:
            params.update(offset=offset, size=request.page_size)
            page_ids = f"""ARRAY(
                SELECT id FROM matched WHERE {where()}
                ORDER BY date DESC NULLS LAST, id DESC LIMIT %(size)s OFFSET %(offset)s)"""  # noqa: S608
        facets = ",\n".join(
            _FACET_JSON.format(facet=sql.format(where=where(without=name))) for name, sql in _FACET_SQL.items()
        )
        statement = f"""
            WITH matched AS MATERIALIZED (
                SELECT d.id, d.date, d.kind, d.themes, d.tags, d.organisation_type, d.year, {rank} AS rank
                FROM search_searchdocument d
                WHERE d.audiences && %(audiences)s::varchar(40)[] {text_condition}
            )
            SELECT (SELECT count(*) FROM matched WHERE {where()}), {page_ids},
            {facets}"""  # noqa: S608 -- only our own SQL fragments; every value is a parameter
        # The planner takes a sequential scan when most rows match, and a sequential scan evaluates `@@`
        # on every row's TOASTed vector; the GIN bitmap scan does not. SET LOCAL lasts until the
        # transaction ends: right after this statement, unless a caller's transaction goes on.
        restore = request.text and connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            if restore:
                cursor.execute("SELECT current_setting('enable_seqscan')")
                [seqscan] = cursor.fetchone()
            if request.text:
                cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(statement, params)
            total, ids, *facet_rows = cursor.fetchone()
            if restore:
                cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])
        counts = {name: [tuple(pair) for pair in rows] for name, rows in zip(_FACET_SQL, facet_rows, strict=True)}
        return total, counts, ids

    def _rows(self, ids, text) -> list[dict]:
        """The documents of `ids`, in that order, with their snippet (ts_headline) when there is text."""
        if not ids:
            return []
        fields = ["pk", "kind", "title", "url", "themes", "date", "accepted", "summary"]
        documents = SearchDocument.objects.filter(pk__in=ids)
        if text:
            source = Func(
                Value(" "), F("summary"), F("body"), function="concat_ws", arg_joiner=", ", output_field=TextField()
            )
            documents = documents.annotate(
                headline=Func(
                    Value(SEARCH_CONFIG),
                    source,
                    TsQuery(text),
                    Value(SNIPPET_OPTIONS),
                    function="ts_headline",
                    output_field=TextField(),
                )
            )
            fields.append("headline")
        rows = {row["pk"]: row for row in documents.values(*fields)}
        return [rows[pk] for pk in ids if pk in rows]  # one may be gone between the two statements

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
