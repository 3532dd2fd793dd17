import os

import pytest

from tests import factories


@pytest.fixture
def tree(db):
    home, index = factories.site_tree()
    return {"home": home, "index": index}


@pytest.fixture
def member(db):
    return factories.UserFactory(username="lid")


@pytest.fixture
def editor_user(db):
    return factories.editor()


def require_service(name, how_to_run):
    """A tier whose service is absent skips locally with directions, and fails in CI."""
    message = f"{name} tier not run: {how_to_run}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def elasticsearch_url():
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        require_service("Elasticsearch", "start a node with `scripts/elasticsearch start` and set ELASTICSEARCH_URL")
    return url
