"""The "Moderatie" menu in the admin: reported content with filters and bulk actions, and the
contributions that wait for an editor ("Te beoordelen")."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from community.models import ModerationStatus, Notification
from community.moderation.models import CaseState, ModerationCase, ReportReason
from community.moderation.services import report_submit
from tests.community.factories import member
from tests.community.moderated_remark import remark_model  # noqa: F401
from tests.factories import article, editor

pytestmark = pytest.mark.django_db

CASES = reverse("moderation_cases:index")
PENDING = reverse("moderation_pending:index")


@pytest.fixture
def redactie():
    return editor("redactie")


@pytest.fixture
def editor_client(client, redactie):
    client.force_login(redactie)
    return client


def _reported(page, *names, reason=ReportReason.SPAM, note=""):
    for name in names:
        report_submit(actor=member(name), target=page, reason=reason, note=note)
    return ModerationCase.objects.get(object_id=page.pk)


@pytest.fixture
def cases(tree):
    writer = member("schrijver", display_name="Sanne Schrijver")
    hidden = article(tree["index"], title="Drie keer gemeld", author=writer)
    single = article(tree["index"], title="Eén keer gemeld", author=writer)
    return {
        "hidden": _reported(hidden, "een", "twee", "drie", reason=ReportReason.OFFENSIVE, note="Grof taalgebruik"),
        "open": _reported(single, "vier", reason=ReportReason.MISLEADING),
    }


def bulk_url(action, *cases):
    url = reverse("wagtail_bulk_action", args=("community", "moderationcase", action))
    ids = "&".join(f"id={case.pk}" for case in cases)
    return f"{url}?{ids}&next={CASES}"


def _order(html, *labels):
    return sorted(labels, key=html.index)


# --- listing ---------------------------------------------------------------------------------------


def test_the_queue_lists_targets_with_reasons_reporters_and_state(editor_client, cases):
    html = editor_client.get(CASES).content.decode()
    assert _order(html, "Drie keer gemeld", "Eén keer gemeld") == ["Drie keer gemeld", "Eén keer gemeld"]
    assert "Beledigend, discriminerend of intimiderend (3)" in html
    assert "Onjuist of misleidend (1)" in html
    assert "Verborgen" in html and "Open" in html
    assert reverse("wagtailadmin_pages:edit", args=(cases["hidden"].object_id,)) in html
    assert "data-bulk-action-checkbox" in html
    assert bulk_url("hide").split("?")[0] in html


def test_the_menu_counts_what_waits_for_an_editor(editor_client, cases):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Moderatie" in html
    assert "Gemelde inhoud (2)" in html  # one open, one hidden automatically


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"state": CaseState.HIDDEN}, {"Drie keer gemeld"}),
        ({"state": CaseState.OPEN}, {"Eén keer gemeld"}),
        ({"state": CaseState.DISMISSED}, set()),
        ({"to_decide": "true"}, {"Drie keer gemeld", "Eén keer gemeld"}),
        ({"last_reported_at_from": "2000-01-01"}, {"Drie keer gemeld", "Eén keer gemeld"}),
        ({"last_reported_at_to": "2000-01-01"}, set()),
        ({"q": "Eén"}, {"Eén keer gemeld"}),
    ],
)
def test_filters(editor_client, cases, query, shown):
    html = editor_client.get(CASES, query).content.decode()
    assert {label for label in ("Drie keer gemeld", "Eén keer gemeld") if label in html} == shown


def test_filter_by_content_type(editor_client, cases, tree):
    content_type = cases["open"].content_type
    html = editor_client.get(CASES, {"content_type": content_type.pk}).content.decode()
    assert "Drie keer gemeld" in html and "Eén keer gemeld" in html
    html = editor_client.get(CASES, {"content_type": content_type.pk + 10000}).content.decode()
    assert "Eén keer gemeld" not in html.split("listing", 1)[-1] or "Selecteer een geldige keuze" in html


def _listing_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CASES).status_code == 200
    return len(queries)


def test_the_listing_runs_the_same_queries_for_2_or_6_cases(editor_client, cases, tree):
    editor_client.get(CASES)
    few = _listing_queries(editor_client)
    for n in range(4):
        _reported(article(tree["index"], title=f"Nog een melding {n}"), f"extra{n}", f"ander{n}")
    assert ModerationCase.objects.count() == 6
    assert _listing_queries(editor_client) == few


def test_the_case_page_shows_each_report_and_the_decisions(editor_client, cases):
    html = editor_client.get(reverse("moderation_cases:inspect", args=(cases["hidden"].pk,))).content.decode()
    assert html.count("Grof taalgebruik") == 3
    assert "Sanne Schrijver" in html
    assert bulk_url("restore", cases["hidden"]).replace("&", "&amp;") in html


# --- bulk actions ------------------------------------------------------------------------------------


def test_bulk_hide_asks_first_then_hides_every_selected_page(editor_client, cases):
    url = bulk_url("hide", cases["open"], cases["hidden"])
    confirmation = editor_client.get(url).content.decode()
    assert "Wil je deze inhoud verbergen?" in confirmation
    assert "Eén keer gemeld" in confirmation and "Drie keer gemeld" in confirmation
    assert ModerationCase.objects.get(pk=cases["open"].pk).state == CaseState.OPEN

    response = editor_client.post(url)
    assert response.status_code == 302 and response["Location"] == CASES
    for case in cases.values():
        case.refresh_from_db()
        assert case.state == CaseState.HIDDEN and not case.hidden_automatically
    assert PageViewRestriction.objects.filter(page_id=cases["open"].object_id).count() == 1
    assert "2 items zijn verborgen." in editor_client.get(CASES).content.decode()
    history = editor_client.get(reverse("moderation_cases:history", args=(cases["hidden"].pk,))).content.decode()
    assert "Verborgen na meldingen van leden" in history and "Verborgen door de redactie" in history


def test_bulk_restore_and_dismiss(editor_client, cases):
    editor_client.post(bulk_url("restore", cases["hidden"]))
    editor_client.post(bulk_url("dismiss", cases["open"]))
    hidden, open_ = (ModerationCase.objects.get(pk=case.pk) for case in (cases["hidden"], cases["open"]))
    assert hidden.state == CaseState.RESTORED and open_.state == CaseState.DISMISSED
    assert not PageViewRestriction.objects.filter(page_id=hidden.object_id).exists()
    assert "Gemelde inhoud (" not in editor_client.get(CASES).content.decode()


def test_an_action_that_does_not_apply_says_why_and_changes_nothing(editor_client, cases):
    editor_client.post(bulk_url("restore", cases["open"]))
    html = editor_client.get(CASES).content.decode()
    assert "“Eén keer gemeld” is niet verborgen." in html
    assert ModerationCase.objects.get(pk=cases["open"].pk).state == CaseState.OPEN


def test_bulk_block_author_blocks_each_author_once(editor_client, cases):
    editor_client.post(bulk_url("block-author", *cases.values()))
    writer = cases["open"].author
    writer.refresh_from_db()
    assert not writer.is_active and writer.profile.blocked_at
    html = editor_client.get(CASES).content.decode()
    assert "1 auteur is geblokkeerd." in html
    assert "al geblokkeerd" not in html


def test_members_are_refused_the_queue_and_its_actions(client, cases):
    client.force_login(member("nieuwsgierig"))
    for url in (CASES, reverse("moderation_cases:inspect", args=(cases["open"].pk,)), bulk_url("hide", cases["open"])):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Eén keer gemeld" not in response.content.decode()
    client.post(bulk_url("hide", cases["open"]))
    client.post(bulk_url("block-author", cases["open"]))
    assert ModerationCase.objects.get(pk=cases["open"].pk).state == CaseState.OPEN
    assert cases["open"].author.is_active


def test_both_editor_groups_may_see_and_decide():
    for name in ("Editors", "Moderators"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_moderationcase", "change_moderationcase"} <= codenames
        assert "delete_moderationcase" not in codenames


def test_nothing_is_added_edited_or_deleted_by_hand(editor_client, cases):
    from django.urls import NoReverseMatch

    for view in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"moderation_cases:{view}", args=() if view == "add" else (cases["open"].pk,))


# --- Te beoordelen -------------------------------------------------------------------------------------


@pytest.fixture
def waiting(remark_model):  # noqa: F811
    writer = member("nieuweling", display_name="Nina Nieuweling")
    return [
        remark_model.objects.create(author=writer, body=f"Wachtende opmerking {n}", status=ModerationStatus.PENDING)
        for n in range(2)
    ] + [remark_model.objects.create(author=writer, body="Al gepubliceerd", status=ModerationStatus.PUBLISHED)]


def _action(name, item):
    return reverse(f"moderation_pending:{name}", args=(item._meta.label_lower, item.pk))


def test_waiting_items_of_registered_models_are_listed(editor_client, waiting):
    html = editor_client.get(PENDING).content.decode()
    assert "Opmerking: Wachtende opmerking 0" in html and "Opmerking: Wachtende opmerking 1" in html
    assert "Al gepubliceerd" not in html
    assert "Wachtende opmerking 0</span>" in html  # the text itself, beside the label
    assert "Nina Nieuweling" in html
    assert "Te beoordelen (2)" in html


def test_approve_publishes_and_tells_the_author(editor_client, waiting):
    item = waiting[0]
    response = editor_client.post(_action("approve", item))
    assert response.status_code == 302 and response["Location"] == PENDING
    item.refresh_from_db()
    assert item.status == ModerationStatus.PUBLISHED
    assert item.author.profile.__class__.objects.get(user=item.author).approved_contributions == 1
    assert Notification.objects.filter(recipient=item.author, message__contains="goedgekeurd").exists()
    assert editor_client.post(_action("approve", item)).status_code == 404  # decided already


def test_reject_needs_a_reason(editor_client, waiting):
    item = waiting[1]
    form = editor_client.get(_action("reject", item))
    assert "Waarom wijs je de bijdrage af?" in form.content.decode()
    refused = editor_client.post(_action("reject", item), {"reason": "  "})
    assert "Schrijf de auteur waarom de bijdrage is afgewezen." in refused.content.decode()
    item.refresh_from_db()
    assert item.status == ModerationStatus.PENDING

    editor_client.post(_action("reject", item), {"reason": "Dit hoort bij een andere vraag."})
    item.refresh_from_db()
    assert item.status == ModerationStatus.REJECTED and item.decision_reason == "Dit hoort bij een andere vraag."
    assert Notification.objects.filter(recipient=item.author, message__contains="afgewezen").exists()


def test_unknown_models_and_items_are_404(editor_client, waiting):
    assert editor_client.post(reverse("moderation_pending:approve", args=("auth.user", 1))).status_code == 404
    assert editor_client.post(_action("approve", waiting[2])).status_code == 404  # published, not waiting


def test_members_are_refused_te_beoordelen(client, waiting):
    client.force_login(member("nieuwsgierig"))
    assert client.get(PENDING).status_code in (302, 403)
    client.post(_action("approve", waiting[0]))
    client.post(_action("reject", waiting[0]), {"reason": "nee"})
    waiting[0].refresh_from_db()
    assert waiting[0].status == ModerationStatus.PENDING
