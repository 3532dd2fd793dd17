from django import forms
from django.utils.translation import gettext_lazy as _

from search.query import MAX_TEXT_LENGTH, SORT_NEWEST, SORT_RELEVANCE

MAX_FILTER_VALUES = 20
MAX_PAGE = 10_000

# Query-string parameter per facet of search.query.SearchRequest.filters(), in display order.
FACET_PARAMS = {
    "type": "soort",
    "theme": "thema",
    "tag": "trefwoord",
    "organisation_type": "organisatie",
    "year": "jaar",
}


class SearchForm(forms.Form):
    """Lenient on purpose: unknown facet values and odd text narrow nothing and never raise."""

    q = forms.CharField(label=_("Zoek op de site"), required=False, strip=True)
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[(SORT_RELEVANCE, _("Relevantie")), (SORT_NEWEST, _("Nieuwste eerst"))],
    )

    def _data(self) -> dict:
        """The fields that are valid: a wild sort order does not cost the reader their query."""
        self.is_valid()
        return self.cleaned_data

    def text(self) -> str:
        """What was typed, or nothing when it cannot be used (a NUL character, for one)."""
        return self._data().get("q") or ""

    def is_shortened(self) -> bool:
        return len(" ".join(self.text().split())) > MAX_TEXT_LENGTH

    def request_kwargs(self, params) -> dict:
        data = self._data()
        values = {name: _clean_values(params.getlist(param)) for name, param in FACET_PARAMS.items()}
        years = tuple(int(v) for v in values["year"] if v.isdigit() and len(v) == 4)
        try:
            page = int(params.get("pagina", 1))
        except (TypeError, ValueError):
            page = 1
        return {
            "text": self.text()[: MAX_TEXT_LENGTH * 5],
            "sort": data.get("sorteer") or SORT_RELEVANCE,
            "types": values["type"],
            "themes": values["theme"],
            "tags": values["tag"],
            "organisation_types": values["organisation_type"],
            "years": years,
            "page": min(max(page, 1), MAX_PAGE),
        }


def _clean_values(values) -> tuple[str, ...]:
    """Distinct, non-empty, bounded filter values without characters a database refuses."""
    cleaned = []
    for value in values:
        value = value.replace("\x00", "").strip()[:100]
        if value and value not in cleaned:
            cleaned.append(value)
    return tuple(cleaned[:MAX_FILTER_VALUES])


class SuggestForm(forms.Form):
    q = forms.CharField(required=False, strip=True, max_length=1000)

    def text(self) -> str:
        return (self.cleaned_data.get("q") or "") if self.is_valid() else ""
