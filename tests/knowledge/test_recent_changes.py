"""/recente-wijzigingen/: every published change the reader may see, with filters, an Atom feed and editor tools."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from community.services.profiles import FORMER_MEMBER_PREFIX
from knowledge import recent
from tests.factories import ThemeFactory, UserFactory, article, paragraph, publish_edit

pytestmark = pytest.mark.django_db

URL = "/recente-wijzigingen/"
FEED = "/recente-wijzigingen/atom/"
ATOM = "{http://www.w3.org/2005/Atom}"


def _rows(html):
    return re.findall(r'<tr id="wijziging-(\d+)">', html)


def test_every_published_change_newest_first_with_who_when_why_and_the_difference(client, tree):
    anouk = UserFactory(username="anouk", first_name="Anouk", last_name="de Vries")
    bram = UserFactory(username="bram", first_name="Bram", last_name="Jansen")
    page = article(tree["index"], title="Termijnen in de Woo", author=anouk, edit_summary="Eerste opzet")
    first = page.live_revision
    second = publish_edit(page, author=bram, body=[paragraph("Zes weken.")], edit_summary="Termijn gecorrigeerd")
    other = article(tree["index"], title="Actieve openbaarmaking", author=bram, edit_summary="Nieuw artikel")
    draft = other.specific
    draft.edit_summary = "Geheim concept"
    draft.save_revision(user=bram)

    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert _rows(html) == [str(other.live_revision_id), str(second.pk), str(first.pk)]
    assert "Termijn gecorrigeerd" in html and "Eerste opzet" in html and "Nieuw artikel" in html
    assert "Geheim concept" not in html
    assert "Bram Jansen" in html and "Anouk de Vries" in html
    assert "kennisartikel" in html
    assert f'href="{page.url}verschil/?van={first.pk}&amp;naar={second.pk}"' in html
    assert "Nieuwe pagina" in html and f'<a href="{other.url}">Nieuwe pagina' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert "Ongedaan maken" not in html and "Niet gecontroleerd" not in html


def test_the_difference_link_shows_that_change(client, tree):
    page = article(tree["index"], body=[paragraph("Vier weken.", "p")])
    publish_edit(page, author=UserFactory(), body=[paragraph("Zes weken.", "p")], edit_summary="Termijn")
    diff_url = re.search(r'href="([^"]*verschil/[^"]*)"', client.get(URL).content.decode()).group(1)
    html = client.get(diff_url.replace("&amp;", "&")).content.decode()
    assert "Van versie 1 naar versie 2" in html and "<ins>" in html


def test_a_former_member_is_named_as_such(client, tree):
    gone = UserFactory(username=f"{FORMER_MEMBER_PREFIX}99", first_name="Echte", last_name="Naam", is_active=False)
    gone.set_unusable_password()
    gone.save()
    article(tree["index"], author=gone)
    html = client.get(URL).content.decode()
    assert "voormalig lid" in html and "Echte Naam" not in html


def test_only_changes_to_pages_the_reader_may_see(client, tree, member, editor_user):
    public = article(tree["index"], title="Openbaar artikel")
    members_only = article(tree["index"], title="Voor leden")
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
    group = Group.objects.create(name="Werkgroep archief")
    group_only = article(tree["index"], title="Alleen de werkgroep")
    restriction = PageViewRestriction.objects.create(page=group_only, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    gone = article(tree["index"], title="Teruggetrokken artikel")
    gone.unpublish()
    insider = UserFactory(username="insider")
    insider.groups.add(group)

    def titles(user=None):
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(URL).content.decode()
        feed = client.get(FEED).content.decode()
        shown = {t for t in ("Openbaar artikel", "Voor leden", "Alleen de werkgroep", "Teruggetrokken") if t in html}
        assert shown == {
            t for t in ("Openbaar artikel", "Voor leden", "Alleen de werkgroep", "Teruggetrokken") if t in feed
        }
        return shown

    assert titles() == {"Openbaar artikel"}
    assert titles(member) == {"Openbaar artikel", "Voor leden"}
    assert titles(insider) == {"Openbaar artikel", "Voor leden", "Alleen de werkgroep"}
    assert titles(editor_user) == {"Openbaar artikel", "Voor leden", "Alleen de werkgroep"}
    assert public.live


def test_filter_by_theme_and_by_kind_of_content(client, tree):
    woo = ThemeFactory(name="Woo", slug="woo")
    archief = ThemeFactory(name="Archief", slug="archief")
    article(tree["index"], title="Over de Woo", themes=[woo])
    article(tree["index"], title="Over archieven", themes=[archief])
    html = client.get(URL, {"thema": "woo"}).content.decode()
    assert "Over de Woo" in html and "Over archieven" not in html
    assert '<option value="woo" selected>' in html
    html = client.get(URL, {"soort": "knowledge.knowledgearticle", "thema": "archief"}).content.decode()
    assert "Over archieven" in html and "Over de Woo" not in html
    assert '<option value="knowledge.knowledgearticle" selected>' in html
    feed = client.get(FEED, {"thema": "woo"}).content.decode()
    assert "Over de Woo" in feed and "Over archieven" not in feed
    assert 'href="/recente-wijzigingen/atom/?thema=woo"' in html.replace("&amp;", "&") or "thema=archief" in html


@pytest.mark.parametrize("query", [{"thema": "bestaat-niet"}, {"soort": "wagtailcore.page"}, {"soort": "<script>"}])
def test_an_unknown_filter_gets_a_clear_message_not_a_traceback(client, tree, query):
    article(tree["index"])
    response = client.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dit filter bestaat niet" in html and "Traceback" not in html
    assert 'aria-invalid="true"' in html and "<script>" not in html
    assert client.get(FEED, query).status_code == 404


def test_the_atom_feed_is_valid_atom_and_the_page_links_to_it(client, tree):
    bram = UserFactory(username="bram", first_name="Bram", last_name="Jansen")
    page = article(tree["index"], title="Termijnen & bezwaar", author=bram, edit_summary="Eerste <versie>")
    change = publish_edit(page, author=bram, body=[paragraph("Nieuw")], edit_summary="Voorbeeld toegevoegd")
    html = client.get(URL).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/recente-wijzigingen/atom/"' in html

    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text and feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    newest = entries[0]
    assert newest.find(f"{ATOM}title").text == "Termijnen & bezwaar: Voorbeeld toegevoegd"
    assert newest.find(f"{ATOM}author/{ATOM}name").text == "Bram Jansen"
    assert newest.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    assert f"naar={change.pk}" in newest.find(f"{ATOM}link").get("href")
    assert newest.find(f"{ATOM}updated").text and newest.find(f"{ATOM}id").text
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 2
    assert entries[1].find(f"{ATOM}title").text == "Termijnen & bezwaar: Eerste <versie>"
    summary = entries[1].find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "Eerste &lt;versie&gt;" in summary.text, "escaped, as type=html needs"


def test_changes_are_paginated(client, tree, monkeypatch):
    monkeypatch.setattr(recent, "PAGE_SIZE", 2)
    page = article(tree["index"])
    for n in range(3):
        publish_edit(page, author=UserFactory(), body=[paragraph(f"Versie {n}")], edit_summary=f"Wijziging {n}")
    first = client.get(URL).content.decode()
    assert len(_rows(first)) == 2 and "Pagina 1 van 2" in first and "4 wijzigingen" in first
    second = client.get(URL, {"pagina": 2}).content.decode()
    assert len(_rows(second)) == 2 and "Eerste versie" in second
    assert set(_rows(first)).isdisjoint(_rows(second))


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "member", "editor"])
def test_a_constant_number_of_queries_however_many_changes(client, tree, who, member, editor_user):
    if who != "anonymous":
        client.force_login(member if who == "member" else editor_user)
    theme = ThemeFactory()
    page = article(tree["index"], themes=[theme])
    for n in range(4):
        publish_edit(page, author=UserFactory(), body=[paragraph(f"Versie {n}")], edit_summary=f"Wijziging {n}")
    client.get(URL)
    few = (_query_count(client, URL), _query_count(client, FEED))
    for n in range(20):
        author = UserFactory()
        target = page if n % 2 else article(tree["index"], title=f"Artikel {n}", author=author, themes=[theme])
        publish_edit(target, author=author, body=[paragraph(f"Meer {n}")], edit_summary=f"Nog een {n}")
    assert len(_rows(client.get(URL).content.decode())) > 25
    assert (_query_count(client, URL), _query_count(client, FEED)) == few


def test_editors_get_an_undo_button_for_each_change_after_the_first(client, tree, editor_user):
    page = article(tree["index"], body=[paragraph("Begin.", "p")])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Anders.", "p")], edit_summary="Aangepast")
    client.force_login(editor_user)
    html = client.get(URL).content.decode()
    assert html.count(">Ongedaan maken<") == 1
    response = client.post(f"{URL}{change.pk}/ongedaan-maken/", {"next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    html = client.get(URL).content.decode()
    assert "De wijziging is ongedaan gemaakt" in html and "ongedaan gemaakt</td>" in html
    assert len(_rows(html)) == 3


def test_undo_never_redirects_to_another_site(client, tree, editor_user):
    page = article(tree["index"], body=[paragraph("Begin.", "p")])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Anders.", "p")])
    client.force_login(editor_user)
    response = client.post(f"{URL}{change.pk}/ongedaan-maken/", {"next": "https://evil.example/"})
    assert response["Location"] == URL


def test_unchecked_changes_by_trusted_members_are_marked_for_editors(client, tree, editor_user, member):
    pytest.importorskip("community.contributions.selectors")
    from community.contributions.models import Contribution, ContributionKind, ContributionState

    page = article(tree["index"], body=[paragraph("Begin.", "p")])
    trusted = UserFactory(username="vertrouwd")
    change = publish_edit(page, author=trusted, body=[paragraph("Direct gepubliceerd.", "p")], edit_summary="Snel")
    Contribution.objects.create(
        author=trusted,
        page=page,
        revision=change,
        kind=ContributionKind.EDIT,
        state=ContributionState.PUBLISHED,
        title=page.title,
        token="recent-changes-test",
    )
    client.force_login(member)
    assert "Niet gecontroleerd" not in client.get(URL).content.decode()
    assert client.post(f"{URL}{change.pk}/gecontroleerd/").status_code == 403
    client.force_login(editor_user)
    html = client.get(URL).content.decode()
    assert html.count("Niet gecontroleerd") == 1 and ">Gecontroleerd<" in html
    response = client.post(f"{URL}{change.pk}/gecontroleerd/", {"next": URL}, follow=True)
    html = response.content.decode()
    assert "Gemarkeerd als gecontroleerd" in html and "Niet gecontroleerd" not in html
