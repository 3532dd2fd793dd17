from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _

from community.models import OrganisationType
from knowledge.models import Theme
from search.documents import kind_labels
from search.forms import FACET_PARAMS, SearchForm, SuggestForm
from search.query import SearchRequest, search, suggest

FACET_HEADINGS = {
    "type": _("Soort"),
    "theme": _("Thema"),
    "tag": _("Trefwoord"),
    "organisation_type": _("Soort organisatie"),
    "year": _("Jaar"),
}
POPULAR_THEMES = 8
SUGGESTIONS = 8


def search_view(request):
    form = SearchForm(request.GET)
    search_request = SearchRequest(reader=request.user, **form.request_kwargs(request.GET))
    result = search(search_request)
    facets = [
        {"name": name, "param": param, "heading": FACET_HEADINGS[name], "values": result.facets.get(name, [])}
        for name, param in FACET_PARAMS.items()
    ]
    popular_themes = []
    if not result.hits:
        popular_themes = search(SearchRequest(reader=request.user, page_size=1)).facets.get("theme", [])
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "result": result,
            "facets": facets,
            "chosen": _chosen_filters(request.GET, search_request, facets),
            "pages": _page_links(request.GET, result.page, result.num_pages),
            "shortened": form.is_shortened(),
            "popular_themes": popular_themes[:POPULAR_THEMES],
        },
    )


def suggest_view(request):
    """Suggestions while typing, as JSON for search/static/search/combobox.js."""
    form = SuggestForm(request.GET)
    suggestions = suggest(form.text(), reader=request.user, limit=SUGGESTIONS)
    response = JsonResponse(
        {
            "suggestions": [
                {"label": s.label, "url": s.url, "kind": s.kind, "kind_label": s.kind_label} for s in suggestions
            ]
        }
    )
    # What a reader may see depends on who they are: never share a cached answer between readers.
    patch_cache_control(response, private=True, max_age=60)
    patch_vary_headers(response, ["Cookie"])
    return response


def _url(params) -> str:
    return "?" + params.urlencode() if params else "?"


def _chosen_filters(params, search_request, facets) -> list[dict]:
    """Each filter in use, with its label and a link that removes only that one (and starts at page 1)."""
    used = search_request.filters()
    labels = _filter_labels(facets, used)
    chosen = []
    for facet in facets:
        param = facet["param"]
        for value in used[facet["name"]]:
            value = str(value)
            remaining = params.copy()
            remaining.setlist(param, [v for v in params.getlist(param) if v.strip() != value])
            remaining.pop("pagina", None)
            chosen.append(
                {
                    "heading": facet["heading"],
                    "label": labels[facet["name"]].get(value, value),
                    "remove_url": _url(remaining),
                }
            )
    return chosen


def _filter_labels(facets, used) -> dict[str, dict[str, str]]:
    """Labels of chosen values, also of those the other filters leave without results (so not in a facet)."""
    labels = {facet["name"]: {value.value: value.label for value in facet["values"]} for facet in facets}
    labels["type"] = {**{kind: str(label) for kind, label in kind_labels().items()}, **labels["type"]}
    labels["organisation_type"] = {
        **{value: str(label) for value, label in OrganisationType.choices},
        **labels["organisation_type"],
    }
    missing = [slug for slug in used["theme"] if slug not in labels["theme"]]
    if missing:
        labels["theme"].update(Theme.objects.filter(slug__in=missing).values_list("slug", "name"))
    return labels


def _page_links(params, current, last, around=2) -> list[dict | None]:
    """1 … 4 5 [6] 7 8 … 20: the first, the last and a few around the current page; None is a gap."""
    numbers = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    links, previous = [], 0
    for number in numbers:
        if number > previous + 1:
            links.append(None)
        page_params = params.copy()
        page_params["pagina"] = str(number)
        links.append({"number": number, "url": _url(page_params), "current": number == current})
        previous = number
    return links
