"""The index follows every write, on commit, and a failing index never fails the write."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from community.models import GroupVisibility, ProfileVisibility
from community.services.groups import group_propose
from community.services.profiles import profile_update
from knowledge.models import KnowledgeArticle
from search.models import SearchDocument
from tests import factories
from tests.community.factories import member, working_group
from tests.search.conftest import titles


def indexed_titles():
    return set(SearchDocument.objects.values_list("title", flat=True))


def test_publishing_indexes_and_unpublishing_removes(backend, tree, find, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article(tree["index"], title="Nieuw over inspraak")
    assert titles(find("inspraak")) == ["Nieuw over inspraak"]

    with django_capture_on_commit_callbacks(execute=True):
        KnowledgeArticle.objects.get(pk=article.pk).unpublish()
    assert find("inspraak").total == 0


def test_a_draft_edit_stays_out_until_published(backend, tree, find, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article(tree["index"], title="Eerste titel")
        page = KnowledgeArticle.objects.get(pk=article.pk)
        page.title = "Conceptwijziging geheimpje"
        page.save_revision(user=factories.UserFactory())
    assert find("geheimpje").total == 0
    assert titles(find("eerste")) == ["Eerste titel"]

    with django_capture_on_commit_callbacks(execute=True):
        KnowledgeArticle.objects.get(pk=article.pk).get_latest_revision().publish(skip_permission_checks=True)
    assert titles(find("geheimpje")) == ["Conceptwijziging geheimpje"]


def test_an_unpublished_draft_is_never_indexed(backend, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.article(tree["index"], title="Nooit gepubliceerd", publish=False)
    assert "Nooit gepubliceerd" not in indexed_titles()


def test_deleting_a_page_removes_it(backend, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article(tree["index"], title="Weg ermee")
    assert "Weg ermee" in indexed_titles()
    with django_capture_on_commit_callbacks(execute=True):
        KnowledgeArticle.objects.get(pk=article.pk).delete()
    assert "Weg ermee" not in indexed_titles()


def test_restricting_a_page_narrows_who_finds_it(backend, tree, find, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article(tree["index"], title="Bijna geheim")
    reader = member()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert find("bijna").total == 0
    assert find("bijna", reader=reader).total == 1


def test_restricting_the_parent_narrows_its_children(backend, tree, find, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.article(tree["index"], title="Kind van de kennisbank")
        PageViewRestriction.objects.create(page=tree["index"], restriction_type=PageViewRestriction.LOGIN)
    assert find("kennisbank").total == 0
    assert find("kennisbank", reader=member()).total == 1


def test_profile_visibility_changes_follow(backend, find, django_capture_on_commit_callbacks):
    user = member(display_name="Zichtbaar Zeger", visibility=ProfileVisibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(actor=user, profile=user.profile, bio="Specialist inspraak")
    assert titles(find("inspraak")) == ["Zichtbaar Zeger"]

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(actor=user, profile=user.profile, visibility=ProfileVisibility.MEMBERS)
    assert find("inspraak").total == 0
    assert find("inspraak", reader=member()).total == 1

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(actor=user, profile=user.profile, visibility=ProfileVisibility.HIDDEN)
    assert "Zichtbaar Zeger" not in indexed_titles()


def test_profile_expertise_is_searchable_and_faceted(backend, find, django_capture_on_commit_callbacks):
    theme = factories.ThemeFactory(name="Participatie", slug="participatie")
    user = member(display_name="Expert Eva", visibility=ProfileVisibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(actor=user, profile=user.profile, expertise=[theme], tags=["burgerpanel"])
    result = find("participatie")
    assert titles(result) == ["Expert Eva"]
    assert [t.name for t in result.hits[0].themes] == ["Participatie"]
    assert titles(find("", tags=("burgerpanel",))) == ["Expert Eva"]


def test_a_blocked_member_disappears(backend, find, django_capture_on_commit_callbacks):
    user = member(display_name="Geblokkeerd Gerrit", visibility=ProfileVisibility.PUBLIC)
    from community.services.members import member_block

    with django_capture_on_commit_callbacks(execute=True):
        member_block(actor=factories.editor(), user=user)
    assert "Geblokkeerd Gerrit" not in indexed_titles()


def test_werkgroepen_are_indexed_once_approved_and_follow_visibility(backend, find, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposed = group_propose(
            actor=member(), name="Voorstel inspraakgroep", description="Nog niet goedgekeurd.", themes=[]
        )
    assert "Voorstel inspraakgroep" not in indexed_titles()

    with django_capture_on_commit_callbacks(execute=True):
        group = working_group("Inspraakgroep", description="Over inspraak.")
    assert titles(find("inspraakgroep")) == ["Inspraakgroep"]

    with django_capture_on_commit_callbacks(execute=True):
        group.visibility = GroupVisibility.SECRET
        group.save()
    assert find("inspraakgroep").total == 0
    assert find("inspraakgroep", reader=member()).total == 0
    assert proposed.pk


def test_a_write_succeeds_when_indexing_fails(backend, tree, monkeypatch, caplog, django_capture_on_commit_callbacks):
    from search.backends.postgres import PostgresBackend

    def broken(*args, **kwargs):
        raise ConnectionError("index down")

    monkeypatch.setattr(PostgresBackend, "upsert", broken)
    user = member(display_name="Doorzetter", visibility=ProfileVisibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(actor=user, profile=user.profile, bio="Nieuwe tekst")
    user.profile.refresh_from_db()
    assert user.profile.bio == "Nieuwe tekst"
    assert "Search indexing of" in caplog.text


def test_a_failing_scheduler_does_not_break_the_write(backend, monkeypatch, caplog, django_capture_on_commit_callbacks):
    from search import tasks

    def broken(**kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "sync_document", SimpleNamespace(enqueue=broken))
    user = member(display_name="Volhouder", visibility=ProfileVisibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(actor=user, profile=user.profile, bio="Nog een tekst")
    user.profile.refresh_from_db()
    assert user.profile.bio == "Nog een tekst"
    assert "Could not schedule" in caplog.text


def test_reindex_command_rebuilds_everything(backend, tree, capsys):
    factories.article(tree["index"], title="Herbouwd artikel")
    factories.article(tree["index"], title="Concept blijft weg", publish=False)
    member(display_name="Herbouwd Lid", visibility=ProfileVisibility.PUBLIC)
    member(display_name="Verborgen Lid", visibility=ProfileVisibility.HIDDEN)
    working_group("Herbouwde groep")
    SearchDocument.objects.all().delete()
    SearchDocument.objects.create(
        content_type_id=1, object_id=999999, kind="article", title="Verouderd", url="/", audiences=["public"]
    )

    call_command("search_reindex")

    out = capsys.readouterr().out
    assert indexed_titles() >= {"Herbouwd artikel", "Herbouwd Lid", "Herbouwde groep"}
    assert not indexed_titles() & {"Concept blijft weg", "Verborgen Lid", "Verouderd"}
    assert "article: 1 indexed" in out
    assert "group: 1 indexed" in out
    assert "Done:" in out
    assert "[" in out and "]" in out


@pytest.mark.parametrize("move_under_restricted", [True])
def test_moving_a_page_under_a_restricted_parent(
    backend, tree, find, django_capture_on_commit_callbacks, move_under_restricted
):
    from knowledge.models import KnowledgeIndexPage

    with django_capture_on_commit_callbacks(execute=True):
        article = factories.article(tree["index"], title="Verhuizend artikel")
    assert find("verhuizend").total == 1
    other = tree["home"].add_child(instance=KnowledgeIndexPage(title="Besloten", slug="besloten"))
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    with django_capture_on_commit_callbacks(execute=True):
        KnowledgeArticle.objects.get(pk=article.pk).move(other, pos="last-child")
    assert find("verhuizend").total == 0
    assert find("verhuizend", reader=member()).total == 1


@pytest.fixture
def archiving(backend, tree, django_capture_on_commit_callbacks):
    """One theme on an article, a member's expertise and a werkgroep."""
    theme = factories.ThemeFactory(name="Archivering", slug="archivering")
    with django_capture_on_commit_callbacks(execute=True):
        factories.article(tree["index"], title="Bewaartermijnen", themes=[theme])
        member(display_name="Arie Archief", visibility=ProfileVisibility.PUBLIC, expertise=[theme])
        working_group("Werkgroep bewaren", themes=[theme])
    assert titles(find_all(backend, "archivering")) == sorted(["Bewaartermijnen", "Arie Archief", "Werkgroep bewaren"])
    return theme


def find_all(backend, text, **filters):
    from django.contrib.auth.models import AnonymousUser

    from search.query import SearchRequest, search

    result = search(SearchRequest(text=text, reader=AnonymousUser(), page_size=50, **filters))
    result.hits.sort(key=lambda hit: hit.title)
    return result


def test_a_renamed_theme_reindexes_everything_that_carries_it(archiving, backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        archiving.name = "Informatiebeheer"
        archiving.slug = "informatiebeheer"
        archiving.save()
    assert len(callbacks) == 1  # one task re-indexes all three, however many carry the theme
    carriers = sorted(["Bewaartermijnen", "Arie Archief", "Werkgroep bewaren"])
    assert titles(find_all(backend, "informatiebeheer")) == carriers
    assert find_all(backend, "archivering").total == 0
    assert titles(find_all(backend, "", themes=("informatiebeheer",))) == carriers
    assert find_all(backend, "", themes=("archivering",)).total == 0
    facet = {f.value: (f.label, f.count) for f in find_all(backend, "").facets["theme"]}
    assert facet == {"informatiebeheer": ("Informatiebeheer", 3)}


def test_saving_a_theme_without_changing_what_search_shows_schedules_nothing(
    archiving, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        archiving.description = "Alles over bewaren."
        archiving.save()
    assert callbacks == []


def test_a_deleted_theme_leaves_every_document_that_carried_it(archiving, backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        archiving.delete()
    assert len(callbacks) == 1  # one task for all three
    assert find_all(backend, "archivering").total == 0
    assert find_all(backend, "", themes=("archivering",)).total == 0
    assert find_all(backend, "").facets["theme"] == []
    assert titles(find_all(backend, "bewaartermijnen")) == ["Bewaartermijnen"]
    assert not SearchDocument.objects.filter(themes__contains=["archivering"]).exists()


def test_a_reindex_writes_in_batches_and_one_bad_document_costs_only_itself(tree, monkeypatch):
    """`search_reindex` writes many documents per statement; when one of them cannot be built, or
    cannot be written (here a year outside the column's range), the others are still indexed."""
    from search import indexing
    from search.documents import ArticleSource

    monkeypatch.setattr(indexing, "REINDEX_BATCH", 3)
    pages = [factories.article(tree["index"], title=f"Artikel nummer {n}") for n in range(7)]
    unbuildable, unwritable = pages[1], pages[4]
    document = ArticleSource.document

    def flawed(self, page):
        if page.pk == unbuildable.pk:
            raise ValueError("a bug in a source")
        data = document(self, page)
        if page.pk == unwritable.pk:
            data.about_year = 99999  # the year column is a smallint
        return data

    monkeypatch.setattr(ArticleSource, "document", flawed)
    summary = indexing.reindex_all()
    assert (summary.indexed["article"], summary.failed) == (5, 2)
    assert indexed_titles() == {page.title for page in pages} - {unbuildable.title, unwritable.title}


def test_many_at_once_updates_removes_and_keeps_what_could_not_be_built(tree, monkeypatch):
    """The task behind a renamed theme or a moved section: each object is updated, removed when it is
    no longer to be found, and left as indexed when its document cannot be built (a bug, logged)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from search.documents import ArticleSource
    from search.indexing import reindex_all, sync_many

    pages = [factories.article(tree["index"], title=f"Stuk {n} over inspraak") for n in range(3)]
    reindex_all()
    Page.objects.filter(pk=pages[0].pk).update(title="Stuk nul, hernoemd")
    Page.objects.filter(pk=pages[1].pk).update(title="Stuk een, hernoemd")
    KnowledgeArticle.objects.get(pk=pages[2].pk).unpublish()
    document = ArticleSource.document

    def flawed(self, page):
        if page.pk == pages[1].pk:
            raise ValueError("a bug in a source")
        return document(self, page)

    monkeypatch.setattr(ArticleSource, "document", flawed)
    content_type_id = ContentType.objects.get_for_model(KnowledgeArticle).pk
    assert sync_many([(content_type_id, page.pk) for page in pages]) == 1
    assert indexed_titles() == {"Stuk nul, hernoemd", "Stuk 1 over inspraak"}
