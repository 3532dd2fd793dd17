"""Dilemma pages: the structured page, "Wat zou jij doen?", reactions, the index and who sees what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from community.models import ModerationStatus
from community.services import CommunityError
from community.services.groups import page_restrict_to_group
from community.services.moderation import item_approve
from community.services.trust import member_trust
from knowledge.dilemmas import services
from knowledge.dilemmas.models import DilemmaChoice, DilemmaReaction
from tests.community.factories import member, working_group
from tests.factories import ThemeFactory, dilemma, dilemma_index, editor

pytestmark = pytest.mark.django_db

LONG_REASON = "Ik zou eerst lakken, omdat de inhoud openbaar hoort te zijn en de namen niet."


@pytest.fixture
def index(tree):
    return dilemma_index(tree["home"])


@pytest.fixture
def case(index):
    return dilemma(index)


def _options(case):
    return list(case.options.all())


def _choose(client, case, option):
    return client.post(f"{case.url}kiezen/", {"optie": option.pk if hasattr(option, "pk") else option})


# --- the page -------------------------------------------------------------------------------------


def test_dilemma_page_tells_the_case_in_its_fixed_order(client, index):
    case = dilemma(
        index,
        title="Beelden van een aanhouding",
        involved="De burgemeester en een journalist.",
        values=["openheid", "privacy", "vertrouwen"],
        decision="Een tijdlijn met stills.",
        decision_reason="De strafzaak liep nog.",
        aftermath="De klachtencommissie oordeelde later.",
        lessons="Maak een protocol.\n- Spreek een moment af.",
        organisation_type="gemeente",
        government_level="gemeente",
        year=2024,
    )
    response = client.get(case.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    headings = [
        "De situatie",
        "Het dilemma",
        "De afgewogen opties",
        "Wat zou jij doen?",
        "Wat is er besloten",
        "Wat gebeurde er daarna",
        "Wat hebben we geleerd",
        "Reacties",
    ]
    positions = [html.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    for text in ["Privacy", "Vertrouwen", "Eerst lakken", "Argumenten voor", "Gemeente", "2024", "De strafzaak liep"]:
        assert text in html
    assert "<li>Maak een protocol.</li>" in html and "<li>Spreek een moment af.</li>" in html


def test_related_articles_and_dilemmas_respect_visibility(client, tree, index):
    from knowledge.dilemmas.models import DilemmaRelatedPage
    from tests.factories import article

    case = dilemma(index, title="Hoofddilemma", themes=[ThemeFactory(slug="privacy")])
    public_article = article(tree["index"], title="Lakken in de praktijk")
    members_only = dilemma(index, title="Alleen voor leden")
    PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
    DilemmaRelatedPage.objects.create(page=case, target=public_article, sort_order=0)
    DilemmaRelatedPage.objects.create(page=case, target=members_only, sort_order=1)
    same_theme = dilemma(index, title="Ook over privacy", themes=[ThemeFactory(slug="privacy")])
    html = client.get(case.url).content.decode()
    assert "Lakken in de praktijk" in html and same_theme.title in html
    assert "Alleen voor leden" not in html
    client.force_login(member())
    assert "Alleen voor leden" in client.get(case.url).content.decode()


# --- "Wat zou jij doen?" ----------------------------------------------------------------------------


def test_member_chooses_and_then_sees_the_distribution_in_numbers(client, case):
    first, second, _third = _options(case)
    for _ in range(2):
        services.choice_make(actor=member(), dilemma=case, option_id=first.pk)
    person = member()
    client.force_login(person)
    before = client.get(case.url).content.decode()
    assert "2 leden kozen al" in before
    assert "Zo kozen" not in before, "a member sees how others chose only after choosing"

    response = _choose(client, case, second)
    assert response.status_code == 302 and response["Location"].endswith("#uitslag")
    page = client.get(response["Location"]).content.decode()
    assert "Je keuze is opgeslagen" in page
    assert "Zo kozen 3 leden" in page
    assert "(jouw keuze)" in page
    assert "67%" in page and "33%" in page
    assert DilemmaChoice.objects.get(user=person).option == second


def test_visitors_see_the_totals_but_cannot_choose(client, case):
    first = _options(case)[0]
    services.choice_make(actor=member(), dilemma=case, option_id=first.pk)
    html = client.get(case.url).content.decode()
    assert "Zo koos 1 lid" in html and "100%" in html
    assert "Log in om zelf te kiezen" in html and 'name="optie"' not in html
    response = _choose(client, case, first)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert DilemmaChoice.objects.count() == 1


def test_a_choice_can_be_changed_and_stays_one_row(client, case):
    first, second, _ = _options(case)
    person = member()
    client.force_login(person)
    _choose(client, case, first)
    _choose(client, case, first)
    _choose(client, case, second)
    assert DilemmaChoice.objects.filter(user=person).count() == 1
    assert DilemmaChoice.objects.get(user=person).option == second
    html = client.get(case.url).content.decode()
    assert f'value="{second.pk}" id="keuze-{second.pk}" checked' in html
    assert "Wijzig mijn keuze" in html


def test_choosing_an_option_of_another_dilemma_is_refused_and_changes_nothing(client, index, case):
    other = dilemma(index, title="Een ander dilemma")
    person = member()
    client.force_login(person)
    _choose(client, case, _options(case)[0])
    response = _choose(client, case, _options(other)[0])
    html = response.content.decode()
    assert response.status_code == 400
    assert "Die optie hoort niet bij dit dilemma" in html
    assert 'aria-describedby="keuze-fout"' in html
    assert DilemmaChoice.objects.get(user=person).option == _options(case)[0]
    assert not DilemmaChoice.objects.filter(dilemma=other).exists()


@pytest.mark.parametrize("bad", ["", "abc", "99999999", "1; DROP TABLE"])
def test_choosing_nonsense_is_refused_with_a_message(client, case, bad):
    client.force_login(member())
    response = client.post(f"{case.url}kiezen/", {"optie": bad} if bad else {})
    assert response.status_code == 400
    assert "Kies een van de opties" in response.content.decode() or "hoort niet bij" in response.content.decode()
    assert DilemmaChoice.objects.count() == 0


def test_percentages_always_add_up_to_one_hundred(case):
    first, second, third = _options(case)
    for option in (first, second, third):
        services.choice_make(actor=member(), dilemma=case, option_id=option.pk)
    shares = services.distribution(case).shares
    assert [share.count for share in shares] == [1, 1, 1]
    assert sum(share.percentage for share in shares) == 100


def test_counts_follow_the_rows_when_an_option_is_removed(case):
    first, second, _ = _options(case)
    services.choice_make(actor=member(), dilemma=case, option_id=first.pk)
    services.choice_make(actor=member(), dilemma=case, option_id=second.pk)
    second.delete()
    result = services.distribution(case)
    assert result.total == 1 == DilemmaChoice.objects.filter(dilemma=case).count()


def test_choice_service_refuses_visitors_and_readers_who_may_not_read(case):
    with pytest.raises(CommunityError):
        services.choice_make(actor=AnonymousUser(), dilemma=case, option_id=_options(case)[0].pk)
    PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)
    group = working_group()
    restriction = PageViewRestriction.objects.get(page=case)
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    restriction.groups.set([group.access_group])
    with pytest.raises(CommunityError):
        services.choice_make(actor=member(), dilemma=case, option_id=_options(case)[0].pk)
    assert DilemmaChoice.objects.count() == 0


# --- reactions --------------------------------------------------------------------------------------


def test_a_watched_members_reaction_waits_for_an_editor(client, case):
    author, other = member(), member()
    client.force_login(author)
    response = client.post(f"{case.url}reageren/", {"body": LONG_REASON})
    assert response.status_code == 302
    reaction = DilemmaReaction.objects.get()
    assert reaction.status == ModerationStatus.PENDING
    own_view = client.get(case.url).content.decode()
    assert "wacht op goedkeuring" in own_view.lower() and LONG_REASON in own_view

    client.force_login(other)
    assert LONG_REASON not in client.get(case.url).content.decode()
    client.logout()
    assert LONG_REASON not in client.get(case.url).content.decode()

    item_approve(actor=editor(), item=reaction)
    assert LONG_REASON in client.get(case.url).content.decode()


def test_a_trusted_members_reaction_appears_at_once_and_can_be_reported(client, case):
    author = member()
    member_trust(actor=editor(), member=author, trusted=True)
    client.force_login(author)
    client.post(f"{case.url}reageren/", {"body": LONG_REASON})
    assert DilemmaReaction.objects.get().status == ModerationStatus.PUBLISHED
    client.logout()
    assert LONG_REASON in client.get(case.url).content.decode()
    client.force_login(member())
    assert "/melden/" in client.get(case.url).content.decode() or "Melden" in client.get(case.url).content.decode()


def test_markup_in_a_reaction_is_never_rendered_as_markup(client, case):
    author = member()
    member_trust(actor=editor(), member=author, trusted=True)
    client.force_login(author)
    body = 'Goed punt <script>alert("x")</script><img src=x onerror=alert(1)> en <b>vet</b> & meer tekst hier.'
    client.post(f"{case.url}reageren/", {"body": body})
    stored = DilemmaReaction.objects.get().body
    assert "<" not in stored
    html = client.get(case.url).content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html and "<b>vet</b>" not in html
    assert "Goed punt" in html


def test_a_huge_or_empty_reaction_is_refused_and_nothing_is_saved(client, case):
    client.force_login(member())
    huge = client.post(f"{case.url}reageren/", {"body": "x" * 50_000})
    assert huge.status_code == 400
    html = huge.content.decode()
    assert "2000" in html and 'aria-invalid="true"' in html
    short = client.post(f"{case.url}reageren/", {"body": "Eens."})
    assert short.status_code == 400 and "minstens 20 tekens" in short.content.decode()
    assert not DilemmaReaction.objects.exists()


def test_visitors_cannot_react(client, case):
    response = client.post(f"{case.url}reageren/", {"body": LONG_REASON})
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert not DilemmaReaction.objects.exists()
    with pytest.raises(CommunityError):
        services.reaction_add(actor=AnonymousUser(), dilemma=case, body=LONG_REASON)


def test_the_same_reaction_twice_is_one_reaction(client, case):
    client.force_login(member())
    client.post(f"{case.url}reageren/", {"body": LONG_REASON})
    second = client.post(f"{case.url}reageren/", {"body": LONG_REASON})
    assert second.status_code == 400 and "al geplaatst" in second.content.decode()
    assert DilemmaReaction.objects.count() == 1


def test_reactions_are_rate_limited_per_member(client, case, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "dilemma_reaction": "1/h/user"}
    client.force_login(member())
    client.post(f"{case.url}reageren/", {"body": LONG_REASON})
    second = client.post(f"{case.url}reageren/", {"body": LONG_REASON + " Nog een gedachte."})
    assert second.status_code == 429 and "Probeer het over" in second.content.decode()
    assert DilemmaReaction.objects.count() == 1


def test_reactions_are_registered_for_the_moderation_queue():
    from community.moderation.registry import moderated_models

    assert DilemmaReaction in moderated_models()


def test_the_page_takes_the_same_number_of_queries_however_many_reactions(client, case):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(case.url).status_code == 200
        return len(queries)

    def add_reactions(n):
        for _ in range(n):
            DilemmaReaction.objects.create(
                dilemma=case, author=member(), body=LONG_REASON, status=ModerationStatus.PUBLISHED
            )

    client.force_login(member())
    add_reactions(2)
    count_queries()  # warms the caches (site, content types)
    few = count_queries()
    add_reactions(6)
    assert count_queries() == few


# --- the index --------------------------------------------------------------------------------------


def test_index_filters_combine(client, index):
    privacy, data = ThemeFactory(name="Privacy", slug="privacy"), ThemeFactory(name="Open data", slug="open-data")
    dilemma(
        index,
        title="Gemeente privacy 2023",
        themes=[privacy],
        organisation_type="gemeente",
        government_level="gemeente",
        year=2023,
    )
    dilemma(
        index,
        title="Gemeente data 2022",
        themes=[data],
        organisation_type="gemeente",
        government_level="gemeente",
        year=2022,
    )
    dilemma(
        index,
        title="Waterschap data 2022",
        themes=[data],
        organisation_type="waterschap",
        government_level="waterschap",
        year=2022,
    )
    dilemma(index, title="Concept", publish=False)

    def titles(query=""):
        html = client.get(f"{index.url}{query}").content.decode()
        return {
            t
            for t in ["Gemeente privacy 2023", "Gemeente data 2022", "Waterschap data 2022", "Concept"]
            if f">{t}</a>" in html
        }

    assert titles() == {"Gemeente privacy 2023", "Gemeente data 2022", "Waterschap data 2022"}
    assert titles("?thema=open-data") == {"Gemeente data 2022", "Waterschap data 2022"}
    assert titles("?organisatie=gemeente&jaar=2022") == {"Gemeente data 2022"}
    assert titles("?bestuurslaag=waterschap") == {"Waterschap data 2022"}
    assert titles("?thema=privacy&bestuurslaag=waterschap") == set()
    html = client.get(f"{index.url}?thema=privacy").content.decode()
    assert "1 dilemma gevonden" in html and "Wis alle filters" in html


def test_index_refuses_nonsense_filters_politely(client, index):
    dilemma(index, title="Een dilemma", year=2023)
    response = client.get(f"{index.url}?jaar=1850&thema=bestaat-niet&pagina=abc")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Niet elk filter kon worden gebruikt" in html


def test_index_paginates(client, index):
    for number in range(22):
        dilemma(index, title=f"Dilemma {number:02d}", options=("Ja", "Nee"))
    first = client.get(index.url).content.decode()
    assert "22 dilemma&#x27;s gevonden" in first or "22 dilemma's gevonden" in first
    assert "Pagina 1 van 2" in first
    assert "Pagina 2 van 2" in client.get(f"{index.url}?pagina=2").content.decode()


# --- group restriction on every path -------------------------------------------------------------------


@pytest.fixture
def secret_case(index):
    coordinator = member()
    group = working_group(coordinator=coordinator)
    case = dilemma(index, title="Geheim dilemma van de werkgroep", themes=[ThemeFactory(slug="geheim")])
    page_restrict_to_group(actor=coordinator, page=case, group=group)
    return case, group, coordinator


def test_a_group_dilemma_is_invisible_to_outsiders_on_every_path(client, index, secret_case):
    from search.indexing import reindex_all
    from search.query import SearchRequest, search

    case, group, insider = secret_case
    reindex_all()
    outsider = member()
    option = _options(case)[0]

    def paths(user):
        return {
            "page": client.get(case.url).status_code,
            "choose": _choose(client, case, option).status_code,
            "react": client.post(f"{case.url}reageren/", {"body": LONG_REASON}).status_code,
            "index": case.title in client.get(index.url).content.decode(),
            "theme": case.title in client.get("/themas/geheim/").content.decode(),
            "sitemap": case.url in client.get("/sitemap.xml").content.decode(),
            "search": case.title
            in [hit.title for hit in search(SearchRequest(text="Geheim dilemma", reader=user)).hits],
        }

    assert paths(AnonymousUser()) == {
        "page": 302,
        "choose": 302,
        "react": 302,
        "index": False,
        "theme": False,
        "sitemap": False,
        "search": False,
    }
    client.force_login(outsider)
    assert paths(outsider) == {
        "page": 404,
        "choose": 404,
        "react": 404,
        "index": False,
        "theme": False,
        "sitemap": False,
        "search": False,
    }
    assert not DilemmaChoice.objects.exists() and not DilemmaReaction.objects.exists()

    reaction = DilemmaReaction.objects.create(
        dilemma=case, author=insider, body=LONG_REASON, status=ModerationStatus.PUBLISHED
    )
    report_url = reverse(
        "community:report",
        kwargs={"content_type_id": ContentType.objects.get_for_model(DilemmaReaction).pk, "object_id": reaction.pk},
    )
    assert client.get(report_url).status_code == 404, "reporting must not reveal a reaction the reader cannot see"
    assert not DilemmaReaction.objects.visible_to(outsider).exists()

    client.force_login(insider)
    assert DilemmaReaction.objects.visible_to(insider).get() == reaction
    seen = paths(insider)
    assert seen["page"] == 200 and seen["index"] and seen["theme"] and seen["search"]
    assert DilemmaChoice.objects.filter(user=insider).exists()


# --- search -----------------------------------------------------------------------------------------


def test_search_finds_a_dilemma_by_the_text_of_its_options(index):
    from search.indexing import reindex_all
    from search.query import SearchRequest, search

    dilemma(
        index,
        title="Camerabeelden",
        options=("Gezichten vervagen", "Alleen een tijdlijn"),
        organisation_type="gemeente",
        themes=[ThemeFactory(slug="privacy")],
        tags=["bodycam"],
    )
    reindex_all()
    result = search(SearchRequest(text="tijdlijn", reader=AnonymousUser()))
    hit = next(hit for hit in result.hits if hit.title == "Camerabeelden")
    assert hit.kind == "dilemma"
    filtered = search(SearchRequest(types=("dilemma",), organisation_types=("gemeente",), reader=AnonymousUser()))
    assert [h.title for h in filtered.hits] == ["Camerabeelden"]


# --- demo content -------------------------------------------------------------------------------------


def test_demo_dilemmas_load_once_and_again_without_duplicates(client, tree):
    import json

    from knowledge.dilemmas import demo
    from knowledge.dilemmas.models import Dilemma, DilemmaIndexPage

    for item in json.loads((demo.DEMO_FILE.parent / "themes.json").read_text(encoding="utf-8")):
        ThemeFactory(slug=item["slug"], name=item["name"])
    people = {name: member(username=name) for name in ["anouk", "bram", "fatima", "joost", "lieke"]}
    editor("redactie")
    demo.load(tree["home"])
    counts = (Dilemma.objects.count(), DilemmaChoice.objects.count(), DilemmaReaction.objects.count())
    assert counts[0] >= 8 and counts[1] >= 30 and counts[2] >= 5
    for page in Dilemma.objects.all():
        assert page.live and 2 <= page.options.count() <= 4
        assert page.decision and page.lessons_list and page.year and page.theme_links.exists()
    demo.load(tree["home"])
    assert (Dilemma.objects.count(), DilemmaChoice.objects.count(), DilemmaReaction.objects.count()) == counts
    assert DilemmaIndexPage.objects.count() == 1

    index = DilemmaIndexPage.objects.get()
    assert client.get(index.url).status_code == 200
    client.force_login(people["joost"])
    page = Dilemma.objects.get(slug="subsidieontvangers-met-naam-en-bedrag")
    html = client.get(page.url).content.decode()
    assert "Kies zelf om te zien hoe de keuzes verdeeld zijn" in html


def test_editors_can_open_a_dilemma_in_the_admin(client, case):
    client.force_login(editor())
    response = client.get(f"/beheer/pages/{case.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in ["Waarden die botsen", "De afgewogen opties", "Bestuurslaag", "Gerelateerde artikelen en dilemma"]:
        assert label in html


def test_an_editor_creates_a_dilemma_in_the_admin(client, index):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from knowledge.dilemmas.models import Dilemma

    theme = ThemeFactory(slug="open-data", name="Open data")
    client.force_login(editor())
    option = {"title": "", "description": "", "arguments_for": "Snel\nGoedkoop", "arguments_against": "Riskant"}
    data = nested_form_data(
        {
            "title": "Kaartlagen van gemalen openen",
            "slug": "kaartlagen-van-gemalen",
            "summary": "Een waterschap wilde zijn kaartlagen openen.",
            "situation": "Het waterschap had een nauwkeurige registratie.",
            "involved": "",
            "tension": "Open data tegenover de veiligheid van vitale objecten.",
            "options": inline_formset([{**option, "title": "Alles openen"}, {**option, "title": "Zonder attributen"}]),
            "decision": "Zonder gevoelige attributen.",
            "decision_reason": "",
            "aftermath": "",
            "lessons": "",
            "organisation_type": "waterschap",
            "government_level": "waterschap",
            "year": "2022",
            "theme_links": inline_formset([{"theme": str(theme.pk)}]),
            "tags": "geodata",
            "related_links": inline_formset([]),
            "edit_summary": "Eerste versie",
            "action-publish": "publish",
            "comments": inline_formset([]),
        }
    )
    data["values"] = ["openheid", "veiligheid"]  # checkboxes: one name, several values
    preview_url = f"/beheer/pages/add/knowledge/dilemma/{index.pk}/preview/"
    assert client.post(preview_url, data).json()["is_valid"]
    preview = client.get(preview_url)
    assert preview.status_code == 200, "the preview of a page that was never saved renders"
    assert "Zonder attributen" in preview.content.decode() and "Open data" in preview.content.decode()
    response = client.post(f"/beheer/pages/add/knowledge/dilemma/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = Dilemma.objects.get(slug="kaartlagen-van-gemalen")
    assert page.live and page.values == ["openheid", "veiligheid"] and page.year == 2022
    assert [option.title for option in page.options.all()] == ["Alles openen", "Zonder attributen"]
    assert page.options.first().arguments_for_list == ["Snel", "Goedkoop"]
