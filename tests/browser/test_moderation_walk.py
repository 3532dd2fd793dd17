"""Recent changes and reporting, as a visitor and a member see them, with axe-core on each page."""

import pytest
from allauth.account.models import EmailAddress

from community.moderation.models import Report
from tests.community.factories import member
from tests.factories import ThemeFactory, UserFactory, article, heading, paragraph, publish_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord"


@pytest.fixture
def changed_article(tree):
    theme = ThemeFactory(name="Open data", slug="open-data")
    writer = UserFactory(username="anouk", first_name="Anouk", last_name="de Vries")
    page = article(
        tree["index"],
        title="Datasets openbaar maken",
        author=writer,
        themes=[theme],
        body=[heading("Begin klein", "b1"), paragraph("Kies eerst drie datasets.", "b2")],
    )
    publish_edit(
        page,
        author=writer,
        edit_summary="Voorbeeld toegevoegd",
        body=[heading("Begin klein", "b1"), paragraph("Kies eerst drie datasets, zoals de afvalkalender.", "b2")],
    )
    return page


def test_visitor_follows_recent_changes_to_a_difference(live_server, page, axe_check, changed_article):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Recente wijzigingen").click()
    page.wait_for_url("**/recente-wijzigingen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Recente wijzigingen"
    assert page.get_by_text("Voorbeeld toegevoegd").is_visible()
    axe_check(page)

    page.get_by_label("Thema").select_option("open-data")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**thema=open-data**")
    assert page.get_by_text("Voorbeeld toegevoegd").is_visible()
    axe_check(page)

    page.get_by_role("link", name="Bekijk het verschil in “Datasets openbaar maken”").click()
    page.wait_for_url("**/verschil/**")
    assert page.locator("ins").first.is_visible()
    axe_check(page)


def test_member_reports_an_article_and_sees_the_confirmation(live_server, page, axe_check, changed_article):
    reporter = member(username="sanne", display_name="Sanne de Boer")
    EmailAddress.objects.create(user=reporter, email=reporter.email, verified=True, primary=True)
    page.goto(live_server.url + "/inloggen/")
    page.locator("input[name=login]").fill(reporter.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/inloggen/'] button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + changed_article.url)
    page.get_by_role("link", name="Melden").click()
    page.wait_for_url("**/melden/**")
    axe_check(page)

    page.get_by_role("button", name="Verstuur melding").click()
    assert page.get_by_text("Kies een reden voor je melding.").first.is_visible()
    axe_check(page)
    assert not Report.objects.exists()

    page.get_by_label("Onjuist of misleidend").check()
    page.get_by_label("Toelichting").fill("De afvalkalender is geen dataset van deze gemeente.")
    page.get_by_role("button", name="Verstuur melding").click()
    page.wait_for_load_state()
    assert Report.objects.filter(case__state="open").count() == 1
    axe_check(page)
