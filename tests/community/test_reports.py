"""Members report content; three distinct members hide it until an editor decides.

Covers the report form on the site (members only, Dutch errors, a clear confirmation, the rate
limit), deduplication, the threshold (also under concurrency), and every decision an editor takes:
hide, restore, dismiss, block the author, on pages and on moderated items alike.
"""

import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections
from django.shortcuts import resolve_url
from django.urls import reverse
from wagtail.models import PageViewRestriction

from community.models import ModerationStatus, Notification
from community.moderation.models import CaseState, ModerationCase, Report, ReportReason
from community.moderation.services import (
    author_block,
    case_block_author,
    case_dismiss,
    case_hide,
    case_restore,
    cases_to_decide,
    report_submit,
    target_hide,
    target_restore,
)
from community.services import CommunityError
from knowledge.models import KnowledgeArticle
from tests.community.factories import member
from tests.community.moderated_remark import remark_model  # noqa: F401
from tests.factories import article, editor, site_tree
from website.permissions import EDITOR_GROUPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return member("schrijver", display_name="Sanne Schrijver")


@pytest.fixture
def page(tree, author):
    return article(tree["index"], title="Een artikel om te melden", author=author)


@pytest.fixture
def redactie():
    return editor("redactie")


def report_url(target):
    content_type = ContentType.objects.get_for_model(type(target))
    return reverse("community:report", kwargs={"content_type_id": content_type.pk, "object_id": target.pk})


def _report(target, username, reason=ReportReason.SPAM, note=""):
    return report_submit(actor=member(username), target=target, reason=reason, note=note)


def _hide_restrictions(page):
    return PageViewRestriction.objects.filter(page=page, groups__name__in=EDITOR_GROUPS).distinct()


# --- the form on the site -------------------------------------------------------------------------


def test_member_reports_an_article_from_its_page(client, page):
    client.force_login(member("melder"))
    html = client.get(page.url).content.decode()
    assert f'href="{report_url(page)}"' in html and "Melden" in html

    form = client.get(report_url(page))
    assert form.status_code == 200
    assert "Een artikel om te melden" in form.content.decode()
    assert "Beledigend, discriminerend of intimiderend" in form.content.decode()

    response = client.post(report_url(page), {"reason": "offensive", "note": "Scheldwoorden in de tweede alinea."})
    assert response.status_code == 302 and response["Location"] == report_url(page)
    after = client.get(response["Location"]).content.decode()
    assert "Bedankt. Je melding is ontvangen; de redactie bekijkt haar." in after
    assert "Je hebt dit op" in after and "<form" not in after.split("<main", 1)[-1].split("</main>")[0]

    report = Report.objects.get()
    assert (report.reason, report.note, report.case.object_id) == (
        "offensive",
        "Scheldwoorden in de tweede alinea.",
        page.pk,
    )
    assert report.case.state == CaseState.OPEN and report.case.reporter_count == 1
    assert report.case.author.username == "schrijver"


def test_visitors_see_no_button_and_are_sent_to_log_in(client, page):
    assert report_url(page) not in client.get(page.url).content.decode()
    for response in (client.get(report_url(page)), client.post(report_url(page), {"reason": "spam"})):
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert not Report.objects.exists() and not ModerationCase.objects.exists()


def test_the_author_cannot_report_their_own_article(client, page, author):
    client.force_login(author)
    response = client.post(report_url(page), {"reason": "spam"})
    assert response.status_code == 200
    assert "Je kunt je eigen bijdrage niet melden." in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies een reden voor je melding."),
        ({"reason": "nonsense"}, "Selecteer een geldige keuze"),
        ({"reason": "other"}, "Schrijf kort wat er mis is als je ‘Iets anders’ kiest."),
        ({"reason": "other", "note": "   "}, "Schrijf kort wat er mis is als je ‘Iets anders’ kiest."),
        ({"reason": "spam", "note": "x" * 1001}, "Je toelichting is te lang: gebruik hoogstens 1000 tekens."),
    ],
    ids=["no-reason", "unknown-reason", "other-without-note", "other-blank-note", "note-too-long"],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_saved(client, page, data, message):
    client.force_login(member("melder"))
    response = client.post(report_url(page), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert not Report.objects.exists() and not ModerationCase.objects.exists()


def test_reporting_twice_counts_once(client, page):
    reporter = member("melder")
    first, created = report_submit(actor=reporter, target=page, reason=ReportReason.SPAM)
    assert created
    again, created = report_submit(actor=reporter, target=page, reason=ReportReason.OFFENSIVE, note="Nog eens")
    assert not created and again == first
    client.force_login(reporter)
    response = client.post(report_url(page), {"reason": "misleading"})
    assert response.status_code == 200
    assert "Je hebt dit op" in response.content.decode()
    case = ModerationCase.objects.get()
    assert case.reporter_count == 1 and case.reports.count() == 1
    assert Report.objects.get().reason == ReportReason.SPAM


@pytest.mark.parametrize("what", ["unknown-type", "unknown-object", "home-page", "index-page", "a-user"])
def test_what_does_not_exist_or_cannot_be_reported_is_a_404(client, tree, page, what):
    client.force_login(member("melder"))
    page_type = ContentType.objects.get_for_model(type(page)).pk
    user_type = ContentType.objects.get_for_model(type(page.owner)).pk
    urls = {
        "unknown-type": reverse("community:report", args=(999999, page.pk)),
        "unknown-object": reverse("community:report", args=(page_type, 999999)),
        "home-page": report_url(tree["home"]),
        "index-page": report_url(tree["index"]),
        "a-user": reverse("community:report", args=(user_type, page.owner.pk)),
    }
    assert client.get(urls[what]).status_code == 404
    assert client.post(urls[what], {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_content_the_member_may_not_read_cannot_be_reported(client, page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    outsider_group = Group.objects.create(name="Werkgroep: elders")
    restriction = PageViewRestriction.objects.get(page=page)
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    restriction.groups.set([outsider_group])
    client.force_login(member("melder"))
    assert client.get(report_url(page)).status_code == 404
    with pytest.raises(CommunityError):
        _report(page, "ander-lid")
    assert not Report.objects.exists()


def test_reports_are_rate_limited_with_a_dutch_message(client, tree, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "report_content": "2/h/user"}
    pages = [article(tree["index"], title=f"Artikel {n}") for n in range(3)]
    client.force_login(member("ijverig"))
    for page in pages[:2]:
        assert client.post(report_url(page), {"reason": "spam"}).status_code == 302
    response = client.post(report_url(pages[2]), {"reason": "spam"})
    assert response.status_code == 200
    assert "Je hebt kort na elkaar te veel meldingen gedaan. Probeer het over" in response.content.decode()
    assert Report.objects.count() == 2


# --- the threshold --------------------------------------------------------------------------------


def test_three_distinct_members_hide_a_page_until_an_editor_decides(
    page, author, redactie, mailoutbox, django_capture_on_commit_callbacks
):
    _report(page, "een")
    _report(page, "twee", reason=ReportReason.OFFENSIVE)
    report_submit(actor=member("twee"), target=page, reason=ReportReason.SPAM)  # the same member again
    case = ModerationCase.objects.get()
    assert case.state == CaseState.OPEN and case.reporter_count == 2
    assert not _hide_restrictions(page).exists()

    with django_capture_on_commit_callbacks(execute=True):
        _report(page, "drie")
    case.refresh_from_db()
    assert case.state == CaseState.HIDDEN and case.hidden_automatically and case.reporter_count == 3
    restriction = _hide_restrictions(page).get()
    assert case.restriction == restriction
    assert set(restriction.groups.values_list("name", flat=True)) == set(EDITOR_GROUPS)
    assert case in cases_to_decide()

    told_author = Notification.objects.get(recipient=author)
    assert "is verborgen na meldingen van leden" in told_author.message
    assert Notification.objects.filter(recipient=redactie, message__contains="automatisch verborgen").exists()
    assert {tuple(mail.to) for mail in mailoutbox} >= {(author.email,), (redactie.email,)}


def test_the_threshold_is_a_setting(page, settings):
    settings.REPORT_HIDE_THRESHOLD = 1
    _report(page, "een")
    assert ModerationCase.objects.get().state == CaseState.HIDDEN


def _at_once(calls):
    """Run the calls in threads that start together; returns the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_count_exactly_and_hide_once():
    _home, index = site_tree()
    page = article(index, title="Druk gemeld artikel")
    editor("redactie")
    reporters = [member(f"tegelijk{n}") for n in range(3)]
    errors = _at_once([lambda user=user: _report_as(user, page) for user in reporters])
    assert errors == []
    case = ModerationCase.objects.get()
    assert case.reporter_count == 3 == case.reports.count()
    assert case.state == CaseState.HIDDEN
    assert _hide_restrictions(page).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_reports_once():
    _home, index = site_tree()
    page = article(index, title="Dubbel geklikt")
    reporter = member("dubbelklikker")
    assert _at_once([lambda: _report_as(reporter, page)] * 4) == []
    case = ModerationCase.objects.get()
    assert case.reporter_count == 1 == case.reports.count() and case.state == CaseState.OPEN


def _report_as(user, page):
    report_submit(actor=user, target=page, reason=ReportReason.SPAM)


# --- editors decide -------------------------------------------------------------------------------


def _hidden_case(page):
    for name in ("een", "twee", "drie"):
        _report(page, name)
    return ModerationCase.objects.get()


def test_restore_removes_exactly_the_hiding_restriction(page, redactie, author):
    own = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    case = _hidden_case(page)
    assert PageViewRestriction.objects.filter(page=page).count() == 2

    target_restore(actor=redactie, target=page)
    case.refresh_from_db()
    assert case.state == CaseState.RESTORED and case.decided_by == redactie and case.decided_at
    assert list(PageViewRestriction.objects.filter(page=page)) == [own]
    assert case not in cases_to_decide()
    assert Notification.objects.filter(recipient=author, message__contains="weer zichtbaar").exists()


def test_an_editor_confirms_an_automatic_hide(page, redactie):
    case = _hidden_case(page)
    case_hide(actor=redactie, case=case)
    case.refresh_from_db()
    assert case.state == CaseState.HIDDEN and not case.hidden_automatically and case.decided_by == redactie
    assert _hide_restrictions(page).count() == 1
    assert case not in cases_to_decide()
    with pytest.raises(CommunityError, match="is al verborgen"):
        case_hide(actor=redactie, case=case)


def test_an_editor_hides_content_nobody_reported(page, redactie, author):
    case = target_hide(actor=redactie, target=page)
    assert case.state == CaseState.HIDDEN and case.reporter_count == 0 and not case.hidden_automatically
    assert _hide_restrictions(page).count() == 1
    assert Notification.objects.filter(recipient=author, message__contains="De redactie heeft je bijdrage").exists()


def test_dismiss_closes_an_open_case_and_brings_hidden_content_back(page, tree, redactie):
    _report(page, "een")
    case = ModerationCase.objects.get()
    case_dismiss(actor=redactie, case=case)
    case.refresh_from_db()
    assert case.state == CaseState.DISMISSED and case not in cases_to_decide()
    with pytest.raises(CommunityError, match="al beslist"):
        case_dismiss(actor=redactie, case=case)

    other = article(tree["index"], title="Ander artikel")
    for name in ("vier", "vijf", "zes"):
        _report(other, name)
    hidden = ModerationCase.objects.get(object_id=other.pk)
    assert hidden.state == CaseState.HIDDEN
    case_dismiss(actor=redactie, case=hidden)
    hidden.refresh_from_db()
    assert hidden.state == CaseState.DISMISSED and not _hide_restrictions(other).exists()


def test_new_reports_after_a_decision_reopen_and_count_from_the_decision(page, redactie):
    case = _hidden_case(page)
    case_dismiss(actor=redactie, case=case)
    _report(page, "vier")
    case.refresh_from_db()
    assert case.state == CaseState.OPEN and case.reporter_count == 4
    _report(page, "vijf")
    assert ModerationCase.objects.get().state == CaseState.OPEN
    _report(page, "zes")
    assert ModerationCase.objects.get().state == CaseState.HIDDEN


def test_block_author_uses_the_member_block(page, author, redactie):
    case = _hidden_case(page)
    assert case_block_author(actor=redactie, case=case) == author
    author.refresh_from_db()
    assert not author.is_active and author.profile.blocked_at
    with pytest.raises(CommunityError, match="al geblokkeerd"):
        author_block(actor=redactie, target=KnowledgeArticle.objects.get(pk=page.pk))


def test_only_editors_decide(page, author):
    case = _hidden_case(page)
    outsider = member("gewoon-lid")
    for decide in (case_hide, case_dismiss, case_block_author):
        with pytest.raises(CommunityError, match="Alleen de redactie"):
            decide(actor=outsider, case=case)
    with pytest.raises(CommunityError, match="Alleen de redactie"):
        target_restore(actor=outsider, target=page)
    with pytest.raises(CommunityError, match="Alleen de redactie"):
        author_block(actor=outsider, target=page)
    case.refresh_from_db()
    author.refresh_from_db()
    assert case.state == CaseState.HIDDEN and author.is_active


# --- moderated items (answers, comments, reactions) -----------------------------------------------


def test_items_are_hidden_and_restored_through_their_status(client, remark_model, redactie):  # noqa: F811
    writer = member("schrijver")
    remark = remark_model.objects.create(author=writer, body="Een scherpe opmerking", status=ModerationStatus.PUBLISHED)
    client.force_login(member("melder"))
    response = client.post(report_url(remark), {"reason": "offensive"})
    assert response.status_code == 302
    for name in ("twee", "drie"):
        _report(remark, name, reason=ReportReason.OFFENSIVE)
    remark.refresh_from_db()
    assert remark.status == ModerationStatus.HIDDEN
    assert not remark_model.objects.visible_to(member("lezer")).filter(pk=remark.pk).exists()
    case = ModerationCase.objects.get()
    assert case.target_label == "Opmerking: Een scherpe opmerking" and case.author == writer
    assert case.restriction is None

    target_restore(actor=redactie, target=remark)
    remark.refresh_from_db()
    assert remark.status == ModerationStatus.PUBLISHED


def test_items_that_wait_or_were_withdrawn_cannot_be_reported_by_others(remark_model):  # noqa: F811
    writer = member("schrijver")
    for status in (ModerationStatus.PENDING, ModerationStatus.WITHDRAWN, ModerationStatus.REJECTED):
        remark = remark_model.objects.create(author=writer, body="Nog niet zichtbaar", status=status)
        with pytest.raises(CommunityError, match="bestaat niet"):
            _report(remark, "melder")
    assert not Report.objects.exists()


def test_an_item_on_a_page_the_member_may_not_read_cannot_be_reported(client, remark_model, page):  # noqa: F811
    remark = remark_model.objects.create(
        author=member("schrijver2"), body="Binnen de werkgroep", status=ModerationStatus.PUBLISHED, page=page
    )
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.create(name="Werkgroep: besloten")])
    client.force_login(member("buitenstaander"))
    response = client.get(report_url(remark))
    assert response.status_code == 404
    assert "Binnen de werkgroep" not in response.content.decode()
    with pytest.raises(CommunityError, match="bestaat niet"):
        _report(remark, "ander-lid")
    assert not Report.objects.exists()


def test_a_members_reports_are_in_the_download_of_their_data(page):
    from community.services.privacy import personal_data_export

    reporter = member("melder")
    report_submit(actor=reporter, target=page, reason=ReportReason.PERSONAL_DATA, note="Een telefoonnummer")
    data = personal_data_export(actor=reporter, user=reporter)
    [entry] = data["gemelde_inhoud"]
    assert entry["inhoud"] == "Een artikel om te melden"
    assert entry["reden"] == "Bevat persoonsgegevens die er niet horen" and entry["toelichting"] == "Een telefoonnummer"


def test_restricting_a_hidden_page_to_a_werkgroep_keeps_it_hidden(page, redactie):
    from community.moderation.services import page_own_restrictions

    own = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    case = target_hide(actor=redactie, target=page)
    assert list(page_own_restrictions(page)) == [own]
    page_own_restrictions(page).delete()
    assert list(PageViewRestriction.objects.filter(page=page)) == [case.restriction]


def test_the_member_whose_report_hides_the_page_still_gets_the_confirmation(client, page):
    _report(page, "een")
    _report(page, "twee")
    client.force_login(member("drie"))
    response = client.post(report_url(page), {"reason": "spam"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bedankt. Je melding is ontvangen; de redactie bekijkt haar." in html
    assert "Je hebt dit op" in html and "Een artikel om te melden" in html
    assert ModerationCase.objects.get().state == CaseState.HIDDEN
    assert client.get(page.url).status_code == 404


def test_a_case_outlives_its_deleted_target(page, redactie):
    case = _hidden_case(page)
    KnowledgeArticle.objects.get(pk=page.pk).delete()
    case.refresh_from_db()
    assert case.target is None and case.restriction is None and case.target_label == "Een artikel om te melden"
    with pytest.raises(CommunityError, match="bestaat niet meer"):
        case_restore(actor=redactie, case=case)
    case_dismiss(actor=redactie, case=case)
    case.refresh_from_db()
    assert case.state == CaseState.DISMISSED
