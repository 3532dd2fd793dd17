"""Member input for Q&A; the same rules as the services (which check again), as form errors."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import WorkingGroup
from community.services import CommunityError
from knowledge.models import Theme
from knowledge.questions.models import BODY_MAX, COMMENT_MAX, TITLE_MAX, CloseReason, Question
from knowledge.questions.services import clean_text


def _text_field(label, help_text, rows):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PlainTextMixin:
    """Validate each text field with the service's rule, so form and service refuse the same input."""

    text_limits: dict = {}

    def _clean_plain(self, name):
        max_length, what = self.text_limits[name]
        try:
            return clean_text(self.cleaned_data.get(name), max_length=max_length, what=str(what))
        except CommunityError as error:
            raise forms.ValidationError(error.message) from None


class AnswerForm(PlainTextMixin, forms.Form):
    body = _text_field(
        _("Je antwoord"),
        _("Gewone tekst; een witregel begint een nieuwe alinea, een webadres wordt een link."),
        rows=8,
    )
    text_limits = {"body": (BODY_MAX, _("antwoord"))}

    def clean_body(self):
        return self._clean_plain("body")


class CommentForm(PlainTextMixin, forms.Form):
    body = _text_field(_("Je reactie"), _("Een korte reactie, hoogstens 600 tekens."), rows=3)
    answer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text_limits = {"body": (COMMENT_MAX, _("reactie"))}

    def clean_body(self):
        return self._clean_plain("body")


class AskForm(PlainTextMixin, forms.Form):
    title = forms.CharField(
        label=_("Je vraag in één zin"),
        help_text=_("Bijvoorbeeld: Moeten we conceptnotities openbaar maken bij een Woo-verzoek?"),
        required=False,
        strip=False,
    )
    body = _text_field(
        _("Toelichting"),
        _("Wat is de situatie, wat heb je al geprobeerd? Gewone tekst; een witregel begint een nieuwe alinea."),
        rows=8,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(
        label=_("Trefwoorden"), help_text=_("Gescheiden door komma's."), required=False, max_length=500
    )
    group = forms.ModelChoiceField(
        label=_("Alleen voor een werkgroep"),
        help_text=_("Kies een werkgroep als alleen de deelnemers (en de redactie) de vraag mogen zien."),
        queryset=WorkingGroup.objects.none(),
        required=False,
        empty_label=_("Nee, voor iedereen"),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    text_limits = {"title": (TITLE_MAX, _("titel")), "body": (BODY_MAX, _("toelichting"))}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
        self.fields["group"].queryset = WorkingGroup.objects.active().filter(memberships__user=user).distinct()

    def clean_title(self):
        title = self._clean_plain("title")
        if "\n" in title:
            raise forms.ValidationError(_("De titel is één regel."))
        return title

    def clean_body(self):
        return self._clean_plain("body")

    def clean_tags(self):
        return [tag.strip() for tag in (self.cleaned_data.get("tags") or "").split(",") if tag.strip()]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Waarom sluit je de vraag?"), choices=CloseReason.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=1000, widget=forms.Textarea({"rows": 2}))
    duplicate_of = forms.ModelChoiceField(
        label=_("Dubbele van"),
        queryset=Question.objects.live().order_by("title"),
        required=False,
        empty_label=_("(geen)"),
    )
