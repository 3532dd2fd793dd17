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
