"""The "Gemeenschap" menu in the Wagtail admin: editors list, filter, edit, block, approve and decide."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from PIL import Image

from community.models import (
    GroupJoinPolicy,
    GroupStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    Profile,
    WorkingGroup,
)
from community.services import CommunityError
from community.services.groups import group_invite, group_join, group_propose
from community.services.members import editor_grant, member_block, member_unblock
from tests.community.factories import member, working_group
from tests.factories import editor

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord"
MEMBERS = reverse("community_members:index")
GROUPS = reverse("community_groups:index")
REQUESTS = reverse("community_requests:index")
INVITATIONS = reverse("community_invitations:index")


@pytest.fixture
def redactie(db):
    return editor("redactie")


@pytest.fixture
def editor_client(client, redactie):
    client.force_login(redactie)
    return client


def _verified(user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _logs_in(user):
    """Through the site's login form, as a person would."""
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return "_auth_user_id" in client.session


def _action_url(viewset, action, pk):
    return reverse(f"{viewset}:{action}", args=(pk,))


# --- access -------------------------------------------------------------------------------------


def test_editor_sees_every_screen_of_the_menu(editor_client):
    anouk = member("anouk", display_name="Anouk de Vries")
    group = working_group("Open archieven", coordinator=anouk, join_policy=GroupJoinPolicy.REQUEST)
    group_join(actor=member("bram", display_name="Bram Bos"), group=group, message="Graag!")
    group_invite(actor=anouk, group=group, email="nieuwkomer@example.org")
    expected = {
        MEMBERS: "Anouk de Vries",
        GROUPS: "Open archieven",
        REQUESTS: "Bram Bos",
        INVITATIONS: "nieuwkomer@example.org",
    }
    for url, text in expected.items():
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    assert "Gemeenschap" in editor_client.get("/beheer/").content.decode()


def test_both_wagtail_editor_groups_may_use_the_screens():
    for name in ("Editors", "Moderators"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_profile", "change_profile", "change_workinggroup", "change_joinrequest"} <= codenames
        assert "view_invitation" in codenames and "delete_profile" not in codenames


def test_members_are_refused_every_screen_and_action(client):
    anouk = member("anouk")
    proposal = group_propose(actor=anouk, name="Nieuwe groep", description="Voorstel.")
    client.force_login(member("bram"))
    urls = [MEMBERS, GROUPS, REQUESTS, INVITATIONS, _action_url("community_members", "block", anouk.profile.pk)]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Anouk" not in response.content.decode()
    client.post(_action_url("community_members", "block", anouk.profile.pk))
    client.post(_action_url("community_groups", "approve", proposal.pk))
    anouk.refresh_from_db()
    proposal.refresh_from_db()
    assert anouk.is_active and proposal.status == GroupStatus.PROPOSED


def test_nobody_adds_or_deletes_members_or_groups_in_the_admin(editor_client):
    for viewset in ("community_members", "community_groups", "community_requests", "community_invitations"):
        for view in ("add", "delete"):
            with pytest.raises(NoReverseMatch):
                reverse(f"{viewset}:{view}", args=() if view == "add" else (1,))
    for viewset in ("community_requests", "community_invitations"):
        with pytest.raises(NoReverseMatch):
            reverse(f"{viewset}:edit", args=(1,))


# --- Leden ----------------------------------------------------------------------------------------


def test_leden_filter_by_organisation_type_visibility_and_blocked(editor_client, redactie):
    member("gem", display_name="Gerda Gemeente", organisation_type="gemeente", visibility="public")
    member("jour", display_name="Jan Journalist", organisation_type="journalist", visibility="hidden")
    blocked = member("weg", display_name="Willem Geblokkeerd", organisation_type="gemeente", visibility="members")
    member_block(actor=redactie, user=blocked)

    def names(query):
        html = editor_client.get(MEMBERS, query).content.decode()
        return {name for name in ("Gerda Gemeente", "Jan Journalist", "Willem Geblokkeerd") if name in html}

    assert names({}) == {"Gerda Gemeente", "Jan Journalist", "Willem Geblokkeerd"}
    assert names({"organisation_type": "gemeente"}) == {"Gerda Gemeente", "Willem Geblokkeerd"}
    assert names({"visibility": "hidden"}) == {"Jan Journalist"}
    assert names({"blocked": "true"}) == {"Willem Geblokkeerd"}
    assert names({"blocked": "false"}) == {"Gerda Gemeente", "Jan Journalist"}
    assert names({"q": "journalist"}) == {"Jan Journalist"}


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MEMBERS).status_code == 200
    return len(queries)


def test_leden_list_runs_the_same_queries_for_2_or_15_members(editor_client, redactie):
    for number in range(2):
        member(display_name=f"Lid {number}")
    editor_client.get(MEMBERS)
    few = _list_queries(editor_client)
    for number in range(2, 15):
        user = member(display_name=f"Lid {number}")
        if number % 3 == 0:
            member_block(actor=redactie, user=user)
    assert _list_queries(editor_client) == few


def _profile_form(**changes):
    form = {
        "display_name": "Anouk de Vries-Bakker",
        "organisation": "Provincie Utrecht",
        "organisation_type": "provincie",
        "role": "",
        "region": "utrecht",
        "bio": "Nieuw.",
        "tags": "woo, archief",
        "visibility": "members",
    }
    form.update(changes)
    return form


def _png(name="portret.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_editor_edits_any_profile_and_a_photo_is_reencoded(editor_client):
    anouk = member("anouk", display_name="Anouk de Vries", bio="Oud.")
    url = reverse("community_members:edit", args=(anouk.profile.pk,))
    response = editor_client.post(url, _profile_form(photo=_png()))
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = Profile.objects.get(user=anouk)
    assert (profile.display_name, profile.organisation_type, profile.bio) == (
        "Anouk de Vries-Bakker",
        "provincie",
        "Nieuw.",
    )
    assert sorted(tag.name for tag in profile.tags.all()) == ["archief", "woo"]
    assert "portret" not in profile.photo.name
    with Image.open(profile.photo.open()) as stored:
        assert max(stored.size) <= 400


def _gif():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="GIF")
    return SimpleUploadedFile("foto.gif", buffer.getvalue(), content_type="image/gif")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("foto.png", b"<?php echo 'geen foto'; ?>", content_type="image/png"),
            "Upload een geldige afbeelding",
        ),
        (_gif, "Dit bestandstype kan niet"),
    ],
)
def test_a_photo_the_site_would_refuse_is_refused_in_the_admin_too(editor_client, upload, message):
    anouk = member("anouk", display_name="Anouk de Vries", bio="Oud.")
    url = reverse("community_members:edit", args=(anouk.profile.pk,))
    response = editor_client.post(url, _profile_form(photo=upload()))
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = Profile.objects.get(user=anouk)
    assert (profile.display_name, profile.bio, profile.photo.name) == ("Anouk de Vries", "Oud.", "")


# --- blocking ---------------------------------------------------------------------------------------


def test_block_asks_first_then_stops_login_and_the_open_session(editor_client):
    anouk = _verified(member("anouk", display_name="Anouk de Vries"))
    group = working_group("Open archieven")
    assert _logs_in(anouk)
    session = Client()
    session.force_login(anouk)
    block_url = _action_url("community_members", "block", anouk.profile.pk)
    assert block_url in editor_client.get(MEMBERS).content.decode()

    confirmation = editor_client.get(block_url)
    assert confirmation.status_code == 200
    assert "Wil je Anouk de Vries blokkeren?" in confirmation.content.decode()
    anouk.refresh_from_db()
    assert anouk.is_active  # asking is not doing

    response = editor_client.post(block_url, follow=True)
    assert "Anouk de Vries is geblokkeerd." in response.content.decode()
    anouk.refresh_from_db()
    assert not anouk.is_active and anouk.profile.blocked_at is not None

    assert not _logs_in(anouk)
    session.post(reverse("community:group_join", kwargs={"slug": group.slug}), {"message": ""})
    assert not Membership.objects.filter(user=anouk, group=group).exists()
    assert session.get(reverse("community:my_data")).status_code == 302
    history = editor_client.get(reverse("community_members:history", args=(anouk.profile.pk,))).content.decode()
    assert "Lid geblokkeerd" in history


def test_unblock_lets_the_member_back_in(editor_client, redactie):
    anouk = _verified(member("anouk", display_name="Anouk de Vries"))
    member_block(actor=redactie, user=anouk)
    html = editor_client.get(MEMBERS).content.decode()
    unblock_url = _action_url("community_members", "unblock", anouk.profile.pk)
    assert unblock_url in html and _action_url("community_members", "block", anouk.profile.pk) not in html

    editor_client.post(unblock_url)
    anouk.refresh_from_db()
    assert anouk.is_active and anouk.profile.blocked_at is None
    assert _logs_in(anouk)


def test_an_editor_cannot_block_themself(editor_client, redactie):
    own = member("redactie").profile  # the editor's own profile
    assert _action_url("community_members", "block", own.pk) not in editor_client.get(MEMBERS).content.decode()
    response = editor_client.post(_action_url("community_members", "block", own.pk), follow=True)
    assert "Je kunt jezelf niet blokkeren." in response.content.decode()
    redactie.refresh_from_db()
    assert redactie.is_active


def test_block_and_unblock_refuse_what_makes_no_sense(redactie):
    anouk = member("anouk")
    with pytest.raises(CommunityError):
        member_block(actor=member("bram"), user=anouk)  # not an editor
    with pytest.raises(CommunityError):
        member_unblock(actor=redactie, user=anouk)  # not blocked
    member_block(actor=redactie, user=anouk)
    with pytest.raises(CommunityError):
        member_block(actor=redactie, user=anouk)  # already blocked
    with pytest.raises(CommunityError):
        editor_grant(actor=redactie, user=anouk)  # blocked accounts do not become editors


def test_block_needs_the_csrf_token(redactie):
    anouk = member("anouk")
    client = Client(enforce_csrf_checks=True)
    client.force_login(redactie)
    response = client.post(_action_url("community_members", "block", anouk.profile.pk))
    assert response.status_code == 403
    anouk.refresh_from_db()
    assert anouk.is_active


def test_unknown_member_gives_404(editor_client):
    assert editor_client.get(_action_url("community_members", "block", 999999)).status_code == 404


# --- the editor role -------------------------------------------------------------------------------


def test_granting_the_editor_role_opens_the_admin(editor_client):
    anouk = member("anouk", display_name="Anouk de Vries")
    own_client = Client()
    own_client.force_login(anouk)
    assert own_client.get("/beheer/").status_code == 302
    grant_url = _action_url("community_members", "grant-editor", anouk.profile.pk)
    assert grant_url in editor_client.get(MEMBERS).content.decode()

    response = editor_client.post(grant_url, follow=True)
    assert "Anouk de Vries is nu redacteur." in response.content.decode()
    assert anouk.groups.filter(name="Moderators").exists()
    assert own_client.get("/beheer/").status_code == 200
    assert own_client.get(MEMBERS).status_code == 200
    assert grant_url not in editor_client.get(MEMBERS).content.decode()
    response = editor_client.post(grant_url, follow=True)
    assert "Anouk de Vries is al redacteur." in response.content.decode()


def test_members_cannot_grant_the_editor_role():
    anouk, bram = member("anouk"), member("bram")
    with pytest.raises(CommunityError):
        editor_grant(actor=bram, user=anouk)
    assert not anouk.groups.exists()


# --- werkgroepen -------------------------------------------------------------------------------------


def test_editor_approves_a_proposed_group_from_the_list(editor_client):
    anouk = member("anouk")
    proposal = group_propose(actor=anouk, name="Open archieven", description="Over archieven.")
    working_group("Al actief")
    html = editor_client.get(GROUPS, {"status": "proposed"}).content.decode()
    assert "Open archieven" in html and "Al actief" not in html
    approve_url = _action_url("community_groups", "approve", proposal.pk)
    assert approve_url in html

    assert "Wil je de werkgroep “Open archieven” goedkeuren?" in editor_client.get(approve_url).content.decode()
    response = editor_client.post(approve_url, follow=True)
    assert "is goedgekeurd" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == GroupStatus.ACTIVE
    assert Membership.objects.filter(group=proposal, user=anouk, role=MembershipRole.COORDINATOR).exists()
    assert editor_client.post(approve_url).status_code == 404  # decided proposals are not found again


def test_editor_rejects_a_proposed_group(editor_client):
    proposal = group_propose(actor=member("anouk"), name="Dubbele groep", description="Bestaat al.")
    editor_client.post(_action_url("community_groups", "reject", proposal.pk))
    proposal.refresh_from_db()
    assert proposal.status == GroupStatus.REJECTED
    assert not proposal.memberships.exists()
    assert editor_client.get(_action_url("community_groups", "approve", proposal.pk)).status_code == 404
    assert "Dubbele groep" in editor_client.get(GROUPS, {"status": "rejected"}).content.decode()
    assert WorkingGroup.objects.filter(pk=proposal.pk, status=GroupStatus.REJECTED).exists()


# --- verzoeken en uitnodigingen ------------------------------------------------------------------------


def test_requests_filter_by_status_and_group_and_editors_decide(editor_client):
    first = working_group("Eerste groep", join_policy=GroupJoinPolicy.REQUEST)
    second = working_group("Tweede groep", join_policy=GroupJoinPolicy.REQUEST)
    anouk = member("anouk", display_name="Anouk de Vries")
    bram = member("bram", display_name="Bram Bos")
    to_first = group_join(actor=anouk, group=first, message="Graag")
    group_join(actor=bram, group=second, message="Ook graag")

    assert "Bram Bos" not in editor_client.get(REQUESTS, {"group": first.pk}).content.decode()
    assert "Anouk de Vries" in editor_client.get(REQUESTS, {"group": first.pk}).content.decode()

    editor_client.post(_action_url("community_requests", "accept", to_first.pk), follow=True)
    assert Membership.objects.filter(group=first, user=anouk).exists()
    pending = editor_client.get(REQUESTS, {"status": JoinRequestStatus.PENDING}).content.decode()
    assert "Bram Bos" in pending and "Anouk de Vries" not in pending

    to_second = JoinRequest.objects.get(user=bram)
    editor_client.post(_action_url("community_requests", "decline", to_second.pk))
    to_second.refresh_from_db()
    assert to_second.status == JoinRequestStatus.DECLINED
    assert not Membership.objects.filter(group=second, user=bram).exists()


def test_invitations_are_listed_read_only(editor_client):
    group = working_group("Open archieven")
    coordinator = group.memberships.get().user
    group_invite(actor=coordinator, group=group, email="nieuwkomer@example.org")
    html = editor_client.get(INVITATIONS, {"group": group.pk}).content.decode()
    assert "nieuwkomer@example.org" in html and "open tot" in html
    assert "/edit/" not in html


def test_a_blocked_members_profile_leaves_the_site(client, redactie):
    anouk = member("anouk", display_name="Anouk de Vries", visibility="public")
    assert client.get(anouk.profile.get_absolute_url()).status_code == 200
    member_block(actor=redactie, user=anouk)
    assert client.get(anouk.profile.get_absolute_url()).status_code == 404
