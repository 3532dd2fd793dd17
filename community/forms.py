from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import OrganisationType
from community.services.profiles import profile_create_at_signup


class SignupForm(forms.Form):
    """The short profile asked at sign-up; allauth adds e-mail and password and calls `signup`."""

    field_order = [
        "display_name",
        "email",
        "password1",
        "password2",
        "organisation",
        "organisation_type",
        "newsletter",
        "consent",
    ]

    display_name = forms.CharField(
        label=_("Je naam"),
        max_length=120,
        help_text=_("Zo zien andere leden je. Gebruik je eigen naam, of de naam waaronder mensen je kennen."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisatie"),
        max_length=160,
        required=False,
        help_text=_("Waar je werkt of actief bent. Doe je mee als inwoner? Dan kun je dit leeg laten."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_type = forms.ChoiceField(
        label=_("Soort organisatie"),
        choices=[("", _("Kies een soort organisatie")), *OrganisationType.choices],
        help_text=_("Kies 'Inwoner' als je meedoet vanuit jezelf, en 'Anders' als niets past."),
        error_messages={"required": _("Kies wat voor soort organisatie het is.")},
    )
    newsletter = forms.BooleanField(
        label=_("Stuur mij de nieuwsbrief over open overheid"),
        required=False,
        help_text=_("Je kunt je altijd weer afmelden."),
    )
    consent = forms.BooleanField(
        label=_("Ik heb de privacyverklaring gelezen en ga ermee akkoord"),
        error_messages={"required": _("Om lid te worden moet je akkoord gaan met de privacyverklaring.")},
    )

    def signup(self, request, user):
        user.first_name = self.cleaned_data["display_name"][:150]
        user.save(update_fields=["first_name"])
        profile_create_at_signup(
            user=user,
            display_name=self.cleaned_data["display_name"],
            organisation=self.cleaned_data["organisation"],
            organisation_type=self.cleaned_data["organisation_type"],
            newsletter=self.cleaned_data["newsletter"],
            consent=self.cleaned_data["consent"],
        )
