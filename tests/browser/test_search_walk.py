import contextlib
import re

import pytest
from playwright.sync_api import expect

from search.indexing import reindex_all
from tests.community.factories import member
from tests.factories import ThemeFactory, article, paragraph

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(tree, settings):
    settings.SEARCH_BACKEND = "search.backends.postgres.PostgresBackend"
    theme = ThemeFactory(name="Transparantie", slug="transparantie")
    article(
        tree["index"],
        title="Transparantie bij gemeenten",
        themes=[theme],
        body=[paragraph("Elke gemeente werkt aan transparantie en openbaarheid.")],
    )
    article(tree["index"], title="Transparant begroten", body=[paragraph("Een begroting die iedereen leest.")])
    article(tree["index"], title="Archiefwet en bewaartermijnen", body=[paragraph("Bewaren en vernietigen.")])
    member(display_name="Tessa Transparant", bio="Adviseur transparantie.", visibility="public")
    reindex_all()


def test_typing_in_the_header_box_suggests_and_the_keyboard_opens_a_suggestion(live_server, page, axe_check, library):
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Zoeken")
    expect(box).to_have_attribute("aria-expanded", "false")
    listbox_id = box.get_attribute("aria-controls")

    box.press_sequentially("transparantie", delay=30)
    listbox = page.get_by_role("listbox", name="Suggesties")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    assert listbox.get_attribute("id") == listbox_id
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Transparantie")
    expect(options.first).to_contain_text("Thema")
    count = options.count()
    assert count >= 2
    expect(page.locator(f"#{listbox_id} ~ [role=status]")).to_have_text(
        re.compile(rf"^{count} suggesties\. Kies met pijl omlaag en Enter\.$")
    )
    axe_check(page)

    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_contain_text("Transparantie bij gemeenten")
    assert page.evaluate("document.activeElement.id") == "site-search-q"

    box.press("Enter")
    page.wait_for_url("**/kennisbank/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Transparantie bij gemeenten")


def test_escape_closes_the_list_and_enter_without_a_choice_searches(live_server, page, library):
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Zoeken")
    box.press_sequentially("archiefwet", delay=40)
    listbox = page.get_by_role("listbox", name="Suggesties")
    expect(listbox).to_be_visible()
    box.press("ArrowUp")
    expect(listbox.get_by_role("option").last).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("archiefwet")

    box.press("Enter")
    page.wait_for_url("**/zoeken/?q=archiefwet")
    expect(page.get_by_role("heading", name=re.compile("1 resultaat voor"))).to_be_visible()


def test_a_late_answer_to_older_text_never_replaces_the_newer_one(live_server, page, library):
    held = []

    def hold_the_first(route):
        if "q=arch" in route.request.url:
            held.append(route)
        else:
            route.continue_()

    page.route("**/zoeken/suggesties/**", hold_the_first)
    page.goto(live_server.url + "/zoeken/")
    box = page.get_by_role("combobox", name="Zoek op de site")
    box.press_sequentially("arch", delay=40)
    for _attempt in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the first request was sent"
    box.fill("tessa")
    options = page.get_by_role("listbox", name="Suggesties").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options).to_contain_text("Tessa Transparant")
    with contextlib.suppress(Exception):  # the script has aborted it, which is the point
        held[0].continue_()
    page.wait_for_timeout(500)
    expect(options).to_have_count(1)
    expect(options).to_contain_text("Tessa Transparant")


def test_without_javascript_the_header_box_is_a_plain_form_and_filters_work(live_server, browser, library):
    """(axe-core needs JavaScript itself; the same pages are checked with it in the other walks.)"""
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert page.locator("#site-search-q").get_attribute("role") is None
        assert page.locator("[role=listbox]").count() == 0
        page.get_by_role("searchbox", name="Zoeken").fill("transparantie")
        page.get_by_role("button", name="Zoek", exact=True).click()
        page.wait_for_url("**/zoeken/?q=transparantie")
        expect(page.get_by_role("heading", level=2, name=re.compile("2 resultaten voor"))).to_be_visible()
        expect(page.locator("mark").first).to_have_text(re.compile("transparantie", re.I))

        filters = page.get_by_role("form", name="Filters")
        filters.get_by_role("group", name="Soort").get_by_role("checkbox", name=re.compile("^Lid")).check()
        filters.get_by_role("button", name="Filters toepassen").click()
        page.wait_for_url("**soort=profile**")
        expect(page.get_by_role("heading", level=2, name=re.compile("1 resultaat voor"))).to_be_visible()
        expect(page.get_by_role("link", name="Tessa Transparant")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Soort: Lid"))).to_be_visible()
    finally:
        context.close()


def test_results_filters_pages_and_the_empty_state_pass_accessibility_checks(live_server, page, axe_check, library):
    page.goto(live_server.url + "/zoeken/?q=transparantie")
    assert re.match(r"Zoeken naar “transparantie”: 2 resultaten", page.title())
    axe_check(page)

    page.get_by_role("group", name="Thema").get_by_role("checkbox", name=re.compile("^Transparantie")).check()
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_url("**thema=transparantie**")
    expect(page.get_by_role("link", name="Transparantie bij gemeenten")).to_be_visible()
    axe_check(page)

    page.goto(live_server.url + "/zoeken/?q=transparantei")
    expect(page.get_by_text("Bedoelde je:")).to_be_visible()
    page.get_by_role("link", name="transparantie", exact=True).click()
    page.wait_for_url("**q=transparantie**")
    expect(page.get_by_role("heading", level=2, name=re.compile("2 resultaten"))).to_be_visible()
    page.goto(live_server.url + "/zoeken/?q=qqqxxyzz")
    expect(page.get_by_text("Populaire thema's")).to_be_visible()
    axe_check(page)
