import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import ThemeFactory, UserFactory, article, heading, paragraph, publish_edit

pytestmark = pytest.mark.django_db


def test_article_page_shows_body_themes_tags_and_writers(client, tree):
    theme = ThemeFactory(name="Open data", slug="open-data")
    writer = UserFactory(username="anouk", first_name="Anouk", last_name="de Vries")
    page = article(
        tree["index"],
        title="Data openen",
        author=writer,
        themes=[theme],
        tags=["csv", "licentie"],
        body=[heading("Waarom openen"), paragraph("Open data maakt <b>controle</b> mogelijk.")],
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 lang="nl">Data openen</h1>' in html
    assert "<h2>Waarom openen</h2>" in html
    assert "Open data maakt <b>controle</b> mogelijk." in html
    assert 'href="/themas/open-data/"' in html
    assert 'href="/tags/csv/"' in html
    assert "Anouk de Vries" in html
    assert f"{page.url}geschiedenis/" in html


def test_writers_are_everyone_with_a_published_version_in_order(client, tree):
    first = UserFactory(username="eerste", first_name="Eerste", last_name="Schrijver")
    second = UserFactory(username="tweede", first_name="Tweede", last_name="Schrijver")
    page = article(tree["index"], author=first)
    publish_edit(page, author=second, body=[paragraph("Herschreven.")], edit_summary="Herschreven")
    draft_author = UserFactory(username="concept", first_name="Alleen", last_name="Concept")
    page.specific.save_revision(user=draft_author)
    html = client.get(page.url).content.decode()
    assert html.index("Eerste Schrijver") < html.index("Tweede Schrijver")
    assert "Alleen Concept" not in html


def test_related_articles_are_linked_and_respect_visibility(client, tree):
    from knowledge.models import RelatedArticle

    page = article(tree["index"], title="Hoofdartikel")
    visible = article(tree["index"], title="Zichtbaar verwant")
    members_only = article(tree["index"], title="Alleen voor leden")
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
    RelatedArticle.objects.create(page=page, article=visible, sort_order=0)
    RelatedArticle.objects.create(page=page, article=members_only, sort_order=1)
    html = client.get(page.url).content.decode()
    assert "Zichtbaar verwant" in html
    assert "Alleen voor leden" not in html
    client.force_login(UserFactory())
    assert "Alleen voor leden" in client.get(page.url).content.decode()


def test_a_draft_is_not_public(client, tree):
    page = article(tree["index"], title="Nog niet klaar", publish=False)
    assert client.get(f"/kennisbank/{page.slug}/").status_code == 404
    assert "Nog niet klaar" not in client.get("/kennisbank/").content.decode()


def test_unpublished_changes_stay_out_of_the_live_page(client, tree):
    page = article(tree["index"], body=[paragraph("Gepubliceerde tekst.")])
    page.body = [paragraph("Geheime concepttekst.")]
    page.save_revision(user=UserFactory())
    html = client.get(page.url).content.decode()
    assert "Gepubliceerde tekst." in html
    assert "Geheime concepttekst." not in html


def test_members_only_article_asks_visitors_to_log_in(client, tree):
    page = article(tree["index"], title="Ledenartikel")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert "Ledenartikel" not in client.get("/kennisbank/").content.decode()
    client.force_login(UserFactory())
    assert client.get(page.url).status_code == 200


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_article_page_query_count_does_not_grow_with_content(client, tree):
    """The same number of queries for a bare article and one with many blocks, themes, tags and writers."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    Image = get_image_model()
    images = [Image.objects.create(title=f"Beeld {n}", file=get_test_image_file()) for n in range(4)]
    one_image = {"type": "image", "value": {"image": images[0].pk, "alt_text": "", "caption": ""}}
    small = article(
        tree["index"], title="Klein", body=[paragraph("Eén alinea."), one_image], themes=[ThemeFactory()], tags=["een"]
    )
    client.get(small.url)  # warm caches (site root, content types, renditions) as a running server has them
    baseline = _queries_for(client, small.url)
    body = []
    for n in range(30):
        body += [heading(f"Kop {n}"), paragraph(f"Alinea {n} met <a href='https://example.org'>link</a>.")]
    body += [{"type": "image", "value": {"image": image.pk, "alt_text": "", "caption": "x"}} for image in images]
    body += [
        {"type": "quote", "value": {"text": "Citaat", "attribution": "Iemand"}},
        {"type": "callout", "value": {"kind": "tip", "title": "Tip", "text": "<p>Doen.</p>"}},
        {
            "type": "table",
            "value": {
                "caption": "Tabel",
                "table": {"data": [["a", "b"], ["1", "2"]], "first_row_is_table_header": True},
            },
        },
    ]
    big = article(
        tree["index"],
        title="Groot",
        body=body,
        themes=[ThemeFactory() for _ in range(6)],
        tags=[f"tag{n}" for n in range(12)],
    )
    for n in range(5):
        publish_edit(big, author=UserFactory(), body=body + [paragraph(f"Toevoeging {n}")], edit_summary=str(n))
    client.get(big.url)  # renditions are created once, on the first view
    assert _queries_for(client, big.url) == baseline
    assert baseline <= 17


EMBED_FINDERS = [{"class": "tests.knowledge.embed_finder.ExampleVideoFinder"}]


@pytest.mark.parametrize(
    ("url", "shows_player"),
    [("https://video.example.org/raadsvergadering", True), ("https://video.example.org/verdwenen", False)],
)
def test_embeds_show_the_player_and_always_a_described_link(client, tree, settings, url, shows_player):
    settings.WAGTAILEMBEDS_FINDERS = EMBED_FINDERS
    body = [{"type": "embed", "value": {"url": url, "title": "Opname van de raadsvergadering"}}]
    page = article(tree["index"], body=body)
    html = client.get(page.url).content.decode()
    assert ('<iframe title="Raadsvergadering"' in html) is shows_player
    assert f'Opname van de raadsvergadering — <a href="{url}">' in html
