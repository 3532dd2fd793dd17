"""Wagtail's own search, as editors use it in the admin: Dutch-aware on PostgreSQL and on Elasticsearch."""

import io
import uuid

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from knowledge.models import KnowledgeArticle
from tests.factories import article, paragraph
from website.settings.base import search_backends

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, settings):
    if request.param == "database":
        settings.WAGTAILSEARCH_BACKENDS = search_backends(None)
        yield get_search_backend()
        return
    url = request.getfixturevalue("elasticsearch_url")
    prefix = f"test_{uuid.uuid4().hex[:8]}_"
    settings.WAGTAILSEARCH_BACKENDS = search_backends(url, prefix)
    call_command("update_index", stdout=io.StringIO())  # creates the indexes with their mappings
    backend = get_search_backend()
    yield backend
    backend.es.indices.delete(index=f"{prefix}*")


def _refresh(backend):
    index = backend.get_index_for_model(KnowledgeArticle)
    if hasattr(index, "refresh"):
        index.refresh()


def test_search_is_dutch_aware(backend, tree):
    article(
        tree["index"],
        title="Raadsstukken publiceren",
        body=[paragraph("Elke gemeente publiceert haar raadsstukken actief.")],
    )
    article(tree["index"], title="Open data", body=[paragraph("Datasets met een open licentie.")])
    _refresh(backend)
    titles = [page.title for page in backend.search("gemeenten", KnowledgeArticle)]
    assert titles == ["Raadsstukken publiceren"]
    assert [p.title for p in backend.search("dataset", KnowledgeArticle)] == ["Open data"]


def test_new_versions_replace_old_text_in_the_index(backend, tree):
    from tests.factories import UserFactory, publish_edit

    page = article(tree["index"], title="Termijnen", body=[paragraph("Oude tekst over opschorten.")])
    publish_edit(page, author=UserFactory(), body=[paragraph("Nieuwe tekst over verdagen.")])
    _refresh(backend)
    assert [p.title for p in backend.search("verdagen", KnowledgeArticle)] == ["Termijnen"]
    assert list(backend.search("opschorten", KnowledgeArticle)) == []


def test_editor_finds_articles_in_the_admin(backend, tree, client, editor_user):
    article(tree["index"], title="Lakken van persoonsgegevens", body=[paragraph("Zo lak je namen weg.")])
    _refresh(backend)
    client.force_login(editor_user)
    response = client.get("/beheer/pages/search/", {"q": "persoonsgegeven"})
    assert response.status_code == 200
    assert "Lakken van persoonsgegevens" in response.content.decode()
