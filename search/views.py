from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from search.forms import SearchForm
from search.query import SearchRequest, search

# Query-string parameter, heading and result field per facet, in display order.
FACETS = [
    ("type", "soort", _("Soort")),
    ("theme", "thema", _("Thema")),
    ("tag", "trefwoord", _("Trefwoord")),
    ("organisation_type", "organisatie", _("Soort organisatie")),
    ("year", "jaar", _("Jaar")),
]


def search_view(request):
    form = SearchForm(request.GET)
    result = search(SearchRequest(reader=request.user, **form.request_kwargs(request.GET)))
    facets = [
        {"name": name, "param": param, "heading": heading, "values": result.facets.get(name, [])}
        for name, param, heading in FACETS
    ]
    return render(request, "search/search.html", {"form": form, "result": result, "facets": facets})
