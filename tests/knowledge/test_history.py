import re

import pytest
from wagtail.models import Workflow

from tests.factories import UserFactory, article, heading, paragraph, publish_edit

pytestmark = pytest.mark.django_db


def _history(client, page):
    return client.get(f"{page.url}geschiedenis/").content.decode()


def test_history_lists_each_published_version_with_author_and_summary(client, tree):
    anouk = UserFactory(username="anouk", first_name="Anouk", last_name="de Vries")
    bram = UserFactory(username="bram", first_name="Bram", last_name="Jansen")
    page = article(tree["index"], author=anouk, edit_summary="Eerste versie")
    publish_edit(page, author=bram, body=[paragraph("Nieuw")], edit_summary="Voorbeeld uit Utrecht toegevoegd")
    html = _history(client, page)
    assert "2 gepubliceerde versies" in html
    assert "Anouk de Vries" in html and "Bram Jansen" in html
    assert "Voorbeeld uit Utrecht toegevoegd" in html and "Eerste versie" in html
    assert html.index("Voorbeeld uit Utrecht") < html.index("Eerste versie"), "newest first"


def test_drafts_and_revisions_awaiting_approval_never_show(client, tree, editor_user):
    page = article(tree["index"], edit_summary="Gepubliceerd")
    draft = page.specific
    draft.edit_summary = "Geheim concept"
    draft.save_revision(user=UserFactory())
    waiting = page.specific
    waiting.edit_summary = "Wacht op de redactie"
    waiting.title = "Voorstel"
    revision = waiting.save_revision(user=UserFactory(), log_action=True)
    Workflow.objects.get(name="Moderators approval").start(waiting, revision.user)
    html = _history(client, page)
    assert "1 gepubliceerde versie" in html
    assert "Geheim concept" not in html and "Wacht op de redactie" not in html
    response = client.get(f"{page.url}verschil/?naar={revision.pk}")
    assert response.status_code == 404


def test_diff_marks_added_removed_and_changed_blocks_without_relying_on_colour(client, tree):
    author = UserFactory()
    kept, changed, dropped = "b-kept", "b-changed", "b-dropped"
    page = article(
        tree["index"],
        author=author,
        body=[
            heading("Termijnen", kept),
            paragraph("Een besluit volgt binnen vier weken.", changed),
            paragraph("Deze alinea verdwijnt straks.", dropped),
        ],
    )
    first = page.latest_revision
    second = publish_edit(
        page,
        author=author,
        edit_summary="Termijn gecorrigeerd",
        body=[
            heading("Termijnen", kept),
            paragraph("Een besluit volgt binnen zes weken.", changed),
            paragraph("Een nieuwe alinea over opschorten.", "b-new"),
        ],
    )
    response = client.get(f"{page.url}verschil/?van={first.pk}&naar={second.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    text = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    assert "<del>vier </del>" in text and "<ins>zes </ins>" in text
    assert "(blok verwijderd)" in html and "<del>Deze alinea verdwijnt straks.</del>" in text
    assert "(blok toegevoegd)" in html and "<ins>Een nieuwe alinea over opschorten.</ins>" in text
    assert "[toegevoegd:]" in html and "[verwijderd:]" in html
    assert "Termijn gecorrigeerd" in html


def test_diff_defaults_to_the_latest_change_and_handles_the_first_version(client, tree):
    page = article(tree["index"], body=[paragraph("Begin")])
    first = page.latest_revision
    html = client.get(f"{page.url}verschil/").content.decode()
    assert "Versie 1 is de eerste versie" in html
    second = publish_edit(page, author=UserFactory(), title="Nieuwe titel", body=[paragraph("Begin")])
    html = client.get(f"{page.url}verschil/").content.decode()
    assert "Van versie 1 naar versie 2" in html
    assert "<ins>" in html and "Nieuwe titel" in html
    reversed_html = client.get(f"{page.url}verschil/?van={second.pk}&naar={first.pk}").content.decode()
    assert "Van versie 1 naar versie 2" in reversed_html


@pytest.mark.parametrize("query", ["?van=abc&naar=1", "?naar=999999", "?van=%ZZ", "?naar=1e9"])
def test_bad_version_parameters_get_a_clear_not_found_page(client, tree, query):
    page = article(tree["index"])
    response = client.get(f"{page.url}verschil/{query}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze versie bestaat niet" in html
    assert "Traceback" not in html


def test_a_version_of_another_article_cannot_be_shown_here(client, tree):
    page = article(tree["index"], title="Eerste")
    other = article(tree["index"], title="Ander artikel")
    response = client.get(f"{page.url}verschil/?naar={other.latest_revision.pk}")
    assert response.status_code == 404


def test_history_of_a_members_only_article_is_not_public(client, tree):
    from wagtail.models import PageViewRestriction

    page = article(tree["index"])
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"{page.url}geschiedenis/").status_code == 302
    assert client.get(f"{page.url}verschil/").status_code == 302
