"""Joining the alliance and the account pages: sign-up with profile and consent, verification,
invitations redeemed on confirmation, login limits, blocked members, password and e-mail changes,
all at Dutch addresses, in Dutch and in the site's own look."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.utils import timezone
from wagtail.models import Site

from community.models import Invitation, Membership, Profile
from community.services.groups import group_approve, group_invite, group_propose
from tests.factories import UserFactory, editor
from website.models import SiteSettings

pytestmark = pytest.mark.django_db

User = get_user_model()
FACTORY_PASSWORD = "geheim-wachtwoord"
NEW_PASSWORD = "Nieuw-wachtwoord-2025"
LOCKOUT_MESSAGE = "Te veel mislukte pogingen om in te loggen. Wacht 15 minuten en probeer het dan opnieuw"
WRONG_LOGIN = "Het e-mailadres of het wachtwoord klopt niet."
BROKEN_LINK = "Deze link werkt niet (meer)"


def signup_data(**changes):
    data = {
        "display_name": "Sanne de Vries",
        "email": "sanne@example.org",
        "password1": "Open-overheid-2025",
        "password2": "Open-overheid-2025",
        "organisation": "Gemeente Utrecht",
        "organisation_type": "gemeente",
        "newsletter": "on",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def sign_up(client, capture, **changes):
    with capture(execute=True):
        return client.post("/aanmelden/", signup_data(**changes))


def link_in(message, path_prefix):
    match = re.search(rf"http://testserver({re.escape(path_prefix)}\S+/)", message.body)
    assert match, f"no {path_prefix} link in:\n{message.body}"
    return match.group(1)


def log_in(client, email, password, **extra):
    return client.post("/inloggen/", {"login": email, "password": password}, **extra)


def html(response):
    return response.content.decode()


def visible_text(response):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html(response), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def is_logged_in(client):
    return "_auth_user_id" in client.session


def verified_member(username, email, first_name="Anouk", last_name="Jansen"):
    user = UserFactory(username=username, email=email, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def anouk(db):
    return verified_member("anouk", "anouk@example.org")


@pytest.fixture
def bram(db):
    return verified_member("bram", "bram@example.org", first_name="Bram", last_name="Bakker")


@pytest.fixture
def contact_point(tree):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_name = "Leer- en Expertisepunt Open Overheid"
    site_settings.contact_email = "aanspreekpunt@example.org"
    site_settings.save()
    return site_settings


# Joining


def test_signup_page_explains_joining_and_links_the_privacy_statement(client):
    response = client.get("/aanmelden/")
    page = html(response)
    text = visible_text(response)
    assert response.status_code == 200
    assert '<html lang="nl">' in page
    assert page.count("<h1") == 1 and "Aanmelden bij de Alliantie Open Overheid</h1>" in page
    assert "Lid worden is gratis." in text
    assert "Er zijn geen verplichtingen" in text and "vanuit je eigen interesse" in text
    assert "kleinere groep" in text
    assert 'href="/privacy/"' in page
    assert '<form method="post" action="/aanmelden/"' in page
    for field, label in [
        ("id_display_name", "Je naam"),
        ("id_email", "E-mail"),
        ("id_password1", "Wachtwoord"),
        ("id_organisation", "Organisatie"),
        ("id_organisation_type", "Soort organisatie"),
        ("id_newsletter", "Stuur mij de nieuwsbrief over open overheid"),
        ("id_consent", "Ik heb de privacyverklaring gelezen en ga ermee akkoord"),
    ]:
        assert re.search(rf'<label for="{field}">(<input [^>]*id="{field}">\s*)?{re.escape(label)}', page), field
    assert "Sign Up" not in text and "Password" not in text


def test_signup_creates_the_member_with_profile_and_dated_choices(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    before = timezone.now()
    response = sign_up(client, django_capture_on_commit_callbacks)
    after = timezone.now()

    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/controleer-je-e-mail/"
    user = User.objects.get(email="sanne@example.org")
    assert user.first_name == "Sanne de Vries"
    address = EmailAddress.objects.get(user=user)
    assert address.email == "sanne@example.org" and address.primary and not address.verified
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Sanne de Vries"
    assert profile.organisation == "Gemeente Utrecht" and profile.organisation_type == "gemeente"
    assert before <= profile.privacy_consent_at <= after
    assert before <= profile.newsletter_opt_in_at <= after
    assert not is_logged_in(client), "nobody is logged in before the address is verified"

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["sanne@example.org"]
    assert message.subject == "[Alliantie Open Overheid] Bevestig je e-mailadres"
    assert "Hallo Sanne de Vries," in message.body and "De link werkt 3 dagen." in message.body
    assert link_in(message, "/aanmelden/bevestigen/")

    sent_page = client.get(response["Location"])
    assert "Kijk in je e-mail</h1>" in html(sent_page) and "De link werkt 3 dagen." in visible_text(sent_page)


def test_no_newsletter_ticked_means_no_newsletter_date(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, newsletter=None)
    profile = Profile.objects.get(user__email="sanne@example.org")
    assert profile.newsletter_opt_in_at is None
    assert profile.privacy_consent_at is not None


def test_signup_without_consent_is_refused_and_saves_nothing(client, mailoutbox, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, consent=None)
    assert response.status_code == 200
    assert "Om lid te worden moet je akkoord gaan met de privacyverklaring." in html(response)
    assert 'value="Sanne de Vries"' in html(response), "what was typed is kept"
    assert not User.objects.filter(email="sanne@example.org").exists()
    assert not Profile.objects.exists() and not EmailAddress.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "iets-anders-2025"}, "password2", "Je moet hetzelfde wachtwoord twee keer intoetsen."),
        (
            {"password1": "kort", "password2": "kort"},
            "password1",
            "Dit wachtwoord is te kort. Gebruik minstens 8 tekens.",
        ),
        (
            {"password1": "sanne.example.org", "password2": "sanne.example.org"},
            "password1",
            "Je wachtwoord lijkt te veel op",
        ),
        ({"display_name": "   "}, "display_name", "Dit is een verplicht veld."),
        ({"email": "geen-adres"}, "email", "Voer een geldig e-mailadres in."),
        ({"organisation_type": ""}, "organisation_type", "Kies wat voor soort organisatie het is."),
        ({"organisation_type": "ufo"}, "organisation_type", "Selecteer een geldige keuze."),
    ],
)
def test_bad_signup_input_is_explained_at_the_field_and_saves_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks, changes, field, message
):
    response = sign_up(client, django_capture_on_commit_callbacks, **changes)
    page = html(response)
    assert response.status_code == 200
    assert 'role="alert"' in page and "Dit ging nog niet goed" in page
    assert f'id="id_{field}_error"' in page and message in page
    assert re.search(rf'<(input|select)[^>]*aria-invalid="true"[^>]*id="id_{field}"', page) or re.search(
        rf'<(input|select)[^>]*id="id_{field}"[^>]*aria-invalid="true"', page
    )
    assert not User.objects.exists() and not Profile.objects.exists()
    assert mailoutbox == []


def test_duplicate_email_creates_nothing_and_tells_the_owner(
    client, anouk, mailoutbox, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()
    response = sign_up(client, django_capture_on_commit_callbacks, email="ANOUK@example.org", display_name="Iemand")

    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/controleer-je-e-mail/", "the page does not reveal who is a member"
    assert User.objects.count() == users_before
    assert EmailAddress.objects.filter(email__iexact="anouk@example.org").count() == 1
    assert not Profile.objects.filter(display_name="Iemand").exists()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["anouk@example.org"]
    assert message.subject == "[Alliantie Open Overheid] Je hebt al een account"
    assert "Daarom hebben we geen nieuw account gemaakt." in message.body
    assert "http://testserver/inloggen/" in message.body
    assert "http://testserver/wachtwoord-vergeten/" in message.body
    assert "/bevestigen/" not in message.body

    sent_page = visible_text(client.get(response["Location"]))
    assert "Had je al een account met dit e-mailadres? Dan maken we geen tweede account." in sent_page


def test_a_failing_step_undoes_the_whole_signup(client, mailoutbox, django_capture_on_commit_callbacks):
    with (
        mock.patch("community.forms.profile_create_at_signup", side_effect=RuntimeError("profiel mislukt")),
        pytest.raises(RuntimeError),
    ):
        sign_up(client, django_capture_on_commit_callbacks)
    assert not User.objects.filter(email="sanne@example.org").exists()
    assert not EmailAddress.objects.exists()
    assert mailoutbox == []


# Verification


def test_confirmation_link_verifies_the_address_and_logs_in(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    response = client.get(link_in(mailoutbox[0], "/aanmelden/bevestigen/"))

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="sanne@example.org").verified
    assert is_logged_in(client)
    assert "Je e-mailadres is bevestigd." in messages_of(response)


def test_a_used_confirmation_link_gets_a_clear_page(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0], "/aanmelden/bevestigen/")
    client.get(link)
    response = client.get(link)

    assert response.status_code == 200
    text = visible_text(response)
    assert BROKEN_LINK in text
    assert "Je hebt je e-mailadres al bevestigd. Een link werkt maar één keer." in text
    assert 'href="/inloggen/"' in html(response)
    assert EmailAddress.objects.get(email="sanne@example.org").verified


def test_an_expired_confirmation_link_gets_a_clear_page(client, mailoutbox, django_capture_on_commit_callbacks):
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        sign_up(client, django_capture_on_commit_callbacks)
    response = client.get(link_in(mailoutbox[0], "/aanmelden/bevestigen/"))

    assert response.status_code == 200
    assert "De link is verlopen. Een link werkt 3 dagen." in visible_text(response)
    assert not EmailAddress.objects.get(email="sanne@example.org").verified
    assert not is_logged_in(client)


def test_a_made_up_confirmation_link_gets_the_same_clear_page(client):
    response = client.get("/aanmelden/bevestigen/verzonnen:sleutel/")
    assert response.status_code == 200
    assert BROKEN_LINK in visible_text(response)


def test_an_unverified_member_cannot_log_in_yet(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    response = log_in(client, "sanne@example.org", "Open-overheid-2025")
    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/controleer-je-e-mail/"
    assert not is_logged_in(client)


def test_confirming_redeems_pending_werkgroep_invitations(
    client, anouk, mailoutbox, django_capture_on_commit_callbacks
):
    group = group_propose(
        actor=anouk, name="Open data bij gemeenten", description="Samen leren.", join_policy="invitation"
    )
    group_approve(actor=editor(), group=group)
    other_group = group_propose(actor=anouk, name="Woo-verzoeken", description="Ervaringen delen.")
    group_approve(actor=editor(), group=other_group)
    with django_capture_on_commit_callbacks(execute=True):
        group_invite(actor=anouk, group=group, email="Sanne@Example.org")
        group_invite(actor=anouk, group=group, email="iemand-anders@example.org")
        expired = group_invite(actor=anouk, group=other_group, email="sanne@example.org")
    Invitation.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(days=15))
    mailoutbox.clear()

    sign_up(client, django_capture_on_commit_callbacks)
    sanne = User.objects.get(email="sanne@example.org")
    assert not Membership.objects.filter(user=sanne).exists(), "nobody joins before proving the address is theirs"

    client.get(link_in(mailoutbox[0], "/aanmelden/bevestigen/"))

    assert list(Membership.objects.filter(user=sanne).values_list("group__name", flat=True)) == [
        "Open data bij gemeenten"
    ]
    assert sanne.groups.filter(pk=group.access_group_id).exists()
    assert Invitation.objects.get(group=group, email="sanne@example.org").accepted_by == sanne
    assert Invitation.objects.get(email="iemand-anders@example.org").accepted_at is None
    assert Invitation.objects.get(pk=expired.pk).accepted_at is None


# Logging in and out


def test_login_page_is_dutch_and_links_signup_and_reset(client):
    response = client.get("/inloggen/")
    page = html(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1 and "Inloggen</h1>" in page
    assert '<label for="id_login">E-mail</label>' in page and '<label for="id_password">Wachtwoord</label>' in page
    assert 'href="/wachtwoord-vergeten/"' in page and 'href="/aanmelden/"' in page
    assert "Sign In" not in visible_text(response) and "Forgot" not in visible_text(response)


def test_a_verified_member_logs_in(client, anouk):
    response = log_in(client, "anouk@example.org", FACTORY_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert is_logged_in(client)
    assert "Je bent ingelogd als Anouk Jansen." in messages_of(response)


def test_login_returns_to_the_page_the_member_came_from_but_never_off_site(client, anouk):
    form = html(client.get("/inloggen/?next=/werkgroepen/"))
    assert '<input type="hidden" name="next" value="/werkgroepen/">' in form
    back = client.post("/inloggen/?next=/werkgroepen/", {"login": "anouk@example.org", "password": FACTORY_PASSWORD})
    assert back["Location"] == "/werkgroepen/"

    client.logout()
    data = {"login": "anouk@example.org", "password": FACTORY_PASSWORD, "next": "https://kwaadwillend.example/"}
    assert client.post("/inloggen/", data)["Location"] == "/"


def test_a_wrong_password_gets_a_dutch_message(client, anouk):
    response = log_in(client, "anouk@example.org", "fout-wachtwoord")
    assert response.status_code == 200
    assert WRONG_LOGIN in html(response)
    assert not is_logged_in(client)


def test_five_failures_lock_the_account_but_not_others(client, anouk, bram):
    for _attempt in range(5):
        assert WRONG_LOGIN in html(log_in(client, "anouk@example.org", "fout-wachtwoord"))

    response = log_in(client, "anouk@example.org", FACTORY_PASSWORD)
    assert response.status_code == 200
    assert LOCKOUT_MESSAGE in html(response)
    assert not is_logged_in(client)

    other = log_in(client, "bram@example.org", FACTORY_PASSWORD)
    assert other.status_code == 302 and is_logged_in(client)


def test_the_account_lockout_ends_after_fifteen_minutes(client, anouk):
    for _attempt in range(5):
        log_in(client, "anouk@example.org", "fout-wachtwoord")
    assert LOCKOUT_MESSAGE in html(log_in(client, "anouk@example.org", FACTORY_PASSWORD))

    real_time = time.time
    with mock.patch("time.time", side_effect=lambda: real_time() + 16 * 60):
        response = log_in(client, "anouk@example.org", FACTORY_PASSWORD)
    assert response.status_code == 302 and is_logged_in(client)


def test_ten_failures_from_one_address_lock_that_address_only(client, anouk):
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    for number in range(10):
        assert WRONG_LOGIN in html(log_in(client, f"gok{number}@example.org", "fout-wachtwoord", **attacker))

    refused = log_in(client, "anouk@example.org", FACTORY_PASSWORD, **attacker)
    assert LOCKOUT_MESSAGE in html(refused) and not is_logged_in(client)

    elsewhere = log_in(client, "anouk@example.org", FACTORY_PASSWORD, REMOTE_ADDR="198.51.100.4")
    assert elsewhere.status_code == 302 and is_logged_in(client)


def test_a_blocked_member_sees_a_clear_page_and_stays_out(client, anouk, contact_point):
    anouk.is_active = False
    anouk.save()

    response = log_in(client, "anouk@example.org", FACTORY_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/inloggen/geblokkeerd/"
    assert not is_logged_in(client)
    page = client.get(response["Location"])
    text = visible_text(page)
    assert "Je account is geblokkeerd" in text and "Je kunt op dit moment niet inloggen" in text
    assert "Leer- en Expertisepunt Open Overheid" in text

    wrong = log_in(client, "anouk@example.org", "fout-wachtwoord")
    assert WRONG_LOGIN in html(wrong) and "geblokkeerd" not in html(wrong), "a wrong password reveals nothing"


def test_blocking_ends_a_running_session(client, anouk):
    client.force_login(anouk)
    anouk.is_active = False
    anouk.save()
    response = client.get("/mijn-account/wachtwoord/")
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_logout_asks_first_and_logs_out_on_post(client, anouk):
    client.force_login(anouk)
    page = client.get("/uitloggen/")
    assert page.status_code == 200 and is_logged_in(client), "visiting the page alone does not log out"
    assert '<form method="post" action="/uitloggen/">' in html(page)
    assert "Wil je uitloggen?" in visible_text(page)

    response = client.post("/uitloggen/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert not is_logged_in(client)
    assert "Je bent uitgelogd." in messages_of(response)


# Passwords


def test_password_reset_by_mail(client, anouk, mailoutbox, django_capture_on_commit_callbacks):
    page = client.get("/wachtwoord-vergeten/")
    assert "Wachtwoord vergeten</h1>" in html(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wachtwoord-vergeten/", {"email": "anouk@example.org"})
    assert response.status_code == 302 and response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert "Kijk in je e-mail" in visible_text(client.get(response["Location"]))

    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anouk@example.org"]
    assert mailoutbox[0].subject == "[Alliantie Open Overheid] Kies een nieuw wachtwoord"
    assert "Hallo Anouk," in mailoutbox[0].body
    link = link_in(mailoutbox[0], "/wachtwoord-vergeten/nieuw/")

    form_redirect = client.get(link)
    assert form_redirect.status_code == 302 and form_redirect["Location"].endswith("-set-password/")
    form_page = client.get(form_redirect["Location"])
    assert "Kies een nieuw wachtwoord</h1>" in html(form_page)
    done = client.post(form_redirect["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/wachtwoord-vergeten/gelukt/"
    assert "Je wachtwoord is veranderd" in visible_text(client.get(done["Location"]))

    assert WRONG_LOGIN in html(log_in(client, "anouk@example.org", FACTORY_PASSWORD))
    assert log_in(client, "anouk@example.org", NEW_PASSWORD).status_code == 302

    client.logout()
    reused = client.get(link, follow=True)
    assert BROKEN_LINK in visible_text(reused), "a reset link works once"


def test_a_wrong_password_reset_link_gets_a_clear_page(client, anouk):
    response = client.get(f"/wachtwoord-vergeten/nieuw/{anouk.pk:x}-verkeerde-sleutel/")
    assert response.status_code == 200
    assert BROKEN_LINK in visible_text(response)
    assert 'href="/wachtwoord-vergeten/"' in html(response)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wachtwoord-vergeten/", {"email": "onbekend@example.org"})
    assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["onbekend@example.org"]
    assert mailoutbox[0].subject == "[Alliantie Open Overheid] Er is geen account met dit e-mailadres"
    assert "http://testserver/aanmelden/" in mailoutbox[0].body


def test_a_new_password_lifts_the_lockout(client, anouk, mailoutbox, django_capture_on_commit_callbacks):
    for _attempt in range(5):
        log_in(client, "anouk@example.org", "fout-wachtwoord")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/wachtwoord-vergeten/", {"email": "anouk@example.org"})
    form_url = client.get(link_in(mailoutbox[0], "/wachtwoord-vergeten/nieuw/"))["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert log_in(client, "anouk@example.org", NEW_PASSWORD).status_code == 302


def test_a_member_changes_their_password(client, anouk):
    client.force_login(anouk)
    page = client.get("/mijn-account/wachtwoord/")
    assert page.status_code == 200 and "Wachtwoord veranderen</h1>" in html(page)
    assert '<label for="id_oldpassword">Huidig wachtwoord</label>' in html(page)

    wrong = client.post(
        "/mijn-account/wachtwoord/", {"oldpassword": "fout", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert wrong.status_code == 200 and "Dit is niet je huidige wachtwoord." in html(wrong)
    anouk.refresh_from_db()
    assert anouk.check_password(FACTORY_PASSWORD)

    response = client.post(
        "/mijn-account/wachtwoord/",
        {"oldpassword": FACTORY_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/mijn-account/wachtwoord/"
    assert "Je wachtwoord is veranderd." in messages_of(response)
    assert is_logged_in(client)
    anouk.refresh_from_db()
    assert anouk.check_password(NEW_PASSWORD)


# E-mail addresses


def test_a_member_changes_their_email_address(client, anouk, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(anouk)
    page = client.get("/mijn-account/e-mailadres/")
    assert "E-mailadres veranderen</h1>" in html(page) and "anouk@example.org (hoofdadres, bevestigd)" in visible_text(
        page
    )

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post("/mijn-account/e-mailadres/", {"email": "anouk@nieuw.example", "action_add": ""})
    assert added.status_code == 302 and added["Location"] == "/mijn-account/e-mailadres/"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anouk@nieuw.example"]
    assert mailoutbox[0].subject == "[Alliantie Open Overheid] Bevestig je nieuwe e-mailadres"
    assert "anouk@nieuw.example (nog niet bevestigd)" in visible_text(client.get("/mijn-account/e-mailadres/"))

    client.get(link_in(mailoutbox[0], "/aanmelden/bevestigen/"))
    assert EmailAddress.objects.get(email="anouk@nieuw.example").verified

    primary = client.post("/mijn-account/e-mailadres/", {"email": "anouk@nieuw.example", "action_primary": ""})
    assert primary.status_code == 302 and primary["Location"] == "/mijn-account/e-mailadres/"
    anouk.refresh_from_db()
    assert anouk.email == "anouk@nieuw.example"

    client.logout()
    assert log_in(client, "anouk@nieuw.example", FACTORY_PASSWORD).status_code == 302


def test_a_confirmed_new_address_also_redeems_invitations(
    client, anouk, bram, mailoutbox, django_capture_on_commit_callbacks
):
    group = group_propose(actor=bram, name="Actieve openbaarmaking", description="Wat werkt?", join_policy="invitation")
    group_approve(actor=editor(), group=group)
    with django_capture_on_commit_callbacks(execute=True):
        group_invite(actor=bram, group=group, email="anouk@werk.example")
        client.force_login(anouk)
        client.post("/mijn-account/e-mailadres/", {"email": "anouk@werk.example", "action_add": ""})
    assert not Membership.objects.filter(user=anouk, group=group).exists()

    client.get(link_in(mailoutbox[-1], "/aanmelden/bevestigen/"))
    assert Membership.objects.filter(user=anouk, group=group).exists()


# Every account page in the site's look and language


ANONYMOUS_PAGES = [
    "/aanmelden/",
    "/aanmelden/controleer-je-e-mail/",
    "/aanmelden/bevestigen/ongeldig/",
    "/inloggen/",
    "/inloggen/geblokkeerd/",
    "/wachtwoord-vergeten/",
    "/wachtwoord-vergeten/verstuurd/",
    "/wachtwoord-vergeten/nieuw/1-ongeldig/",
    "/wachtwoord-vergeten/gelukt/",
    "/privacy/",
]
MEMBER_PAGES = ["/uitloggen/", "/mijn-account/wachtwoord/", "/mijn-account/e-mailadres/", "/account/reauthenticate/"]
ENGLISH = [
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Password",
    "Email",
    "Forgot",
    "Remember Me",
    "Confirm",
    "Verify",
    "Change",
]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES + MEMBER_PAGES)
def test_every_account_page_is_dutch_inside_the_site_layout(client, anouk, url):
    if url in MEMBER_PAGES:
        client.force_login(anouk)
    response = client.get(url)
    page = html(response)
    assert response.status_code == 200
    assert '<html lang="nl">' in page
    assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in page
    assert '<header class="site-header">' in page and '<footer class="site-footer">' in page
    assert page.count("<h1") == 1
    assert re.search(r"<title>[^<]+ · Alliantie Open Overheid</title>", page)
    text = visible_text(response)
    assert not [word for word in ENGLISH if word in text]
    assert "anouk@example.org" not in page or url == "/mijn-account/e-mailadres/"


def test_account_pages_for_members_send_visitors_to_the_dutch_login(client):
    response = client.get("/mijn-account/wachtwoord/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/?next=")


def test_the_header_offers_login_and_signup_or_the_members_name_and_logout(client, anouk):
    anonymous = html(client.get("/inloggen/"))
    assert '<a href="/inloggen/" aria-current="page">Inloggen</a>' in anonymous
    assert '<a class="button" href="/aanmelden/">Aanmelden</a>' in anonymous
    assert "Uitloggen" not in anonymous

    client.force_login(anouk)
    member = html(client.get("/mijn-account/wachtwoord/"))
    assert re.search(
        r'<a href="/mijn-profiel/"><span class="visually-hidden">Mijn account: </span>Anouk Jansen</a>', member
    )
    assert re.search(
        r'<form method="post" action="/uitloggen/">\s*<input type="hidden" name="csrfmiddlewaretoken"', member
    )
    assert ">Inloggen</a>" not in member


# Rate limits and privacy


def test_signup_is_rate_limited_per_address_with_a_dutch_page(client):
    for _attempt in range(5):
        assert client.post("/aanmelden/", signup_data(consent=None)).status_code == 200

    refused = client.post("/aanmelden/", signup_data())
    assert refused.status_code == 429
    text = visible_text(refused)
    assert "Te veel pogingen" in text and "Wacht ongeveer een minuut en probeer het dan opnieuw." in text
    assert '<html lang="nl">' in html(refused)
    assert not User.objects.exists()

    elsewhere = client.post("/aanmelden/", signup_data(consent=None), REMOTE_ADDR="198.51.100.4")
    assert elsewhere.status_code == 200


def test_privacy_statement_says_what_why_and_the_avg_rights(client, contact_point):
    response = client.get("/privacy/")
    page = html(response)
    text = visible_text(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1 and "Privacyverklaring</h1>" in page
    for heading in ["Welke gegevens bewaren we?", "Waarom bewaren we die gegevens?", "Jouw rechten"]:
        assert f"{heading}</h2>" in page
    assert "Algemene verordening gegevensbescherming (AVG)" in text
    assert "downloaden" in text and "Verwijderen: je kunt je account zelf verwijderen" in text
    assert page.count('href="/mijn-gegevens/"') == 2 and 'href="/mijn-profiel/"' in page
    assert "voormalig lid" in text
    assert "Leer- en Expertisepunt Open Overheid" in text and "mailto:aanspreekpunt@example.org" in page
