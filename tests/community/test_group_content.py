"""Content restricted to a werkgroep: who reads it, on every path that exists today.

Four articles (public, members only, restricted to a public werkgroep, restricted to a secret one)
against five readers (visitor, member, member of the public group, coordinator of the secret group,
editor), on the article itself, its history and diff, every listing, the sitemap and the group page.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from wagtail.models import PageViewRestriction

from community.models import GroupVisibility
from community.services import CommunityError
from community.services.groups import page_restrict_to_group
from knowledge.models import RelatedArticle
from tests.community.factories import member, working_group
from tests.factories import ThemeFactory, UserFactory, article, editor

pytestmark = pytest.mark.django_db

TITLES = {
    "openbaar": "Zichtbaar voor iedereen",
    "leden": "Zichtbaar voor ingelogde leden",
    "open-werkgroep": "Zichtbaar voor de open werkgroep",
    "geheime-werkgroep": "Zichtbaar voor de geheime werkgroep",
}
KINDS = list(TITLES)

READS = {
    "visitor": {"openbaar"},
    "member": {"openbaar", "leden"},
    "group_member": {"openbaar", "leden", "open-werkgroep"},
    "coordinator": {"openbaar", "leden", "geheime-werkgroep"},
    "editor": set(KINDS),
}
ROLES = list(READS)


@dataclass
class World:
    articles: dict
    hub: object
    public_group: object
    secret_group: object
    users: dict


@pytest.fixture
def world(tree):
    theme = ThemeFactory(name="Open data", slug="open-data")
    group_member = member("deelnemer")
    coordinator = member("coordinator")
    redactie = editor()
    public_group = working_group("Open werkgroep", members=[group_member])
    secret_group = working_group("Geheime werkgroep", coordinator=coordinator, visibility=GroupVisibility.SECRET)
    articles = {
        kind: article(tree["index"], title=title, themes=[theme], tags=["gedeeld", f"alleen-{kind}"])
        for kind, title in TITLES.items()
    }
    PageViewRestriction.objects.create(page=articles["leden"], restriction_type=PageViewRestriction.LOGIN)
    page_restrict_to_group(actor=redactie, page=articles["open-werkgroep"], group=public_group)
    page_restrict_to_group(actor=coordinator, page=articles["geheime-werkgroep"], group=secret_group)
    hub = article(tree["index"], title="Overzicht van alles", themes=[theme])
    for order, page in enumerate(articles.values()):
        RelatedArticle.objects.create(page=hub, article=page, sort_order=order)
    users = {
        "visitor": None,
        "member": member("gewoon-lid"),
        "group_member": group_member,
        "coordinator": coordinator,
        "editor": redactie,
    }
    return World(articles, hub, public_group, secret_group, users)


def _as(client, world, role):
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _shown(html):
    return {kind for kind, title in TITLES.items() if title in html}


def test_the_matrix_is_what_the_issue_asks_for():
    """Guards the expectations themselves: each reader sees a different set, and only editors see all."""
    assert len({frozenset(kinds) for kinds in READS.values()}) == len(READS)
    assert [role for role, kinds in READS.items() if kinds == set(KINDS)] == ["editor"]


@pytest.mark.parametrize("route", ["", "geschiedenis/", "verschil/"], ids=["artikel", "geschiedenis", "verschil"])
@pytest.mark.parametrize("role", ROLES)
def test_article_history_and_diff_open_only_for_readers(client, world, role, route):
    """A reader gets the page; a visitor is asked to log in; a logged-in outsider gets a 404, not a hint."""
    client = _as(client, world, role)
    for kind, page in world.articles.items():
        response = client.get(f"{page.url}{route}")
        if kind in READS[role]:
            assert response.status_code == 200, kind
            assert TITLES[kind] in response.content.decode()
        elif role == "visitor":
            assert response.status_code == 302, kind
            assert response["Location"].startswith(settings.WAGTAIL_FRONTEND_LOGIN_URL)
        else:
            assert response.status_code == 404, kind
            assert TITLES[kind] not in response.content.decode()


LISTINGS = {
    "kennisbank": lambda world: "/kennisbank/",
    "thema": lambda world: "/themas/open-data/",
    "trefwoord": lambda world: "/tags/gedeeld/",
    "verwante-artikelen": lambda world: world.hub.url,
    "startpagina": lambda world: "/",
}


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("role", ROLES)
def test_listings_show_only_what_the_reader_may_read(client, world, role, listing):
    response = _as(client, world, role).get(LISTINGS[listing](world))
    assert response.status_code == 200
    assert _shown(response.content.decode()) == READS[role]


@pytest.mark.parametrize("role", ROLES)
def test_tag_index_lists_only_tags_of_readable_content(client, world, role):
    html = _as(client, world, role).get("/tags/").content.decode()
    assert {kind for kind in KINDS if f"alleen-{kind}" in html} == READS[role]


@pytest.mark.parametrize("role", ROLES)
def test_theme_index_counts_only_readable_content(client, world, role):
    html = _as(client, world, role).get("/themas/").content.decode()
    assert f"{len(READS[role]) + 1} bijdragen" in html  # the overview article is public


@pytest.mark.parametrize("role", ROLES)
def test_sitemap_lists_only_public_content_whoever_asks(client, world, role):
    xml = _as(client, world, role).get("/sitemap.xml").content.decode()
    assert {kind for kind, page in world.articles.items() if page.slug in xml} == {"openbaar"}


@pytest.mark.parametrize("role", ROLES)
def test_public_group_page_lists_its_content_to_its_members_and_editors(client, world, role):
    response = _as(client, world, role).get(world.public_group.get_absolute_url())
    assert response.status_code == 200
    shown = _shown(response.content.decode())
    assert shown == READS[role] & {"open-werkgroep"}


@pytest.mark.parametrize("role", ROLES)
def test_secret_group_page_and_content_exist_only_for_its_members_and_editors(client, world, role):
    response = _as(client, world, role).get(world.secret_group.get_absolute_url())
    if "geheime-werkgroep" in READS[role]:
        assert response.status_code == 200
        assert _shown(response.content.decode()) == {"geheime-werkgroep"}
    else:
        assert response.status_code == 404
        assert "Geheime werkgroep" not in response.content.decode()


def test_joining_gives_access_and_leaving_takes_it_away(client, world):
    """Membership and access move together: through the group's own buttons, on the page and in a listing."""
    newcomer = member("nieuwkomer")
    page = world.articles["open-werkgroep"]
    client.force_login(newcomer)
    assert client.get(page.url).status_code == 404

    client.post(f"{world.public_group.get_absolute_url()}meedoen/")
    assert client.get(page.url).status_code == 200
    assert TITLES["open-werkgroep"] in client.get("/kennisbank/").content.decode()

    client.post(f"{world.public_group.get_absolute_url()}verlaten/")
    assert client.get(page.url).status_code == 404
    assert TITLES["open-werkgroep"] not in client.get("/kennisbank/").content.decode()


def test_a_member_of_one_group_reads_nothing_of_another(client, world):
    other_group = working_group("Nog een werkgroep", members=[world.users["member"]])
    assert other_group.access_group != world.public_group.access_group
    client.force_login(world.users["member"])
    assert client.get(world.articles["open-werkgroep"].url).status_code == 404


def test_only_its_coordinators_and_editors_restrict_content_to_a_group(world):
    page = world.articles["openbaar"]
    with pytest.raises(CommunityError):
        page_restrict_to_group(actor=world.users["group_member"], page=page, group=world.public_group)
    with pytest.raises(CommunityError):
        page_restrict_to_group(actor=world.users["coordinator"], page=page, group=world.public_group)
    assert not PageViewRestriction.objects.filter(page=page).exists()


def test_a_restriction_lists_the_group_and_the_editors_so_wagtail_agrees(world):
    restriction = PageViewRestriction.objects.get(page=world.articles["geheime-werkgroep"])
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert set(restriction.groups.values_list("name", flat=True)) >= {
        world.secret_group.access_group.name,
        "Moderators",
    }


def test_a_superuser_reads_group_content_too(client, world):
    admin = UserFactory(username="beheerder", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(world.articles["geheime-werkgroep"].url).status_code == 200
    assert client.get(world.secret_group.get_absolute_url()).status_code == 200


def test_a_group_restriction_set_in_the_admin_also_admits_editors(client, db):
    """Editors restrict pages with Wagtail's privacy dialog too; they must keep reading them."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from tests.factories import article, editor, site_tree

    _, index = site_tree()
    page = article(index, title="Alleen voor een groep")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Werkgroep: handmatig"))
    assert set(restriction.groups.values_list("name", flat=True)) >= {"Moderators", "Editors"}
    client.force_login(editor("redacteur-privacy"))
    assert client.get(page.url).status_code == 200
