"""How the PostgreSQL backend keeps a common word fast: it finds the matches once through the GIN index,
counts the total and the facets from that one set, ranks every match by the short `rank_vector` and
only the best RESCORE_WINDOW by the whole text. These tests pin the behaviour a reader sees (order,
paging, counts) and the shape of the work (statements, index use)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from search import audiences
from search.backends import postgres
from search.backends.postgres import PostgresBackend
from search.documents import ArticleSource
from search.indexing import build_documents, reindex_all
from search.query import SORT_NEWEST, SearchRequest
from tests import factories

pytestmark = pytest.mark.django_db


def _search(text, **kwargs):
    return PostgresBackend().search(SearchRequest(text=text, reader=AnonymousUser(), **kwargs))


@pytest.fixture
def corpus(tree):
    """Two articles with the word in their title (one also says it often in its body), and five that
    only mention it once in their body."""
    index = tree["index"]
    theme = factories.ThemeFactory(name="Archivering", slug="archivering")
    pages = {
        "title_once": factories.article(
            index, title="Archief op orde", body=[factories.paragraph("Een archief helpt.")], themes=[theme]
        ),
        "title_often": factories.article(
            index,
            title="Archief bij de gemeente",
            body=[factories.paragraph("Het archief, het archief en nog eens het archief: archief.")],
        ),
    }
    for number in range(5):
        pages[f"body_{number}"] = factories.article(
            index,
            title=f"Overig stuk {number}",
            body=[factories.paragraph(f"Dit stuk {number} noemt het archief maar één keer.")],
            themes=[theme] if number % 2 else [],
        )
    factories.article(index, title="Iets anders", body=[factories.paragraph("Over vergaderen.")])
    reindex_all()
    return pages


def test_title_matches_come_first_and_the_whole_text_orders_them(corpus):
    titles = [hit.title for hit in _search("archief", page_size=10).hits]
    assert titles[:2] == ["Archief bij de gemeente", "Archief op orde"]
    assert len(titles) == 7


def test_the_window_is_a_rescore_of_the_cheap_order_not_a_different_order(corpus, monkeypatch):
    """With a window of three, the two title matches and the newest body match are ranked by the whole
    text; the rest follow, newest first, as the cheap rank (all zero) leaves them."""
    monkeypatch.setattr(postgres, "RESCORE_WINDOW", 3)
    titles = [hit.title for hit in _search("archief", page_size=10).hits]
    assert titles[:2] == ["Archief bij de gemeente", "Archief op orde"]
    assert titles[2:] == [f"Overig stuk {n}" for n in (4, 3, 2, 1, 0)]


@pytest.mark.parametrize("window", [1, 3, 4, 200])
def test_paging_across_the_window_shows_every_match_exactly_once(corpus, monkeypatch, window):
    monkeypatch.setattr(postgres, "RESCORE_WINDOW", window)
    seen = []
    for page in range(1, 5):
        result = _search("archief", page=page, page_size=2)
        seen += [hit.title for hit in result.hits]
    assert result.num_pages == 4
    assert len(seen) == len(set(seen)) == 7
    assert seen[0] == "Archief bij de gemeente"


def test_total_and_facets_come_from_the_same_matches(corpus):
    result = _search("archief", themes=("archivering",))
    assert result.total == 3  # title_once, body_1, body_3
    assert {f.value: f.count for f in result.facets["theme"]} == {"archivering": 3}
    # the type facet counts with the theme filter; the theme facet without its own filter
    assert {f.value: f.count for f in result.facets["type"]} == {"article": 3}
    unfiltered = _search("archief")
    assert unfiltered.total == 7
    assert {f.value: f.count for f in unfiltered.facets["theme"]} == {"archivering": 3}


def test_newest_first_ignores_the_rank(corpus):
    titles = [hit.title for hit in _search("archief", sort=SORT_NEWEST, page_size=3).hits]
    assert titles == ["Overig stuk 4", "Overig stuk 3", "Overig stuk 2"]


def test_a_search_finds_the_matches_once_through_the_gin_index(corpus):
    """One statement counts, facets and picks the page; one fetches the page with its snippets; one
    names the themes. The matches come from the GIN index even when nearly every row matches, where
    the planner would otherwise read every row's long vector in a sequential scan."""
    with CaptureQueriesContext(connection) as queries:
        result = _search("archief", themes=("archivering",), years=(2026,))
    assert result.total == 3
    statements = [query["sql"] for query in queries.captured_queries]
    main = [sql for sql in statements if "WITH matched" in sql]
    assert len(main) == 1
    assert len([sql for sql in statements if "ts_headline" in sql]) == 1
    assert len([sql for sql in statements if "knowledge_theme" in sql]) == 1
    others = [sql for sql in statements if "WITH matched" not in sql and "ts_headline" not in sql]
    others = [sql for sql in others if "knowledge_theme" not in sql and "SAVEPOINT" not in sql]
    assert others and all("enable_seqscan" in sql for sql in others)  # nothing else, per match or facet
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"  # the search put the setting back in this ongoing transaction
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + main[0])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on search_document_text_readers" in plan


def test_a_page_past_the_end_shows_the_last_page(corpus):
    result = _search("archief", page=99999, page_size=2)
    assert (result.page, result.num_pages, len(result.hits)) == (4, 4, 1)


def test_many_pages_at_once_get_the_same_audiences_as_one_by_one(tree):
    """Indexing in bulk reads the view restrictions once; each page must still get its own, including
    a restriction on an ancestor."""
    index = tree["index"]
    public = factories.article(index, title="Openbaar")
    members = factories.article(index, title="Voor leden")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    one_by_one = [audiences.for_page(page) for page in (public, members)]
    with audiences.restrictions_loaded():
        at_once = [audiences.for_page(page) for page in (public, members)]
    assert at_once == one_by_one == [[audiences.PUBLIC], [audiences.EDITORS, audiences.PAGE_MEMBERS]]

    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    source = ArticleSource()
    built = {page.title: data.audiences for page, data in build_documents(source, source.indexable())}
    assert built == {
        "Openbaar": [audiences.EDITORS, audiences.PAGE_MEMBERS],
        "Voor leden": [audiences.EDITORS, audiences.PAGE_MEMBERS],
    }
    assert built["Openbaar"] == audiences.for_page(public)
