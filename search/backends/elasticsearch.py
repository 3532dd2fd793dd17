"""The Elasticsearch 9 backend (through `elasticsearch.dsl`): a mirror of PostgreSQL's SearchDocument rows.

One Document mapping with a Dutch analyser, an edge-ngram field for suggestions while typing, a field
of joined compounds (search.dutch) searched with a low boost, keywords for facets and audiences. The
index lives behind an alias (settings.SEARCH_ELASTICSEARCH_INDEX): a full rebuild fills a new,
timestamped index and swaps the alias in one atomic step, so searches never see a half-built index.

Every failure to reach the node is raised as BackendUnavailable; search.query falls back to
PostgreSQL and search.indexing remembers the writes that did not arrive.
"""

import contextlib
import logging
import math
import re
import threading

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from knowledge.models import Theme
from search.audiences import reader_audiences
from search.backends.common import (
    MARK_START,
    MARK_STOP,
    BackendUnavailable,
    IndexMissing,
    clean,
    facet_values,
    make_hit,
    theme_names,
)
from search.backends.postgres import (
    MAX_THEME_SUGGESTIONS,
    MIN_THEME_SUGGEST_LENGTH,
    MIN_TITLE_SUGGEST_LENGTH,
    PostgresBackend,
    edit_distance,
    fold,
)
from search.documents import kind_labels
from search.query import FACETS, SORT_NEWEST, Hit, SearchRequest, SearchResult, Suggestion

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]{4,40}", re.UNICODE)
_SUGGEST_WORDS = re.compile(r"[^\W\d_]{4,}( [^\W\d_]+)*", re.UNICODE)  # words worth a fuzzy match
# title above summary above body above extra (theme names, answers); compounds count least.
TEXT_FIELDS = ["title^5", "summary^2", "body^1", "extra^0.3", "compounds^0.2"]
FACET_FIELDS = {
    "type": "kind",
    "theme": "themes",
    "tag": "tags",
    "organisation_type": "organisation_type",
    "year": "year",
}
FACET_SIZES = {"type": 100, "theme": 30, "tag": 30, "organisation_type": 100, "year": 200}
SNIPPET_LENGTH = 200
# The form caps pages at 10,000 (of 10): deep pages stay answerable.
MAX_RESULT_WINDOW = 100_000

dutch_stop = token_filter("dutch_stop", type="stop", stopwords="_dutch_")
dutch_stemmer = token_filter("dutch_stemmer", type="stemmer", language="dutch")
word_prefixes = token_filter("word_prefixes", type="edge_ngram", min_gram=1, max_gram=30)
DUTCH = analyzer("dutch_text", tokenizer="standard", filter=["lowercase", "asciifolding", dutch_stop, dutch_stemmer])
PREFIXES = analyzer("word_prefixes", tokenizer="standard", filter=["lowercase", "asciifolding", word_prefixes])
FOLDED = analyzer("folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
SPELLING = analyzer("spelling", tokenizer="standard", filter=["lowercase"])
FOLDED_KEYWORD = normalizer("folded_keyword", filter=["lowercase", "asciifolding"])


class SearchDoc(Document):
    content_type_id = Integer()
    object_id = Long()
    kind = Keyword()
    title = Text(
        analyzer=DUTCH,
        copy_to="spelling",
        fields={
            "prefix": Text(analyzer=PREFIXES, search_analyzer=FOLDED),
            "folded": Keyword(normalizer=FOLDED_KEYWORD),
        },
    )
    summary = Text(analyzer=DUTCH, copy_to="spelling")
    body = Text(analyzer=DUTCH, copy_to="spelling")
    extra = Text(analyzer=DUTCH, copy_to="spelling")
    compounds = Text(analyzer=DUTCH)
    content = Text(analyzer=DUTCH, index_options="offsets")  # summary and body, for snippets
    spelling = Text(analyzer=SPELLING)  # unstemmed words, for "Bedoelde je"
    url = Keyword(index=False)
    themes = Keyword()
    tags = Keyword()
    organisation_type = Keyword()
    year = Integer()
    date = Date(default_timezone="UTC")
    accepted = Boolean()
    audiences = Keyword()


def _datetime(value):
    if isinstance(value, str):
        return parse_datetime(value)
    return value


def _buckets(aggregation) -> list[dict]:
    """A facet's terms buckets, whether or not they sit inside a filter aggregation."""
    return aggregation["values"]["buckets"] if "values" in aggregation else aggregation["buckets"]


def doc_id(content_type_id, object_id) -> str:
    return f"{content_type_id}:{object_id}"


_clients: dict[tuple, Elasticsearch] = {}
_clients_lock = threading.Lock()


def client() -> Elasticsearch:
    url = getattr(settings, "ELASTICSEARCH_URL", None)
    if not url:
        raise BackendUnavailable("ELASTICSEARCH_URL is not set")
    timeout = getattr(settings, "SEARCH_ELASTICSEARCH_TIMEOUT", 5)
    key = (url, timeout)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)
        return _clients[key]


def _unavailable(error) -> BackendUnavailable:
    if isinstance(error, NotFoundError):
        return IndexMissing(str(error))
    return BackendUnavailable(f"{type(error).__name__}: {error}")


class ElasticsearchBackend:
    """Mirrors PostgreSQL: search.indexing writes here after PostgreSQL, search.query reads here first."""

    mirror = True

    def __init__(self):
        self.es = client()
        self.alias = settings.SEARCH_ELASTICSEARCH_INDEX
        self.refresh_writes = getattr(settings, "SEARCH_ELASTICSEARCH_REFRESH", False)
        self.created_index = False  # set when a write found no index and created an empty one

    # Index management -----------------------------------------------------------------------------

    def _index(self, name) -> Index:
        index = Index(name)
        index.document(SearchDoc)
        index.settings(
            number_of_shards=1,
            auto_expand_replicas="0-1",
            max_result_window=MAX_RESULT_WINDOW,
            refresh_interval="1s",
        )
        return index

    def _new_index_name(self) -> str:
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    def index_names(self) -> list[str]:
        """The concrete indexes behind the alias (one, except for a moment during a swap)."""
        try:
            return sorted(self.es.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def ensure_index(self) -> bool:
        """Create an empty index behind the alias when there is none; True when it was created."""
        try:
            if self.es.indices.exists_alias(name=self.alias):
                return False
            name = self._new_index_name()
            self._index(name).create(using=self.es)
            self._point_alias_to(name)
            return True
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def _point_alias_to(self, name):
        """One atomic step: the alias leaves every old index and points at `name`; then the old go."""
        old = [index for index in self.index_names() if index != name]
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        if self.es.indices.exists(index=self.alias) and not self.es.indices.exists_alias(name=self.alias):
            actions.append({"remove_index": {"index": self.alias}})  # auto-created by a stray write
        self.es.indices.update_aliases(actions=actions)
        for index in old:
            self.es.indices.delete(index=index, ignore_unavailable=True)

    # Index writes ---------------------------------------------------------------------------------

    def _source(self, *, content_type_id, object_id, kind, data) -> dict:
        summary, body = clean(data.summary), clean(data.body)
        return SearchDoc(
            content_type_id=content_type_id,
            object_id=object_id,
            kind=kind,
            title=clean(data.title)[:255],
            summary=summary,
            body=body,
            extra=clean(data.extra),
            compounds=data.compounds,
            content=" ".join(filter(None, [summary, body])),
            url=data.url,
            themes=list(data.themes),
            tags=list(data.tags),
            organisation_type=data.organisation_type or None,
            year=data.year,
            date=data.date,
            accepted=data.accepted,
            audiences=list(data.audiences),
        ).to_dict(skip_empty=False)

    def _write(self, operation):
        try:
            try:
                return operation()
            except NotFoundError as error:
                if "require_alias" not in str(error) and "index_not_found" not in str(error):
                    raise
                self.created_index = self.ensure_index()
                return operation()
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def upsert(self, *, content_type_id, object_id, kind, data):
        source = self._source(content_type_id=content_type_id, object_id=object_id, kind=kind, data=data)
        self._write(
            lambda: self.es.index(
                index=self.alias,
                id=doc_id(content_type_id, object_id),
                document=source,
                require_alias=True,
                refresh=self.refresh_writes,
            )
        )

    def delete(self, *, content_type_id, object_id):
        try:
            self.es.delete(index=self.alias, id=doc_id(content_type_id, object_id), refresh=self.refresh_writes)
        except NotFoundError:
            pass  # not indexed, or no index at all: either way it is not found
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def bulk(self, *, upserts=(), deletes=()):
        """Several writes in one request: upserts as (content_type_id, object_id, kind, data), deletes as keys.

        Raises BackendUnavailable when the node cannot take them now. A document it refuses (its mapping
        rejects a value) is logged, and its earlier version removed so that a stale copy (say, from
        before a page was restricted) is never found; the refused items are returned."""
        actions = [
            {
                "_op_type": "index",
                "_id": doc_id(ct, pk),
                "_source": self._source(content_type_id=ct, object_id=pk, kind=kind, data=data),
            }
            for ct, pk, kind, data in upserts
        ]
        actions += [{"_op_type": "delete", "_id": doc_id(ct, pk)} for ct, pk in deletes]
        if not actions:
            return
        if upserts:
            # Per item, a missing alias is only an item error (ignored like a missing document on
            # delete): make sure the index is there first.
            self.created_index = self.ensure_index()
        refused = []
        try:
            for ok, item in helpers.streaming_bulk(
                self.es,
                actions,
                index=self.alias,
                require_alias=True,
                refresh=self.refresh_writes,
                chunk_size=500,
                raise_on_error=False,
                raise_on_exception=True,
                ignore_status=(404,),
            ):
                [(operation, result)] = item.items()
                status = result.get("status", 500)
                if ok or (status == 404 and operation == "delete"):  # nothing there to delete
                    continue
                if status == 404:  # the index went away after ensure_index: write it again later
                    raise IndexMissing(str(result)[:500])
                if status == 429 or status >= 500:
                    raise BackendUnavailable(f"the node could not take a document now: {str(result)[:500]}")
                refused.append(result)
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error
        if refused:
            # Retrying cannot help: log them, and remove their earlier versions so none is found stale.
            for result in refused:
                logger.error("Elasticsearch refused document %s: %s", result.get("_id"), str(result.get("error"))[:999])
            keys = [tuple(int(part) for part in result["_id"].split(":")) for result in refused if result.get("_id")]
            self.bulk(deletes=keys)
        return refused

    def bulk_upsert(self, documents):
        """Index many (content_type_id, object_id, kind, data) documents at once."""
        self.bulk(upserts=list(documents))

    def refresh(self):
        """Make every write so far visible to searches (Elasticsearch does so by itself within a second)."""
        try:
            self.es.indices.refresh(index=self.alias)
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def clear(self):
        """An empty index swapped in behind the alias (delete-by-query needs a module a node may lack)."""
        try:
            name = self._new_index_name()
            self._index(name).create(using=self.es)
            self._point_alias_to(name)
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def rebuild(self, documents, *, total=0, progress=None) -> tuple[str, int]:
        """Fill a new index from `documents` ((content_type_id, object_id, kind, data) tuples), then swap
        the alias to it: searches keep answering from the old index until that moment."""
        name = self._new_index_name()
        count = 0
        try:
            self._index(name).create(using=self.es)
            actions = (
                {
                    "_index": name,
                    "_id": doc_id(ct, pk),
                    "_source": self._source(content_type_id=ct, object_id=pk, kind=kind, data=data),
                }
                for ct, pk, kind, data in documents
            )
            for ok, item in helpers.streaming_bulk(self.es, actions, chunk_size=500, raise_on_error=False):
                if not ok:
                    logger.error("Elasticsearch refused a document: %s", item)
                count += 1
                if progress:
                    progress(count, total)
            self.es.indices.refresh(index=name)
            self._point_alias_to(name)
        except (TransportError, ApiError) as error:
            with contextlib.suppress(TransportError, ApiError):
                self.es.indices.delete(index=name, ignore_unavailable=True)
            raise _unavailable(error) from error
        return name, count

    def keys(self) -> set[tuple[int, int]]:
        """(content_type_id, object_id) of every indexed document."""
        try:
            return {
                (hit["_source"]["content_type_id"], hit["_source"]["object_id"])
                for hit in helpers.scan(
                    self.es, index=self.alias, query={"_source": ["content_type_id", "object_id"]}, size=2000
                )
            }
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    # Queries --------------------------------------------------------------------------------------

    def _search(self) -> Search:
        return Search(using=self.es, index=self.alias).doc_type(SearchDoc)

    @staticmethod
    def _readable(reader):
        return Q("terms", audiences=reader_audiences(reader))

    @staticmethod
    def _text_parts(text) -> tuple[str, list[str]]:
        """Quoted parts (when the quotes pair up) are phrases; everything else is plain words. No query
        syntax: `title:*`, brackets and AND/OR/NOT are just text to the analyser."""
        if text.count('"') % 2:
            return text, []
        phrases = [phrase for phrase in re.findall(r'"([^"]*)"', text) if phrase.strip()]
        return re.sub(r'"[^"]*"', " ", text), phrases

    def _highlight_query(self, text):
        """Every word found in the snippet is marked, even when the document matched on its title."""
        words, phrases = self._text_parts(text)
        clauses = [Q("match", content=words)] if words.strip() else []
        clauses += [Q("match_phrase", content=phrase) for phrase in phrases]
        return Q("bool", should=clauses) if clauses else Q("match_none")

    def _text_query(self, text, fields=TEXT_FIELDS):
        words, phrases = self._text_parts(text)
        clauses = []
        if words.strip():
            clauses.append(Q("multi_match", query=words, type="cross_fields", operator="and", fields=fields))
        clauses += [Q("multi_match", query=phrase, type="phrase", fields=fields) for phrase in phrases]
        return Q("bool", must=clauses) if clauses else Q("match_none")

    def _scored(self, query):
        """Recent content and accepted answers count for more; everything else keeps its relevance."""
        return Q(
            {
                "function_score": {
                    "query": query.to_dict(),
                    "functions": [
                        {"weight": 1},
                        {
                            "filter": {"exists": {"field": "date"}},
                            "gauss": {"date": {"origin": "now", "scale": "365d", "offset": "30d", "decay": 0.5}},
                            "weight": 0.3,
                        },
                        {"filter": {"term": {"accepted": True}}, "weight": 0.5},
                    ],
                    "score_mode": "sum",
                    "boost_mode": "multiply",
                }
            }
        )

    @staticmethod
    def _filter(name, values):
        return Q("terms", **{FACET_FIELDS[name]: list(values)})

    def _query(self, request: SearchRequest):
        base = self._search().filter(self._readable(request.reader))
        if request.text:
            base = base.query(self._scored(self._text_query(request.text)))
        return base

    def search(self, request: SearchRequest) -> SearchResult:
        """Two searches in one `_msearch` round trip: the page of hits (scored, highlighted) and the
        counts (the total and every facet) in filter context, where nothing is scored. Elasticsearch's
        shard request cache may keep the counts of a repeated query until the index changes
        (settings.SEARCH_ELASTICSEARCH_REQUEST_CACHE). The spelling suggester runs only when nothing
        was found."""
        filters = {name: values for name, values in request.filters().items() if values}
        start = (request.page - 1) * request.page_size
        searches = [self._counts_body(request, filters)]
        if start + request.page_size <= MAX_RESULT_WINDOW:
            searches.append(self._hits_body(request, filters, start))
        counts_response, *hits_responses = self._msearch(searches)
        total = counts_response["hits"]["total"]["value"]
        num_pages = max(1, math.ceil(total / request.page_size))
        page = min(request.page, num_pages)
        if page != request.page or not hits_responses:
            start = (page - 1) * request.page_size
            hits_responses = self._msearch([self._hits_body(request, filters, start)])
        result = SearchResult(request=request, total=total, page=page, num_pages=num_pages)
        hits = hits_responses[0]["hits"]["hits"]
        aggregations = counts_response.get("aggregations", {})
        counts = {
            name: [(bucket["key"], bucket["doc_count"]) for bucket in _buckets(aggregations[name])] for name in FACETS
        }
        names = theme_names(
            [slug for hit in hits for slug in hit["_source"].get("themes") or []]
            + [value for value, _count in counts["theme"]]
        )
        result.hits = self._hits(hits, request, names)
        result.facets = facet_values(counts, request, names=names)
        if total == 0 and request.text:
            result.suggestion = self._suggestion(request)
        return result

    def _counts_body(self, request, filters) -> dict:
        """The total (all filters) and each facet's counts (the other facets' filters): no hits, no scores."""
        conditions = [self._readable(request.reader)]
        if request.text:
            conditions.append(self._text_query(request.text))
        query = Q("bool", filter=conditions)
        aggs = {}
        for name in FACETS:
            terms = {"field": FACET_FIELDS[name], "size": FACET_SIZES[name]}
            if name == "year":
                terms["order"] = {"_key": "desc"}
            others = [self._filter(other, values).to_dict() for other, values in filters.items() if other != name]
            if others:
                aggs[name] = {"filter": {"bool": {"filter": others}}, "aggs": {"values": {"terms": terms}}}
            else:
                aggs[name] = {"terms": terms}
        body = {"size": 0, "track_total_hits": True, "query": query.to_dict(), "aggs": aggs}
        if filters:
            body["post_filter"] = {"bool": {"filter": [self._filter(n, v).to_dict() for n, v in filters.items()]}}
        return body

    def _hits_body(self, request, filters, start) -> dict:
        s = self._query(request).extra(track_total_hits=False)
        if filters:
            s = s.post_filter("bool", filter=[self._filter(name, values) for name, values in filters.items()])
        if request.sort == SORT_NEWEST or not request.text:
            s = s.sort({"date": {"order": "desc", "missing": "_last"}}, {"object_id": "desc"})
        else:
            s = s.sort("_score", {"date": {"order": "desc", "missing": "_last"}}, {"object_id": "desc"})
        if request.text:
            # The unified highlighter reads the offsets stored with `content`, rather than analysing
            # each hit's text again as the plain highlighter does.
            s = s.highlight_options(
                type="unified",
                pre_tags=[MARK_START],
                post_tags=[MARK_STOP],
                fragment_size=SNIPPET_LENGTH,
                number_of_fragments=2,
                no_match_size=SNIPPET_LENGTH,
                order="none",
            ).highlight("content", highlight_query=self._highlight_query(request.text).to_dict())
        s = s.source(["kind", "title", "url", "summary", "themes", "date", "accepted"])
        return s[start : start + request.page_size].to_dict()

    def _execute(self, s):
        try:
            return s.execute()
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error

    def _msearch(self, bodies) -> list[dict]:
        cache = getattr(settings, "SEARCH_ELASTICSEARCH_REQUEST_CACHE", True)
        searches = []
        for body in bodies:
            searches += [{"index": self.alias, "request_cache": cache and body.get("size") == 0}, body]
        try:
            responses = self.es.msearch(searches=searches)["responses"]
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error
        for response in responses:
            if "error" in response:
                error = response["error"]
                kind = error.get("type", "") if isinstance(error, dict) else ""
                if kind == "index_not_found_exception":
                    raise IndexMissing(str(error))
                raise BackendUnavailable(f"search refused: {str(error)[:500]}")
        return responses

    def _hits(self, hits, request, names) -> list[Hit]:
        return [
            make_hit(
                {**hit["_source"], "date": _datetime(hit["_source"].get("date"))},
                marked=" ... ".join(hit.get("highlight", {}).get("content", [])) if request.text else None,
                names=names,
            )
            for hit in hits
        ]

    def _suggestion(self, request) -> str | None:
        """Each unknown word replaced by the closest indexed word; offered only when the corrected
        text finds something this reader may read (so it never hints at hidden content)."""
        s = (
            self._search()
            .extra(size=0)
            .suggest(
                "spelling",
                request.text,
                term={
                    "field": "spelling",
                    "suggest_mode": "missing",
                    "min_word_length": 4,
                    "max_edits": 2,
                    "prefix_length": 1,
                    "size": 10,
                },
            )
        )
        response = self._execute(s)
        entries = response.suggest.to_dict().get("spelling", []) if "suggest" in response else []
        text, changed = request.text, False
        for entry in sorted(entries, key=lambda entry: entry["offset"], reverse=True):
            word = text[entry["offset"] : entry["offset"] + entry["length"]]
            options = [option["text"] for option in entry.get("options", [])]
            if not options or not _WORD.fullmatch(word):
                continue
            best = min(options, key=lambda option: edit_distance(word.lower(), option))
            text = text[: entry["offset"]] + best + text[entry["offset"] + entry["length"] :]
            changed = True
        if not changed:
            return None
        check = self._search().filter(self._readable(request.reader)).query(self._text_query(text)).extra(size=0)
        try:
            found = check.count()
        except (TransportError, ApiError) as error:
            raise _unavailable(error) from error
        return text if found else None

    # Suggestions while typing ---------------------------------------------------------------------

    @staticmethod
    def _suggest_query(folded):
        """As the PostgreSQL backend: the folded title contains the typed text anywhere (inside a compound,
        after a hyphen), or, for real words, resembles it (fuzzy, on word prefixes). A match at the start
        of the title comes first, then one at the start of a word, then the rest."""

        def scored(query, boost):
            return Q("constant_score", filter=query, boost=boost)

        pattern = "*" + re.sub(r"([\\*?])", r"\\\1", folded) + "*"
        found = [scored(Q("wildcard", **{"title.folded": {"value": pattern}}), 2)]
        if _SUGGEST_WORDS.fullmatch(folded):
            fuzzy = {"query": folded, "operator": "and", "fuzziness": "AUTO", "prefix_length": 1}
            found.append(scored(Q("match", **{"title.prefix": fuzzy}), 1))
        return Q(
            "bool",
            must=[Q("bool", should=found, minimum_should_match=1)],
            should=[
                scored(Q("prefix", **{"title.folded": {"value": folded}}), 8),
                scored(Q("match", **{"title.prefix": {"query": folded, "operator": "and"}}), 4),
            ],
        )

    def suggest(self, *, text, reader=None, limit=8) -> list[Suggestion]:
        """Themes (from PostgreSQL, as the PostgreSQL backend ranks them) and titles the reader may open
        whose words start with, or (one or two typos away) resemble, what was typed."""
        folded = fold(text.strip())
        if len(folded) < MIN_THEME_SUGGEST_LENGTH or limit < 1:
            return []
        themes = PostgresBackend._ranked(Theme.objects.all(), "name", folded)[: min(MAX_THEME_SUGGESTIONS, limit)]
        suggestions = [
            Suggestion(label=theme.name, url=theme.get_absolute_url(), kind="theme", kind_label=str(_("Thema")))
            for theme in themes
        ]
        if len(folded) < MIN_TITLE_SUGGEST_LENGTH or len(suggestions) >= limit:
            return suggestions
        query = self._suggest_query(folded)
        s = (
            self._search()
            .filter(self._readable(reader))
            .query(query)
            .sort("_score", "title.folded")
            .source(["title", "url", "kind"])
        )
        labels = kind_labels()
        response = self._execute(s[: limit - len(suggestions)])
        suggestions += [
            Suggestion(label=hit.title, url=hit.url, kind=hit.kind, kind_label=str(labels.get(hit.kind, hit.kind)))
            for hit in response
        ]
        return suggestions
