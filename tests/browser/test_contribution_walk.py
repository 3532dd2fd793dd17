"""A member proposes an edit on the site, an editor approves it in the Wagtail admin's workflow, and the member
sees it published and is told; axe-core on every member-facing page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

from community.contributions.models import Contribution, ContributionState
from tests.community.factories import member
from tests.factories import article, editor, heading, paragraph

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord"


@pytest.fixture
def woo_article(tree):
    return article(
        tree["index"],
        title="Een Woo-verzoek afhandelen",
        body=[heading("Ontvangst", "b1"), paragraph("Bevestig de ontvangst binnen een week.", "b2")],
    )


@pytest.fixture
def sanne(db):
    user = member(username="sanne", display_name="Sanne de Boer")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def redacteur(db, tree):
    """An editor as the migrations make one: the editors' group may edit and publish the whole tree."""
    user = editor("redacteur")
    group = Group.objects.get(name="Moderators")
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    return user


def _log_in(page, live_server, user):
    page.goto(live_server.url + "/inloggen/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/inloggen/'] button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")


def test_member_proposes_an_edit_an_editor_approves_it_and_the_member_sees_it_published(
    live_server, browser, page, axe_check, woo_article, sanne, redacteur
):
    _log_in(page, live_server, sanne)
    page.goto(f"{live_server.url}/bijdragen/bewerken/{woo_article.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "“Een Woo-verzoek afhandelen” bewerken"
    axe_check(page)

    page.get_by_role("group", name="Blok 2: Alinea").get_by_label("Tekst").fill(
        "Bevestig de ontvangst binnen **drie werkdagen**."
    )
    page.get_by_label("Wat heb je veranderd en waarom?").fill("Termijn aangescherpt")
    page.get_by_role("button", name="Voorbeeld bekijken", exact=True).last.click()
    preview = page.get_by_role("region", name="Voorbeeld: zo komt het eruit te zien")
    assert preview.locator("b", has_text="drie werkdagen").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Blok toevoegen").click()
    assert page.get_by_role("group", name="Blok 3: Alinea").is_visible()
    page.get_by_role("group", name="Blok 3: Alinea").get_by_role("button", name=re.compile("Weghalen")).click()
    assert page.get_by_role("group", name="Blok 3: Alinea").count() == 0

    page.get_by_role("button", name="Voorstel versturen").click()
    page.wait_for_url("**/mijn-bijdragen/*/")
    assert page.get_by_text("De redactie bekijkt je voorstel").is_visible()
    assert page.get_by_text("Wacht op de redactie").first.is_visible()
    axe_check(page)

    page.get_by_role("link", name="Terug naar Mijn bijdragen").click()
    page.wait_for_url("**/mijn-bijdragen/")
    assert page.get_by_role("link", name="Een Woo-verzoek afhandelen", exact=True).is_visible()
    axe_check(page)

    # The editor approves in the admin's dashboard, in the "Redactie" workflow.
    admin_context = browser.new_context(locale="nl-NL")
    admin = admin_context.new_page()
    admin.goto(live_server.url + "/beheer/login/")
    admin.locator("input[name=username]").fill("redacteur")
    admin.locator("input[name=password]").fill(PASSWORD)
    admin.locator("form button[type=submit]").first.click()
    admin.wait_for_url(live_server.url + "/beheer/")
    panel = admin.locator("#awaiting-review-section")
    assert panel.get_by_text("Een Woo-verzoek afhandelen").first.is_visible()
    panel.get_by_role("button", name="Acties").click()
    panel.get_by_role("button", name="Goedkeuren", exact=True).click()
    admin.wait_for_load_state("networkidle")
    admin_context.close()

    contribution = Contribution.objects.get(author=sanne)
    for _ in range(50):
        contribution.refresh_from_db()
        if contribution.state != ContributionState.WAITING:
            break
        page.wait_for_timeout(100)
    assert contribution.state == ContributionState.APPROVED

    page.goto(live_server.url + "/meldingen/")
    assert page.get_by_text("Nieuw").first.is_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("is goedgekeurd en staat nu op de site")).click()
    page.wait_for_load_state()
    assert page.locator("b", has_text="drie werkdagen").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Een Woo-verzoek afhandelen"


def test_the_new_article_form_and_its_errors_pass_accessibility_checks(live_server, page, axe_check, tree, sanne):
    _log_in(page, live_server, sanne)
    page.goto(live_server.url + "/bijdragen/nieuw/artikel/")
    assert page.get_by_role("heading", level=1).inner_text() == "Schrijf een nieuw artikel"
    axe_check(page)
    page.get_by_role("button", name="Voorstel versturen").click()
    assert page.get_by_role("alert").is_visible()
    axe_check(page)
    page.goto(live_server.url + "/meldingen/")
    axe_check(page)
