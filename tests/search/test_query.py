"""What a reader gets back from the one query API, on every backend."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import OrganisationType, ProfileVisibility
from knowledge.models import KnowledgeArticle
from search.indexing import index_object, reindex_all
from search.query import SORT_NEWEST
from tests import factories
from tests.community.factories import member
from tests.search.conftest import titles


@pytest.fixture
def corpus(backend, tree):
    index = tree["index"]
    woo = factories.ThemeFactory(name="Wet open overheid", slug="woo")
    archief = factories.ThemeFactory(name="Archivering", slug="archief")
    articles = {
        "gemeente": factories.article(
            index,
            title="De gemeente en openbaarheid",
            summary="Hoe een gemeente stukken openbaar maakt.",
            body=[factories.paragraph("Een lange tekst over de actieve openbaarmaking van documenten.")],
            themes=[woo],
            tags=["actief"],
        ),
        "cafe": factories.article(
            index,
            title="Overleg in het café",
            summary="Beleid bespreken buiten het stadhuis.",
            body=[factories.paragraph("Praten over transparantie met inwoners.")],
            themes=[archief],
            tags=["inwoners"],
        ),
        "archief": factories.article(
            index,
            title="Archiefwet en bewaartermijnen",
            summary="Bewaren en vernietigen van archiefstukken.",
            body=[factories.paragraph("De provincie bewaart haar archief twintig jaar.")],
            themes=[archief, woo],
            tags=["actief", "archief"],
        ),
    }
    profile = member(
        display_name="Jet Jansen",
        organisation="Gemeente Utrecht",
        organisation_type=OrganisationType.GEMEENTE,
        bio="Adviseur archief en transparantie.",
        visibility=ProfileVisibility.PUBLIC,
        expertise=[archief],
    ).profile
    dates = {"gemeente": 3, "cafe": 2, "archief": 1}
    for key, years_ago in dates.items():
        KnowledgeArticle.objects.filter(pk=articles[key].pk).update(
            last_published_at=timezone.now() - timedelta(days=365 * years_ago)
        )
    reindex_all()
    return {"articles": articles, "profile": profile, "woo": woo, "archief": archief}


def test_dutch_stemming_finds_the_singular_from_the_plural(corpus, find):
    assert "De gemeente en openbaarheid" in titles(find("gemeenten"))


def test_accents_and_case_do_not_matter(corpus, find):
    assert titles(find("CAFE")) == ["Overleg in het café"]
    assert titles(find("café")) == ["Overleg in het café"]


def test_title_ranks_above_summary_above_body(backend, tree, find):
    for title, summary, text in [
        ("Tekst in de inhoud", "Iets anders.", "Hier gaat het over inspraak."),
        ("Inspraak organiseren", "Iets anders.", "Een verhaal."),
        ("Tekst in de samenvatting", "Over inspraak.", "Een verhaal."),
    ]:
        factories.article(tree["index"], title=title, summary=summary, body=[factories.paragraph(text)])
    reindex_all()
    assert titles(find("inspraak")) == ["Inspraak organiseren", "Tekst in de samenvatting", "Tekst in de inhoud"]


def test_a_typo_offers_did_you_mean(corpus, find):
    result = find("transparantei")
    assert result.total == 0
    assert result.suggestion == "transparantie"
    assert find("transparantie").suggestion is None


def test_gibberish_gets_no_suggestion(corpus, find):
    result = find("qqqxxyzz")
    assert result.total == 0
    assert result.suggestion is None


def test_snippets_mark_matched_words(corpus, find):
    [hit] = find("transparantie", types=("article",)).hits
    assert "<mark>transparantie</mark>" in hit.snippet


def test_snippets_escape_document_text(backend, tree, find):
    factories.article(
        tree["index"],
        title="Scripts",
        summary="Over inspraak <script>alert('x')</script> en inspraak.",
        body=[factories.paragraph("&lt;img src=x onerror=alert(1)&gt; inspraak")],
    )
    reindex_all()
    [hit] = find("inspraak").hits
    assert "<mark>inspraak</mark>" in hit.snippet
    assert "&lt;img" in hit.snippet
    assert "<" not in re.sub(r"</?mark>", "", hit.snippet)


def test_facets_count_per_type_theme_tag_organisation_type_and_year(corpus, find):
    facets = find("").facets
    assert {f.value: f.count for f in facets["type"]} == {"article": 3, "profile": 1}
    assert {f.value: f.count for f in facets["theme"]} == {"archief": 3, "woo": 2}
    assert {f.label for f in facets["theme"]} == {"Archivering", "Wet open overheid"}
    assert {f.value: f.count for f in facets["tag"]} == {"actief": 2, "inwoners": 1, "archief": 1}
    assert {f.value: f.count for f in facets["organisation_type"]} == {"gemeente": 1}
    assert [f.label for f in facets["organisation_type"]] == ["Gemeente"]
    assert sum(f.count for f in facets["year"]) == 4


def test_filters_combine_across_facets_and_within_one(corpus, find):
    assert set(titles(find("", themes=("archief",), types=("article",)))) == {
        "Overleg in het café",
        "Archiefwet en bewaartermijnen",
    }
    assert set(titles(find("", tags=("actief",), themes=("archief",)))) == {"Archiefwet en bewaartermijnen"}
    assert find("", tags=("inwoners", "archief")).total == 2
    assert titles(find("", organisation_types=(OrganisationType.GEMEENTE,))) == ["Jet Jansen"]


def test_a_facet_still_counts_its_other_values_when_one_is_chosen(corpus, find):
    facets = find("", types=("profile",)).facets
    assert {f.value: (f.count, f.selected) for f in facets["type"]} == {
        "article": (3, False),
        "profile": (1, True),
    }
    assert {f.value: f.count for f in facets["theme"]} == {"archief": 1}


def test_year_filter(corpus, find):
    year = (timezone.now() - timedelta(days=365 * 3)).year
    assert "De gemeente en openbaarheid" in titles(find("", years=(year,)))
    assert find("", years=(1999,)).total == 0


def test_unknown_facet_values_give_an_empty_result_not_an_error(corpus, find):
    result = find("gemeente", themes=("bestaat-niet",), types=("nonsense",))
    assert result.total == 0
    assert result.hits == []


def test_sort_by_newest(corpus, find):
    result = find("", types=("article",), sort=SORT_NEWEST)
    assert titles(result) == ["Archiefwet en bewaartermijnen", "Overleg in het café", "De gemeente en openbaarheid"]


def test_paging_and_a_page_beyond_the_end(backend, tree, find):
    for number in range(12):
        factories.article(tree["index"], title=f"Vergadering {number}", body=[factories.paragraph("Vergaderen.")])
    reindex_all()
    first, second = find("vergadering", page_size=5), find("vergadering", page_size=5, page=3)
    assert (first.total, first.num_pages, len(first.hits)) == (12, 3, 5)
    assert len(second.hits) == 2
    far = find("vergadering", page_size=5, page=99999)
    assert far.page == 3
    assert titles(far) == titles(second)
    assert not set(titles(first)) & set(titles(second))


@pytest.mark.parametrize(
    "text",
    ["title:*", '"onevenwichtig', "(haakjes", "AND OR NOT", "a" * 1000, "!!! &&& |||", "gemeente:*", "   "],
)
def test_odd_input_answers_without_error(corpus, find, text):
    result = find(text)
    assert result.total >= 0
    assert len(result.request.text) <= 200


def test_reindexing_one_object_replaces_its_document(corpus, find):
    article = corpus["articles"]["cafe"]
    factories.publish_edit(article, author=factories.UserFactory(), title="Overleg in de kroeg")
    index_object(KnowledgeArticle.objects.get(pk=article.pk))
    assert titles(find("kroeg")) == ["Overleg in de kroeg"]
    assert find("café").total == 0


def test_queries_per_search_do_not_grow_with_results(backend, tree, find):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theme = factories.ThemeFactory(name="Wet open overheid", slug="woo")

    def queries_for(count):
        for number in range(count):
            factories.article(tree["index"], title=f"Besluit {number}", themes=[theme], tags=[f"tag{number}"])
        reindex_all()
        with CaptureQueriesContext(connection) as context:
            result = find("besluit", page_size=20)
        return len(context), result

    few, few_result = queries_for(2)
    many, many_result = queries_for(13)
    assert few_result.total == 2 and many_result.total == 15
    assert few == many


@pytest.mark.parametrize(
    ("typo", "word", "distance"),
    [("transparantei", "transparantie", 1), ("transparantei", "transparant", 2), ("kitten", "sitting", 3)],
)
def test_edit_distance_counts_a_swap_as_one_typo(typo, word, distance):
    from search.backends.postgres import edit_distance

    assert edit_distance(typo, word) == distance


def test_a_snippet_keeps_summary_and_body_apart(find, tree):
    """A snippet that runs from the summary into the body shows them as two sentences, not one word."""
    page = factories.article(
        tree["index"],
        title="Kort",
        summary="De eerste zin eindigt hier.",
        body=[factories.paragraph("Daarna volgt de tekst over archiveren.")],
    )
    index_object(page)
    [hit] = find("eindigt").hits
    plain = re.sub(r"</?mark>", "", str(hit.snippet))
    assert "hier. Daarna" in plain


def test_a_compound_finds_the_words_written_apart(backend, tree, find):
    """The Dutch stemmer brings "openbaarmaking" and "openbaarmaken" to one stem ("openbaarmak"); the
    document indexes its neighbouring words joined ("openbaar maken" -> "openbaarmaken") at the lowest weight."""
    factories.article(
        tree["index"],
        title="Stukken delen",
        summary="Hoe je besluiten openbaar maakt.",
        body=[factories.paragraph("Gemeenten moeten meer stukken openbaar maken.")],
    )
    factories.article(tree["index"], title="Openbaarmaking van besluiten", body=[factories.paragraph("Tekst.")])
    factories.article(tree["index"], title="Iets anders", body=[factories.paragraph("Het huis is open. Wij maken.")])
    reindex_all()
    assert titles(find("openbaarmaking")) == ["Openbaarmaking van besluiten", "Stukken delen"]
    assert titles(find("openbaarmakingen")) == ["Openbaarmaking van besluiten", "Stukken delen"]


def test_compounds_join_neighbouring_content_words_only():
    from search.dutch import compounds

    assert compounds("Stukken openbaar maken van de gemeente") == "openbaarmaken stukkenopenbaar"
    assert compounds("Het is in de la") == ""
    assert compounds("") == ""
    assert compounds("Café-beleid in een keer") == "cafébeleid"
