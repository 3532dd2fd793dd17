"""A page hidden after reports is gone for visitors and members on every path, and still there for
editors; restoring brings it back everywhere, and the page's own restrictions stay as they were."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from wagtail.models import PageViewRestriction

from community.moderation.models import ModerationCase, ReportReason
from community.moderation.services import report_submit, target_restore
from knowledge.models import RelatedArticle
from search.models import SearchDocument
from tests.community.factories import member
from tests.factories import ThemeFactory, article, editor

pytestmark = pytest.mark.django_db

HIDDEN_TITLE = "Zeldzame zoetwaterkwallen in het archief"
KEPT_TITLE = "Openbaar artikel dat blijft staan"
ROLES = ["visitor", "member", "editor"]


@pytest.fixture
def world(tree, django_capture_on_commit_callbacks):
    theme = ThemeFactory(name="Archieven", slug="archieven")
    with django_capture_on_commit_callbacks(execute=True):
        hidden = article(tree["index"], title=HIDDEN_TITLE, themes=[theme], tags=["gedeeld", "alleen-verborgen"])
        kept = article(tree["index"], title=KEPT_TITLE, themes=[theme], tags=["gedeeld"])
        hub = article(tree["index"], title="Overzicht", themes=[theme])
        RelatedArticle.objects.create(page=hub, article=hidden, sort_order=0)
        RelatedArticle.objects.create(page=hub, article=kept, sort_order=1)
        for name in ("een", "twee", "drie"):
            report_submit(actor=member(name), target=hidden, reason=ReportReason.OFFENSIVE)
    users = {"visitor": None, "member": member("lezer"), "editor": editor("redactie")}
    return {"hidden": hidden, "kept": kept, "hub": hub, "users": users}


def _as(client, world, role):
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def test_the_reports_hid_the_page(world):
    assert ModerationCase.objects.get().state == "hidden"


@pytest.mark.parametrize("route", ["", "geschiedenis/", "verschil/"], ids=["artikel", "geschiedenis", "verschil"])
@pytest.mark.parametrize("role", ROLES)
def test_the_page_its_history_and_diff(client, world, role, route):
    response = _as(client, world, role).get(f"{world['hidden'].url}{route}")
    if role == "editor":
        assert response.status_code == 200
        assert HIDDEN_TITLE in response.content.decode()
    elif role == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.WAGTAIL_FRONTEND_LOGIN_URL))
    else:
        assert response.status_code == 404
        assert HIDDEN_TITLE not in response.content.decode()


LISTINGS = {
    "kennisbank": lambda world: "/kennisbank/",
    "thema": lambda world: "/themas/archieven/",
    "trefwoord": lambda world: "/tags/gedeeld/",
    "trefwoorden": lambda world: "/tags/",
    "verwante-artikelen": lambda world: world["hub"].url,
    "startpagina": lambda world: "/",
    "zoeken": lambda world: "/zoeken/?q=zoetwaterkwallen",
    "zoeken-zonder-tekst": lambda world: "/zoeken/",
}


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("role", ROLES)
def test_listings_and_search(client, world, role, listing):
    response = _as(client, world, role).get(LISTINGS[listing](world))
    assert response.status_code == 200
    html = response.content.decode()
    if listing == "trefwoorden":
        assert ("alleen-verborgen" in html) is (role == "editor")
        return
    assert (HIDDEN_TITLE in html) is (role == "editor")
    if listing != "zoeken":
        assert KEPT_TITLE in html


def test_search_documents_only_editors_may_read(world):
    document = SearchDocument.objects.get(object_id=world["hidden"].pk, title=HIDDEN_TITLE)
    assert "public" not in document.audiences and "editors" in document.audiences


@pytest.mark.parametrize("role", ROLES)
def test_sitemap_leaves_it_out_whoever_asks(client, world, role):
    xml = _as(client, world, role).get("/sitemap.xml").content.decode()
    assert world["hidden"].slug not in xml
    assert world["kept"].slug in xml


def test_restoring_brings_it_back_everywhere_and_keeps_the_pages_own_restriction(
    client, world, django_capture_on_commit_callbacks
):
    page = world["hidden"]
    with django_capture_on_commit_callbacks(execute=True):
        own = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        target_restore(actor=world["users"]["editor"], target=page)
    assert list(PageViewRestriction.objects.filter(page=page)) == [own]

    client.force_login(world["users"]["member"])
    assert client.get(page.url).status_code == 200
    for url in ("/kennisbank/", "/themas/archieven/", "/zoeken/?q=zoetwaterkwallen", world["hub"].url):
        assert HIDDEN_TITLE in client.get(url).content.decode(), url
    client.logout()
    assert HIDDEN_TITLE not in client.get("/kennisbank/").content.decode()  # still members only, as before
