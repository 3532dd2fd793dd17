"""Forms of the dilemma pages: filtering the index, reacting, and proposing a dilemma (registered with
community.contributions, so proposals go through the same drafts, "Redactie" workflow and trust rules)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from community.contributions import registry
from community.contributions.forms import ContributionForm
from community.contributions.richtext import plain
from community.models import OrganisationType
from knowledge.dilemmas.models import (
    FIRST_YEAR,
    REACTION_MAX,
    TEXT_MAX,
    Dilemma,
    DilemmaIndexPage,
    DilemmaOption,
    GovernmentLevel,
    PublicValue,
    not_in_the_future,
)
from knowledge.models import PageTheme, Theme

MIN_OPTIONS = 2
MAX_OPTIONS = 6
OPTION_FIELDS = ("title", "description", "arguments_for", "arguments_against")
ADD_OPTION = "optie-toevoegen"

ALL = [("", _("Alle"))]


class DilemmaFilterForm(forms.Form):
    """The index's filters, as GET parameters with Dutch names; all optional and combinable."""

    thema = forms.ModelChoiceField(
        label=_("Thema"), queryset=Theme.objects.all(), to_field_name="slug", required=False, empty_label=_("Alle")
    )
    organisatie = forms.ChoiceField(
        label=_("Soort organisatie"), choices=ALL + OrganisationType.choices, required=False
    )
    bestuurslaag = forms.ChoiceField(label=_("Bestuurslaag"), choices=ALL + GovernmentLevel.choices, required=False)
    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = ALL + [(year, str(year)) for year in years]

    def filter(self, dilemmas):
        data = self.cleaned_data
        if data.get("thema"):
            dilemmas = dilemmas.filter(theme_links__theme=data["thema"])
        if data.get("organisatie"):
            dilemmas = dilemmas.filter(organisation_type=data["organisatie"])
        if data.get("bestuurslaag"):
            dilemmas = dilemmas.filter(government_level=data["bestuurslaag"])
        if data.get("jaar"):
            dilemmas = dilemmas.filter(year=data["jaar"])
        return dilemmas.distinct()

    @property
    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


class ReactionForm(forms.Form):
    body = forms.CharField(
        label=_("Jouw reactie"),
        max_length=REACTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Wat zou jij doen, en waarom? Gewone tekst, hoogstens %(max)d tekens. Reacties van nieuwe leden "
            "verschijnen na goedkeuring door de redactie."
        )
        % {"max": REACTION_MAX},
    )


class OptionForm(forms.Form):
    """One option of a proposed dilemma; `uid` keeps an existing option (and the choices for it) in place."""

    uid = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    title = forms.CharField(label=_("Optie"), max_length=160, help_text=_("Kort en als keuze geformuleerd."))
    description = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    arguments_for = forms.CharField(
        label=_("Argumenten voor"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén argument per regel."),
    )
    arguments_against = forms.CharField(
        label=_("Argumenten tegen"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén argument per regel."),
    )

    def clean(self):
        cleaned = super().clean()
        for name in OPTION_FIELDS:
            if cleaned.get(name):
                cleaned[name] = plain(cleaned[name])
        return cleaned

    def to_raw(self) -> dict:
        data = self.cleaned_data
        value = {name: data[name] for name in OPTION_FIELDS}
        return {"type": "option", "value": value, "id": data.get("uid") or uuid.uuid4().hex}


class BaseOptionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        titles = [
            form.cleaned_data["title"].casefold()
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("title")
            and not form.cleaned_data.get("DELETE")
        ]
        if len(titles) != len(set(titles)):
            raise forms.ValidationError(_("Twee opties hebben dezelfde titel. Maak van elke optie een eigen keuze."))


OptionFormSet = forms.formset_factory(
    OptionForm,
    formset=BaseOptionFormSet,
    extra=0,
    can_delete=True,
    min_num=MIN_OPTIONS,
    max_num=MAX_OPTIONS,
    validate_min=True,
    validate_max=True,
    absolute_max=MAX_OPTIONS,
)


def _long_text(label, *, required=True, max_length=TEXT_MAX, rows=5, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _help(name):
    return Dilemma._meta.get_field(name).help_text


class DilemmaContributionForm(ContributionForm):
    """Proposing a dilemma (or an edit of one) from the site: the structured fields plus its options.

    The options travel as a list of {"type": "option", "value": ..., "id": ...} items, the shape
    knowledge.merge merges item by item, so two members changing different options never clash.
    """

    page_class = Dilemma
    plain_fields = ("situation", "involved", "tension", "decision", "decision_reason", "aftermath", "lessons")
    choice_fields = ("organisation_type", "government_level", "year", "values")
    text_fields = ("title", "summary", *plain_fields, *choice_fields)
    stream_fields = ()
    option_prefix = "optie"

    situation = _long_text(_("De situatie"), help_text=_help("situation"))
    involved = _long_text(
        _("Wie waren erbij betrokken"), required=False, max_length=1000, rows=2, help_text=_help("involved")
    )
    values = forms.MultipleChoiceField(
        label=_("Waarden die botsen"),
        choices=PublicValue.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_help("values"),
    )
    tension = _long_text(_("Het dilemma"), help_text=_help("tension"))
    decision = _long_text(_("Wat is er besloten (niet verplicht)"), required=False, rows=3, help_text=_help("decision"))
    decision_reason = _long_text(
        _("Waarom (niet verplicht)"), required=False, rows=3, help_text=_help("decision_reason")
    )
    aftermath = _long_text(
        _("Wat gebeurde er daarna (niet verplicht)"), required=False, rows=3, help_text=_help("aftermath")
    )
    lessons = _long_text(
        _("Wat hebben we geleerd (niet verplicht)"), required=False, rows=3, help_text=_help("lessons")
    )
    organisation_type = forms.ChoiceField(
        label=_("Soort organisatie"), choices=[("", _("Kies…")), *OrganisationType.choices], required=False
    )
    government_level = forms.ChoiceField(
        label=_("Bestuurslaag"), choices=[("", _("Kies…")), *GovernmentLevel.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Jaar (niet verplicht)"), required=False, min_value=FIRST_YEAR, help_text=_help("year")
    )

    field_order = [
        "title",
        "summary",
        "situation",
        "involved",
        "values",
        "tension",
        "decision",
        "decision_reason",
        "aftermath",
        "lessons",
        "organisation_type",
        "government_level",
        "year",
        "themes",
        "tags",
        "group",
        "edit_summary",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("block_count", None)
        if self.is_bound:
            self.options = OptionFormSet(self.data, prefix=self.option_prefix)
        else:
            initial = [_option_initial(raw) for raw in self.initial.get("options", [])]
            self.options = OptionFormSet(initial=initial or None, prefix=self.option_prefix)

    @classmethod
    def content_of(cls, page) -> dict:
        from knowledge.merge import page_content

        content = page_content(page, stream_fields=[])
        for name in cls.plain_fields:
            content[name] = getattr(page, name) or ""
        content["organisation_type"] = page.organisation_type or ""
        content["government_level"] = page.government_level or ""
        content["year"] = page.year
        content["values"] = list(page.values or [])
        content["options"] = [
            {
                "type": "option",
                "value": {
                    "title": option.title,
                    "description": option.description,
                    "arguments_for": option.arguments_for,
                    "arguments_against": option.arguments_against,
                },
                "id": str(option.pk) if option.pk else uuid.uuid4().hex,
            }
            for option in page.options.all()
        ]
        return content

    @classmethod
    def apply(cls, page, content):
        for name in ("title", "summary", *cls.plain_fields, "organisation_type", "government_level"):
            setattr(page, name, content.get(name) or "")
        page.year = content.get("year")
        page.values = [value for value in content.get("values", []) if value in PublicValue.values]
        page.theme_links.set(
            [PageTheme(theme_id=theme_id, sort_order=order) for order, theme_id in enumerate(content["themes"])]
        )
        page.tags.set(content["tags"])
        # Only this dilemma's own options keep their id: an id from the form must never reach another page's row.
        own = {str(option.pk): option.pk for option in page.options.all() if option.pk}
        page.options = [
            DilemmaOption(pk=own.get(str(raw.get("id"))), sort_order=order, **_option_fields(raw["value"]))
            for order, raw in enumerate(content.get("options", []))
        ]

    @classmethod
    def initial_for(cls, content) -> dict:
        initial = super().initial_for(content)
        for name in cls.plain_fields + cls.choice_fields:
            initial[name] = content.get(name)
        initial["options"] = content.get("options", [])
        return initial

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None:
            not_in_the_future(year)
        return year

    def clean(self):
        cleaned = super().clean()
        for name in self.plain_fields:
            if name in cleaned:
                cleaned[name] = plain(cleaned[name])
        return cleaned

    def is_valid(self):
        """The fields and the options; none of the article's blocks (ContributionForm.is_valid wants them)."""
        fields_valid = forms.Form.is_valid(self)
        options_valid = self.options.is_valid()
        return fields_valid and options_valid

    def content(self) -> dict:
        data = self.cleaned_data
        content = {name: data.get(name) for name in self.text_fields}
        for name in ("organisation_type", "government_level", *self.plain_fields):
            content[name] = content[name] or ""
        content["themes"] = [theme.pk for theme in data["themes"]]
        content["tags"] = data["tags"]
        content["options"] = [
            form.to_raw() for form in self.options.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        return content

    def rearranged(self, action, new_kind=None):
        """The same form, unbound, keeping what was typed; "optie-toevoegen" adds an empty option (no JavaScript)."""
        initial = {name: self[name].value() for name in self.fields}
        options = []
        for form in self.options.forms:
            if form["DELETE"].value():
                continue
            value = {name: form[name].value() or "" for name in OPTION_FIELDS}
            options.append({"type": "option", "value": value, "id": form["uid"].value() or ""})
        if action == ADD_OPTION and len(options) < MAX_OPTIONS:
            options.append({"type": "option", "value": {}, "id": ""})
        initial["options"] = options
        return type(self)(initial=initial, actor=self.actor, creating=self.creating, source=self.source)

    @property
    def all_errors(self):
        items = [(None, None, error) for error in self.non_field_errors()]
        for field in self:
            items += [(field.auto_id, field.label, error) for error in field.errors]
        items += [(None, _("Opties"), error) for error in self.options.non_form_errors()]
        for number, form in enumerate(self.options.forms, start=1):
            for field in form:
                for error in field.errors:
                    label = _("Optie %(number)s, %(field)s") % {"number": number, "field": str(field.label).lower()}
                    items.append((field.auto_id, label, error))
        return items


def _option_fields(value) -> dict:
    return {
        name: plain(str(value.get(name, ""))) for name in ("title", "description", "arguments_for", "arguments_against")
    }


def _option_initial(raw) -> dict:
    return {"uid": raw.get("id", ""), **_option_fields(raw.get("value", {}))}


def _dilemma_index():
    return DilemmaIndexPage.objects.first()


registry.register(
    registry.ContributionType(
        key="dilemma",
        page_class=Dilemma,
        form_class=DilemmaContributionForm,
        parent=_dilemma_index,
        label=_("dilemma"),
        new_label=_("Stel een dilemma voor"),
        preview_template="knowledge/dilemmas/preview.html",
        extra={"form_template": "knowledge/dilemmas/contribution_form.html"},
    )
)
