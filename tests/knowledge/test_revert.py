"""Editors undo a published change in one action; it becomes a new version and nothing else is lost."""

import pytest
from wagtail.models import Revision

import knowledge.admin_undo  # noqa: F401  (registers its admin hooks, as knowledge/wagtail_hooks.py does)
from community.services import CommunityError
from knowledge import history
from knowledge.models import KnowledgeArticle
from tests.factories import UserFactory, article, heading, paragraph, publish_edit

pytestmark = pytest.mark.django_db


def _texts(page):
    page = KnowledgeArticle.objects.get(pk=page.pk)
    return [(block["id"], block["value"]) for block in page.body.raw_data]


def _article_with_three_blocks(index):
    return article(
        index,
        author=UserFactory(first_name="Anouk", last_name="de Vries"),
        body=[heading("Termijnen", "h"), paragraph("Vier weken.", "p1"), paragraph("Verdagen kan.", "p2")],
    )


def test_undoing_the_latest_change_restores_the_body_as_a_new_public_version(client, tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    before = _texts(page)
    bram = UserFactory(username="bram", first_name="Bram", last_name="Jansen")
    change = publish_edit(
        page, author=bram, body=[heading("Termijnen", "h"), paragraph("Zes weken.", "p1")], title="Nieuwe titel"
    )

    revision = history.version_revert(actor=editor_user, page=page, log_entry_or_revision=change)

    page = KnowledgeArticle.objects.get(pk=page.pk)
    assert _texts(page) == before and page.title == "Wat de Woo vraagt"
    assert page.live_revision_id == revision.pk
    versions = history.published_versions(page)
    assert len(versions) == 3 and versions[-1].author == editor_user
    summary = versions[-1].edit_summary
    assert summary.startswith("Wijziging van ") and summary.endswith(" door Bram Jansen ongedaan gemaakt")
    html = client.get(f"{page.url}geschiedenis/").content.decode()
    assert "3 gepubliceerde versies" in html and "door Bram Jansen ongedaan gemaakt" in html


def test_undo_takes_a_log_entry_too(tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Alles anders.", "x")])
    entry = history.publish_log().get(revision=change)
    history.version_revert(actor=editor_user, page=page, log_entry_or_revision=entry)
    assert [block_id for block_id, _ in _texts(page)] == ["h", "p1", "p2"]


def test_undoing_an_older_change_keeps_the_later_changes_to_other_blocks(tree, editor_user):
    """We chose the wiki's undo: take back only what that change did, and keep what was published after it."""
    page = _article_with_three_blocks(tree["index"])
    older = publish_edit(
        page,
        author=UserFactory(),
        body=[heading("Termijnen", "h"), paragraph("Zes weken.", "p1"), paragraph("Verdagen kan.", "p2")],
    )
    publish_edit(
        page,
        author=UserFactory(),
        body=[heading("Termijnen", "h"), paragraph("Zes weken.", "p1"), paragraph("Verdagen kan niet meer.", "p2")],
    )
    history.version_revert(actor=editor_user, page=page, log_entry_or_revision=older)
    assert _texts(page) == [
        ("h", {"text": "Termijnen", "level": "h2"}),
        ("p1", "<p>Vier weken.</p>"),
        ("p2", "<p>Verdagen kan niet meer.</p>"),
    ]
    assert len(history.published_versions(page)) == 4


def test_undo_is_refused_when_a_later_change_rewrote_the_same_text(tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    older = publish_edit(
        page,
        author=UserFactory(),
        body=[heading("Termijnen", "h"), paragraph("Zes weken.", "p1"), paragraph("Verdagen kan.", "p2")],
    )
    publish_edit(
        page,
        author=UserFactory(),
        body=[heading("Termijnen", "h"), paragraph("Acht weken.", "p1"), paragraph("Verdagen kan.", "p2")],
    )
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    with pytest.raises(CommunityError, match="latere wijziging raakt dezelfde tekst"):
        history.version_revert(actor=editor_user, page=page, log_entry_or_revision=older)
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions
    assert _texts(page)[1] == ("p1", "<p>Acht weken.</p>")


def test_the_first_version_and_unpublished_revisions_cannot_be_undone(tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    with pytest.raises(CommunityError, match="eerste versie"):
        history.version_revert(actor=editor_user, page=page, log_entry_or_revision=page.live_revision)
    draft = KnowledgeArticle.objects.get(pk=page.pk)
    draft.title = "Concept"
    draft_revision = draft.save_revision(user=UserFactory())
    with pytest.raises(CommunityError, match="niet gepubliceerd"):
        history.version_revert(actor=editor_user, page=page, log_entry_or_revision=draft_revision)
    other = article(tree["index"], title="Ander artikel")
    with pytest.raises(CommunityError, match="niet gepubliceerd"):
        history.version_revert(actor=editor_user, page=page, log_entry_or_revision=other.live_revision)


def test_members_cannot_undo_and_nothing_changes(client, tree):
    page = _article_with_three_blocks(tree["index"])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Nieuw.", "n")])
    member = UserFactory(username="lid-zonder-rechten")
    with pytest.raises(CommunityError, match="Alleen de redactie"):
        history.version_revert(actor=member, page=page, log_entry_or_revision=change)
    url = f"/recente-wijzigingen/{change.pk}/ongedaan-maken/"
    response = client.post(url)
    assert response.status_code == 302 and "/inloggen/" in response["Location"] or "login" in response["Location"]
    client.force_login(member)
    response = client.post(url)
    assert response.status_code == 403
    assert "Alleen de redactie kan een wijziging ongedaan maken." in response.content.decode()
    assert len(history.published_versions(page)) == 2 and _texts(page) == [("n", "<p>Nieuw.</p>")]


def test_an_editor_undoes_from_the_history_page_with_one_button(client, tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Weg ermee.", "w")], edit_summary="Ingekort")
    assert "Ongedaan maken" not in client.get(f"{page.url}geschiedenis/").content.decode()
    client.force_login(editor_user)
    html = client.get(f"{page.url}geschiedenis/").content.decode()
    assert html.count(">Ongedaan maken<") == 1, "only changes, not the first version"
    assert f'action="/recente-wijzigingen/{change.pk}/ongedaan-maken/"' in html
    response = client.post(f"/recente-wijzigingen/{change.pk}/ongedaan-maken/", {"next": f"{page.url}geschiedenis/"})
    assert response.status_code == 302 and response["Location"] == f"{page.url}geschiedenis/"
    html = client.get(response["Location"]).content.decode()
    assert "De wijziging is ongedaan gemaakt" in html and "3 gepubliceerde versies" in html
    assert [block_id for block_id, _ in _texts(page)] == ["h", "p1", "p2"]


def test_a_refused_undo_tells_the_editor_why(client, tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    client.force_login(editor_user)
    response = client.post(f"/recente-wijzigingen/{page.live_revision_id}/ongedaan-maken/", follow=True)
    assert response.status_code == 200
    assert "De eerste versie van een pagina kan niet ongedaan worden gemaakt." in response.content.decode()


def test_undo_of_an_unknown_or_hidden_version_is_not_found(client, tree, member):
    from wagtail.models import GroupPagePermission, PageViewRestriction  # noqa: F401

    client.force_login(member)
    assert client.post("/recente-wijzigingen/999999/ongedaan-maken/").status_code == 404
    page = _article_with_three_blocks(tree["index"])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Nieuw.", "n")])
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    assert restriction.groups.count() == 0
    assert client.post(f"/recente-wijzigingen/{change.pk}/ongedaan-maken/").status_code == 404
    assert client.get(f"/recente-wijzigingen/{change.pk}/ongedaan-maken/").status_code == 405


def test_editors_undo_a_change_from_the_wagtail_admin(client, tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Alles weg.", "w")], edit_summary="Ingekort")
    client.force_login(editor_user)
    edit_html = client.get(f"/beheer/pages/{page.pk}/edit/").content.decode()
    url = f"/beheer/kennisbank/ongedaan-maken/{page.pk}/"
    assert url in edit_html and "Wijziging ongedaan maken" in edit_html
    html = client.get(url).content.decode()
    assert "Ingekort" in html and html.count('name="versie"') == 1
    response = client.post(url, {"versie": change.pk}, follow=True)
    assert "De wijziging is ongedaan gemaakt" in response.content.decode()
    assert [block_id for block_id, _ in _texts(page)] == ["h", "p1", "p2"]
    response = client.post(url, {"versie": "niets"}, follow=True)
    assert "Deze versie bestaat niet" in response.content.decode()


def test_the_admin_undo_is_not_for_members(client, tree, member):
    page = _article_with_three_blocks(tree["index"])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Alles weg.", "w")])
    client.force_login(member)
    response = client.post(f"/beheer/kennisbank/ongedaan-maken/{page.pk}/", {"versie": change.pk})
    assert response.status_code in (302, 403)
    assert [block_id for block_id, _ in _texts(page)] == ["w"]


def test_a_change_to_an_unpublished_page_is_not_undone(tree, editor_user):
    page = _article_with_three_blocks(tree["index"])
    change = publish_edit(page, author=UserFactory(), body=[paragraph("Nieuw.", "n")])
    KnowledgeArticle.objects.get(pk=page.pk).unpublish()
    with pytest.raises(CommunityError, match="niet gepubliceerd"):
        history.version_revert(actor=editor_user, page=page, log_entry_or_revision=change)
    assert not KnowledgeArticle.objects.get(pk=page.pk).live


def test_undo_covers_every_field_of_the_page_type_its_related_articles_too(tree, editor_user):
    from knowledge.models import RelatedArticle

    page = _article_with_three_blocks(tree["index"])
    other = article(tree["index"], title="Verwant artikel")
    edited = KnowledgeArticle.objects.get(pk=page.pk)
    edited.related_links = [RelatedArticle(article=other)]
    edited.summary = "Een nieuwe samenvatting."
    change = edited.save_revision(user=UserFactory())
    change.publish(user=change.user, skip_permission_checks=True)
    assert KnowledgeArticle.objects.get(pk=page.pk).related_links.count() == 1

    history.version_revert(actor=editor_user, page=page, log_entry_or_revision=change)
    page = KnowledgeArticle.objects.get(pk=page.pk)
    assert page.related_links.count() == 0 and page.summary == "Samenvatting van Wat de Woo vraagt."
    again = history.version_revert(
        actor=editor_user, page=page, log_entry_or_revision=history.published_versions(page)[-1].revision
    )
    page = KnowledgeArticle.objects.get(pk=page.pk)
    assert [link.article_id for link in page.related_links.all()] == [other.pk], "undoing the undo restores it"
    assert page.live_revision_id == again.pk
