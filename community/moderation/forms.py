"""Forms of reporting (on the site) and of deciding on waiting contributions (in the admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.moderation.models import ReportReason
from community.moderation.services import NOTE_MAX


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Wat is er mis?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een reden voor je melding.")},
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Niet verplicht, behalve bij ‘Iets anders’. Alleen de redactie leest dit. Hoogstens 1000 tekens."),
        error_messages={"max_length": _("Je toelichting is te lang: gebruik hoogstens %(limit_value)d tekens.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == ReportReason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Schrijf kort wat er mis is als je ‘Iets anders’ kiest."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom wijs je de bijdrage af?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("De auteur krijgt deze toelichting te lezen."),
        error_messages={"required": _("Schrijf de auteur waarom de bijdrage is afgewezen.")},
    )
