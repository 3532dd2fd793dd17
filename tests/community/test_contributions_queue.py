"""Two members editing one article at the same time: the second proposal waits in line behind the first, is merged
with whatever is published meanwhile, and goes under review by itself; a clash goes back to its author, side by side.
Also: the live page changing under a waiting proposal (a trusted member, an editor in the admin, an undo) merges
the proposal instead of rejecting it."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import rich_text

import knowledge.admin_undo  # noqa: F401  (registers the admin's undo view, as knowledge/wagtail_hooks.py does)
from community.contributions.models import Contribution, ContributionState
from community.models import Notification
from community.services.trust import member_trust
from knowledge.models import KnowledgeArticle
from tests.community.contribution_helpers import decide, edit_data, propose_edit
from tests.community.factories import member
from tests.community.test_contributions import edit_data_for_own
from tests.community.test_contributions_conflicts import _admin_form
from tests.factories import article, heading, paragraph, publish_edit

pytestmark = pytest.mark.django_db

BODY = [
    heading("Inleiding", "kop"),
    paragraph("De Woo geldt voor iedereen. Vraag het gewoon.", "eerste"),
    paragraph("Een besluit volgt binnen vier weken.", "tweede"),
]
MINE = reverse("community:my_contributions")


@pytest.fixture
def page(tree):
    return article(tree["index"], body=BODY)


@pytest.fixture
def editor_client(editor_user):
    return _client(editor_user)


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


def _body(page_or_revision):
    page = page_or_revision.as_object() if hasattr(page_or_revision, "as_object") else page_or_revision
    return {block.id: str(block.value) for block in page.body}


def _live(page):
    return KnowledgeArticle.objects.get(pk=page.pk)


def _of(user):
    return Contribution.objects.select_related("revision", "workflow_state").get(author=user)


def _messages(response):
    return [str(message) for message in response.wsgi_request._messages]


def _notifications(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("message", "url"))


def _field_names(html):
    form = BeautifulSoup(html, "html.parser").find("form", class_="contribution-form")
    return [field.get("name") for field in form.find_all(["input", "textarea"]) if field.get("name")]


# -- two watched members, separate blocks ------------------------------------------------------------------------


def test_the_second_proposal_waits_in_line_and_after_the_first_is_approved_it_is_merged_and_reviewed(
    page, editor_client, client
):
    anouk, bram = member(username="anouk"), member(username="bram")
    anouk_form = edit_data(page, change=_set_block("eerste", "<p>De Woo geldt voor alle bestuursorganen.</p>"))
    bram_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen zes weken.</p>"))
    assert propose_edit(_client(anouk), page, anouk_form).status_code == 302
    first = _of(anouk)
    assert first.state == ContributionState.WAITING

    bram_client = _client(bram)
    opened = bram_client.get(reverse("community:contribution_edit", args=[page.pk])).content.decode()
    assert "ligt nog bij de redactie" in opened and "alle bestuursorganen" not in opened
    response = propose_edit(bram_client, page, bram_form)
    assert response.status_code == 302
    assert any("het jouwe wacht daarop" in message for message in _messages(response))
    second = _of(bram)
    assert second.state == ContributionState.QUEUED and second.revision is None
    assert second.base_revision_id == page.live_revision_id and second.workflow_state is None
    # Bram's text is on his row only: the page's latest version (what the admin opens, and what approving the
    # running review publishes) is still Anouk's proposal.
    assert _live(page).latest_revision_id == first.revision_id
    admin_form = editor_client.get(f"/beheer/pages/{page.pk}/edit/").content.decode()
    assert "alle bestuursorganen" in admin_form and "zes weken" not in admin_form
    # Sending the same form again makes no second proposal.
    again = propose_edit(bram_client, page, bram_form)
    assert again.status_code == 302 and Contribution.objects.filter(author=bram).count() == 1
    mine = bram_client.get(MINE).content.decode()
    assert "Wacht op een eerdere bijdrage" in mine and "Intrekken" in mine
    assert "zes weken" in bram_client.get(second.get_absolute_url()).content.decode()

    assert decide(editor_client, first, "approve").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == ContributionState.APPROVED
    live = _live(page)
    assert second.state == ContributionState.WAITING and second.content is None
    assert second.base_revision_id == live.live_revision_id == first.revision_id
    assert second.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert live.latest_revision_id == second.revision_id
    proposed = _body(second.revision)
    assert "alle bestuursorganen" in proposed["eerste"] and "zes weken" in proposed["tweede"]
    assert "zes weken" not in client.get(live.url).content.decode()  # not live before an editor approves it
    [(message, url)] = _notifications(bram)
    assert "samengevoegd met de intussen gepubliceerde versie" in message and url == second.get_absolute_url()
    assert "Wacht op de redactie" in bram_client.get(MINE).content.decode()

    decide(editor_client, second, "approve")
    second.refresh_from_db()
    assert second.state == ContributionState.APPROVED
    body = _body(_live(page))
    assert "alle bestuursorganen" in body["eerste"] and "zes weken" in body["tweede"]
    public = client.get(live.url).content.decode()
    assert "alle bestuursorganen" in public and "zes weken" in public


def test_a_member_keeps_working_on_their_proposal_while_it_waits_in_line(page, editor_client):
    anouk, bram = member(username="anouk"), member(username="bram")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("eerste", "<p>Anouks voorstel.</p>")))
    bram_client = _client(bram)
    propose_edit(bram_client, page, edit_data(page, change=_set_block("tweede", "<p>Brams eerste poging.</p>")))

    data = edit_data_for_own(bram_client, page)
    assert data["blok-2-text"].strip() == "Brams eerste poging." and "Anouks voorstel." not in str(data)
    data["blok-2-text"] = "Brams tweede poging."
    assert propose_edit(bram_client, page, data).status_code == 302
    second = _of(bram)
    assert second.state == ContributionState.QUEUED
    assert "Brams tweede poging." in second.content["body"][2]["value"]

    decide(editor_client, _of(anouk), "approve")
    second.refresh_from_db()
    assert second.state == ContributionState.WAITING
    assert "Brams tweede poging." in _body(second.revision)["tweede"]


# -- two watched members, the same block --------------------------------------------------------------------------


def test_the_same_block_changed_twice_goes_back_to_the_second_member_who_resolves_it_side_by_side(
    page, editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    anouk, bram = member(username="anouk"), member(username="bram")
    anouk_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen twee weken.</p>"))
    bram_form = edit_data(page, change=_set_block("tweede", "<p>Een besluit volgt binnen zes weken.</p>"))
    propose_edit(_client(anouk), page, anouk_form)
    bram_client = _client(bram)
    propose_edit(bram_client, page, bram_form)
    first, second = _of(anouk), _of(bram)

    with django_capture_on_commit_callbacks(execute=True):
        decide(editor_client, first, "approve")
    second.refresh_from_db()
    assert second.state == ContributionState.CONFLICT and second.revision is None
    assert "zes weken" in second.content["body"][2]["value"]
    assert _live(page).latest_revision_id == first.revision_id  # nothing of Bram's became a revision
    revise = reverse("community:contribution_revise", args=[second.pk])
    [(message, url)] = _notifications(bram)
    assert "botst met een versie die intussen is gepubliceerd" in message and url == revise
    [mail] = [m for m in mailoutbox if m.to == [bram.email]]
    assert revise in mail.body and "/beheer/" not in mail.body
    mine = bram_client.get(MINE).content.decode()
    assert "Botst met een nieuwere versie" in mine and "Verschillen bekijken en oplossen" in mine

    response = bram_client.get(revise, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jouw versie" in html and "De versie die intussen is opgeslagen" in html
    assert "twee" in html and "zes" in html  # theirs is the published version, shown beside his
    conflict = next(n for n in _field_names(html) if n.startswith("conflict-") and not n.endswith("-tekst"))

    data = edit_data_for_own(bram_client, page)
    assert data["blok-2-text"].strip() == "Een besluit volgt binnen zes weken."  # his text is in the form
    data[conflict] = "own"
    data[f"{conflict}-tekst"] = "Een besluit volgt binnen twee weken, bij verdaging zes."
    response = propose_edit(bram_client, page, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    second.refresh_from_db()
    assert second.state == ContributionState.WAITING and Contribution.objects.filter(author=bram).count() == 1
    assert second.base_revision_id == _live(page).live_revision_id

    decide(editor_client, second, "approve")
    assert _body(_live(page))["tweede"] == "<p>Een besluit volgt binnen twee weken, bij verdaging zes.</p>"


def test_a_clash_left_unresolved_is_asked_again_and_nothing_is_saved(page, editor_client):
    anouk, bram = member(username="anouk"), member(username="bram")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Binnen twee weken.</p>")))
    bram_client = _client(bram)
    propose_edit(bram_client, page, edit_data(page, change=_set_block("tweede", "<p>Binnen zes weken.</p>")))
    decide(editor_client, _of(anouk), "approve")

    data = {k: v for k, v in edit_data_for_own(bram_client, page).items() if not k.startswith("conflict-")}
    response = propose_edit(bram_client, page, data)  # sent without choosing
    assert response.status_code == 409
    assert "Binnen zes weken." in response.content.decode()
    second = _of(bram)
    assert second.state == ContributionState.CONFLICT and second.revision is None


def test_in_line_a_proposal_is_never_merged_with_another_members_unapproved_text(page, editor_client):
    """Anouk's proposal is sent back: Bram's, on the same sentence, goes on against the live text, not hers."""
    anouk, bram = member(username="anouk"), member(username="bram")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Anouks geheime zin.</p>")))
    bram_client = _client(bram)
    propose_edit(bram_client, page, edit_data(page, change=_set_block("tweede", "<p>Brams zin.</p>")))

    decide(editor_client, _of(anouk), "reject", comment="Bron ontbreekt.")
    first, second = _of(anouk), _of(bram)
    assert first.state == ContributionState.REJECTED
    assert second.state == ContributionState.WAITING
    assert _body(second.revision)["tweede"] == "<p>Brams zin.</p>"
    [(message, _url)] = _notifications(bram)
    assert "ligt nu bij de redactie" in message and "samengevoegd" not in message

    # Anouk revises while Bram's proposal is under review: she sees her own text and the live one, never his.
    anouk_client = _client(anouk)
    opened = anouk_client.get(reverse("community:contribution_edit", args=[page.pk])).content.decode()
    assert "Anouks geheime zin." in opened and "Brams zin." not in opened
    data = edit_data_for_own(anouk_client, page)
    data["blok-2-text"] = "Anouks zin, met bron."
    response = propose_edit(anouk_client, page, data)
    assert response.status_code == 302
    assert "Brams zin." not in response.content.decode()
    first.refresh_from_db()
    assert first.state == ContributionState.QUEUED and "Brams zin." not in str(first.content)

    decide(editor_client, second, "approve")  # Bram's goes live; Anouk's changed the same sentence
    first.refresh_from_db()
    assert first.state == ContributionState.CONFLICT


# -- the live page changes under a waiting proposal ---------------------------------------------------------------


def test_a_trusted_members_edit_while_a_proposal_waits_merges_the_proposal_instead_of_rejecting_it(
    page, editor_user, editor_client, client
):
    anouk, carla = member(username="anouk"), _trusted(editor_user, "carla")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("eerste", "<p>Anouks voorstel.</p>")))
    first = _of(anouk)
    old_revision, old_state = first.revision_id, first.workflow_state

    carla_client = _client(carla)
    opened = carla_client.get(reverse("community:contribution_edit", args=[page.pk])).content.decode()
    assert "Anouks voorstel." not in opened
    response = propose_edit(carla_client, page, edit_data(page, change=_set_block("tweede", "<p>Carlas zin.</p>")))
    assert response.status_code == 302
    assert _of(carla).state == ContributionState.PUBLISHED
    assert "Carlas zin." in client.get(page.url).content.decode()
    assert "Anouks voorstel." not in client.get(page.url).content.decode()

    first.refresh_from_db()
    old_state.refresh_from_db()
    live = _live(page)
    assert old_state.status == WorkflowState.STATUS_CANCELLED
    assert first.state == ContributionState.WAITING and first.reason == ""
    assert first.revision_id not in (old_revision, None) and live.latest_revision_id == first.revision_id
    assert first.base_revision_id == live.live_revision_id
    assert first.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    proposed = _body(first.revision)
    assert proposed["eerste"] == "<p>Anouks voorstel.</p>" and proposed["tweede"] == "<p>Carlas zin.</p>"
    [(message, _url)] = _notifications(anouk)
    assert "samengevoegd met de intussen gepubliceerde versie" in message and "stopgezet" not in message

    decide(editor_client, first, "approve")
    body = _body(_live(page))
    assert body["eerste"] == "<p>Anouks voorstel.</p>" and body["tweede"] == "<p>Carlas zin.</p>"


def test_a_trusted_members_edit_of_the_same_sentence_hands_the_waiting_proposal_back_to_its_author(
    page, editor_user, editor_client
):
    anouk, carla = member(username="anouk"), _trusted(editor_user, "carla")
    anouk_client = _client(anouk)
    propose_edit(anouk_client, page, edit_data(page, change=_set_block("tweede", "<p>Binnen zes weken.</p>")))
    propose_edit(_client(carla), page, edit_data(page, change=_set_block("tweede", "<p>Binnen acht weken.</p>")))

    first = _of(anouk)
    assert first.state == ContributionState.CONFLICT
    assert not WorkflowState.objects.filter(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()
    html = anouk_client.get(reverse("community:contribution_edit", args=[page.pk])).content.decode()
    assert "zes" in html and "acht" in html
    conflict = next(n for n in _field_names(html) if n.startswith("conflict-") and not n.endswith("-tekst"))
    response = propose_edit(anouk_client, page, {**edit_data_for_own(anouk_client, page), conflict: "mine"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == ContributionState.WAITING
    decide(editor_client, first, "approve")
    assert _body(_live(page))["tweede"] == "<p>Binnen zes weken.</p>"


def test_an_editor_publishing_an_older_version_in_the_admin_merges_the_waiting_proposal(page, editor_client):
    """The editor's admin form was opened before the proposal came in (it says so): the proposal is not in it."""
    anouk = member(username="anouk")
    opened_revision = page.live_revision_id
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Binnen zes weken.</p>")))
    first = _of(anouk)

    admin_body = [
        ("heading", {"text": "Waar het om gaat", "level": "h2"}, "kop"),
        ("paragraph", rich_text("<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"), "eerste"),
        ("paragraph", rich_text("<p>Een besluit volgt binnen vier weken.</p>"), "tweede"),
    ]
    data = {**_admin_form(page, admin_body, "Kop verbeterd"), "loaded_revision_id": str(opened_revision)}
    assert editor_client.post(f"/beheer/pages/{page.pk}/edit/", data).status_code == 302

    first.refresh_from_db()
    assert first.state == ContributionState.WAITING
    proposed = first.revision.as_object()
    assert proposed.body[0].value["text"] == "Waar het om gaat" and "zes weken" in str(proposed.body[2].value)
    decide(editor_client, first, "approve")
    live = _live(page)
    assert live.body[0].value["text"] == "Waar het om gaat" and "zes weken" in str(live.body[2].value)


def test_an_editor_publishing_the_proposal_in_the_admin_approves_it_and_the_next_goes_on(page, editor_client):
    """The admin opens the latest version, the proposal under review; publishing it (with a fix) approves it."""
    anouk, bram = member(username="anouk"), member(username="bram")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Binnen zes weken.</p>")))
    propose_edit(_client(bram), page, edit_data(page, change=_set_block("eerste", "<p>Brams zin.</p>")))
    first = _of(anouk)

    admin_body = [
        ("heading", {"text": "Inleiding", "level": "h2"}, "kop"),
        ("paragraph", rich_text("<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"), "eerste"),
        ("paragraph", rich_text("<p>Binnen zes weken, soms acht.</p>"), "tweede"),
    ]
    data = {**_admin_form(page, admin_body, "Goedgekeurd"), "loaded_revision_id": str(first.revision_id)}
    assert editor_client.post(f"/beheer/pages/{page.pk}/edit/", data).status_code == 302

    first.refresh_from_db()
    assert first.state == ContributionState.APPROVED
    second = _of(bram)
    assert second.state == ContributionState.WAITING
    proposed = _body(second.revision)
    assert proposed["tweede"] == "<p>Binnen zes weken, soms acht.</p>" and proposed["eerste"] == "<p>Brams zin.</p>"


def test_an_editors_draft_on_top_of_the_waiting_proposal_is_kept_when_the_page_changes_under_it(
    page, editor_user, editor_client
):
    anouk, carla = member(username="anouk"), _trusted(editor_user, "carla")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Binnen zes weken.</p>")))
    admin_body = [
        ("heading", {"text": "Inleiding", "level": "h2"}, "kop"),
        ("paragraph", rich_text("<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"), "eerste"),
        ("paragraph", rich_text("<p>Binnen zes weken, na ontvangst.</p>"), "tweede"),
    ]
    draft = {k: v for k, v in _admin_form(page, admin_body, "Kleine verbetering").items() if k != "action-publish"}
    assert editor_client.post(f"/beheer/pages/{page.pk}/edit/", draft).status_code == 302
    assert _of(anouk).state == ContributionState.WAITING  # saving a draft changes nothing live

    propose_edit(_client(carla), page, edit_data(page, change=_set_block("eerste", "<p>Carlas zin.</p>")))
    first = _of(anouk)
    assert first.state == ContributionState.WAITING
    proposed = _body(first.revision)
    assert proposed["tweede"] == "<p>Binnen zes weken, na ontvangst.</p>" and proposed["eerste"] == "<p>Carlas zin.</p>"


def test_an_editors_undo_while_a_proposal_waits_merges_the_proposal(page, editor_user, editor_client):
    change = publish_edit(page, author=member(), body=[*BODY[:1], paragraph("Iets anders.", "eerste"), BODY[2]])
    anouk = member(username="anouk")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Binnen zes weken.</p>")))

    response = editor_client.post(
        reverse("knowledge_version_revert", args=[page.pk]), {"versie": str(change.pk)}, follow=True
    )
    assert response.status_code == 200
    assert _body(_live(page))["eerste"] == "<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"
    first = _of(anouk)
    assert first.state == ContributionState.WAITING
    proposed = _body(first.revision)
    assert proposed["eerste"] == "<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"
    assert proposed["tweede"] == "<p>Binnen zes weken.</p>"


def test_a_publish_of_another_revision_by_code_merges_too(page, editor_user):
    anouk = member(username="anouk")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Binnen zes weken.</p>")))
    publish_edit(page, author=editor_user, body=[heading("Nieuwe kop", "kop"), *BODY[1:]])
    first = _of(anouk)
    assert first.state == ContributionState.WAITING
    proposed = first.revision.as_object()
    assert proposed.body[0].value["text"] == "Nieuwe kop" and "zes weken" in str(proposed.body[2].value)


def test_an_editor_who_stops_the_review_still_sends_it_back_and_the_next_goes_on(page, editor_user):
    carla = _trusted(editor_user, "carla")
    # A publish while nothing waits leaves nothing behind that could make a later stop look like a publish.
    propose_edit(_client(carla), page, edit_data(page, change=_set_block("eerste", "<p>Carlas zin.</p>")))
    anouk, bram = member(username="anouk"), member(username="bram")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("tweede", "<p>Anouks zin.</p>")))
    propose_edit(_client(bram), page, edit_data(page, change=_set_block("kop", {"text": "Brams kop", "level": "h2"})))
    first = _of(anouk)

    first.workflow_state.cancel(user=editor_user)
    first.refresh_from_db()
    assert first.state == ContributionState.REJECTED and first.reason == "De redactie heeft de beoordeling stopgezet."
    second = _of(bram)
    assert second.state == ContributionState.WAITING
    assert "Anouks zin." not in str(_body(second.revision))


# -- withdrawing, and "Mijn bijdragen" ----------------------------------------------------------------------------


def test_withdrawing_the_proposal_under_review_lets_the_one_in_line_go_on(page, editor_client):
    anouk, bram = member(username="anouk"), member(username="bram")
    anouk_client = _client(anouk)
    propose_edit(anouk_client, page, edit_data(page, change=_set_block("eerste", "<p>Anouks voorstel.</p>")))
    propose_edit(_client(bram), page, edit_data(page, change=_set_block("tweede", "<p>Brams voorstel.</p>")))
    first = _of(anouk)

    response = anouk_client.post(reverse("community:contribution_withdraw", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    second = _of(bram)
    assert first.state == ContributionState.WITHDRAWN
    assert first.workflow_state.status == WorkflowState.STATUS_CANCELLED
    assert second.state == ContributionState.WAITING and second.base_revision_id == page.live_revision_id
    assert _body(second.revision)["eerste"] == "<p>De Woo geldt voor iedereen. Vraag het gewoon.</p>"
    assert Page.objects.get(pk=page.pk).latest_revision_id == second.revision_id

    decide(editor_client, second, "approve")
    body = _body(_live(page))
    assert body["tweede"] == "<p>Brams voorstel.</p>" and "Anouks voorstel." not in body["eerste"]


def test_withdrawing_a_proposal_in_line_takes_it_out_of_line(page, editor_client):
    anouk, bram = member(username="anouk"), member(username="bram")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("eerste", "<p>Anouks voorstel.</p>")))
    bram_client = _client(bram)
    propose_edit(bram_client, page, edit_data(page, change=_set_block("tweede", "<p>Brams voorstel.</p>")))
    second = _of(bram)
    bram_client.post(reverse("community:contribution_withdraw", args=[second.pk]))
    second.refresh_from_db()
    assert second.state == ContributionState.WITHDRAWN

    decide(editor_client, _of(anouk), "approve")
    second.refresh_from_db()
    assert second.state == ContributionState.WITHDRAWN and second.revision is None
    assert "Brams voorstel." not in str(_body(_live(page)))
    assert "Ingetrokken" in bram_client.get(MINE).content.decode()


def test_nothing_in_line_is_visible_to_anyone_but_its_author_and_the_editors(page, editor_client, client):
    anouk, bram, outsider = member(username="anouk"), member(username="bram"), member(username="derde")
    propose_edit(_client(anouk), page, edit_data(page, change=_set_block("eerste", "<p>Anouks voorstel.</p>")))
    propose_edit(_client(bram), page, edit_data(page, change=_set_block("tweede", "<p>Brams geheime zin.</p>")))
    second = _of(bram)

    others = [client, _client(outsider), _client(anouk)]
    for viewer in others:
        for url in (page.url, f"{page.url}geschiedenis/", "/recente-wijzigingen/", "/zoeken/?q=geheime"):
            assert "Brams geheime zin." not in viewer.get(url).content.decode(), url
        assert viewer.get(second.get_absolute_url()).status_code in (302, 404)
    opened = _client(outsider).get(reverse("community:contribution_edit", args=[page.pk])).content.decode()
    assert "Brams geheime zin." not in opened and "Anouks voorstel." not in opened
    assert "Brams geheime zin." in editor_client.get(second.get_absolute_url()).content.decode()
