"""A reader finds exactly what the project's access rules let them read, on every backend."""

import pytest

from search.models import SearchDocument
from tests.search.conftest import titles

VISIBLE = {
    "visitor": {"public_article", "public_group", "public_profile"},
    "member": {
        "public_article",
        "members_article",
        "public_group",
        "members_group",
        "public_profile",
        "members_profile",
    },
    "group_member": {
        "public_article",
        "members_article",
        "group_article",
        "public_group",
        "members_group",
        "group",
        "public_profile",
        "members_profile",
    },
    "editor": {
        "public_article",
        "members_article",
        "group_article",
        "public_group",
        "members_group",
        "group",
        "public_profile",
        "members_profile",
    },
}
ITEMS = [
    "public_article",
    "members_article",
    "group_article",
    "draft_article",
    "public_group",
    "members_group",
    "group",
    "public_profile",
    "members_profile",
    "hidden_profile",
]


def _title(item):
    return getattr(item, "title", None) or getattr(item, "name", None) or item.display_name


@pytest.mark.parametrize("reader", list(VISIBLE))
def test_each_reader_finds_exactly_what_they_may_read(world, find, reader):
    result = find("vertrouwelijkheid", reader=world["readers"][reader], page_size=50)
    expected = {_title(world[name]) for name in VISIBLE[reader] if name != "public_article"}
    assert set(titles(result)) == expected
    assert result.total == len(expected)


@pytest.mark.parametrize("reader", list(VISIBLE))
def test_browsing_without_text_respects_permissions_too(world, find, reader):
    result = find("", reader=world["readers"][reader], page_size=50)
    assert set(titles(result)) == {_title(world[name]) for name in VISIBLE[reader]}


def test_drafts_and_hidden_profiles_are_not_even_indexed(world):
    indexed = set(SearchDocument.objects.values_list("title", flat=True))
    assert _title(world["draft_article"]) not in indexed
    assert _title(world["hidden_profile"]) not in indexed


def test_facet_counts_only_count_what_the_reader_may_read(world, find):
    visitor = {f.value: f.count for f in find("vertrouwelijkheid").facets["type"]}
    editor = {f.value: f.count for f in find("vertrouwelijkheid", reader=world["readers"]["editor"]).facets["type"]}
    assert visitor == {"group": 1, "profile": 1}
    assert editor == {"article": 2, "group": 3, "profile": 2}


def test_a_suggestion_never_hints_at_content_the_reader_may_not_read(world, find):
    assert find("groepsartikl").suggestion is None
    assert find("groepsartikl", reader=world["readers"]["group_member"]).suggestion == "groepsartikel"


def test_a_blocked_member_reads_like_a_visitor(world, find):
    member = world["readers"]["member"]
    member.is_active = False
    assert set(titles(find("vertrouwelijkheid", reader=member))) == {
        _title(world["public_group"]),
        _title(world["public_profile"]),
    }
