from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import GroupJoinPolicy, GroupVisibility
from community.services.groups import JOIN_REQUEST_MESSAGE_MAX
from knowledge.models import Theme


class GroupProposalForm(forms.Form):
    name = forms.CharField(label=_("Naam van de werkgroep"), max_length=120)
    description = forms.CharField(
        label=_("Beschrijving"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Waar gaat de werkgroep over, voor wie is ze bedoeld en wat wil ze bereiken?"),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    join_policy = forms.ChoiceField(
        label=_("Wie kan meedoen?"),
        choices=GroupJoinPolicy.choices,
        initial=GroupJoinPolicy.OPEN,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label=_("Wie mag de werkgroep zien?"),
        choices=GroupVisibility.choices,
        initial=GroupVisibility.PUBLIC,
        widget=forms.RadioSelect,
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        max_length=JOIN_REQUEST_MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vertel de coördinatoren kort wie je bent en waarom je mee wilt doen."),
        error_messages={
            "max_length": _("Je toelichting is te lang: gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d).")
        },
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
        help_text=_("Ook iemand die nog geen lid is: die komt in de werkgroep zodra hij of zij zich aanmeldt."),
    )
