import pytest
from django.test import override_settings

from tests.factories import article

pytestmark = pytest.mark.django_db


def test_home_page_in_dutch_with_landmarks_and_invitation(client, tree):
    article(tree["index"], title="Nieuw artikel over de Woo")
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in html
    assert '<main id="inhoud"' in html and "<header" in html and "<footer" in html and "<nav" in html
    assert "Samen werken aan een open overheid" in html
    assert "Nieuw artikel over de Woo" in html
    assert 'id="lid-worden"' in html


def test_english_interface_on_request(client, tree):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert ">Skip to content</a>" in html and ">Knowledge base</a>" in html
    assert '<h1 lang="nl">Samen werken aan een open overheid</h1>' in html, "content stays marked as Dutch"


def test_dutch_by_default_even_for_an_english_browser(client, tree):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="nl">' in html and ">Naar de inhoud</a>" in html


def test_site_settings_show_contact_point_in_footer(client, tree):
    from wagtail.models import Site

    from website.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_name = "Leer- en Expertisepunt Open Overheid"
    settings.contact_email = "aanspreekpunt@example.org"
    settings.footer_text = "<p>Meedoen is gratis.</p>"
    settings.save()
    html = client.get("/").content.decode()
    assert "Leer- en Expertisepunt Open Overheid" in html
    assert "mailto:aanspreekpunt@example.org" in html
    assert "Meedoen is gratis." in html


def test_unknown_url_gets_a_dutch_404(client, tree):
    response = client.get("/bestaat/echt/niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet" in html and '<html lang="nl">' in html


def test_malformed_query_strings_do_not_break_pages(client, tree):
    for url in ["/?%ZZ=1", "/kennisbank/?pagina=-1", "/kennisbank/?pagina=%00", "/themas/?x=%E0%A4%A"]:
        assert client.get(url).status_code == 200, url


@override_settings(DEBUG=False, ROOT_URLCONF="tests.website.error_urls")
def test_server_error_page_is_dutch_and_shows_no_stack_trace(tree):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/stuk/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in html
    assert "Traceback" not in html and "geheime interne fout" not in html


def test_anonymous_visitor_cannot_see_the_admin(client, tree):
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert "/beheer/login/" in response["Location"]


def test_member_without_admin_rights_cannot_enter_the_admin(client, tree, member):
    client.force_login(member)
    response = client.get("/beheer/")
    assert response.status_code in (302, 403)


def test_sitemap_lists_public_articles_only(client, tree):
    from wagtail.models import PageViewRestriction

    public = article(tree["index"], title="Openbaar")
    restricted = article(tree["index"], title="Beperkt")
    article(tree["index"], title="Concept", publish=False)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    xml = client.get("/sitemap.xml").content.decode()
    assert public.slug in xml
    assert restricted.slug not in xml
