"""The AVG: a member reads and downloads what we hold about them and deletes their account; names in public."""

import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from community.models import (
    ContactMessage,
    GroupJoinPolicy,
    GroupStatus,
    Invitation,
    JoinRequest,
    Membership,
    MembershipRole,
    Profile,
)
from community.services import CommunityError
from community.services.groups import group_invite, group_join, membership_add
from community.services.privacy import PROFILE_KEYS, account_delete, is_anonymised
from community.services.profiles import profile_update
from tests.community.factories import member, working_group
from tests.factories import ThemeFactory, UserFactory, article, publish_edit

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("gezicht.png", buffer.getvalue(), content_type="image/png")


def _render_name(user):
    return Template("{% load community_tags %}{{ person|member_name }}").render(Context({"person": user}))


def _message(sender, receiver, subject, body):
    return ContactMessage.objects.create(sender=sender, receiver=receiver, subject=subject, body=body)


@pytest.fixture
def anouk(db, django_capture_on_commit_callbacks):
    """A member with something in every corner of the platform."""
    user = member(
        "anouk",
        display_name="Anouk de Vries",
        organisation="Gemeente Utrecht",
        organisation_type="gemeente",
        bio="Ik werk aan de Woo.",
    )
    user.email = "anouk@gemeente.example"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(
            actor=user,
            profile=user.profile,
            expertise=[ThemeFactory(name="Open data", slug="open-data")],
            tags=["woo", "archief"],
            photo=_png(),
            newsletter=True,
        )
    return user


# --- the member_name filter ---------------------------------------------------------------------


def test_member_name_prefers_the_profile_then_the_account_and_names_the_departed_voormalig_lid(
    anouk, django_capture_on_commit_callbacks
):
    assert _render_name(anouk) == "Anouk de Vries"
    assert _render_name(UserFactory(username="bram", first_name="Bram", last_name="Bos")) == "Bram Bos"
    assert _render_name(UserFactory(username="redactie", first_name="", last_name="")) == "redactie"
    assert _render_name(None) == "voormalig lid"
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(actor=anouk, user=anouk)
    assert _render_name(anouk) == "voormalig lid"


def test_a_blocked_member_keeps_their_name(anouk):
    anouk.is_active = False
    anouk.save()
    assert _render_name(anouk) == "Anouk de Vries"
    assert not is_anonymised(anouk)


# --- the page and the download --------------------------------------------------------------------


def test_my_data_pages_are_for_logged_in_members_only(client):
    for name in ("community:my_data", "community:my_data_download", "community:account_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_my_data_page_explains_the_rights_and_links_download_and_deletion(client, anouk):
    client.force_login(anouk)
    html = client.get(reverse("community:my_data")).content.decode()
    assert html.count("<h1") == 1 and "Mijn gegevens" in html
    assert "AVG" in html
    assert reverse("community:my_data_download") in html
    assert reverse("community:account_delete") in html


def test_download_is_a_json_attachment_with_everything_about_the_member(
    client, anouk, tree, django_capture_on_commit_callbacks
):
    bram = member("bram", display_name="Bram Bos", bio="Bram zijn geheime bio.", open_to_contact=True)
    bram.email = "bram@provincie.example"
    bram.save()
    coordinated = working_group("Open archieven", coordinator=anouk)
    working_group("Woo in de praktijk", coordinator=bram, members=[anouk])
    asked = working_group("Actieve openbaarmaking", coordinator=bram, join_policy=GroupJoinPolicy.REQUEST)
    group_join(actor=anouk, group=asked, message="Ik wil graag meedoen.")
    with django_capture_on_commit_callbacks(execute=True):
        group_invite(actor=anouk, group=coordinated, email="nieuwkomer@example.org")
        group_invite(actor=bram, group=asked, email="ANOUK@gemeente.example")
    _message(anouk, bram, "Vraag over de Woo", "Hoe pakken jullie dat aan?")
    _message(bram, anouk, "Antwoord", "Zo doen wij het.")
    _message(bram, UserFactory(username="derde"), "Tussen anderen", "Dit gaat Anouk niet aan.")
    page = article(tree["index"], title="Openbaarmaking in stappen", author=anouk, edit_summary="Eerste opzet")
    publish_edit(page, author=bram, edit_summary="Bram zijn wijziging")
    publish_edit(page, author=anouk, edit_summary="Anouk vult aan")

    client.force_login(anouk)
    response = client.get(reverse("community:my_data_download"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    account = data["account"]
    assert account["gebruikersnaam"] == "anouk" and account["e-mailadres"] == "anouk@gemeente.example"
    assert account["lid_sinds"] and account["e-mailadressen"][0]["geverifieerd"] is True
    profile = data["profiel"]
    assert profile["naam"] == "Anouk de Vries" and profile["organisatie"] == "Gemeente Utrecht"
    assert profile["soort_organisatie"] == "Gemeente" and profile["over_mij"] == "Ik werk aan de Woo."
    assert profile["expertise_themas"] == ["Open data"]
    assert profile["expertise_trefwoorden"] == ["archief", "woo"]
    assert profile["foto"].startswith("http://testserver/media/profielen/")
    assert profile["nieuwsbrief_aangevraagd_op"] and profile["privacyverklaring_geaccepteerd_op"] is None
    groups = {item["werkgroep"]: item["rol"] for item in data["werkgroepen"]}
    assert groups == {"Open archieven": "Coördinator", "Woo in de praktijk": "Deelnemer"}
    assert data["verzoeken_om_deel_te_nemen"] == [
        {
            "werkgroep": "Actieve openbaarmaking",
            "toelichting": "Ik wil graag meedoen.",
            "status": "In behandeling",
            "ingediend_op": data["verzoeken_om_deel_te_nemen"][0]["ingediend_op"],
            "besloten_op": None,
        }
    ]
    assert [item["werkgroep"] for item in data["uitnodigingen_verstuurd"]] == ["Open archieven"]
    assert [item["werkgroep"] for item in data["uitnodigingen_ontvangen"]] == ["Actieve openbaarmaking"]
    assert [(m["aan"], m["onderwerp"]) for m in data["berichten_verstuurd"]] == [("Bram Bos", "Vraag over de Woo")]
    assert [(m["van"], m["bericht"]) for m in data["berichten_ontvangen"]] == [("Bram Bos", "Zo doen wij het.")]
    versions = data["gepubliceerde_versies"]
    assert [v["samenvatting_van_de_wijziging"] for v in versions] == ["Eerste opzet", "Anouk vult aan"]
    assert versions[0]["pagina"] == "Openbaarmaking in stappen"
    assert versions[0]["adres"] == page.full_url

    # Nothing of other members beyond the names of those Anouk wrote with.
    text = response.content.decode()
    for foreign in (
        "bram@provincie.example",
        "Bram zijn geheime bio.",
        "Bram zijn wijziging",
        "Dit gaat Anouk niet aan.",
        "nieuwkomer@example.org",
        '"bram"',
    ):
        assert foreign not in text


def test_download_of_a_member_without_a_profile_still_works(client):
    user = UserFactory(username="kaal")
    client.force_login(user)
    data = json.loads(client.get(reverse("community:my_data_download")).content)
    assert data["profiel"] is None and data["account"]["gebruikersnaam"] == "kaal"


def test_every_profile_field_is_in_the_export():
    fields = {field.name for field in Profile._meta.get_fields() if field.concrete or field.many_to_many}
    assert fields - {"id", "user"} <= set(PROFILE_KEYS)


def test_download_refuses_other_methods(client, anouk):
    client.force_login(anouk)
    assert client.post(reverse("community:my_data_download")).status_code == 405


# --- deleting the account -----------------------------------------------------------------------


def _delete(client, password):
    return client.post(reverse("community:account_delete"), {"password": password}, follow=True)


def test_deletion_page_says_the_editors_take_over_groups_coordinated_alone(client, anouk):
    bram = member("bram", display_name="Bram Bos")
    alone = working_group("Open archieven", coordinator=anouk)
    shared = working_group("Samen gecoördineerd", coordinator=anouk, members=[bram])
    membership_add(group=shared, user=bram, role=MembershipRole.COORDINATOR)
    client.force_login(anouk)
    html = client.get(reverse("community:account_delete")).content.decode()
    assert "de redactie neemt de coördinatie dan over" in html
    assert alone.name in html and shared.name not in html
    assert 'autocomplete="current-password"' in html


def test_wrong_or_missing_password_changes_nothing(client, anouk):
    group = working_group("Open archieven", coordinator=anouk)
    client.force_login(anouk)
    for password, message in (("niet-het-wachtwoord", "Dit wachtwoord klopt niet"), ("", "Typ je wachtwoord")):
        response = _delete(client, password)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html and 'aria-invalid="true"' in html and html.count("<h1") == 1
    anouk.refresh_from_db()
    assert anouk.is_active and anouk.username == "anouk" and anouk.email == "anouk@gemeente.example"
    assert Profile.objects.filter(user=anouk).exists()
    assert Membership.objects.filter(user=anouk, group=group).exists()
    assert EmailAddress.objects.filter(user=anouk).exists()
    assert client.get(reverse("community:my_data")).status_code == 200  # still logged in


def test_repeated_wrong_passwords_lock_deletion_like_the_login(client, anouk):
    client.force_login(anouk)
    for _attempt in range(5):
        assert "Dit wachtwoord klopt niet" in _delete(client, "fout").content.decode()
    html = _delete(client, PASSWORD).content.decode()
    assert "Te veel mislukte pogingen" in html
    anouk.refresh_from_db()
    assert anouk.is_active and Profile.objects.filter(user=anouk).exists()


def test_deleting_removes_the_person_and_keeps_their_work_as_voormalig_lid(
    client, anouk, tree, django_capture_on_commit_callbacks
):
    bram = member("bram", display_name="Bram Bos", open_to_contact=True)
    coordinated = working_group("Open archieven", coordinator=anouk)
    joined = working_group("Woo in de praktijk", coordinator=bram, members=[anouk])
    asked = working_group("Actieve openbaarmaking", coordinator=bram, join_policy=GroupJoinPolicy.REQUEST)
    group_join(actor=anouk, group=asked, message="Mag ik meedoen?")
    with django_capture_on_commit_callbacks(execute=True):
        group_invite(actor=bram, group=asked, email="anouk@gemeente.example")
    _message(anouk, bram, "Vraag", "Hoe doen jullie dat?")
    _message(bram, anouk, "Antwoord", "Zo.")
    page = article(tree["index"], title="Openbaarmaking in stappen", author=anouk, edit_summary="Eerste opzet")
    profile = Profile.objects.get(user=anouk)
    photo_name = profile.photo.name
    log(instance=profile, action="wagtail.edit", user=anouk)
    assert ModelLogEntry.objects.filter(label="Anouk de Vries").exists()
    assert photo_name and default_storage.exists(photo_name)
    access_groups = [coordinated.access_group, joined.access_group]
    assert set(anouk.groups.all()) >= set(access_groups)

    client.force_login(anouk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client, PASSWORD)

    assert response.redirect_chain[-1][0] == reverse("community:account_deleted")
    html = response.content.decode()
    assert "Je account is verwijderd" in html and "voormalig lid" in html
    assert not response.wsgi_request.user.is_authenticated

    anouk.refresh_from_db()
    assert anouk.username == f"voormalig-lid-{anouk.pk}"
    assert (anouk.first_name, anouk.last_name, anouk.email) == ("", "", "")
    assert not anouk.is_active and not anouk.has_usable_password()
    assert not Profile.objects.filter(user=anouk).exists()
    assert not default_storage.exists(photo_name)
    assert not ModelLogEntry.objects.filter(label="Anouk de Vries").exists()
    assert not EmailAddress.objects.filter(email__iexact="anouk@gemeente.example").exists()
    assert not Membership.objects.filter(user=anouk).exists()
    assert not anouk.groups.exists()
    assert not JoinRequest.objects.filter(user=anouk).exists()
    assert not Invitation.objects.filter(email__iexact="anouk@gemeente.example").exists()
    assert not ContactMessage.objects.filter(sender=anouk).exists()
    assert not ContactMessage.objects.filter(receiver=anouk).exists()
    coordinated.refresh_from_db()
    assert coordinated.status == GroupStatus.ACTIVE and not coordinated.memberships.exists()
    assert joined.memberships.filter(user=bram).exists()

    # The work stays, under "voormalig lid".
    assert Revision.page_revisions.filter(object_id=str(page.pk), user=anouk).exists()
    for url in (page.url, f"{page.url}geschiedenis/"):
        public = client.get(url).content.decode()
        assert "voormalig lid" in public
        assert "Anouk" not in public and "anouk@gemeente.example" not in public

    # And the account cannot come back through the login.
    assert not client.login(username="anouk", password=PASSWORD)
    assert not client.login(username=anouk.username, password=PASSWORD)
    login = client.post(reverse("account_login"), {"login": "anouk@gemeente.example", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert login.status_code == 200


def test_the_confirmation_shows_only_right_after_deleting(client):
    response = client.get(reverse("community:account_deleted"))
    assert response.status_code == 302 and response["Location"] == "/"


def test_only_the_member_themself_can_delete_their_account(anouk):
    bram = member("bram")
    with pytest.raises(CommunityError):
        account_delete(actor=bram, user=anouk)
    anouk.refresh_from_db()
    assert anouk.is_active and Profile.objects.filter(user=anouk).exists()


def test_editor_membership_goes_with_the_account(anouk, django_capture_on_commit_callbacks):
    anouk.groups.add(Group.objects.get(name="Moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(actor=anouk, user=anouk)
    assert not anouk.groups.exists()
    with pytest.raises(CommunityError):
        account_delete(actor=anouk, user=anouk)


# --- names and addresses in public HTML --------------------------------------------------------------


def test_public_article_history_and_diff_show_names_and_never_an_address(client, tree):
    anouk = member("anouk", display_name="Anouk de Vries")
    anouk.email = "anouk@gemeente.example"
    anouk.save()
    plain = UserFactory(username="bram", first_name="Bram", last_name="Bos", email="bram@provincie.example")
    page = article(tree["index"], title="Open data", author=anouk)
    publish_edit(page, author=plain, edit_summary="Kleine wijziging")
    for url in (page.url, f"{page.url}geschiedenis/", f"{page.url}verschil/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Anouk de Vries" in html and "Bram Bos" in html, url
        assert "@gemeente.example" not in html and "@provincie.example" not in html, url


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_names_cost_no_query_per_person_on_the_article_and_its_history(client, tree):
    page = article(tree["index"], title="Eén schrijver", author=member(display_name="Eerste"))
    busy = article(tree["index"], title="Veel schrijvers", author=member(display_name="Eerste schrijver"))
    for number in range(8):
        publish_edit(busy, author=member(display_name=f"Schrijver {number}"), edit_summary=f"Versie {number}")
    for url_of in (lambda p: p.url, lambda p: f"{p.url}geschiedenis/"):
        client.get(url_of(page))
        client.get(url_of(busy))
        assert _queries(client, url_of(busy)) == _queries(client, url_of(page))
