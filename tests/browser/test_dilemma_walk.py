"""A member opens a dilemma, chooses what they would do, and reads how others chose; axe-core on every page."""

import pytest
from allauth.account.models import EmailAddress

from knowledge.dilemmas import services
from tests.community.factories import member
from tests.factories import ThemeFactory, dilemma, dilemma_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord"


@pytest.fixture
def case(tree):
    index = dilemma_index(tree["home"])
    theme = ThemeFactory(name="Privacy en openheid", slug="privacy-en-openheid")
    page = dilemma(
        index,
        title="Bijlagen met namen van bezwaarmakers",
        options=("Laten staan", "Lakken en opnieuw publiceren", "Alleen een samenvatting"),
        themes=[theme],
        decision="De bijlage ging offline en kwam gelakt terug.",
        lessons="Regel het lakken aan het begin.\nVertel indieners wat openbaar wordt.",
        organisation_type="gemeente",
        government_level="gemeente",
        year=2023,
    )
    first = page.options.first()
    for _ in range(2):
        services.choice_make(actor=member(), dilemma=page, option_id=first.pk)
    return page


@pytest.fixture
def sanne(db):
    user = member(username="sanne", display_name="Sanne de Boer")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_member_chooses_an_option_and_sees_the_distribution(live_server, page, axe_check, case, sanne):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dilemma's").click()
    page.wait_for_url("**/dilemmas/")
    axe_check(page)
    page.get_by_label("Bestuurslaag").select_option("gemeente")
    page.get_by_role("button", name="Toon dilemma's").click()
    assert page.get_by_text("1 dilemma gevonden").is_visible()
    axe_check(page)

    page.get_by_role("link", name="Bijlagen met namen van bezwaarmakers").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bijlagen met namen van bezwaarmakers"
    assert page.get_by_text("Zo kozen 2 leden").is_visible(), "a visitor sees the totals"
    axe_check(page)

    page.get_by_role("link", name="Log in om zelf te kiezen").click()
    page.locator("input[name=login]").fill(sanne.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/inloggen/'] button[type=submit]").click()
    page.wait_for_url("**/dilemmas/**")
    assert page.get_by_text("2 leden kozen al").is_visible()
    assert page.get_by_text("Zo kozen").count() == 0, "a member chooses before seeing how others chose"
    axe_check(page)

    page.get_by_label("Lakken en opnieuw publiceren").check()
    page.get_by_role("button", name="Bewaar mijn keuze").click()
    assert page.get_by_text("Je keuze is opgeslagen").is_visible()
    table = page.get_by_role("table", name="Zo kozen 3 leden")
    assert table.is_visible()
    row = table.get_by_role("row", name="Lakken en opnieuw publiceren")
    assert "1" in row.inner_text() and "33%" in row.inner_text() and "jouw keuze" in row.inner_text()
    axe_check(page)

    page.get_by_label("Jouw reactie").fill("Lakken kost tijd, maar dan blijft de inhoud openbaar en de namen niet.")
    page.get_by_role("button", name="Plaats reactie").click()
    assert page.get_by_text("wacht op goedkeuring door de redactie").first.is_visible()
    axe_check(page)


def test_member_proposal_form_passes_accessibility_checks(live_server, page, axe_check, case, sanne):
    page.goto(live_server.url + "/inloggen/")
    page.locator("input[name=login]").fill(sanne.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/inloggen/'] button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/dilemmas/")
    page.get_by_role("link", name="Stel een dilemma voor").click()
    page.wait_for_url("**/bijdragen/nieuw/dilemma/")
    axe_check(page)
    page.get_by_role("button", name="Voorstel versturen").click()
    assert page.get_by_role("alert").is_visible()
    axe_check(page)
