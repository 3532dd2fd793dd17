"""Suggestions while typing: titles the reader may open and themes, fast, and never a leak."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from community.models import ProfileVisibility
from search.indexing import reindex_all
from search.query import suggest
from tests import factories
from tests.community.factories import member
from tests.search.test_permissions import ITEMS, VISIBLE, _title

URL = reverse("search:suggest")


@pytest.fixture
def shelf(backend, tree):
    themes = [
        factories.ThemeFactory(name="Transparantie", slug="transparantie"),
        factories.ThemeFactory(name="Actieve openbaarmaking", slug="actieve-openbaarmaking"),
        factories.ThemeFactory(name="Archivering", slug="archivering"),
    ]
    for title in [
        "Transparantie bij gemeenten",
        "Meer transparantie in de raad",
        "Overleg in het café",
        "Woo-verzoek afhandelen",
        "Archiefwet en bewaartermijnen",
        "Een register van algoritmen",
    ]:
        factories.article(tree["index"], title=title, body=[factories.paragraph("Tekst.")])
    member(display_name="Trees Transparant", visibility=ProfileVisibility.PUBLIC)
    reindex_all()
    return themes


def labels(suggestions):
    return [suggestion.label for suggestion in suggestions]


def test_titles_and_themes_that_start_with_the_typed_text(shelf):
    result = suggest("transp", reader=AnonymousUser())
    assert labels(result)[:2] == ["Transparantie", "Transparantie bij gemeenten"]
    assert set(labels(result)) == {
        "Transparantie",
        "Transparantie bij gemeenten",
        "Meer transparantie in de raad",
        "Trees Transparant",
    }
    assert {s.kind for s in result} == {"theme", "article", "profile"}
    theme = next(s for s in result if s.kind == "theme")
    assert (theme.url, theme.kind_label) == ("/themas/transparantie/", "Thema")
    article = next(s for s in result if s.label == "Transparantie bij gemeenten")
    assert article.kind_label == "Kennisartikel" and article.url.startswith("/kennisbank/")


def test_a_match_at_the_start_ranks_before_one_further_on(shelf):
    titles = [s.label for s in suggest("transparantie", reader=AnonymousUser()) if s.kind == "article"]
    assert titles == ["Transparantie bij gemeenten", "Meer transparantie in de raad"]


def test_accents_and_case_do_not_matter(shelf):
    assert "Overleg in het café" in labels(suggest("CAFE", reader=AnonymousUser()))
    assert "Overleg in het café" in labels(suggest("café", reader=AnonymousUser()))


def test_a_part_of_a_compound_and_a_word_after_a_hyphen_are_found(shelf):
    assert "Woo-verzoek afhandelen" in labels(suggest("verzoek", reader=AnonymousUser()))
    assert "Archiefwet en bewaartermijnen" in labels(suggest("termijn", reader=AnonymousUser()))


def test_a_typo_still_suggests(shelf):
    assert "Een register van algoritmen" in labels(suggest("algoritmn", reader=AnonymousUser()))
    assert "Transparantie" in labels(suggest("transparantei", reader=AnonymousUser()))


def test_too_short_text_suggests_themes_only_then_nothing(shelf):
    assert suggest("t", reader=AnonymousUser()) == []
    assert suggest("", reader=AnonymousUser()) == []
    assert {s.kind for s in suggest("ar", reader=AnonymousUser())} == {"theme"}


def test_the_limit_holds_and_themes_leave_room_for_titles(backend, tree):
    for number in range(6):
        factories.ThemeFactory(name=f"Inspraak {number}", slug=f"inspraak-{number}")
        factories.article(tree["index"], title=f"Inspraak in wijk {number}")
    reindex_all()
    result = suggest("inspraak", reader=AnonymousUser(), limit=5)
    assert len(result) == 5
    assert [s.kind for s in result].count("theme") == 3
    assert len(suggest("inspraak", reader=AnonymousUser(), limit=20)) == 3 + 6


@pytest.mark.parametrize("text", ["%%%", "___", "\\", ".*", "(((", "[a-", "'\"", "a%", "tr_ns", "x" * 300])
def test_pattern_characters_are_plain_text(shelf, text):
    assert suggest(text, reader=AnonymousUser()) == []


def test_a_nul_character_is_dropped(shelf):
    assert labels(suggest("\x00archiv", reader=AnonymousUser())) == labels(suggest("archiv", reader=AnonymousUser()))


@pytest.mark.parametrize("reader", list(VISIBLE))
def test_each_reader_is_offered_only_what_they_may_open(world, reader):
    offered = set(labels(suggest("vertrouwelijkheid", reader=world["readers"][reader], limit=50)))
    titled = {name: _title(world[name]) for name in ITEMS if "vertrouwelijkheid" in _title(world[name]).lower()}
    assert offered == {title for name, title in titled.items() if name in VISIBLE[reader]}
    assert offered


def test_the_endpoint_answers_json_that_no_cache_shares_between_readers(shelf, client):
    response = client.get(URL, {"q": "transparantie"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    data = json.loads(response.content)
    first = data["suggestions"][0]
    assert first == {"label": "Transparantie", "url": "/themas/transparantie/", "kind": "theme", "kind_label": "Thema"}
    assert {"Transparantie bij gemeenten", "Meer transparantie in de raad"} <= {s["label"] for s in data["suggestions"]}


def test_the_endpoint_gives_titles_as_data_never_as_markup(backend, tree, client):
    """The script writes labels with textContent; the answer is JSON that no browser may sniff as HTML."""
    factories.article(tree["index"], title="<img src=x onerror=alert(1)> inspraak")
    reindex_all()
    response = client.get(URL, {"q": "inspraak"})
    assert response.json()["suggestions"][0]["label"] == "<img src=x onerror=alert(1)> inspraak"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "x" * 5000}, {"q": "tra\x00ns"}, {"q": ["a", "b"]}, {"q": "title:*"}]
)
def test_the_endpoint_takes_bad_input_calmly(shelf, client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


def test_a_member_gets_members_only_titles_from_the_endpoint(backend, tree, client):
    from wagtail.models import PageViewRestriction

    page = factories.article(tree["index"], title="Ledenoverleg inspraak")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    reindex_all()
    assert client.get(URL, {"q": "ledenoverleg"}).json()["suggestions"] == []
    client.force_login(member())
    assert [s["label"] for s in client.get(URL, {"q": "ledenoverleg"}).json()["suggestions"]] == [
        "Ledenoverleg inspraak"
    ]


def test_suggestions_take_a_constant_number_of_queries(backend, tree):
    from django.test.utils import CaptureQueriesContext

    reader_pk = member().pk

    def queries_for(count):
        from django.contrib.auth import get_user_model

        reader = get_user_model().objects.get(pk=reader_pk)
        for number in range(count):
            factories.ThemeFactory(name=f"Inspraak {count} {number}", slug=f"inspraak-{count}-{number}")
            factories.article(tree["index"], title=f"Inspraak in wijk {count} {number}")
        reindex_all()
        with CaptureQueriesContext(connection) as context:
            offered = suggest("inspraak", reader=reader)
        return len(context), len(offered)

    few, few_offered = queries_for(1)
    many, many_offered = queries_for(12)
    assert (few_offered, many_offered) == (2, 8)
    assert few <= 6 and many <= 6, "the reader's audiences (3), themes, titles that start so, titles alike"


def test_the_title_lookups_read_their_indexes(tree):
    """With sequential and bitmap scans priced out, PostgreSQL must still answer both title queries
    from an index: proof that the queries' shape matches the expression indexes of migration 0002.
    (PostgreSQL's own indexes, so not run per backend; the test settings search on PostgreSQL.)"""
    from django.test.utils import CaptureQueriesContext

    factories.article(tree["index"], title="Inspraak in de wijk")
    reindex_all()
    with CaptureQueriesContext(connection) as context:
        assert labels(suggest("inspraak", reader=AnonymousUser())) == ["Inspraak in de wijk"]
        assert labels(suggest("wijkk", reader=AnonymousUser())) == ["Inspraak in de wijk"]
    titles = [query["sql"] for query in context.captured_queries if "search_searchdocument" in query["sql"]]
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for sql in titles:
            cursor.execute("EXPLAIN " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "search_document_title_" in plans[0]
    assert any("search_document_title_trgm" in plan and "Order By" in plan for plan in plans[1:])
