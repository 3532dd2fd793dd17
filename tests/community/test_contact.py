""" "Neem contact op": a member writes to a member who is open to contact; addresses stay hidden until a reply."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.shortcuts import resolve_url

from community.models import ContactMessage, ProfileVisibility
from community.services import CommunityError
from community.services.profiles import contact_reply, contact_send
from tests.community.factories import member
from tests.factories import editor

pytestmark = pytest.mark.django_db

LETTER = {"subject": "Vraag over de Woo", "body": "Hoe pakken jullie actieve openbaarmaking aan?"}


@pytest.fixture
def sender():
    return member(username="afzender", display_name="Bram Afzender", organisation="Provincie Gelderland")


@pytest.fixture
def receiver():
    return member(username="ontvanger", display_name="Anouk Ontvanger", open_to_contact=True)


def contact_url(user):
    return f"/leden/{user.profile.pk}/contact/"


def send(client, receiver, django_capture_on_commit_callbacks, data=LETTER):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(contact_url(receiver), data)


def test_a_visitor_must_log_in_first(client, receiver):
    response = client.get(contact_url(receiver))
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


def test_the_form_is_labelled_and_explains_what_is_shared(client, sender, receiver):
    client.force_login(sender)
    html = client.get(contact_url(receiver)).content.decode()
    assert '<label for="id_subject">' in html and '<label for="id_body">' in html
    assert "e-mailadressen blijven verborgen" in html and html.count("<h1") == 1


def test_the_message_is_mailed_without_either_address(
    client, sender, receiver, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(sender)
    response = send(client, receiver, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == f"/leden/{receiver.profile.pk}/"
    assert "Je bericht aan Anouk Ontvanger is verstuurd." in str(list(get_messages(response.wsgi_request))[0])
    message = ContactMessage.objects.get()
    assert (message.sender, message.receiver, message.subject) == (sender, receiver, "Vraag over de Woo")
    [mail] = mailoutbox
    assert mail.to == [receiver.email]
    assert mail.reply_to == [] and "Reply-To" not in mail.extra_headers
    assert sender.email not in mail.from_email
    assert "Bram Afzender" in mail.subject and "Vraag over de Woo" in mail.subject
    assert "Bram Afzender (Provincie Gelderland)" in mail.body
    assert LETTER["body"] in mail.body
    assert f"http://testserver/leden/bericht/{message.reply_token}/" in mail.body
    raw = mail.message().as_string()
    assert sender.email not in raw
    assert receiver.email not in mail.body and "@" not in mail.body


def test_a_hidden_or_unknown_member_is_a_404(client, sender, mailoutbox):
    hidden = member(open_to_contact=True, visibility=ProfileVisibility.HIDDEN)
    client.force_login(sender)
    assert client.get(contact_url(hidden)).status_code == 404
    assert client.post(contact_url(hidden), LETTER).status_code == 404
    assert client.get("/leden/999999/contact/").status_code == 404
    assert not ContactMessage.objects.exists() and not mailoutbox


def test_a_member_who_is_not_open_to_contact_cannot_be_written_to(client, sender, mailoutbox):
    closed = member(open_to_contact=False)
    client.force_login(sender)
    for response in (client.get(contact_url(closed)), client.post(contact_url(closed), LETTER)):
        assert response.status_code == 302 and response["Location"] == f"/leden/{closed.profile.pk}/"
        latest = list(get_messages(response.wsgi_request))[-1]
        assert str(latest) == "Dit lid wil geen berichten via de ledenlijst ontvangen."
    assert not ContactMessage.objects.exists() and not mailoutbox


def test_you_cannot_write_to_yourself(client, receiver, mailoutbox):
    client.force_login(receiver)
    response = client.post(contact_url(receiver), LETTER)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Je kunt jezelf geen bericht sturen."]
    assert not ContactMessage.objects.exists() and not mailoutbox


def test_empty_or_too_long_input_is_explained(client, sender, receiver, mailoutbox):
    client.force_login(sender)
    response = client.post(contact_url(receiver), {"subject": "", "body": "x" * 4001})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "Dit is een verplicht veld." in html and "niet meer dan 4000 tekens" in html
    assert not ContactMessage.objects.exists() and not mailoutbox


def test_the_limit_is_five_messages_an_hour_with_a_dutch_message(
    client, sender, receiver, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(sender)
    for _ in range(5):
        assert send(client, receiver, django_capture_on_commit_callbacks).status_code == 302
    response = send(client, receiver, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Je hebt kort na elkaar te veel berichten verstuurd. Probeer het over 60 minuten opnieuw." in html
    assert ContactMessage.objects.count() == 5 and len(mailoutbox) == 5
    other = member()
    client.force_login(other)
    assert send(client, receiver, django_capture_on_commit_callbacks).status_code == 302  # the limit is per member
    assert len(mailoutbox) == 6


def test_the_service_applies_the_same_rules(sender, receiver):
    closed = member(open_to_contact=False)
    hidden = member(open_to_contact=True, visibility=ProfileVisibility.HIDDEN)
    with pytest.raises(CommunityError, match="geen berichten"):
        contact_send(actor=sender, receiver=closed, **LETTER)
    with pytest.raises(CommunityError, match="niet te bereiken"):
        contact_send(actor=sender, receiver=hidden, **LETTER)
    with pytest.raises(CommunityError, match="jezelf"):
        contact_send(actor=receiver, receiver=receiver, **LETTER)
    with pytest.raises(CommunityError, match="onderwerp"):
        contact_send(actor=sender, receiver=receiver, subject="  ", body="Hallo")
    with pytest.raises(CommunityError, match="niet te bereiken"):
        contact_send(actor=editor(), receiver=hidden, **LETTER)  # hidden profiles: nowhere but the admin
    assert not ContactMessage.objects.exists()


def test_a_subject_cannot_smuggle_mail_headers(sender, receiver, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contact_send(actor=sender, receiver=receiver, subject="Hallo\r\nBcc: iedereen@example.net", body="Hoi")
    [mail] = mailoutbox
    assert "\n" not in mail.subject and mail.bcc == []
    assert ContactMessage.objects.get().subject == "Hallo Bcc: iedereen@example.net"


@pytest.fixture
def letter(sender, receiver):
    return contact_send(actor=sender, receiver=receiver, **LETTER)


def reply_url(message):
    return f"/leden/bericht/{message.reply_token}/"


def test_the_reply_page_is_only_for_the_receiver(client, letter, sender):
    assert client.get(reply_url(letter))["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    for stranger in (sender, member(), editor()):
        client.force_login(stranger)
        assert client.get(reply_url(letter)).status_code == 404
    assert client.get("/leden/bericht/verzonnen-token/").status_code == 404


def test_the_receiver_reads_the_message_and_replies_with_their_address(
    client, letter, sender, receiver, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(receiver)
    html = client.get(reply_url(letter)).content.decode()
    assert "Bram Afzender" in html and LETTER["body"] in html
    assert sender.email not in html and receiver.email not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reply_url(letter), {"body": "Goed idee, laten we bellen."})
    assert response.status_code == 302
    assert "samen met je e-mailadres" in str(list(get_messages(response.wsgi_request))[0])
    [mail] = mailoutbox
    assert mail.to == [sender.email]
    assert mail.reply_to == [receiver.email]
    assert receiver.email in mail.body and "Goed idee, laten we bellen." in mail.body
    assert "Anouk Ontvanger" in mail.body and "Vraag over de Woo" in mail.subject
    assert sender.email not in mail.body
    letter.refresh_from_db()
    assert letter.replied_at is not None
    assert "Je hebt op" in client.get(reply_url(letter)).content.decode()


def test_an_empty_reply_is_explained_and_nothing_is_sent(client, letter, receiver, mailoutbox):
    client.force_login(receiver)
    response = client.post(reply_url(letter), {"body": "   "})
    assert response.status_code == 200 and "Dit is een verplicht veld." in response.content.decode()
    letter.refresh_from_db()
    assert letter.replied_at is None and not mailoutbox


def test_no_reply_reaches_a_sender_who_was_blocked(client, letter, sender, receiver, mailoutbox):
    sender.is_active = False
    sender.save()
    client.force_login(receiver)
    response = client.post(reply_url(letter), {"body": "Hallo?"})
    assert "De afzender is geen lid meer" in response.content.decode()
    letter.refresh_from_db()
    assert letter.replied_at is None and not mailoutbox


def test_only_the_receiver_may_reply_through_the_service(letter, sender):
    with pytest.raises(CommunityError, match="Alleen de ontvanger"):
        contact_reply(actor=sender, message=letter, body="Ik antwoord mezelf")
    letter.refresh_from_db()
    assert letter.replied_at is None
