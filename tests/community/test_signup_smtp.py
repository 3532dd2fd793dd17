"""End to end: the verification mail leaves through real SMTP, lands in a local sink, and its link completes joining."""

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.test import Client

from community.models import Profile

pytestmark = pytest.mark.django_db


class MessageStore:
    """An aiosmtpd handler that keeps every message it is handed."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    store = MessageStore()
    controller = Controller(store, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield store
    controller.stop()


def test_verification_mail_goes_through_smtp_and_its_link_completes_joining(
    client, smtp_sink, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/aanmelden/",
            {
                "display_name": "Joost Visser",
                "email": "joost@example.org",
                "password1": "Open-overheid-2025",
                "password2": "Open-overheid-2025",
                "organisation": "Waterschap Rivierenland",
                "organisation_type": "waterschap",
                "consent": "on",
            },
        )
    assert response.status_code == 302 and response["Location"] == "/aanmelden/controleer-je-e-mail/"
    assert mailoutbox == [], "the mail went over SMTP, not into the test outbox"

    assert len(smtp_sink.envelopes) == 1
    envelope = smtp_sink.envelopes[0]
    assert envelope.rcpt_tos == ["joost@example.org"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["To"] == "joost@example.org"
    assert received["Subject"] == "[Alliantie Open Overheid] Bevestig je e-mailadres"
    body = received.get_body(("plain",)).get_content()
    assert "Hallo Joost Visser," in body
    link = re.search(r"http://testserver(/aanmelden/bevestigen/\S+/)", body)
    assert link, body

    assert not EmailAddress.objects.get(email="joost@example.org").verified
    confirmed = client.get(link.group(1))
    assert confirmed.status_code == 302
    address = EmailAddress.objects.get(email="joost@example.org")
    assert address.verified and address.primary

    elsewhere = Client()
    login = elsewhere.post("/inloggen/", {"login": "joost@example.org", "password": "Open-overheid-2025"})
    assert login.status_code == 302 and login["Location"] == "/"
    assert int(elsewhere.session["_auth_user_id"]) == address.user_id

    profile = Profile.objects.get(user_id=address.user_id)
    assert profile.display_name == "Joost Visser" and profile.organisation_type == "waterschap"
    assert profile.privacy_consent_at is not None
    assert profile.newsletter_opt_in_at is None
