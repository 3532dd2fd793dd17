"""The notification list ("Meldingen"): what happened to a member's contributions, marked read one by one or all."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Notification
from community.services.notifications import notify
from tests.community.factories import member

pytestmark = pytest.mark.django_db

URL = reverse("community:notifications")


@pytest.fixture
def reader(db):
    return member(username="lezer")


@pytest.fixture
def reader_client(reader):
    client = Client()
    client.force_login(reader)
    return client


def test_a_member_sees_their_notifications_newest_first_with_new_ones_marked_in_words(reader, reader_client):
    notify(recipient=reader, message="Je voorstel “Eerste” is goedgekeurd.", url="/kennisbank/eerste/")
    notify(recipient=reader, message="De redactie vraagt je “Tweede” aan te passen.", url="/mijn-bijdragen/2/herzien/")
    notify(recipient=member(), message="Niet voor jou.")
    html = reader_client.get(URL).content.decode()
    assert html.index("Tweede") < html.index("Eerste")
    assert 'href="/kennisbank/eerste/"' in html and "Niet voor jou." not in html
    assert html.count("Nieuw</strong>") == 2


def test_marking_one_and_then_all_as_read(reader, reader_client):
    first = notify(recipient=reader, message="Eerste melding")
    notify(recipient=reader, message="Tweede melding")
    response = reader_client.post(URL, {"melding": str(first.pk)})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(recipient=reader, read_at__isnull=True).count() == 1
    reader_client.post(URL)
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    assert "Nieuw</strong>" not in reader_client.get(URL).content.decode()


def test_nobody_marks_someone_elses_notifications(reader, reader_client):
    theirs = notify(recipient=member(), message="Van een ander")
    reader_client.post(URL, {"melding": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def _count(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_list_runs_a_constant_number_of_queries(reader, reader_client):
    for number in range(3):
        notify(recipient=reader, message=f"Melding {number}", url="/")
    _count(reader_client)
    few = _count(reader_client)
    for number in range(12):
        notify(recipient=reader, message=f"Nog een melding {number}", url="/")
    assert _count(reader_client) == few
