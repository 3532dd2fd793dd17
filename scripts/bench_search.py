"""`make bench` (search part): our two backends beside Wagtail's built-in search, on one synthetic corpus.

It builds a separate database (`bench_search` on the embedded server, or BENCH_DATABASE_URL) with N
Kennisbank articles from scripts/bench_corpus.py, indexes them into each backend, and times a fixed mix of
queries: one word, two words, a phrase, with and without facet filters. Ours answer as a visitor with
facets, highlights and the total; Wagtail's return the first ten hits and the count. Latency is measured
in this process (no HTTP), once every backend is indexed and the database vacuumed and analysed, after
three warm-up rounds each, over `--repeat` rounds of the whole mix that take the backends in turn.

Elasticsearch's shard request cache is off for our Elasticsearch row, so that repeating the same nine
queries measures the work and not a cache; a second row shows the same backend with it on, as deployed.
"""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

QUERIES = [
    ("een woord", "gemeente", {}),
    ("een woord", "openbaarmaking", {}),
    ("twee woorden", "open data", {}),
    ("twee woorden", "raadsstukken persoonsgegevens", {}),
    ("zinsdeel", '"actieve openbaarmaking"', {}),
    ("zinsdeel", '"binnen vier weken"', {}),
    ("met facet", "algoritmeregister", {"themes": ("algoritmen-en-transparantie",)}),
    ("met facet", "begroting", {"themes": ("actieve-openbaarmaking",), "years": (2020,)}),
    ("met facet", "woo-verzoeken", {"themes": ("informatiehuishouding",)}),
]
BENCH_DATABASE = "bench_search"


def _start_elasticsearch():
    """Use the project's node (scripts/elasticsearch), started here and stopped at exit if it was not running."""
    import atexit
    import subprocess

    script = str(ROOT / "scripts/elasticsearch")
    running = subprocess.run([script, "status"], capture_output=True, text=True)
    if running.returncode != 0:
        started = subprocess.run([script, "start"], capture_output=True, text=True, env={"ES_HEAP": "1g", **os.environ})
        if started.returncode != 0:
            sys.exit(
                "bench: the Elasticsearch node did not start; run with --no-elasticsearch\n" + started.stderr[-2000:]
            )
        atexit.register(subprocess.run, [script, "stop"], capture_output=True)
        running = started
    os.environ["ELASTICSEARCH_URL"] = running.stdout.strip().splitlines()[-1]


def _setup_django():
    url = os.environ.get("BENCH_DATABASE_URL")
    owner = False
    if not url:
        from website.database import start, stop

        server, owner = start()
        server.psql(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}";')
        server.psql(f'CREATE DATABASE "{BENCH_DATABASE}";')
        url = server.get_uri(database=BENCH_DATABASE)
        if owner:
            import atexit

            atexit.register(stop)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = "bench_wagtail_"
    os.environ.setdefault("SEARCH_ELASTICSEARCH_INDEX", "bench_search")
    import django
    from django.conf import settings

    django.setup()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _site(themes):
    from knowledge.models import Theme
    from tests.factories import site_tree

    _home, index = site_tree()
    for item in themes:
        Theme.objects.get_or_create(slug=item["slug"], defaults={"name": item["name"]})
    return index


def _insert_articles(index, start, count, theme_slugs):
    """Pages inserted in bulk (treebeard paths computed here); the same rows Wagtail would write."""
    import bench_corpus
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from knowledge.models import KnowledgeArticle, PageTheme, Theme

    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def step(number):
        digits = ""
        for _ in range(4):
            number, rest = divmod(number, 36)
            digits = alphabet[rest] + digits
        return digits

    content_type = ContentType.objects.get_for_model(KnowledgeArticle)
    locale = Locale.get_default()
    themes = {theme.slug: theme.pk for theme in Theme.objects.all()}
    now = timezone.now()
    batch = []

    def flush():
        with transaction.atomic():
            pages = Page.objects.bulk_create([page for page, _article in batch])
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO knowledge_knowledgearticle (page_ptr_id, summary, edit_summary, body) "
                    "VALUES (%s, %s, '', %s)",
                    [
                        (page.pk, article.summary, json.dumps(article.body_blocks()))
                        for page, (_p, article) in zip(pages, batch, strict=True)
                    ],
                )
            PageTheme.objects.bulk_create(
                [
                    PageTheme(page_id=page.pk, theme_id=themes[slug], sort_order=order)
                    for page, (_p, article) in zip(pages, batch, strict=True)
                    for order, slug in enumerate(article.themes)
                ]
            )
        batch.clear()

    for article in bench_corpus.generate(count, theme_slugs, start=start):
        number = int(article.slug.rsplit("-", 1)[1])
        published = now.replace(year=article.year)
        page = Page(
            title=article.title,
            draft_title=article.title,
            slug=article.slug,
            path=index.path + step(number + 1),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}{article.slug}/",
            live=True,
            content_type=content_type,
            locale=locale,
            translation_key=uuid.uuid4(),
            first_published_at=published,
            last_published_at=published,
        )
        batch.append((page, article))
        if len(batch) == 1000:
            flush()
    if batch:
        flush()
    Page.objects.filter(pk=index.pk).update(numchild=start + count)


def _documents():
    """What our backends index, built once from the pages (the same code the indexer runs)."""
    from django.contrib.contenttypes.models import ContentType

    from search.documents import ArticleSource
    from search.indexing import build_documents

    source = ArticleSource()
    content_type_id = ContentType.objects.get_for_model(source.model).pk
    started = time.perf_counter()
    documents = [
        (content_type_id, page.pk, source.kind, data)
        for page, data in build_documents(source, source.indexable().iterator(chunk_size=1000))
    ]
    return documents, time.perf_counter() - started


def _index_ours(backend, documents, build_seconds):
    """The path `manage.py search_reindex` takes: Elasticsearch fills a new index and swaps it in."""
    started = time.perf_counter()
    rebuild = getattr(backend, "rebuild", None)
    if rebuild is not None:
        rebuild(documents, total=len(documents))
    else:  # what search.indexing.reindex_all does
        backend.clear()
        backend.bulk_upsert(documents)
    refresh = getattr(backend, "refresh", None)
    if refresh is not None:
        refresh()
    return len(documents) / (time.perf_counter() - started + build_seconds)


def _index_wagtail(backend_name):
    """What `rebuild_modelsearch_index` does, for the articles only."""
    from wagtail.search.backends import get_search_backend

    from knowledge.models import KnowledgeArticle

    backend = get_search_backend(backend_name)
    started = time.perf_counter()
    rebuilder = backend.rebuilder_class(backend.get_index_for_model(KnowledgeArticle))
    index = rebuilder.start()
    index.add_model(KnowledgeArticle)
    objects = KnowledgeArticle.get_indexed_objects().order_by("pk")
    count, last_pk = 0, 0
    while True:
        chunk = list(objects.filter(pk__gt=last_pk)[:1000])
        if not chunk:
            break
        index.add_items(KnowledgeArticle, chunk)
        count, last_pk = count + len(chunk), chunk[-1].pk
    rebuilder.finish()
    return count / (time.perf_counter() - started)


def _percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _settle(elasticsearch_url):
    """What a deployment has by the time anyone searches: statistics and visibility maps (autovacuum)
    and refreshed indices, for every contestant alike."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    if elasticsearch_url:
        from search.backends.elasticsearch import client

        client().indices.refresh(index="_all")


def _time_interleaved(runs, repeat, warmup=3):
    """Samples per run. Every run is warmed up first; then each round times every run in turn, starting
    with a different one each round, so that drift on the machine (and the JVM's warming) is shared."""
    for run in runs:
        for _ in range(warmup):
            for _kind, text, filters in QUERIES:
                run(text, filters)
    samples = [[] for _ in runs]
    for round_number in range(repeat):
        order = [(round_number + offset) % len(runs) for offset in range(len(runs))]
        for position in order:
            for _kind, text, filters in QUERIES:
                started = time.perf_counter()
                runs[position](text, filters)
                samples[position].append(time.perf_counter() - started)
    return samples


def _ours(backend, *, request_cache=False):
    from django.conf import settings

    from search.query import SearchRequest

    def run(text, filters):
        settings.SEARCH_ELASTICSEARCH_REQUEST_CACHE = request_cache
        result = backend.search(SearchRequest(text=text, reader=None, **filters))
        assert result.facets is not None
        return result.total

    return run


def _wagtail(backend_name):
    from django.db.models import Subquery
    from wagtail.search.backends import get_search_backend
    from wagtail.search.utils import parse_query_string

    from knowledge.models import KnowledgeArticle, PageTheme

    backend = get_search_backend(backend_name)

    def run(text, filters):
        queryset = KnowledgeArticle.objects.live()
        if filters.get("themes"):
            themed = PageTheme.objects.filter(theme__slug__in=filters["themes"]).values("page_id")
            queryset = queryset.filter(pk__in=Subquery(themed))
        if filters.get("years"):  # Wagtail's search filters know ranges, not __year
            [year] = filters["years"]
            start, end = f"{year}-01-01", f"{year + 1}-01-01"
            queryset = queryset.filter(first_published_at__gte=start, first_published_at__lt=end)
        _filters, query = parse_query_string(text)
        results = backend.search(query, queryset)
        list(results[:10])
        return results.count()

    return run


def _report(row):
    _size, label, throughput, p50, p95 = row
    print(f"  {label}: {throughput:.0f} docs/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="corpus sizes, comma-separated, ascending")
    parser.add_argument("--repeat", type=int, default=10, help="rounds of the query mix per backend")
    parser.add_argument("--wagtail-max", type=int, default=100000, help="largest corpus Wagtail's search runs on")
    parser.add_argument("--no-elasticsearch", action="store_true", help="only PostgreSQL (ours and Wagtail's)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if not args.no_elasticsearch and not os.environ.get("ELASTICSEARCH_URL"):
        _start_elasticsearch()

    _setup_django()
    from django.conf import settings
    from wagtail.search.backends import get_search_backend

    from search.backends.postgres import PostgresBackend

    themes = json.loads((ROOT / "website/demo/themes.json").read_text())
    index = _site(themes)
    theme_slugs = [item["slug"] for item in themes]
    elasticsearch_url = os.environ.get("ELASTICSEARCH_URL")
    if elasticsearch_url:
        settings.WAGTAILSEARCH_BACKENDS["wagtail_db"] = {
            "BACKEND": "wagtail.search.backends.database",
            "SEARCH_CONFIG": "dutch",
        }

    rows, have = [], 0
    for size in sizes:
        started = time.perf_counter()
        _insert_articles(index, have, size - have, theme_slugs)
        have = size
        print(f"{size} articles in the database ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        documents, build_seconds = _documents()
        contestants = []  # (label, run, indexing throughput)
        backend = PostgresBackend()
        throughput = _index_ours(backend, documents, build_seconds)
        contestants.append(("ours: PostgreSQL (facets + highlights)", _ours(backend), throughput))
        if elasticsearch_url:
            from search.backends.elasticsearch import ElasticsearchBackend

            backend = ElasticsearchBackend()
            throughput = _index_ours(backend, documents, build_seconds)
            # Nothing cached between rounds but what every backend gets (the database's buffers, the
            # node's filter caches): Elasticsearch's request cache would answer the repeated counts.
            contestants.append(
                ("ours: Elasticsearch (facets + highlights)", _ours(backend, request_cache=False), throughput)
            )
            contestants.append(
                ("  the same, with its request cache (default)", _ours(backend, request_cache=True), throughput)
            )
        if size <= args.wagtail_max:
            database_backend = "wagtail_db" if elasticsearch_url else "default"
            wagtail_backends = [("Wagtail search: database (PostgreSQL)", database_backend)]
            if elasticsearch_url:
                wagtail_backends.append(("Wagtail search: Elasticsearch", "default"))
            for label, name in wagtail_backends:
                get_search_backend(name)
                contestants.append((label, _wagtail(name), _index_wagtail(name)))
        for label, _run, throughput in contestants:
            print(f"  indexed, {label.strip()}: {throughput:.0f} docs/s", file=sys.stderr)
        _settle(elasticsearch_url)
        timed = _time_interleaved([run for _label, run, _throughput in contestants], args.repeat)
        for (label, _run, throughput), samples in zip(contestants, timed, strict=True):
            rows.append((size, label, throughput, *_percentiles(samples)))
            _report(rows[-1])

    print(
        f"\nsearch, {len(QUERIES)} queries x {args.repeat} rounds per row, visitor's view, "
        f"{os.cpu_count()} cores; index docs/s includes building the documents"
    )
    print(f"{'docs':>7}  {'backend':<44} {'index docs/s':>12} {'p50 ms':>8} {'p95 ms':>8}")
    for size, label, throughput, p50, p95 in rows:
        print(f"{size:>7}  {label:<44} {throughput:>12.0f} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
