"""What editors do in the Wagtail admin, and what it does with bad input."""

import io

import pytest
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from knowledge.models import KnowledgeArticle, PageTheme, Theme
from tests.factories import ThemeFactory, article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor_user):
    client.force_login(editor_user)
    return client


def _article_form(title, summary, body_text, edit_summary, theme=None, theme_link=None):
    return nested_form_data(
        {
            "title": title,
            "slug": "informatiecategorieen",
            "summary": summary,
            "body": streamfield(
                [
                    ("heading", {"text": "Kop", "level": "h2"}),
                    ("paragraph", rich_text(f"<p>{body_text}</p>")),
                ]
            ),
            "theme_links": inline_formset(
                [{"theme": str(theme.pk), **({"id": str(theme_link.pk)} if theme_link else {})}] if theme else [],
                initial=1 if theme_link else 0,
            ),
            "related_links": inline_formset([]),
            "tags": "woo, gemeente",
            "edit_summary": edit_summary,
            "action-publish": "publish",
            "comments": inline_formset([]),
        }
    )


def test_editor_writes_and_revises_an_article_and_the_public_history_shows_both(client, editor_client, tree):
    theme = ThemeFactory(name="Actieve openbaarmaking", slug="actief")
    index = tree["index"]
    response = editor_client.post(
        f"/beheer/pages/add/knowledge/knowledgearticle/{index.pk}/",
        _article_form(
            "Informatiecategorieën",
            "Welke stukken je uit jezelf openbaar maakt.",
            "Er zijn zeventien categorieën.",
            "Eerste versie",
            theme,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = KnowledgeArticle.objects.get(title="Informatiecategorieën")
    assert page.live and page.themes == [theme]
    assert sorted(t.name for t in page.tags.all()) == ["gemeente", "woo"]

    form = _article_form(
        "Informatiecategorieën",
        page.summary,
        "Er zijn zeventien categorieën, stap voor stap.",
        "Invoering in stappen toegelicht",
        theme,
        theme_link=page.theme_links.get(),
    )
    edit_page = editor_client.get(f"/beheer/pages/{page.pk}/edit/").content.decode()
    assert 'name="edit_summary"' in edit_page and 'value="Eerste versie"' not in edit_page
    response = editor_client.post(f"/beheer/pages/{page.pk}/edit/", form)
    assert response.status_code == 302

    history = client.get(f"{page.url}geschiedenis/").content.decode()
    assert "Eerste versie" in history and "Invoering in stappen toegelicht" in history
    diff = client.get(f"{page.url}verschil/").content.decode()
    assert "stap voor stap." in diff and "<ins>" in diff


def test_editor_sees_revisions_in_the_admin(editor_client, tree):
    page = article(tree["index"])
    assert editor_client.get(f"/beheer/pages/{page.pk}/history/").status_code == 200


def test_editor_manages_themes_and_a_duplicate_slug_is_refused(editor_client, tree):
    response = editor_client.post(
        "/beheer/snippets/knowledge/theme/add/",
        {"name": "Open data", "slug": "open-data", "description": "Data voor iedereen."},
    )
    assert response.status_code == 302
    response = editor_client.post(
        "/beheer/snippets/knowledge/theme/add/", {"name": "Open data bis", "slug": "open-data", "description": ""}
    )
    assert response.status_code == 200
    assert "bestaat al" in response.content.decode()
    assert Theme.objects.filter(slug="open-data").count() == 1


def test_editor_sets_contact_point_and_footer(client, editor_client, tree):
    site = Site.objects.get(is_default_site=True)
    response = editor_client.post(
        f"/beheer/settings/website/sitesettings/{site.pk}/",
        {
            "contact_name": "Team Open Overheid",
            "contact_email": "team@example.org",
            "footer_text": rich_text("<p>Gratis en vrijblijvend.</p>"),
        },
    )
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Team Open Overheid" in html and "Gratis en vrijblijvend." in html


def _png(size=(20, 20)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#154273").save(buffer, "PNG")
    return buffer.getvalue()


def _upload(editor_client, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return editor_client.post(
        "/beheer/images/add/",
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content, content_type="image/png"),
        },
    )


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1024)
def test_oversized_image_upload_is_refused_and_nothing_saved(editor_client, tree):
    response = _upload(editor_client, "groot.png", _png((400, 400)) + b"\0" * 2048)
    assert response.status_code == 200
    assert "Dit bestand is te groot" in response.content.decode()
    assert get_image_model().objects.count() == 0


def test_wrong_type_upload_is_refused_and_nothing_saved(editor_client, tree):
    response = _upload(editor_client, "script.png", b"<script>alert(1)</script>")
    assert response.status_code == 200
    assert "Geen geldige .png afbeelding" in response.content.decode()
    response = _upload(editor_client, "notities.txt", b"gewone tekst")
    assert response.status_code == 200
    assert "Upload een geldige afbeelding" in response.content.decode()
    assert get_image_model().objects.count() == 0


def test_the_same_theme_twice_is_refused_with_a_message(editor_client, tree):
    theme = ThemeFactory(slug="dubbel")
    form = _article_form("Dubbel", "Samenvatting.", "Tekst.", "Eerste versie")
    form.update(nested_form_data({"theme_links": inline_formset([{"theme": str(theme.pk)}, {"theme": str(theme.pk)}])}))
    response = editor_client.post(f"/beheer/pages/add/knowledge/knowledgearticle/{tree['index'].pk}/", form)
    assert response.status_code == 200
    assert "Dit thema staat er al bij." in response.content.decode()
    assert not KnowledgeArticle.objects.filter(title="Dubbel").exists()


def test_removing_and_re_adding_a_theme_in_one_edit_saves(editor_client, tree):
    theme = ThemeFactory(slug="opnieuw")
    page = article(tree["index"], themes=[theme])
    link = PageTheme.objects.get(page=page)
    form = _article_form(page.title, page.summary, "Nieuwe tekst.", "Thema opnieuw gekozen")
    form["slug"] = page.slug
    form.update(
        nested_form_data(
            {
                "theme_links": {
                    **inline_formset(
                        [{"theme": str(theme.pk), "id": str(link.pk), "DELETE": "1"}, {"theme": str(theme.pk)}],
                        initial=1,
                    )
                }
            }
        )
    )
    response = editor_client.post(f"/beheer/pages/{page.pk}/edit/", form)
    assert response.status_code == 302
    assert KnowledgeArticle.objects.get(pk=page.pk).themes == [theme]
