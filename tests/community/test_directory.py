"""The member directory /leden/ and member pages /leden/<pk>/: visibility, filters, search, pages, public face."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from community.models import GroupVisibility, MembershipRole, ProfileVisibility
from community.services.groups import membership_add, page_restrict_to_group
from community.views.members import PAGE_SIZE
from tests.community.factories import member, working_group
from tests.factories import ThemeFactory, UserFactory, article, editor, publish_edit

pytestmark = pytest.mark.django_db

VISIBILITY_MATRIX = {
    # viewer: which profile visibilities it sees
    "visitor": {ProfileVisibility.PUBLIC},
    "member": {ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS},
    "editor": {ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS},  # hidden ones only in the admin
    "owner": {ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS, ProfileVisibility.HIDDEN},
}


def names_on(html):
    return re.findall(r'<h3 class="card__title" lang="nl"><a href="/leden/\d+/">([^<]+)</a>', html)


@pytest.mark.parametrize("visibility", list(ProfileVisibility))
@pytest.mark.parametrize("viewer", list(VISIBILITY_MATRIX))
def test_visibility_matrix(client, viewer, visibility):
    owner = member(display_name="Zichtbaar of niet", visibility=visibility)
    if viewer == "member":
        client.force_login(member())
    elif viewer == "editor":
        client.force_login(editor())
    elif viewer == "owner":
        client.force_login(owner)
    expected = visibility in VISIBILITY_MATRIX[viewer]
    assert ("Zichtbaar of niet" in names_on(client.get("/leden/").content.decode())) is expected
    detail = client.get(f"/leden/{owner.profile.pk}/")
    assert detail.status_code == (200 if expected else 404)
    if not expected:
        assert "Zichtbaar of niet" not in detail.content.decode()


def test_blocked_and_deleted_members_are_not_listed(client):
    member(display_name="Actief lid", visibility=ProfileVisibility.PUBLIC)
    blocked = member(display_name="Geblokkeerd lid", visibility=ProfileVisibility.PUBLIC)
    blocked.is_active = False
    blocked.save()
    gone = member(display_name="Vertrokken lid", visibility=ProfileVisibility.PUBLIC, deleted_at=timezone.now())
    client.force_login(editor())
    assert names_on(client.get("/leden/").content.decode()) == ["Actief lid"]
    assert client.get(f"/leden/{blocked.profile.pk}/").status_code == 404
    assert client.get(f"/leden/{gone.profile.pk}/").status_code == 404


def test_unknown_member_is_a_404(client):
    assert client.get("/leden/999999/").status_code == 404


def public(**fields):
    return member(visibility=ProfileVisibility.PUBLIC, **fields)


def test_filters_by_organisation_type_theme_tag_and_region(client):
    woo = ThemeFactory(name="Woo", slug="woo")
    public(display_name="Gemeente A", organisation_type="gemeente", region="utrecht", expertise=[woo], tags=["lakken"])
    public(display_name="Gemeente B", organisation_type="gemeente", region="zeeland", tags=["archieven"])
    public(display_name="Journalist C", organisation_type="journalist", region="utrecht", expertise=[woo])
    assert names_on(client.get("/leden/?soort=gemeente").content.decode()) == ["Gemeente A", "Gemeente B"]
    assert names_on(client.get("/leden/?thema=woo").content.decode()) == ["Gemeente A", "Journalist C"]
    assert names_on(client.get("/leden/?trefwoord=lakken").content.decode()) == ["Gemeente A"]
    assert names_on(client.get("/leden/?regio=utrecht").content.decode()) == ["Gemeente A", "Journalist C"]
    combined = client.get("/leden/?soort=gemeente&regio=utrecht&thema=woo&trefwoord=lakken").content.decode()
    assert names_on(combined) == ["Gemeente A"]
    assert "1 lid gevonden" in combined and "Wis alle filters" in combined


def test_search_by_name_or_organisation_ignores_case(client):
    public(display_name="Lieke Bakker", organisation="Waterschap Rivierenland")
    public(display_name="Joost Smit", organisation="Open State Foundation")
    public(display_name="Anouk Visser", organisation="Gemeente Bakkum")
    assert names_on(client.get("/leden/?zoek=BAKK").content.decode()) == ["Anouk Visser", "Lieke Bakker"]
    assert names_on(client.get("/leden/?zoek=open+state").content.decode()) == ["Joost Smit"]
    nothing = client.get("/leden/?zoek=onvindbaar").content.decode()
    assert names_on(nothing) == [] and "Geen leden gevonden" in nothing


def test_search_finds_no_profiles_the_viewer_may_not_see(client):
    member(display_name="Verborgen Bakker", visibility=ProfileVisibility.HIDDEN)
    member(display_name="Leden Bakker", visibility=ProfileVisibility.MEMBERS)
    assert names_on(client.get("/leden/?zoek=bakker").content.decode()) == []
    client.force_login(member())
    assert names_on(client.get("/leden/?zoek=bakker").content.decode()) == ["Leden Bakker"]


def test_an_invalid_filter_is_reported_and_left_out(client):
    public(display_name="Iemand")
    response = client.get("/leden/?soort=sekte&thema=bestaat-niet")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Selecteer een geldige keuze" in html
    assert names_on(html) == ["Iemand"]


def test_the_filter_form_is_a_labelled_get_form(client):
    ThemeFactory(name="Participatie", slug="participatie")
    html = client.get("/leden/").content.decode()
    assert '<form class="filters" method="get" action="/leden/"' in html
    for name in ("zoek", "soort", "thema", "trefwoord", "regio"):
        assert f'<label for="id_{name}">' in html and f'id="id_{name}"' in html
    assert '<option value="participatie">Participatie</option>' in html
    assert html.count("<h1") == 1


def test_tag_choices_come_only_from_profiles_the_viewer_may_see(client):
    public(tags=["openbaar-trefwoord"])
    member(tags=["leden-trefwoord"], visibility=ProfileVisibility.MEMBERS)
    member(tags=["verborgen-trefwoord"], visibility=ProfileVisibility.HIDDEN)
    html = client.get("/leden/").content.decode()
    assert "openbaar-trefwoord" in html and "leden-trefwoord" not in html
    client.force_login(member())
    html = client.get("/leden/").content.decode()
    assert "leden-trefwoord" in html and "verborgen-trefwoord" not in html


def test_pages_of_results_keep_the_filters(client):
    for number in range(PAGE_SIZE + 2):
        public(display_name=f"Gemeentelid {number:02d}", organisation_type="gemeente")
    public(display_name="Provincielid", organisation_type="provincie")
    first = client.get("/leden/?soort=gemeente").content.decode()
    assert f"{PAGE_SIZE + 2} leden gevonden" in first
    assert len(names_on(first)) == PAGE_SIZE and "Gemeentelid 00" in names_on(first)
    assert 'href="?soort=gemeente&amp;pagina=2" rel="next"' in first
    second = client.get("/leden/?soort=gemeente&pagina=2").content.decode()
    assert names_on(second) == [f"Gemeentelid {PAGE_SIZE:02d}", f"Gemeentelid {PAGE_SIZE + 1:02d}"]
    assert 'href="?soort=gemeente&amp;pagina=1" rel="prev"' in second
    assert client.get("/leden/?pagina=kapot").status_code == 200
    assert names_on(client.get("/leden/?soort=gemeente&pagina=99").content.decode()) == names_on(second)


def test_cards_show_the_public_face(client, tree):
    privacy = ThemeFactory(name="Privacy", slug="privacy")
    anouk = public(
        display_name="Anouk", organisation="Gemeente Utrecht", region="utrecht", expertise=[privacy], tags=["lakken"]
    )
    working_group("Werkgroep Woo-verzoeken", coordinator=anouk)
    article(tree["index"], title="Lakken zonder zorgen", author=anouk)
    html = client.get("/leden/").content.decode()
    card = html[html.index(">Anouk<") :]
    assert "Gemeente Utrecht" in card and "Gemeente" in card and "Utrecht" in card
    assert 'href="/themas/privacy/">Privacy</a>' in card
    assert 'href="/leden/?trefwoord=lakken">lakken</a>' in card
    assert "Werkgroep Woo-verzoeken" in card and "(coördinator)" in card
    assert "Lakken zonder zorgen" in card


def test_only_werkgroepen_the_viewer_may_see_are_shown(client):
    lieke = public(display_name="Lieke")
    working_group("Openbare groep", coordinator=lieke)
    working_group("Ledengroep", coordinator=lieke, visibility=GroupVisibility.MEMBERS)
    secret = working_group("Geheime groep", coordinator=lieke, visibility=GroupVisibility.SECRET)
    for url in ("/leden/", f"/leden/{lieke.profile.pk}/"):
        html = client.get(url).content.decode()
        assert "Openbare groep" in html and "Ledengroep" not in html and "Geheime groep" not in html
    outsider, insider = member(), member()
    membership_add(group=secret, user=insider)
    client.force_login(outsider)
    html = client.get("/leden/").content.decode()
    assert "Ledengroep" in html and "Geheime groep" not in html
    client.force_login(insider)
    assert "Geheime groep" in client.get("/leden/").content.decode()
    client.force_login(editor())
    assert "Geheime groep" in client.get(f"/leden/{lieke.profile.pk}/").content.decode()


def test_contributions_are_published_articles_the_viewer_may_read(client, tree):
    bram, other = public(display_name="Bram"), member()
    article(tree["index"], title="Openbaar stuk", author=bram)
    article(tree["index"], title="Nog een concept", author=bram, publish=False)
    members_only = article(tree["index"], title="Alleen voor leden", author=bram)
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
    group = working_group("Besloten kring", coordinator=bram)
    in_group = article(tree["index"], title="Binnen de werkgroep", author=bram)
    page_restrict_to_group(actor=bram, page=in_group, group=group)
    edited = article(tree["index"], title="Stuk van een ander", author=other)
    publish_edit(edited, author=bram, edit_summary="Aanvulling")
    draft_only = article(tree["index"], title="Alleen een concept van Bram", author=other)
    draft_only.save_revision(user=bram)

    def contributions(viewer=None):
        if viewer:
            client.force_login(viewer)
        html = client.get(f"/leden/{bram.profile.pk}/").content.decode()
        section = html[html.index("Bijdragen aan de Kennisbank") :]
        return set(re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', section))

    assert contributions() == {"Openbaar stuk", "Stuk van een ander"}
    assert contributions(member()) == {"Openbaar stuk", "Stuk van een ander", "Alleen voor leden"}
    assert contributions(bram) == {"Openbaar stuk", "Stuk van een ander", "Alleen voor leden", "Binnen de werkgroep"}


def test_a_card_lists_three_contributions_and_links_to_the_rest(client, tree):
    joost = public(display_name="Joost")
    for number in range(5):
        article(tree["index"], title=f"Artikel nummer {number}", author=joost)
    html = client.get("/leden/").content.decode()
    assert html.count("Artikel nummer") == 3
    assert "Bekijk alle 5 bijdragen" in html
    assert client.get(f"/leden/{joost.profile.pk}/").content.decode().count("Artikel nummer") == 5


def profile_with_everything(index, number, theme, group):
    user = public(display_name=f"Lid met alles {number:02d}", expertise=[theme], tags=[f"trefwoord-{number}"])
    membership_add(group=group, user=user, role=MembershipRole.MEMBER)
    article(index, title=f"Bijdrage {number}", author=user)
    return user


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_a_page_of_results_costs_the_same_queries_for_2_or_15_members(client, tree, viewer):
    theme = ThemeFactory()
    group = working_group("Iedereen doet mee")
    if viewer == "member":
        client.force_login(member())

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/leden/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    for number in range(2):
        profile_with_everything(tree["index"], number, theme, group)
    count_queries()  # the first request of a test fills per-process caches (site, settings)
    few, html = count_queries()
    assert "Bijdrage 1" in html and "trefwoord-1" in html
    for number in range(2, 15):
        profile_with_everything(tree["index"], number, theme, group)
    many, html = count_queries()
    assert "Bijdrage 14" in html and "trefwoord-14" in html and html.count("Iedereen doet mee") >= 15
    assert many == few


def test_the_member_page_shows_photo_bio_and_facts(client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    fatima = public(display_name="Fatima El Amrani", role="Onderzoeker", bio="Ik onderzoek open data.\n\nEn archieven.")
    fatima.profile.photo.save("portret.jpg", ContentFile(b"stand-in"), save=True)
    html = client.get(f"/leden/{fatima.profile.pk}/").content.decode()
    assert re.search(r"<h1 lang=\"nl\">Fatima El Amrani</h1>", html) and html.count("<h1") == 1
    assert re.search(r'<img class="member-photo" src="/media/profielen/[^"]+" alt="Fatima El Amrani"', html)
    assert "<p>Ik onderzoek open data.</p>" in html and "Onderzoeker" in html
    assert 'aria-current="page" lang="nl">Fatima El Amrani</li>' in html


def test_neem_contact_op_only_for_logged_in_members_other_than_the_member(client):
    open_member = public(display_name="Open lid", open_to_contact=True)
    closed_member = public(display_name="Gesloten lid", open_to_contact=False)
    open_url, closed_url = f"/leden/{open_member.profile.pk}/", f"/leden/{closed_member.profile.pk}/"
    assert "Neem contact op" not in client.get(open_url).content.decode()
    client.force_login(member())
    assert f'href="/leden/{open_member.profile.pk}/contact/"' in client.get(open_url).content.decode()
    assert "Neem contact op" not in client.get(closed_url).content.decode()
    client.force_login(open_member)
    html = client.get(open_url).content.decode()
    assert "Neem contact op" not in html and "Bewerk je profiel" in html


def test_email_addresses_never_appear_in_the_public_pages(client, tree):
    people = [
        public(display_name="Openbaar lid", open_to_contact=True),
        member(display_name="Ledenlid", visibility=ProfileVisibility.MEMBERS, open_to_contact=True),
        member(display_name="Verborgen lid", visibility=ProfileVisibility.HIDDEN),
    ]
    for person in people:
        article(tree["index"], title=f"Stuk van {person.profile.display_name}", author=person)
    addresses = [person.email for person in people]
    viewer = UserFactory(username="kijker", email="kijker@voorbeeld.nl")
    urls = ["/leden/", "/leden/?zoek=lid", *[f"/leden/{person.profile.pk}/" for person in people]]
    for login in (None, viewer, editor(), people[0]):
        if login:
            client.force_login(login)
        for url in urls:
            html = client.get(url).content.decode()
            assert not any(address in html for address in [*addresses, viewer.email]), (login, url)
            assert "example.org" not in html
