"""One behaviour, two backends: every test here runs on PostgreSQL and on a real Elasticsearch node."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from community.models import OrganisationType, ProfileVisibility
from knowledge.models import KnowledgeArticle
from search.indexing import reindex_all
from search.query import SORT_NEWEST, suggest
from tests import factories
from tests.community.factories import member
from tests.search.conftest import titles


@pytest.fixture
def corpus(backend, tree):
    """A small fixed corpus: the word "archief" in the title, the summary, the body and only in a theme name."""
    index = tree["index"]
    beheer = factories.ThemeFactory(name="Archief en informatiebeheer", slug="beheer")
    woo = factories.ThemeFactory(name="Wet open overheid", slug="woo")
    pages = {
        "title": factories.article(
            index,
            title="Het archief van de provincie",
            summary="Wat bewaard blijft.",
            body=[factories.paragraph("Een verhaal over bewaartermijnen.")],
            themes=[woo],
            tags=["provincie"],
        ),
        "summary": factories.article(
            index,
            title="Bewaren en vernietigen",
            summary="Hoe een archief wordt opgeschoond.",
            body=[factories.paragraph("Selectielijsten en termijnen.")],
            themes=[woo],
            tags=["provincie", "selectie"],
        ),
        "body": factories.article(
            index,
            title="Selectielijsten in de praktijk",
            summary="Ervaringen van gemeenten.",
            body=[factories.paragraph("Elke gemeente schoont haar archief op na twintig jaar.")],
            tags=["selectie"],
        ),
        "theme": factories.article(
            index,
            title="Informatiehuishouding op orde",
            summary="Een plan van aanpak.",
            body=[factories.paragraph("Stap voor stap naar goede informatiehuishouding.")],
            themes=[beheer],
        ),
        "cafe": factories.article(
            index,
            title="Inspraak in het café",
            summary="Bewoners praten over transparantie.",
            body=[factories.paragraph("De raad besluit over het openbaar maken van stukken.")],
            themes=[woo],
        ),
    }
    for years_ago, key in enumerate(["cafe", "theme", "body", "summary", "title"]):
        KnowledgeArticle.objects.filter(pk=pages[key].pk).update(
            last_published_at=timezone.now() - timedelta(days=400 * years_ago + 10)
        )
    profile = member(
        display_name="Aafke Archivaris",
        organisation="Provincie Utrecht",
        organisation_type=OrganisationType.PROVINCIE,
        bio="Ik adviseer over transparantie.",
        visibility=ProfileVisibility.PUBLIC,
        expertise=[beheer],
    ).profile
    reindex_all()
    return {"pages": pages, "profile": profile, "beheer": beheer, "woo": woo}


def test_relevance_order_title_summary_body_theme(corpus, find):
    assert titles(find("archief", types=("article",))) == [
        "Het archief van de provincie",
        "Bewaren en vernietigen",
        "Selectielijsten in de praktijk",
        "Informatiehuishouding op orde",
    ]


def test_every_word_must_match(corpus, find):
    assert titles(find("archief bewaartermijnen")) == ["Het archief van de provincie"]
    assert find("archief ruimtevaart").total == 0


def test_stemming_finds_singular_and_plural(corpus, find):
    assert "Selectielijsten in de praktijk" in titles(find("gemeenten"))
    assert "Selectielijsten in de praktijk" in titles(find("gemeente"))
    assert titles(find("selectielijst")) == titles(find("selectielijsten"))


@pytest.mark.parametrize("text", ["cafe", "CAFÉ", "Café", "cAfE"])
def test_accents_and_case_do_not_matter(corpus, find, text):
    assert titles(find(text)) == ["Inspraak in het café"]


def test_a_compound_finds_the_phrase(corpus, find):
    assert titles(find("openbaarmaking")) == ["Inspraak in het café"]


def test_a_typo_offers_did_you_mean(corpus, find):
    result = find("transparantei")
    assert result.suggestion == "transparantie"
    assert find(result.suggestion).total == 2
    assert find("transparantie").suggestion is None
    assert find("xqzvwkjh").suggestion is None


def test_highlights_are_marked_and_escaped(backend, tree, find):
    factories.article(
        tree["index"],
        title="Scherp",
        summary="Over <b>inspraak</b> & zo.",
        body=[factories.paragraph("Meer over inspraak en <script>x</script>.")],
    )
    reindex_all()
    [hit] = find("inspraak").hits
    assert hit.snippet.count("<mark>inspraak</mark>") >= 1
    assert "&amp;" in hit.snippet
    assert "<" not in re.sub(r"</?mark>", "", hit.snippet)


def test_facets_count_and_combine(corpus, find):
    facets = find("").facets
    assert {f.value: f.count for f in facets["type"]} == {"article": 5, "profile": 1}
    assert {f.value: f.count for f in facets["theme"]} == {"woo": 3, "beheer": 2}
    assert {f.value: f.count for f in facets["tag"]} == {"provincie": 2, "selectie": 2}
    assert [(f.value, f.label) for f in facets["organisation_type"]] == [("provincie", "Provincie")]

    chosen = find("", themes=("woo",), tags=("selectie",))
    assert titles(chosen) == ["Bewaren en vernietigen"]
    # A facet counts what the other facets' choices leave, so its own values stay choosable.
    assert {f.value: (f.count, f.selected) for f in chosen.facets["theme"]} == {"woo": (1, True)}
    assert {f.value: (f.count, f.selected) for f in chosen.facets["tag"]} == {
        "provincie": (2, False),
        "selectie": (1, True),
    }
    assert find("", themes=("woo", "beheer")).total == 5
    assert find("archief", types=("profile",)).total == 1


def test_year_facet_newest_first_and_filter(corpus, find):
    facets = find("", types=("article",)).facets["year"]
    years = [int(f.value) for f in facets]
    assert years == sorted(years, reverse=True)
    assert sum(f.count for f in facets) == 5
    newest = facets[0]
    assert find("", types=("article",), years=(int(newest.value),)).total == newest.count


def test_sort_newest(corpus, find):
    assert titles(find("archief", types=("article",), sort=SORT_NEWEST)) == [
        "Informatiehuishouding op orde",
        "Selectielijsten in de praktijk",
        "Bewaren en vernietigen",
        "Het archief van de provincie",
    ]


READERS_FIND = {
    "visitor": {"Open werkgroep vertrouwelijkheid", "Publiek Profiel"},
    "member": {
        "Ledenartikel vertrouwelijkheid",
        "Open werkgroep vertrouwelijkheid",
        "Ledenwerkgroep vertrouwelijkheid",
        "Publiek Profiel",
        "Leden Profiel",
    },
}
READERS_FIND["group_member"] = READERS_FIND["member"] | {
    "Groepsartikel vertrouwelijkheid",
    "Geheime werkgroep vertrouwelijkheid",
}
READERS_FIND["editor"] = READERS_FIND["group_member"]


@pytest.mark.parametrize("reader", list(READERS_FIND))
def test_permissions_per_reader(world, find, reader):
    user = world["readers"][reader]
    result = find("vertrouwelijkheid", reader=user, page_size=50)
    assert set(titles(result)) == READERS_FIND[reader]
    assert sum(f.count for f in result.facets["type"]) == len(READERS_FIND[reader])
    typed = {s.label for s in suggest("vertrouw", reader=user or AnonymousUser(), limit=20)}
    assert typed <= READERS_FIND[reader]


def test_paging_and_far_pages(backend, tree, find):
    for number in range(7):
        factories.article(tree["index"], title=f"Raadsvergadering {number}", body=[factories.paragraph("Agenda.")])
    reindex_all()
    pages = [find("raadsvergadering", page_size=3, page=page) for page in (1, 2, 3)]
    assert [(r.total, r.num_pages, r.page) for r in pages] == [(7, 3, 1), (7, 3, 2), (7, 3, 3)]
    seen = [title for result in pages for title in titles(result)]
    assert len(seen) == len(set(seen)) == 7
    far = find("raadsvergadering", page_size=3, page=99999)
    assert (far.page, titles(far)) == (3, titles(pages[2]))
    nothing = find("onvindbaarwoord", page=99999)
    assert (nothing.total, nothing.page, nothing.num_pages, nothing.hits) == (0, 1, 1, [])


@pytest.mark.parametrize(
    "text",
    [
        "*",
        "title:*",
        "_exists_:title",
        "kind:article",
        "/.*/",
        "archief~5",
        "(archief OR",
        '"archief',
        "archief)",
        "AND OR NOT",
        "NOT archief",
        "archief^100",
        "{!} [x TO y] <> \\ / &&",
        "a" * 1000,
        "archief " * 200,
    ],
)
def test_query_syntax_is_just_text(corpus, find, text):
    """Elasticsearch (or PostgreSQL) query syntax never errors and never acts as syntax: no wildcard
    finds everything, no field query, no exclusion."""
    result = find(text)
    assert len(result.request.text) <= 200
    assert result.total < 6
    assert set(titles(result)) <= {
        "Het archief van de provincie",
        "Bewaren en vernietigen",
        "Selectielijsten in de praktijk",
        "Informatiehuishouding op orde",
        "Aafke Archivaris",
    }


def test_suggestions_while_typing(corpus):
    themes_first = suggest("archi", reader=AnonymousUser())
    assert themes_first[0].kind == "theme" and themes_first[0].label == "Archief en informatiebeheer"
    assert {s.label for s in themes_first if s.kind != "theme"} >= {"Het archief van de provincie", "Aafke Archivaris"}
    assert "Inspraak in het café" in {s.label for s in suggest("cafe", reader=AnonymousUser())}
    assert "Informatiehuishouding op orde" in {
        s.label for s in suggest("informatiehuishoudnig", reader=AnonymousUser())
    }
    assert suggest("", reader=AnonymousUser()) == []
    assert isinstance(suggest('title:* ("', reader=AnonymousUser()), list)


@pytest.mark.parametrize(
    ("text", "plain"),
    [("archief -provincie", "archief provincie"), ("archief or provincie", "archief provincie")],
)
def test_minus_and_or_are_words_on_both_backends(corpus, find, text, plain):
    """PostgreSQL's web search syntax would exclude "-provincie" and OR the words; Elasticsearch would
    not. Both answer the same: plain words, so the article about the provincial archive is found."""
    result = find(text)
    assert result.request.text == plain
    assert "Het archief van de provincie" in titles(result)
    assert titles(result) == titles(find(plain))


def test_phrases_in_quotes_keep_their_words(corpus, find):
    assert find('"openbaar maken" -or').request.text == '"openbaar maken"'
    assert "Inspraak in het café" in titles(find('"openbaar maken"'))


def test_a_dilemma_is_filed_under_the_year_of_its_case(backend, tree, find):
    """The year facet of a dilemma is the year it happened, not the year it was written up."""
    factories.dilemma(factories.dilemma_index(tree["home"]), title="Bodycambeelden van een demonstratie", year=2019)
    reindex_all()
    result = find("bodycambeelden")
    assert [(value.value, value.count) for value in result.facets["year"]] == [("2019", 1)]
    assert titles(find("bodycambeelden", years=(2019,))) == ["Bodycambeelden van een demonstratie"]
    assert titles(find("bodycambeelden", years=(timezone.now().year,))) == []
