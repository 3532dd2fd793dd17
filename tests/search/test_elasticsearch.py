"""Elasticsearch as a mirror of PostgreSQL: an alias swapped without downtime, the first write creating
the index, PostgreSQL answering while the node is down, and what changed meanwhile indexed once it is back."""

import io
import logging
import os
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from community.models import ProfileVisibility
from knowledge.models import KnowledgeArticle
from search.backends.elasticsearch import ElasticsearchBackend
from search.indexing import index_object, reindex_all
from search.models import PendingIndexChange, SearchDocument
from search.query import SearchRequest, search
from tests import factories
from tests.community.factories import member
from tests.conftest import require_service
from tests.search.conftest import drop_elasticsearch_indexes, titles, use_elasticsearch

NODE_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "elasticsearch"


@pytest.fixture
def es(settings, db, elasticsearch_url):
    alias = use_elasticsearch(settings, elasticsearch_url)
    yield ElasticsearchBackend()
    drop_elasticsearch_indexes(elasticsearch_url, alias)


def es_titles(text, reader=None):
    """Straight from Elasticsearch, without the PostgreSQL fallback."""
    return titles(ElasticsearchBackend().search(SearchRequest(text=text, reader=reader or AnonymousUser())))


@pytest.mark.elasticsearch
def test_a_reindex_fills_a_new_index_and_swaps_the_alias_while_searches_keep_answering(es, tree):
    factories.article(tree["index"], title="Oude regels voor inspraak")
    factories.article(tree["index"], title="Inspraak bij de begroting")
    reindex_all()
    [old_index] = es.index_names()
    assert set(es_titles("inspraak")) == {"Inspraak bij de begroting", "Oude regels voor inspraak"}
    factories.article(tree["index"], title="Nieuwe verordening voor inspraak")  # not indexed yet (no commit)

    during = []

    def progress(kind, done, total):
        if kind == "elasticsearch":
            during.append((es.index_names(), set(es_titles("inspraak"))))

    summary = reindex_all(progress=progress)

    assert summary.mirrored == 3
    assert during and all(names == [old_index] for names, _found in during)
    assert all(found == {"Oude regels voor inspraak", "Inspraak bij de begroting"} for _names, found in during)
    [new_index] = es.index_names()
    assert new_index != old_index and new_index.startswith(es.alias + "-")
    assert not es.es.indices.exists(index=old_index)
    assert len(es_titles("inspraak")) == 3


@pytest.mark.elasticsearch
def test_clear_empties_the_index_behind_the_alias_on_a_node_without_delete_by_query(es, tree):
    factories.article(tree["index"], title="Weg te halen notulen")
    reindex_all()
    assert es_titles("notulen") == ["Weg te halen notulen"]
    [before] = es.index_names()

    es.clear()

    [after] = es.index_names()
    assert after != before and not es.es.indices.exists(index=before)
    assert es_titles("notulen") == []


@pytest.mark.elasticsearch
def test_the_reindex_command_on_elasticsearch(es, tree):
    factories.article(tree["index"], title="Herbouwd artikel")
    member(display_name="Herbouwd Lid", visibility=ProfileVisibility.PUBLIC)
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    text = out.getvalue()
    assert "article: 1 indexed" in text
    assert "elasticsearch" in text and "[" in text
    assert "Elasticsearch: 2 documents in " + es.alias in text
    assert set(es_titles("herbouwd")) == {"Herbouwd artikel", "Herbouwd Lid"}


@pytest.mark.elasticsearch
def test_the_first_write_creates_index_and_alias(es, tree, django_capture_on_commit_callbacks):
    assert es.index_names() == []
    with django_capture_on_commit_callbacks(execute=True):
        factories.article(tree["index"], title="Allereerste artikel")
    [index] = es.index_names()
    assert index.startswith(es.alias + "-")
    assert es_titles("allereerste") == ["Allereerste artikel"]
    assert not PendingIndexChange.objects.exists()


@pytest.mark.elasticsearch
def test_switching_elasticsearch_on_later_fills_it_from_postgresql(settings, db, tree, elasticsearch_url, caplog):
    factories.article(tree["index"], title="Bestaand artikel over archieven")
    factories.article(tree["index"], title="Nog een bestaand artikel")
    reindex_all()  # PostgreSQL only
    alias = use_elasticsearch(settings, elasticsearch_url)
    try:
        with caplog.at_level(logging.WARNING):
            result = search(SearchRequest(text="bestaand", reader=AnonymousUser()))
        assert result.total == 2  # PostgreSQL answered
        assert "Elasticsearch unavailable" in caplog.text
        # ... and the catch-up it scheduled (run at once by the test task backend) built the index.
        assert not PendingIndexChange.objects.exists()
        assert set(es_titles("bestaand")) == {"Bestaand artikel over archieven", "Nog een bestaand artikel"}
    finally:
        drop_elasticsearch_indexes(elasticsearch_url, alias)


def _managed_node(url):
    """The node at `url` is the one scripts/elasticsearch runs (so this test may stop and start it)."""
    status = subprocess.run([str(NODE_SCRIPT), "status"], capture_output=True, text=True, check=False)  # noqa: S603
    return status.returncode == 0 and status.stdout.strip().splitlines()[-1].rstrip("/") == url.rstrip("/")


def _node(command):
    env = {**os.environ, "ES_KEEP_DATA": "1"}
    completed = subprocess.run(  # noqa: S603 -- our own script, fixed arguments
        [str(NODE_SCRIPT), command], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stderr


@pytest.mark.elasticsearch
def test_node_down_postgresql_answers_and_changes_follow_when_it_is_back(
    es, tree, caplog, django_capture_on_commit_callbacks
):
    """Slow: really stops the node and starts it again (keeping its data)."""
    if not _managed_node(os.environ["ELASTICSEARCH_URL"]):
        require_service(
            "Elasticsearch stop-and-start",
            "run the node with scripts/elasticsearch (this test stops and starts it; another node is not ours to stop)",
        )
    with django_capture_on_commit_callbacks(execute=True):
        gone = factories.article(tree["index"], title="Verdwijnend raadsbesluit")
        factories.article(tree["index"], title="Blijvend raadsbesluit")
    assert set(es_titles("raadsbesluit")) == {"Verdwijnend raadsbesluit", "Blijvend raadsbesluit"}

    _node("stop")
    try:
        with caplog.at_level(logging.WARNING):
            down = search(SearchRequest(text="raadsbesluit", reader=AnonymousUser()))
        assert down.total == 2 and "Elasticsearch unavailable" in caplog.text

        # Writes succeed while the node is down; what Elasticsearch missed is remembered.
        with django_capture_on_commit_callbacks(execute=True):
            added = factories.article(tree["index"], title="Nieuw raadsbesluit tijdens storing")
            KnowledgeArticle.objects.get(pk=gone.pk).unpublish()
        assert KnowledgeArticle.objects.get(pk=added.pk).live
        assert PendingIndexChange.objects.count() == 2
        meanwhile = search(SearchRequest(text="raadsbesluit", reader=AnonymousUser()))
        assert set(titles(meanwhile)) == {"Blijvend raadsbesluit", "Nieuw raadsbesluit tijdens storing"}
    finally:
        _node("start")
    es.es.cluster.health(index=es.alias, wait_for_status="yellow", timeout="60s")

    # Until the backlog is applied searches stay on PostgreSQL; the next search schedules the catch-up.
    back = search(SearchRequest(text="raadsbesluit", reader=AnonymousUser()))
    assert set(titles(back)) == {"Blijvend raadsbesluit", "Nieuw raadsbesluit tijdens storing"}
    assert not PendingIndexChange.objects.exists()
    assert set(es_titles("raadsbesluit")) == {"Blijvend raadsbesluit", "Nieuw raadsbesluit tijdens storing"}
    assert SearchDocument.objects.count() == 2

    # And a write after the node is back goes straight in again.
    index_object(KnowledgeArticle.objects.get(pk=added.pk))
    assert not PendingIndexChange.objects.exists()


@pytest.mark.elasticsearch
def test_recent_content_and_accepted_answers_rank_higher(es):
    from datetime import timedelta

    from django.utils import timezone

    from search.documents import DocumentData

    now = timezone.now()
    texts = {
        1: ("Oud antwoord over inspraak", now - timedelta(days=5 * 365), None),
        2: ("Nieuw antwoord over inspraak", now - timedelta(days=5), None),
        3: ("Geaccepteerd antwoord over inspraak", now - timedelta(days=5 * 365), True),
    }
    for pk, (title, date, accepted) in texts.items():
        es.upsert(
            content_type_id=1,
            object_id=pk,
            kind="article",
            data=DocumentData(title=title, url=f"/{pk}/", date=date, accepted=accepted),
        )
    ranked = es_titles("antwoord inspraak")
    assert ranked.index("Nieuw antwoord over inspraak") < ranked.index("Oud antwoord over inspraak")
    assert ranked.index("Geaccepteerd antwoord over inspraak") < ranked.index("Oud antwoord over inspraak")


UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port: connections are refused at once


def test_with_the_node_unreachable_postgresql_answers_and_a_rebuild_waits(settings, tree, caplog):
    """Needs no node: Elasticsearch configured at an address where nothing answers."""
    use_elasticsearch(settings, UNREACHABLE)
    factories.article(tree["index"], title="Altijd vindbaar artikel")
    out = io.StringIO()
    with caplog.at_level(logging.WARNING):
        call_command("search_reindex", stdout=out)
        result = search(SearchRequest(text="vindbaar", reader=AnonymousUser()))
    assert "article: 1 indexed" in out.getvalue()
    assert "Elasticsearch unavailable" in out.getvalue() and "PostgreSQL" in out.getvalue()
    assert titles(result) == ["Altijd vindbaar artikel"]
    assert PendingIndexChange.objects.filter(content_type_id=0, object_id=0).exists()
    assert "Elasticsearch unavailable" in caplog.text


def _immense(data):
    """A tag longer than Lucene takes as one term (32,766 bytes): the node refuses the document."""
    from dataclasses import replace

    return replace(data, tags=["x" * 40_000])


@pytest.mark.elasticsearch
def test_a_document_the_node_refuses_never_waits_in_the_backlog_nor_stays_stale(es, tree, caplog):
    """Retrying a refusal cannot help: it is logged, nothing is remembered for the catch-up (which would
    otherwise retry it forever, holding every later change behind it), and the earlier version, which
    may be readable by more people than the new one, is removed."""
    from django.contrib.contenttypes.models import ContentType

    from search.documents import ArticleSource
    from search.indexing import mirror_change

    page = factories.article(tree["index"], title="Inspraak die de node weigert")
    index_object(page)
    assert es_titles("weigert") == ["Inspraak die de node weigert"]
    content_type_id = ContentType.objects.get_for_model(KnowledgeArticle).pk
    refused = _immense(ArticleSource().document(page))
    with caplog.at_level(logging.ERROR):
        mirror_change(content_type_id=content_type_id, object_id=page.pk, kind="article", data=refused)
    assert "Elasticsearch refused" in caplog.text
    assert not PendingIndexChange.objects.exists()
    assert es_titles("weigert") == []

    other = factories.article(tree["index"], title="Inspraak die wel aankomt")
    index_object(other)  # the mirror is not "behind": the next change goes straight in
    assert es_titles("aankomt") == ["Inspraak die wel aankomt"]


@pytest.mark.elasticsearch
def test_a_bulk_write_takes_what_it_can_and_removes_what_it_refuses(es, tree, caplog):
    from django.contrib.contenttypes.models import ContentType

    from search.documents import ArticleSource

    first = factories.article(tree["index"], title="Eerste inspraakstuk")
    second = factories.article(tree["index"], title="Tweede inspraakstuk")
    reindex_all()
    content_type_id = ContentType.objects.get_for_model(KnowledgeArticle).pk
    source = ArticleSource()
    first_data = source.document(first)
    first_data.title = "Eerste inspraakstuk, bijgewerkt"
    with caplog.at_level(logging.ERROR):
        refused = es.bulk(
            upserts=[
                (content_type_id, first.pk, "article", first_data),
                (content_type_id, second.pk, "article", _immense(source.document(second))),
            ]
        )
    assert [item["_id"] for item in refused] == [f"{content_type_id}:{second.pk}"]
    assert "Elasticsearch refused document" in caplog.text
    assert es_titles("inspraakstuk") == ["Eerste inspraakstuk, bijgewerkt"]


@pytest.mark.elasticsearch
def test_a_bulk_delete_of_what_the_index_does_not_hold_is_no_refusal(es, tree, caplog):
    """The catch-up and the many-at-once task delete documents that may never have reached the node."""
    factories.article(tree["index"], title="Een stuk dat er wel is")
    reindex_all()
    with caplog.at_level(logging.ERROR):
        assert es.bulk(deletes=[(1, 999_999)]) == []
    assert "refused" not in caplog.text
    assert es_titles("stuk") == ["Een stuk dat er wel is"]
