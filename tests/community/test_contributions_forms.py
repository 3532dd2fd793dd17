"""The proposal form without JavaScript (blocks added, moved, removed; preview; images), what it lets through, and
"Mijn bijdragen"."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from community.contributions.models import Contribution
from community.contributions.richtext import html_to_markup, markup_to_html, sanitise
from community.contributions.services import contribution_submit
from community.services.trust import member_trust
from knowledge.models import KnowledgeArticle
from tests.community.contribution_helpers import decide, edit_data, form_data, new_article, propose_edit, propose_new
from tests.community.factories import member
from tests.factories import article, heading, paragraph

pytestmark = pytest.mark.django_db

NEW = reverse("community:contribution_new", args=["artikel"])


@pytest.fixture
def author(db):
    return member(username="auteur")


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def editor_client(editor_user):
    client = Client()
    client.force_login(editor_user)
    return client


# -- what member input may become -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "[klik]( javascript:alert(1) )",
        "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '[klik](https://voorbeeld.nl" onclick="alert(1))',
        "**<b onmouseover=alert(1)>vet</b>**",
        "<a href=javascript:alert(1)>x</a>",
        "<svg onload=alert(1)>",
        "<iframe src=https://kwaad.example></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_nothing_executable_survives_a_paragraph(markup):
    _assert_inert(markup_to_html(markup), escaped=False)


def test_the_whitelist_itself_drops_what_markup_never_makes():
    dirty = '<p onclick="x" style="color:red">a<script>b</script><a href="javascript:x">c</a><iframe></iframe></p>'
    assert sanitise(dirty) == "<p>a<a>c</a></p>"


def test_markup_makes_the_formatting_editors_have_and_reads_back():
    markup = (
        "Hallo **vet** en *cursief*, [een link](https://voorbeeld.nl/?a=1&b=2).\n\n- een\n- twee\n\n1. eerst\n2. dan"
    )
    html = markup_to_html(markup)
    assert "<b>vet</b>" in html and "<i>cursief</i>" in html
    assert '<a href="https://voorbeeld.nl/?a=1&amp;b=2">een link</a>' in html
    assert "<ul><li>een</li><li>twee</li></ul>" in html and "<ol><li>eerst</li><li>dan</li></ol>" in html
    assert html_to_markup(html) == markup


def test_wagtail_links_pass_the_whitelist_and_handlers_do_not():
    stored = '<p><a linktype="page" id="3">intern</a> <a href="https://voorbeeld.nl" onclick="x">extern</a></p>'
    assert sanitise(stored) == '<p><a linktype="page" id="3">intern</a> <a href="https://voorbeeld.nl">extern</a></p>'


def test_internal_links_become_wagtail_links():
    html = markup_to_html("[artikel](pagina:12) en [pdf](document:3)")
    assert '<a id="12" linktype="page">artikel</a>' in html and '<a id="3" linktype="document">pdf</a>' in html
    assert html_to_markup(html) == "[artikel](pagina:12) en [pdf](document:3)"


def test_script_in_every_field_never_reaches_a_readers_browser(client, author, author_client, editor_client, tree):
    evil = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    content = new_article(title=f"Titel {evil}")
    content["summary"] = f"Samenvatting {evil}"
    content["tags"] = [f"tag{evil}"[:90]]
    content["body"] = [
        {"type": "heading", "value": {"text": f"Kop {evil}", "level": "h2"}, "id": "k"},
        {"type": "paragraph", "value": f"<p>Alinea {evil} [x](javascript:alert(1))</p>", "id": "p"},
        {"type": "quote", "value": {"text": f"Citaat {evil}", "attribution": evil}, "id": "q"},
    ]
    data = form_data(content)
    data["blok-1-text"] = f"Alinea {evil} [x](javascript:alert(1))"
    assert author_client.post(NEW, data).status_code == 302
    contribution = Contribution.objects.get(author=author)
    for response in (
        author_client.get(contribution.get_absolute_url()),
        editor_client.get(contribution.get_absolute_url()),
    ):
        _assert_inert(response.content.decode())
    decide(editor_client, contribution, "approve")
    page = KnowledgeArticle.objects.get(pk=contribution.page_id)
    _assert_inert(client.get(page.url).content.decode())
    _assert_inert(client.get(tree["index"].url).content.decode())
    _assert_inert(client.get(f"{page.url}geschiedenis/").content.decode())


def _assert_inert(html, escaped=True):
    """No element the member made can run anything: no script, no handlers, no javascript:/data: links."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert element.name not in ("img", "svg", "iframe", "style") or "alert" not in str(element)
        assert not any(name.lower().startswith("on") for name in element.attrs), element
        href = element.get("href", "").strip().lower()
        assert not href.startswith(("javascript:", "data:")), element
    assert not any("alert" in script.text for script in soup.find_all("script"))
    if escaped:
        assert "&lt;script&gt;alert(1)" in html  # the member's text is shown, as text


def test_a_tampered_hidden_block_or_image_is_refused(author, author_client, tree):
    other_image = get_image_model().objects.create(title="Van iemand anders", file=_png_file(), width=2, height=2)
    content = new_article()
    data = form_data(content)
    data.update({"block_count": "3", "blok-2-uid": "x", "blok-2-kind": "image", "blok-2-image_id": str(other_image.pk)})
    data["blok-2-alt_text"] = "Een plaatje"
    response = author_client.post(NEW, data)
    assert response.status_code == 400 and not Contribution.objects.exists()

    data = form_data(content)
    data.update({"block_count": "3", "blok-2-uid": "verzonnen", "blok-2-kind": "locked"})
    response = author_client.post(NEW, data)
    assert response.status_code == 400 and "bestaat niet meer" in response.content.decode()
    assert not Contribution.objects.exists()


# -- the form without JavaScript ------------------------------------------------------------------------------


def test_blocks_are_added_moved_and_removed_with_buttons_keeping_what_was_typed(author_client, tree):
    data = form_data(new_article())
    data["blok-1-text"] = "Nog niet opgeslagen tekst."
    html = author_client.post(NEW, {**data, "actie": "add", "nieuw_blok": "quote"}).content.decode()
    assert "Blok 3: Citaat" in html and "Nog niet opgeslagen tekst." in html
    assert 'name="block_count" value="3"' in html

    html = author_client.post(NEW, {**data, "actie": "up:1"}).content.decode()
    assert _legends(html) == ["Blok 1: Alinea", "Blok 2: Tussenkop"]

    html = author_client.post(NEW, {**data, "actie": "remove:0"}).content.decode()
    assert _legends(html) == ["Blok 1: Alinea"] and "Nog niet opgeslagen tekst." in html
    assert not Contribution.objects.exists()


def _legends(html):
    soup = BeautifulSoup(html, "html.parser")
    return [legend.text.strip() for legend in soup.find_all("legend") if legend.text.strip().startswith("Blok ")]


def test_preview_shows_the_article_as_it_will_look_and_saves_nothing(author_client, tree):
    data = form_data(new_article())
    data["blok-1-text"] = "Een **belangrijk** punt."
    response = author_client.post(NEW, {**data, "actie": "voorbeeld"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Voorbeeld: zo komt het eruit te zien" in html and "Een <b>belangrijk</b> punt." in html
    assert not Contribution.objects.exists() and not KnowledgeArticle.objects.exists()


def test_an_edit_is_previewed_before_its_summary_is_written(author_client, tree):
    page = article(tree["index"])

    def change(content):
        content["body"][1]["value"] = "<p>Een *nieuwe* zin.</p>"

    data = edit_data(page, change=change, edit_summary="", action="voorbeeld")
    data["blok-1-text"] = "Een *nieuwe* zin."
    response = propose_edit(author_client, page, data)
    assert response.status_code == 200 and "Een <i>nieuwe</i> zin." in response.content.decode()
    data["actie"] = "versturen"
    response = propose_edit(author_client, page, data)
    assert response.status_code == 400 and "Wat heb je veranderd en waarom?" in response.content.decode()
    assert not Contribution.objects.exists()


def test_errors_are_listed_and_linked_to_their_fields(author_client, tree):
    data = form_data(new_article())
    data["title"] = ""
    data["blok-0-text"] = ""
    html = author_client.post(NEW, data).content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_title"' in html and 'href="#id_blok-0-text"' in html


def _png_file(name="foto.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#154273").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_uploaded_image_with_alt_text_becomes_an_image_block(author, author_client, editor_client, client, tree):
    data = form_data(new_article())
    data.update({"block_count": "3", "blok-2-uid": "beeld", "blok-2-kind": "image", "blok-2-alt_text": "Een dijk"})
    html = author_client.post(
        NEW, {**data, "actie": "add", "nieuw_blok": "paragraph", "blok-2-image_file": _png_file()}
    )
    image = get_image_model().objects.get(uploaded_by_user=author)
    assert f'name="blok-2-image_id" value="{image.pk}"' in html.content.decode()

    data["blok-2-image_id"] = str(image.pk)
    assert author_client.post(NEW, data).status_code == 302
    contribution = Contribution.objects.get(author=author)
    decide(editor_client, contribution, "approve")
    page = KnowledgeArticle.objects.get(pk=contribution.page_id)
    assert page.body[2].block_type == "image" and page.body[2].value["alt_text"] == "Een dijk"
    assert 'alt="Een dijk"' in client.get(page.url).content.decode()


def test_an_image_needs_alt_text(author_client, tree):
    data = form_data(new_article())
    data.update({"block_count": "3", "blok-2-uid": "beeld", "blok-2-kind": "image", "blok-2-image_file": _png_file()})
    response = author_client.post(NEW, data)
    assert response.status_code == 400 and "Alternatieve tekst" in response.content.decode()


def test_blocks_members_cannot_edit_stay_as_they_were(author, author_client, editor_client, tree):
    callout = {"type": "callout", "value": {"kind": "tip", "title": "Tip", "text": "<p>Vraag het.</p>"}, "id": "kader"}
    page = article(tree["index"], body=[heading("Inleiding", "kop"), paragraph("Tekst.", "p"), callout])
    edit_form = author_client.get(reverse("community:contribution_edit", args=[page.pk])).content.decode()
    assert "Dit blok kan alleen de redactie aanpassen" in edit_form and "Vraag het." in edit_form

    def change(content):
        content["body"][1]["value"] = "<p>Andere tekst.</p>"

    data = edit_data(page, change=change)
    data["blok-2-kind"] = "locked"
    assert propose_edit(author_client, page, data).status_code == 302
    decide(editor_client, Contribution.objects.get(author=author), "approve")
    live = KnowledgeArticle.objects.get(pk=page.pk)
    assert live.body[2].block_type == "callout" and "Vraag het." in str(live.body[2].value["text"])


def test_rate_limit_refuses_with_a_message(author, author_client, tree, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "contribution_submit": "1/h/user"}
    assert propose_new(author_client).status_code == 302
    response = propose_new(author_client, new_article(title="Tweede"))
    assert response.status_code == 429 and "minuten" in response.content.decode()
    assert Contribution.objects.count() == 1


# -- Mijn bijdragen -------------------------------------------------------------------------------------------


def _contributions(author, prefix, count):
    for number in range(count):
        content = new_article(title=f"Artikel {prefix}{number}")
        contribution_submit(actor=author, data=content, token=f"{prefix}{number}", page_class=KnowledgeArticle)


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("community:my_contributions"))
    assert response.status_code == 200
    return len(queries)


def test_my_contributions_runs_a_constant_number_of_queries(author, author_client, editor_user, tree):
    page = article(tree["index"])
    member_trust(actor=editor_user, member=author, trusted=True)
    contribution_submit(
        actor=author,
        data={**new_article(title=page.title), "body": [heading("Inleiding"), paragraph("Nieuw.")]},
        token="bewerking",
        page=page,
        base_revision_id=page.live_revision_id,
    )
    _contributions(author, "a", 4)
    _queries(author_client)  # the first request fills per-process caches (sites, content types)
    few = _queries(author_client)
    _contributions(author, "b", 10)
    assert Contribution.objects.filter(author=author).count() == 15
    assert _queries(author_client) == few


def test_my_contributions_shows_only_mine_with_their_state(author, author_client, tree):
    propose_new(author_client)
    other = member()
    contribution_submit(actor=other, data=new_article(title="Van een ander"), token="x", page_class=KnowledgeArticle)
    html = author_client.get(reverse("community:my_contributions")).content.decode()
    assert "Open data bij waterschappen" in html and "Wacht op de redactie" in html
    assert "Van een ander" not in html
    assert "Intrekken" in html
