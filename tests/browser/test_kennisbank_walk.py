import pytest

from tests.factories import ThemeFactory, UserFactory, article, heading, paragraph, publish_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kennisbank(tree):
    theme = ThemeFactory(name="Actieve openbaarmaking", slug="actieve-openbaarmaking")
    anouk = UserFactory(username="anouk", first_name="Anouk", last_name="de Vries")
    bram = UserFactory(username="bram", first_name="Bram", last_name="Jansen")
    page = article(
        tree["index"],
        title="Een Woo-verzoek afhandelen",
        author=anouk,
        themes=[theme],
        tags=["woo"],
        body=[
            heading("Ontvangst", "b1"),
            paragraph("Bevestig de ontvangst binnen een week.", "b2"),
            paragraph("Deze alinea wordt geschrapt.", "b3"),
        ],
    )
    publish_edit(
        page,
        author=bram,
        edit_summary="Termijn aangescherpt",
        body=[
            heading("Ontvangst", "b1"),
            paragraph("Bevestig de ontvangst binnen drie werkdagen.", "b2"),
            paragraph("Nieuw: leg afspraken met de verzoeker vast.", "b4"),
        ],
    )
    return page


def test_visitor_reaches_an_article_its_history_and_a_diff(live_server, page, axe_check, kennisbank):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    axe_check(page)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kennisbank").click()
    page.wait_for_url("**/kennisbank/")
    axe_check(page)

    page.get_by_role("link", name="Een Woo-verzoek afhandelen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Een Woo-verzoek afhandelen"
    assert "Anouk de Vries" in page.content() and "Bram Jansen" in page.content()
    axe_check(page)

    page.get_by_role("link", name="Geschiedenis van dit artikel").click()
    assert page.get_by_text("Termijn aangescherpt").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Vergelijk de gekozen versies").click()
    page.wait_for_url("**/verschil/**")
    assert page.locator("del", has_text="een week").count() == 1
    assert page.locator("ins", has_text="drie werkdagen").count() == 1
    assert page.get_by_text("(blok verwijderd)").is_visible()
    assert page.get_by_text("(blok toegevoegd)").is_visible()
    axe_check(page)


def test_theme_pages_pass_accessibility_checks(live_server, page, axe_check, kennisbank):
    page.goto(live_server.url + "/themas/")
    axe_check(page)
    page.get_by_role("link", name="Actieve openbaarmaking").first.click()
    assert page.get_by_role("link", name="Een Woo-verzoek afhandelen").is_visible()
    axe_check(page)


def test_not_found_page_passes_accessibility_checks(live_server, page, axe_check, tree):
    response = page.goto(live_server.url + "/bestaat-niet/")
    assert response.status == 404
    axe_check(page)


def test_visitor_searches_from_the_header_and_sees_highlighted_results(live_server, page, axe_check, kennisbank):
    page.goto(live_server.url + "/")
    page.get_by_role("combobox", name="Zoeken", exact=True).fill("ontvangst bevestigen")
    page.get_by_role("button", name="Zoek", exact=True).click()
    page.wait_for_url("**/zoeken/**")
    assert page.get_by_role("link", name="Een Woo-verzoek afhandelen").first.is_visible()
    assert page.locator("mark").count() >= 1
    axe_check(page)
