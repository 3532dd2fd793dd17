import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry

from knowledge.models import KnowledgeArticle, Theme

pytestmark = pytest.mark.django_db


def test_demo_content_loads_once_and_again_without_duplicates(client):
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        KnowledgeArticle.objects.count(),
        Theme.objects.count(),
        Page.objects.count(),
        PageLogEntry.objects.filter(action="wagtail.publish").count(),
    )
    assert counts[0] >= 25 and counts[1] >= 8
    assert KnowledgeArticle.objects.filter(live=True).count() == counts[0]
    versioned = [a for a in KnowledgeArticle.objects.all() if a.revisions.count() > 1]
    assert len(versioned) >= 10

    call_command("load_demo", stdout=io.StringIO())
    assert (
        KnowledgeArticle.objects.count(),
        Theme.objects.count(),
        Page.objects.count(),
        PageLogEntry.objects.filter(action="wagtail.publish").count(),
    ) == counts

    from community.models import Profile, WorkingGroup

    assert Profile.objects.count() == 6 and WorkingGroup.objects.active().count() == 3
    secret_page = KnowledgeArticle.objects.get(slug="werkafspraken-e-mailarchivering")
    assert client.get(secret_page.url).status_code == 302, "a visitor is sent to log in"
    assert "Werkafspraken e-mailarchivering" not in client.get("/kennisbank/").content.decode()

    response = client.post("/inloggen/", {"login": "joost@alliantie.example", "password": "alliantie-demo"})
    assert response.status_code == 302 and response["Location"] == "/", "demo people can log in on the site"
    client.logout()

    home = client.get("/")
    assert home.status_code == 200 and "Alliantie Open Overheid" in home.content.decode()
    article = versioned[0]
    assert client.get(f"{article.url}verschil/").status_code == 200
