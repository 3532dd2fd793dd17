"""Edit conflicts: two members, or a member and an editor in the admin, change one article at the same time."""

import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from community.contributions.models import Contribution, ContributionState
from community.services.trust import member_trust
from knowledge.models import KnowledgeArticle
from tests.community.contribution_helpers import decide, edit_data, propose_edit
from tests.community.factories import member
from tests.factories import article, heading, paragraph

pytestmark = pytest.mark.django_db

BODY = [
    heading("Inleiding", "kop"),
    paragraph("De Woo geldt voor iedereen. Vraag het gewoon.", "eerste"),
    paragraph("Een besluit volgt binnen vier weken.", "tweede"),
]


@pytest.fixture
def page(tree):
    return article(tree["index"], body=BODY)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _trusted(editor_user, name):
    user = member(username=name, display_name=name.capitalize())
    member_trust(actor=editor_user, member=user, trusted=True)
    return user


def _set_block(block_id, html):
    def change(content):
        for block in content["body"]:
            if block["id"] == block_id:
                block["value"] = html

    return change


def _live_body(page):
    page = KnowledgeArticle.objects.get(pk=page.pk)
    return {block.id: str(block.value) for block in page.body}


def test_two_members_change_different_blocks_and_both_changes_are_kept(page, editor_user):
    anouk, bram = _trusted(editor_user, "anouk"), _trusted(editor_user, "bram")
    anouk_form = edit_data(page, change=_set_block("eerste", "<p>De Woo geldt voor alle bestuursorganen.</p>"))
    bram_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen zes weken.</p>"))

    assert propose_edit(_client(anouk), page, anouk_form).status_code == 302
    response = propose_edit(_client(bram), page, bram_form)
    assert response.status_code == 302
    message = str(list(response.wsgi_request._messages)[0])
    assert "samengevoegd" in message

    body = _live_body(page)
    assert "alle bestuursorganen" in body["eerste"] and "zes weken" in body["tweede"]
    assert Contribution.objects.get(author=bram).state == ContributionState.PUBLISHED


def test_two_members_change_the_same_block_and_the_second_resolves_the_conflict_side_by_side(page, editor_user):
    anouk, bram = _trusted(editor_user, "anouk"), _trusted(editor_user, "bram")
    anouk_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen twee weken.</p>"))
    bram_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen zes weken.</p>"))
    propose_edit(_client(anouk), page, anouk_form)
    live_after_anouk = KnowledgeArticle.objects.get(pk=page.pk).live_revision_id

    bram_client = _client(bram)
    response = propose_edit(bram_client, page, bram_form)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft dit artikel intussen ook bewerkt" in html
    assert "Jouw versie" in html and "De versie die intussen is opgeslagen" in html
    assert "twee" in html and "zes" in html  # both sides shown
    assert 'name="conflict-body.tweede.value"' in html or "conflict-body.tweede" in html
    # Nothing was saved, and Bram's text is still in his form.
    assert not Contribution.objects.filter(author=bram).exists()
    assert KnowledgeArticle.objects.get(pk=page.pk).live_revision_id == live_after_anouk
    assert "Een besluit volgt binnen zes weken." in html

    conflict_field = next(name for name in _names(html) if name.startswith("conflict-") and "tekst" not in name)
    resolved = {
        **bram_form,
        conflict_field: "own",
        f"{conflict_field}-tekst": "Een besluit volgt binnen twee weken, soms zes.",
    }
    response = propose_edit(bram_client, page, resolved)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "binnen twee weken, soms zes." in _live_body(page)["tweede"]


def test_choosing_their_version_keeps_theirs_and_my_other_changes(page, editor_user):
    anouk, bram = _trusted(editor_user, "anouk"), _trusted(editor_user, "bram")
    propose_edit(
        _client(anouk),
        page,
        edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen twee weken.</p>")),
    )

    def bram_changes(content):
        _set_block("tweede", "<p>Een besluit volgt binnen zes weken.</p>")(content)
        content["summary"] = "Bram maakte de samenvatting beter."

    bram_form = edit_data_from_base(page, bram_changes)
    bram_client = _client(bram)
    html = propose_edit(bram_client, page, bram_form).content.decode()
    conflict_field = next(name for name in _names(html) if name.startswith("conflict-") and "tekst" not in name)
    response = propose_edit(bram_client, page, {**bram_form, conflict_field: "theirs"})
    assert response.status_code == 302
    live = KnowledgeArticle.objects.get(pk=page.pk)
    assert "twee weken" in _live_body(page)["tweede"] and live.summary == "Bram maakte de samenvatting beter."


def edit_data_from_base(page, change):
    """Bram opened the form before Anouk's edit: his form carries the first version."""
    from knowledge.merge import page_content
    from tests.community.contribution_helpers import form_data

    first = page.revisions.order_by("pk").first()
    content = page_content(first.as_object(), stream_fields=["body"])
    change(content)
    return form_data(content, base_revision=first.pk, page_path=page.url_path)


def test_a_member_can_send_an_edit_while_another_members_proposal_waits_and_never_sees_it(page, editor_user):
    """It waits in line (see test_contributions_queue.py); once the first is approved both edits go live."""
    anouk, bram = member(username="anouk"), member(username="bram")
    anouk_form = edit_data(page, change=_set_block("eerste", "<p>Anouks voorstel.</p>"))
    bram_form = edit_data(page, change=_set_block("tweede", "<p>Brams voorstel.</p>"))
    propose_edit(_client(anouk), page, anouk_form)

    bram_client = _client(bram)
    opened = bram_client.get(f"/bijdragen/bewerken/{page.pk}/").content.decode()
    assert "een voorstel van een ander lid voor dit artikel ligt nog" in opened and "Anouks voorstel." not in opened
    response = propose_edit(bram_client, page, bram_form)
    assert response.status_code == 302
    assert "Anouks voorstel." not in bram_client.get(response["Location"]).content.decode()
    assert Contribution.objects.get(author=bram).state == ContributionState.QUEUED

    editor_client = _client(editor_user)
    decide(editor_client, Contribution.objects.get(author=anouk), "approve")
    decide(editor_client, Contribution.objects.get(author=bram), "approve")
    body = _live_body(page)
    assert "Anouks voorstel." in body["eerste"] and "Brams voorstel." in body["tweede"]


def _admin_form(page, body, edit_summary):
    """The admin's edit form for the article, as an editor posts it with "Publiceren"."""
    blocks = {"count": str(len(body))}
    for number, (kind, value, block_id) in enumerate(body):
        blocks[str(number)] = {"type": kind, "value": value, "deleted": "", "order": str(number), "id": block_id}
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": blocks,
            "theme_links": inline_formset([]),
            "related_links": inline_formset([]),
            "tags": "",
            "edit_summary": edit_summary,
            "action-publish": "publish",
            "comments": inline_formset([]),
        }
    )


def test_an_editor_publishes_in_the_admin_while_a_member_edits_on_the_site(page, editor_user):
    anouk = member(username="anouk")
    anouk_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen zes weken.</p>"))

    editor_client = _client(editor_user)
    admin_body = [
        ("heading", {"text": "Waar het om gaat", "level": "h2"}, "kop"),
        ("paragraph", rich_text("<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"), "eerste"),
        ("paragraph", rich_text("<p>Een besluit volgt binnen vier weken.</p>"), "tweede"),
    ]
    response = editor_client.post(f"/beheer/pages/{page.pk}/edit/", _admin_form(page, admin_body, "Kop verbeterd"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _live_body(page)["kop"].find("Waar het om gaat") >= 0 or "Waar het om gaat" in str(
        KnowledgeArticle.objects.get(pk=page.pk).body[0].value
    )

    anouk_client = _client(anouk)
    response = propose_edit(anouk_client, page, anouk_form)
    assert response.status_code == 302, response.content.decode()[:3000]
    contribution = Contribution.objects.get(author=anouk)
    assert contribution.state == ContributionState.WAITING
    decide(editor_client, contribution, "approve")
    live = KnowledgeArticle.objects.get(pk=page.pk)
    assert live.body[0].value["text"] == "Waar het om gaat"
    assert "zes weken" in str(live.body[2].value)


def test_an_editor_and_a_member_change_the_same_sentence_and_the_member_chooses(page, editor_user):
    anouk = member(username="anouk")
    anouk_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen zes weken.</p>"))
    editor_client = _client(editor_user)
    admin_body = [
        ("heading", {"text": "Inleiding", "level": "h2"}, "kop"),
        ("paragraph", rich_text("<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"), "eerste"),
        ("paragraph", rich_text("<p>Een besluit volgt binnen acht weken.</p>"), "tweede"),
    ]
    editor_client.post(f"/beheer/pages/{page.pk}/edit/", _admin_form(page, admin_body, "Termijn"))
    anouk_client = _client(anouk)
    response = propose_edit(anouk_client, page, anouk_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "acht" in html and "zes" in html
    conflict_field = next(name for name in _names(html) if name.startswith("conflict-") and "tekst" not in name)
    response = propose_edit(anouk_client, page, {**anouk_form, conflict_field: "mine"})
    assert response.status_code == 302
    decide(editor_client, Contribution.objects.get(author=anouk), "approve")
    assert "zes weken" in _live_body(page)["tweede"]


def _names(html):
    from bs4 import BeautifulSoup

    return [field.get("name") for field in BeautifulSoup(html, "html.parser").find_all(["input", "textarea"])]


def test_a_merge_keeps_the_editors_links_in_blocks_nobody_touched(tree, editor_user):
    target = article(tree["index"], title="Doelpagina")
    linked = {
        "type": "paragraph",
        "value": f'<p>Zie <a linktype="page" id="{target.pk}">de doelpagina</a> en <b>vet</b>.</p>',
        "id": "derde",
    }
    page = article(tree["index"], body=[*BODY, linked])
    anouk, bram = _trusted(editor_user, "anouk"), _trusted(editor_user, "bram")
    anouk_form = edit_data(page, change=_set_block("eerste", "<p>Anouk was hier.</p>"))
    bram_form = edit_data(page, change=_set_block("tweede", "<p>Bram was hier.</p>"))
    propose_edit(_client(anouk), page, anouk_form)
    assert propose_edit(_client(bram), page, bram_form).status_code == 302
    stored = {block["id"]: block["value"] for block in KnowledgeArticle.objects.get(pk=page.pk).body.raw_data}
    assert stored["derde"] == linked["value"]
    assert "Anouk was hier." in stored["eerste"] and "Bram was hier." in stored["tweede"]
