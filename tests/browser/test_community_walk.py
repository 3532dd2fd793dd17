import re

import pytest
from django.core import mail

from tests.community.factories import member, working_group
from tests.factories import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_group(tree):
    ThemeFactory(name="Participatie", slug="participatie")
    coordinator = member(username="coordinator", display_name="Fatima El Amrani", visibility="public")
    return working_group("Burgerpanels", coordinator=coordinator, visibility="public", join_policy="open")


def test_newcomer_signs_up_verifies_edits_profile_and_joins_a_group(live_server, page, axe_check, open_group):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Aanmelden").first.click()
    page.wait_for_url("**/aanmelden/")
    axe_check(page)

    page.get_by_label("Je naam").fill("Sanne de Boer")
    page.locator("input[name=email]").fill("sanne@example.org")
    page.locator("input[name=password1]").fill("open-overheid-2026")
    page.locator("input[name=password2]").fill("open-overheid-2026")
    page.locator("input[name=organisation]").fill("Gemeente Zuidhaven")
    page.locator("select[name=organisation_type]").select_option("gemeente")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/controleer-je-e-mail/")
    axe_check(page)

    message = next(m for m in mail.outbox if "sanne@example.org" in m.to)
    link = re.search(r"https?://\S+/aanmelden/bevestigen/\S+/", message.body).group(0)
    page.goto(live_server.url + link[link.index("/aanmelden/") :])
    axe_check(page)
    if page.get_by_role("button", name=re.compile("Bevestig", re.I)).count():
        page.get_by_role("button", name=re.compile("Bevestig", re.I)).click()

    page.goto(live_server.url + "/mijn-profiel/")
    assert page.get_by_role("heading", level=1).count() == 1
    axe_check(page)
    page.get_by_label("Functie of rol").fill("Adviseur participatie")
    page.get_by_role("button", name="Profiel opslaan").click()
    assert page.get_by_text("Je profiel is opgeslagen.").is_visible()

    page.goto(live_server.url + "/werkgroepen/")
    axe_check(page)
    page.get_by_role("link", name="Burgerpanels").first.click()
    axe_check(page)
    page.get_by_role("button", name="Doe mee").click()
    assert page.get_by_role("button", name="Verlaat deze werkgroep").is_visible()
    assert open_group.memberships.filter(user__email="sanne@example.org").exists()
    axe_check(page)


def test_directory_and_member_page_pass_accessibility_checks(live_server, page, axe_check, open_group):
    page.goto(live_server.url + "/leden/")
    axe_check(page)
    page.get_by_role("link", name="Fatima El Amrani").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fatima El Amrani"
    axe_check(page)
