import pytest
from wagtail.models import PageViewRestriction

from knowledge.models import PAGE_SIZE, KnowledgeArticle
from tests.factories import ThemeFactory, UserFactory, article

pytestmark = pytest.mark.django_db


def test_theme_index_lists_every_theme_with_its_visible_count(client, tree):
    privacy = ThemeFactory(name="Privacy en openheid", slug="privacy")
    ThemeFactory(name="Open data", slug="open-data")
    article(tree["index"], themes=[privacy])
    hidden = article(tree["index"], themes=[privacy])
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    html = client.get("/themas/").content.decode()
    assert "Privacy en openheid" in html and "Open data" in html
    assert "1 bijdrage" in html and "0 bijdragen" in html
    client.force_login(UserFactory())
    assert "2 bijdragen" in client.get("/themas/").content.decode()


def test_theme_page_lists_content_newest_first_and_paginates(client, tree):
    theme = ThemeFactory(name="Participatie", slug="participatie")
    other = ThemeFactory(name="Integriteit", slug="integriteit")
    for number in range(PAGE_SIZE + 1):
        article(tree["index"], title=f"Participatie artikel {number:02d}", themes=[theme])
    article(tree["index"], title="Over integriteit", themes=[other])
    first_page = client.get("/themas/participatie/").content.decode()
    assert f"{PAGE_SIZE + 1} bijdragen" in first_page
    assert "Participatie artikel 20" in first_page and "Participatie artikel 00" not in first_page
    assert first_page.index("artikel 20") < first_page.index("artikel 19")
    assert "Over integriteit" not in first_page
    second_page = client.get("/themas/participatie/?pagina=2").content.decode()
    assert "Participatie artikel 00" in second_page
    assert client.get("/themas/participatie/?pagina=kapot").status_code == 200


def test_theme_page_hides_drafts_and_restricted_content(client, tree):
    theme = ThemeFactory(slug="woo")
    article(tree["index"], title="Concept over de Woo", themes=[theme], publish=False)
    members = article(tree["index"], title="Leden over de Woo", themes=[theme])
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    html = client.get("/themas/woo/").content.decode()
    assert "Concept over de Woo" not in html and "Leden over de Woo" not in html
    client.force_login(UserFactory())
    html = client.get("/themas/woo/").content.decode()
    assert "Leden over de Woo" in html and "Concept over de Woo" not in html


def test_unknown_theme_gets_a_dutch_not_found_page(client, tree):
    response = client.get("/themas/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_tag_page_lists_tagged_content(client, tree):
    article(tree["index"], title="Lakken in de praktijk", tags=["lakken"])
    article(tree["index"], title="Iets anders", tags=["anders"])
    html = client.get("/tags/lakken/").content.decode()
    assert "Trefwoord: lakken" in html and "Lakken in de praktijk" in html and "Iets anders" not in html
    assert client.get("/tags/onbekend/").status_code == 404


def test_kennisbank_index_lists_articles(client, tree):
    article(tree["index"], title="Eerste artikel")
    html = client.get("/kennisbank/").content.decode()
    assert "Eerste artikel" in html
    assert KnowledgeArticle.objects.live().count() == 1


def test_tag_index_counts_only_what_the_reader_may_see(client, tree):
    article(tree["index"], title="Openbaar", tags=["woo", "gemeente"])
    hidden = article(tree["index"], title="Voor leden", tags=["woo", "geheim-label"])
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    article(tree["index"], title="Concept", tags=["concept-label"], publish=False)
    html = client.get("/tags/").content.decode()
    assert 'href="/tags/woo/"' in html and 'href="/tags/gemeente/"' in html
    assert "geheim-label" not in html and "concept-label" not in html
    assert 'woo <span class="visually-hidden">(</span><span class="tag__count">1</span>' in html
    client.force_login(UserFactory())
    html = client.get("/tags/").content.decode()
    assert "geheim-label" in html
    assert 'woo <span class="visually-hidden">(</span><span class="tag__count">2</span>' in html


@pytest.mark.parametrize("url", ["/themas/woo/", "/tags/woo/", "/kennisbank/"])
def test_listings_run_the_same_queries_for_few_and_many_pages(client, tree, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    themes = [ThemeFactory(slug="woo"), ThemeFactory(slug="archief")]

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for number in range(2):
        article(tree["index"], title=f"Artikel {number}", themes=themes, tags=["woo"])
    few = queries()
    for number in range(2, 12):
        article(tree["index"], title=f"Artikel {number}", themes=themes, tags=["woo"])
    assert queries() == few
