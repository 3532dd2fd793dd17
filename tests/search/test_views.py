"""/zoeken/ as a reader uses it: a plain GET form, results, facets, sort, pages and an empty state."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from community.models import ProfileVisibility
from knowledge.models import KnowledgeArticle
from search.documents import DocumentData
from search.indexing import reindex_all
from search.query import get_backend
from tests import factories
from tests.community.factories import member

URL = reverse("search:search")


@pytest.fixture
def site(backend, tree):
    theme = factories.ThemeFactory(name="Wet open overheid", slug="woo")
    factories.article(
        tree["index"],
        title="Transparantie in de gemeente",
        summary="Over <b>transparantie</b>.",
        body=[factories.paragraph("Gemeenten werken aan transparantie.")],
        themes=[theme],
        tags=["openbaar"],
    )
    for number in range(11):
        factories.article(tree["index"], title=f"Notulen {number}", body=[factories.paragraph("Notulen.")])
    member(display_name="Tineke Transparant", bio="Over transparantie.", visibility=ProfileVisibility.PUBLIC)
    reindex_all()
    return theme


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def hit_titles(html):
    return re.findall(r'<h3 class="card__title" lang="nl"><a href="[^"]*">([^<]*)</a>', html)


def test_the_page_has_a_labelled_search_box_and_one_h1(site, client):
    html = get(client)
    assert html.count("<h1") == 1
    assert '<label for="id_q">Zoek op de site</label>' in html
    assert html.count('role="search"') == 2
    assert 'aria-label="Zoekopdracht"' in html and 'aria-label="Zoeken op de site"' in html


def test_both_search_boxes_are_plain_get_forms_that_js_may_enhance(site, client):
    html = get(client, q="notulen")
    for input_id in ("site-search-q", "id_q"):
        [tag] = re.findall(rf'<input type="search" id="{input_id}"[^>]*>', html, flags=re.S)
        assert 'name="q"' in tag and 'value="notulen"' in tag
        assert f'data-suggest-url="{reverse("search:suggest")}"' in tag
        assert 'role="combobox"' not in tag, "the combobox role is set by the script, not before it runs"
    assert re.search(r'<form class="site-search" role="search" action="/zoeken/" method="get"', html)
    assert "search/combobox.js" in html


def test_the_header_box_is_empty_outside_search(tree, client):
    html = client.get("/kennisbank/?q=iets").content.decode()
    assert re.search(r'<input type="search" id="site-search-q" name="q" value=""', html)


def test_results_show_type_title_link_highlight_themes_date_and_escape(site, client):
    html = get(client, q="transparantie")
    assert "2 resultaten voor “transparantie”" in html
    assert set(hit_titles(html)) == {"Transparantie in de gemeente", "Tineke Transparant"}
    assert '<span class="search-hit__kind">Kennisartikel</span>' in html
    assert '<span class="search-hit__kind">Lid</span>' in html
    assert "<mark>transparantie</mark>" in html
    assert "<b>" not in html
    assert 'href="/themas/woo/">Wet open overheid</a>' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)


def test_the_count_is_in_the_title_and_the_results_heading(site, client):
    html = get(client, q="transparantie")
    assert "<title>Zoeken naar “transparantie”: 2 resultaten · Alliantie Open Overheid</title>" in html
    assert re.search(r'<h2 id="results-heading">2 resultaten voor “transparantie”</h2>', html)
    assert 'aria-labelledby="results-heading"' in html
    one = get(client, q="tineke")
    assert "Zoeken naar “tineke”: 1 resultaat ·" in one


def test_a_question_says_whether_an_answer_was_accepted(site, client):
    backend = get_backend()
    content_type_id = ContentType.objects.get_for_model(KnowledgeArticle).pk
    for object_id, accepted in [(900001, True), (900002, False)]:
        backend.upsert(
            content_type_id=content_type_id,
            object_id=object_id,
            kind="question",
            data=DocumentData(title=f"Vraag over inzage {object_id}", url="/vragen/x/", accepted=accepted),
        )
    html = get(client, q="inzage")
    assert html.count("Geaccepteerd antwoord") == 1
    assert html.count("Nog geen geaccepteerd antwoord") == 1
    assert "geaccepteerd" not in get(client, q="notulen").lower()


def test_facets_are_labelled_checkboxes_with_counts_and_filter(site, client):
    html = get(client, q="transparantie")
    assert "<legend>Soort</legend>" in html and "<legend>Thema</legend>" in html
    assert re.search(
        r'name="soort" value="article"> Kennisartikel <span class="card__meta">\(1<span class="visually-hidden"> '
        r"resultaat</span>\)",
        html,
    )
    assert 'aria-labelledby="filters-heading"' in html
    filtered = get(client, q="transparantie", soort="profile")
    assert "1 resultaat voor" in filtered
    assert hit_titles(filtered) == ["Tineke Transparant"]
    assert 'value="profile" checked' in filtered


def test_filters_combine_and_each_can_be_removed_on_its_own(site, client):
    html = get(client, q="transparantie", soort=["article", "profile"], thema="woo", pagina="1")
    assert hit_titles(html) == ["Transparantie in de gemeente"]
    assert "Gekozen filters:" in html
    removes = dict(re.findall(r'<a class="chosen-filter" href="([^"]*)">([^<]*) <span', html))
    labels = {label: href.replace("&amp;", "&") for href, label in removes.items()}
    assert set(labels) == {"Soort: Kennisartikel", "Soort: Lid", "Thema: Wet open overheid"}
    without_theme = labels["Thema: Wet open overheid"]
    assert "thema=" not in without_theme and "soort=article" in without_theme and "pagina" not in without_theme
    assert set(hit_titles(get(client, **_params(without_theme)))) == {
        "Transparantie in de gemeente",
        "Tineke Transparant",
    }


def _params(url):
    from django.http import QueryDict

    query = QueryDict(url.lstrip("?"))
    return {key: query.getlist(key) for key in query}


def test_pagination_marks_the_current_page_and_keeps_the_query(site, client):
    first = get(client, q="notulen")
    assert "Pagina 1 van 2" in first
    assert re.search(r'<a href="\?q=notulen&amp;pagina=1" aria-current="page"', first)
    assert 'href="?q=notulen&amp;pagina=2"' in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = get(client, q="notulen", pagina="2")
    assert "Pagina 2 van 2" in second
    assert len(hit_titles(second)) == 1
    assert not set(hit_titles(first)) & set(hit_titles(second))


def test_sort_newest_is_kept_in_both_forms(site, client):
    html = get(client, q="notulen", sorteer="newest")
    assert '<option value="newest" selected>' in html
    assert '<input type="hidden" name="sorteer" value="newest">' in html


def test_empty_state_offers_did_you_mean_tips_and_popular_themes(site, client):
    html = get(client, q="transparantei")
    assert "0 resultaten voor “transparantei”" in html
    assert "Er is niets gevonden voor “transparantei”." in html
    assert re.search(r'Bedoelde je: <a href="\?q=transparantie" lang="nl">transparantie</a>\?', html)
    assert "Tips" in html and "Controleer de spelling" in html
    assert "Populaire thema's" in html
    assert '<a href="/zoeken/?thema=woo">Wet open overheid</a>' in html


def test_an_empty_state_without_a_typo_still_helps(site, client):
    html = get(client, q="qqqxxyzz")
    assert "Er is niets gevonden" in html
    assert "Bedoelde je" not in html
    assert "Populaire thema's" in html


def test_an_empty_query_browses_everything_newest_first(site, client):
    html = get(client, q="")
    assert "13 resultaten" in html
    assert "Pagina 1 van 2" in html


def test_a_visitor_finds_public_profiles_a_member_also_members_only_ones_hidden_never(backend, client, db):
    for visibility, name in [
        (ProfileVisibility.PUBLIC, "Openbare Olga"),
        (ProfileVisibility.MEMBERS, "Leden Lars"),
        (ProfileVisibility.HIDDEN, "Verborgen Vera"),
    ]:
        member(display_name=name, bio="Werkt aan inspraakprocessen.", visibility=visibility)
    reindex_all()
    assert set(hit_titles(get(client, q="inspraakprocessen"))) == {"Openbare Olga"}
    client.force_login(member(display_name="Lezer", visibility=ProfileVisibility.HIDDEN))
    assert set(hit_titles(get(client, q="inspraakprocessen"))) == {"Openbare Olga", "Leden Lars"}


@pytest.mark.parametrize(
    ("params", "shows"),
    [
        ({"q": ""}, "13 resultaten"),
        ({"q": "   "}, "13 resultaten"),
        ({"q": "title:*"}, "title:*"),
        ({"q": '"onevenwichtig'}, "“&quot;onevenwichtig”"),
        ({"q": "(haakjes ["}, "(haakjes ["),
        ({"q": '"(('}, "0 resultaten"),
        ({"q": "AND OR NOT"}, "AND OR NOT"),
        ({"q": "notulen AND"}, "resultaten voor “notulen AND”"),
        ({"q": "!!! &&& ||| :* <->"}, "resultaten"),
        ({"q": "x" * 1000}, "We hebben gezocht op de eerste 200 tekens."),
        ({"q": "notulen\x00"}, "13 resultaten"),
        ({"q": "<script>alert(1)</script>"}, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ({"q": "notulen", "pagina": "99999"}, "Pagina 2 van 2"),
        ({"q": "notulen", "pagina": "-3"}, "Pagina 1 van 2"),
        ({"q": "notulen", "pagina": "abc"}, "Pagina 1 van 2"),
        ({"q": "notulen", "pagina": "9" * 40}, "Pagina 2 van 2"),
        ({"jaar": "twintig"}, "13 resultaten"),
        ({"jaar": "99999999"}, "13 resultaten"),
        ({"sorteer": "wild", "q": "notulen"}, "11 resultaten"),
        ({"thema": "onbekend"}, "Thema: onbekend"),
        ({"soort": "nonsense", "q": "notulen"}, "Zet een of meer filters uit."),
        ({"soort": "\x00"}, "13 resultaten"),
        ({"trefwoord": ["x"] * 500}, "Trefwoord: x"),
    ],
)
def test_bad_input_gives_a_normal_page(site, client, params, shows):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert shows in html
    assert "<script>alert" not in html
    assert "Traceback" not in html


def test_odd_query_syntax_is_taken_as_words_not_as_another_query_language(site, client):
    """Not a field query (Elasticsearch's `title:*` would list everything), not a tsquery prefix (`notu:*`)."""
    assert hit_titles(get(client, q="title:*")) == []
    assert hit_titles(get(client, q="notu:*")) == []
    assert len(hit_titles(get(client, q="notulen"))) == 10


def test_the_search_page_needs_a_constant_number_of_queries(site, client, django_assert_max_num_queries, tree):
    with django_assert_max_num_queries(20):
        get(client, q="notulen")
