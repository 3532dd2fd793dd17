"""Members propose articles and edits on the site; editors approve or send them back in the admin's workflow."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction, WorkflowState

from community.contributions import selectors
from community.contributions.models import Contribution, ContributionKind, ContributionState
from community.contributions.services import contribution_mark_checked
from community.models import Notification, Profile
from community.services import CommunityError
from community.services.trust import member_trust
from knowledge.models import KnowledgeArticle
from tests.community.contribution_helpers import decide, edit_data, new_article, propose_edit, propose_new
from tests.community.factories import member, working_group
from tests.factories import ThemeFactory, article, heading, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return member(username="auteur", display_name="Anouk de Vries")


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


def _only(**filters):
    return Contribution.objects.get(**filters)


def test_member_proposes_an_article_that_stays_private_until_an_editor_approves_it(
    client, author, author_client, editor_client, editor_user, tree, mailoutbox, django_capture_on_commit_callbacks
):
    form_page = author_client.get(reverse("community:contribution_new", args=["artikel"]))
    assert form_page.status_code == 200
    assert "Blok toevoegen" in form_page.content.decode()

    theme = ThemeFactory(name="Open data", slug="open-data")
    content = new_article()
    content["themes"] = [theme.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = propose_new(author_client, content)
    contribution = _only(author=author)
    assert response.status_code == 302 and response["Location"] == contribution.get_absolute_url()
    page = KnowledgeArticle.objects.get(pk=contribution.page_id)
    assert contribution.kind == ContributionKind.CREATE and contribution.state == ContributionState.WAITING
    assert not page.live and page.get_parent().pk == tree["index"].pk
    assert contribution.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert contribution.workflow_state.workflow.name == "Redactie"

    # Nobody but the author and the editors sees it: not in the Kennisbank, not at its address, not in search.
    other = Client()
    other.force_login(member())
    listings = [tree["index"].url, "/themas/open-data/", "/tags/open-data/", "/recente-wijzigingen/", "/"]
    listings.append("/recente-wijzigingen/atom/")
    for viewer in (client, other):
        for url in listings:
            assert "Open data bij waterschappen" not in viewer.get(url).content.decode(), url
        assert viewer.get(contribution.get_absolute_url()).status_code in (302, 404)
    assert client.get("/kennisbank/open-data-bij-waterschappen/").status_code == 404
    for viewer in (client, other):
        assert "Open data bij waterschappen" not in viewer.get("/zoeken/?q=waterschappen").content.decode()
    assert "Open data bij waterschappen" not in client.get("/sitemap.xml").content.decode()
    own_view = author_client.get(contribution.get_absolute_url()).content.decode()
    assert "Waterschappen publiceren steeds meer open data." in own_view and "Wacht op de redactie" in own_view
    assert editor_client.get(contribution.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert decide(editor_client, contribution, "approve").status_code == 302
    contribution.refresh_from_db()
    page.refresh_from_db()
    assert page.live and contribution.state == ContributionState.APPROVED
    assert contribution.decided_by == editor_user
    assert Profile.objects.get(user=author).approved_contributions == 1
    assert "Waterschappen publiceren" in client.get(page.url).content.decode()
    assert "Open data bij waterschappen" in client.get("/zoeken/?q=waterschappen").content.decode()
    for url in listings[:3]:
        assert "Open data bij waterschappen" in client.get(url).content.decode(), url
    notification = Notification.objects.get(recipient=author)
    assert "goedgekeurd" in notification.message and notification.url == page.url
    # The editors heard of the proposal from Wagtail; the member hears of the decision from us, not from the admin.
    assert [m.to for m in mailoutbox] == [[editor_user.email], [author.email]]
    assert mailoutbox[1].subject == (
        "[Alliantie Open Overheid] Je voorstel “Open data bij waterschappen” is goedgekeurd en staat nu op de site."
    )
    assert page.url in mailoutbox[1].body and "/beheer/" not in mailoutbox[1].body


def test_a_rejection_tells_why_and_links_to_the_site_form_to_revise_and_resubmit(
    author, author_client, editor_client, tree, mailoutbox, django_capture_on_commit_callbacks
):
    propose_new(author_client)
    contribution = _only(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        decide(editor_client, contribution, "reject", comment="Noem een bron voor de cijfers.")
    mailoutbox = [message for message in mailoutbox if message.to == [author.email]]
    assert len(mailoutbox) == 1
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.REJECTED
    assert contribution.reason == "Noem een bron voor de cijfers."
    revise = reverse("community:contribution_revise", args=[contribution.pk])
    assert revise in mailoutbox[0].body and "Noem een bron voor de cijfers." in mailoutbox[0].body
    assert "/beheer/" not in mailoutbox[0].body
    assert Notification.objects.get(recipient=author).url == revise
    mine = author_client.get(reverse("community:my_contributions")).content.decode()
    assert "Afgewezen" in mine and "Noem een bron voor de cijfers." in mine

    form_page = author_client.get(revise, follow=True)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "Waterschappen publiceren steeds meer open data." in html and "Noem een bron voor de cijfers." in html

    page = KnowledgeArticle.objects.get(pk=contribution.page_id)
    data = edit_data_for_own(author_client, page)
    data["blok-1-text"] = "Waterschappen publiceren steeds meer open data (bron: Unie van Waterschappen, 2026)."
    response = propose_edit(author_client, page, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.WAITING and contribution.reason == ""
    assert Contribution.objects.filter(author=author).count() == 1
    assert contribution.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    decide(editor_client, contribution, "approve")
    page.refresh_from_db()
    assert page.live and "Unie van Waterschappen" in Client().get(page.url).content.decode()


def edit_data_for_own(client, page):
    """The form as the site renders it for the member (their own proposal in it), posted back unchanged."""
    from bs4 import BeautifulSoup

    html = client.get(reverse("community:contribution_edit", args=[page.pk])).content.decode()
    form = BeautifulSoup(html, "html.parser").find("form", class_="contribution-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            selected = field.find("option", selected=True) or field.find("option")
            data[name] = selected.get("value", "") if selected else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value"))
        elif field.get("type") == "radio":
            if field.has_attr("checked"):
                data[name] = field.get("value")
        else:
            data[name] = field.get("value", "")
    data["actie"] = "versturen"
    data["edit_summary"] = data.get("edit_summary") or "Bron toegevoegd"
    return data


def test_a_watched_members_edit_waits_and_the_live_article_and_history_stay_as_they_were(
    client, author, author_client, editor_client, tree
):
    page = article(tree["index"], body=[heading("Inleiding", "h1"), paragraph("De Woo geldt voor iedereen.", "p1")])

    def change(content):
        content["body"][1]["value"] = "<p>De Woo geldt voor alle bestuursorganen.</p>"

    response = propose_edit(author_client, page, edit_data(page, change=change, edit_summary="Preciezer"))
    assert response.status_code == 302
    contribution = _only(author=author)
    assert contribution.kind == ContributionKind.EDIT and contribution.state == ContributionState.WAITING
    assert contribution.base_revision_id == page.live_revision_id
    public = client.get(page.url).content.decode()
    assert "alle bestuursorganen" not in public and "De Woo geldt voor iedereen." in public
    assert "Preciezer" not in client.get(f"{page.url}geschiedenis/").content.decode()
    assert "alle bestuursorganen" in author_client.get(contribution.get_absolute_url()).content.decode()

    decide(editor_client, contribution, "approve")
    assert "alle bestuursorganen" in client.get(page.url).content.decode()
    assert "Preciezer" in client.get(f"{page.url}geschiedenis/").content.decode()


def test_trusted_members_edits_publish_at_once_and_stay_unchecked_until_an_editor_checks(
    client, author, author_client, editor_user, tree
):
    page = article(tree["index"])
    member_trust(actor=editor_user, member=author, trusted=True)

    def change(content):
        content["body"][1]["value"] = "<p>De Wet open overheid geldt voor alle bestuursorganen.</p>"

    propose_edit(author_client, page, edit_data(page, change=change))
    contribution = _only(author=author)
    assert contribution.state == ContributionState.PUBLISHED and contribution.checked_at is None
    assert "alle bestuursorganen" in client.get(page.url).content.decode()
    assert selectors.unchecked_revision_ids([contribution.revision_id, page.live_revision_id]) == {
        contribution.revision_id
    }
    with pytest.raises(CommunityError):
        contribution_mark_checked(actor=author, contribution=contribution)
    contribution_mark_checked(actor=editor_user, contribution=contribution)
    assert selectors.unchecked_revision_ids([contribution.revision_id]) == set()


def test_after_the_threshold_of_approvals_a_member_is_trusted(author, author_client, editor_client, tree, settings):
    settings.CONTRIBUTION_TRUST_THRESHOLD = 2
    page = article(tree["index"])
    for number in range(2):
        propose_new(author_client, new_article(title=f"Artikel {number}"))
        decide(editor_client, Contribution.objects.filter(author=author).first(), "approve")

    def change(content):
        content["summary"] = "Nu meteen zichtbaar."

    propose_edit(author_client, page, edit_data(page, change=change))
    assert Contribution.objects.filter(author=author).first().state == ContributionState.PUBLISHED
    # New articles still go through the editors.
    propose_new(author_client, new_article(title="Nog een artikel"))
    assert Contribution.objects.filter(author=author).first().state == ContributionState.WAITING


def test_withdrawing_a_waiting_proposal_cancels_its_workflow(author, author_client, tree):
    propose_new(author_client)
    contribution = _only(author=author)
    response = author_client.post(reverse("community:contribution_withdraw", args=[contribution.pk]))
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.WITHDRAWN
    assert contribution.workflow_state.status == WorkflowState.STATUS_CANCELLED
    assert not Notification.objects.filter(recipient=author).exists()
    again = author_client.post(reverse("community:contribution_withdraw", args=[contribution.pk]), follow=True)
    assert "Alleen een bijdrage die nog wacht" in again.content.decode()


def test_nobody_else_can_withdraw_or_see_a_proposal(author, author_client, tree):
    propose_new(author_client)
    contribution = _only(author=author)
    other = Client()
    other.force_login(member())
    assert other.post(reverse("community:contribution_withdraw", args=[contribution.pk])).status_code == 404
    assert other.get(reverse("community:contribution_detail", args=[contribution.pk])).status_code == 404
    assert other.get(reverse("community:contribution_edit", args=[contribution.page_id])).status_code == 404
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.WAITING


def test_pressing_submit_twice_makes_one_proposal(author, author_client, tree):
    content = new_article()
    first = propose_new(author_client, content, token="een-formulier")
    second = propose_new(author_client, content, token="een-formulier")
    assert first.status_code == second.status_code == 302
    assert Contribution.objects.filter(author=author).count() == 1
    assert KnowledgeArticle.objects.filter(title="Open data bij waterschappen").count() == 1


def test_a_proposal_for_a_deleted_page_fails_with_a_message_and_keeps_the_text(author, author_client, tree):
    page = article(tree["index"])

    def change(content):
        content["body"][1]["value"] = "<p>Mijn zorgvuldig geschreven aanvulling.</p>"

    data = edit_data(page, change=change)
    KnowledgeArticle.objects.get(pk=page.pk).delete()
    response = propose_edit(author_client, page, data)
    html = response.content.decode()
    assert response.status_code == 410
    assert "bestaat niet meer" in html and "Mijn zorgvuldig geschreven aanvulling." in html
    assert not Contribution.objects.exists()


def test_a_proposal_for_a_moved_page_fails_once_with_a_message_and_keeps_the_text(author, author_client, tree):
    page = article(tree["index"])

    def change(content):
        content["body"][1]["value"] = "<p>Mijn aanvulling.</p>"

    data = edit_data(page, change=change)
    page = KnowledgeArticle.objects.get(pk=page.pk)
    page.slug = "nieuwe-plek"
    page.save_revision().publish()
    response = propose_edit(author_client, page, data)
    html = response.content.decode()
    assert response.status_code == 409 and "verplaatst" in html and "Mijn aanvulling." in html
    assert not Contribution.objects.exists()
    assert 'value="/alliantie/kennisbank/nieuwe-plek/"' in html or "nieuwe-plek" in html


def test_huge_input_is_refused_with_a_message(author, author_client, tree):
    content = new_article(text="x" * 20_001)
    response = propose_new(author_client, content)
    assert response.status_code == 400
    assert "hoogstens" in response.content.decode()
    assert not Contribution.objects.exists() and not KnowledgeArticle.objects.exists()


def test_too_many_blocks_in_total_is_refused(author, author_client, tree):
    content = new_article()
    content["body"] = [
        {"type": "paragraph", "value": "<p>" + "woord " * 3000 + "</p>", "id": f"b{n}"} for n in range(15)
    ]
    response = propose_new(author_client, content)
    assert response.status_code == 400 and "te lang" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_member_restricts_a_new_article_to_their_werkgroep(author, author_client, editor_client, tree):
    group = working_group("Archiefwet", members=[author])
    response = author_client.post(
        reverse("community:contribution_new", args=["artikel"]),
        {**_new_form(), "group": str(group.pk)},
    )
    assert response.status_code == 302
    contribution = _only(author=author)
    restriction = PageViewRestriction.objects.get(page_id=contribution.page_id)
    assert group.access_group in restriction.groups.all()
    decide(editor_client, contribution, "approve")
    page = KnowledgeArticle.objects.get(pk=contribution.page_id)
    outsider = Client()
    outsider.force_login(member())
    assert outsider.get(page.url).status_code == 404
    assert author_client.get(page.url).status_code == 200


def test_a_werkgroep_the_member_is_not_in_is_refused(author, author_client, tree):
    group = working_group("Geheim")
    response = author_client.post(
        reverse("community:contribution_new", args=["artikel"]), {**_new_form(), "group": str(group.pk)}
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def _new_form():
    from tests.community.contribution_helpers import form_data

    return form_data(new_article())


def test_visitors_are_sent_to_log_in(client, tree):
    response = client.get(reverse("community:contribution_new", args=["artikel"]))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert client.get(reverse("community:my_contributions")).status_code == 302


def test_an_editor_trusts_and_distrusts_a_member_in_the_admin(author, editor_client):
    profile = Profile.objects.get(user=author)
    trust_url = reverse("community_members:trust", args=[profile.pk])
    assert "Wil je Anouk de Vries vertrouwen?" in editor_client.get(trust_url).content.decode()
    assert editor_client.post(trust_url).status_code == 302
    profile.refresh_from_db()
    assert profile.trusted_at is not None
    listing = editor_client.get(reverse("community_members:index")).content.decode()
    assert reverse("community_members:distrust", args=[profile.pk]) in listing
    editor_client.post(reverse("community_members:distrust", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.trusted_at is None


def test_a_member_cannot_use_the_trust_action(author, author_client):
    profile = Profile.objects.get(user=author)
    response = author_client.post(reverse("community_members:trust", args=[profile.pk]))
    assert response.status_code in (302, 403)
    profile.refresh_from_db()
    assert profile.trusted_at is None


def test_the_redactie_workflow_covers_the_kennisbank_from_the_migrations(tree):
    from website.permissions import EDITOR_GROUPS

    workflow = tree["index"].get_workflow()
    assert workflow is not None and workflow.name == "Redactie"
    [task] = [task.specific for task in workflow.tasks]
    assert sorted(task.groups.values_list("name", flat=True)) == sorted(EDITOR_GROUPS)
    assert article(tree["index"]).get_workflow() == workflow


def test_an_editor_who_publishes_a_waiting_proposal_in_the_admin_approves_it(
    author, author_client, editor_client, tree
):
    from tests.community.test_contributions_conflicts import _admin_form

    page = article(tree["index"], body=[heading("Inleiding", "h1"), paragraph("De Woo geldt voor iedereen.", "p1")])

    def change(content):
        content["body"][1]["value"] = "<p>De Woo geldt voor alle bestuursorganen.</p>"

    propose_edit(author_client, page, edit_data(page, change=change))
    contribution = _only(author=author)
    page = KnowledgeArticle.objects.get(pk=page.pk)
    # The admin opens the latest version (the proposal) and the editor publishes it with a small fix of their own.
    body = [
        ("heading", {"text": "Inleiding", "level": "h2"}, "h1"),
        ("paragraph", rich_text_value("<p>De Woo geldt voor alle bestuursorganen, ook gemeenten.</p>"), "p1"),
    ]
    response = editor_client.post(f"/beheer/pages/{page.pk}/edit/", _admin_form(page, body, "Goedgekeurd"))
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.APPROVED
    assert contribution.workflow_state.status == WorkflowState.STATUS_CANCELLED
    assert Profile.objects.get(user=author).approved_contributions == 1
    assert "goedgekeurd" in Notification.objects.get(recipient=author).message


def rich_text_value(html):
    from wagtail.test.utils.form_data import rich_text

    return rich_text(html)


def test_an_editor_who_stops_the_review_sends_the_proposal_back(author, author_client, editor_user, tree):
    propose_new(author_client)
    contribution = _only(author=author)
    contribution.workflow_state.cancel(user=editor_user)
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.REJECTED
    assert contribution.reason == "De redactie heeft de beoordeling stopgezet."
    assert Notification.objects.get(recipient=author).url.endswith("/herzien/")
    assert not KnowledgeArticle.objects.get(pk=contribution.page_id).live


def test_a_page_the_member_may_not_read_cannot_be_edited(author, author_client, editor_user, tree):
    from community.services.groups import page_restrict_to_group

    page = article(tree["index"])
    group = working_group("Besloten")
    page_restrict_to_group(actor=editor_user, page=page, group=group)
    assert author_client.get(reverse("community:contribution_edit", args=[page.pk])).status_code == 404
    assert propose_edit(author_client, page, edit_data(page)).status_code == 404
    assert not Contribution.objects.exists()
