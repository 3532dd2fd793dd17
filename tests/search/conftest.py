import os
import uuid

import pytest
from wagtail.models import PageViewRestriction

from community.models import GroupVisibility, ProfileVisibility
from search.indexing import reindex_all
from search.query import SearchRequest, search
from tests import factories
from tests.community.factories import member as make_member
from tests.community.factories import working_group

BACKENDS = {
    "postgres": "search.backends.postgres.PostgresBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


def use_elasticsearch(settings, url):
    """Point our search at the node with an index (alias) of this test's own: parallel runs and tests
    never share one. Writes refresh at once, so a search right after a write sees it."""
    from search.query import reset_mirror_state

    run = os.environ.get("TEST_DATABASE_NAME", "test_alliantie").lower()
    settings.ELASTICSEARCH_URL = url
    settings.SEARCH_BACKEND = BACKENDS["elasticsearch"]
    settings.SEARCH_ELASTICSEARCH_INDEX = f"{run}_search_{uuid.uuid4().hex[:10]}"
    settings.SEARCH_ELASTICSEARCH_REFRESH = True
    settings.SEARCH_ELASTICSEARCH_RETRY_AFTER = 0
    settings.SEARCH_ELASTICSEARCH_TIMEOUT = 10
    reset_mirror_state()
    return settings.SEARCH_ELASTICSEARCH_INDEX


def drop_elasticsearch_indexes(url, alias):
    from elasticsearch import Elasticsearch

    es = Elasticsearch(url, request_timeout=10)
    try:
        es.indices.delete(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
    finally:
        es.close()


@pytest.fixture(params=["postgres", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, settings, db):
    """Every behaviour runs once per backend: PostgreSQL, and Elasticsearch on a real node."""
    if request.param == "postgres":
        settings.SEARCH_BACKEND = BACKENDS["postgres"]
        yield request.param
        return
    url = request.getfixturevalue("elasticsearch_url")
    alias = use_elasticsearch(settings, url)
    yield request.param
    drop_elasticsearch_indexes(url, alias)


@pytest.fixture
def find(backend):
    def find(text="", reader=None, **kwargs):
        from django.contrib.auth.models import AnonymousUser

        return search(SearchRequest(text=text, reader=reader or AnonymousUser(), **kwargs))

    return find


def titles(result):
    return [hit.title for hit in result.hits]


@pytest.fixture
def world(backend, tree):
    """A small fixed corpus with one item for each permission case."""
    index = tree["index"]
    themes = {
        "woo": factories.ThemeFactory(name="Wet open overheid", slug="woo"),
        "archief": factories.ThemeFactory(name="Archivering", slug="archief"),
    }
    hidden = {"visibility": ProfileVisibility.HIDDEN}
    coordinator = make_member("coordinator", display_name="Coördinator Cees", **hidden)
    group_member = make_member("groepslid", display_name="Groepslid Greet", **hidden)
    plain_member = make_member("gewoonlid", display_name="Gewoon Lid", **hidden)
    editor = factories.editor()
    secret_group = working_group(
        "Geheime werkgroep vertrouwelijkheid",
        coordinator=coordinator,
        members=[group_member],
        visibility=GroupVisibility.SECRET,
        description="Overleg over vertrouwelijkheid.",
    )
    world = {
        "themes": themes,
        "index": index,
        "group": secret_group,
        "readers": {"visitor": None, "member": plain_member, "group_member": group_member, "editor": editor},
        "public_article": factories.article(
            index,
            title="Transparantie bij gemeenten",
            body=[factories.paragraph("Elke gemeente publiceert besluiten over transparantie.")],
            themes=[themes["woo"]],
            tags=["openbaarheid"],
        ),
        "members_article": factories.article(
            index, title="Ledenartikel vertrouwelijkheid", body=[factories.paragraph("Alleen voor leden.")]
        ),
        "group_article": factories.article(
            index, title="Groepsartikel vertrouwelijkheid", body=[factories.paragraph("Alleen voor de groep.")]
        ),
        "draft_article": factories.article(
            index,
            title="Conceptartikel vertrouwelijkheid",
            body=[factories.paragraph("Nog niet af.")],
            publish=False,
        ),
        "public_group": working_group(
            "Open werkgroep vertrouwelijkheid", coordinator=coordinator, description="Iedereen mag meelezen."
        ),
        "members_group": working_group(
            "Ledenwerkgroep vertrouwelijkheid",
            coordinator=coordinator,
            visibility=GroupVisibility.MEMBERS,
            description="Voor leden.",
        ),
        "public_profile": make_member(
            display_name="Publiek Profiel", bio="Ik werk aan vertrouwelijkheid.", visibility=ProfileVisibility.PUBLIC
        ).profile,
        "members_profile": make_member(
            display_name="Leden Profiel", bio="Ik werk ook aan vertrouwelijkheid.", visibility=ProfileVisibility.MEMBERS
        ).profile,
        "hidden_profile": make_member(
            display_name="Verborgen Profiel", bio="Geheime vertrouwelijkheid.", visibility=ProfileVisibility.HIDDEN
        ).profile,
    }
    PageViewRestriction.objects.create(page=world["members_article"], restriction_type=PageViewRestriction.LOGIN)
    from community.services.groups import page_restrict_to_group

    page_restrict_to_group(actor=coordinator, page=world["group_article"], group=secret_group)
    reindex_all()
    return world
