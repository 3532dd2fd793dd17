from django import forms
from django.utils.translation import gettext_lazy as _

from search.query import MAX_TEXT_LENGTH, SORT_NEWEST, SORT_RELEVANCE


class SearchForm(forms.Form):
    """Lenient on purpose: unknown facet values and odd text narrow nothing and never raise."""

    q = forms.CharField(label=_("Zoek op de site"), required=False)
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[(SORT_RELEVANCE, _("Relevantie")), (SORT_NEWEST, _("Nieuwste eerst"))],
    )

    def request_kwargs(self, params) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        years = tuple(int(v) for v in params.getlist("jaar") if v.isdigit() and len(v) == 4)
        try:
            page = int(params.get("pagina", 1))
        except ValueError:
            page = 1
        return {
            "text": (data.get("q") or "")[: MAX_TEXT_LENGTH * 5],
            "sort": data.get("sorteer") or SORT_RELEVANCE,
            "types": tuple(params.getlist("soort")[:20]),
            "themes": tuple(params.getlist("thema")[:20]),
            "tags": tuple(params.getlist("trefwoord")[:20]),
            "organisation_types": tuple(params.getlist("organisatie")[:20]),
            "years": years[:20],
            "page": min(max(page, 1), 10_000),
        }
