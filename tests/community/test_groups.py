"""Werkgroepen: the list, a group's page, joining, requests, invitations, leaving and proposals."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import (
    GroupJoinPolicy,
    GroupStatus,
    GroupVisibility,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    ProfileVisibility,
    WorkingGroup,
)
from community.services import CommunityError
from community.services.groups import (
    group_approve,
    group_invite,
    group_join,
    group_propose,
    group_reject,
    invitation_accept,
    invitations_redeem_for_email,
    join_request_decide,
    membership_add,
    page_restrict_to_group,
)
from tests.community.factories import member, working_group
from tests.factories import ThemeFactory, UserFactory, article, editor

pytestmark = pytest.mark.django_db


def _login_url():
    return resolve_url(settings.LOGIN_URL)


@pytest.fixture(autouse=True)
def _site(tree):
    """Every page here renders inside the site's base template."""


def _url(group, action=""):
    return f"/werkgroepen/{group.slug}/{action}"


def _in_group(user, group):
    return Membership.objects.filter(group=group, user=user).exists()


def _has_access(user, group):
    return user.groups.filter(pk=group.access_group_id).exists()


def _html(response):
    return response.content.decode()


# --- The list ---------------------------------------------------------------------------------------------


@pytest.fixture
def groups_of_each_kind():
    insider = member("insider")
    groups = {
        "public": working_group("Open data in gemeenten", visibility=GroupVisibility.PUBLIC),
        "members": working_group("Actieve openbaarmaking", visibility=GroupVisibility.MEMBERS),
        "secret": working_group("Klokkenluiders", visibility=GroupVisibility.SECRET, members=[insider]),
    }
    group_propose(actor=member("voorsteller"), name="Nog niet goedgekeurd", description="Een voorstel.")
    return groups, insider


@pytest.mark.parametrize(
    "viewer, expected",
    [
        ("visitor", {"public"}),
        ("member", {"public", "members"}),
        ("insider", {"public", "members", "secret"}),
        ("editor", {"public", "members", "secret"}),
    ],
)
def test_list_shows_the_groups_the_viewer_may_know_about(client, groups_of_each_kind, viewer, expected):
    groups, insider = groups_of_each_kind
    users = {"visitor": None, "member": member("buitenstaander"), "insider": insider, "editor": editor()}
    if users[viewer]:
        client.force_login(users[viewer])
    html = _html(client.get("/werkgroepen/"))
    assert {kind for kind, group in groups.items() if group.name in html} == expected
    assert "Nog niet goedgekeurd" not in html


def test_list_shows_name_excerpt_themes_member_count_and_join_policy(client):
    theme = ThemeFactory(name="Woo", slug="woo")
    long_description = "Wij delen ervaringen met de Woo. " + "Meer tekst over het onderwerp. " * 40 + "Slotzin."
    working_group(
        "Woo-verzoeken",
        description=long_description,
        themes=[theme],
        members=[member(), member()],
        join_policy=GroupJoinPolicy.REQUEST,
    )
    html = _html(client.get("/werkgroepen/"))
    assert "Woo-verzoeken" in html
    assert "Wij delen ervaringen met de Woo." in html
    assert "Slotzin." not in html
    assert 'href="/themas/woo/"' in html
    assert "3 deelnemers" in html  # the coordinator and two members
    assert "Op verzoek: een coördinator beslist" in html


def test_list_is_paginated(client):
    for number in range(21):
        working_group(f"Werkgroep {number:02d}")
    first = _html(client.get("/werkgroepen/"))
    second = _html(client.get("/werkgroepen/?pagina=2"))
    assert "Werkgroep 00" in first and "Werkgroep 19" in first and "Werkgroep 20" not in first
    assert "Werkgroep 20" in second and "Werkgroep 00" not in second
    assert "21 werkgroepen" in first
    assert client.get("/werkgroepen/?pagina=onzin").status_code == 200


def _queries(client, url):
    client.get(url)  # warm the caches (content types, site) that only the first request fills
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_runs_the_same_number_of_queries_for_2_or_15_groups(client):
    viewer = member("kijker")
    themes = [ThemeFactory(), ThemeFactory()]
    for number in range(2):
        working_group(f"Eerste {number}", themes=themes, members=[member()])
    client.force_login(viewer)
    few = _queries(client, "/werkgroepen/")
    for number in range(13):
        working_group(f"Later {number}", themes=themes, members=[member(), viewer])
    assert _queries(client, "/werkgroepen/") == few


def test_list_invites_members_to_propose_a_group(client):
    assert "/werkgroepen/voorstellen/" not in _html(client.get("/werkgroepen/"))
    client.force_login(member())
    assert "/werkgroepen/voorstellen/" in _html(client.get("/werkgroepen/"))


# --- A group's page ---------------------------------------------------------------------------------------


def test_group_page_shows_description_themes_and_people_as_far_as_their_profiles_allow(client):
    theme = ThemeFactory(name="Open data", slug="open-data")
    coordinator = member(display_name="Carla Coördinator", visibility=ProfileVisibility.PUBLIC, organisation="Utrecht")
    public = member(display_name="Pieter Publiek", visibility=ProfileVisibility.PUBLIC)
    members_only = member(display_name="Mila Ledenprofiel", visibility=ProfileVisibility.MEMBERS)
    hidden = member(display_name="Hanna Verborgen", visibility=ProfileVisibility.HIDDEN)
    group = working_group(
        "Open data",
        coordinator=coordinator,
        description="Samen data openen.",
        themes=[theme],
        members=[public, members_only, hidden],
    )
    html = _html(client.get(_url(group)))
    assert '<h1 lang="nl">Open data</h1>' in html
    assert "Samen data openen." in html
    assert 'href="/themas/open-data/"' in html
    assert "Carla Coördinator" in html and "Utrecht" in html
    assert "Pieter Publiek" in html
    assert "Mila Ledenprofiel" not in html and "Hanna Verborgen" not in html
    assert "en 2 anderen" in html
    assert coordinator.email not in html

    client.force_login(member())
    html = _html(client.get(_url(group)))
    assert "Mila Ledenprofiel" in html
    assert "Hanna Verborgen" not in html
    assert "en 1 andere deelnemer" in html


@pytest.mark.parametrize(
    "visibility, visitor, outsider",
    [(GroupVisibility.PUBLIC, 200, 200), (GroupVisibility.MEMBERS, 404, 200), (GroupVisibility.SECRET, 404, 404)],
)
def test_group_page_is_a_404_for_whoever_may_not_know_it(client, visibility, visitor, outsider):
    insider = member()
    group = working_group("Besloten kring", visibility=visibility, members=[insider])
    assert client.get(_url(group)).status_code == visitor
    client.force_login(member())
    assert client.get(_url(group)).status_code == outsider
    client.force_login(insider)
    assert client.get(_url(group)).status_code == 200
    client.force_login(editor())
    assert client.get(_url(group)).status_code == 200


def test_unknown_group_is_a_dutch_404(client):
    response = client.get("/werkgroepen/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in _html(response)


SECRET_ACTIONS = ["meedoen/", "verlaten/", "beheren/", "beheren/uitnodigen/", "beheren/coordinatoren/"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("action", [*SECRET_ACTIONS, "beheren/verzoeken/{request_pk}/"])
def test_every_action_of_a_secret_group_is_a_404_for_an_outsider(client, action, method):
    insider = member()
    group = working_group(
        "Geheim overleg", visibility=GroupVisibility.SECRET, join_policy=GroupJoinPolicy.REQUEST, members=[insider]
    )
    pending = JoinRequest.objects.create(group=group, user=member(), message="Mag ik erbij?")
    outsider = member()
    client.force_login(outsider)
    url = _url(group, action.format(request_pk=pending.pk))
    response = getattr(client, method)(url, {"bericht": "hallo", "email": "iemand@example.org", "lid": insider.pk})
    assert response.status_code == 404
    assert "Geheim overleg" not in _html(response)
    assert not _in_group(outsider, group)
    assert not JoinRequest.objects.filter(user=outsider).exists()
    assert not Invitation.objects.exists()
    assert JoinRequest.objects.get(pk=pending.pk).status == JoinRequestStatus.PENDING


@pytest.mark.parametrize("action", SECRET_ACTIONS)
def test_a_visitor_cannot_tell_a_secret_group_from_no_group_at_all(client, action):
    group = working_group("Geheim overleg", visibility=GroupVisibility.SECRET)
    secret = client.post(_url(group, action))
    missing = client.post(f"/werkgroepen/bestaat-niet/{action}")
    assert (secret.status_code, secret["Location"].split("?")[0]) == (
        missing.status_code,
        missing["Location"].split("?")[0],
    )


def test_group_page_runs_the_same_number_of_queries_for_2_or_15_members_and_articles(client, tree):
    coordinator = member(visibility=ProfileVisibility.PUBLIC)
    group = working_group("Drukke groep", coordinator=coordinator, themes=[ThemeFactory()])
    theme = ThemeFactory()

    def add(count):
        for _ in range(count):
            membership_add(group=group, user=member(visibility=ProfileVisibility.PUBLIC))
            page = article(tree["index"], title="Groepsartikel", themes=[theme], tags=["x"])
            page_restrict_to_group(actor=coordinator, page=page, group=group)

    add(2)
    client.force_login(coordinator)
    few = _queries(client, _url(group))
    add(13)
    many = _queries(client, _url(group))
    assert many == few
    html = _html(client.get(_url(group)))
    assert html.count(">Groepsartikel</a>") == 15
    assert len(re.findall(r'href="/leden/\d+/"', html)) == 16  # every member's profile is public


# --- Joining and asking to join ----------------------------------------------------------------------------


def test_joining_an_open_group_adds_the_member_and_their_access(client):
    group = working_group("Open groep")
    joiner = member()
    client.force_login(joiner)
    response = client.post(_url(group, "meedoen/"), follow=True)
    assert "Je doet nu mee met deze werkgroep." in _html(response)
    assert _in_group(joiner, group) and _has_access(joiner, group)
    assert "Verlaat deze werkgroep" in _html(response)


def test_joining_twice_says_so_and_changes_nothing(client):
    joiner = member()
    group = working_group("Open groep", members=[joiner])
    client.force_login(joiner)
    html = _html(client.post(_url(group, "meedoen/"), follow=True))
    assert "Je doet al mee met deze werkgroep." in html
    assert group.memberships.filter(user=joiner).count() == 1


def test_joining_needs_a_login_and_a_post_with_a_csrf_token(client):
    group = working_group("Open groep")
    response = client.post(_url(group, "meedoen/"))
    assert response.status_code == 302 and response["Location"].startswith(_login_url())
    joiner = member()
    client.force_login(joiner)
    assert client.get(_url(group, "meedoen/")).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(joiner)
    assert strict.post(_url(group, "meedoen/")).status_code == 403
    assert not _in_group(joiner, group)


def test_asking_to_join_sends_the_coordinators_the_request(client, mailoutbox, django_capture_on_commit_callbacks):
    coordinator = member(display_name="Carla")
    group = working_group("Op verzoek", coordinator=coordinator, join_policy=GroupJoinPolicy.REQUEST)
    asker = member(display_name="Vera Vrager")
    client.force_login(asker)
    page = _html(client.get(_url(group)))
    assert 'name="message"' in page and "Vraag om mee te doen" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(group, "meedoen/"), {"message": "Ik werk aan de Woo bij mijn gemeente."}, follow=True
        )
    html = _html(response)
    assert "Je verzoek is verstuurd" in html
    assert "Een coördinator beslist erover" in html
    request = JoinRequest.objects.get(group=group, user=asker)
    assert request.status == JoinRequestStatus.PENDING and request.message == "Ik werk aan de Woo bij mijn gemeente."
    assert not _in_group(asker, group) and not _has_access(asker, group)
    [mail] = mailoutbox
    assert mail.to == [coordinator.email]
    assert "Vera Vrager" in mail.body and "Ik werk aan de Woo bij mijn gemeente." in mail.body
    assert f"http://testserver/werkgroepen/{group.slug}/beheren/" in mail.body
    assert asker.email not in mail.body


def test_asking_twice_says_so_and_sends_nothing(client, mailoutbox, django_capture_on_commit_callbacks):
    group = working_group("Op verzoek", join_policy=GroupJoinPolicy.REQUEST)
    asker = member()
    client.force_login(asker)
    client.post(_url(group, "meedoen/"))
    with django_capture_on_commit_callbacks(execute=True):
        html = _html(client.post(_url(group, "meedoen/"), {"message": "Nog een keer"}, follow=True))
    assert "Je verzoek is al verstuurd" in html
    assert JoinRequest.objects.filter(group=group, user=asker).count() == 1
    assert mailoutbox == []


def test_a_too_long_request_message_is_refused_with_a_message(client):
    group = working_group("Op verzoek", join_policy=GroupJoinPolicy.REQUEST)
    client.force_login(member())
    response = client.post(_url(group, "meedoen/"), {"message": "x" * 1001})
    assert response.status_code == 400
    assert "hoogstens 1000 tekens" in _html(response)
    assert not JoinRequest.objects.exists()


def test_an_invitation_only_group_cannot_be_joined_by_asking(client):
    group = working_group("Op uitnodiging", join_policy=GroupJoinPolicy.INVITATION)
    joiner = member()
    client.force_login(joiner)
    assert "alleen op uitnodiging" in _html(client.get(_url(group)))
    html = _html(client.post(_url(group, "meedoen/"), follow=True))
    assert "Voor deze werkgroep heb je een uitnodiging nodig." in html
    assert not _in_group(joiner, group) and not JoinRequest.objects.exists()


def test_the_service_refuses_a_secret_group_to_someone_who_does_not_know_it():
    group = working_group("Geheim", visibility=GroupVisibility.SECRET, join_policy=GroupJoinPolicy.OPEN)
    outsider = member()
    with pytest.raises(CommunityError, match="bestaat niet"):
        group_join(actor=outsider, group=group)
    assert not _in_group(outsider, group)


# --- Deciding on requests ----------------------------------------------------------------------------------


@pytest.fixture
def request_group():
    coordinator = member(display_name="Carla")
    group = working_group("Op verzoek", coordinator=coordinator, join_policy=GroupJoinPolicy.REQUEST)
    asker = member(display_name="Vera Vrager")
    join_request = group_join(actor=asker, group=group, message="Graag!")
    return group, coordinator, asker, join_request


def test_coordinators_and_editors_see_pending_requests_others_do_not(client, request_group):
    group, coordinator, asker, _ = request_group
    client.force_login(coordinator)
    assert "1 verzoek wacht op een besluit" in _html(client.get(_url(group)))
    html = _html(client.get(_url(group, "beheren/")))
    assert "Vera Vrager" in html and "Graag!" in html
    assert asker.email not in html
    client.force_login(editor())
    assert "Vera Vrager" in _html(client.get(_url(group, "beheren/")))
    client.force_login(member())
    assert client.get(_url(group, "beheren/")).status_code == 404
    client.force_login(asker)
    assert client.get(_url(group, "beheren/")).status_code == 404


@pytest.mark.parametrize(
    "decision, joined, subject",
    [
        ("accepteren", True, "Je doet nu mee met Op verzoek"),
        ("afwijzen", False, "Je verzoek voor Op verzoek is afgewezen"),
    ],
)
def test_the_requester_is_told_either_way(
    client, request_group, mailoutbox, django_capture_on_commit_callbacks, decision, joined, subject
):
    group, coordinator, asker, join_request = request_group
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(group, f"beheren/verzoeken/{join_request.pk}/"), {"besluit": decision}, follow=True)
    assert "we hebben het per e-mail laten weten" in _html(response)
    join_request.refresh_from_db()
    assert join_request.status == (JoinRequestStatus.ACCEPTED if joined else JoinRequestStatus.DECLINED)
    assert join_request.decided_by == coordinator
    assert _in_group(asker, group) is joined and _has_access(asker, group) is joined
    [mail] = mailoutbox
    assert mail.to == [asker.email]
    assert subject in mail.subject


def test_a_decided_request_cannot_be_decided_again(
    client, request_group, mailoutbox, django_capture_on_commit_callbacks
):
    group, coordinator, asker, join_request = request_group
    join_request_decide(actor=coordinator, join_request=join_request, accept=False)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        html = _html(
            client.post(_url(group, f"beheren/verzoeken/{join_request.pk}/"), {"besluit": "accepteren"}, follow=True)
        )
    assert "Over dit verzoek is al beslist." in html
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.DECLINED
    assert not _in_group(asker, group)
    assert mailoutbox == []


def test_a_decision_needs_a_clear_choice_and_a_request_of_this_group(client, request_group):
    group, coordinator, _, join_request = request_group
    client.force_login(coordinator)
    html = _html(client.post(_url(group, f"beheren/verzoeken/{join_request.pk}/"), {"besluit": "?"}, follow=True))
    assert "Kies of je het verzoek accepteert of afwijst." in html
    other = working_group("Andere groep", coordinator=coordinator)
    assert (
        client.post(_url(other, f"beheren/verzoeken/{join_request.pk}/"), {"besluit": "accepteren"}).status_code == 404
    )
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.PENDING


def test_the_manage_page_names_members_only_as_far_as_their_profiles_allow(client):
    coordinator = member(display_name="Carla")
    shy = member(display_name="Hanna Verborgen", visibility=ProfileVisibility.HIDDEN)
    group = working_group("Open groep", coordinator=coordinator, members=[shy, member(display_name="Mila")])
    client.force_login(coordinator)
    html = _html(client.get(_url(group, "beheren/")))
    assert "Mila" in html and "Carla" in html
    assert "Hanna Verborgen" not in html
    assert "Deelnemer met een afgeschermd profiel" in html
    assert html.index("Carla") < html.index("Mila")  # coordinators first
    html = _html(client.post(_url(group, "beheren/coordinatoren/"), {"lid": shy.pk}, follow=True))
    assert "De deelnemer is nu coördinator." in html and "Hanna Verborgen" not in html


def test_a_member_who_is_no_coordinator_cannot_decide(request_group):
    group, _, _, join_request = request_group
    bystander = member()
    membership_add(group=group, user=bystander)
    with pytest.raises(CommunityError):
        join_request_decide(actor=bystander, join_request=join_request, accept=True)


# --- Invitations -------------------------------------------------------------------------------------------


def test_a_coordinator_invites_by_e_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    coordinator = member(display_name="Carla Coördinator")
    group = working_group("Op uitnodiging", coordinator=coordinator, join_policy=GroupJoinPolicy.INVITATION)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(group, "beheren/uitnodigen/"), {"email": " Nieuw@Example.org "}, follow=True)
    html = _html(response)
    assert "De uitnodiging is verstuurd." in html
    assert "nieuw@example.org" not in html
    invitation = Invitation.objects.get(group=group)
    assert invitation.email == "nieuw@example.org" and invitation.invited_by == coordinator
    [mail] = mailoutbox
    assert mail.to == ["nieuw@example.org"]
    assert "Carla Coördinator" in mail.body
    assert f"http://testserver/werkgroepen/uitnodiging/{invitation.token}/" in mail.body
    assert "&quot;" not in mail.body


@pytest.mark.parametrize(
    "email, message",
    [
        ("geen-adres", "Vul een geldig e-mailadres in"),
        ("lid@", "Vul een geldig e-mailadres in"),
        ("", "Dit is een verplicht veld"),
        ("deelnemer@example.org", "Deze persoon doet al mee met de werkgroep."),
        ("al-uitgenodigd@example.org", "Er staat al een uitnodiging voor dit e-mailadres open."),
    ],
)
def test_a_bad_invitation_is_refused_with_a_message(
    client, mailoutbox, django_capture_on_commit_callbacks, email, message
):
    coordinator = member()
    participant = UserFactory(username="deelnemer", email="deelnemer@example.org")
    group = working_group("Op uitnodiging", coordinator=coordinator, members=[participant])
    group_invite(actor=coordinator, group=group, email="al-uitgenodigd@example.org")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(group, "beheren/uitnodigen/"), {"email": email})
    assert response.status_code == 400
    assert message in _html(response)
    assert Invitation.objects.count() == 1
    assert mailoutbox == []


def test_only_coordinators_and_editors_invite(client):
    group = working_group("Open groep")
    bystander = member()
    membership_add(group=group, user=bystander)
    client.force_login(bystander)
    assert client.post(_url(group, "beheren/uitnodigen/"), {"email": "x@example.org"}).status_code == 404
    with pytest.raises(CommunityError):
        group_invite(actor=bystander, group=group, email="x@example.org")
    assert not Invitation.objects.exists()
    group_invite(actor=editor(), group=group, email="x@example.org")
    assert Invitation.objects.count() == 1


def test_invitations_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "group_invite": "2/h/user"}
    coordinator = member()
    group = working_group("Open groep", coordinator=coordinator)
    client.force_login(coordinator)
    for number in range(2):
        assert client.post(_url(group, "beheren/uitnodigen/"), {"email": f"a{number}@example.org"}).status_code == 302
    response = client.post(_url(group, "beheren/uitnodigen/"), {"email": "a3@example.org"})
    assert response.status_code == 429
    assert "Probeer het over 60 minuten opnieuw" in _html(response)
    assert Invitation.objects.count() == 2


@pytest.fixture
def invitation():
    coordinator = member()
    group = working_group(
        "Geheime kring",
        coordinator=coordinator,
        visibility=GroupVisibility.SECRET,
        join_policy=GroupJoinPolicy.INVITATION,
    )
    return group_invite(actor=coordinator, group=group, email="gast@example.org")


def test_the_invitation_link_needs_a_login(client, invitation):
    response = client.get(f"/werkgroepen/uitnodiging/{invitation.token}/")
    assert response.status_code == 302 and response["Location"].startswith(_login_url())


def test_the_invitation_link_shows_the_group_and_joins_on_confirmation(client, invitation):
    guest = member()
    guest.email = "gast@example.org"
    guest.save(update_fields=["email"])
    client.force_login(guest)
    url = f"/werkgroepen/uitnodiging/{invitation.token}/"
    html = _html(client.get(url))
    assert "Geheime kring" in html and "Neem de uitnodiging aan" in html
    assert not _in_group(guest, invitation.group)
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == _url(invitation.group)
    assert "Je doet nu mee met deze werkgroep." in _html(response)
    assert _in_group(guest, invitation.group) and _has_access(guest, invitation.group)
    invitation.refresh_from_db()
    assert invitation.accepted_by == guest and invitation.accepted_at is not None


@pytest.mark.parametrize("state", ["gebruikt", "verlopen", "onbekend"])
def test_a_used_expired_or_unknown_invitation_gets_a_clear_message_and_changes_nothing(client, invitation, state):
    token = invitation.token
    if state == "gebruikt":
        invitation_accept(actor=member(), token=token)
    elif state == "verlopen":
        Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=15))
    else:
        token = "bestaat-niet"
    latecomer = member()
    client.force_login(latecomer)
    for response in (
        client.get(f"/werkgroepen/uitnodiging/{token}/"),
        client.post(f"/werkgroepen/uitnodiging/{token}/"),
    ):
        assert response.status_code == 410
        html = _html(response)
        assert "Deze uitnodiging is verlopen of al gebruikt." in html
        assert "Geheime kring" not in html
    assert not _in_group(latecomer, invitation.group)


def test_invitation_accept_refuses_an_expired_invitation(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=15))
    guest = member()
    with pytest.raises(CommunityError, match="verlopen of al gebruikt"):
        invitation_accept(actor=guest, token=invitation.token)
    assert not _in_group(guest, invitation.group)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_newcomer_joins_every_group_that_invited_their_address_on_sign_up(invitation):
    coordinator = member()
    other = working_group("Tweede groep", coordinator=coordinator)
    group_invite(actor=coordinator, group=other, email="gast@example.org")
    expired_group = working_group("Verlopen groep", coordinator=coordinator)
    expired = group_invite(actor=coordinator, group=expired_group, email="gast@example.org")
    Invitation.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(days=15))
    group_invite(actor=coordinator, group=working_group("Andermans groep", coordinator=coordinator), email="a@b.nl")
    newcomer = UserFactory(username="gast", email="Gast@Example.org")

    memberships = invitations_redeem_for_email(user=newcomer, email=newcomer.email)

    assert {m.group for m in memberships} == {invitation.group, other}
    assert _has_access(newcomer, invitation.group) and _has_access(newcomer, other)
    assert not _in_group(newcomer, expired_group)
    assert invitations_redeem_for_email(user=newcomer, email=newcomer.email) == []


# --- Leaving and handing over ------------------------------------------------------------------------------


def test_a_member_leaves_and_loses_access(client):
    leaver = member()
    group = working_group("Open groep", members=[leaver])
    client.force_login(leaver)
    html = _html(client.post(_url(group, "verlaten/"), follow=True))
    assert "Je hebt de werkgroep Open groep verlaten." in html
    assert not _in_group(leaver, group) and not _has_access(leaver, group)


def test_leaving_a_group_you_are_not_in_says_so(client):
    group = working_group("Open groep")
    client.force_login(member())
    html = _html(client.post(_url(group, "verlaten/"), follow=True))
    assert "Je bent geen deelnemer van deze werkgroep." in html


def test_after_leaving_a_secret_group_you_land_on_the_list(client):
    leaver = member()
    group = working_group("Geheim", visibility=GroupVisibility.SECRET, members=[leaver])
    client.force_login(leaver)
    response = client.post(_url(group, "verlaten/"))
    assert response["Location"] == "/werkgroepen/"
    assert client.get(_url(group)).status_code == 404


def test_the_last_coordinator_cannot_leave_before_handing_over(client):
    coordinator = member()
    successor = member(display_name="Opvolger")
    group = working_group("Open groep", coordinator=coordinator, members=[successor])
    client.force_login(coordinator)
    page = _html(client.get(_url(group)))
    assert "Je bent de laatste coördinator" in page
    assert "Verlaat deze werkgroep" not in page
    html = _html(client.post(_url(group, "verlaten/"), follow=True))
    assert "Draag de coördinatie eerst over" in html
    assert _in_group(coordinator, group) and _has_access(coordinator, group)

    response = client.post(_url(group, "beheren/coordinatoren/"), {"lid": successor.pk}, follow=True)
    assert "Opvolger is nu coördinator." in _html(response)
    assert group.memberships.get(user=successor).role == MembershipRole.COORDINATOR
    assert "Verlaat deze werkgroep" in _html(client.get(_url(group)))
    client.post(_url(group, "verlaten/"))
    assert not _in_group(coordinator, group)


@pytest.mark.parametrize("lid", ["", "abc", "999999", "outsider"])
def test_only_a_member_can_be_made_coordinator(client, lid):
    coordinator = member()
    outsider = member()
    group = working_group("Open groep", coordinator=coordinator)
    client.force_login(coordinator)
    value = str(outsider.pk) if lid == "outsider" else lid
    html = _html(client.post(_url(group, "beheren/coordinatoren/"), {"lid": value}, follow=True))
    assert "Kies een deelnemer van deze werkgroep." in html
    assert not _in_group(outsider, group)


def test_a_plain_member_cannot_make_coordinators(client):
    bystander, other = member(), member()
    group = working_group("Open groep", members=[bystander, other])
    client.force_login(bystander)
    assert client.post(_url(group, "beheren/coordinatoren/"), {"lid": other.pk}).status_code == 404
    assert group.memberships.get(user=other).role == MembershipRole.MEMBER


# --- Proposing a group -------------------------------------------------------------------------------------


def test_proposing_needs_a_login(client):
    response = client.get("/werkgroepen/voorstellen/")
    assert response.status_code == 302 and response["Location"].startswith(_login_url())


def test_a_proposed_group_waits_for_an_editor_and_its_proposer_then_coordinates(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    theme = ThemeFactory(name="Woo", slug="woo")
    proposer = member()
    client.force_login(proposer)
    form = _html(client.get("/werkgroepen/voorstellen/"))
    assert "<legend>Wie kan meedoen?</legend>" in form and "<legend>Wie mag de werkgroep zien?</legend>" in form
    response = client.post(
        "/werkgroepen/voorstellen/",
        {
            "name": "Woo in de praktijk",
            "description": "Ervaringen delen.",
            "themes": [theme.pk],
            "join_policy": GroupJoinPolicy.REQUEST,
            "visibility": GroupVisibility.MEMBERS,
        },
        follow=True,
    )
    assert "De redactie bekijkt het" in _html(response)
    group = WorkingGroup.objects.get(name="Woo in de praktijk")
    assert group.status == GroupStatus.PROPOSED and group.proposed_by == proposer
    assert list(group.themes.all()) == [theme]
    assert (group.join_policy, group.visibility) == (GroupJoinPolicy.REQUEST, GroupVisibility.MEMBERS)
    assert "Woo in de praktijk" not in _html(client.get("/werkgroepen/"))
    assert client.get(_url(group)).status_code == 404
    assert client.post(_url(group, "meedoen/")).status_code == 404
    client.force_login(editor())
    assert client.get(_url(group)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        group_approve(actor=editor(), group=group)
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE
    assert group.memberships.get(user=proposer).role == MembershipRole.COORDINATOR
    assert _has_access(proposer, group)
    [mail] = mailoutbox
    assert mail.to == [proposer.email] and "goedgekeurd" in mail.subject
    client.force_login(proposer)
    assert "Woo in de praktijk" in _html(client.get("/werkgroepen/"))
    assert client.get(_url(group, "beheren/")).status_code == 200


def test_a_rejected_proposal_never_goes_live(client, mailoutbox, django_capture_on_commit_callbacks):
    proposer = member()
    group = group_propose(actor=proposer, name="Niet nodig", description="Bestaat al elders.")
    with django_capture_on_commit_callbacks(execute=True):
        group_reject(actor=editor(), group=group, reason="Sluit je aan bij Open data.")
    group.refresh_from_db()
    assert group.status == GroupStatus.REJECTED
    assert not _in_group(proposer, group)
    client.force_login(proposer)
    assert client.get(_url(group)).status_code == 404
    [mail] = mailoutbox
    assert "Sluit je aan bij Open data." in mail.body
    with pytest.raises(CommunityError, match="al beslist"):
        group_reject(actor=editor(), group=group)


def test_only_editors_approve_or_reject_and_only_once():
    proposer = member()
    group = group_propose(actor=proposer, name="Voorstel", description="Tekst.")
    for decide in (group_approve, group_reject):
        with pytest.raises(CommunityError):
            decide(actor=proposer, group=group)
    group.refresh_from_db()
    assert group.status == GroupStatus.PROPOSED
    group_approve(actor=editor(), group=group)
    with pytest.raises(CommunityError, match="al goedgekeurd"):
        group_approve(actor=editor(), group=group)
    with pytest.raises(CommunityError, match="al beslist"):
        group_reject(actor=editor(), group=group)
    assert WorkingGroup.objects.get(pk=group.pk).status == GroupStatus.ACTIVE


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "Bestaande groep", "description": "Dubbel."}, "Er is al een werkgroep met deze naam."),
        ({"name": "bestaande GROEP", "description": "Dubbel."}, "Er is al een werkgroep met deze naam."),
        ({"name": "", "description": "Zonder naam."}, "Dit is een verplicht veld."),
        ({"name": "Nieuw", "description": "Tekst.", "visibility": "iedereen"}, "Selecteer een geldige keuze."),
    ],
)
def test_a_bad_proposal_is_refused_with_a_message_and_nothing_is_created(client, data, message):
    working_group("Bestaande groep")
    before = WorkingGroup.objects.count()
    client.force_login(member())
    response = client.post(
        "/werkgroepen/voorstellen/", {"join_policy": "open", "visibility": "public", **data}, follow=True
    )
    assert response.status_code == 400
    assert message in _html(response)
    assert WorkingGroup.objects.count() == before


def test_a_group_cannot_take_the_address_of_a_page_under_werkgroepen():
    group = group_propose(actor=member(), name="Voorstellen", description="Een onhandige naam.")
    assert group.slug not in ("voorstellen", "uitnodiging")
