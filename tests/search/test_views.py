"""/zoeken/ as a reader uses it: a plain GET form, results, facets, sort, pages and an empty state."""

import re

import pytest
from django.urls import reverse

from community.models import ProfileVisibility
from search.indexing import reindex_all
from tests import factories
from tests.community.factories import member


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


def test_the_page_has_a_labelled_search_box_and_one_h1(site, client):
    html = client.get(reverse("search:search")).content.decode()
    assert html.count("<h1") == 1
    assert '<label for="id_q">Zoek op de site</label>' in html
    assert 'role="search"' in html


def test_results_show_type_title_link_highlight_themes_and_escape(site, client):
    response = client.get(reverse("search:search"), {"q": "transparantie"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 resultaten" in html
    assert "Kennisartikel" in html and "Lid" in html
    assert "<mark>transparantie</mark>" in html
    assert "<b>" not in html
    assert 'href="/themas/woo/"' in html


def test_facets_are_checkboxes_with_counts_and_filter(site, client):
    html = client.get(reverse("search:search"), {"q": "transparantie"}).content.decode()
    assert re.search(r'name="soort" value="article"> Kennisartikel <span class="card__meta">\(1\)', html)
    filtered = client.get(reverse("search:search"), {"q": "transparantie", "soort": "profile"}).content.decode()
    assert "1 resultaat" in filtered
    assert "Tineke Transparant" in filtered
    assert 'value="profile" checked' in filtered


def test_pagination_uses_pagina(site, client):
    first = client.get(reverse("search:search"), {"q": "notulen"}).content.decode()
    assert "Pagina 1 van 2" in first
    assert "pagina=2" in first
    second = client.get(reverse("search:search"), {"q": "notulen", "pagina": "2"}).content.decode()
    assert "Pagina 2 van 2" in second
    assert second.count('class="card"') == 1


def test_empty_state_with_suggestion(site, client):
    html = client.get(reverse("search:search"), {"q": "transparantei"}).content.decode()
    assert "0 resultaten" in html
    assert "Bedoelde je:" in html
    assert "q=transparantie" in html
    assert "Er is niets gevonden." in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "title:*"},
        {"q": '"(('},
        {"q": "x" * 1000},
        {"pagina": "99999", "q": "notulen"},
        {"pagina": "abc"},
        {"jaar": "twintig"},
        {"sorteer": "wild", "thema": "onbekend"},
    ],
)
def test_bad_input_gives_a_normal_page(site, client, params):
    assert client.get(reverse("search:search"), params).status_code == 200


def test_sort_newest_is_kept_in_the_form(site, client):
    html = client.get(reverse("search:search"), {"q": "notulen", "sorteer": "newest"}).content.decode()
    assert '<option value="newest" selected>' in html
